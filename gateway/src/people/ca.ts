/**
 * The organisation's Fabric CA, reached with fabric-ca-client under the gateway's *scoped* registrar (from the
 * profile): it may register `client` identities carrying the `role` attribute, revoke them and generate the CA's
 * revocation list, nothing else — it is not the CA's bootstrap admin. People are registered as type `client`,
 * affiliation '', attribute `role=<role>:ecert`.
 */
import FabricCAServices from 'fabric-ca-client';
import { User } from 'fabric-common';
import { X509Certificate, randomBytes } from 'node:crypto';
import { ApiError } from '../errors';
import type { SigningIdentity } from '../fabric/ledger';

/** An enrolled identity's PEMs. */
export interface Enrollment {
    readonly certificatePem: string;
    readonly privateKeyPem: string;
}

/** What the gateway needs from a CA; tests give a fake. */
export interface CertificateAuthority {
    /** Registers `name` with `role` and enrols it once: the key pair is made here and never leaves the gateway. */
    registerAndEnroll(name: string, role: string): Promise<Enrollment>;
    /** A new certificate and key for a still-valid identity (signed by its current key); attributes are kept. */
    reenroll(name: string, current: Enrollment): Promise<Enrollment>;
    /** Revokes every certificate of `name`; it can no longer enrol. */
    revoke(name: string): Promise<void>;
    /** The CA's current certificate revocation list: a PEM CRL, base64 encoded. */
    revocationList(): Promise<string>;
}

export interface FabricCaOptions {
    readonly url: string;
    readonly caName: string;
    readonly tlsRootPem: string;
    readonly registrarName: string;
    readonly registrarSecret: string;
    readonly mspId: string;
}

/**
 * The registrar's attributes a gateway needs, and no more. `hf.Registrar.Roles=client` and
 * `hf.Registrar.Attributes=role` bound what it can register; anything else (other roles, delegation, intermediate
 * CAs, affiliations) is a power the internet-facing process must not hold.
 */
const NEEDED = { 'hf.Registrar.Roles': 'client', 'hf.Registrar.Attributes': 'role', 'hf.Revoker': 'true', 'hf.GenCRL': 'true' } as const;
const FORBIDDEN_TRUE = ['hf.IntermediateCA', 'hf.AffiliationMgr'];

export class FabricCa implements CertificateAuthority {
    private registrar: Promise<{ user: User; enrollment: Enrollment }> | undefined;
    /** When the registrar's certificate must be replaced: a day before it expires, it is enrolled again. */
    private registrarRenewAt = Infinity;
    private readonly services: FabricCAServices;

    constructor(private readonly options: FabricCaOptions) {
        this.services = new FabricCAServices(options.url, { trustedRoots: [options.tlsRootPem], verify: true }, options.caName);
    }

    async registerAndEnroll(name: string, role: string): Promise<Enrollment> {
        const { user } = await this.registrarUser();
        // The enrolment secret is used once, right here, and not kept: renewal re-enrols with the current certificate.
        const secret = randomBytes(18).toString('base64url');
        await this.call(() => this.services.register({
            enrollmentID: name, enrollmentSecret: secret, role: 'client', affiliation: '', maxEnrollments: 1,
            attrs: [{ name: 'role', value: role, ecert: true }],
        }, user));
        const enrollment = await this.call(() => this.services.enroll({ enrollmentID: name, enrollmentSecret: secret }));
        return { certificatePem: enrollment.certificate, privateKeyPem: enrollment.key.toBytes() };
    }

    async reenroll(name: string, current: Enrollment): Promise<Enrollment> {
        const user = User.createUser(name, '', this.options.mspId, current.certificatePem, current.privateKeyPem);
        // Asked for by name: an empty list would mean "no attributes" and the new certificate would carry no role.
        const enrollment = await this.call(() => this.services.reenroll(user, [{ name: 'role', optional: false }]));
        return { certificatePem: enrollment.certificate, privateKeyPem: enrollment.key.toBytes() };
    }

    async revoke(name: string): Promise<void> {
        const { user } = await this.registrarUser();
        await this.call(() => this.services.revoke({ enrollmentID: name, reason: 'cessationofoperation' }, user));
    }

    async revocationList(): Promise<string> {
        const { user } = await this.registrarUser();
        return this.call(() => this.services.generateCRL({}, user) as Promise<string>);
    }

    /**
     * The registrar's own enrolled identity: the gateway's service identity on the channel, a `client` without a
     * `role` attribute, so the chaincode grants it nothing. It reads blocks and chaincode events, and probes the peer.
     */
    async serviceIdentity(): Promise<SigningIdentity> {
        const { enrollment } = await this.registrarUser();
        return { mspId: this.options.mspId, ...enrollment };
    }

    /** Problems with the registrar's powers, as `ca.registrar` messages; empty when it is scoped as a gateway needs. */
    async registrarScopeProblems(): Promise<string[]> {
        const { user } = await this.registrarUser();
        const response = await this.call(() => this.services.newIdentityService().getOne(this.options.registrarName, user) as Promise<{
            result?: { type?: string; attrs?: { name: string; value: string }[] };
        }>);
        // The CA writes booleans as `true` or `1` depending on how they were set.
        const attrs = new Map((response.result?.attrs ?? []).map((a) => [a.name, a.value === '1' ? 'true' : a.value]));
        const problems: string[] = [];
        for (const [name, value] of Object.entries(NEEDED)) {
            const actual = attrs.get(name);
            if (actual !== value) {
                // `*` or a list wider than needed is as wrong as a missing power: say which.
                problems.push(`${name}=${actual ?? '(unset)'} where a gateway registrar has ${value}`);
            }
        }
        for (const name of FORBIDDEN_TRUE) {
            if (attrs.get(name) === 'true') {
                problems.push(`${name}=true`);
            }
        }
        if ((attrs.get('hf.Registrar.DelegateRoles') ?? '') !== '') {
            problems.push(`hf.Registrar.DelegateRoles=${attrs.get('hf.Registrar.DelegateRoles')}`);
        }
        return problems;
    }

    /** Enrols the registrar once per process (again near expiry); a failure is not cached, the next call retries. */
    private registrarUser(): Promise<{ user: User; enrollment: Enrollment }> {
        if (!this.registrar || Date.now() >= this.registrarRenewAt) {
            this.registrar = this.call(async () => {
                const { registrarName, registrarSecret, mspId } = this.options;
                const enrollment = await this.services.enroll({ enrollmentID: registrarName, enrollmentSecret: registrarSecret });
                const pems = { certificatePem: enrollment.certificate, privateKeyPem: enrollment.key.toBytes() };
                this.registrarRenewAt = Date.parse(new X509Certificate(pems.certificatePem).validTo) - 24 * 3600 * 1000;
                return { user: User.createUser(registrarName, '', mspId, pems.certificatePem, pems.privateKeyPem), enrollment: pems };
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
    if (/ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|socket hang up/i.test(message)) {
        return new ApiError('UNAVAILABLE', 'the certificate authority is not reachable right now', { retryAfterSeconds: 5, cause: err });
    }
    return new ApiError('INTERNAL', 'the certificate authority refused the request', { cause: err });
}
