/**
 * The gateway's one configuration loader. Every variable is read and checked here, once, at start-up; a bad value
 * stops the process with the variable's name in the message. Network locations (peer, CA, TLS roots) are derived
 * from the network manager's own config, layout and topology so the two can never disagree.
 */
import * as path from 'node:path';
import { type NetworkConfig, loadConfig as loadNetworkConfig } from '../../network/src/config';
import { Layout } from '../../network/src/layout';
import { ALL_PEER_ORGS, CHAINCODE_NAME, CHANNEL, type PeerOrg, caPorts, gatewayPort, peerPorts } from '../../network/src/topology';

/** Everything the gateway needs to know about where it runs; see the variable table in the gateway README. */
export interface GatewayConfig {
    readonly org: PeerOrg;
    readonly host: string;
    readonly port: number;
    /** The gateway's own state: users, keys, secrets. */
    readonly dataDir: string;
    readonly logLevel: string;
    readonly channel: string;
    readonly chaincode: string;
    readonly peer: Readonly<{ address: string; tlsCaFile: string }>;
    readonly ca: Readonly<{ url: string; caName: string; tlsCaFile: string; registrarSecretFile: string }>;
    /** The network's settings and file layout: the demo users it enrolled (imported on first start), the admin and
     * Fabric tools that publish revocation lists to the channel. */
    readonly network: NetworkConfig;
    readonly networkLayout: Layout;
    /** Explicit token secret; when absent a random one is kept in the data directory. */
    readonly tokenSecret: string | undefined;
    readonly tokenTtlSeconds: number;
    readonly uploadLimitBytes: number;
    readonly jsonLimitBytes: number;
    readonly peerConcurrency: number;
    readonly peerQueue: number;
    readonly mvccRetries: number;
    /** Requests per minute per user (per client address before login). */
    readonly rateLimitPerMinute: number;
    readonly shutdownGraceMs: number;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MIB = 1024 * 1024;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
    const orgKey = env.TRADEDOCS_ORG;
    const org = ALL_PEER_ORGS.find((o) => o.key === orgKey);
    if (!org) {
        throw new Error(`TRADEDOCS_ORG=${orgKey ?? ''} must be one of ${ALL_PEER_ORGS.map((o) => o.key).join(', ')}`);
    }
    const network = loadNetworkConfig(env);
    const layout = new Layout(network);
    const logLevel = env.TRADEDOCS_GATEWAY_LOG_LEVEL || 'info';
    if (!LOG_LEVELS.includes(logLevel)) {
        throw new Error(`TRADEDOCS_GATEWAY_LOG_LEVEL=${logLevel} must be one of ${LOG_LEVELS.join(', ')}`);
    }
    const tokenSecret = env.TRADEDOCS_GATEWAY_TOKEN_SECRET || undefined;
    if (tokenSecret !== undefined && tokenSecret.length < 32) {
        throw new Error('TRADEDOCS_GATEWAY_TOKEN_SECRET must be at least 32 characters');
    }
    return {
        org,
        host: env.TRADEDOCS_GATEWAY_HOST || '127.0.0.1',
        port: integer(env, 'TRADEDOCS_GATEWAY_PORT', gatewayPort(network.gatewayBasePort, org), 0, 65535),
        dataDir: path.resolve(env.TRADEDOCS_GATEWAY_DATA_DIR || path.join(network.runDir, 'gateway', org.key)),
        logLevel,
        channel: CHANNEL,
        chaincode: CHAINCODE_NAME,
        peer: { address: `${network.listenAddress}:${peerPorts(network.basePort, org).listen}`, tlsCaFile: layout.tlsCa(org) },
        // Same CA endpoint, CA name and TLS root the network manager uses to enrol users (network/src/identities.ts).
        ca: {
            url: `https://${network.listenAddress}:${caPorts(network.basePort, org).listen}`,
            caName: `ca-${org.key}`,
            tlsCaFile: layout.tlsCa(org),
            registrarSecretFile: path.join(layout.secretsDir(org), `ca-${org.key}-bootstrap`),
        },
        network,
        networkLayout: layout,
        tokenSecret,
        tokenTtlSeconds: integer(env, 'TRADEDOCS_GATEWAY_TOKEN_TTL', 900, 60, 24 * 3600),
        uploadLimitBytes: integer(env, 'TRADEDOCS_GATEWAY_UPLOAD_LIMIT', 25 * MIB, 1, 1024 * MIB),
        jsonLimitBytes: integer(env, 'TRADEDOCS_GATEWAY_JSON_LIMIT', MIB, 1024, 64 * MIB),
        peerConcurrency: integer(env, 'TRADEDOCS_GATEWAY_PEER_CONCURRENCY', 32, 1, 10_000),
        peerQueue: integer(env, 'TRADEDOCS_GATEWAY_PEER_QUEUE', 256, 0, 100_000),
        mvccRetries: integer(env, 'TRADEDOCS_GATEWAY_MVCC_RETRIES', 3, 0, 20),
        rateLimitPerMinute: integer(env, 'TRADEDOCS_GATEWAY_RATE_LIMIT', 600, 1, 1_000_000),
        shutdownGraceMs: integer(env, 'TRADEDOCS_GATEWAY_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    };
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
    const raw = env[name];
    if (raw === undefined || raw === '') {
        return fallback;
    }
    const value = Number(raw);
    if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
        throw new Error(`${name}=${raw} must be a whole number from ${min} to ${max}`);
    }
    return value;
}
