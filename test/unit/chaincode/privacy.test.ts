import './quiet-logs';
import assert from 'node:assert/strict';
import { FinancingContract } from '../../../chaincode/src/financing-contract';
import { BANK_APPROVER, BANK_OFFICER, EXPORTER, Ledger } from './fake-context';
import { tradeScenario } from './scenario';

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
