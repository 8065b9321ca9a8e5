/**
 * Chaincode as a service: build the TypeScript contract, package a ccaas package per organisation (its own
 * chaincode server address and TLS material), install, approve, commit, and run one chaincode server per
 * organisation. Redeploying a changed contract (or changed collections or policy) bumps the sequence; the ledger
 * is kept.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { NetworkConfig } from './config';
import { CommandError, run } from './exec';
import type { Layout } from './layout';
import { peerEndpoint } from './bundle';
import { chaincodeSpec, ordererArgs, peerCliEnv } from './nodes';
import { type Supervisor, waitFor } from './processes';
import { CHAINCODE_NAME, CHANNEL, PEER_ORGS, type PeerOrg, peerOrg, peerPorts } from './topology';

/**
 * Any two organisations must endorse a write. One organisation alone can never change shared state, and the
 * network keeps working with two organisations offline. Records that need a specific organisation (the holder of a
 * bill of lading) tighten this per key with state-based endorsement. See README "Endorsement policy".
 */
export const ENDORSEMENT_POLICY = `OutOf(2,${PEER_ORGS.map((o) => `'${o.mspId}.peer'`).join(',')})`;

export interface ChaincodeDefinition {
    readonly version: string;
    readonly label: string;
}

/**
 * Compiles the contract (unless dist/ was compiled from exactly these sources: tsc takes seconds on two cores, and
 * every `up` gets here); the definition's version is a hash of what the peers and chaincode servers will run.
 */
export async function buildChaincode(layout: Layout): Promise<ChaincodeDefinition> {
    const sources = createHash('sha256');
    for (const file of [...listFiles(path.join(layout.chaincodeDir, 'src')), path.join(layout.chaincodeDir, 'tsconfig.json')].sort()) {
        sources.update(path.relative(layout.chaincodeDir, file)).update(fs.readFileSync(file));
    }
    const stamp = path.join(layout.chaincodeDir, 'dist', '.sources-sha256');
    const compiled = sources.digest('hex');
    if (!fs.existsSync(stamp) || fs.readFileSync(stamp, 'utf8') !== compiled) {
        await run(process.execPath, [path.join(layout.chaincodeDir, '..', 'node_modules', 'typescript', 'bin', 'tsc'), '-p', layout.chaincodeDir]);
        fs.writeFileSync(stamp, compiled);
    }
    const hash = createHash('sha256');
    for (const file of listFiles(path.join(layout.chaincodeDir, 'dist')).filter((f) => f !== stamp).sort()) {
        hash.update(path.relative(layout.chaincodeDir, file)).update(fs.readFileSync(file));
    }
    hash.update(fs.readFileSync(path.join(layout.chaincodeDir, 'package.json')));
    hash.update(fs.readFileSync(layout.collectionsConfig)).update(ENDORSEMENT_POLICY);
    const version = hash.digest('hex').slice(0, 16);
    return { version, label: `${CHAINCODE_NAME}_${version}` };
}

/** Writes the org's ccaas package; returns its path and package id (label:sha256 of the package bytes). */
export async function packageFor(config: NetworkConfig, layout: Layout, org: PeerOrg, def: ChaincodeDefinition): Promise<{ file: string; packageId: string }> {
    const dir = path.join(layout.packagesDir(org), def.label);
    fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
    const pem = (file: string): string => fs.readFileSync(file, 'utf8');
    const client = layout.tls(org, 'ccclient');
    const connection = {
        address: `${config.listenAddress}:${peerPorts(config.basePort, org).chaincodeServer}`,
        dial_timeout: '10s',
        tls_required: true,
        client_auth_required: true,
        root_cert: pem(layout.tlsCa(org)),
        client_cert: pem(path.join(client, 'server.crt')),
        client_key: pem(path.join(client, 'server.key')),
    };
    fs.writeFileSync(path.join(dir, 'src', 'connection.json'), JSON.stringify(connection, null, 2), { mode: 0o600 });
    fs.writeFileSync(path.join(dir, 'metadata.json'), JSON.stringify({ type: 'ccaas', label: def.label }));
    fs.writeFileSync(path.join(dir, 'code.tar.gz'), await tarGz(path.join(dir, 'src'), ['connection.json']));
    const bytes = await tarGz(dir, ['metadata.json', 'code.tar.gz']);
    const file = path.join(dir, `${def.label}.tgz`);
    fs.writeFileSync(file, bytes, { mode: 0o600 });
    return { file, packageId: `${def.label}:${createHash('sha256').update(bytes).digest('hex')}` };
}

