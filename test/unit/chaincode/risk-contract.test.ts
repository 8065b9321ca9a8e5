import './quiet-logs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { FinancingContract } from '../../../chaincode/src/financing-contract';
import { RiskContract } from '../../../chaincode/src/risk-contract';
import { rejectsWith } from './expect-error';
import { BANK_OFFICER, CARRIER, EXPORTER, Identity, Ledger } from './fake-context';
import { INVOICE_FIELDS, uid } from './fixtures';
import { Trade, billsOfLading, documents, registerDocument, tradeScenario } from './scenario';

const risk = new RiskContract();
const financing = new FinancingContract();
const ANALYST: Identity = { mspId: 'SupervisorMSP', role: 'supervisor_analyst', name: 'ana' };
const OFFICER: Identity = { mspId: 'SupervisorMSP', role: 'supervisor_officer', name: 'otto' };
const TX = 'f'.repeat(64);

interface Alert { alertId: string; rule: string; status: string; shipmentIds: string[]; citations: { record: string; id: string; txId: string }[] }

async function alerts(ledger: Ledger, who: Identity = ANALYST, filter: Record<string, string> = {}): Promise<Alert[]> {
    return (JSON.parse(await ledger.invoke(who, (ctx) => risk.listAlerts(ctx, JSON.stringify(filter)))) as { alerts: Alert[] }).alerts;
}

async function request(ledger: Ledger, t: Trade, amount: string, financingId = uid('FIN')): Promise<string> {
    const req = JSON.stringify({
        financingType: 'RECEIVABLES_FINANCING', transportDocumentReference: t.tdr, declarationId: t.declarationId,
        documentIds: { commercialInvoice: t.invoiceId, packingList: t.packingListId }, requiresBlHeldByBank: false, requiresCertificateOfOrigin: false,
    });
    await ledger.invoke(EXPORTER, (ctx) => financing.requestFinancing(ctx, financingId, t.shipmentId, req),
        { transient: { terms: JSON.stringify({ amount, currency: 'USD', tenorDays: 90, expiryDate: '2026-04-30' }) } });
    return financingId;
}

async function register(ledger: Ledger, documentId: string, shipmentId: string, text: string, fileName?: string): Promise<void> {
    const bytes = Buffer.from(text);
    const meta = JSON.stringify({ docType: 'other', sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mediaType: 'application/pdf', fileName });
    await ledger.invoke(EXPORTER, (ctx) => documents.registerDocument(ctx, documentId, shipmentId, meta), { transient: { content: bytes } });
}

