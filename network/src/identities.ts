/**
 * People's identities, issued by each organisation's identity CA with a `role` attribute in the certificate
 * (`ctx.clientIdentity.getAttributeValue('role')` in the chaincode). The demo users of `npm start` are enrolled here
 * and handed to the organisation's gateway on its first start.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NetworkConfig } from './config';
import type { Layout } from './layout';
import { caClient, caUrl, peopleRegistrar } from './org-ca';
import { type PeerOrg, demoUsers } from './topology';

/** An enrolled identity on disk: certificate and private key in PEM. */
export interface UserIdentity {
    readonly mspId: string;
    readonly name: string;
    readonly certificatePem: string;
    readonly privateKeyPem: string;
}

export function userMsp(layout: Layout, org: PeerOrg, user: string): string {
    return path.join(layout.orgHome(org), 'users', user, 'msp');
}

/**
 * Registers (if new) and enrolls a user with a role; idempotent. The enrolment secret is random and kept beside the
 * user's MSP so the user can be enrolled again.
 */
export async function ensureUser(config: NetworkConfig, layout: Layout, org: PeerOrg, name: string, role: string): Promise<UserIdentity> {
    const msp = userMsp(layout, org, name);
    const userDir = path.dirname(msp);
    if (!fs.existsSync(path.join(msp, 'signcerts', 'cert.pem'))) {
        const registrarHome = await peopleRegistrar(config, layout, org);
        const secretFile = path.join(userDir, 'enrollment-secret');
        fs.mkdirSync(userDir, { recursive: true, mode: 0o700 });
        let secret: string;
        if (fs.existsSync(secretFile)) {
            secret = fs.readFileSync(secretFile, 'utf8');
        } else {
            secret = randomBytes(18).toString('base64url');
            await caClient(config, layout, org, 'identity', [
                'register', '-u', caUrl(config, org), '--id.name', name, '--id.secret', secret, '--id.type', 'client',
                '--id.affiliation', '', '--id.attrs', `role=${role}:ecert`,
            ], registrarHome);
            fs.writeFileSync(secretFile, secret, { mode: 0o600 });
        }
        await caClient(config, layout, org, 'identity', ['enroll', '-u', caUrl(config, org, name, secret), '--mspdir', msp], userDir);
    }
    return loadUser(layout, org, name);
}

export function loadUser(layout: Layout, org: PeerOrg, name: string): UserIdentity {
    const msp = userMsp(layout, org, name);
    const keystore = path.join(msp, 'keystore');
    const keyFile = fs.readdirSync(keystore).find((f) => f.endsWith('_sk'));
    if (!keyFile) {
        throw new Error(`no private key for ${name} in ${keystore}`);
    }
    return {
        mspId: org.mspId,
        name,
        certificatePem: fs.readFileSync(path.join(msp, 'signcerts', 'cert.pem'), 'utf8'),
        privateKeyPem: fs.readFileSync(path.join(keystore, keyFile), 'utf8'),
    };
}

export async function ensureDemoUsers(config: NetworkConfig, layout: Layout, org: PeerOrg): Promise<UserIdentity[]> {
    const users: UserIdentity[] = [];
    for (const { name, role } of demoUsers(org)) {
        users.push(await ensureUser(config, layout, org, name, role));
    }
    return users;
}
