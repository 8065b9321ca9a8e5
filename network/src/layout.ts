/**
 * Where every file of a network lives under its run directory. What an organisation owns (its CA, keys, secrets)
 * lives under `orgs/<org>/`; what it hands the others is its bundle under `bundles/` (bundle.ts). On one machine all
 * organisations share a run directory; on separate hosts each host's run directory holds only its own organisations
 * and the bundles it received.
 */
import * as path from 'node:path';
import type { NetworkConfig } from './config';
import { type OrdererNode, type OrderingService, type Org, type PeerOrg, orderingService } from './topology';

/** The identities an organisation's CA enrols for the organisation itself (people are enrolled by the gateway). */
export type IdentityName = 'admin' | 'peer0' | 'chaincode' | 'ccclient' | `orderer${number}`;

export class Layout {
    /** The ordering organisations and nodes of this network's orderer type. */
    readonly ordering: OrderingService;

    constructor(private readonly config: NetworkConfig) {
        this.ordering = orderingService(config.ordererType);
    }

    get runDir(): string { return this.config.runDir; }
    bin(name: string): string { return path.join(this.config.fabricDir, 'bin', name); }
    /** core.yaml and orderer.yaml as shipped with the Fabric build (templates). */
    get fabricSampleConfigDir(): string { return path.join(this.config.fabricDir, 'config'); }
    /** This network's core.yaml and orderer.yaml (FABRIC_CFG_PATH); see config-files.ts. */
    get fabricConfigDir(): string { return path.join(this.runDir, 'config'); }
    get builderDir(): string { return path.join(this.config.repoDir, 'network', 'ccaas-builder'); }
    get chaincodeDir(): string { return path.join(this.config.repoDir, 'chaincode'); }
    get collectionsConfig(): string { return path.join(this.config.repoDir, 'network', 'collections_config.json'); }

    get channelDir(): string { return path.join(this.runDir, 'channel'); }
    get genesisBlock(): string { return path.join(this.channelDir, 'trade.block'); }
    get logsDir(): string { return path.join(this.runDir, 'logs'); }
    get pidsDir(): string { return path.join(this.runDir, 'pids'); }

    /** The orderer CLI commands talk to first (any one forwards to the leader; see chaincode.ts ordererArgs). */
    get firstOrderer(): OrdererNode { return this.ordering.nodes[0] as OrdererNode; }

    // What an organisation owns and keeps to itself.
    orgHome(org: Org): string { return path.join(this.runDir, 'orgs', org.key); }
    /** The organisation's Fabric CA server: its default CA is the TLS CA, `ca/` below it the identity CA. */
    caHome(org: Org): string { return path.join(this.orgHome(org), 'ca'); }
    identityCaHome(org: Org): string { return path.join(this.caHome(org), 'ca'); }
    secretsDir(org: Org): string { return path.join(this.orgHome(org), 'secrets'); }
    /** An identity the CA enrolled for the organisation: `msp/` (signing) and `tls/` (server.crt, server.key, ca.crt). */
    identityDir(org: Org, name: IdentityName): string { return path.join(this.orgHome(org), 'identities', name); }
    msp(org: Org, name: IdentityName): string { return path.join(this.identityDir(org, name), 'msp'); }
    tls(org: Org, name: IdentityName): string { return path.join(this.identityDir(org, name), 'tls'); }
    adminMsp(org: Org): string { return this.msp(org, 'admin'); }
    /** The organisation's chaincode packages: their connection.json holds its peer's client key for the chaincode server. */
    packagesDir(org: PeerOrg): string { return path.join(this.orgHome(org), 'packages'); }
    /** The admin's TLS client certificate (orderer admin API, operations /metrics). */
    adminTlsDir(org: Org): string { return this.tls(org, 'admin'); }
    ordererDir(node: OrdererNode): string { return this.identityDir(node.org, node.name as IdentityName); }
    /** A node's ledger and state: the organisation's too (a peer's copy of its chaincode package holds a key). */
    ordererDataDir(node: OrdererNode): string { return path.join(this.orgHome(node.org), 'data', node.name); }
    peerDataDir(org: PeerOrg): string { return path.join(this.orgHome(org), 'data', 'peer0'); }
    peerDir(org: PeerOrg): string { return this.identityDir(org, 'peer0'); }
    /** The peer's host name, as its certificates name it. */
    peerName(org: PeerOrg): string { return `peer0.${org.domain}`; }

    // What every organisation hands the others (its own included): bundle.ts writes and imports these.
    get bundlesDir(): string { return path.join(this.runDir, 'bundles'); }
    bundleFile(org: Org): string { return path.join(this.bundlesDir, `${org.key}.json`); }
    /** The bundle unpacked into files: an MSP directory for configtxgen, certificate files for the CLIs. */
    bundleDir(org: Org): string { return path.join(this.bundlesDir, org.key); }
    bundleMsp(org: Org): string { return path.join(this.bundleDir(org), 'msp'); }
    /** The organisation's TLS root: what anyone connecting to its nodes, CA or chaincode server trusts. */
    tlsCa(org: Org): string { return path.join(this.bundleMsp(org), 'tlscacerts', 'tlsca.pem'); }
    /** The organisation's identity root: it signs the certificates of its nodes, admins and people. */
    caCert(org: Org): string { return path.join(this.bundleMsp(org), 'cacerts', 'ca.pem'); }
    consenterCert(node: OrdererNode, kind: 'identity' | 'tls'): string { return path.join(this.bundleDir(node.org), 'consenters', `${node.name}-${kind}.pem`); }

    // Each peer organisation's REST gateway: its connection profile, its data (people's sealed keys), and, apart from
    // that data, the key that seals them.
    gatewayProfileFile(org: PeerOrg): string { return path.join(this.orgHome(org), 'gateway-profile.yaml'); }
    gatewayDataDir(org: PeerOrg): string { return path.join(this.runDir, 'gateway', org.key); }
    gatewayKeyFile(org: PeerOrg): string { return path.join(this.secretsDir(org), 'gateway.kek'); }
}