describe('RiskContract: deterministic rules over the ledger', () => {
    let ledger: Ledger;
    beforeEach(() => { ledger = new Ledger(); });

    it('an empty ledger raises nothing; a bad filter is refused by name', async () => {
        assert.deepEqual(await alerts(ledger), []);
        await rejectsWith(ledger.invoke(ANALYST, (ctx) => risk.listAlerts(ctx, JSON.stringify({ colour: 'red' }))), 'INVALID_ARGUMENT', 'filterJson.colour');
        await rejectsWith(ledger.invoke(ANALYST, (ctx) => risk.listAlerts(ctx, JSON.stringify({ rule: 'NOPE' }))), 'INVALID_ARGUMENT', 'filterJson.rule');
    });

    it('DOUBLE_FINANCING: only a refusal that holds is recorded; one alert per document, stable id', async () => {
        const t = await tradeScenario(ledger, { blToBank: false, issueCertificate: false });
        const first = await request(ledger, t, '1000.00');
        const attempt = (financingId: string) => ledger.invoke(EXPORTER, (ctx) => risk.recordRefusedAttempt(ctx, 'FINANCING',
            JSON.stringify({ financingId, transportDocumentReference: t.tdr, declarationId: t.declarationId, refusedTxId: TX })));
        await rejectsWith(attempt(first), 'FAILED_PRECONDITION', 'no refusal to record');
        await attempt('FIN-SECOND');
        await attempt('FIN-THIRD');
        const [alert, ...rest] = await alerts(ledger, ANALYST, { rule: 'DOUBLE_FINANCING' });
        assert.deepEqual(rest, []);
        assert.ok(alert);
        assert.ok(alert.citations.some((c) => c.record === 'financing' && c.id === first));
        assert.equal(alert.citations.filter((c) => c.txId === TX).length, 2);
        assert.deepEqual((await alerts(ledger)).map((a) => a.alertId), [alert.alertId], 'the same id on every evaluation');
        assert.deepEqual(await alerts(ledger, CARRIER), [], 'not the carrier\'s concern');
        assert.equal((await alerts(ledger, BANK_OFFICER)).length, 1);
    });

    it('OVER_FINANCING: compares on the members\' peers and writes no amount; equal is no alert', async () => {
        const over = await tradeScenario(ledger, { blToBank: false, issueCertificate: false });
        const exact = await tradeScenario(ledger, { blToBank: false, issueCertificate: false });
        const a = await request(ledger, over, '19000.01');
        const b = await request(ledger, exact, INVOICE_FIELDS.totalAmount);
        for (const id of [a, b]) {
            await ledger.invoke(EXPORTER, (ctx) => risk.assessFinancing(ctx, id));
        }
        assert.deepEqual((await alerts(ledger)).map((x) => [x.rule, x.shipmentIds[0]]), [['OVER_FINANCING', over.shipmentId]]);
        for (const w of ledger.publicWrites.filter((x) => x.includes('exceedsInvoice'))) {
            assert.doesNotMatch(w, /19000/);
        }
        await rejectsWith(ledger.invoke(ANALYST, (ctx) => risk.assessFinancing(ctx, a)), 'FORBIDDEN', 'risk.assessFinancing');
    });

    it('DUPLICATE_FILE across shipments only; BL_AFTER_END only for a spent B/L', async () => {
        const t1 = await tradeScenario(ledger, { blToBank: false, issueCertificate: false });
        const t2 = await tradeScenario(ledger, { blToBank: false, issueCertificate: false });
        await registerDocument(ledger, EXPORTER, 'SAME-1', t1.shipmentId, 'other', { documentNumber: 'X' });
        await register(ledger, 'NAME-1', t1.shipmentId, 'bytes one', 'survey.pdf');
        await register(ledger, 'NAME-2', t2.shipmentId, 'bytes two', 'survey.pdf');
        assert.deepEqual(await alerts(ledger, ANALYST, { rule: 'DUPLICATE_FILE' }), [], 'the same file name with other bytes is no duplicate');
        await register(ledger, 'COPY-1', t1.shipmentId, 'copied bytes');
        await register(ledger, 'COPY-2', t2.shipmentId, 'copied bytes');
        const [duplicate, ...others] = await alerts(ledger, ANALYST, { rule: 'DUPLICATE_FILE' });
        assert.deepEqual(others, []);
        assert.deepEqual(duplicate?.citations.map((c) => c.id).sort(), ['COPY-1 v1', 'COPY-2 v1']);
        const bl = (action: string) => ledger.invoke(EXPORTER, (ctx) => risk.recordRefusedAttempt(ctx, 'BILL_OF_LADING',
            JSON.stringify({ transportDocumentReference: t2.tdr, action, refusedTxId: TX })));
        await rejectsWith(bl('TRANSFER'), 'FAILED_PRECONDITION', 'is ISSUED, not surrendered');
        await ledger.invoke(EXPORTER, (ctx) => billsOfLading.surrenderForDelivery(ctx, t2.tdr));
        await bl('TRANSFER');
        const [alert] = await alerts(ledger, ANALYST, { rule: 'BL_AFTER_END' });
        assert.deepEqual(alert?.shipmentIds, [t2.shipmentId]);
    });

    it('alert status: analyst acknowledges, officer closes with a reason, nothing else changes it', async () => {
        const t = await tradeScenario(ledger, { blToBank: false, issueCertificate: false });
        const id = await request(ledger, t, '50000.00');
        await ledger.invoke(BANK_OFFICER, (ctx) => risk.assessFinancing(ctx, id));
        const [alert] = await alerts(ledger);
        assert.ok(alert);
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => risk.acknowledgeAlert(ctx, alert.alertId)), 'FORBIDDEN', 'risk.acknowledge');
        const acked = JSON.parse(await ledger.invoke(ANALYST, (ctx) => risk.acknowledgeAlert(ctx, alert.alertId))) as Alert;
        assert.equal(acked.status, 'ACKNOWLEDGED');
        await rejectsWith(ledger.invoke(ANALYST, (ctx) => risk.acknowledgeAlert(ctx, alert.alertId)), 'FAILED_PRECONDITION', 'is ACKNOWLEDGED');
        await rejectsWith(ledger.invoke(ANALYST, (ctx) => risk.closeAlert(ctx, alert.alertId, 'fine')), 'FORBIDDEN', 'risk.close');
        await ledger.invoke(OFFICER, (ctx) => risk.closeAlert(ctx, alert.alertId, 'freight included'));
        assert.deepEqual((await alerts(ledger, ANALYST, { status: 'CLOSED' })).map((a) => a.alertId), [alert.alertId]);
        await rejectsWith(ledger.invoke(OFFICER, (ctx) => risk.closeAlert(ctx, 'OVER_FINANCING-000000000000000000000000', 'x')), 'NOT_FOUND', 'does not exist');
    });
});
