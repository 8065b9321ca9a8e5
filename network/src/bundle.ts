/**
 * An organisation's bundle: the public material it hands the others so they can put it on the channel and talk to
 * its nodes. Its identity CA root (who its members are), its TLS CA root (whom to trust on the wire), its anchor
 * peer or its ordering nodes (address and, for consenters, identity and TLS certificates). Never a key. One small JSON
 * file an organisation can mail; `importBundle` unpacks it into files for configtxgen and the Fabric CLIs.
 */
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NetworkConfig } from './config';
import type { IdentityName, Layout } from './layout';
import { caRoots, nodeOuConfig } from './org-ca';
import { type OrdererNode, type Org, type PeerOrg, ordererPorts, peerPorts } from './topology';

export const BUNDLE_VERSION = 1;

export interface Endpoint { readonly host: string; readonly port: number }

export interface OrgBundle {
    readonly version: typeof BUNDLE_VERSION;
    readonly key: string;
    readonly mspId: string;
    readonly name: string;
    readonly kind: 'peer' | 'orderer';
    readonly caCertificate: string;
    readonly tlsCaCertificate: string;
    /** Peer organisations: the peer other organisations' peers gossip with. */
    readonly anchorPeers: readonly Endpoint[];
    /** Ordering organisations: their nodes, with what the channel's consenter set names. */
    readonly orderers: readonly (Endpoint & { readonly name: string; readonly identityCertificate: string; readonly tlsCertificate: string })[];
}

/** The bundle of a local organisation, from its own CA roots and node certificates, with this host's address. */
export function ownBundle(config: NetworkConfig, layout: Layout, org: Org): OrgBundle {
    const roots = caRoots(layout, org);
    const host = config.listenAddress;
    const nodes = layout.ordering.nodes.filter((n) => n.org.key === org.key);
    const read = (node: OrdererNode, file: string): string => fs.readFileSync(path.join(layout.identityDir(org, node.name as IdentityName), file), 'utf8');
    return {
        version: BUNDLE_VERSION, key: org.key, mspId: org.mspId, name: org.name, kind: org.kind,
        caCertificate: roots.identity, tlsCaCertificate: roots.tls,
        anchorPeers: org.kind === 'peer' ? [{ host, port: peerPorts(config.basePort, org as PeerOrg).listen }] : [],
        orderers: nodes.map((n) => ({
            name: n.name, host, port: ordererPorts(config.basePort, n.index).listen,
            identityCertificate: read(n, path.join('msp', 'signcerts', 'cert.pem')), tlsCertificate: read(n, path.join('tls', 'server.crt')),
        })),
    };
}

/** Writes a local organisation's bundle (bundles/<org>.json) and unpacks it, like any received one. */
export function publishOwnBundle(config: NetworkConfig, layout: Layout, org: Org): void {
    const bundle = ownBundle(config, layout, org);
    fs.mkdirSync(layout.bundlesDir, { recursive: true });
    fs.writeFileSync(layout.bundleFile(org), `${JSON.stringify(bundle, null, 2)}\n`);
    importBundle(layout, org);
}

/**
 * Checks the bundle file of `org` (received from it, or our own) and unpacks it into bundles/<org>/: an MSP directory
 * (cacerts, tlscacerts, node OUs) and the consenters' certificates. A bundle that names another organisation, holds a
 * private key or a certificate that does not parse is refused with what is wrong.
 */
export function importBundle(layout: Layout, org: Org): OrgBundle {
    const file = layout.bundleFile(org);
    const text = fs.readFileSync(file, 'utf8');
    if (/PRIVATE KEY/.test(text)) {
        throw new Error(`${file} holds a private key: a bundle carries public certificates only`);
    }
    const bundle = JSON.parse(text) as OrgBundle;
    const wrong = (what: string): Error => new Error(`bundle ${file}: ${what}`);
    if (bundle.version !== BUNDLE_VERSION) {
        throw wrong(`version must be ${BUNDLE_VERSION}`);
    }
    if (bundle.key !== org.key || bundle.mspId !== org.mspId || bundle.kind !== org.kind) {
        throw wrong(`it describes ${bundle.mspId} (${bundle.key}), not ${org.mspId} (${org.key})`);
    }
    const certificates = [bundle.caCertificate, bundle.tlsCaCertificate, ...bundle.orderers.flatMap((o) => [o.identityCertificate, o.tlsCertificate])];
    for (const pem of certificates) {
        try {
            new X509Certificate(pem);
        } catch {
            throw wrong('a certificate does not parse');
        }
    }
    const endpoints = [...bundle.anchorPeers, ...bundle.orderers];
    if (endpoints.some((e) => !/^[\w.-]+$/.test(e.host) || !Number.isInteger(e.port) || e.port < 1 || e.port > 65535)) {
        throw wrong('an endpoint is not host and port');
    }
    if (org.kind === 'peer' ? bundle.anchorPeers.length === 0 : bundle.orderers.length === 0) {
        throw wrong(org.kind === 'peer' ? 'it names no anchor peer' : 'it names no orderer');
    }
    const dir = layout.bundleDir(org);
    fs.rmSync(dir, { recursive: true, force: true });
    const msp = layout.bundleMsp(org);
    fs.mkdirSync(path.join(msp, 'cacerts'), { recursive: true });
    fs.mkdirSync(path.join(msp, 'tlscacerts'), { recursive: true });
    fs.writeFileSync(layout.caCert(org), bundle.caCertificate);
    fs.writeFileSync(layout.tlsCa(org), bundle.tlsCaCertificate);
    fs.writeFileSync(path.join(msp, 'config.yaml'), nodeOuConfig('cacerts/ca.pem'));
    fs.mkdirSync(path.join(dir, 'consenters'), { recursive: true });
    for (const node of layout.ordering.nodes.filter((n) => n.org.key === org.key)) {
        const entry = bundle.orderers.find((o) => o.name === node.name);
        if (!entry) {
            throw wrong(`it does not describe ${node.name}`);
        }
        fs.writeFileSync(layout.consenterCert(node, 'identity'), entry.identityCertificate);
        fs.writeFileSync(layout.consenterCert(node, 'tls'), entry.tlsCertificate);
    }
    return bundle;
}

/** The bundle of `org` as received (or published), or undefined if we have none yet. */
export function readBundle(layout: Layout, org: Org): OrgBundle | undefined {
    const file = layout.bundleFile(org);
    return fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) as OrgBundle : undefined;
}

function required(layout: Layout, org: Org): OrgBundle {
    const bundle = readBundle(layout, org);
    if (!bundle) {
        throw new Error(`no bundle of ${org.mspId} in ${layout.bundlesDir}: it must hand over ${org.key}.json first`);
    }
    return bundle;
}

/** Where `org`'s peer is reached, as its bundle says. */
export function peerEndpoint(layout: Layout, org: PeerOrg): string {
    const anchor = required(layout, org).anchorPeers[0] as Endpoint;
    return `${anchor.host}:${anchor.port}`;
}

/** Where ordering node `node` is reached, as its organisation's bundle says. */
export function ordererEndpoint(layout: Layout, node: OrdererNode): string {
    const entry = required(layout, node.org).orderers.find((o) => o.name === node.name);
    if (!entry) {
        throw new Error(`the bundle of ${node.org.mspId} does not describe ${node.name}`);
    }
    return `${entry.host}:${entry.port}`;
}
