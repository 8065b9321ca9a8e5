import * as assert from 'node:assert/strict';
import request from 'supertest';
import { ApiError } from '../../../../gateway/src/errors';
import { type TradeHarness, tradeHarness, uid } from './trade-fakes';

const DETAILS = {
    exporter: { name: 'Chengdu Panda Textiles Co', country: 'CN' },
    consignee: { name: 'Hamburg Wear GmbH', country: 'DE' },
    portOfLoading: 'CNSHA',
    portOfDischarge: 'DEHAM',
    items: [{ marks: 'HWG/HAM/1-120', packages: 120, description: 'Cotton T-shirts', hsCode: '610910', quantity: 2500, grossWeightKg: '1500.5', invoiceNumber: 'INV-7', invoiceDate: '2026-02-25' }],
};
const APPLICATION = { certificateType: 'PREFERENTIAL', countryOfOrigin: 'CN', originCriterion: 'WO', documentSha256: 'a'.repeat(64) };

describe('trade gateway: certificates of origin', () => {
    let t: TradeHarness;
    before(async function () {
        this.timeout(20_000);
        t = await tradeHarness();
    });

    const post = (path: string, body: object) => request(t.app).post(`/api/v1/certificates${path}`).set('Authorization', t.auth).send(body);

    it('apply sends the application as arguments and the details only in transient certificate', async () => {
        const applicationId = uid('COO');
        await post('', { applicationId, shipmentId: 'SHP-1', ...APPLICATION, details: DETAILS }).expect(201);
        const call = t.ledger.submissions.at(-1)!;
        assert.equal(call.fn, 'certificate:applyForCertificate');
        assert.deepEqual(call.args.slice(0, 2), [applicationId, 'SHP-1']);
        assert.deepEqual(JSON.parse(call.args[2]!), APPLICATION);
        assert.deepEqual(JSON.parse(String(call.options?.transientData?.['certificate'])), DETAILS);
        assert.doesNotMatch(call.args.join(' '), /Hamburg/);
    });

    it('apply with an 8-digit HS code on an item answers 400 and submits nothing', async () => {
        const before = t.ledger.submissions.length;
        await post('', { applicationId: uid('COO'), shipmentId: 'SHP-1', ...APPLICATION, details: { ...DETAILS, items: [{ ...DETAILS.items[0], hsCode: '61091000' }] } }).expect(400);
        assert.equal(t.ledger.submissions.length, before);
    });

    it('issue, reject and revoke pass the application id and their one argument', async () => {
        await post('/COO-1/issue', { certificateNumber: 'CN-COO-2026-0001' }).expect(200);
        assert.deepEqual([t.ledger.submissions.at(-1)?.fn, t.ledger.submissions.at(-1)?.args], ['certificate:issueCertificate', ['COO-1', 'CN-COO-2026-0001']]);
        await post('/COO-1/reject', { reason: 'origin not shown' }).expect(200);
        assert.deepEqual(t.ledger.submissions.at(-1)?.args, ['COO-1', 'origin not shown']);
        await post('/COO-1/revoke', { reason: 'fraud' }).expect(200);
        assert.equal(t.ledger.submissions.at(-1)?.fn, 'certificate:revokeCertificate');
    });

    it('revoke refused by the chaincode answers 403', async () => {
        t.ledger.forbid('certificate:revokeCertificate');
        assert.equal((await post('/COO-1/revoke', { reason: 'fraud' }).expect(403)).body.code, 'FORBIDDEN');
    });

    it('public verification works without a token, signed by the gateway\'s verifier identity, and answers only verifyCertificate\'s result', async () => {
        const answer = { certificateNumber: 'CN-COO-2026-0001', status: 'ISSUED', issuer: { mspId: 'CustomsMSP', role: 'customs_officer' }, issueDate: '2026-03-02', documentSha256: 'a'.repeat(64) };
        t.ledger.on('certificate:verifyCertificate', answer);
        const res = await request(t.app).get('/api/v1/public/certificates/CN-COO-2026-0001').expect(200);
        assert.deepEqual(res.body, answer);
        assert.deepEqual(t.ledger.evaluations.at(-1), { user: 'exporter1', fn: 'certificate:verifyCertificate', args: ['CN-COO-2026-0001'] });
    });

    it('public verification, when the verifier account is revoked, answers 503 rather than blaming the anonymous caller', async () => {
        t.ledger.on('certificate:verifyCertificate', () => { throw new ApiError('UNAUTHENTICATED', 'the account is revoked'); });
        const res = await request(t.app).get('/api/v1/public/certificates/CN-COO-2026-0001').expect(503);
        assert.equal(res.body.code, 'UNAVAILABLE');
    });

    it('public verification of a malformed number answers 400 without asking the ledger', async () => {
        const before = t.ledger.evaluations.length;
        await request(t.app).get('/api/v1/public/certificates/%20bad%20').expect(400);
        assert.equal(t.ledger.evaluations.length, before);
    });

    it('details refused to an organisation outside the collection answer 403', async () => {
        t.ledger.forbid('certificate:getCertificateDetails');
        await request(t.app).get('/api/v1/certificates/COO-1/details').set('Authorization', t.auth).expect(403);
        await request(t.app).get('/api/v1/certificates/COO-1').set('Authorization', t.auth).expect(200);
    });
});
