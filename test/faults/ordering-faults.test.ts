/**
 * Faults of the ordering service beyond its leader (network-faults.test.ts kills the leader): any other single orderer
 * killed in the middle of a write stream, and a quorum of orderers lost and regained, seen through the REST gateway.
 * Written for both orderer types; CI runs the fault suite on SmartBFT (four orderers, f = 1, quorum 3), where losing
 * two of four stops ordering. Under Raft (three orderers, quorum 2) the same two kills do.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ordererSpec } from '../../network/src/nodes';
import { waitFor } from '../../network/src/processes';
import { type OrdererNode } from '../../network/src/topology';
import { COMMERCIAL, SHIPMENT } from '../unit/chaincode/fixtures';
import { chainHeight, readBlocks, writesByKey } from '../integration/blocks';
import { type ApiResponse, api, login } from '../integration/gateway-client';
import { ClientPool, testNetwork } from '../integration/harness';
import { orderingLeader, ordererNodes, waitForOrderersInStep } from '../integration/ordering';

const run = randomUUID().slice(0, 8);

describe('faults: the ordering service (real Fabric network)', function () {
    const pool = new ClientPool();
    after(() => pool.closeAll());

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
    });

    async function killAndWait(node: OrdererNode): Promise<void> {
        testNetwork.supervisor.kill(node.name);
        await waitFor(`${node.name} to exit`, async () => testNetwork.supervisor.pid(node.name) === undefined, 10_000);
    }

    it('an orderer that is not the leader SIGKILLed in the middle of a stream of writes: writes go on, every acknowledged one is on the ledger once, and it catches up', async () => {
        const leader = await orderingLeader();
        const victim = ordererNodes().find((n) => n !== leader) as OrdererNode;
        const exporter = pool.connect('exporter', 'exporter1');
        const acknowledged: string[] = [];
        let failed = 0;
        let killedAt = -1;
        let next = 0;
        const deadline = Date.now() + 90_000;
        const writer = async (): Promise<void> => {
            while (Date.now() < deadline && (killedAt < 0 || acknowledged.length < killedAt + 10)) {
                const id = `follower-${run}-${next++}`;
                try {
                    const commit = await exporter.contract.submitAsync('probe:putRecord', { arguments: [id, `value of ${id}`] });
                    if ((await commit.getStatus()).successful) {
                        acknowledged.push(id);
                    } else {
                        failed++;
                    }
                } catch {
                    failed++;
                }
                if (killedAt < 0 && acknowledged.length >= 10) {
                    killedAt = acknowledged.length;
                    await killAndWait(victim);
                }
            }
        };
        await Promise.all([writer(), writer(), writer(), writer()]);
        assert.ok(killedAt >= 10, `${victim.name} was killed mid-stream`);
        assert.ok(acknowledged.length >= killedAt + 10, `writes committed after the kill: ${acknowledged.length - killedAt}`);
        // The other nodes still form a quorum: losing a follower costs no write.
        assert.equal(failed, 0, 'no write failed while one orderer was down');

        const writes = writesByKey(await readBlocks(exporter.network, await chainHeight(exporter.network)), 'probe:putRecord');
        for (const id of acknowledged) {
            assert.equal(writes.get(id), 1, `${id} is committed exactly once`);
        }
        await testNetwork.supervisor.ensure(ordererSpec(testNetwork.config, testNetwork.layout, victim));
        await waitForOrderersInStep(`${victim.name} to catch up`);
    });

    it('with a quorum of orderers lost, a write through the gateway answers 503 with Retry-After at once (no hang, no 500) and reads go on; with one back, the retry under the same Idempotency-Key commits once', async () => {
        const token = await login('exporter', 'exporter1');
        const nodes = ordererNodes();
        const { quorum } = testNetwork.layout.ordering;
        const leader = await orderingLeader();
        // The leader and enough others that the rest are one short of a quorum.
        const down = [leader, ...nodes.filter((n) => n !== leader).slice(0, nodes.length - quorum)];
        assert.equal(nodes.length - down.length, quorum - 1);
        const shipmentId = `SHP-QUORUM-${run}`;
        const request = { token, json: { shipmentId, ...SHIPMENT, commercial: COMMERCIAL }, headers: { 'Idempotency-Key': `quorum-${run}` } };
        // Bounded, so that a hang fails the test instead of stalling the suite.
        const write = (): Promise<ApiResponse> => Promise.race([
            api('exporter', 'POST', '/api/v1/shipments', request),
            new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the gateway did not answer within 60 s')), 60_000)),
        ]);

        for (const node of down) {
            await killAndWait(node);
        }
        try {
            const refused = await write();
            assert.equal(refused.status, 503, JSON.stringify(refused.body));
            assert.equal((refused.body as { code: string }).code, 'UNAVAILABLE');
            assert.ok(Number(refused.headers.get('retry-after')) > 0, 'tells the client when to retry');
            const again = await write();
            assert.equal(again.status, 503, 'still refused while the quorum is lost');
            const read = await api('exporter', 'GET', '/api/v1/shipments?status=OPEN&limit=1', { token });
            assert.equal(read.status, 200, 'reads need no orderer');
        } finally {
            // One back restores the quorum; the rest come back after the retry.
            await testNetwork.supervisor.ensure(ordererSpec(testNetwork.config, testNetwork.layout, down[down.length - 1] as OrdererNode));
        }

        let committed: ApiResponse | undefined;
        await waitFor('the retried write to commit once the quorum is back', async () => {
            committed = await write();
            return committed.status === 201;
        }, 120_000);
        const transactionId = committed?.headers.get('x-transaction-id');
        assert.ok(transactionId);
        const history = await api('exporter', 'GET', `/api/v1/shipments/${shipmentId}/history`, { token });
        assert.deepEqual((history.body as { entries: { transactionId: string }[] }).entries.map((e) => e.transactionId), [transactionId], 'one write');
        const network = pool.connect('exporter', 'exporter1').network;
        assert.equal(writesByKey(await readBlocks(network, await chainHeight(network)), 'shipment:openShipment').get(shipmentId), 1, 'exactly one valid openShipment');

        for (const node of down) {
            await testNetwork.supervisor.ensure(ordererSpec(testNetwork.config, testNetwork.layout, node));
        }
        await waitForOrderersInStep('every orderer to hold the same blocks again');
        const fresh = await api('exporter', 'POST', '/api/v1/shipments', { token, json: { shipmentId: `SHP-AFTER-${run}`, ...SHIPMENT, commercial: COMMERCIAL } });
        assert.equal(fresh.status, 201, JSON.stringify(fresh.body));
    });
});
