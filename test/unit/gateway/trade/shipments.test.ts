import * as assert from 'node:assert/strict';
import request from 'supertest';
import { COMMERCIAL, SHIPMENT } from '../../chaincode/fixtures';
import { type TradeHarness, tradeHarness, uid } from './trade-fakes';


describe('trade gateway: shipments', () => {
    let t: TradeHarness;
    before(async function () {
        this.timeout(20_000);
        t = await tradeHarness();
    });

    const post = (body: unknown) => request(t.app).post('/api/v1/shipments').set('Authorization', t.auth).send(body as object);

    it('open, with valid input, submits shipment:openShipment with public facts as arguments and prices only in transient commercial', async () => {
        const shipmentId = uid('SHP');
        t.ledger.on('shipment:openShipment', (args) => ({ shipmentId: args[0], status: 'OPEN' }));
        const res = await post({ shipmentId, ...SHIPMENT, commercial: COMMERCIAL }).expect(201);
        assert.deepEqual(res.body, { shipmentId, status: 'OPEN' });
        assert.equal(res.headers.location, `/api/v1/shipments/${shipmentId}`);
        assert.match(res.headers['x-transaction-id'] ?? '', /^tx-/);
        const call = t.ledger.submissions.at(-1)!;
        assert.equal(call.user, 'exporter1');
        assert.equal(call.fn, 'shipment:openShipment');
        assert.equal(call.args[0], shipmentId);
        assert.deepEqual(JSON.parse(call.args[1]!), SHIPMENT);
        assert.doesNotMatch(call.args.join(' '), /totalValue|unitPrice|9000/);
        assert.deepEqual(Object.keys(call.options?.transientData ?? {}).sort(), ['commercial', 'salt']);
        assert.match(String(call.options?.transientData?.['salt']), /^[0-9a-f]{64}$/, 'a fresh 256-bit salt for the private values');
        assert.deepEqual(JSON.parse(String(call.options?.transientData?.['commercial'])), COMMERCIAL);
    });

    for (const [name, body] of Object.entries({
        'a missing field (commercial)': { shipmentId: 'SHP-X', ...SHIPMENT },
        'an extra field': { shipmentId: 'SHP-X', ...SHIPMENT, commercial: COMMERCIAL, price: '1' },
        'a wrongly typed field (quantity as text)': { shipmentId: 'SHP-X', ...SHIPMENT, commercial: COMMERCIAL, goods: [{ ...SHIPMENT.goods[0], quantity: '2000' }] },
        'a float amount': { shipmentId: 'SHP-X', ...SHIPMENT, commercial: { ...COMMERCIAL, totalValue: 9000.5 } },
        'a malformed port': { shipmentId: 'SHP-X', ...SHIPMENT, commercial: COMMERCIAL, portOfLoading: 'Shanghai' },
        'a control character in a party name': { shipmentId: 'SHP-X', ...SHIPMENT, commercial: COMMERCIAL, consignee: { name: 'Hamburg\u0000Wear', country: 'DE' } },
        'a bidi override in a goods description': { shipmentId: 'SHP-X', ...SHIPMENT, commercial: COMMERCIAL, goods: [{ ...SHIPMENT.goods[0], description: 'shirts \u202Eexe.fdp' }] },
        'a blank reference': { shipmentId: 'SHP-X', ...SHIPMENT, commercial: COMMERCIAL, exporterReference: ' \t ' },
        'a party name of zero-width characters only': { shipmentId: 'SHP-X', ...SHIPMENT, commercial: COMMERCIAL, consignee: { name: '\u200B\u200D\u2060', country: 'DE' } },
        'a currency that is no ISO 4217 money (XXX)': { shipmentId: 'SHP-X', ...SHIPMENT, currency: 'XXX', commercial: COMMERCIAL },
        'an unassigned currency (QQQ)': { shipmentId: 'SHP-X', ...SHIPMENT, currency: 'QQQ', commercial: COMMERCIAL },
        'a user-assigned country (ZZ)': { shipmentId: 'SHP-X', ...SHIPMENT, commercial: COMMERCIAL, countryOfDestination: 'ZZ' },
        'a total finer than the currency\'s minor unit (19000.001 USD)': { shipmentId: 'SHP-X', ...SHIPMENT, commercial: { lines: [COMMERCIAL.lines[0], { lineNo: 2, unitPrice: '20', value: '10000.001' }], totalValue: '19000.001' } },
        'cents of a currency without (JPY)': { shipmentId: 'SHP-X', ...SHIPMENT, currency: 'JPY', commercial: COMMERCIAL },
    })) {
        it(`open, with ${name}, answers 400 and submits nothing`, async () => {
            const before = t.ledger.submissions.length;
            const res = await post(body).expect(400);
            assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
            assert.equal(res.body.code, 'INVALID_ARGUMENT');
            assert.equal(t.ledger.submissions.length, before);
        });
    }

    it('open, with party names in any script, submits them unchanged', async () => {
        const consignee = { name: 'Müller & Søn 株式会社 «Ромашка» שלום 🚢', country: 'DE' };
        await post({ shipmentId: 'SHP-UNICODE', ...SHIPMENT, commercial: COMMERCIAL, consignee }).expect(201);
        assert.deepEqual((JSON.parse(t.ledger.submissions.at(-1)!.args[1]!) as { consignee: unknown }).consignee, consignee);
    });

    it('open, with malformed JSON, answers 400 and submits nothing', async () => {
        const before = t.ledger.submissions.length;
        await request(t.app).post('/api/v1/shipments').set('Authorization', t.auth).set('Content-Type', 'application/json').send('{"shipmentId":').expect(400);
        assert.equal(t.ledger.submissions.length, before);
    });

    it('open, without a token, answers 401 and submits nothing', async () => {
        const before = t.ledger.submissions.length;
        await request(t.app).post('/api/v1/shipments').send({ shipmentId: uid('SHP'), ...SHIPMENT, commercial: COMMERCIAL }).expect(401);
        assert.equal(t.ledger.submissions.length, before);
    });

    it('open, when the chaincode refuses the role, answers 403 FORBIDDEN', async () => {
        t.ledger.forbid('shipment:openShipment');
        try {
            const res = await post({ shipmentId: uid('SHP'), ...SHIPMENT, commercial: COMMERCIAL }).expect(403);
            assert.equal(res.body.code, 'FORBIDDEN');
        } finally {
            t.ledger.on('shipment:openShipment', {});
        }
    });

    it('open, retried with the same Idempotency-Key, submits once and replays the answer', async () => {
        const body = { shipmentId: uid('SHP'), ...SHIPMENT, commercial: COMMERCIAL };
        const key = uid('key');
        const before = t.ledger.submissions.length;
        await post(body).set('Idempotency-Key', key).expect(201);
        const again = await post(body).set('Idempotency-Key', key).expect(201);
        assert.equal(again.headers['idempotent-replayed'], 'true');
        assert.equal(t.ledger.submissions.length, before + 1);
        await post({ ...body, exporterReference: 'other' }).set('Idempotency-Key', key).expect(422);
    });

    it('list by status passes status, limit and cursor, and offers the bookmark as nextCursor after a full page', async () => {
        t.ledger.on('shipment:queryShipmentsByStatus', { records: [{ shipmentId: 'A' }, { shipmentId: 'B' }], fetchedRecordsCount: 2, bookmark: 'bm-2' });
        const res = await request(t.app).get('/api/v1/shipments?status=OPEN&limit=2&cursor=bm-1').set('Authorization', t.auth).expect(200);
        assert.deepEqual(res.body, { items: [{ shipmentId: 'A' }, { shipmentId: 'B' }], nextCursor: 'bm-2' });
        assert.deepEqual(t.ledger.evaluations.at(-1), { user: 'exporter1', fn: 'shipment:queryShipmentsByStatus', args: ['OPEN', '2', 'bm-1'] });
    });

    it('list by party, on a short page, answers nextCursor null', async () => {
        t.ledger.on('shipment:queryShipmentsByParty', { records: [{ shipmentId: 'A' }], fetchedRecordsCount: 1, bookmark: 'bm-9' });
        const res = await request(t.app).get('/api/v1/shipments?party=BankMSP').set('Authorization', t.auth).expect(200);
        assert.equal(res.body.nextCursor, null);
        assert.deepEqual(t.ledger.evaluations.at(-1)?.args, ['BankMSP', '20', '']);
    });

    it('list with both or neither of status and party, or an unknown status, answers 400', async () => {
        await request(t.app).get('/api/v1/shipments?status=OPEN&party=BankMSP').set('Authorization', t.auth).expect(400);
        await request(t.app).get('/api/v1/shipments').set('Authorization', t.auth).expect(400);
        await request(t.app).get('/api/v1/shipments?status=LOST').set('Authorization', t.auth).expect(400);
    });

    it('get and the commercial view read as the caller; a refused commercial view answers 403', async () => {
        t.ledger.on('shipment:getShipment', { shipmentId: 'S1', status: 'OPEN' });
        assert.deepEqual((await request(t.app).get('/api/v1/shipments/S1').set('Authorization', t.auth).expect(200)).body, { shipmentId: 'S1', status: 'OPEN' });
        t.ledger.on('shipment:getShipmentCommercial', COMMERCIAL);
        assert.deepEqual((await request(t.app).get('/api/v1/shipments/S1/commercial').set('Authorization', t.auth).expect(200)).body, COMMERCIAL);
        assert.deepEqual(t.ledger.evaluations.at(-1), { user: 'exporter1', fn: 'shipment:getShipmentCommercial', args: ['S1'] });
        t.ledger.forbid('shipment:getShipmentCommercial');
        assert.equal((await request(t.app).get('/api/v1/shipments/S1/commercial').set('Authorization', t.auth).expect(403)).body.code, 'FORBIDDEN');
    });

    it('cancel submits shipment:cancelShipment with the id', async () => {
        await request(t.app).post('/api/v1/shipments/S2/cancel').set('Authorization', t.auth).expect(200);
        assert.deepEqual(t.ledger.submissions.at(-1)?.args, ['S2']);
        assert.equal(t.ledger.submissions.at(-1)?.fn, 'shipment:cancelShipment');
    });
});
