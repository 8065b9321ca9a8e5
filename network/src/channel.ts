/**
 * The `trade` channel: its genesis block (configtxgen, no system channel), joined by every orderer through the
 * channel participation API and by every peer.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { NetworkConfig } from './config';
import { run } from './exec';
import type { Layout } from './layout';
import { ordererArgs, peerCliEnv } from './nodes';
import { waitFor } from './processes';
import { type OrgBundle, readBundle } from './bundle';
import { CHANNEL, type OrdererNode, type Org, PEER_ORGS, type PeerOrg, ordererPorts } from './topology';

/**
 * Block cutting: a block is cut after BatchTimeout (config.batchTimeoutMs) or MaxMessageCount transactions, whichever
 * comes first. See BENCHMARKS.md for the sweep that chose these.
 */
export const BATCH = { maxMessageCount: 100, absoluteMaxBytes: '10 MB', preferredMaxBytes: '2 MB' };

function signature(rule: string): { Type: string; Rule: string } {
    return { Type: 'Signature', Rule: rule };
}

function implicit(rule: string): { Type: string; Rule: string } {
    return { Type: 'ImplicitMeta', Rule: rule };
}

/**
 * SmartBFT timing. Blocks are cut after RequestBatchMaxInterval (set from the same BatchTimeout knob as Raft) or
 * BatchSize.MaxMessageCount requests. A leader that stops sending heartbeats is suspected after
 * LeaderHeartbeatTimeout, and a request the leader does not order is forwarded after RequestForwardTimeout and
 * complained about after RequestComplainTimeout; both lead to a view change. The sample's minute-long heartbeat
 * timeout would stop writes for a minute whenever the leader dies; 10 s keeps false suspicions unlikely on a loaded
 * two-core machine (heartbeats every second) while a dead leader is replaced within about 15 s. SyncOnStart stays
 * off: a restarted node that first syncs (5 s or more: it also probes its own, not yet open, endpoint) starts its
 * heartbeat clock before the sync, complains about a healthy leader as soon as it is done, and in v3.1.0 then stays
 * in a sync-and-complain loop that forwards no client request (seen in the fault tests). Without it the node joins
 * the current view at once and syncs as soon as the leader's heartbeats show it is behind.
 */
export const SMARTBFT_OPTIONS = {
    RequestBatchMaxCount: BATCH.maxMessageCount,
    RequestForwardTimeout: '2s',
    RequestComplainTimeout: '10s',
    RequestAutoRemoveTimeout: '3m',
    ViewChangeResendInterval: '5s',
    ViewChangeTimeout: '20s',
    LeaderHeartbeatTimeout: '10s',
    LeaderHeartbeatCount: 10,
    CollectTimeout: '1s',
    IncomingMessageBufferSize: 200,
    RequestPoolSize: 100_000,
    SyncOnStart: false,
    SpeedUpViewChange: false,
};

/** A peer organisation's definition in the channel (configtx.yaml form): its MSP, policies and anchor peer. */
export function applicationOrg(layout: Layout, org: PeerOrg, bundle: OrgBundle): object {
    const id = org.mspId;
    return {
        Name: id,
        ID: id,
        MSPDir: layout.bundleMsp(org),
        Policies: {
            Readers: signature(`OR('${id}.admin','${id}.peer','${id}.client')`),
            Writers: signature(`OR('${id}.admin','${id}.client')`),
            Admins: signature(`OR('${id}.admin')`),
            Endorsement: signature(`OR('${id}.peer')`),
        },
        // Anchor peers let the organisations' peers find each other through gossip (private data, discovery).
        AnchorPeers: bundle.anchorPeers.map((a) => ({ Host: a.host, Port: a.port })),
    };
}

/**
 * The channel's configuration, made by the ordering organisations' admin from every organisation's bundle: MSPs,
 * anchor peers, ordering endpoints and consenters all come from what the organisations handed over.
 */
