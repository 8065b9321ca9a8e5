/**
 * Two organisations changing the same record at the same moment, through their own REST gateways: the exporter
 * cancels a shipment while the carrier issues its B/L (both read and write the shipment key); the exporter cancels
 * a declaration while a customs supervisor releases it: each race has exactly one winner; the loser is told (409
 * CONFLICT after the gateway's MVCC retries, or 422 when the retry sees the winner's state); the ledger holds the
 * winner's state and exactly one write after the setup. The shipper approves a B/L draft while the carrier revises
 * it: whichever order, no approval covers what the shipper did not review, and nothing is issued on it.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { waitFor } from '../../network/src/processes';
import { BILL_OF_LADING, COMMERCIAL, DECLARATION_DETAILS, SHIPMENT } from '../unit/chaincode/fixtures';
import { type ApiResponse, api, login } from '../integration/gateway-client';
import { testNetwork } from '../integration/harness';

const run = randomUUID().slice(0, 8);
type Json = Record<string, unknown>;
const ROUNDS = 3;

function expectCreated(res: ApiResponse): Json {
    assert.ok(res.status === 200 || res.status === 201, `setup step answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Json;
}

/** Exactly one of the two answers is a success; the other is a problem saying why it lost. Returns the winner's index. */
function oneWinner(results: readonly ApiResponse[], label: string, alsoLoses: readonly string[] = []): number {
    const winners = results.map((r, i) => [r, i] as const).filter(([r]) => r.status >= 200 && r.status < 300);
    assert.equal(winners.length, 1, `${label}: exactly one wins, got ${results.map((r) => `${r.status} ${JSON.stringify(r.body)}`).join(' / ')}`);
    const [, winner] = winners[0]!;
    const loser = results[1 - winner]!;
    assert.match(loser.headers.get('content-type') ?? '', /application\/problem\+json/, label);
    const code = (loser.body as Json).code;
    assert.ok((loser.status === 409 && code === 'CONFLICT') || (loser.status === 422 && code === 'FAILED_PRECONDITION') || alsoLoses.includes(`${loser.status} ${String(code)}`),
        `${label}: the loser is told it lost (409 CONFLICT or 422 FAILED_PRECONDITION), got ${loser.status} ${JSON.stringify(loser.body)}`);
    return winner;
}

