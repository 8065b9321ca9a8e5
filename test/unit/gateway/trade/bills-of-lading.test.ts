import * as assert from 'node:assert/strict';
import request from 'supertest';
import { type TradeHarness, tradeHarness, uid } from './trade-fakes';

const CONTENT = {
    transportDocumentTypeCode: 'BOL',
    isToOrder: true,
    shipper: { name: 'Chengdu Panda Textiles Co', country: 'CN' },
    carrierCode: 'BOLU',
    portOfLoading: 'CNSHA',
    portOfDischarge: 'DEHAM',
    vesselName: 'Blue Horizon',
    carrierExportVoyageNumber: '042W',
    shippedOnBoardDate: '2026-03-01',
    consignmentItems: [{ descriptionOfGoods: 'Cotton T-shirts', hsCodes: ['610910'], numberOfPackages: 100, packageCode: 'CT', grossWeightKg: '1200.5' }],
    equipmentReferences: ['MSCU1234567'],
};

describe('trade gateway: bills of lading', () => {
    let t: TradeHarness;
    before(async function () {
        this.timeout(20_000);
        t = await tradeHarness();
    });

    const post = (path: string, body?: object) => {
        const r = request(t.app).post(`/api/v1/bills-of-lading${path}`).set('Authorization', t.auth);
        return body === undefined ? r : r.send(body);
    };
    const holding = (holderMspId: string, extra: object = {}) =>
        t.ledger.on('billOfLading:getBillOfLading', { transportDocumentReference: 'BL-1', holderMspId, carrierMspId: 'CarrierMSP', ...extra });

    it('issue submits billOfLading:issueBillOfLading with reference, shipment and content, leaving endorsers to discovery', async () => {
        const tdr = uid('BL');
        const res = await post('', { transportDocumentReference: tdr, shipmentId: 'SHP-1', ...CONTENT }).expect(201);
        assert.equal(res.headers.location, `/api/v1/bills-of-lading/${tdr}`);
        const call = t.ledger.submissions.at(-1)!;
        assert.equal(call.fn, 'billOfLading:issueBillOfLading');
        assert.deepEqual(call.args.slice(0, 2), [tdr, 'SHP-1']);
        assert.deepEqual(JSON.parse(call.args[2]!), CONTENT);
        assert.equal(call.options?.endorsingOrganizations, undefined);
    });

    it('issue with a lower-case carrier code answers 400 and submits nothing', async () => {
        const before = t.ledger.submissions.length;
        await post('', { transportDocumentReference: uid('BL'), shipmentId: 'SHP-1', ...CONTENT, carrierCode: 'bolu' }).expect(400);
        assert.equal(t.ledger.submissions.length, before);
    });

    it('transfer submits at once, endorsers left to the peer gateway (it plans from the key-level policy)', async () => {
        const reads = t.ledger.evaluations.length;
        await post('/BL-1/transfer', { toMspId: 'BankMSP' }).expect(200);
        assert.equal(t.ledger.evaluations.length, reads, 'no re-read of the B/L');
        const call = t.ledger.submissions.at(-1)!;
        assert.equal(call.fn, 'billOfLading:transferBillOfLading');
        assert.deepEqual(call.args, ['BL-1', 'BankMSP']);
        assert.equal(call.options?.endorsingOrganizations, undefined);
    });

    it('endorse sends the endorsee as JSON', async () => {
        await post('/BL-1/endorse', { mspId: 'ExporterMSP', name: 'Chengdu Panda Textiles Co' }).expect(200);
        const call = t.ledger.submissions.at(-1)!;
        assert.equal(call.fn, 'billOfLading:endorseBillOfLading');
        assert.deepEqual(JSON.parse(call.args[1]!), { mspId: 'ExporterMSP', name: 'Chengdu Panda Textiles Co' });
        assert.equal(call.options?.endorsingOrganizations, undefined);
    });

    it('surrender picks the transaction by purpose', async () => {
        holding('ExporterMSP');
        await post('/BL-1/surrender', { purpose: 'DELIVERY' }).expect(200);
        assert.equal(t.ledger.submissions.at(-1)?.fn, 'billOfLading:surrenderForDelivery');
        await post('/BL-1/surrender', { purpose: 'AMENDMENT' }).expect(200);
        assert.equal(t.ledger.submissions.at(-1)?.fn, 'billOfLading:surrenderForAmendment');
        assert.deepEqual(t.ledger.submissions.at(-1)?.args, ['BL-1']);
    });

    it('accept, reject, amend and void submit the carrier\'s transactions', async () => {
        await post('/BL-1/surrender/accept').expect(200);
        await post('/BL-1/surrender/reject', { reason: 'not the holder of record' }).expect(200);
        await post('/BL-1/amend', CONTENT).expect(200);
        await post('/BL-1/void', { reason: 'issued in error' }).expect(200);
        const calls = t.ledger.submissions.slice(-4);
        assert.deepEqual(calls.map((c) => c.fn), ['billOfLading:acceptSurrender', 'billOfLading:rejectSurrender', 'billOfLading:amendBillOfLading', 'billOfLading:voidBillOfLading']);
        assert.deepEqual(calls.map((c) => c.args.length), [1, 2, 2, 2]);
    });

    it('a write with a bad body answers 400 and neither reads nor submits', async () => {
        const before = [t.ledger.evaluations.length, t.ledger.submissions.length];
        await post('/BL-1/transfer', { toMspId: 'CustomsMSP' }).expect(400);
        await post('/BL-1/surrender', { purpose: 'LUNCH' }).expect(400);
        await post('/BL-1/void', {}).expect(400);
        assert.deepEqual([t.ledger.evaluations.length, t.ledger.submissions.length], before);
    });

    it('a holder action refused by the chaincode answers 403 FORBIDDEN', async () => {
        t.ledger.forbid('billOfLading:transferBillOfLading');
        const res = await post('/BL-1/transfer', { toMspId: 'ExporterMSP' }).expect(403);
        assert.equal(res.body.code, 'FORBIDDEN');
    });

    it('get and the transfer log read as the caller', async () => {
        holding('ExporterMSP');
        await request(t.app).get('/api/v1/bills-of-lading/BL-1').set('Authorization', t.auth).expect(200);
        t.ledger.on('billOfLading:getTransferLog', { transportDocumentReference: 'BL-1', entries: [], intact: true });
        const res = await request(t.app).get('/api/v1/bills-of-lading/BL-1/transfer-log').set('Authorization', t.auth).expect(200);
        assert.equal(res.body.intact, true);
    });
});