export function configtx(config: NetworkConfig, layout: Layout): object {
    const { ordering } = layout;
    const bundle = (org: Org): OrgBundle => {
        const found = readBundle(layout, org);
        if (!found) {
            throw new Error(`the channel needs ${org.mspId}'s bundle (${layout.bundleFile(org)})`);
        }
        return found;
    };
    const ordererOrgs = ordering.orgs.map((org) => ({
        Name: org.mspId,
        ID: org.mspId,
        MSPDir: layout.bundleMsp(org),
        Policies: {
            Readers: signature(`OR('${org.mspId}.member')`),
            Writers: signature(`OR('${org.mspId}.member')`),
            Admins: signature(`OR('${org.mspId}.admin')`),
        },
        // Every node is a delivery and broadcast endpoint of its own organisation (BFT wants them 1:1 with consenters).
        OrdererEndpoints: bundle(org).orderers.map((o) => `${o.host}:${o.port}`),
    }));
    const peerOrgs = PEER_ORGS.map((org) => applicationOrg(layout, org, bundle(org)));
    const consenter = (node: OrdererNode): { host: string; port: number } => {
        const entry = bundle(node.org).orderers.find((o) => o.name === node.name);
        if (!entry) {
            throw new Error(`${node.org.mspId}'s bundle does not describe ${node.name}`);
        }
        return entry;
    };
    const tlsCert = (node: OrdererNode): string => layout.consenterCert(node, 'tls');
    const consensus = ordering.type === 'raft'
        ? {
            OrdererType: 'etcdraft',
            EtcdRaft: {
                Consenters: ordering.nodes.map((n) => ({
                    Host: consenter(n).host, Port: consenter(n).port, ClientTLSCert: tlsCert(n), ServerTLSCert: tlsCert(n),
                })),
                Options: { TickInterval: '500ms', ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: '16 MB' },
            },
        }
        : {
            OrdererType: 'BFT',
            // Consenter ids are fixed for the life of the channel: node index + 1.
            ConsenterMapping: ordering.nodes.map((n) => ({
                ID: n.index + 1, Host: consenter(n).host, Port: consenter(n).port, MSPID: n.org.mspId,
                Identity: layout.consenterCert(n, 'identity'), ClientTLSCert: tlsCert(n), ServerTLSCert: tlsCert(n),
            })),
            SmartBFT: { ...SMARTBFT_OPTIONS, RequestBatchMaxInterval: `${config.batchTimeoutMs}ms` },
        };
    return {
        Profiles: {
            TradeChannel: {
                Policies: {
                    Readers: implicit('ANY Readers'),
                    Writers: implicit('ANY Writers'),
                    Admins: implicit('MAJORITY Admins'),
                },
                // V3_0: required for SmartBFT; with Raft it is safe since v3.1.0, whose peer gateway sends a
                // transaction to one Raft orderer (the 2023 snapshot broadcast it to all of them; see README).
                Capabilities: { V3_0: true },
                Orderer: {
                    ...consensus,
                    BatchTimeout: `${config.batchTimeoutMs}ms`,
                    BatchSize: {
                        MaxMessageCount: BATCH.maxMessageCount,
                        AbsoluteMaxBytes: BATCH.absoluteMaxBytes,
                        PreferredMaxBytes: BATCH.preferredMaxBytes,
                    },
                    Organizations: ordererOrgs,
                    Policies: {
                        Readers: implicit('ANY Readers'),
                        Writers: implicit('ANY Writers'),
                        Admins: implicit('MAJORITY Admins'),
                        // Under BFT configtxgen replaces this with a quorum of the consenters' signatures.
                        BlockValidation: implicit('ANY Writers'),
                    },
                    Capabilities: { V2_0: true },
                },
                Application: {
                    Organizations: peerOrgs,
                    Policies: {
                        Readers: implicit('ANY Readers'),
                        Writers: implicit('ANY Writers'),
                        Admins: implicit('MAJORITY Admins'),
                        LifecycleEndorsement: implicit('MAJORITY Endorsement'),
                        Endorsement: implicit('MAJORITY Endorsement'),
                    },
                    Capabilities: { V2_5: true },
                },
            },
        },
    };
}

/**
 * The consensus type is part of the channel and its crypto material: a run directory keeps the type it was created
 * with, and another type needs another network. Checked before anything is generated.
 */
export function ensureOrdererType(config: NetworkConfig, layout: Layout): void {
    const file = path.join(layout.runDir, 'orderer-type');
    if (!fs.existsSync(file)) {
        // Run directories from before the option existed are Raft networks.
        const created = fs.existsSync(path.join(layout.runDir, 'orgs')) ? 'raft' : config.ordererType;
        fs.mkdirSync(layout.runDir, { recursive: true });
        fs.writeFileSync(file, `${created}\n`);
    }
    const created = fs.readFileSync(file, 'utf8').trim();
    if (created !== config.ordererType) {
        throw new Error(`${layout.runDir} holds a ${created} network but TRADEDOCS_ORDERER_TYPE=${config.ordererType}: `
            + 'wipe it first (npm run wipe) or use another TRADEDOCS_RUN_DIR');
    }
}