describe('concurrent updates of the same record by two organisations (real Fabric network)', function () {
    const tokens: Record<string, string> = {};
    const as = (user: string): string => tokens[user] ?? assert.fail(`${user} is not logged in`);
    const losses: string[] = [];

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        for (const [org, user] of [['exporter', 'exporter1'], ['carrier', 'carrier-agent1'], ['customs', 'customs-officer1'], ['customs', 'customs-supervisor1']] as const) {
            tokens[user] = await login(org, user);
        }
    });

    after(() => process.stderr.write(`      [races] losers were told: ${losses.join(', ')}\n`));

    const openShipment = async (id: string): Promise<void> => {
        expectCreated(await api('exporter', 'POST', '/api/v1/shipments', { token: as('exporter1'), json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL } }));
        // The answer followed the exporter peer's commit; the others' peers may commit that block a moment later
        // (under SmartBFT each peer takes blocks from its own orderer). The races below start once all see it.
        for (const [org, user] of [['carrier', 'carrier-agent1'], ['customs', 'customs-officer1']] as const) {
            await waitFor(`${org} to see shipment ${id}`, async () => (await api(org, 'GET', `/api/v1/shipments/${id}`, { token: as(user) })).status === 200, 30_000);
        }
    };
    const history = async (collection: string, id: string): Promise<Json[]> => {
        const res = await api('customs', 'GET', `/api/v1/${collection}/${id}/history`, { token: as('customs-officer1') });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        return (res.body as { entries: Json[] }).entries;
    };

    it('the exporter cancels a shipment while the carrier issues its B/L: one wins, the shipment and the B/L agree', async () => {
        for (let round = 0; round < ROUNDS; round++) {
            const shipmentId = `SHP-RACE-${run}-${round}`;
            const tdr = `BLRACE${run}${round}`;
            await openShipment(shipmentId);
            const results = await Promise.all([
                api('exporter', 'POST', `/api/v1/shipments/${shipmentId}/cancel`, { token: as('exporter1') }),
                api('carrier', 'POST', '/api/v1/bills-of-lading', { token: as('carrier-agent1'), json: { transportDocumentReference: tdr, shipmentId, ...BILL_OF_LADING } }),
            ]);
            const winner = oneWinner(results, `round ${round}`);
            losses.push(`${results[1 - winner]!.status}`);

            // Read through customs, whose peer may commit the winning block a moment after the winner's own peer.
            await waitFor(`the customs peer to see round ${round}'s winning write`, async () => (await history('shipments', shipmentId)).length >= 2, 10_000);
            const shipment = (await api('customs', 'GET', `/api/v1/shipments/${shipmentId}`, { token: as('customs-officer1') })).body as Json;
            const bl = await api('customs', 'GET', `/api/v1/bills-of-lading/${tdr}`, { token: as('customs-officer1') });
            if (winner === 0) {
                assert.equal(shipment.status, 'CANCELLED');
                assert.equal(bl.status, 404, 'no B/L for a cancelled shipment');
            } else {
                assert.equal(shipment.status, 'SHIPPED');
                assert.equal(bl.status, 200);
                assert.equal((bl.body as Json).shipmentId, shipmentId);
            }
            // Opened, then exactly one change: nothing was written over.
            assert.deepEqual((await history('shipments', shipmentId)).map((e) => (e.record as Json).status), ['OPEN', winner === 0 ? 'CANCELLED' : 'SHIPPED']);
        }
    });

    it('the exporter cancels a declaration while a customs supervisor releases it: one wins, one write', async () => {
        for (let round = 0; round < ROUNDS; round++) {
            const shipmentId = `SHP-DRACE-${run}-${round}`;
            const declarationId = `DEC-RACE-${run}-${round}`;
            await openShipment(shipmentId);
            expectCreated(await api('exporter', 'POST', '/api/v1/declarations', {
                token: as('exporter1'), json: { declarationId, shipmentId, declarationType: 'EX', lrn: `LRN-RACE-${run}-${round}`, details: DECLARATION_DETAILS },
            }));
            const mrn = `26CN${`${run}${round}`.toUpperCase().replace(/[^A-Z0-9]/g, '0').padEnd(14, '0').slice(0, 14)}`;
            expectCreated(await api('customs', 'POST', `/api/v1/declarations/${declarationId}/accept`, { token: as('customs-officer1'), json: { mrn } }));
            const before = (await history('declarations', declarationId)).length;
            const results = await Promise.all([
                api('exporter', 'POST', `/api/v1/declarations/${declarationId}/cancel`, { token: as('exporter1'), json: { reason: 'order withdrawn by the buyer' } }),
                api('customs', 'POST', `/api/v1/declarations/${declarationId}/release`, { token: as('customs-supervisor1') }),
            ]);
            const winner = oneWinner(results, `round ${round}`);
            losses.push(`${results[1 - winner]!.status}`);
            const declaration = (await api('exporter', 'GET', `/api/v1/declarations/${declarationId}`, { token: as('exporter1') })).body as Json;
            assert.equal(declaration.status, winner === 0 ? 'CANCELLED' : 'RELEASED');
            assert.equal((await history('declarations', declarationId)).length, before + 1, 'exactly one write after acceptance');
        }
    });

    it('the shipper approves a B/L draft while the carrier revises it: an approval never covers content the shipper did not review', async () => {
        for (let round = 0; round < ROUNDS; round++) {
            const shipmentId = `SHP-BLDRAFT-${run}-${round}`;
            const tdr = `BLDRAFT${run}${round}`;
            await openShipment(shipmentId);
            const draft = expectCreated(await api('carrier', 'POST', '/api/v1/bills-of-lading/drafts', { token: as('carrier-agent1'), json: { transportDocumentReference: tdr, shipmentId, ...BILL_OF_LADING } }));
            const reviewed = String(draft.documentChecksum);
            await waitFor(`the exporter peer to see round ${round}'s draft`, async () => (await api('exporter', 'GET', `/api/v1/bills-of-lading/drafts/${tdr}`, { token: as('exporter1') })).status === 200, 30_000);
            const revision = { transportDocumentReference: tdr, shipmentId, ...BILL_OF_LADING, vesselName: 'Blue Dawn' };
            const [revised, approved] = await Promise.all([
                api('carrier', 'POST', '/api/v1/bills-of-lading/drafts', { token: as('carrier-agent1'), json: revision }),
                api('exporter', 'POST', `/api/v1/bills-of-lading/drafts/${tdr}/approve`, { token: as('exporter1'), json: { documentChecksum: reviewed } }),
            ]);
            // A revision is allowed from DRAFT and from APPROVED, so it always goes through; the approval either came
            // first (and the revision then cleared it) or is refused because the draft it named is gone.
            assert.equal(revised.status, 201, JSON.stringify(revised.body));
            assert.ok(approved.status === 200 || (approved.status === 422 && (approved.body as Json).code === 'FAILED_PRECONDITION'), `${approved.status} ${JSON.stringify(approved.body)}`);
            losses.push(`approval ${approved.status}`);
            const now = async (): Promise<Json> => (await api('carrier', 'GET', `/api/v1/bills-of-lading/drafts/${tdr}`, { token: as('carrier-agent1') })).body as Json;
            await waitFor(`the carrier peer to have both writes of round ${round}`, async () => {
                const d = await now();
                return d.revision === 2 && (approved.status !== 200 || d.approvedBy === undefined);
            }, 30_000);
            const d = await now();
            assert.deepEqual([d.draftStatus, d.revision, d.approvedBy, d.documentChecksum === reviewed], ['DRAFT', 2, undefined, false]);
            // Neither the revision nor the content the shipper reviewed can be issued on that approval.
            for (const content of [revision, { transportDocumentReference: tdr, shipmentId, ...BILL_OF_LADING }]) {
                const issue = await api('carrier', 'POST', '/api/v1/bills-of-lading', { token: as('carrier-agent1'), json: content });
                assert.deepEqual([issue.status, (issue.body as Json).code], [422, 'FAILED_PRECONDITION'], JSON.stringify(issue.body));
            }
        }
    });
});
