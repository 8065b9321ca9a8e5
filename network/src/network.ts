/**
 * The whole network as one object: `up` brings every missing piece up (and so repairs a half-up network),
 * `stop` stops every process and keeps the ledgers, `wipe` removes all state. Used by the CLI and by the tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ensureGenesisBlock, ensureOrdererJoined, ensurePeerJoined, waitForOrderingService } from './channel';
import { committedPackageIds, deployChaincode } from './chaincode';
import type { NetworkConfig } from './config';
import { ensureFabricConfig } from './config-files';
import { ensureCrypto } from './crypto';
import { run } from './exec';
import { ensureGatewayProfile } from './gateway-profile';
import { ensureCaHome } from './identities';
import { Layout } from './layout';
import { caSpec, gatewaySpec, ordererSpec, peerAddress, peerSpec } from './nodes';
import { type ProcessSpec, Supervisor, waitFor } from './processes';
import { tcpOpen } from './health';
import { CHAINCODE_NAME, CHANNEL, ORDERER_COUNT, PEER_ORGS, type PeerOrg, peerOrg, peerPorts } from './topology';

export interface NodeStatus { readonly name: string; readonly pid?: number; readonly healthy: boolean }

export class Network {
    readonly layout: Layout;
    readonly supervisor: Supervisor;

    constructor(readonly config: NetworkConfig, private readonly log: (line: string) => void = () => undefined) {
        this.layout = new Layout(config);
        this.supervisor = new Supervisor(config.runDir);
    }

    /** Every long-running process except the chaincode servers (whose package id comes from the deployment). */
    nodeSpecs(): ProcessSpec[] {
        return [
            ...PEER_ORGS.map((org) => caSpec(this.config, this.layout, org)),
            ...Array.from({ length: ORDERER_COUNT }, (_, i) => ordererSpec(this.config, this.layout, i)),
            ...PEER_ORGS.map((org) => peerSpec(this.config, this.layout, org)),
        ];
    }

    async up(): Promise<void> {
        const { config, layout } = this;
        fs.mkdirSync(config.runDir, { recursive: true });
        ensureFabricConfig(layout);
        if (await ensureCrypto(layout)) {
            this.log('generated crypto material (cryptogen)');
        }
        await ensureGenesisBlock(config, layout);
        for (const org of PEER_ORGS) {
            await ensureCaHome(config, layout, org);
        }
        // Start everything at once: on two cores the nodes' start-up overlaps well.
        await Promise.all(this.nodeSpecs().map(async (spec) => {
            const result = await this.supervisor.ensure(spec);
            this.log(`${spec.name} ${result}`);
        }));
        for (let i = 0; i < ORDERER_COUNT; i++) {
            if (await ensureOrdererJoined(config, layout, i)) {
                this.log(`orderer${i} joined channel ${CHANNEL}`);
            }
        }
        await waitForOrderingService(config, layout);
        for (const org of PEER_ORGS) {
            if (await ensurePeerJoined(config, layout, org)) {
                this.log(`peer0.${org.key} joined channel ${CHANNEL}`);
            }
        }
        await deployChaincode(config, layout, this.supervisor, this.log);
        await this.waitForGossip();
        await this.startGateways();
        this.log('network is up');
    }

    /** One REST gateway per organisation, after the network: each checks its peer and CA at start-up. */
    async startGateways(): Promise<void> {
        await Promise.all(PEER_ORGS.map(async (org) => {
            await ensureGatewayProfile(this.config, this.layout, org);
            const spec = gatewaySpec(this.config, this.layout, org);
            this.log(`${spec.name} ${await this.supervisor.ensure(spec)}`);
        }));
    }

    /** Redeploys the chaincode (new sequence when it changed); the ledger is kept. */
    async deploy(): Promise<void> {
        await deployChaincode(this.config, this.layout, this.supervisor, this.log);
        await this.waitForGossip();
    }

    /**
     * Waits until every peer's discovery service sees all four peers with the chaincode installed: before that,
     * endorsement plans and private data dissemination (requiredPeerCount 1) fail.
     */
    async waitForGossip(timeoutMs = 90_000): Promise<void> {
        await Promise.all(PEER_ORGS.map((org) => waitFor(`peer0.${org.key} to discover all peers with ${CHAINCODE_NAME} installed`, async () => {
            const peers = await this.discoverPeers(org);
            return peers.length === PEER_ORGS.length && peers.every((p) => p.Chaincodes?.includes(CHAINCODE_NAME));
        }, timeoutMs)));
    }

    async discoverPeers(org: PeerOrg): Promise<{ MSPID: string; Endpoint: string; Chaincodes?: string[] }[]> {
        const msp = this.layout.adminMsp(org);
        const keystore = path.join(msp, 'keystore');
        const key = fs.readdirSync(keystore)[0] ?? '';
        const out = await run(this.layout.bin('discover'), [
            '--peerTLSCA', this.layout.tlsCa(org), '--userKey', path.join(keystore, key),
            '--userCert', path.join(msp, 'signcerts', fs.readdirSync(path.join(msp, 'signcerts'))[0] ?? ''),
            '--MSP', org.mspId, 'peers', '--channel', CHANNEL, '--server', peerAddress(this.config, org),
        ]);
        return JSON.parse(out) as { MSPID: string; Endpoint: string; Chaincodes?: string[] }[];
    }

    /** The package id each organisation's chaincode server serves. */
    packageIds(): Promise<Map<PeerOrg, string>> {
        return committedPackageIds(this.config, this.layout);
    }

    async status(): Promise<NodeStatus[]> {
        const gateways = PEER_ORGS.map((org) => gatewaySpec(this.config, this.layout, org));
        const names = [...this.nodeSpecs().map((s) => s.name), ...PEER_ORGS.map((o) => `chaincode.${o.key}`), ...gateways.map((g) => g.name)];
        const specs = new Map([...this.nodeSpecs(), ...gateways].map((s) => [s.name, s]));
        return Promise.all(names.map(async (name) => {
            const pid = this.supervisor.pid(name);
            const spec = specs.get(name);
            let healthy = pid !== undefined;
            if (healthy && spec) {
                healthy = await spec.healthy().catch(() => false);
        } else if (healthy) {
            // A chaincode server is healthy when it accepts connections.
            healthy = await tcpOpen('127.0.0.1', peerPorts(this.config.basePort, peerOrg(name.split('.')[1] ?? '')).chaincodeServer);
            }
            return { name, pid, healthy };
        }));
    }

    /** Stops gateways and chaincode servers first, then peers, orderers and CAs. Leaves no process of this network behind. */
    async stop(): Promise<void> {
        const order = [
            ...PEER_ORGS.map((o) => `gateway.${o.key}`),
            ...PEER_ORGS.map((o) => `chaincode.${o.key}`),
            ...PEER_ORGS.map((o) => `peer0.${o.key}`),
            ...Array.from({ length: ORDERER_COUNT }, (_, i) => `orderer${i}`),
            ...PEER_ORGS.map((o) => `ca.${o.key}`),
        ];
        for (const group of [order.slice(0, 8), order.slice(8, 12), order.slice(12, 15), order.slice(15)]) {
            await Promise.all(group.map(async (name) => {
                if (await this.supervisor.stop(name)) {
                    this.log(`${name} stopped`);
                }
            }));
        }
        // Anything of this run directory still alive (a renamed or foreign pid file) goes too.
        for (const name of this.supervisor.running()) {
            await this.supervisor.stop(name);
        }
    }

    async wipe(): Promise<void> {
        await this.stop();
        fs.rmSync(this.config.runDir, { recursive: true, force: true });
        this.log(`removed ${this.config.runDir}`);
    }
}
