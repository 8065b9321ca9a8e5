/**
 * How each node of the network is started: binary, arguments and environment. Every default path under
 * /var/hyperledger and every default port is overridden, so several networks can share a machine.
 */
import * as path from 'node:path';
import type { NetworkConfig } from './config';
import { healthz, httpGet, httpsGet, tcpOpen, tlsServing } from './health';
import type { Layout } from './layout';
import type { ProcessSpec } from './processes';
import { ordererEndpoint } from './bundle';
import { caServerEnv, caTlsRoot } from './org-ca';
import { type OrdererNode, type Org, type PeerOrg, caPorts, gatewayPort, ordererPorts, peerPorts } from './topology';

export function ordererSpec(config: NetworkConfig, layout: Layout, node: OrdererNode): ProcessSpec {
    const { name } = node;
    const host = config.listenAddress;
    const ports = ordererPorts(config.basePort, node.index);
    const dir = layout.ordererDir(node);
    const tls = path.join(dir, 'tls');
    const data = layout.ordererDataDir(node);
    return {
        name,
        command: layout.bin('orderer'),
        args: [],
        env: {
            FABRIC_CFG_PATH: layout.fabricConfigDir,
            // The cluster and SmartBFT chain loggers print every consenter's certificates at info; certificates stay
            // out of logs. SmartBFT's own consensus log (views, leaders) stays at info.
            FABRIC_LOGGING_SPEC: 'info:orderer.common.cluster=warning:orderer.consensus.smartbft=warning:orderer.consensus.smartbft.consensus=info',
            ORDERER_GENERAL_LISTENADDRESS: host,
            ORDERER_GENERAL_LISTENPORT: String(ports.listen),
            ORDERER_GENERAL_LOCALMSPID: node.org.mspId,
            ORDERER_GENERAL_LOCALMSPDIR: path.join(dir, 'msp'),
            ORDERER_GENERAL_BOOTSTRAPMETHOD: 'none',
            // v3.1.0 can throttle each client's broadcast rate; the REST gateways are few clients sending for many
            // people, and their own limiters bound the load, so it stays off (0) on purpose.
            ORDERER_GENERAL_THROTTLING_RATE: '0',
            ORDERER_GENERAL_TLS_ENABLED: 'true',
            ORDERER_GENERAL_TLS_CERTIFICATE: path.join(tls, 'server.crt'),
            ORDERER_GENERAL_TLS_PRIVATEKEY: path.join(tls, 'server.key'),
            ORDERER_GENERAL_TLS_ROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
            ORDERER_GENERAL_CLUSTER_CLIENTCERTIFICATE: path.join(tls, 'server.crt'),
            ORDERER_GENERAL_CLUSTER_CLIENTPRIVATEKEY: path.join(tls, 'server.key'),
            ORDERER_GENERAL_CLUSTER_ROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
            ORDERER_CHANNELPARTICIPATION_ENABLED: 'true',
            ORDERER_ADMIN_LISTENADDRESS: `${host}:${ports.admin}`,
            ORDERER_ADMIN_TLS_ENABLED: 'true',
            ORDERER_ADMIN_TLS_CERTIFICATE: path.join(tls, 'server.crt'),
            ORDERER_ADMIN_TLS_PRIVATEKEY: path.join(tls, 'server.key'),
            ORDERER_ADMIN_TLS_ROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
            ORDERER_ADMIN_TLS_CLIENTAUTHREQUIRED: 'true',
            ORDERER_ADMIN_TLS_CLIENTROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
            ORDERER_OPERATIONS_LISTENADDRESS: `${host}:${ports.operations}`,
            ORDERER_OPERATIONS_TLS_ENABLED: 'true',
            ORDERER_OPERATIONS_TLS_CERTIFICATE: path.join(tls, 'server.crt'),
            ORDERER_OPERATIONS_TLS_PRIVATEKEY: path.join(tls, 'server.key'),
            // /healthz is open; /metrics and /logspec take a client certificate from the orderer org's TLS CA.
            ORDERER_OPERATIONS_TLS_CLIENTAUTHREQUIRED: 'false',
            ORDERER_OPERATIONS_TLS_CLIENTROOTCAS: `[${path.join(tls, 'ca.crt')}]`,
            ORDERER_METRICS_PROVIDER: 'prometheus',
            ORDERER_FILELEDGER_LOCATION: path.join(data, 'ledger'),
            ORDERER_CONSENSUS_WALDIR: path.join(data, 'etcdraft', 'wal'),
            ORDERER_CONSENSUS_SNAPDIR: path.join(data, 'etcdraft', 'snapshot'),
        },
        // The operations endpoint answers before the node serves: the client and admin listeners open only once its
        // channels are initialised (seconds, for a BFT node that syncs first).
        healthy: async () => await healthz(`${host}:${ports.operations}`, path.join(tls, 'ca.crt')) && await tcpOpen(host, ports.admin),
    };
}

