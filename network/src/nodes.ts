/**
 * How each node of the network is started: binary, arguments and environment. Every default path under
 * /var/hyperledger and every default port is overridden, so several networks can share a machine.
 */
import * as path from 'node:path';
import type { NetworkConfig } from './config';
import { healthz, httpGet, httpsGet, tcpOpen } from './health';
import type { Layout } from './layout';
import type { ProcessSpec } from './processes';
import { ORDERER_ORG, type PeerOrg, caPorts, gatewayPort, ordererName, ordererPorts, peerPorts } from './topology';

const HOST = '127.0.0.1';

export function ordererSpec(config: NetworkConfig, layout: Layout, index: number): ProcessSpec {
    const name = ordererName(index);
    const ports = ordererPorts(config.basePort, index);
    const dir = layout.ordererDir(name);
    const tls = path.join(dir, 'tls');
    const data = layout.dataDir(name);
    return {
        name,
        command: layout.bin('orderer'),
        args: [],
        env: {
            FABRIC_CFG_PATH: layout.fabricConfigDir,
            // The cluster logger prints every consenter's TLS certificates at info; certificates stay out of logs.
            FABRIC_LOGGING_SPEC: 'info:orderer.common.cluster=warning',
            ORDERER_GENERAL_LISTENADDRESS: HOST,
            ORDERER_GENERAL_LISTENPORT: String(ports.listen),
            ORDERER_GENERAL_LOCALMSPID: ORDERER_ORG.mspId,
            ORDERER_GENERAL_LOCALMSPDIR: path.join(dir, 'msp'),
            ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
            ORDERER_GENERAL_TLS_ENABLED: 'true',
            ORDERER_GENERAL_TLS_CERTIFICATE: path.join(tls, 'server.crt'),
            ORDERER_GENERAL_TLS_PRIVATEKEY: path.join(tls, 'server.key'),
            ORDERER_GENERAL_TLS_ROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
            ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: path.join(tls, 'server.crt'),
            ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: path.join(tls, 'server.key'),
            ORDERER_GENERAL_CLUSTER_ROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
            ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
            ORDERER_ADMIN_LISTENADDRESS: `${HOST}:${ports.admin}`,
            ORDERER_ADMIN_TLS_ENABLED: 'true',
            ORDERER_ADMIN_TLS_CERTIFICATE: path.join(tls, 'server.crt'),
            ORDERER_ADMIN_TLS_PRIVATEKEY: path.join(tls, 'server.key'),
            ORDERER_ADMIN_TLS_ROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
            ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
            ORDERER_ADMIN_TLS_CLIENTROOTCAS: `[${layout.ordererTlsCa}]`,
            ORDERER_OPERATIONS_LISTENADDRESS: `${HOST}:${ports.operations}`,
            ORDERER_OPERATIONS_TLS_ENABLED: 'true',
            ORDERER_OPERATIONS_TLS_CERTIFICATE: path.join(tls, 'server.crt'),
            ORDERER_OPERATIONS_TLS_PRIVATEKEY: path.join(tls, 'server.key'),
            // /healthz is open; /metrics and /logspec take a client certificate from the orderer org's TLS CA.
            ORDERER_OPERATIONS_TLS_CLIENTAUTHREQUIRED: 'false',
            ORDERER_OPERATIONS_TLS_CLIENTROOTCAS: `[${layout.ordererTlsCa}]`,
            ORDERER_METRICS_PROVIDER: 'prometheus',
            ORDERER_FILELEDGER_LOCATION: path.join(data, 'ledger'),
            ORDERER_CONSENSUS_WALDIR: path.join(data, 'etcdraft', 'wal'),
            ORDERER_CONSENSUS_SNAPDIR: path.join(data, 'etcdraft', 'snapshot'),
        },
        healthy: () => healthz(`${HOST}:${ports.operations}`, layout.ordererTlsCa),
    };
}

