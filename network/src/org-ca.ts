/**
 * Each organisation's own Fabric CA and the identities it issues for the organisation: its admin, its nodes (peer or
 * orderers) and the TLS identities of its services. One fabric-ca-server per organisation holds two CAs: the default
 * one is the organisation's TLS CA (it also signs the server's own TLS certificate, so one TLS root covers every
 * endpoint of the organisation), and `ca-<org>` (in `ca/`) is its identity CA, which signs node, admin and people
 * certificates. Nothing here is made for another organisation: every key is born on the organisation's host.
 */
import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { NetworkConfig } from './config';
import { run } from './exec';
import type { IdentityName, Layout } from './layout';
import { type Org, type OrdererNode, type PeerOrg, caPorts } from './topology';

/** The bootstrap admin of each of the organisation's two CAs (passwords random, in the org's secrets/). */
const BOOTSTRAP = 'admin';

export type CaKind = 'tls' | 'identity';

export function caName(org: Org, kind: CaKind): string {
    return kind === 'tls' ? `tlsca-${org.key}` : `ca-${org.key}`;
}

function bootstrapSecretFile(layout: Layout, org: Org, kind: CaKind): string {
    return path.join(layout.secretsDir(org), `${caName(org, kind)}-bootstrap`);
}

/** Identity types the identity CA issues, by Fabric's node OUs. */
type IdentityType = 'admin' | 'peer' | 'orderer' | 'client';

/**
 * Writes the CA server's home on first use: the TLS CA's config (through `fabric-ca-server init`) and the identity
 * CA's config file, each with a random bootstrap password that never appears on a command line. Both files and the
 * secrets are readable by the owner only.
 */
export async function ensureCaHome(config: NetworkConfig, layout: Layout, org: Org): Promise<void> {
    const home = layout.caHome(org);
    if (fs.existsSync(path.join(home, '.complete'))) {
        return;
    }
    fs.rmSync(home, { recursive: true, force: true });
    fs.mkdirSync(layout.identityCaHome(org), { recursive: true, mode: 0o700 });
    fs.mkdirSync(layout.secretsDir(org), { recursive: true, mode: 0o700 });
    for (const kind of ['tls', 'identity'] as const) {
        const secret = randomBytes(18).toString('base64url');
        fs.writeFileSync(bootstrapSecretFile(layout, org, kind), secret, { mode: 0o600 });
        const dir = kind === 'tls' ? home : layout.identityCaHome(org);
        const file = kind === 'tls' ? 'fabric-ca-server-config.yaml' : 'fabric-ca-config.yaml';
        fs.writeFileSync(path.join(dir, file), stringify(caConfig(org, kind, secret)), { mode: 0o600 });
    }
    // Creates both CAs' key pairs and self-signed roots from the configuration files.
    await run(layout.bin('fabric-ca-server'), ['init', '--home', home], { env: caServerEnv(config, layout, org, false) });
    await issueServerTls(config, layout, org);
    fs.writeFileSync(path.join(home, '.complete'), '');
}

/** One CA's configuration: its name and root, its bootstrap admin, how long what it signs is valid. */
function caConfig(org: Org, kind: CaKind, bootstrapSecret: string): object {
    return {
        ca: { name: caName(org, kind) },
        csr: {
            cn: kind === 'tls' ? `tlsca.${org.domain}` : `ca.${org.domain}`,
            names: [{ O: org.name, OU: kind === 'tls' ? 'TLS' : 'Identities' }],
            keyrequest: { algo: 'ecdsa', size: 256 },
            ca: { expiry: '131400h', pathlength: 1 },
        },
        registry: {
            maxenrollments: -1,
            identities: [{
                name: BOOTSTRAP, pass: bootstrapSecret, type: 'client', affiliation: '',
                attrs: {
                    'hf.Registrar.Roles': '*', 'hf.Registrar.DelegateRoles': '*', 'hf.Registrar.Attributes': '*',
                    'hf.Revoker': true, 'hf.GenCRL': true, 'hf.IntermediateCA': false, 'hf.AffiliationMgr': true,
                },
            }],
        },
        signing: {
            default: { usage: ['digital signature'], expiry: '8760h' },
            profiles: { tls: { usage: ['signing', 'key encipherment', 'server auth', 'client auth', 'key agreement'], expiry: '8760h' } },
        },
    };
}

/**
 * The CA server's own TLS certificate (API and operations endpoint), signed by the TLS CA that `init` just made. The
 * server could generate one for its API itself, but only after its operations endpoint started, which needs one
 * already; so it is issued here, with openssl, from the TLS CA's key on the organisation's own disk.
 */
