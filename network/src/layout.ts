/** Where every file of a network lives under its run directory. */
import * as path from 'node:path';
import type { NetworkConfig } from './config';
import { ORDERER_ORG, type PeerOrg } from './topology';

export class Layout {
    constructor(private readonly config: NetworkConfig) {}

    get runDir(): string { return this.config.runDir; }
    bin(name: string): string { return path.join(this.config.fabricDir, 'bin', name); }
    /** core.yaml and orderer.yaml as shipped with the Fabric build (templates). */
    get fabricSampleConfigDir(): string { return path.join(this.config.fabricDir, 'config'); }
    /** This network's core.yaml and orderer.yaml (FABRIC_CFG_PATH); see config-files.ts. */
    get fabricConfigDir(): string { return path.join(this.runDir, 'config'); }
    get builderDir(): string { return path.join(this.config.repoDir, 'network', 'ccaas-builder'); }
    get chaincodeDir(): string { return path.join(this.config.repoDir, 'chaincode'); }
    get collectionsConfig(): string { return path.join(this.config.repoDir, 'network', 'collections_config.json'); }

    get cryptoDir(): string { return path.join(this.runDir, 'crypto'); }
    get channelDir(): string { return path.join(this.runDir, 'channel'); }
    get genesisBlock(): string { return path.join(this.channelDir, 'trade.block'); }
    get logsDir(): string { return path.join(this.runDir, 'logs'); }
    get pidsDir(): string { return path.join(this.runDir, 'pids'); }
    get packagesDir(): string { return path.join(this.runDir, 'packages'); }
    get usersDir(): string { return path.join(this.runDir, 'users'); }
    dataDir(node: string): string { return path.join(this.runDir, 'data', node); }

    // Orderer organisation (cryptogen).
    get ordererOrgDir(): string { return path.join(this.cryptoDir, 'ordererOrganizations', ORDERER_ORG.domain); }
    ordererDir(name: string): string { return path.join(this.ordererOrgDir, 'orderers', `${name}.${ORDERER_ORG.domain}`); }
    get ordererTlsCa(): string { return path.join(this.ordererOrgDir, 'tlsca', `tlsca.${ORDERER_ORG.domain}-cert.pem`); }
    get ordererAdminTlsDir(): string { return path.join(this.ordererOrgDir, 'users', `Admin@${ORDERER_ORG.domain}`, 'tls'); }

    // Peer organisations (cryptogen; user identities come from each org's Fabric CA).
    orgDir(org: PeerOrg): string { return path.join(this.cryptoDir, 'peerOrganizations', org.domain); }
    peerName(org: PeerOrg): string { return `peer0.${org.domain}`; }
    peerDir(org: PeerOrg): string { return path.join(this.orgDir(org), 'peers', this.peerName(org)); }
    tlsCa(org: PeerOrg): string { return path.join(this.orgDir(org), 'tlsca', `tlsca.${org.domain}-cert.pem`); }
    caCert(org: PeerOrg): string { return path.join(this.orgDir(org), 'ca', `ca.${org.domain}-cert.pem`); }
    caKey(org: PeerOrg): string { return path.join(this.orgDir(org), 'ca', 'priv_sk'); }
    adminMsp(org: PeerOrg): string { return path.join(this.orgDir(org), 'users', `Admin@${org.domain}`, 'msp'); }
    /** TLS server identities cryptogen makes for the org's CA and chaincode server, and the peer's client identity towards its chaincode server. */
    serviceTlsDir(org: PeerOrg, service: 'ca' | 'chaincode' | 'ccclient'): string {
        return path.join(this.orgDir(org), 'peers', `${service}.${org.domain}`, 'tls');
    }
    caHome(org: PeerOrg): string { return path.join(this.runDir, 'ca', org.key); }

    // Each organisation's REST gateway: its connection profile, its data (sealed keys), and apart from that data the
    // key that seals them.
    gatewayProfileFile(org: PeerOrg): string { return path.join(this.runDir, 'gateway-profiles', `${org.key}.yaml`); }
    gatewayDataDir(org: PeerOrg): string { return path.join(this.runDir, 'gateway', org.key); }
    gatewayKeyFile(org: PeerOrg): string { return path.join(this.runDir, 'secrets', `gateway-${org.key}.kek`); }
}