export function peerSpec(config: NetworkConfig, layout: Layout, org: PeerOrg): ProcessSpec {
    const ports = peerPorts(config.basePort, org);
    const dir = layout.peerDir(org);
    const tls = path.join(dir, 'tls');
    const data = layout.peerDataDir(org);
    const host = config.listenAddress;
    const address = `${host}:${ports.listen}`;
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
            CORE_PEER_CHAINCODEADDRESS: `${host}:${ports.chaincode}`,
            CORE_PEER_CHAINCODELISTENADDRESS: `${host}:${ports.chaincode}`,
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
            // Endorsing a document pushes its private value (the bytes, base64 in JSON: 22 MiB for the largest, 16 MiB)
            // to another member and waits for the ack; the default 3 s timed out on two busy cores and refused it.
            CORE_PEER_GOSSIP_PVTDATA_PUSHACKTIMEOUT: '20s',
            // One peer per organisation: each is its organisation's leader and pulls blocks from the orderers itself
            // (v3.1.0's default, stated here because BFT depends on it: block gossip would bypass the BFT deliverer).
            CORE_PEER_GOSSIP_USELEADERELECTION: 'false',
            CORE_PEER_GOSSIP_ORGLEADER: 'true',
            CORE_PEER_DELIVERYCLIENT_BLOCKGOSSIPENABLED: 'false',
            // Under BFT the peer takes blocks from one orderer and signed headers from the others, and moves to
            // another orderer when its source withholds blocks for longer than the censorship timeout.
            CORE_PEER_DELIVERYCLIENT_POLICY: 'cluster',
            CORE_PEER_DELIVERYCLIENT_BLOCKCENSORSHIPTIMEOUTKEY: '30s',
            // Proposals signed more than 15 minutes from the peer's clock are refused (v3.1.0's TimeWindowCheck
            // filter, kept): a captured signed proposal cannot be replayed later.
            CORE_PEER_AUTHENTICATION_TIMEWINDOW: '15m',
            CORE_PEER_LOCALMSPID: org.mspId,
            CORE_PEER_MSPCONFIGPATH: path.join(dir, 'msp'),
            CORE_PEER_TLS_ENABLED: 'true',
            CORE_PEER_TLS_CERT_FILE: path.join(tls, 'server.crt'),
            CORE_PEER_TLS_KEY_FILE: path.join(tls, 'server.key'),
            CORE_PEER_TLS_ROOTCERT_FILE: path.join(tls, 'ca.crt'),
            CORE_PEER_FILESYSTEMPATH: path.join(data, 'production'),
            CORE_LEDGER_SNAPSHOTS_ROOTDIR: path.join(data, 'snapshots'),
            CORE_LEDGER_STATE_STATEDATABASE: 'goleveldb',
            CORE_OPERATIONS_LISTENADDRESS: `${host}:${ports.operations}`,
            CORE_OPERATIONS_TLS_ENABLED: 'true',
            CORE_OPERATIONS_TLS_CERT_FILE: path.join(tls, 'server.crt'),
            CORE_OPERATIONS_TLS_KEY_FILE: path.join(tls, 'server.key'),
            // /healthz is open; /metrics and /logspec take a client certificate from the org's TLS CA.
            CORE_OPERATIONS_TLS_CLIENTAUTHREQUIRED: 'false',
            CORE_OPERATIONS_TLS_CLIENTROOTCAS_FILES: path.join(tls, 'ca.crt'),
            CORE_METRICS_PROVIDER: 'prometheus',
            CORE_CHAINCODE_EXTERNALBUILDERS: `[{name: ccaas_builder, path: ${layout.builderDir}}]`,
            CORE_PEER_GATEWAY_ENABLED: 'true',
            CORE_PEER_LIMITS_CONCURRENCY_GATEWAYSERVICE: String(config.peerGatewayConcurrency),
        },
        // The operations endpoint answers before the peer serves gRPC (it first opens its ledgers), and the next
        // step (peer channel list/join) dials gRPC: healthy means both.
        healthy: async () => await healthz(`${host}:${ports.operations}`, path.join(tls, 'ca.crt'))
            && await tlsServing(host, ports.listen, path.join(tls, 'ca.crt')),
    };
}

