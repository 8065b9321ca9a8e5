import * as assert from 'node:assert/strict';
import request from 'supertest';
import { ChaincodeError } from '../../../../gateway/src/errors';
import { type TradeHarness, tradeHarness } from './trade-fakes';

describe('trade gateway: history and dossier', () => {
    let t: TradeHarness;
    before(async function () {
        this.timeout(20_000);
        t = await tradeHarness();
    });

    const get = (path: string) => request(t.app).get(path).set('Authorization', t.auth);

    it('history maps shipment:getHistory entries to transaction id, time and writer, for every record type', async () => {
        t.ledger.on('shipment:getHistory', [
            { txId: 't1', timestamp: '2026-03-01T10:00:00.000Z', isDelete: false, value: { status: 'OPEN', updatedBy: { mspId: 'ExporterMSP', role: 'exporter', id: 'x509::CN=exporter1' } } },
        ]);
        const res = await get('/api/v1/bills-of-lading/BL-1/history').expect(200);
        assert.deepEqual(t.ledger.evaluations.at(-1)?.args, ['billOfLading', 'BL-1']);
        assert.deepEqual(res.body.entries[0], {
            transactionId: 't1', timestamp: '2026-03-01T10:00:00.000Z', isDelete: false,
            by: { mspId: 'ExporterMSP', role: 'exporter', id: 'x509::CN=exporter1' },
            record: { status: 'OPEN', updatedBy: { mspId: 'ExporterMSP', role: 'exporter', id: 'x509::CN=exporter1' } },
        });
        for (const [path, record] of [['shipments', 'shipment'], ['documents', 'document'], ['declarations', 'declaration'], ['certificates', 'certificate'], ['financing', 'financing']]) {
            await get(`/api/v1/${path}/X-1/history`).expect(200);
            assert.deepEqual(t.ledger.evaluations.at(-1)?.args, [record, 'X-1']);
        }
    });

    it('dossier is one evaluate of dossier:getDossier, answered as the chaincode gives it', async () => {
        const dossier = {
            shipment: { shipmentId: 'SHP-1', allowedActions: [] }, commercial: null, documents: [], billsOfLading: [], declarations: [],
            certificates: [], financings: [], hidden: ['commercial'],
        };
        t.ledger.on('dossier:getDossier', dossier);
        const before = t.ledger.evaluations.length;
        const res = await get('/api/v1/shipments/SHP-1/dossier').expect(200);
        assert.deepEqual(res.body, dossier);
        assert.deepEqual(t.ledger.evaluations.slice(before).map((e) => [e.fn, e.args]), [['dossier:getDossier', ['SHP-1']]]);
    });

    it('dossier while the peer still lacks private data: 503 UNAVAILABLE with Retry-After, not a dossier with gaps', async () => {
        t.ledger.on('dossier:getDossier', () => { throw new ChaincodeError('UNAVAILABLE', 'the fields of document INV-1 version 1 is written on the ledger but not yet on this peer'); });
        const res = await get('/api/v1/shipments/SHP-1/dossier').expect(503);
        assert.equal(res.body.code, 'UNAVAILABLE');
        assert.equal(res.headers['retry-after'], '10');
    });

    it('dossier of an unknown shipment is the chaincode\'s 404', async () => {
        t.ledger.on('dossier:getDossier', () => { throw new ChaincodeError('NOT_FOUND', 'shipment NOPE does not exist'); });
        const res = await get('/api/v1/shipments/NOPE/dossier').expect(404);
        assert.equal(res.body.code, 'NOT_FOUND');
    });
});
