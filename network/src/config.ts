/**
 * The one place the network's settings are read from the environment. Parsed and checked once; a bad value stops
 * start-up with the variable's name in the message.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ORDERER_TYPES, type OrdererType } from './topology';

export interface NetworkConfig {
    /** Root of the repository (chaincode sources, builder scripts). */
    readonly repoDir: string;
    /** All state of this network: crypto, ledgers, logs, pids. Git-ignored. */
    readonly runDir: string;
    /** Every port is derived from this one; see topology.ts. */
    readonly basePort: number;
    /** Directory with bin/ (Fabric and Fabric CA binaries) and config/ (core.yaml, orderer.yaml). */
    readonly fabricDir: string;
    /** The organisations' REST gateways listen on this + 1..4 (default 3000: 3001 exporter ... 3004 bank). */
    readonly gatewayBasePort: number;
    /** The orderers cut a block after this long (or 100 transactions); only read when the channel is created. */
    readonly batchTimeoutMs: number;
    /** Requests each peer's gateway service runs at once (Fabric's peer.limits.concurrency.gatewayService). */
    readonly peerGatewayConcurrency: number;
    /** Raft or SmartBFT ordering; fixed when the channel is created (see Network.up). */
    readonly ordererType: OrdererType;
    /**
     * The address this host's nodes listen on and advertise (TRADEDOCS_LISTEN, default 127.0.0.1); it is also in their
     * TLS certificates. Other organisations' addresses come from their bundles.
     */
    readonly listenAddress: string;
    /**
     * The organisations whose part runs on this host (TRADEDOCS_ORGS, comma-separated keys; default every one, the
     * single-machine network of `npm start`).
     */
    readonly localOrgs: readonly string[] | 'all';
    /**
     * Whether the chaincode servers also serve the probe contract (TRADEDOCS_CHAINCODE_PROBE=on): raw writes for the
     * network and fault suites' self-checks. Only their test networks turn it on; a production chaincode offers no
     * write outside the trade contracts' permission table.
     */
    readonly chaincodeProbe: boolean;
}

export const DEFAULT_BASE_PORT = 7000;
export const DEFAULT_GATEWAY_BASE_PORT = 3000;

export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Partial<NetworkConfig> = {}): NetworkConfig {
    const repoDir = path.resolve(__dirname, '..', '..');
    const runDir = path.resolve(overrides.runDir ?? env.TRADEDOCS_RUN_DIR ?? path.join(repoDir, '.run', 'dev'));
    const basePort = overrides.basePort ?? parsePort('TRADEDOCS_BASE_PORT', env.TRADEDOCS_BASE_PORT, DEFAULT_BASE_PORT);
    const fabricDir = overrides.fabricDir ?? env.TRADEDOCS_FABRIC_DIR;
    if (!fabricDir) {
        throw new Error('TRADEDOCS_FABRIC_DIR is not set: run scripts/build-fabric.sh and pass the directory it prints');
    }
    if (!fs.existsSync(path.join(fabricDir, 'bin', 'peer'))) {
        throw new Error(`TRADEDOCS_FABRIC_DIR=${fabricDir} holds no bin/peer: run scripts/build-fabric.sh`);
    }
    const gatewayBasePort = overrides.gatewayBasePort
        ?? parsePort('TRADEDOCS_GATEWAY_BASE_PORT', env.TRADEDOCS_GATEWAY_BASE_PORT, DEFAULT_GATEWAY_BASE_PORT);
    return {
        repoDir, runDir, basePort, fabricDir: path.resolve(fabricDir), gatewayBasePort,
        batchTimeoutMs: overrides.batchTimeoutMs ?? parseInteger('TRADEDOCS_BATCH_TIMEOUT_MS', env.TRADEDOCS_BATCH_TIMEOUT_MS, 250, 50, 10_000),
        peerGatewayConcurrency: overrides.peerGatewayConcurrency
            ?? parseInteger('TRADEDOCS_PEER_GATEWAY_CONCURRENCY', env.TRADEDOCS_PEER_GATEWAY_CONCURRENCY, 500, 1, 100_000),
        ordererType: overrides.ordererType ?? parseOrdererType(env.TRADEDOCS_ORDERER_TYPE),
        listenAddress: overrides.listenAddress ?? parseAddress('TRADEDOCS_LISTEN', env.TRADEDOCS_LISTEN),
        localOrgs: overrides.localOrgs ?? parseOrgList('TRADEDOCS_ORGS', env.TRADEDOCS_ORGS),
        chaincodeProbe: overrides.chaincodeProbe ?? parseSwitch('TRADEDOCS_CHAINCODE_PROBE', env.TRADEDOCS_CHAINCODE_PROBE),
    };
}

function parseSwitch(name: string, value: string | undefined): boolean {
    if (value === undefined || value === '' || value === 'off') {
        return false;
    }
    if (value === 'on') {
        return true;
    }
    throw new Error(`${name}=${value} must be on or off`);
}

function parseInteger(name: string, value: string | undefined, fallback: number, min: number, max: number): number {
    if (value === undefined || value === '') {
        return fallback;
    }
    const parsed = Number(value);
    if (!/^\d+$/.test(value) || parsed < min || parsed > max) {
        throw new Error(`${name}=${value} must be a whole number from ${min} to ${max}`);
    }
    return parsed;
}

function parseAddress(name: string, value: string | undefined): string {
    if (value === undefined || value === '') {
        return '127.0.0.1';
    }
    // An IPv4 address: it goes into certificates' SANs and peers' advertised endpoints as is.
    if (!/^(\d{1,3})(\.\d{1,3}){3}$/.test(value) || value.split('.').some((part) => Number(part) > 255)) {
        throw new Error(`${name}=${value} must be an IPv4 address of this host`);
    }
    return value;
}

function parseOrgList(name: string, value: string | undefined): readonly string[] | 'all' {
    if (value === undefined || value === '' || value === 'all') {
        return 'all';
    }
    const keys = value.split(',').map((k) => k.trim());
    if (keys.some((k) => !/^[a-z][a-z0-9]*$/.test(k))) {
        throw new Error(`${name}=${value} must be a comma-separated list of organisation keys (e.g. exporter,carrier)`);
    }
    return keys;
}

function parseOrdererType(value: string | undefined): OrdererType {
    if (value === undefined || value === '') {
        return 'raft';
    }
    const type = ORDERER_TYPES.find((t) => t === value);
    if (!type) {
        throw new Error(`TRADEDOCS_ORDERER_TYPE=${value} must be one of ${ORDERER_TYPES.join(', ')}`);
    }
    return type;
}

function parsePort(name: string, value: string | undefined, fallback: number): number {
    if (value === undefined || value === '') {
        return fallback;
    }
    const port = Number(value);
    // The highest derived port is base + 340.
    if (!Number.isInteger(port) || port < 1024 || port > 65535 - 400) {
        throw new Error(`${name}=${value} is not a port between 1024 and ${65535 - 400}`);
    }
    return port;
}