export function peerSpec(config: NetworkConfig, layout: Layout, org: PeerOrg): ProcessSpec {
    const ports = peerPorts(config.basePort, org);
    const dir = layout.peerDir(org);
    const tls = path.join(dir, 'tls');
    const data = layout.dataDir(`peer0.${org.key}`);
    const address = `${HOST}:${ports.listen}`;
    return {
        name: `peer0.${org.key}`,
        command: layout.bin('peer'),
        args: ['node', 'start'],
        env: {
            FABRIC_CFG_PATH: layout.fabricConfigDir,
            FABRIC_LOGGING_SPEC: 'info',
            CORE_PEER_ID: layout.peerName(org),
            CORE_PEER_ADDRESS: address,
            CORE_PEER_LISTENADDRESS: address,
            CORE_PEER_CHAINCODEADDRESS: `${HOST}:${ports.chaincode}`,
            CORE_PEER_CHAINCODELISTENADDRESS: `${HOST}:${ports.chaincode}`,
            // Without an external endpoint other organisations never learn this peer, and private data does not
            // disseminate; the bootstrap is the peer itself (one peer per organisation).
            CORE_PEER_GOSSIP_EXTERNALENDPOINT: address,
            CORE_PEER_GOSSIP_BOOTSTRAP: address,
            // Peers of a restarted network come up together; the default 25 s before re-dialling an anchor peer
            // that was not up yet made every restart wait that long for gossip membership.
            CORE_PEER_GOSSIP_RECONNECTINTERVAL: '5s',
            // A peer that missed private data (it was down when the data was disseminated) asks members for it this
            // often; the default minute leaves a restarted peer's documents unreadable for that long.
            CORE_PEER_GOSSIP_PVTDATA_RECONCILESLEEPINTERVAL: '10s',
            CORE_PEER_LOCALMSPID: org.mspId,
            CORE_PEER_MSPCONFIGPATH: path.join(dir, 'msp'),
            CORE_PEER_TLS_ENABLED: 'true',
            CORE_PEER_TLS_CERT_FILE: path.join(tls, 'server.crt'),
            CORE_PEER_TLS_KEY_FILE: path.join(tls, 'server.key'),
            CORE_PEER_TLS_ROOTCERT_FILE: path.join(tls, 'ca.crt'),
            CORE_PEER_FILESYSTEMPATH: path.join(data, 'production'),
            CORE_LEDGER_SNAPSHOTS_ROOTDIR: path.join(data, 'snapshots'),
            CORE_LEDGER_STATE_STATEDATABASE: 'goleveldb',
            CORE_OPERATIONS_LISTENADDRESS: `${HOST}:${ports.operations}`,
            CORE_OPERATIONS_TLS_ENABLED: 'true',
            CORE_OPERATIONS_TLS_CERT_FILE: path.join(tls, 'server.crt'),
            CORE_OPERATIONS_TLS_KEY_FILE: path.join(tls, 'server.key'),
            // /healthz is open; /metrics and /logspec take a client certificate from the org's TLS CA.
            CORE_OPERATIONS_TLS_CLIENTAUTHREQUIRED: 'false',
            CORE_OPERATIONS_TLS_CLIENTROOTCAS_FILES: layout.tlsCa(org),
            CORE_METRICS_PROVIDER: 'prometheus',
            CORE_CHAINCODE_EXTERNALBUILDERS: `[{name: ccaas_builder, path: ${layout.builderDir}}]`,
            CORE_PEER_GATEWAY_ENABLED: 'true',
            CORE_PEER_LIMITS_CONCURRENCY_GATEWAYSERVICE: String(config.peerGatewayConcurrency),
        },
        healthy: () => healthz(`${HOST}:${ports.operations}`, layout.tlsCa(org)),
    };
}

export function caSpec(config: NetworkConfig, layout: Layout, org: PeerOrg): ProcessSpec {
    const ports = caPorts(config.basePort, org);
    const tls = layout.serviceTlsDir(org, 'ca');
    return {
        name: `ca.${org.key}`,
        command: layout.bin('fabric-ca-server'),
        args: ['start', '--home', layout.caHome(org)],
        env: caServerEnv(layout, org, ports.listen, ports.operations, tls),
        healthy: async () => (await httpsGet(`https://${HOST}:${ports.listen}/cainfo`, layout.tlsCa(org))).status === 200,
    };
}

/** Settings shared by `fabric-ca-server init` and `start`; the bootstrap password lives in the CA's own config file. */
export function caServerEnv(layout: Layout, org: PeerOrg, port: number, opsPort: number, tls: string): Record<string, string> {
    return {
        FABRIC_CA_SERVER_PORT: String(port),
        FABRIC_CA_SERVER_ADDRESS: HOST,
        FABRIC_CA_SERVER_CA_NAME: `ca-${org.key}`,
        FABRIC_CA_SERVER_CA_CERTFILE: layout.caCert(org),
        FABRIC_CA_SERVER_CA_KEYFILE: layout.caKey(org),
        FABRIC_CA_SERVER_TLS_ENABLED: 'true',
        FABRIC_CA_SERVER_TLS_CERTFILE: path.join(tls, 'server.crt'),
        FABRIC_CA_SERVER_TLS_KEYFILE: path.join(tls, 'server.key'),
        FABRIC_CA_SERVER_OPERATIONS_LISTENADDRESS: `${HOST}:${opsPort}`,
        FABRIC_CA_SERVER_OPERATIONS_TLS_ENABLED: 'true',
        FABRIC_CA_SERVER_OPERATIONS_TLS_CERT_FILE: path.join(tls, 'server.crt'),
        FABRIC_CA_SERVER_OPERATIONS_TLS_KEY_FILE: path.join(tls, 'server.key'),
        FABRIC_CA_SERVER_METRICS_PROVIDER: 'prometheus',
    };
}

