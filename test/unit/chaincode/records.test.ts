import './quiet-logs';
import assert from 'node:assert/strict';
import type { Context } from 'fabric-contract-api';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DossierContract } from '../../../chaincode/src/dossier-contract';
import { FinancingContract } from '../../../chaincode/src/financing-contract';
import { rejectsWith } from './expect-error';
import { BANK_OFFICER, CARRIER, CUSTOMS, EXPORTER, Ledger, compositeKey } from './fake-context';
import { billOfLadingJson, declarationDetailsJson, uid } from './fixtures';
import { billsOfLading, certificates, declarations, documents, openShipment, shipments, tradeScenario } from './scenario';

type Json = Record<string, unknown>;
const dossiers = new DossierContract();
const financing = new FinancingContract();

async function requestFinancing(ledger: Ledger, t: Awaited<ReturnType<typeof tradeScenario>>, financingId: string): Promise<void> {
    await ledger.invoke(EXPORTER, (ctx) => financing.requestFinancing(ctx, financingId, t.shipmentId, JSON.stringify({
        financingType: 'RECEIVABLES_FINANCING', transportDocumentReference: t.tdr, declarationId: t.declarationId,
        certificateApplicationId: t.certificateId, documentIds: { commercialInvoice: t.invoiceId, packingList: t.packingListId },
        requiresBlHeldByBank: true, requiresCertificateOfOrigin: true,
    })), { transient: { terms: JSON.stringify({ amount: '15000.00', currency: 'USD', tenorDays: 60, expiryDate: '2026-05-31' }) } });
}

async function dossierOf(ledger: Ledger, who: typeof EXPORTER, shipmentId: string): Promise<Json> {
    return JSON.parse(await ledger.invoke(who, (ctx) => dossiers.getDossier(ctx, shipmentId))) as Json;
}

