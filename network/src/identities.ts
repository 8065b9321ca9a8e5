/**
 * The organisations' Fabric CAs as the network tooling uses them: the CA's home and bootstrap admin, the scoped
 * registrar each gateway gets, and the CA's revocation list for `org publish-crl`. People (demo users included) are
 * registered by their organisation's gateway through that registrar, so their keys exist only in the gateway's store.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NetworkConfig } from './config';
import { run } from './exec';
import type { Layout } from './layout';
import { caServerEnv } from './nodes';
import { type PeerOrg, caPorts } from './topology';

const REGISTRAR = 'admin';

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

/** The gateway's registrar, one per organisation's CA: a `client` that may register only clients with a role. */
export const GATEWAY_REGISTRAR = 'gateway-registrar';

/**
 * Powers of the gateway's registrar: register `client` identities with the `role` attribute, revoke them, generate
 * the CA's revocation list. No other types, no delegation, no affiliations, no intermediate CAs — the gateway faces
 * the internet and must not hold the CA's bootstrap admin.
 */
const GATEWAY_REGISTRAR_ATTRIBUTES = 'hf.Registrar.Roles=client,hf.Registrar.Attributes=role,hf.Revoker=true,hf.GenCRL=true';

export function gatewayRegistrarSecretFile(layout: Layout, org: PeerOrg): string {
    return path.join(secretsDir(layout), `gateway-${org.key}-registrar`);
}

/**
 * Registers the organisation's gateway registrar once (by the CA's bootstrap admin) with a random enrolment secret
 * kept in secrets/ (mode 600). The gateway enrols it itself at each start.
 */
export async function ensureGatewayRegistrar(config: NetworkConfig, layout: Layout, org: PeerOrg): Promise<{ name: string; secretFile: string }> {
    const secretFile = gatewayRegistrarSecretFile(layout, org);
    if (!fs.existsSync(secretFile)) {
        const registrarHome = await ensureRegistrarEnrolled(config, layout, org);
        const secret = randomBytes(18).toString('base64url');
        await caClient(config, layout, org, [
            'register', '-u', caUrl(config, org), '--id.name', GATEWAY_REGISTRAR, '--id.secret', secret, '--id.type', 'client',
            '--id.affiliation', '', '--id.attrs', GATEWAY_REGISTRAR_ATTRIBUTES,
        ], registrarHome);
        fs.mkdirSync(secretsDir(layout), { recursive: true, mode: 0o700 });
        fs.writeFileSync(secretFile, secret, { mode: 0o600 });
    }
    return { name: GATEWAY_REGISTRAR, secretFile };
}

/**
 * The CA's current revocation list, generated by the CA's bootstrap admin (the organisation's own power, not the
 * gateway's): base64 of the PEM, as a channel MSP's revocation_list holds it.
 */
export async function currentRevocationList(config: NetworkConfig, layout: Layout, org: PeerOrg): Promise<string> {
    const home = await ensureRegistrarEnrolled(config, layout, org);
    await caClient(config, layout, org, ['gencrl', '-u', caUrl(config, org)], home);
    return fs.readFileSync(path.join(home, 'msp', 'crls', 'crl.pem')).toString('base64');
}
