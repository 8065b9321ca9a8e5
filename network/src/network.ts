/**
 * The organisations of this host as one object. On one machine (`npm start`) that is the whole consortium; on a
 * host of its own, one organisation's part. `up` runs every step this host can take, each idempotent (so it also
 * repairs a half-up network): each organisation's CA, identities and bundle; the channel, when the ordering admin is
 * here and every bundle has arrived; orderers and peers, joined; the chaincode installed and approved by each
 * organisation, committed once a majority approved; chaincode servers and gateways. `stop` stops every process and
 * keeps the ledgers, `wipe` removes all state. Used by the CLI and by the tests.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { importBundle, peerEndpoint, publishOwnBundle, readBundle } from './bundle';
import { ensureGenesisBlock, ensureOrdererJoined, ensureOrdererType, ensurePeerJoined, waitForOrderingService } from './channel';
import { type DeployOutcome, committedPackageIds, deployChaincode } from './chaincode';
import type { NetworkConfig } from './config';
import { ensureFabricConfig } from './config-files';
import { run } from './exec';
import { tcpOpen } from './health';
import { ensureGatewayProfile } from './gateway-profile';
import { Layout } from './layout';
import { caSpec, gatewaySpec, ordererSpec, peerCliEnv, peerSpec } from './nodes';
import { ensureCaHome, ensureOrgIdentities, mspFiles, orgIdentitiesComplete } from './org-ca';
import { type ProcessSpec, Supervisor, waitFor } from './processes';
import { type AdmissionStep, admissionFile, admit } from './membership';
import { ALL_PEER_ORGS, CHAINCODE_NAME, CHANNEL, JOINING_ORGS, type OrdererNode, type Org, PEER_ORGS, type PeerOrg, peerPorts } from './topology';

export interface NodeStatus { readonly name: string; readonly pid?: number; readonly healthy: boolean }

export class Network {
    readonly layout: Layout;
    readonly supervisor: Supervisor;

    constructor(readonly config: NetworkConfig, private readonly log: (line: string) => void = () => undefined) {
        this.layout = new Layout(config);
        this.supervisor = new Supervisor(config.runDir);
        const known = this.allOrgs().map((o) => o.key);
        const unknown = config.localOrgs === 'all' ? [] : config.localOrgs.filter((k) => !known.includes(k));
        if (unknown.length > 0) {
            throw new Error(`unknown organisation ${unknown.join(', ')}: with ${config.ordererType} ordering the organisations are ${known.join(', ')}`);
        }
    }

    /** Every organisation there can be: the ordering organisations of this orderer type, the founders, the joiners. */
    allOrgs(): Org[] {
        return [...this.layout.ordering.orgs, ...ALL_PEER_ORGS];
    }

    /** The organisations in the channel's genesis block: ordering organisations and founding peer organisations. */
    foundingOrgs(): Org[] {
        return [...this.layout.ordering.orgs, ...PEER_ORGS];
    }

    /**
     * The organisations whose part runs on this host: those named, or (by default) every founding organisation. An
     * organisation that joins later (the supervisor) runs only where it is named.
     */
    localOrgs(): Org[] {
        const { localOrgs } = this.config;
        return localOrgs === 'all' ? this.foundingOrgs() : this.allOrgs().filter((o) => localOrgs.includes(o.key));
    }

    localPeerOrgs(): PeerOrg[] {
        return this.localOrgs().filter((o): o is PeerOrg => o.kind === 'peer');
    }

    localOrderers(): OrdererNode[] {
        const local = new Set(this.localOrgs().map((o) => o.key));
        return this.layout.ordering.nodes.filter((n) => local.has(n.org.key));
    }

    private get everythingLocal(): boolean {
        return this.foundingOrgs().every((o) => this.localOrgs().includes(o));
    }

    /**
     * On the single-machine network (`npm start`, every organisation here) the organisations that join later run
     * here too, each as a host part of its own, after the founders: admitted through the same channel update a real
     * joining organisation goes through (`channel add-org`), so that path runs on every start.
     */
    joiningHosts(): Network[] {
        return this.config.localOrgs === 'all'
            ? JOINING_ORGS.map((org) => new Network({ ...this.config, localOrgs: [org.key] }, (line) => this.log(`[${org.key}] ${line}`)))
            : [];
    }

    /** Joining organisations of this machine whose peer was ever brought up (admitted to the channel before). */
    private admittedHosts(): Network[] {
        return this.joiningHosts().filter((host) => host.localPeerOrgs().every((org) => fs.existsSync(host.layout.peerDataDir(org))));
    }

    /**
     * This host's part in admitting `newcomer` (an organisation that joins the running channel): its members
     * propose, sign, and submit once a majority signed. The newcomer's bundle must be in bundles/.
     */
    async admit(newcomer: PeerOrg): Promise<AdmissionStep> {
        const members = this.localPeerOrgs().filter((o) => PEER_ORGS.includes(o));
        const outcome = await admit(this.config, this.layout, members, newcomer, this.log);
        if (outcome.step === 'signed') {
            this.log(`the admission of ${newcomer.mspId} has ${outcome.signers.length} of the ${outcome.required} signatures it needs: `
                + `hand ${admissionFile(this.layout, newcomer)} to another member's host and run channel add-org ${newcomer.key} there`);
        }
        return outcome.step;
    }

    /** Every long-running process of this host except chaincode servers and gateways. */
    nodeSpecs(): ProcessSpec[] {
        return [
            ...this.localOrgs().map((org) => caSpec(this.config, this.layout, org)),
            ...this.localOrderers().map((node) => ordererSpec(this.config, this.layout, node)),
            ...this.localPeerOrgs().map((org) => peerSpec(this.config, this.layout, org)),
        ];
    }

    /**
     * Each local organisation's own CA (created and started), the identities it enrols for itself, and its bundle
     * (bundles/<org>.json), the only thing it hands the others.
     */
    async initOrgs(): Promise<void> {
        const { config, layout } = this;
        if (fs.existsSync(path.join(config.runDir, 'crypto'))) {
            throw new Error(`${config.runDir} was made by an older tradedocs (every key from cryptogen in one place): `
                + 'wipe it (npm run wipe) to let each organisation\'s CA issue its own');
        }
        ensureOrdererType(config, layout);
        ensureFabricConfig(layout);
        await Promise.all(this.localOrgs().map(async (org) => {
            // On a restart nothing needs the CA yet: it starts with the other nodes.
            if (!orgIdentitiesComplete(config, layout, org) || !readBundle(layout, org)) {
                await ensureCaHome(config, layout, org);
                this.log(`ca.${org.key} ${await this.supervisor.ensure(caSpec(config, layout, org))}`);
            }
            const made = await ensureOrgIdentities(config, layout, org);
            if (made.length > 0) {
                this.log(`${org.mspId}: its CA issued ${made.join(', ')}`);
            }
            publishOwnBundle(config, layout, org);
        }));
        // Bundles received from the other organisations (copied into bundles/) are checked and unpacked.
        const local = new Set(this.localOrgs().map((o) => o.key));
        for (const org of this.allOrgs().filter((o) => !local.has(o.key) && fs.existsSync(layout.bundleFile(o)))) {
            importBundle(layout, org);
        }
    }

    /** The bundles this host still lacks to create the channel (every founding organisation's). */
    missingBundles(): Org[] {
        return this.foundingOrgs().filter((o) => !readBundle(this.layout, o));
    }

    async up(): Promise<void> {
        const { config, layout } = this;
        await this.initOrgs();
        const orderers = this.localOrderers();
        if (orderers.length > 0 && !fs.existsSync(layout.genesisBlock)) {
            const missing = this.missingBundles();
            if (missing.length > 0) {
                throw new Error(`the channel needs every organisation's bundle; missing: ${missing.map((o) => layout.bundleFile(o)).join(', ')}`);
            }
            await ensureGenesisBlock(config, layout);
            this.log(`created the genesis block of ${CHANNEL} from ${this.foundingOrgs().length} bundles`);
        }
        // Start the nodes at once: on two cores their start-up overlaps well.
        await Promise.all(this.nodeSpecs().map(async (spec) => {
            const result = await this.supervisor.ensure(spec);
            this.log(`${spec.name} ${result}`);
        }));
        for (const node of orderers) {
            if (await ensureOrdererJoined(config, layout, node)) {
                this.log(`${node.name} (${node.org.mspId}) joined channel ${CHANNEL}`);
            }
        }
        if (orderers.length > 0) {
            await waitForOrderingService(config, layout, orderers);
        }
        const peerOrgs = this.localPeerOrgs();
        if (peerOrgs.length === 0) {
            this.log('ordering service is up');
            return;
        }
        for (const org of peerOrgs) {
            if (await ensurePeerJoined(config, layout, org)) {
                this.log(`peer0.${org.key} joined channel ${CHANNEL}`);
            }
        }
        // A peer that joined a running channel replays it from block 0; until it has the block that admitted its
        // organisation it refuses the organisation's own admin ("creator org unknown"), so deploying waits for that.
        await Promise.all(peerOrgs.map((org) => waitFor(`peer0.${org.key} to accept ${org.mspId}'s admin on ${CHANNEL}`,
            () => run(layout.bin('peer'), ['channel', 'getinfo', '-c', CHANNEL], { env: peerCliEnv(config, layout, org) }).then(() => true, () => false), 120_000)));
        // Deploy also waits for gossip, when the whole consortium is here and the chaincode committed.
        const deployed = await this.deployLocal();
        await this.startGateways();
        if (deployed.committed) {
            await this.upJoining();
        }
        this.log(deployed.committed ? 'network is up' : `up; the chaincode waits for approvals of ${deployed.waitingFor.join(', ')}`);
    }

    /**
     * Each joining organisation of this machine: its CA, identities and bundle; admitted by the founders' majority
     * (nothing to do once it is a member); then its peer, joined from block 0, its approval of the chaincode, its
     * chaincode server and gateway. Ends when the founders' peers and its own see each other.
     */
    private async upJoining(): Promise<void> {
        for (const host of this.joiningHosts()) {
            const [newcomer] = host.localPeerOrgs() as [PeerOrg];
            await host.initOrgs();
            const step = await this.admit(newcomer);
            if (step === 'signed') {
                throw new Error(`${newcomer.mspId} was not admitted: this machine's members could not make a majority`);
            }
            await host.up();
            const everyone = [...PEER_ORGS, newcomer];
            await Promise.all([this.waitForGossip(90_000, everyone), host.waitForGossip(90_000, everyone)]);
        }
    }

    /**
     * One REST gateway per local peer organisation, after the network: each is started from the connection profile
     * written for it here and checks its peer and CA itself.
     */
    async startGateways(): Promise<void> {
        await Promise.all(this.localPeerOrgs().map(async (org) => {
            await ensureGatewayProfile(this.config, this.layout, org);
            const spec = gatewaySpec(this.config, this.layout, org);
            this.log(`${spec.name} ${await this.supervisor.ensure(spec)}`);
        }));
    }

    /**
     * Installs, approves and (with a majority) commits the current chaincode for the local organisations; keeps the
     * ledger. Joining organisations already admitted here approve it too (a peer runs only a definition its
     * organisation approved).
     */
    async deploy(): Promise<DeployOutcome> {
        const outcome = await this.deployLocal();
        for (const host of this.admittedHosts()) {
            await host.deploy();
        }
        return outcome;
    }

    private async deployLocal(): Promise<DeployOutcome> {
        const outcome = await deployChaincode(this.config, this.layout, this.supervisor, this.localPeerOrgs(), this.log);
        if (outcome.committed && this.everythingLocal) {
            await this.waitForGossip();
        }
        return outcome;
    }

    /**
     * Waits until each local peer's discovery service sees `expected` peers with the chaincode installed (default:
     * all): before that, endorsement plans and private data dissemination (requiredPeerCount 1) fail.
     */
    async waitForGossip(timeoutMs = 90_000, expected: readonly PeerOrg[] = PEER_ORGS): Promise<void> {
        await Promise.all(this.localPeerOrgs().map((org) => waitFor(`peer0.${org.key} to discover ${expected.map((o) => o.key).join(', ')} with ${CHAINCODE_NAME} installed`, async () => {
            const peers = await this.discoverPeers(org);
            return expected.every((o) => peers.some((p) => p.MSPID === o.mspId && p.Chaincodes?.includes(CHAINCODE_NAME)));
        }, timeoutMs)));
    }

    /** The channel's peers as `org`'s peer discovers them, asked by `org`'s admin. */
    async discoverPeers(org: PeerOrg): Promise<{ MSPID: string; Endpoint: string; Chaincodes?: string[] }[]> {
        const { certificate, key } = mspFiles(this.layout.adminMsp(org));
        const out = await run(this.layout.bin('discover'), [
            '--peerTLSCA', this.layout.tlsCa(org), '--userKey', key, '--userCert', certificate,
            '--MSP', org.mspId, 'peers', '--channel', CHANNEL, '--server', peerEndpoint(this.layout, org),
        ]);
        return JSON.parse(out) as { MSPID: string; Endpoint: string; Chaincodes?: string[] }[];
    }

    /** The package id each local organisation's chaincode server serves. */
    packageIds(): Promise<Map<PeerOrg, string>> {
        return committedPackageIds(this.config, this.layout, this.localPeerOrgs());
    }

    async status(): Promise<NodeStatus[]> {
        const own = await this.ownStatus();
        const joined = await Promise.all(this.admittedHosts().map((host) => host.ownStatus()));
        return [...own, ...joined.flat()];
    }

    private async ownStatus(): Promise<NodeStatus[]> {
        const peerOrgs = this.localPeerOrgs();
        const gateways = peerOrgs.map((org) => gatewaySpec(this.config, this.layout, org));
        const specs = new Map([...this.nodeSpecs(), ...gateways].map((s) => [s.name, s]));
        const chaincodeServers = new Map(peerOrgs.map((o) => [`chaincode.${o.key}`, o]));
        const names = [...this.nodeSpecs().map((s) => s.name), ...chaincodeServers.keys(), ...gateways.map((g) => g.name)];
        return Promise.all(names.map(async (name) => {
            const pid = this.supervisor.pid(name);
            const spec = specs.get(name);
            const server = chaincodeServers.get(name);
            let healthy = pid !== undefined;
            if (healthy && spec) {
                healthy = await spec.healthy().catch(() => false);
            } else if (healthy && server) {
                // A chaincode server is healthy when it accepts connections.
                healthy = await tcpOpen(this.config.listenAddress, peerPorts(this.config.basePort, server).chaincodeServer);
            }
            return { name, pid, healthy };
        }));
    }

    /**
     * Stops gateways and chaincode servers first, then peers, orderers and CAs, the joining organisations' parts
     * before the founders'. Leaves no process of this host behind (`sweep`: also whatever else of the run directory
     * is alive; not when a joining part is stopped before the rest).
     */
    async stop(sweep = true): Promise<void> {
        for (const host of this.joiningHosts()) {
            await host.stop(false);
        }
        const peerOrgs = this.localPeerOrgs();
        const groups = [
            [...peerOrgs.map((o) => `gateway.${o.key}`), ...peerOrgs.map((o) => `chaincode.${o.key}`)],
            peerOrgs.map((o) => `peer0.${o.key}`),
            this.localOrderers().map((n) => n.name),
            this.localOrgs().map((o) => `ca.${o.key}`),
        ];
        for (const group of groups) {
            await Promise.all(group.map(async (name) => {
                if (await this.supervisor.stop(name)) {
                    this.log(`${name} stopped`);
                }
            }));
        }
        // Anything of this run directory still alive (a renamed or foreign pid file) goes too.
        for (const name of sweep ? this.supervisor.running() : []) {
            await this.supervisor.stop(name);
        }
    }

    async wipe(): Promise<void> {
        await this.stop();
        fs.rmSync(this.config.runDir, { recursive: true, force: true });
        this.log(`removed ${this.config.runDir}`);
    }
}
