import * as assert from 'node:assert/strict';
import request from 'supertest';
import { type TradeHarness, tradeHarness, uid } from './trade-fakes';

const REQUEST = {
    financingType: 'DOCUMENTARY_CREDIT',
    transportDocumentReference: 'BL-1',
    declarationId: 'DEC-1',
    certificateApplicationId: 'COO-1',
    documentIds: { commercialInvoice: 'INV-1', packingList: 'PL-1' },
    requiresBlHeldByBank: true,
    requiresCertificateOfOrigin: true,
};
const TERMS = { amount: '19000.00', currency: 'USD', tenorDays: 90, expiryDate: '2026-06-30' };

describe('trade gateway: financing', () => {
    let t: TradeHarness;
    before(async function () {
        this.timeout(20_000);
        t = await tradeHarness();
    });

    const post = (path: string, body?: object) => {
        const r = request(t.app).post(`/api/v1/financing${path}`).set('Authorization', t.auth);
        return body === undefined ? r : r.send(body);
    };

    it('request sends references as arguments and amount and terms only in transient terms', async () => {
        const financingId = uid('FIN');
        const res = await post('', { financingId, shipmentId: 'SHP-1', ...REQUEST, terms: TERMS }).expect(201);
        assert.equal(res.headers.location, `/api/v1/financing/${financingId}`);
        // The request, then its risk assessment (the amount compared with the invoice on the members' peers).
        const [call, assessment] = t.ledger.submissions.slice(-2) as [typeof t.ledger.submissions[number], typeof t.ledger.submissions[number]];
        assert.equal(call.fn, 'financing:requestFinancing');
        assert.deepEqual([assessment.fn, assessment.args], ['risk:assessFinancing', [financingId]]);
        assert.deepEqual(call.args.slice(0, 2), [financingId, 'SHP-1']);
        assert.deepEqual(JSON.parse(call.args[2]!), REQUEST);
        assert.doesNotMatch(call.args.join(' '), /19000/);
        assert.deepEqual(JSON.parse(String(call.options?.transientData?.['terms'])), TERMS);
    });

    it('request with a float amount or without terms answers 400 and submits nothing', async () => {
        const before = t.ledger.submissions.length;
        await post('', { financingId: uid('FIN'), shipmentId: 'SHP-1', ...REQUEST, terms: { ...TERMS, amount: 19000 } }).expect(400);
        await post('', { financingId: uid('FIN'), shipmentId: 'SHP-1', ...REQUEST }).expect(400);
        assert.equal(t.ledger.submissions.length, before);
    });

    it('examine, approve, reject, release and withdraw submit their transactions with the id first', async () => {
        const steps: [string, object | undefined, string, string[]][] = [
            ['examine', undefined, 'financing:examineFinancing', ['FIN-1']],
            ['approve', { waiveDiscrepancies: true }, 'financing:approveFinancing', ['FIN-1', 'true']],
            ['reject', { reason: 'discrepant' }, 'financing:rejectFinancing', ['FIN-1', 'discrepant']],
            ['release', undefined, 'financing:releaseFunds', ['FIN-1']],
            ['withdraw', undefined, 'financing:withdrawFinancing', ['FIN-1']],
        ];
        for (const [path, body, fn, args] of steps) {
            await post(`/FIN-1/${path}`, body).expect(200);
            assert.deepEqual([t.ledger.submissions.at(-1)?.fn, t.ledger.submissions.at(-1)?.args], [fn, args], path);
        }
    });

    it('approve without saying whether discrepancies are waived answers 400', async () => {
        const before = t.ledger.submissions.length;
        await post('/FIN-1/approve', {}).expect(400);
        assert.equal(t.ledger.submissions.length, before);
    });

    it('approve by the examiner (four-eyes rule) refused by the chaincode answers 403', async () => {
        t.ledger.forbid('financing:approveFinancing');
        assert.equal((await post('/FIN-1/approve', { waiveDiscrepancies: false }).expect(403)).body.code, 'FORBIDDEN');
    });

    it('reads: public part, terms, examination report (the discrepancy list)', async () => {
        t.ledger.on('financing:getExaminationReport', { financingId: 'FIN-1', discrepancies: [{ field: 'packages' }] });
        const report = await request(t.app).get('/api/v1/financing/FIN-1/examination-report').set('Authorization', t.auth).expect(200);
        assert.equal(report.body.discrepancies.length, 1);
        await request(t.app).get('/api/v1/financing/FIN-1').set('Authorization', t.auth).expect(200);
        assert.equal(t.ledger.evaluations.at(-1)?.fn, 'financing:getFinancing');
        t.ledger.forbid('financing:getFinancingTerms');
        await request(t.app).get('/api/v1/financing/FIN-1/terms').set('Authorization', t.auth).expect(403);
    });
});
