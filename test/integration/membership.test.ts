/**
 * An organisation joins the running channel (membership.ts): the trade supervisor, admitted by the founding
 * members' admins while the exporter keeps writing. Runs on the test network, the supervisor as a host part of its
 * own (its own CA, keys and bundle; its own peer, chaincode server and gateway).
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import { fetchChannelConfig, signUpdate, submitUpdate } from '../../network/src/config-update';
import { admissionFile, channelMembers, proposeAdmission } from '../../network/src/membership';
import { waitFor } from '../../network/src/processes';
import { PEER_ORGS, peerOrg } from '../../network/src/topology';
import { COMMERCIAL, SHIPMENT } from '../unit/chaincode/fixtures';
import { chainHeight } from './blocks';
import { api, login } from './gateway-client';
import { ClientPool, supervisorHost, testNetwork } from './harness';

const runId = randomUUID().slice(0, 8);
const supervisor = peerOrg('supervisor');
const exporter = peerOrg('exporter');

describe('an organisation joins the running channel (real Fabric network)', function () {
    const pool = new ClientPool();

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        await supervisorHost.initOrgs();
    });

    // The supervisor stays up for the suites after this one (ensureSupervisor); the root hook stops everything.
    after(() => {
        pool.closeAll();
    });

    it('an update adding the supervisor signed by fewer member admins than a majority is refused by the orderers; the channel is unchanged', async () => {
        const { config, layout } = testNetwork;
        const before = await fetchChannelConfig(config, layout, exporter);
        assert.ok(await proposeAdmission(config, layout, exporter, supervisor));
        const file = admissionFile(layout, supervisor);
        // Two of four founders (the submitter signs as it submits): the majority is three.
        await signUpdate(config, layout, peerOrg('carrier'), file);
        await assert.rejects(submitUpdate(config, layout, exporter, file), /BAD_REQUEST|policy|not satisfied|signature/i);
        fs.rmSync(file);
        const after = await fetchChannelConfig(config, layout, exporter);
        assert.deepEqual(channelMembers(after), channelMembers(before));
        assert.equal(after.sequence, before.sequence, 'the configuration did not change');
    });

    it('admitted by a majority while the exporter keeps writing, the supervisor\'s peer joins with the whole ledger; existing records, blocks and gateways are untouched', async () => {
        const token = await login('exporter', 'exporter1');
        const heightBefore = await chainHeight(pool.connect('customs', 'customs-officer1').network);
        const statuses: number[] = [];
        let writing = true;
        const stream = (async () => {
            for (let i = 0; writing; i++) {
                const res = await api('exporter', 'POST', '/api/v1/shipments', { token, json: { shipmentId: `SHP-JOIN-${runId}-${i}`, ...SHIPMENT, commercial: COMMERCIAL } });
                statuses.push(res.status);
            }
        })();
        try {
            assert.equal(await testNetwork.admit(supervisor), 'submitted');
            await supervisorHost.up();
        } finally {
            writing = false;
            await stream;
        }
        assert.ok(statuses.length >= 3, `writes went on during the admission (${statuses.length})`);
        assert.deepEqual(statuses.filter((s) => s !== 201), [], 'every write during the admission succeeded');

        const members = channelMembers(await fetchChannelConfig(testNetwork.config, testNetwork.layout, exporter));
        assert.deepEqual(members, [...PEER_ORGS.map((o) => o.mspId), supervisor.mspId].sort());
        // The supervisor's peer has every block, from the genesis block on.
        const customs = pool.connect('customs', 'customs-officer1').network;
        const height = await chainHeight(customs);
        assert.ok(height > heightBefore, 'the admission and the writes added blocks');
        const ownPeer = pool.connect('supervisor', 'supervisor-analyst1').network;
        await waitFor('the supervisor\'s peer to hold every block', async () => (await chainHeight(ownPeer)) >= height, 60_000);
        // Gossip: the founders' peers and the supervisor's see each other.
        await supervisorHost.waitForGossip(90_000, [...PEER_ORGS, supervisor]);
        await testNetwork.waitForGossip(90_000, [...PEER_ORGS, supervisor]);
        // The founders' gateways still answer, and the records written before and during the admission read back.
        const read = await api('exporter', 'GET', `/api/v1/shipments/SHP-JOIN-${runId}-0`, { token });
        assert.equal(read.status, 200, JSON.stringify(read.body));
        assert.equal((await api('supervisor', 'GET', '/readyz')).status, 200, 'the supervisor\'s gateway is up');
    });
});
