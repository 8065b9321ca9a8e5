/**
 * The integration tests' own network: its own run directory and ports (base 17000 unless
 * TRADEDOCS_TEST_BASE_PORT says otherwise), so it never disturbs a network started with `npm start`.
 */
import * as grpc from '@grpc/grpc-js';
import { type Contract, type Gateway, type Network as FabricNetwork, connect, signers } from '@hyperledger/fabric-gateway';
import { createPrivateKey, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadConfig } from '../../network/src/config';
import { Network } from '../../network/src/network';
import { peerEndpoint } from '../../network/src/bundle';
import { CHAINCODE_NAME, CHANNEL, PEER_ORGS, type PeerOrg, orderingService, peerOrg } from '../../network/src/topology';
import { gatewayIdentity } from './gateway-keys';

const repoDir = path.resolve(__dirname, '..', '..');

/** Suites that run side by side (integration, faults) each name their own run directory and base port. */
const basePort = Number(process.env.TRADEDOCS_TEST_BASE_PORT ?? 17000);
const testConfig = loadConfig(process.env, {
    runDir: path.join(repoDir, '.run', process.env.TRADEDOCS_TEST_RUN_NAME ?? 'test'),
    basePort,
    gatewayBasePort: basePort + 400,
});
/**
 * The founders only: the supervisor is admitted by membership.test.ts, the admission under test (`npm start` admits
 * it on every start instead); suites that need it afterwards call `ensureSupervisor`.
 */
export const testNetwork = new Network({
    ...testConfig,
    localOrgs: [...orderingService(testConfig.ordererType).orgs, ...PEER_ORGS].map((o) => o.key),
}, (line) => process.stderr.write(`      [network] ${line}\n`));

/** The supervisor's part of the test network, on this machine but run as a host part of its own. */
export const supervisorHost = new Network({ ...testConfig, localOrgs: ['supervisor'] },
    (line) => process.stderr.write(`      [supervisor] ${line}\n`));

/**
 * The supervisor admitted (by the founders' majority, unless it is a member already) and its part up, its peer and
 * the founders' seeing each other. Idempotent: a suite run alone admits it; after membership.test.ts it only checks.
 */
export async function ensureSupervisor(): Promise<void> {
    const supervisor = peerOrg('supervisor');
    await supervisorHost.initOrgs();
    if (await testNetwork.admit(supervisor) === 'signed') {
        throw new Error('the founders could not admit the supervisor');
    }
    await supervisorHost.up();
    const everyone = [...PEER_ORGS, supervisor];
    await Promise.all([supervisorHost.waitForGossip(90_000, everyone), testNetwork.waitForGossip(90_000, everyone)]);
}

/**
 * Transient data as the gateway sends it: with a fresh 256-bit `salt`, which the chaincode stores inside every
 * private value (and refuses a private write without).
 */
export function salted(transientData: Record<string, string | Uint8Array>): Record<string, string | Uint8Array> {
    return { ...transientData, salt: randomBytes(32).toString('hex') };
}

/** A person connected through their own organisation's peer (or another peer of their choosing). */
export interface OrgClient {
    readonly gateway: Gateway;
    readonly network: FabricNetwork;
    readonly contract: Contract;
    close(): void;
}

/** Connects `user` of organisation `orgKey` through the peer of `viaOrgKey` (default: their own). */
export function connectAs(orgKey: string, user: string, viaOrgKey: string = orgKey): OrgClient {
    return connectIdentity(gatewayIdentity(testNetwork.layout, orgKey, user), viaOrgKey);
}

/** Connects with an identity given as PEMs through the peer of `viaOrgKey`. */
export function connectIdentity(identity: { mspId: string; certificatePem: string; privateKeyPem: string }, viaOrgKey: string): OrgClient {
    const via: PeerOrg = peerOrg(viaOrgKey);
    const client = new grpc.Client(peerEndpoint(testNetwork.layout, via), grpc.credentials.createSsl(fs.readFileSync(testNetwork.layout.tlsCa(via))), {
        // The peer's certificate names localhost too; TLS server names may not be IP addresses (RFC 6066).
        'grpc.ssl_target_name_override': 'localhost',
    });
    const gateway = connect({
        client,
        identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificatePem) },
        signer: signers.newPrivateKeySigner(createPrivateKey(identity.privateKeyPem)),
        evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
        endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
        submitOptions: () => ({ deadline: Date.now() + 10_000 }),
        commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
    });
    const network = gateway.getNetwork(CHANNEL);
    return {
        gateway,
        network,
        contract: network.getContract(CHAINCODE_NAME),
        close: () => { gateway.close(); client.close(); },
    };
}

/** The connections one suite opened, to close them together (before a restart, and at the end). */
export class ClientPool {
    private readonly clients: OrgClient[] = [];

    connect(orgKey: string, user: string, viaOrgKey?: string): OrgClient {
        const client = connectAs(orgKey, user, viaOrgKey);
        this.clients.push(client);
        return client;
    }

    closeAll(): void {
        this.clients.splice(0).forEach((c) => c.close());
    }
}
