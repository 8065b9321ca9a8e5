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

    /** A shipment SHP-1 with one document, a financing that names its B/L, declaration and certificate. */
    function script(): void {
        t.ledger
            .on('shipment:getShipment', { shipmentId: 'SHP-1', status: 'SHIPPED' })
            .on('shipment:getShipmentCommercial', { totalValue: '9000.00' })
            .on('document:listShipmentDocuments', [{ documentId: 'INV-1' }])
            .on('document:getDocument', (args) => ({ documentId: args[0], versions: [{ version: 1 }] }))
            .on('financing:getFinancing', { financingId: 'FIN-1', shipmentId: 'SHP-1', transportDocumentReference: 'BL-1', declarationId: 'DEC-1', certificateApplicationId: 'COO-1' })
            .on('financing:getFinancingTerms', { amount: '9000.00' })
            .on('financing:getExaminationReport', () => { throw new ChaincodeError('NOT_FOUND', 'examinationReport of financing FIN-1 is not on this peer'); })
            .on('declaration:getDeclaration', { declarationId: 'DEC-1', shipmentId: 'SHP-1', version: 2 })
            .on('declaration:getDeclarationDetails', { items: [] })
            .on('billOfLading:getBillOfLading', { transportDocumentReference: 'BL-1', shipmentId: 'SHP-1' })
            .on('billOfLading:getTransferLog', { entries: [], intact: true })
            .on('certificate:getCertificate', { applicationId: 'COO-1', shipmentId: 'SHP-1', status: 'ISSUED' })
            .on('certificate:getCertificateDetails', { items: [] });
    }

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

    it('dossier, named a financing, gathers shipment, documents, B/L, declaration and certificate it references', async () => {
        script();
        const res = await get('/api/v1/shipments/SHP-1/dossier?financing=FIN-1').expect(200);
        assert.equal(res.body.shipment.shipmentId, 'SHP-1');
        assert.deepEqual(res.body.commercial, { totalValue: '9000.00' });
        assert.deepEqual(res.body.documents, [{ documentId: 'INV-1', versions: [{ version: 1 }] }]);
        assert.equal(res.body.billOfLading.record.transportDocumentReference, 'BL-1');
        assert.equal(res.body.billOfLading.transferLog.intact, true);
        assert.deepEqual(res.body.declaration.details, { items: [] });
        assert.equal(res.body.certificate.record.status, 'ISSUED');
        assert.deepEqual(res.body.financing.terms, { amount: '9000.00' });
        assert.equal(res.body.financing.examinationReport, null);
        assert.deepEqual(res.body.hidden, []);
        assert.ok(t.ledger.evaluations.some((c) => c.fn === 'declaration:getDeclarationDetails' && c.args[1] === '2'));
    });

    it('dossier treats FORBIDDEN private parts as not visible, not as a failure', async () => {
        script();
        for (const fn of ['shipment:getShipmentCommercial', 'declaration:getDeclarationDetails', 'certificate:getCertificateDetails', 'financing:getFinancingTerms', 'financing:getExaminationReport']) {
            t.ledger.forbid(fn);
        }
        const res = await get('/api/v1/shipments/SHP-1/dossier?financing=FIN-1').expect(200);
        assert.equal(res.body.commercial, null);
        assert.equal(res.body.declaration.details, null);
        assert.equal(res.body.financing.terms, null);
        assert.equal(res.body.declaration.record.declarationId, 'DEC-1');
        assert.deepEqual(res.body.hidden, ['certificate.details', 'commercial', 'declaration.details', 'financing.examinationReport', 'financing.terms']);
    });

    it('dossier with nothing named has only the shipment and its documents', async () => {
        script();
        const res = await get('/api/v1/shipments/SHP-1/dossier').expect(200);
        assert.deepEqual([res.body.billOfLading, res.body.declaration, res.body.certificate, res.body.financing], [null, null, null, null]);
    });

    it('dossier naming a record of another shipment answers 400', async () => {
        script();
        t.ledger.on('billOfLading:getBillOfLading', { transportDocumentReference: 'BL-9', shipmentId: 'SHP-9' });
        const res = await get('/api/v1/shipments/SHP-1/dossier?billOfLading=BL-9').expect(400);
        assert.match(res.body.detail, /SHP-9/);
    });

    it('dossier reads the shipment, its documents and commercial part together, and reports the shipment\'s error first', async () => {
        script();
        t.ledger.reset();
        t.ledger
            .on('shipment:getShipment', () => { throw new ChaincodeError('NOT_FOUND', 'shipment NOPE does not exist'); })
            .on('document:listShipmentDocuments', () => { throw new ChaincodeError('FAILED_PRECONDITION', 'listed before the shipment failed'); })
            .on('shipment:getShipmentCommercial', () => { throw new ChaincodeError('FAILED_PRECONDITION', 'read before the shipment failed'); });
        const res = await get('/api/v1/shipments/NOPE/dossier').expect(404);
        assert.equal(res.body.detail, 'shipment NOPE does not exist');
        // Started without waiting for the shipment; their failures are not reported, nor left unhandled.
        assert.deepEqual(t.ledger.evaluations.map((e) => e.fn).sort(), ['document:listShipmentDocuments', 'shipment:getShipment', 'shipment:getShipmentCommercial']);
    });

    it('dossier of an unknown shipment answers 404', async () => {
        t.ledger.on('shipment:getShipment', () => { throw new ChaincodeError('NOT_FOUND', 'shipment NOPE does not exist'); });
        assert.equal((await get('/api/v1/shipments/NOPE/dossier').expect(404)).body.code, 'NOT_FOUND');
    });
});
