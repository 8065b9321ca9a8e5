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
import { peerCliEnv } from './nodes';
import { waitFor } from './processes';
import { CHANNEL, ORDERER_COUNT, ORDERER_ORG, PEER_ORGS, ordererName, ordererPorts, peerPorts } from './topology';

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

export function configtx(config: NetworkConfig, layout: Layout): object {
    const ordererOrg = {
        Name: ORDERER_ORG.mspId,
        ID: ORDERER_ORG.mspId,
        MSPDir: path.join(layout.ordererOrgDir, 'msp'),
        Policies: {
            Readers: signature(`OR('${ORDERER_ORG.mspId}.member')`),
            Writers: signature(`OR('${ORDERER_ORG.mspId}.member')`),
            Admins: signature(`OR('${ORDERER_ORG.mspId}.admin')`),
        },
        OrdererEndpoints: Array.from({ length: ORDERER_COUNT }, (_, i) => `127.0.0.1:${ordererPorts(config.basePort, i).listen}`),
    };
    const peerOrgs = PEER_ORGS.map((org) => {
        const id = org.mspId;
        return {
            Name: id,
            ID: id,
            MSPDir: path.join(layout.orgDir(org), 'msp'),
            Policies: {
                Readers: signature(`OR('${id}.admin','${id}.peer','${id}.client')`),
                Writers: signature(`OR('${id}.admin','${id}.client')`),
                Admins: signature(`OR('${id}.admin')`),
                Endorsement: signature(`OR('${id}.peer')`),
            },
            // Anchor peers let the organisations' peers find each other through gossip (private data, discovery).
            AnchorPeers: [{ Host: '127.0.0.1', Port: peerPorts(config.basePort, org).listen }],
        };
    });
    return {
        Profiles: {
            TradeChannel: {
                Policies: {
                    Readers: implicit('ANY Readers'),
                    Writers: implicit('ANY Writers'),
                    Admins: implicit('MAJORITY Admins'),
                },
                // V2_0, not V3_0: at this Fabric commit V3_0 makes the peer gateway treat every channel as BFT and
                // send each transaction to all three Raft orderers, which then order it three times; the duplicates of
                // a private-data transaction stalled peers for the 60 s private-data pull threshold (see BENCHMARKS.md).
                Capabilities: { V2_0: true },
                Orderer: {
                    OrdererType: 'etcdraft',
                    EtcdRaft: {
                        Consenters: Array.from({ length: ORDERER_COUNT }, (_, i) => {
                            const tls = path.join(layout.ordererDir(ordererName(i)), 'tls', 'server.crt');
                            return { Host: '127.0.0.1', Port: ordererPorts(config.basePort, i).listen, ClientTLSCert: tls, ServerTLSCert: tls };
                        }),
                        Options: { TickInterval: '500ms', ElectionTick: 10, HeartbeatTick: 1, MaxInflightBlocks: 5, SnapshotIntervalSize: '16 MB' },
                    },
                    BatchTimeout: `${config.batchTimeoutMs}ms`,
                    BatchSize: {
                        MaxMessageCount: BATCH.maxMessageCount,
                        AbsoluteMaxBytes: BATCH.absoluteMaxBytes,
                        PreferredMaxBytes: BATCH.preferredMaxBytes,
                    },
                    Organizations: [ordererOrg],
                    Policies: {
                        Readers: implicit('ANY Readers'),
                        Writers: implicit('ANY Writers'),
                        Admins: implicit('MAJORITY Admins'),
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

function osnadminArgs(config: NetworkConfig, layout: Layout, index: number): string[] {
    return [
        '-o', `127.0.0.1:${ordererPorts(config.basePort, index).admin}`,
        '--ca-file', layout.ordererTlsCa,
        '--client-cert', path.join(layout.ordererAdminTlsDir, 'client.crt'),
        '--client-key', path.join(layout.ordererAdminTlsDir, 'client.key'),
    ];
}

interface OrdererChannelInfo { name: string; status?: string; consensusRelation?: string; height?: number }

/** The orderer's view of the trade channel, or undefined if it has not joined. */
export async function ordererChannelInfo(config: NetworkConfig, layout: Layout, index: number): Promise<OrdererChannelInfo | undefined> {
    try {
        const out = await run(layout.bin('osnadmin'), ['channel', 'list', '--channelID', CHANNEL, ...osnadminArgs(config, layout, index)]);
        const info = JSON.parse(out.slice(out.indexOf('{'))) as OrdererChannelInfo & { error?: string };
        return info.name === CHANNEL ? info : undefined;
    } catch (err) {
        if (err instanceof Error && err.message.includes('404')) {
            return undefined;
        }
        throw err;
    }
}

export async function ensureOrdererJoined(config: NetworkConfig, layout: Layout, index: number): Promise<boolean> {
    if (await ordererChannelInfo(config, layout, index)) {
        return false;
    }
    await run(layout.bin('osnadmin'), ['channel', 'join', '--channelID', CHANNEL, '--config-block', layout.genesisBlock, ...osnadminArgs(config, layout, index)]);
    return true;
}

export async function ensurePeerJoined(config: NetworkConfig, layout: Layout, org: (typeof PEER_ORGS)[number]): Promise<boolean> {
    const env = peerCliEnv(config, layout, org);
    const list = await run(layout.bin('peer'), ['channel', 'list'], { env });
    if (list.split('\n').some((line) => line.trim() === CHANNEL)) {
        return false;
    }
    await run(layout.bin('peer'), ['channel', 'join', '-b', layout.genesisBlock], { env });
    return true;
}

/** Waits until the orderers have a Raft leader and accept transactions (status active on all of them). */
export async function waitForOrderingService(config: NetworkConfig, layout: Layout, timeoutMs = 60_000): Promise<void> {
    await waitFor('the Raft orderers to form the trade channel', async () => {
        const infos = await Promise.all(Array.from({ length: ORDERER_COUNT }, (_, i) => ordererChannelInfo(config, layout, i)));
        return infos.every((info) => info?.status === 'active');
    }, timeoutMs);
}