describe('record layer: indexes, queues, dossier, allowed actions', () => {
    it('list…ByShipment finds every B/L, declaration, certificate and financing of a shipment by its index, no id guessed', async () => {
        const ledger = new Ledger();
        const t = await tradeScenario(ledger);
        await requestFinancing(ledger, t, 'FIN-L');
        const other = await tradeScenario(ledger);
        const ids = async (fn: (ctx: Context) => Promise<string>, field: string) =>
            (JSON.parse(await ledger.invoke(CUSTOMS, fn)) as Json[]).map((r) => r[field]);
        assert.deepEqual(await ids((ctx) => billsOfLading.listBillsOfLadingByShipment(ctx, t.shipmentId), 'transportDocumentReference'), [t.tdr]);
        assert.deepEqual(await ids((ctx) => declarations.listDeclarationsByShipment(ctx, t.shipmentId), 'declarationId'), [t.declarationId]);
        assert.deepEqual(await ids((ctx) => certificates.listCertificatesByShipment(ctx, t.shipmentId), 'applicationId'), [t.certificateId]);
        assert.deepEqual(await ids((ctx) => financing.listFinancingsByShipment(ctx, other.shipmentId), 'financingId'), []);
        assert.deepEqual(await ids((ctx) => financing.listFinancingsByShipment(ctx, t.shipmentId), 'financingId'), ['FIN-L']);
    });

    it('a status queue pages with a bookmark: 25 lodged declarations in pages of 10, each once; an accepted one moves queues', async () => {
        const ledger = new Ledger();
        const shipmentId = uid('SHP');
        await openShipment(ledger, shipmentId);
        const lodged: string[] = [];
        for (let i = 0; i < 25; i++) {
            const id = `DEC-Q-${String(i).padStart(2, '0')}`;
            await ledger.invoke(EXPORTER, (ctx) => declarations.lodgeDeclaration(ctx, id, shipmentId, JSON.stringify({ declarationType: 'EX', lrn: `LRN-Q-${i}` })),
                { transient: { declaration: declarationDetailsJson() } });
            lodged.push(id);
        }
        const queue = async (status: string, bookmark: string) => JSON.parse(await ledger.invoke(CUSTOMS,
            (ctx) => declarations.queryDeclarationsByStatus(ctx, status, '10', bookmark))) as { records: Json[]; bookmark: string };
        const seen: string[] = [];
        let bookmark = '';
        let pages = 0;
        do {
            const page = await queue('LODGED', bookmark);
            seen.push(...page.records.map((r) => String(r['declarationId'])));
            assert.ok(page.records.every((r) => (r['allowedActions'] as string[]).includes('acceptDeclaration')), 'customs may accept a lodged one');
            bookmark = page.bookmark;
            pages++;
        } while (bookmark !== '' && pages < 10);
        assert.deepEqual(seen.sort(), lodged);
        assert.equal(pages, 3);

        await ledger.invoke(CUSTOMS, (ctx) => declarations.acceptDeclaration(ctx, 'DEC-Q-24', '26CN0000000000024A'));
        const accepted = await queue('ACCEPTED', '');
        assert.deepEqual(accepted.records.map((r) => r['declarationId']), ['DEC-Q-24']);
        let remaining = 0;
        for (let b = '', n = 0; n === 0 || b !== ''; n++) {
            const page = await queue('LODGED', b);
            remaining += page.records.length;
            assert.ok(!page.records.some((r) => r['declarationId'] === 'DEC-Q-24'), 'gone from LODGED');
            b = page.bookmark;
        }
        assert.equal(remaining, 24);
    });

    it('allowedActions come from the one status machine: Issue B/L on a SHIPPED shipment is offered, transfer of a sea waybill is not', async () => {
        const ledger = new Ledger();
        const shipmentId = uid('SHP');
        await openShipment(ledger, shipmentId);
        await ledger.invoke(CARRIER, (ctx) => billsOfLading.issueBillOfLading(ctx, uid('BOLU'), shipmentId, billOfLadingJson()));
        const shipment = JSON.parse(await ledger.invoke(CARRIER, (ctx) => shipments.getShipment(ctx, shipmentId))) as Json;
        assert.equal(shipment['status'], 'SHIPPED');
        assert.deepEqual(shipment['allowedActions'], ['registerDocument', 'issueBillOfLading'], 'the chaincode lets the carrier issue another B/L on a SHIPPED shipment');
        const exporterView = JSON.parse(await ledger.invoke(EXPORTER, (ctx) => shipments.getShipment(ctx, shipmentId))) as Json;
        assert.deepEqual(exporterView['allowedActions'], ['registerDocument', 'lodgeDeclaration', 'applyForCertificate', 'requestFinancing']);

        const swb = uid('SWB');
        await ledger.invoke(CARRIER, (ctx) => billsOfLading.issueBillOfLading(ctx, swb, shipmentId,
            billOfLadingJson({ transportDocumentTypeCode: 'SWB', isToOrder: false, consignee: { name: 'Hamburg Wear GmbH', country: 'DE' } })));
        const held = JSON.parse(await ledger.invoke(EXPORTER, (ctx) => billsOfLading.getBillOfLading(ctx, swb))) as Json;
        assert.deepEqual(held['allowedActions'], ['surrenderForDelivery', 'surrenderForAmendment'], 'a sea waybill cannot change hands');
        // What allowedActions leaves out, the transaction refuses, and the other way round.
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => billsOfLading.transferBillOfLading(ctx, swb, 'BankMSP')), 'FAILED_PRECONDITION', 'sea waybill');
        const carrierView = JSON.parse(await ledger.invoke(CARRIER, (ctx) => billsOfLading.getBillOfLading(ctx, swb))) as Json;
        assert.deepEqual(carrierView['allowedActions'], [], 'the carrier cannot void a B/L its holder controls');
        await rejectsWith(ledger.invoke(CARRIER, (ctx) => billsOfLading.voidBillOfLading(ctx, swb, 'x')), 'FAILED_PRECONDITION', 'must be SURRENDER_FOR_AMENDMENT');
    });

    it('getDossier, one evaluate: the exporter sees every part; the carrier gets null parts named in hidden and no document fields it may not read', async () => {
        const ledger = new Ledger();
        const t = await tradeScenario(ledger);
        await requestFinancing(ledger, t, 'FIN-D');
        const full = await dossierOf(ledger, EXPORTER, t.shipmentId);
        assert.deepEqual(full['hidden'], []);
        assert.ok(full['commercial']);
        assert.equal((full['billsOfLading'] as Json[]).length, 1);
        assert.equal(((full['financings'] as Json[])[0]!['terms'] as Json)['amount'], '15000.00');
        assert.deepEqual((((full['financings'] as Json[])[0]!['record'] as Json)['allowedActions']), ['withdrawFinancing']);
        const invoice = (full['documents'] as Json[]).find((d) => d['documentId'] === t.invoiceId)!;
        assert.ok(invoice['fields'], 'the invoice\'s structured fields');
        assert.ok(!('contentBase64' in invoice), 'never the file');

        const carrier = await dossierOf(ledger, CARRIER, t.shipmentId);
        assert.equal(carrier['commercial'], null);
        assert.deepEqual(carrier['hidden'], [
            `certificate ${t.certificateId} details`, 'commercial', `declaration ${t.declarationId} details`, `document ${t.invoiceId} fields`,
            'financing FIN-D terms',
        ]);
        const carrierDocs = carrier['documents'] as Json[];
        assert.equal(carrierDocs.find((d) => d['documentId'] === t.invoiceId)!['fields'], null);
        assert.ok(carrierDocs.find((d) => d['documentId'] === t.packingListId)!['fields'], 'the packing list is a trade-parties document');
        assert.doesNotMatch(JSON.stringify(carrier), /15000\.00/, 'no amount in the carrier\'s dossier');
    });

    it('private data written but not yet on the peer is UNAVAILABLE (retry), never "the document states nothing"; never written is NOT_FOUND', async () => {
        const ledger = new Ledger();
        const t = await tradeScenario(ledger);
        await requestFinancing(ledger, t, 'FIN-U');
        await rejectsWith(ledger.invoke(BANK_OFFICER, (ctx) => financing.getExaminationReport(ctx, 'FIN-U')), 'NOT_FOUND');
        // The bank's peer missed the invoice's fields (ExporterCustomsBankCollection): their hash is in the block, the value is not here.
        const lost = ledger.losePrivate('ExporterCustomsBankCollection', 'documentFields');
        assert.ok(lost.includes(compositeKey('documentFields', [t.invoiceId, '000001'])));
        await rejectsWith(ledger.invoke(BANK_OFFICER, (ctx) => financing.examineFinancing(ctx, 'FIN-U')), 'UNAVAILABLE', `fields of document ${t.invoiceId}`);
        assert.equal(ledger.privateKeys('ExporterBankCollection', 'examinationReport').length, 0, 'no report built on missing documents');
        await rejectsWith(ledger.invoke(BANK_OFFICER, (ctx) => dossiers.getDossier(ctx, t.shipmentId)), 'UNAVAILABLE');
        await rejectsWith(ledger.invoke(BANK_OFFICER, (ctx) => documents.getDocumentContent(ctx, t.invoiceId, '1')), 'UNAVAILABLE');
        // The carrier is no member: its dossier does not depend on that value at all.
        assert.equal((await dossierOf(ledger, CARRIER, t.shipmentId))['commercial'], null);
        // A real member peer refuses such a read itself (ErrPvtdataNotAvailable): the same answer.
        ledger.refuseMissingPrivate = true;
        await rejectsWith(ledger.invoke(BANK_OFFICER, (ctx) => financing.examineFinancing(ctx, 'FIN-U')), 'UNAVAILABLE', `fields of document ${t.invoiceId}`);
    });

    it('keys.ts owns every key: no contract builds a composite key or pads a number itself', () => {
        const dir = path.resolve(__dirname, '..', '..', '..', 'chaincode', 'src');
        for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== 'keys.ts' && f !== 'probe-contract.ts')) {
            const text = fs.readFileSync(path.join(dir, file), 'utf8');
            assert.doesNotMatch(text, /createCompositeKey|getStateByPartialCompositeKey\(/, `${file} builds keys itself`);
            if (file.endsWith('-contract.ts') || file === 'ledger.ts' || file === 'documents.ts') {
                assert.doesNotMatch(text, /padStart/, `${file} pads a number itself`);
            }
        }
    });
});
