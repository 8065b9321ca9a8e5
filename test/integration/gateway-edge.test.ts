/**
 * The gateway's Fabric edge on the real network: a document at the upload limit (the chaincode's, 16 MiB) goes up and
 * comes back byte for byte through the peers; one byte more is refused at the gateway; and a request that lost its MVCC
 * race (409 after the retries) runs again when retried with the same Idempotency-Key, instead of replaying the 409.
 */
import * as assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { LIMITS } from '../../chaincode/src/validation';
import { COMMERCIAL, SHIPMENT } from '../unit/chaincode/fixtures';
import { type ApiResponse, api, gatewayUrl, login, upload } from './gateway-client';
import { testNetwork } from './harness';
import { expectProblem, expectStatus } from './trade-flows';

const run = randomUUID().slice(0, 8);

/** A PDF of exactly `size` bytes whose body is random (so every run registers new bytes). */
function pdfOfSize(size: number): Buffer {
    const content = randomBytes(size);
    Buffer.from('%PDF-1.7\n').copy(content);
    return content;
}

describe('gateway Fabric edge: the largest document, and Idempotency-Key after a lost race (real Fabric network)', function () {
    let exporter = '';

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        exporter = await login('exporter', 'exporter1');
    });

    const openShipment = async (shipmentId: string): Promise<void> => {
        expectStatus(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId, ...SHIPMENT, commercial: COMMERCIAL } }), 201);
    };

    it(`a document of exactly the upload limit (${LIMITS.transientBytes} bytes) is registered and downloaded byte for byte; one byte more is 413`, async function () {
        this.timeout(300_000);
        const shipmentId = `SHP-BIG-${run}`;
        await openShipment(shipmentId);
        const content = pdfOfSize(LIMITS.transientBytes);
        const sha256 = createHash('sha256').update(content).digest('hex');
        let started = Date.now();
        const registered = expectStatus(await upload('exporter', exporter, shipmentId, `BIG-${run}`, 'commercialInvoice', content), 201);
        const uploadMs = Date.now() - started;
        assert.deepEqual([registered.sha256, registered.size], [sha256, LIMITS.transientBytes]);

        started = Date.now();
        const res = await fetch(`${gatewayUrl('exporter')}/api/v1/documents/BIG-${run}/versions/1/content`, { headers: { authorization: `Bearer ${exporter}` } });
        const downloaded = Buffer.from(await res.arrayBuffer());
        const downloadMs = Date.now() - started;
        assert.equal(res.status, 200, downloaded.subarray(0, 300).toString());
        assert.equal(downloaded.length, content.length);
        assert.equal(createHash('sha256').update(downloaded).digest('hex'), sha256);
        assert.equal(res.headers.get('repr-digest'), `sha-256=:${createHash('sha256').update(content).digest('base64')}:`);
        process.stderr.write(`      [edge] ${LIMITS.transientBytes} bytes: upload ${uploadMs} ms, download ${downloadMs} ms\n`);

        const over = await upload('exporter', exporter, shipmentId, `BIG2-${run}`, 'commercialInvoice', pdfOfSize(LIMITS.transientBytes + 1));
        expectProblem(over, 413, 'PAYLOAD_TOO_LARGE');
        expectProblem(await api('exporter', 'GET', `/api/v1/documents/BIG2-${run}`, { token: exporter }), 404, 'NOT_FOUND');
    });

    describe('with no MVCC retries on the exporter\'s gateway', () => {
        const restartExporterGateway = async (): Promise<void> => {
            await testNetwork.supervisor.stop('gateway.exporter');
            await testNetwork.startGateways();
            exporter = await login('exporter', 'exporter1');
        };

        before(async function () {
            this.timeout(120_000);
            // The gateway takes its tuning from TRADEDOCS_GATEWAY_* at start: with 0 retries the first conflict is a 409.
            process.env.TRADEDOCS_GATEWAY_MVCC_RETRIES = '0';
            await restartExporterGateway();
        });

        after(async function () {
            this.timeout(120_000);
            delete process.env.TRADEDOCS_GATEWAY_MVCC_RETRIES;
            await restartExporterGateway();
        });

        it('a request that lost its MVCC race (409 CONFLICT) runs again when retried with the same Idempotency-Key, and succeeds', async function () {
            this.timeout(300_000);
            const shipmentId = `SHP-RACE-${run}`;
            await openShipment(shipmentId);
            const documentId = `PL-RACE-${run}`;
            expectStatus(await upload('exporter', exporter, shipmentId, documentId, 'packingList', pdfOfSize(1000)), 201);
            // Two new versions of one document at once: both read the head, one commits first, the other is invalidated.
            let lost: { key: string; content: Buffer; answer: ApiResponse } | undefined;
            for (let round = 0; round < 8 && !lost; round++) {
                const attempts = [0, 1].map((i) => ({ key: `race-${run}-${round}-${i}`, content: pdfOfSize(1000 + round * 2 + i) }));
                const answers = await Promise.all(attempts.map((a) => upload('exporter', exporter, shipmentId, documentId, 'packingList', a.content, undefined, 'application/pdf', { 'Idempotency-Key': a.key })));
                const loser = answers.findIndex((a) => a.status === 409);
                if (loser >= 0) {
                    lost = { ...attempts[loser]!, answer: answers[loser]! };
                }
            }
            assert.ok(lost, 'two simultaneous writes of one key conflicted at least once in 8 rounds');
            const problem = expectProblem(lost.answer, 409, 'CONFLICT');
            assert.match(String(problem.detail), /changed concurrently/);
            assert.equal(lost.answer.headers.get('retry-after'), '1');

            const retried = await upload('exporter', exporter, shipmentId, documentId, 'packingList', lost.content, undefined, 'application/pdf', { 'Idempotency-Key': lost.key });
            const version = expectStatus(retried, 201);
            assert.equal(retried.headers.get('idempotent-replayed'), null, 'it ran again: the 409 was not kept');
            assert.equal(version.sha256, createHash('sha256').update(lost.content).digest('hex'));
            const replay = await upload('exporter', exporter, shipmentId, documentId, 'packingList', lost.content, undefined, 'application/pdf', { 'Idempotency-Key': lost.key });
            assert.deepEqual([replay.status, replay.headers.get('idempotent-replayed'), replay.body], [201, 'true', retried.body], 'the success is kept');
        });
    });
});
