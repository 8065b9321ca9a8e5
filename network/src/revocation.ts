/**
 * Puts an organisation's certificate revocation list into the channel configuration (its MSP's revocation_list), so
 * that every peer and orderer refuses the revoked certificates, not only the REST gateway. A channel configuration
 * update signed by the organisation's admin: its own MSP definition is governed by its own Admins policy.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NetworkConfig } from './config';
import { run } from './exec';
import type { Layout } from './layout';
import { ordererArgs, peerCliEnv } from './nodes';
import { CHANNEL, type PeerOrg } from './topology';

interface MspValue { value: { config: { revocation_list?: string[] } } }
interface ChannelConfig { channel_group: { groups: { Application: { groups: Record<string, { values: { MSP: MspValue } }> } } } }

/**
 * Makes `crlBase64` (a PEM CRL, base64 as the Fabric CA hands it out) the organisation's revocation list on the
 * channel. Returns false when the channel already carries exactly this list.
 */
export async function publishRevocationList(config: NetworkConfig, layout: Layout, org: PeerOrg, crlBase64: string): Promise<boolean> {
    const env = peerCliEnv(config, layout, org);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tradedocs-crl-${org.key}-`));
    const file = (name: string): string => path.join(dir, name);
    const tool = async (...args: string[]): Promise<void> => { await run(layout.bin('configtxlator'), args); };
    // configtxlator cannot write to a socket (the child's stdout), so decoding goes through a file.
    const decode = async (type: string, input: string): Promise<unknown> => {
        await tool('proto_decode', '--type', type, '--input', input, '--output', file('decoded.json'));
        return JSON.parse(fs.readFileSync(file('decoded.json'), 'utf8')) as unknown;
    };
    try {
        await run(layout.bin('peer'), ['channel', 'fetch', 'config', file('block.pb'), '-c', CHANNEL, ...ordererArgs(config, layout)], { env });
        const block = await decode('common.Block', file('block.pb')) as {
            data: { data: [{ payload: { data: { config: ChannelConfig } } }] };
        };
        const current = block.data.data[0].payload.data.config;
        const msp = current.channel_group.groups.Application.groups[org.mspId]?.values.MSP;
        if (!msp) {
            throw new Error(`channel ${CHANNEL} has no application organisation ${org.mspId}`);
        }
        if (JSON.stringify(msp.value.config.revocation_list ?? []) === JSON.stringify([crlBase64])) {
            return false;
        }
        fs.writeFileSync(file('current.json'), JSON.stringify(current));
        msp.value.config.revocation_list = [crlBase64];
        fs.writeFileSync(file('updated.json'), JSON.stringify(current));
        await tool('proto_encode', '--type', 'common.Config', '--input', file('current.json'), '--output', file('current.pb'));
        await tool('proto_encode', '--type', 'common.Config', '--input', file('updated.json'), '--output', file('updated.pb'));
        await tool('compute_update', '--channel_id', CHANNEL, '--original', file('current.pb'), '--updated', file('updated.pb'), '--output', file('update.pb'));
        const update = await decode('common.ConfigUpdate', file('update.pb'));
        fs.writeFileSync(file('envelope.json'), JSON.stringify({
            payload: { header: { channel_header: { channel_id: CHANNEL, type: 2 } }, data: { config_update: update } },
        }));
        await tool('proto_encode', '--type', 'common.Envelope', '--input', file('envelope.json'), '--output', file('envelope.pb'));
        // `peer channel update` signs the envelope as the organisation's admin (CORE_PEER_MSPCONFIGPATH) and waits
        // for the orderer to accept it.
        await run(layout.bin('peer'), ['channel', 'update', '-f', file('envelope.pb'), '-c', CHANNEL, ...ordererArgs(config, layout)], { env });
        return true;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