export function chaincodeSpec(config: NetworkConfig, layout: Layout, org: PeerOrg, packageId: string): ProcessSpec {
    const port = peerPorts(config.basePort, org).chaincodeServer;
    const tls = layout.serviceTlsDir(org, 'chaincode');
    return {
        name: `chaincode.${org.key}`,
        command: process.execPath,
        args: [
            path.join(config.repoDir, 'node_modules', 'fabric-shim', 'cli.js'), 'server',
            '--chaincode-address', `${HOST}:${port}`,
            '--chaincode-id', packageId,
            '--chaincode-tls-cert-file', path.join(tls, 'server.crt'),
            '--chaincode-tls-key-file', path.join(tls, 'server.key'),
            // Only the org's own peer (its `ccclient` identity, issued by the org's TLS CA) may connect.
            '--chaincode-tls-client-cacert-file', layout.tlsCa(org),
            '--module-path', layout.chaincodeDir,
        ],
        env: {
            // The contract checks that a private-data write comes from a client of the peer's own organisation.
            CORE_PEER_LOCALMSPID: org.mspId,
            CORE_CHAINCODE_LOGGING_LEVEL: 'info',
            NODE_ENV: 'production',
        },
        healthy: () => tcpOpen(HOST, port),
    };
}

/**
 * The organisation's REST gateway (gateway/src/main.ts), ready when /readyz says the peer answers. Everything it
 * needs to know is in its connection profile (gateway-profile.ts); only per-process tuning passes as environment.
 */
export function gatewaySpec(config: NetworkConfig, layout: Layout, org: PeerOrg): ProcessSpec {
    const port = gatewayPort(config.gatewayBasePort, org);
    // Listen address and profile are the network's to set; the rest of the caller's TRADEDOCS_GATEWAY_* is tuning.
    const perNetwork = new Set(['TRADEDOCS_GATEWAY_PROFILE', 'TRADEDOCS_GATEWAY_PORT', 'TRADEDOCS_GATEWAY_HOST', 'TRADEDOCS_GATEWAY_BASE_PORT']);
    return {
        name: `gateway.${org.key}`,
        command: process.execPath,
        // One process (tsx as a loader, not its CLI wrapper), so the recorded pid is the one doing the work.
        args: ['--import', 'tsx', path.join('gateway', 'src', 'main.ts')],
        cwd: config.repoDir,
        env: {
            TRADEDOCS_GATEWAY_PROFILE: layout.gatewayProfileFile(org),
            NODE_ENV: 'production',
            ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('TRADEDOCS_GATEWAY_') && !perNetwork.has(e[0]) && e[1] !== undefined)),
        },
        healthy: async () => (await httpGet(`http://${HOST}:${port}/readyz`)).status === 200,
    };
}

/** Environment for the peer CLI acting as the organisation's admin against its own peer. */
export function peerCliEnv(config: NetworkConfig, layout: Layout, org: PeerOrg): Record<string, string> {
    return {
        FABRIC_CFG_PATH: layout.fabricConfigDir,
        FABRIC_LOGGING_SPEC: 'warning',
        CORE_PEER_TLS_ENABLED: 'true',
        CORE_PEER_ADDRESS: `${HOST}:${peerPorts(config.basePort, org).listen}`,
        CORE_PEER_LOCALMSPID: org.mspId,
        CORE_PEER_MSPCONFIGPATH: layout.adminMsp(org),
        CORE_PEER_TLS_ROOTCERT_FILE: layout.tlsCa(org),
    };
}

export function ordererAddress(config: NetworkConfig, index = 0): string {
    return `${HOST}:${ordererPorts(config.basePort, index).listen}`;
}

export function peerAddress(config: NetworkConfig, org: PeerOrg): string {
    return `${HOST}:${peerPorts(config.basePort, org).listen}`;
}
