import * as assert from 'node:assert/strict';
import request from 'supertest';
import { type TradeHarness, tradeHarness } from './trade-fakes';

describe('trade gateway: work queues with cursors', () => {
    let t: TradeHarness;
    before(async function () {
        this.timeout(20_000);
        t = await tradeHarness();
    });

    const get = (path: string) => request(t.app).get(path).set('Authorization', t.auth);

    for (const [path, fn] of [
        ['/api/v1/declarations?status=LODGED', 'declaration:queryDeclarationsByStatus'],
        ['/api/v1/certificates?status=APPLIED', 'certificate:queryCertificatesByStatus'],
        ['/api/v1/financing?status=REQUESTED', 'financing:queryFinancingsByStatus'],
        ['/api/v1/bills-of-lading?status=ISSUED', 'billOfLading:queryBillsOfLadingByStatus'],
        ['/api/v1/bills-of-lading?holder=BankMSP', 'billOfLading:queryBillsOfLadingByHolder'],
    ] as const) {
        it(`${path}: a full page hands out the peer's bookmark as nextCursor, which the next request passes back`, async () => {
            t.ledger.on(fn, { records: [{ id: 1 }, { id: 2 }], fetchedRecordsCount: 2, bookmark: 'bm-2' });
            const first = await get(`${path}&limit=2`).expect(200);
            assert.deepEqual(first.body, { items: [{ id: 1 }, { id: 2 }], nextCursor: 'bm-2' });
            assert.deepEqual(t.ledger.evaluations.at(-1), { user: t.ledger.evaluations.at(-1)?.user, fn, args: [path.split('=')[1], '2', ''] });
            t.ledger.on(fn, { records: [{ id: 3 }], fetchedRecordsCount: 1, bookmark: 'bm-3' });
            const last = await get(`${path}&limit=2&cursor=bm-2`).expect(200);
            assert.equal(last.body.nextCursor, null, 'a short page is the last');
            assert.deepEqual(t.ledger.evaluations.at(-1)?.args.slice(1), ['2', 'bm-2']);
        });
    }

    it('a status the chaincode\'s status machine does not have, or both status and holder, is 400 and reads nothing', async () => {
        const before = t.ledger.evaluations.length;
        await get('/api/v1/declarations?status=SHIPPED').expect(400);
        await get('/api/v1/declarations').expect(400);
        await get('/api/v1/bills-of-lading?status=ISSUED&holder=BankMSP').expect(400);
        assert.equal(t.ledger.evaluations.length, before);
    });
});