export async function ensureGenesisBlock(config: NetworkConfig, layout: Layout): Promise<void> {
    if (fs.existsSync(layout.genesisBlock)) {
        return;
    }
    fs.mkdirSync(layout.channelDir, { recursive: true });
    fs.writeFileSync(path.join(layout.channelDir, 'configtx.yaml'), stringify(configtx(config, layout)));
    const tmp = `${layout.genesisBlock}.tmp`;
    await run(layout.bin('configtxgen'), ['-configPath', layout.channelDir, '-profile', 'TradeChannel', '-channelID', CHANNEL, '-outputBlock', tmp]);
    fs.renameSync(tmp, layout.genesisBlock);
}

/** osnadmin as the node's own organisation admin (mutual TLS with the admin's TLS certificate), on the node's host. */
function osnadminArgs(config: NetworkConfig, layout: Layout, node: OrdererNode): string[] {
    const adminTls = layout.adminTlsDir(node.org);
    return [
        '-o', `${config.listenAddress}:${ordererPorts(config.basePort, node.index).admin}`,
        '--ca-file', layout.tlsCa(node.org),
        '--client-cert', path.join(adminTls, 'server.crt'),
        '--client-key', path.join(adminTls, 'server.key'),
    ];
}

interface OrdererChannelInfo { name: string; status?: string; consensusRelation?: string; height?: number }

/** The orderer's view of the trade channel, or undefined if it has not joined. */
export async function ordererChannelInfo(config: NetworkConfig, layout: Layout, node: OrdererNode): Promise<OrdererChannelInfo | undefined> {
    try {
        const out = await run(layout.bin('osnadmin'), ['channel', 'list', '--channelID', CHANNEL, ...osnadminArgs(config, layout, node)]);
        const info = JSON.parse(out.slice(out.indexOf('{'))) as OrdererChannelInfo & { error?: string };
        return info.name === CHANNEL ? info : undefined;
    } catch (err) {
        if (err instanceof Error && err.message.includes('404')) {
            return undefined;
        }
        throw err;
    }
}

export async function ensureOrdererJoined(config: NetworkConfig, layout: Layout, node: OrdererNode): Promise<boolean> {
    if (await ordererChannelInfo(config, layout, node)) {
        return false;
    }
    await run(layout.bin('osnadmin'), ['channel', 'join', '--channelID', CHANNEL, '--config-block', layout.genesisBlock, ...osnadminArgs(config, layout, node)]);
    return true;
}

/**
 * Joins `org`'s peer to the channel with its admin. The genesis block comes from this host when the ordering admin
 * made it here, or else from the ordering service (block 0, fetched with the ordering organisations' bundles).
 */
export async function ensurePeerJoined(config: NetworkConfig, layout: Layout, org: PeerOrg): Promise<boolean> {
    const env = peerCliEnv(config, layout, org);
    const list = await run(layout.bin('peer'), ['channel', 'list'], { env });
    if (list.split('\n').some((line) => line.trim() === CHANNEL)) {
        return false;
    }
    if (!fs.existsSync(layout.genesisBlock)) {
        fs.mkdirSync(layout.channelDir, { recursive: true });
        const tmp = `${layout.genesisBlock}.fetched`;
        await waitFor('block 0 of the channel from the ordering service', async () => {
            await run(layout.bin('peer'), ['channel', 'fetch', '0', tmp, '-c', CHANNEL, ...ordererArgs(config, layout)], { env });
            return true;
        }, 60_000);
        fs.renameSync(tmp, layout.genesisBlock);
    }
    await run(layout.bin('peer'), ['channel', 'join', '-b', layout.genesisBlock], { env });
    return true;
}

/** Waits until each of `nodes` (this host's orderers) serves the trade channel as an active consenter. */
export async function waitForOrderingService(config: NetworkConfig, layout: Layout, nodes: readonly OrdererNode[], timeoutMs = 60_000): Promise<void> {
    await waitFor(`the ${layout.ordering.type} orderers to form the trade channel`, async () => {
        const infos = await Promise.all(nodes.map((n) => ordererChannelInfo(config, layout, n)));
        return infos.every((info) => info?.status === 'active');
    }, timeoutMs);
}