/** The organisation's Fabric CA server (its TLS CA and its identity CA; see org-ca.ts). */
export function caSpec(config: NetworkConfig, layout: Layout, org: Org): ProcessSpec {
    const ports = caPorts(config.basePort, org);
    return {
        name: `ca.${org.key}`,
        command: layout.bin('fabric-ca-server'),
        args: ['start', '--home', layout.caHome(org)],
        env: caServerEnv(config, layout, org),
        healthy: async () => (await httpsGet(`https://${config.listenAddress}:${ports.listen}/cainfo`, caTlsRoot(layout, org))).status === 200,
    };
}

export function chaincodeSpec(config: NetworkConfig, layout: Layout, org: PeerOrg, packageId: string): ProcessSpec {
    const port = peerPorts(config.basePort, org).chaincodeServer;
    const host = config.listenAddress;
    const tls = layout.tls(org, 'chaincode');
    return {
        name: `chaincode.${org.key}`,
        command: process.execPath,
        args: [
            path.join(config.repoDir, 'node_modules', 'fabric-shim', 'cli.js'), 'server',
            '--chaincode-address', `${host}:${port}`,
            '--chaincode-id', packageId,
            '--chaincode-tls-cert-file', path.join(tls, 'server.crt'),
            '--chaincode-tls-key-file', path.join(tls, 'server.key'),
            // Only the org's own peer (its `ccclient` identity, issued by the org's TLS CA) may connect.
            '--chaincode-tls-client-cacert-file', path.join(tls, 'ca.crt'),
            '--module-path', layout.chaincodeDir,
        ],
        env: {
            // The contract checks that a private-data write comes from a client of the peer's own organisation.
            CORE_PEER_LOCALMSPID: org.mspId,
            CORE_CHAINCODE_LOGGING_LEVEL: 'info',
            NODE_ENV: 'production',
            ...(config.chaincodeProbe ? { TRADEDOCS_CHAINCODE_PROBE: 'on' } : {}),
        },
        healthy: () => tcpOpen(host, port),
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
        healthy: async () => (await httpGet(`http://${config.listenAddress}:${port}/readyz`)).status === 200,
    };
}

/** Environment for the peer CLI acting as the organisation's admin against its own peer. */
export function peerCliEnv(config: NetworkConfig, layout: Layout, org: PeerOrg): Record<string, string> {
    return {
        FABRIC_CFG_PATH: layout.fabricConfigDir,
        FABRIC_LOGGING_SPEC: 'warning',
        CORE_PEER_TLS_ENABLED: 'true',
        CORE_PEER_ADDRESS: `${config.listenAddress}:${peerPorts(config.basePort, org).listen}`,
        CORE_PEER_LOCALMSPID: org.mspId,
        CORE_PEER_MSPCONFIGPATH: layout.adminMsp(org),
        CORE_PEER_TLS_ROOTCERT_FILE: layout.tlsCa(org),
    };
}

/** Peer CLI arguments for talking to an orderer (under BFT any one forwards to the leader). */
export function ordererArgs(config: NetworkConfig, layout: Layout, node = layout.firstOrderer): string[] {
    return ['-o', ordererEndpoint(layout, node), '--tls', '--cafile', layout.tlsCa(node.org)];
}
