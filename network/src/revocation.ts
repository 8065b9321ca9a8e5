/**
 * Puts an organisation's certificate revocation list into the channel configuration (its MSP's revocation_list), so
 * that every peer and orderer refuses the revoked certificates, not only the REST gateway. A channel configuration
 * update signed by the organisation's admin: its own MSP definition is governed by its own Admins policy.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NetworkConfig } from './config';
import { fetchChannelConfig, submitUpdate, writeUpdateEnvelope } from './config-update';
import type { Layout } from './layout';
import { CHANNEL, type PeerOrg } from './topology';

interface MspValue { config: { revocation_list?: string[] } }

/**
 * Makes `crlBase64` (a PEM CRL, base64 as the Fabric CA hands it out) the organisation's revocation list on the
 * channel. Returns false when the channel already carries exactly this list.
 */
export async function publishRevocationList(config: NetworkConfig, layout: Layout, org: PeerOrg, crlBase64: string): Promise<boolean> {
    const current = await fetchChannelConfig(config, layout, org);
    const updated = structuredClone(current);
    const msp = updated.channel_group.groups.Application.groups[org.mspId]?.values.MSP?.value as MspValue | undefined;
    if (!msp) {
        throw new Error(`channel ${CHANNEL} has no application organisation ${org.mspId}`);
    }
    msp.config.revocation_list = [crlBase64];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tradedocs-crl-${org.key}-`));
    try {
        const envelope = path.join(dir, 'update.pb');
        if (!(await writeUpdateEnvelope(layout, current, updated, envelope))) {
            return false;
        }
        // The organisation's admin alone satisfies the policy of its own MSP definition.
        await submitUpdate(config, layout, org, envelope);
        return true;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
