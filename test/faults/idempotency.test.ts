/**
 * A gateway SIGKILLed between submit and commit: the client's retry with the same Idempotency-Key gets the original
 * result, and the ledger holds the write once. To hold the transaction between submit and commit for certain, the
 * orderers are paused (SIGSTOP) before the request and resumed only after the gateway is dead.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { waitFor } from '../../network/src/processes';
import { COMMERCIAL, SHIPMENT } from '../unit/chaincode/fixtures';
import { chainHeight, readBlocks, writesByKey } from '../integration/blocks';
import { api, login } from '../integration/gateway-client';
import { ClientPool, testNetwork } from '../integration/harness';
import { ordererNodes } from '../integration/ordering';

const run = randomUUID().slice(0, 8);

function signalOrderers(signal: 'SIGSTOP' | 'SIGCONT'): void {
    for (const node of ordererNodes()) {
        const pid = testNetwork.supervisor.pid(node.name);
        assert.ok(pid !== undefined, `${node.name} runs`);
        process.kill(pid, signal);
    }
}

describe('faults: Idempotency-Key under concurrent retries and a gateway killed between submit and commit (real Fabric network)', function () {
    const pool = new ClientPool();
    after(() => pool.closeAll());

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
    });

    // First: the kill test below leaves a duplicate private-data transaction whose block the peers hold for the
    // private-data pull threshold (60 s), which would stall this test's commits.
    it('fifty simultaneous POSTs with one Idempotency-Key: one 201, 49 × 409 IDEMPOTENCY_IN_FLIGHT with Retry-After (never CONFLICT); the retry replays; one write', async () => {
        const token = await login('exporter', 'exporter1');
        const shipmentId = `SHP-IDEM50-${run}`;
        const request = { token, json: { shipmentId, ...SHIPMENT, commercial: COMMERCIAL }, headers: { 'Idempotency-Key': `fifty-${run}` } };
        const answers = await Promise.all(Array.from({ length: 50 }, () => api('exporter', 'POST', '/api/v1/shipments', request)));
        const created = answers.filter((a) => a.status === 201);
        const inFlight = answers.filter((a) => a.status !== 201);
        assert.equal(created.length, 1, answers.map((a) => a.status).join(','));
        assert.deepEqual([...new Set(inFlight.map((a) => `${a.status} ${(a.body as { code: string }).code} ${a.headers.get('retry-after')}`))], ['409 IDEMPOTENCY_IN_FLIGHT 1']);
        const replayed = await api('exporter', 'POST', '/api/v1/shipments', request);
        assert.equal(replayed.status, 201);
        assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(replayed.body, created[0]!.body);
        const history = await api('exporter', 'GET', `/api/v1/shipments/${shipmentId}/history`, { token });
        assert.equal((history.body as { entries: unknown[] }).entries.length, 1, 'written once');
    });

    it('the retry with the same Idempotency-Key answers the original transaction\'s result; the shipment is written once', async () => {
        const journalDir = path.join(testNetwork.config.runDir, 'gateway', 'exporter', 'idempotency');
        const token = await login('exporter', 'exporter1');
        const shipmentId = `SHP-IDEM-${run}`;
        const request = { token, json: { shipmentId, ...SHIPMENT, commercial: COMMERCIAL }, headers: { 'Idempotency-Key': `open-${run}` } };
        const before = new Set(fs.existsSync(journalDir) ? fs.readdirSync(journalDir) : []);

        signalOrderers('SIGSTOP');
        let first: Promise<unknown> | undefined;
        try {
            first = api('exporter', 'POST', '/api/v1/shipments', request).then((res) => res, (err: unknown) => err);
            // The journal entry is written after endorsement and before the submit, which now waits for the orderers.
            await waitFor('the endorsed transaction in the gateway\'s journal', async () => fs.readdirSync(journalDir).some((f) => f.endsWith('.json') && !before.has(f)), 60_000);
            testNetwork.supervisor.kill('gateway.exporter');
        } finally {
            signalOrderers('SIGCONT');
        }
        const outcome = await first;
        assert.ok(outcome instanceof Error, `the first attempt got no answer (it got ${JSON.stringify(outcome)})`);

        await testNetwork.startGateways();
        // A client retries while the answer is 503 (the orderers, paused for a while, may still be choosing a leader).
        let retried = await api('exporter', 'POST', '/api/v1/shipments', request);
        await waitFor('an answer other than 503', async () => {
            retried = retried.status === 503 ? await api('exporter', 'POST', '/api/v1/shipments', request) : retried;
            return retried.status !== 503;
        }, 60_000);
        assert.equal(retried.status, 201, JSON.stringify(retried.body));
        assert.equal((retried.body as { shipmentId: string }).shipmentId, shipmentId);
        const transactionId = retried.headers.get('x-transaction-id');
        assert.ok(transactionId);

        const replayed = await api('exporter', 'POST', '/api/v1/shipments', request);
        assert.equal(replayed.status, 201);
        assert.equal(replayed.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(replayed.body, retried.body);

        const history = await api('exporter', 'GET', `/api/v1/shipments/${shipmentId}/history`, { token });
        assert.equal(history.status, 200, JSON.stringify(history.body));
        const { entries } = history.body as { entries: { transactionId: string }[] };
        assert.deepEqual(entries.map((e) => e.transactionId), [transactionId], 'one write, by the original transaction');

        const network = pool.connect('exporter', 'exporter1').network;
        const blocks = await readBlocks(network, await chainHeight(network));
        assert.equal(writesByKey(blocks, 'shipment:openShipment').get(shipmentId), 1, 'exactly one valid openShipment in the blocks');
    });

});
