/**
 * Changing the channel's configuration: fetch the current config block, change its JSON, and turn the difference into
 * a config update envelope (configtxlator compute_update). Every organisation whose policy governs the change signs
 * the same envelope file with its own admin, in its own step (`peer channel signconfigtx`), and one submits it
 * (`peer channel update`, which adds the submitter's signature). The envelope carries no secret: it is what
 * organisations pass between them.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { common, msp } from '@hyperledger/fabric-protos';
import type { NetworkConfig } from './config';
import { run } from './exec';
import type { Layout } from './layout';
import { ordererArgs, peerCliEnv } from './nodes';
import { CHANNEL, type PeerOrg } from './topology';

/** The channel configuration as configtxlator decodes it (only the parts this tooling reads are typed). */
export interface ChannelConfigJson {
    channel_group: {
        groups: { Application: { groups: Record<string, { values: Record<string, { value: Record<string, unknown> }> } & Record<string, unknown>> } };
    };
    sequence?: string;
}

/** A scratch directory for configtxlator's files, removed after `work`. */
async function scratch<T>(work: (file: (name: string) => string) => Promise<T>): Promise<T> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tradedocs-config-'));
    try {
        return await work((name) => path.join(dir, name));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

async function configtxlator(layout: Layout, ...args: string[]): Promise<void> {
    await run(layout.bin('configtxlator'), args);
}

// configtxlator cannot write to a socket (the child's stdout), so decoding goes through a file.
async function decode(layout: Layout, type: string, input: string, output: string): Promise<unknown> {
    await configtxlator(layout, 'proto_decode', '--type', type, '--input', input, '--output', output);
    return JSON.parse(fs.readFileSync(output, 'utf8')) as unknown;
}

/** The channel's current configuration, fetched from the ordering service by `org`'s admin. */
export async function fetchChannelConfig(config: NetworkConfig, layout: Layout, org: PeerOrg): Promise<ChannelConfigJson> {
    return scratch(async (file) => {
        await run(layout.bin('peer'), ['channel', 'fetch', 'config', file('block.pb'), '-c', CHANNEL, ...ordererArgs(config, layout)], { env: peerCliEnv(config, layout, org) });
        const block = await decode(layout, 'common.Block', file('block.pb'), file('block.json')) as { data: { data: [{ payload: { data: { config: ChannelConfigJson } } }] } };
        return block.data.data[0].payload.data.config;
    });
}

/**
 * Writes the config update envelope that turns `current` into `updated` to `target`, unsigned. Returns false (and
 * writes nothing) when they do not differ.
 */
export async function writeUpdateEnvelope(layout: Layout, current: ChannelConfigJson, updated: ChannelConfigJson, target: string): Promise<boolean> {
    if (JSON.stringify(current) === JSON.stringify(updated)) {
        return false;
    }
    await scratch(async (file) => {
        fs.writeFileSync(file('current.json'), JSON.stringify(current));
        fs.writeFileSync(file('updated.json'), JSON.stringify(updated));
        await configtxlator(layout, 'proto_encode', '--type', 'common.Config', '--input', file('current.json'), '--output', file('current.pb'));
        await configtxlator(layout, 'proto_encode', '--type', 'common.Config', '--input', file('updated.json'), '--output', file('updated.pb'));
        await configtxlator(layout, 'compute_update', '--channel_id', CHANNEL, '--original', file('current.pb'), '--updated', file('updated.pb'), '--output', file('update.pb'));
        const update = await decode(layout, 'common.ConfigUpdate', file('update.pb'), file('update.json'));
        fs.writeFileSync(file('envelope.json'), JSON.stringify({
            payload: { header: { channel_header: { channel_id: CHANNEL, type: common.HeaderType.CONFIG_UPDATE } }, data: { config_update: update } },
        }));
        fs.mkdirSync(path.dirname(target), { recursive: true });
        await configtxlator(layout, 'proto_encode', '--type', 'common.Envelope', '--input', file('envelope.json'), '--output', target);
    });
    return true;
}

/** Adds `org`'s admin signature to the envelope file (in place). */
export async function signUpdate(config: NetworkConfig, layout: Layout, org: PeerOrg, envelope: string): Promise<void> {
    await run(layout.bin('peer'), ['channel', 'signconfigtx', '-f', envelope], { env: peerCliEnv(config, layout, org) });
}

/** Submits the envelope to the ordering service as `org`'s admin (adding its signature); the orderer checks the policies. */
export async function submitUpdate(config: NetworkConfig, layout: Layout, org: PeerOrg, envelope: string): Promise<void> {
    await run(layout.bin('peer'), ['channel', 'update', '-f', envelope, '-c', CHANNEL, ...ordererArgs(config, layout)], { env: peerCliEnv(config, layout, org) });
}

/** The MSP ids that have signed the envelope so far. */
export function signersOf(envelopeFile: string): string[] {
    const envelope = common.Envelope.deserializeBinary(fs.readFileSync(envelopeFile));
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const update = common.ConfigUpdateEnvelope.deserializeBinary(payload.getData_asU8());
    return update.getSignaturesList().map((s) => {
        const header = common.SignatureHeader.deserializeBinary(s.getSignatureHeader_asU8());
        return msp.SerializedIdentity.deserializeBinary(header.getCreator_asU8()).getMspid();
    });
}
