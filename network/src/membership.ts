/**
 * A new organisation joins the running channel. From its bundle, a member proposes the configuration update that
 * adds it to the channel's application organisations (MSP, policies, anchor peer); the members' admins sign that one
 * envelope file, each with its own key in its own step, until a majority of them (the channel's
 * `Application/Admins: MAJORITY Admins` policy) has; one submits it. The orderers refuse an update with fewer
 * signatures, and the channel is then unchanged. Existing ledgers, records and gateways are untouched: a config block
 * is one more block.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { importBundle } from './bundle';
import { applicationOrg } from './channel';
import type { NetworkConfig } from './config';
import { type ChannelConfigJson, fetchChannelConfig, signUpdate, signersOf, submitUpdate, writeUpdateEnvelope } from './config-update';
import { run } from './exec';
import type { Layout } from './layout';
import type { PeerOrg } from './topology';

/** The envelope that adds `newcomer`, where the members' hosts pass it between them. */
export function admissionFile(layout: Layout, newcomer: PeerOrg): string {
    return path.join(layout.channelDir, 'updates', `add-${newcomer.key}.pb`);
}

/** The application organisations the channel has now. */
export function channelMembers(current: ChannelConfigJson): string[] {
    return Object.keys(current.channel_group.groups.Application.groups).sort();
}

/** Signatures the update needs: a majority of the current application organisations' admins. */
export function requiredSignatures(current: ChannelConfigJson): number {
    return Math.floor(channelMembers(current).length / 2) + 1;
}

/** The newcomer's organisation group as the channel configuration holds it, made by configtxgen from its bundle. */
async function organisationGroup(layout: Layout, newcomer: PeerOrg): Promise<unknown> {
    const bundle = importBundle(layout, newcomer);
    const dir = path.join(layout.channelDir, 'updates', `${newcomer.key}-definition`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'configtx.yaml'), stringify({ Organizations: [applicationOrg(layout, newcomer, bundle)] }));
    const out = await run(layout.bin('configtxgen'), ['-configPath', dir, '-printOrg', newcomer.mspId]);
    return JSON.parse(out) as unknown;
}

/**
 * Writes the (unsigned) envelope that adds `newcomer`, as `proposer`'s admin sees the channel now. Returns false when
 * the newcomer is a member already.
 */
export async function proposeAdmission(config: NetworkConfig, layout: Layout, proposer: PeerOrg, newcomer: PeerOrg): Promise<boolean> {
    const current = await fetchChannelConfig(config, layout, proposer);
    if (channelMembers(current).includes(newcomer.mspId)) {
        return false;
    }
    const updated = structuredClone(current);
    (updated.channel_group.groups.Application.groups as Record<string, unknown>)[newcomer.mspId] = await organisationGroup(layout, newcomer);
    return writeUpdateEnvelope(layout, current, updated, admissionFile(layout, newcomer));
}

export type AdmissionStep = 'member' | 'signed' | 'submitted';

/**
 * One member host's part in admitting `newcomer`: propose the update if nobody has, add each local member's
 * signature, and submit it once that makes a majority (the submitter's own signature included). Returns what this
 * host got done; 'signed' means the envelope file must go to another member's host for more signatures.
 */
export async function admit(config: NetworkConfig, layout: Layout, members: readonly PeerOrg[], newcomer: PeerOrg,
    log: (line: string) => void): Promise<{ step: AdmissionStep; signers: string[]; required: number }> {
    const [first, ...others] = members;
    if (!first) {
        throw new Error(`no member of the channel runs on this host to admit ${newcomer.mspId}`);
    }
    const current = await fetchChannelConfig(config, layout, first);
    const required = requiredSignatures(current);
    if (channelMembers(current).includes(newcomer.mspId)) {
        return { step: 'member', signers: [], required };
    }
    const file = admissionFile(layout, newcomer);
    if (!fs.existsSync(file)) {
        await proposeAdmission(config, layout, first, newcomer);
        log(`${first.mspId} proposed adding ${newcomer.mspId} to the channel (${file})`);
    }
    // The submitter signs as it submits; everyone else signs the file.
    for (const org of others) {
        if (!signersOf(file).includes(org.mspId)) {
            await signUpdate(config, layout, org, file);
            log(`${org.mspId} signed the admission of ${newcomer.mspId}`);
        }
    }
    const signers = signersOf(file);
    if (signers.filter((s) => s !== first.mspId).length + 1 < required) {
        if (!signers.includes(first.mspId)) {
            await signUpdate(config, layout, first, file);
        }
        return { step: 'signed', signers: signersOf(file), required };
    }
    await submitUpdate(config, layout, first, file);
    log(`${newcomer.mspId} is a member of the channel (signed by ${[...new Set([...signers, first.mspId])].join(', ')})`);
    fs.rmSync(file);
    return { step: 'submitted', signers: [...new Set([...signers, first.mspId])], required };
}
