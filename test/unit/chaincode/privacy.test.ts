import './quiet-logs';
import assert from 'node:assert/strict';
import { FinancingContract } from '../../../chaincode/src/financing-contract';
import { sha256 } from '../../../chaincode/src/ledger';
import { rejectsWith } from './expect-error';
import { BANK_APPROVER, BANK_OFFICER, EXPORTER, Ledger, compositeKey } from './fake-context';
import { commercialJson, shipmentJson } from './fixtures';
import { shipments, tradeScenario } from './scenario';

const financing = new FinancingContract();

describe('privacy across a whole trade (what reaches the channel)', () => {
    it('no price, total, customs value, financing amount, credit reference or file content is written to world state or an event', async () => {
        const ledger = new Ledger();
        const t = await tradeScenario(ledger);
        await ledger.invoke(EXPORTER, (ctx) => financing.requestFinancing(ctx, 'FIN-P', t.shipmentId, JSON.stringify({
            financingType: 'RECEIVABLES_FINANCING', transportDocumentReference: t.tdr, declarationId: t.declarationId,
            certificateApplicationId: t.certificateId, documentIds: { commercialInvoice: t.invoiceId, packingList: t.packingListId },
            requiresBlHeldByBank: true, requiresCertificateOfOrigin: true,
        })), { transient: { terms: JSON.stringify({ amount: '15555.55', currency: 'USD', tenorDays: 60, expiryDate: '2026-05-31', creditReference: 'SECRET-REF' }) } });
        await ledger.invoke(BANK_OFFICER, (ctx) => financing.examineFinancing(ctx, 'FIN-P'));
        await ledger.invoke(BANK_APPROVER, (ctx) => financing.approveFinancing(ctx, 'FIN-P', 'false'));
        await ledger.invoke(BANK_APPROVER, (ctx) => financing.releaseFunds(ctx, 'FIN-P'));
        const secrets = ['19000', '9000.00', 'unitPrice', 'customsValue', '15555.55', 'SECRET-REF', 'tenorDays', 'contentBase64', 'totalAmount', 'Cotton T-shirts and wool sweaters'];
        const channel = [...ledger.publicWrites, ...ledger.events.map((e) => JSON.stringify(e))];
        for (const secret of secrets) {
            const leak = channel.find((w) => w.includes(secret));
            assert.equal(leak, undefined, `${secret} reached the channel: ${leak ?? ''}`);
        }
        // One event per transaction, each with the same six fields.
        for (const e of ledger.events) {
            assert.deepEqual(Object.keys(e.payload).sort(), ['id', 'record', 'shipmentId', 'status', 'txId', 'type']);
        }
    });
});

describe('salted private values', () => {
    it('every private value of a whole trade holds the transaction\'s salt; public hashes are over the salted bytes', async () => {
        const ledger = new Ledger();
        const t = await tradeScenario(ledger);
        await ledger.invoke(EXPORTER, (ctx) => financing.requestFinancing(ctx, 'FIN-S', t.shipmentId, JSON.stringify({
            financingType: 'RECEIVABLES_FINANCING', transportDocumentReference: t.tdr, declarationId: t.declarationId,
            certificateApplicationId: t.certificateId, documentIds: { commercialInvoice: t.invoiceId, packingList: t.packingListId },
            requiresBlHeldByBank: true, requiresCertificateOfOrigin: true,
        })), { transient: { terms: JSON.stringify({ amount: '15555.55', currency: 'USD', tenorDays: 60, expiryDate: '2026-05-31' }) } });
        await ledger.invoke(BANK_OFFICER, (ctx) => financing.examineFinancing(ctx, 'FIN-S'));
        const stored = [...ledger.privateData].flatMap(([collection, values]) => [...values].map(([key, bytes]) => ({ collection, key, bytes })));
        assert.ok(stored.length >= 7, `private values of every kind: ${stored.map((s) => s.key).join(', ')}`);
        const saltOf = new Map<string, string>();
        for (const { key, bytes } of stored) {
            const salt = String((JSON.parse(bytes.toString('utf8')) as { salt?: unknown }).salt);
            assert.match(salt, /^[0-9a-f]{64}$/, `${key} is salted`);
            saltOf.set(key, salt);
        }
        // A document version's fields are written by the transaction that writes its file: the one salt they share.
        const fieldKeys = [...saltOf.keys()].filter((k) => k.startsWith(compositeKey('documentFields', [])));
        assert.ok(fieldKeys.length > 0);
        for (const k of fieldKeys) {
            assert.equal(saltOf.get(k), saltOf.get(k.replace('documentFields', 'documentContent')));
        }
        assert.equal(new Set(saltOf.values()).size, stored.length - fieldKeys.length, 'a fresh salt per transaction');
        const hashOf = (collection: string, key: string): string => sha256(ledger.privateData.get(collection)?.get(key) ?? Buffer.alloc(0));
        const financingRecord = ledger.getJson(compositeKey('financing', ['FIN-S']));
        assert.equal(financingRecord?.['termsHash'], hashOf('ExporterBankCollection', compositeKey('financingTerms', ['FIN-S'])));
        assert.equal((financingRecord?.['examination'] as Record<string, unknown>)['reportHash'], hashOf('ExporterBankCollection', compositeKey('examinationReport', ['FIN-S'])));
        assert.equal(ledger.getJson(compositeKey('shipment', [t.shipmentId]))?.['commercialHash'], hashOf('ExporterCustomsBankCollection', compositeKey('shipmentCommercial', [t.shipmentId])));
        assert.equal(ledger.getJson(compositeKey('declaration', [t.declarationId]))?.['detailsHash'], hashOf('ExporterCustomsCollection', compositeKey('declarationDetails', [t.declarationId, '000001'])));
        assert.equal(ledger.getJson(compositeKey('certificate', [t.certificateId]))?.['detailsHash'], hashOf('ExporterCustomsBankCollection', compositeKey('certificateDetails', [t.certificateId])));
    });

    it('a private write without a salt of at least 128 bits is refused and writes nothing', async () => {
        for (const options of [{ noSalt: true }, { transient: { commercial: commercialJson(), salt: 'ab'.repeat(15) } }, { transient: { commercial: commercialJson(), salt: 'Z'.repeat(32) } }]) {
            const ledger = new Ledger();
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => shipments.openShipment(ctx, 'SHP-NOSALT', shipmentJson()), { transient: { commercial: commercialJson() }, ...options }),
                'INVALID_ARGUMENT', 'transient salt is required');
            assert.equal(ledger.state.size + ledger.privateData.size, 0);
        }
    });
});
