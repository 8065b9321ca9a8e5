/**
 * People's identities, issued by each organisation's Fabric CA with a `role` attribute in the certificate
 * (`ctx.clientIdentity.getAttributeValue('role')` in the chaincode).
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NetworkConfig } from './config';
import { run } from './exec';
import type { Layout } from './layout';
import { caServerEnv } from './nodes';
import { type PeerOrg, caPorts, demoUsers } from './topology';

const REGISTRAR = 'admin';

/** An enrolled identity on disk: certificate and private key in PEM. */
export interface UserIdentity {
    readonly mspId: string;
    readonly name: string;
    readonly certificatePem: string;
    readonly privateKeyPem: string;
}

/**
 * Creates the CA's home with a random bootstrap (registrar) password on first use. The password stays in the
 * CA's own config file and in secrets/, both readable by the owner only; it never appears on a command line.
 */
export async function ensureCaHome(config: NetworkConfig, layout: Layout, org: PeerOrg): Promise<void> {
    const home = layout.caHome(org);
    if (fs.existsSync(path.join(home, 'fabric-ca-server-config.yaml'))) {
        return;
    }
    fs.mkdirSync(home, { recursive: true, mode: 0o700 });
    const password = randomBytes(18).toString('base64url');
    fs.mkdirSync(secretsDir(layout), { recursive: true, mode: 0o700 });
    fs.writeFileSync(registrarSecretFile(layout, org), password, { mode: 0o600 });
    const ports = caPorts(config.basePort, org);
    await run(layout.bin('fabric-ca-server'), ['init', '--home', home], {
        env: { ...caServerEnv(layout, org, ports.listen, ports.operations, layout.serviceTlsDir(org, 'ca')), FABRIC_CA_SERVER_BOOT: `${REGISTRAR}:${password}` },
    });
    fs.chmodSync(path.join(home, 'fabric-ca-server-config.yaml'), 0o600);
}

function secretsDir(layout: Layout): string {
    return path.join(layout.runDir, 'secrets');
}

function registrarSecretFile(layout: Layout, org: PeerOrg): string {
    return path.join(secretsDir(layout), `ca-${org.key}-registrar`);
}

function caUrl(config: NetworkConfig, org: PeerOrg, user?: string, secret?: string): string {
    const credentials = user && secret ? `${encodeURIComponent(user)}:${encodeURIComponent(secret)}@` : '';
    return `https://${credentials}127.0.0.1:${caPorts(config.basePort, org).listen}`;
}

async function caClient(config: NetworkConfig, layout: Layout, org: PeerOrg, args: string[], home: string): Promise<string> {
    return run(layout.bin('fabric-ca-client'), [...args, '--home', home, '--tls.certfiles', layout.tlsCa(org), '--caname', `ca-${org.key}`], {
        env: { FABRIC_CA_CLIENT_HOME: home },
    });
}

async function ensureRegistrarEnrolled(config: NetworkConfig, layout: Layout, org: PeerOrg): Promise<string> {
    const home = path.join(layout.usersDir, org.key, '.registrar');
    if (!fs.existsSync(path.join(home, 'msp', 'signcerts', 'cert.pem'))) {
        const secret = fs.readFileSync(registrarSecretFile(layout, org), 'utf8');
        fs.mkdirSync(home, { recursive: true, mode: 0o700 });
        await caClient(config, layout, org, ['enroll', '-u', caUrl(config, org, REGISTRAR, secret)], home);
    }
    return home;
}

/**
 * Registers (if new) and enrolls a user with a role; idempotent. The enrolment secret is random and kept beside the
 * user's MSP so the user can be enrolled again.
 */
export async function ensureUser(config: NetworkConfig, layout: Layout, org: PeerOrg, name: string, role: string): Promise<UserIdentity> {
    const msp = layout.userMsp(org, name);
    const userDir = path.dirname(msp);
    if (!fs.existsSync(path.join(msp, 'signcerts', 'cert.pem'))) {
        const registrarHome = await ensureRegistrarEnrolled(config, layout, org);
        const secretFile = path.join(userDir, 'enrollment-secret');
        fs.mkdirSync(userDir, { recursive: true, mode: 0o700 });
        let secret: string;
        if (fs.existsSync(secretFile)) {
            secret = fs.readFileSync(secretFile, 'utf8');
        } else {
            secret = randomBytes(18).toString('base64url');
            await caClient(config, layout, org, [
                'register', '-u', caUrl(config, org), '--id.name', name, '--id.secret', secret, '--id.type', 'client',
                '--id.affiliation', '', '--id.attrs', `role=${role}:ecert`,
            ], registrarHome);
            fs.writeFileSync(secretFile, secret, { mode: 0o600 });
        }
        await caClient(config, layout, org, ['enroll', '-u', caUrl(config, org, name, secret), '--mspdir', msp], userDir);
    }
    return loadUser(layout, org, name);
}

export function loadUser(layout: Layout, org: PeerOrg, name: string): UserIdentity {
    const msp = layout.userMsp(org, name);
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
