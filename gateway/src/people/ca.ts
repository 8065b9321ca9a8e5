/**
 * The organisation's Fabric CA, reached with fabric-ca-client under the CA's registrar identity (the bootstrap
 * `admin` whose random password the network manager keeps in secrets/). Registration is done as the network manager
 * does it (network/src/identities.ts): type `client`, affiliation '', attribute `role=<role>:ecert`.
 */
import FabricCAServices from 'fabric-ca-client';
import { User } from 'fabric-common';
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ApiError } from '../errors';

/** What the gateway needs from a CA; tests give a fake. */
export interface CertificateAuthority {
    /** Registers `name` with `role` and enrols it once: the key pair is made here and never leaves the gateway. */
    registerAndEnroll(name: string, role: string): Promise<{ certificatePem: string; privateKeyPem: string }>;
    /** Revokes every certificate of `name`; it can no longer enrol. */
    revoke(name: string): Promise<void>;
    /** The CA's current certificate revocation list: a PEM CRL, base64 encoded. */
    revocationList(): Promise<string>;
}

export interface FabricCaOptions {
    readonly url: string;
    readonly caName: string;
    readonly tlsCaFile: string;
    readonly registrarSecretFile: string;
    readonly mspId: string;
}

const REGISTRAR = 'admin';

export class FabricCa implements CertificateAuthority {
    private registrar: Promise<User> | undefined;
    private readonly services: FabricCAServices;

    constructor(private readonly options: FabricCaOptions) {
        this.services = new FabricCAServices(options.url, { trustedRoots: [fs.readFileSync(options.tlsCaFile, 'utf8')], verify: true }, options.caName);
    }

    async registerAndEnroll(name: string, role: string): Promise<{ certificatePem: string; privateKeyPem: string }> {
        const registrar = await this.registrarUser();
        // The enrolment secret is used once, right here, and not kept: re-enrolment would go through the registrar.
        const secret = randomBytes(18).toString('base64url');
        await this.call(() => this.services.register({
            enrollmentID: name, enrollmentSecret: secret, role: 'client', affiliation: '', maxEnrollments: 1,
            attrs: [{ name: 'role', value: role, ecert: true }],
        }, registrar));
        const enrollment = await this.call(() => this.services.enroll({ enrollmentID: name, enrollmentSecret: secret }));
        return { certificatePem: enrollment.certificate, privateKeyPem: enrollment.key.toBytes() };
    }

    async revoke(name: string): Promise<void> {
        const registrar = await this.registrarUser();
        await this.call(() => this.services.revoke({ enrollmentID: name, reason: 'cessationofoperation' }, registrar));
    }

    async revocationList(): Promise<string> {
        const registrar = await this.registrarUser();
        return this.call(() => this.services.generateCRL({}, registrar) as Promise<string>);
    }

    /** Enrols the registrar once per process; a failure is not cached so the next call tries again. */
    private registrarUser(): Promise<User> {
        if (!this.registrar) {
            this.registrar = this.call(async () => {
                const secret = fs.readFileSync(this.options.registrarSecretFile, 'utf8').trim();
                const enrollment = await this.services.enroll({ enrollmentID: REGISTRAR, enrollmentSecret: secret });
                return User.createUser(REGISTRAR, '', this.options.mspId, enrollment.certificate, enrollment.key.toBytes());
            });
            this.registrar.catch(() => { this.registrar = undefined; });
        }
        return this.registrar;
    }

    private async call<T>(action: () => Promise<T>): Promise<T> {
        try {
            return await action();
        } catch (err) {
            throw caError(err);
        }
    }
}

/** CA errors reduced to our codes; the CA's own text (which names its address) is kept only as the cause. */
export function caError(err: unknown): ApiError {
    const message = err instanceof Error ? err.message : String(err);
    if (/already registered/i.test(message)) {
        return new ApiError('ALREADY_EXISTS', 'the certificate authority already has an identity with this name', { cause: err });
    }
    if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|socket hang up/i.test(message)) {
        return new ApiError('UNAVAILABLE', 'the certificate authority is not reachable right now', { retryAfterSeconds: 5, cause: err });
    }
    return new ApiError('INTERNAL', 'the certificate authority refused the request', { cause: err });
}
