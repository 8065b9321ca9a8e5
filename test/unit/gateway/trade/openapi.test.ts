import * as assert from 'node:assert/strict';
import request from 'supertest';
import { tradeOperations } from '../../../../gateway/src/trade';
import { ScriptedLedger, type TradeHarness, tradeHarness } from './trade-fakes';

describe('trade gateway: published contract', () => {
    let t: TradeHarness;
    before(async function () {
        this.timeout(20_000);
        t = await tradeHarness();
    });

    it('every trade operation has a unique operationId and appears in /openapi.json with its method', async () => {
        const operations = tradeOperations({ ledger: new ScriptedLedger(), publicVerifier: 'nobody' });
        assert.equal(new Set(operations.map((o) => o.operationId)).size, operations.length);
        const spec = (await request(t.app).get('/openapi.json').expect(200)).body as { paths: Record<string, Record<string, { operationId: string; security: unknown[] }>> };
        for (const o of operations) {
            assert.equal(spec.paths[o.path]?.[o.method]?.operationId, o.operationId, `${o.method} ${o.path}`);
        }
        assert.deepEqual(spec.paths['/api/v1/public/certificates/{certificateNumber}']?.['get']?.security, []);
    });
});