async function issueServerTls(config: NetworkConfig, layout: Layout, org: Org): Promise<void> {
    const home = layout.caHome(org);
    const dir = path.join(home, 'tls');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const caCertFile = path.join(home, 'ca-cert.pem');
    const caPublic = new X509Certificate(fs.readFileSync(caCertFile)).publicKey.export({ type: 'spki', format: 'der' });
    const keystore = path.join(home, 'msp', 'keystore');
    const caKey = fs.readdirSync(keystore).filter((f) => f.endsWith('_sk')).map((f) => path.join(keystore, f)).find((file) =>
        createPublicKey(createPrivateKey(fs.readFileSync(file))).export({ type: 'spki', format: 'der' }).equals(caPublic));
    if (!caKey) {
        throw new Error(`no key in ${keystore} matches the TLS CA certificate ${caCertFile}`);
    }
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fs.writeFileSync(path.join(dir, 'server.key'), privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    const hosts = caHosts(config, org);
    fs.writeFileSync(path.join(dir, 'ext.cnf'), [
        'basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth',
        `subjectAltName=${hosts.map((h) => (/^[\d.]+$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',')}`, '',
    ].join('\n'));
    await run('openssl', ['req', '-new', '-key', path.join(dir, 'server.key'), '-subj', `/O=${org.name}/CN=ca.${org.domain}`, '-out', path.join(dir, 'server.csr')]);
    await run('openssl', ['x509', '-req', '-in', path.join(dir, 'server.csr'), '-CA', caCertFile, '-CAkey', caKey, '-CAcreateserial',
        '-days', '365', '-sha256', '-extfile', path.join(dir, 'ext.cnf'), '-out', path.join(dir, 'server.crt')]);
    for (const leftover of ['server.csr', 'ext.cnf']) {
        fs.rmSync(path.join(dir, leftover));
    }
}

function caHosts(config: NetworkConfig, org: Org): string[] {
    return [config.listenAddress, 'localhost', `ca.${org.domain}`];
}

/**
 * Environment of the organisation's CA server: both CAs, address, TLS on the API and the operations endpoint. `init`
 * runs before the server's TLS certificate exists, so without the TLS settings.
 */
export function caServerEnv(config: NetworkConfig, layout: Layout, org: Org, withTls = true): Record<string, string> {
    const ports = caPorts(config.basePort, org);
    const host = config.listenAddress;
    const tls = path.join(layout.caHome(org), 'tls');
    const base = {
        FABRIC_CA_SERVER_PORT: String(ports.listen),
        FABRIC_CA_SERVER_ADDRESS: host,
        FABRIC_CA_SERVER_CAFILES: path.join('ca', 'fabric-ca-config.yaml'),
    };
    if (!withTls) {
        return base;
    }
    return {
        ...base,
        FABRIC_CA_SERVER_TLS_ENABLED: 'true',
        FABRIC_CA_SERVER_TLS_CERTFILE: path.join(tls, 'server.crt'),
        FABRIC_CA_SERVER_TLS_KEYFILE: path.join(tls, 'server.key'),
        FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS: `${host}:${ports.operations}`,
        FABRIC_CA_SERVER_OPERATIONS_TLS_ENABLED: 'true',
        FABRIC_CA_SERVER_OPERATIONS_TLS_CERT_FILE: path.join(tls, 'server.crt'),
        FABRIC_CA_SERVER_OPERATIONS_TLS_KEY_FILE: path.join(tls, 'server.key'),
        FABRIC_CA_SERVER_METRICS_PROVIDER: 'prometheus',
    };
}

/** The CA's API, optionally with enrolment credentials in the URL (fabric-ca-client takes them only there). */
export function caUrl(config: NetworkConfig, org: Org, user?: string, secret?: string): string {
    const credentials = user && secret ? `${encodeURIComponent(user)}:${encodeURIComponent(secret)}@` : '';
    return `https://${credentials}${config.listenAddress}:${caPorts(config.basePort, org).listen}`;
}

/** The TLS root the CA's own endpoint presents (its TLS CA), as the org's local tools trust it. */
export function caTlsRoot(layout: Layout, org: Org): string {
    return path.join(layout.caHome(org), 'ca-cert.pem');
}

export async function caClient(config: NetworkConfig, layout: Layout, org: Org, kind: CaKind, args: string[], home: string): Promise<string> {
    return run(layout.bin('fabric-ca-client'), [...args, '--home', home, '--tls.certfiles', caTlsRoot(layout, org), '--caname', caName(org, kind)], {
        env: { FABRIC_CA_CLIENT_HOME: home },
    });
}

/** The client home of a CA's bootstrap admin (the organisation's registrar), enrolled on first use. */
export async function ensureBootstrapEnrolled(config: NetworkConfig, layout: Layout, org: Org, kind: CaKind): Promise<string> {
    const home = path.join(layout.orgHome(org), 'registrars', kind);
    if (!fs.existsSync(path.join(home, 'msp', 'signcerts', 'cert.pem'))) {
        const secret = fs.readFileSync(bootstrapSecretFile(layout, org, kind), 'utf8');
        fs.mkdirSync(home, { recursive: true, mode: 0o700 });
        await caClient(config, layout, org, kind, ['enroll', '-u', caUrl(config, org, BOOTSTRAP, secret)], home);
    }
    return home;
}

/** The identity CA's root certificate and the TLS CA's: what the organisation's bundle publishes. */
export function caRoots(layout: Layout, org: Org): { identity: string; tls: string } {
    return {
        identity: fs.readFileSync(path.join(layout.identityCaHome(org), 'ca-cert.pem'), 'utf8'),
        tls: fs.readFileSync(caTlsRoot(layout, org), 'utf8'),
    };
}

/** Fabric's node OUs: the `OU` Fabric CA writes from the identity type says what the holder is. */
export function nodeOuConfig(caFile: string): string {
    const ou = (name: string): { Certificate: string; OrganizationalUnitIdentifier: string } => ({ Certificate: caFile, OrganizationalUnitIdentifier: name });
    return stringify({
        NodeOUs: {
            Enable: true,
            ClientOUIdentifier: ou('client'), PeerOUIdentifier: ou('peer'), AdminOUIdentifier: ou('admin'), OrdererOUIdentifier: ou('orderer'),
        },
    });
}

interface IdentitySpec {
    readonly name: IdentityName;
    /** Enrolled with the identity CA as this type (its signing identity, `msp/`); absent: TLS only. */
    readonly type?: IdentityType;
    /** Names and addresses its TLS certificate carries (`tls/`). */
    readonly hosts: readonly string[];
}

/** What the organisation enrols for itself: its admin, its nodes, and (peer organisations) its services' TLS. */
export function identitySpecs(config: NetworkConfig, org: Org, nodes: readonly OrdererNode[]): IdentitySpec[] {
    const local = [config.listenAddress, 'localhost'];
    const admin: IdentitySpec = { name: 'admin', type: 'admin', hosts: local };
    if (org.kind === 'orderer') {
        return [admin, ...nodes.filter((n) => n.org.key === org.key).map((n) => ({
            name: n.name as IdentityName, type: 'orderer' as const, hosts: [...local, `${n.name}.${org.domain}`],
        }))];
    }
    return [
        admin,
        { name: 'peer0', type: 'peer', hosts: [...local, `peer0.${org.domain}`] },
        // The chaincode server's TLS identity, and the peer's client identity towards it (apart from the peer's own).
        { name: 'chaincode', hosts: [...local, `chaincode.${org.domain}`] },
        { name: 'ccclient', hosts: [...local, `ccclient.${org.domain}`] },
    ];
}

/** Whether the organisation's CA home and every identity it enrols for itself exist already (a restart). */
export function orgIdentitiesComplete(config: NetworkConfig, layout: Layout, org: Org): boolean {
    return fs.existsSync(path.join(layout.caHome(org), '.complete'))
        && identitySpecs(config, org, layout.ordering.nodes).every((spec) => fs.existsSync(path.join(layout.identityDir(org, spec.name), '.complete')));
}

/**
 * Registers and enrols every identity of `identitySpecs` that is not on disk yet, with the organisation's running
 * CA. Each ends up as `msp/` (signcerts/cert.pem, keystore/key.pem, cacerts/ca.pem, config.yaml) and `tls/`
 * (server.crt, server.key, ca.crt), private keys mode 600. Returns the names enrolled now.
 */
export async function ensureOrgIdentities(config: NetworkConfig, layout: Layout, org: Org): Promise<string[]> {
    const made: string[] = [];
    const roots = caRoots(layout, org);
    for (const spec of identitySpecs(config, org, layout.ordering.nodes)) {
        const dir = layout.identityDir(org, spec.name);
        if (fs.existsSync(path.join(dir, '.complete'))) {
            continue;
        }
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        if (spec.type) {
            const home = await registered(config, layout, org, 'identity', enrolmentId(spec.name), spec.type);
            const enrolled = path.join(dir, '.enrol-msp');
            await caClient(config, layout, org, 'identity', ['enroll', '-u', caUrl(config, org, enrolmentId(spec.name), home.secret), '--mspdir', enrolled, '--csr.hosts', spec.hosts.join(',')], dir);
            writeMsp(layout.msp(org, spec.name), enrolled, roots);
            fs.rmSync(enrolled, { recursive: true, force: true });
        }
        const tlsHome = await registered(config, layout, org, 'tls', enrolmentId(spec.name), 'client');
        const enrolled = path.join(dir, '.enrol-tls');
        await caClient(config, layout, org, 'tls', ['enroll', '-u', caUrl(config, org, enrolmentId(spec.name), tlsHome.secret), '--mspdir', enrolled,
            '--enrollment.profile', 'tls', '--csr.hosts', spec.hosts.join(',')], dir);
        const tls = layout.tls(org, spec.name);
        fs.mkdirSync(tls, { recursive: true, mode: 0o700 });
        fs.copyFileSync(path.join(enrolled, 'signcerts', 'cert.pem'), path.join(tls, 'server.crt'));
        fs.writeFileSync(path.join(tls, 'server.key'), keyOf(enrolled), { mode: 0o600 });
        fs.writeFileSync(path.join(tls, 'ca.crt'), roots.tls);
        fs.rmSync(enrolled, { recursive: true, force: true });
        fs.writeFileSync(path.join(dir, '.complete'), '');
        made.push(spec.name);
    }
    return made;
}

/** The CA's name for an identity: `admin` is taken by each CA's bootstrap registrar. */
function enrolmentId(name: IdentityName): string {
    return name === 'admin' ? 'org-admin' : name;
}

/** Registers `name` with one of the org's CAs once; the enrolment secret is kept in the org's secrets/. */
async function registered(config: NetworkConfig, layout: Layout, org: Org, kind: CaKind, name: string, type: IdentityType): Promise<{ secret: string }> {
    const file = path.join(layout.secretsDir(org), `${caName(org, kind)}-${name}`);
    if (fs.existsSync(file)) {
        return { secret: fs.readFileSync(file, 'utf8') };
    }
    const registrar = await ensureBootstrapEnrolled(config, layout, org, kind);
    const secret = randomBytes(18).toString('base64url');
    await caClient(config, layout, org, kind, [
        'register', '-u', caUrl(config, org), '--id.name', name, '--id.secret', secret, '--id.type', type, '--id.affiliation', '',
    ], registrar);
    fs.writeFileSync(file, secret, { mode: 0o600 });
    return { secret };
}

function keyOf(enrolled: string): string {
    const keystore = path.join(enrolled, 'keystore');
    const file = fs.readdirSync(keystore).find((f) => f.endsWith('_sk'));
    if (!file) {
        throw new Error(`fabric-ca-client left no private key in ${keystore}`);
    }
    return fs.readFileSync(path.join(keystore, file), 'utf8');
}

/** A local MSP directory in Fabric's layout from what fabric-ca-client enrolled. */
function writeMsp(msp: string, enrolled: string, roots: { identity: string; tls: string }): void {
    for (const sub of ['signcerts', 'keystore', 'cacerts', 'tlscacerts']) {
        fs.mkdirSync(path.join(msp, sub), { recursive: true, mode: 0o700 });
    }
    fs.copyFileSync(path.join(enrolled, 'signcerts', 'cert.pem'), path.join(msp, 'signcerts', 'cert.pem'));
    fs.writeFileSync(path.join(msp, 'keystore', 'key.pem'), keyOf(enrolled), { mode: 0o600 });
    fs.writeFileSync(path.join(msp, 'cacerts', 'ca.pem'), roots.identity);
    fs.writeFileSync(path.join(msp, 'tlscacerts', 'tlsca.pem'), roots.tls);
    fs.writeFileSync(path.join(msp, 'config.yaml'), nodeOuConfig('cacerts/ca.pem'));
}

/** A local MSP's signing certificate and key, as the Fabric clients take them. */
export function mspFiles(msp: string): { certificate: string; key: string } {
    return { certificate: path.join(msp, 'signcerts', 'cert.pem'), key: path.join(msp, 'keystore', 'key.pem') };
}

/** The peer organisation's registrar for people (its identity CA's bootstrap admin). */
export function peopleRegistrar(config: NetworkConfig, layout: Layout, org: PeerOrg): Promise<string> {
    return ensureBootstrapEnrolled(config, layout, org, 'identity');
}