/** A reproducible tar.gz: fixed order, owner and times, so the package id depends only on the content. */
async function tarGz(dir: string, files: string[]): Promise<Buffer> {
    const tarFile = path.join(dir, '.pack.tar');
    await run('tar', ['-C', dir, '--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '--mode=u=rw,go=', '-cf', tarFile, ...files]);
    const bytes = gzipSync(fs.readFileSync(tarFile));
    fs.rmSync(tarFile);
    return bytes;
}

interface CommittedDefinition { sequence: number; version: string }

/** The chaincode definition committed on the channel, as `org`'s peer sees it. */
export async function queryCommitted(config: NetworkConfig, layout: Layout, org: PeerOrg): Promise<CommittedDefinition | undefined> {
    try {
        const out = await run(layout.bin('peer'), ['lifecycle', 'chaincode', 'querycommitted', '-C', CHANNEL, '-n', CHAINCODE_NAME, '--output', 'json'], { env: peerCliEnv(config, layout, org) });
        return JSON.parse(out) as CommittedDefinition;
    } catch (err) {
        if (err instanceof CommandError && err.output.includes('404')) {
            return undefined;
        }
        throw err;
    }
}

function definitionArgs(layout: Layout, def: ChaincodeDefinition, sequence: number): string[] {
    return [
        '--channelID', CHANNEL, '--name', CHAINCODE_NAME, '--version', def.version, '--sequence', String(sequence),
        '--signature-policy', ENDORSEMENT_POLICY, '--collections-config', layout.collectionsConfig,
    ];
}

async function ensureInstalled(config: NetworkConfig, layout: Layout, org: PeerOrg, file: string, packageId: string): Promise<void> {
    const env = peerCliEnv(config, layout, org);
    const out = await run(layout.bin('peer'), ['lifecycle', 'chaincode', 'queryinstalled', '--output', 'json'], { env });
    const installed = (JSON.parse(out || '{}') as { installed_chaincodes?: { package_id: string }[] }).installed_chaincodes ?? [];
    if (!installed.some((c) => c.package_id === packageId)) {
        await run(layout.bin('peer'), ['lifecycle', 'chaincode', 'install', file], { env });
    }
}

/** The package `org` approved for `sequence` of the definition, or undefined when it has not approved it. */
async function approvedPackage(config: NetworkConfig, layout: Layout, org: PeerOrg, sequence: number): Promise<string | undefined> {
    try {
        const out = await run(layout.bin('peer'), ['lifecycle', 'chaincode', 'queryapproved', '-C', CHANNEL, '-n', CHAINCODE_NAME, '--sequence', String(sequence), '--output', 'json'],
            { env: peerCliEnv(config, layout, org) });
        return (JSON.parse(out) as { source?: { Type?: { LocalPackage?: { package_id?: string } } } }).source?.Type?.LocalPackage?.package_id;
    } catch (err) {
        if (err instanceof CommandError && err.output.includes('could not fetch approved chaincode definition')) {
            return undefined;
        }
        throw err;
    }
}

async function approvals(config: NetworkConfig, layout: Layout, org: PeerOrg, def: ChaincodeDefinition, sequence: number): Promise<Record<string, boolean>> {
    const out = await run(layout.bin('peer'), ['lifecycle', 'chaincode', 'checkcommitreadiness', ...definitionArgs(layout, def, sequence), '--output', 'json'],
        { env: peerCliEnv(config, layout, org) });
    return (JSON.parse(out) as { approvals: Record<string, boolean> }).approvals;
}

export interface DeployOutcome extends ChaincodeDefinition {
    readonly sequence: number;
    /** Whether this version is the committed definition now (else: waiting for other organisations' approvals). */
    readonly committed: boolean;
    /** Organisations whose approval the commit still waits for. */
    readonly waitingFor: readonly string[];
}

/**
 * Brings `orgs` (the organisations of this host) to the current contract: each installs its own package and approves
 * the definition with its own admin; once a majority of all organisations has approved (the channel's
 * LifecycleEndorsement), the first of `orgs` commits it, endorsed by the approving organisations' peers; and each
 * runs its chaincode server for its package. Idempotent: run again after other organisations approved, it commits.
 */
export async function deployChaincode(config: NetworkConfig, layout: Layout, supervisor: Supervisor, orgs: readonly PeerOrg[],
    log: (line: string) => void): Promise<DeployOutcome> {
    const first = orgs[0];
    if (!first) {
        throw new Error('no peer organisation runs on this host: nothing to deploy');
    }
    const def = await buildChaincode(layout);
    const committed = await queryCommitted(config, layout, first);
    const sequence = committed?.version === def.version ? committed.sequence : (committed?.sequence ?? 0) + 1;
    let isCommitted = committed?.version === def.version;
    let waitingFor: string[] = [];
    const packages = new Map<PeerOrg, { file: string; packageId: string }>();
    for (const org of orgs) {
        packages.set(org, await packageFor(config, layout, org, def));
    }
    if (!isCommitted) {
        log(`deploying chaincode ${CHAINCODE_NAME} version ${def.version} as sequence ${sequence}`);
    }
    // Every organisation installs its own package and approves the definition with its package id, also when it
    // comes after the commit: the approval is what tells its peer which package serves the definition.
    for (const org of orgs) {
        const pkg = packages.get(org) as { file: string; packageId: string };
        await ensureInstalled(config, layout, org, pkg.file, pkg.packageId);
        if (await approvedPackage(config, layout, org, sequence) !== pkg.packageId) {
            // The orderers may still be electing a leader right after start: retry, bounded.
            await waitFor(`${org.mspId} to approve the chaincode definition`, async () => {
                await run(layout.bin('peer'), ['lifecycle', 'chaincode', 'approveformyorg', ...ordererArgs(config, layout), ...definitionArgs(layout, def, sequence), '--package-id', pkg.packageId],
                    { env: peerCliEnv(config, layout, org) });
                return true;
            }, 60_000);
            log(`${org.mspId} approved ${CHAINCODE_NAME} sequence ${sequence}`);
        }
    }
    let approved: Record<string, boolean> = {};
    if (!isCommitted) {
        // Approvals reach every peer with the block; wait for ours to see them all before counting.
        await waitFor('this host\'s approvals to be on the ledger', async () => {
            // Another organisation's host may commit meanwhile.
            isCommitted = (await queryCommitted(config, layout, first))?.version === def.version;
            approved = isCommitted ? {} : await approvals(config, layout, first, def, sequence);
            return isCommitted || orgs.every((o) => approved[o.mspId]);
        }, 30_000);
    }
    if (!isCommitted) {
        // The channel's members are the organisations checkcommitreadiness reports on; a majority must approve.
        const members = Object.keys(approved);
        const approving = members.filter((id) => approved[id]).map((id) => peerOrg(id));
        waitingFor = members.filter((id) => !approved[id]);
        if (approving.length > members.length / 2) {
            const peers = approving.flatMap((org) => ['--peerAddresses', peerEndpoint(layout, org), '--tlsRootCertFiles', layout.tlsCa(org)]);
            // Our peer has every approval, but another approving peer may not have committed the last approval's
            // block yet: their endorsements then differ ("ProposalResponsePayloads do not match"), so the commit is
            // tried again until they agree. Another organisation may also have committed the definition first.
            await waitFor(`the approving organisations' peers to endorse the commit of ${CHAINCODE_NAME} sequence ${sequence}`, async () => {
                if ((await queryCommitted(config, layout, first))?.version === def.version) {
                    return true;
                }
                await run(layout.bin('peer'), ['lifecycle', 'chaincode', 'commit', ...ordererArgs(config, layout), ...definitionArgs(layout, def, sequence), ...peers],
                    { env: peerCliEnv(config, layout, first) });
                return true;
            }, 60_000);
            isCommitted = true;
            waitingFor = [];
            log(`chaincode ${CHAINCODE_NAME} sequence ${sequence} committed`);
        } else {
            log(`chaincode ${CHAINCODE_NAME} sequence ${sequence} approved by ${approving.map((o) => o.mspId).join(', ')}; `
                + `the commit waits for a majority (${waitingFor.join(', ')} have not approved yet)`);
        }
    }
    for (const org of orgs) {
        const pkg = packages.get(org) as { file: string; packageId: string };
        await ensureChaincodeServer(config, layout, supervisor, org, pkg.packageId);
    }
    return { ...def, sequence, committed: isCommitted, waitingFor };
}

/** Starts the org's chaincode server for the package, replacing one that serves an older package. */
export async function ensureChaincodeServer(config: NetworkConfig, layout: Layout, supervisor: Supervisor, org: PeerOrg, packageId: string): Promise<void> {
    const spec = chaincodeSpec(config, layout, org, packageId);
    const pid = supervisor.pid(spec.name);
    if (pid !== undefined && !fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(packageId)) {
        await supervisor.stop(spec.name);
    }
    await supervisor.ensure(spec);
}

/** The package id each of `orgs`' chaincode servers must serve for the committed definition. */
export async function committedPackageIds(config: NetworkConfig, layout: Layout, orgs: readonly PeerOrg[]): Promise<Map<PeerOrg, string>> {
    const committed = orgs[0] && await queryCommitted(config, layout, orgs[0]);
    if (!committed) {
        throw new Error(`chaincode ${CHAINCODE_NAME} is not committed on ${CHANNEL}`);
    }
    const label = `${CHAINCODE_NAME}_${committed.version}`;
    return new Map(orgs.map((org) => {
        const bytes = fs.readFileSync(path.join(layout.packagesDir(org), label, `${label}.tgz`));
        return [org, `${label}:${createHash('sha256').update(bytes).digest('hex')}`];
    }));
}

function listFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? listFiles(full) : [full];
    });
}
