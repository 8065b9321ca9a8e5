import './quiet-logs';
import assert from 'node:assert/strict';
import type { Context } from 'fabric-contract-api';
import { FinancingContract } from '../../../chaincode/src/financing-contract';
import { rejectsWith } from './expect-error';
import { BANK_APPROVER, BANK_OFFICER, CARRIER, CUSTOMS, EXPORTER, FORWARDER, Identity, InvokeOptions, Ledger, SUPERVISOR, compositeKey } from './fake-context';
import { PACKING_LIST_FIELDS, billOfLadingJson, uid } from './fixtures';
import { Trade, TradeOptions, billsOfLading, certificates, declarations, tradeScenario } from './scenario';

const financing = new FinancingContract();
const TERMS = JSON.stringify({ amount: '15000.00', currency: 'USD', tenorDays: 90, expiryDate: '2026-04-30', creditReference: 'LC-998877' });
/** Same organisation and person as BANK_OFFICER, enrolled with the approver role: still the examiner. */
const OFFICER_AS_APPROVER: Identity = { mspId: 'BankMSP', role: 'trade_finance_approver', name: 'bob' };

type Fin = Record<string, unknown> & { status: string };

async function call(ledger: Ledger, who: Identity, fn: (ctx: Context) => Promise<string>, options?: InvokeOptions): Promise<Fin> {
    return JSON.parse(await ledger.invoke(who, fn, options)) as Fin;
}

function requestJson(t: Trade, overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({
        financingType: 'DOCUMENTARY_CREDIT', transportDocumentReference: t.tdr, declarationId: t.declarationId,
        certificateApplicationId: t.certificateId, documentIds: { commercialInvoice: t.invoiceId, packingList: t.packingListId },
        requiresBlHeldByBank: true, requiresCertificateOfOrigin: true, ...overrides,
    });
}

async function request(ledger: Ledger, t: Trade, financingId = uid('FIN'), overrides: Record<string, unknown> = {}): Promise<string> {
    await call(ledger, EXPORTER, (ctx) => financing.requestFinancing(ctx, financingId, t.shipmentId, requestJson(t, overrides)), { transient: { terms: TERMS } });
    return financingId;
}

async function examined(ledger: Ledger, options: TradeOptions = {}): Promise<{ t: Trade; id: string }> {
    const t = await tradeScenario(ledger, options);
    const id = await request(ledger, t);
    await call(ledger, BANK_OFFICER, (ctx) => financing.examineFinancing(ctx, id));
    return { t, id };
}

describe('FinancingContract', () => {
    let ledger: Ledger;
    beforeEach(() => { ledger = new Ledger(); });

    describe('requestFinancing', () => {
        it('REQUESTED with presentation date and 5-banking-day deadline; amount and terms only in ExporterBankCollection', async () => {
            const t = await tradeScenario(ledger);
            const id = await request(ledger, t);
            const f = await call(ledger, CARRIER, (ctx) => financing.getFinancing(ctx, id));
            assert.deepEqual([f.status, f['presentationDate'], f['examinationDeadline']], ['REQUESTED', '2026-03-02', '2026-03-09']);
            assert.equal(ledger.getPrivateJson('ExporterBankCollection', compositeKey('financingTerms', [id]))?.['amount'], '15000.00');
            for (const w of ledger.publicWrites) {
                assert.ok(!w.includes('15000') && !w.includes('LC-998877'), `financing terms on the channel: ${w}`);
            }
            assert.deepEqual(ledger.events.at(-1)?.payload, { type: 'FinancingRequested', record: 'financing', id, shipmentId: t.shipmentId, status: 'REQUESTED', txId: `tx${ledger.events.length}` });
            assert.equal((await call(ledger, BANK_APPROVER, (ctx) => financing.getFinancingTerms(ctx, id)))['tenorDays'], 90);
            await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => financing.getFinancingTerms(ctx, id)), 'FORBIDDEN', 'financing.readTerms');
        });

        it('refuses unknown or foreign references, naming the field', async () => {
            const t = await tradeScenario(ledger);
            const other = await tradeScenario(ledger);
            const req = (overrides: Record<string, unknown>, terms = TERMS) => ledger.invoke(FORWARDER, (ctx) => financing.requestFinancing(ctx, uid('FIN'), t.shipmentId, requestJson(t, overrides)), { transient: { terms } });
            await rejectsWith(req({ transportDocumentReference: 'NOPE' }), 'NOT_FOUND', 'bill of lading NOPE');
            await rejectsWith(req({ transportDocumentReference: other.tdr }), 'INVALID_ARGUMENT', `transportDocumentReference ${other.tdr} belongs to shipment ${other.shipmentId}`);
            await rejectsWith(req({ declarationId: other.declarationId }), 'INVALID_ARGUMENT', 'declarationId');
            await rejectsWith(req({ documentIds: { commercialInvoice: t.packingListId, packingList: t.packingListId } }), 'NOT_FOUND', 'documentIds.commercialInvoice: no commercialInvoice');
            await rejectsWith(req({ certificateApplicationId: undefined }), 'INVALID_ARGUMENT', 'certificateApplicationId is required');
            await rejectsWith(req({ requiresBlHeldByBank: 'yes' }), 'INVALID_ARGUMENT', 'requiresBlHeldByBank must be true or false');
            await rejectsWith(req({}, JSON.stringify({ amount: 15000, currency: 'USD', tenorDays: 90, expiryDate: '2026-04-30' })), 'INVALID_ARGUMENT', 'terms.amount');
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => financing.requestFinancing(ctx, uid('FIN'), t.shipmentId, requestJson(t))), 'INVALID_ARGUMENT', 'transient terms is required');
        });

        it('by the bank, carrier or customs is refused', async () => {
            const t = await tradeScenario(ledger);
            for (const who of [BANK_OFFICER, CARRIER, CUSTOMS]) {
                await rejectsWith(ledger.invoke(who, (ctx) => financing.requestFinancing(ctx, uid('FIN'), t.shipmentId, requestJson(t)), { transient: { terms: TERMS } }), 'FORBIDDEN', 'financing.request');
            }
        });
    });

    describe('one live financing per B/L and per declaration (double-financing lock)', () => {
        it('a second request on the same B/L and declaration is refused with CONFLICT naming the first financing', async () => {
            const t = await tradeScenario(ledger);
            const first = await request(ledger, t, 'FIN-A');
            await rejectsWith(request(ledger, t, 'FIN-B'), 'CONFLICT', `transportDocumentReference ${t.tdr} already backs financing ${first} (REQUESTED)`);
        });

        it('the same declaration with another B/L is refused too', async () => {
            const t = await tradeScenario(ledger);
            await request(ledger, t, 'FIN-A');
            const tdr2 = uid('BOLU');
            await ledger.invoke(CARRIER, (ctx) => billsOfLading.issueBillOfLading(ctx, tdr2, t.shipmentId, billOfLadingJson()));
            await rejectsWith(request(ledger, t, 'FIN-B', { transportDocumentReference: tdr2 }), 'CONFLICT', `declarationId ${t.declarationId} already backs financing FIN-A`);
        });

        it('after withdrawal or rejection the documents are free again; after release they stay locked', async () => {
            const t = await tradeScenario(ledger);
            await request(ledger, t, 'FIN-A');
            await call(ledger, EXPORTER, (ctx) => financing.withdrawFinancing(ctx, 'FIN-A'));
            await request(ledger, t, 'FIN-B');
            await call(ledger, BANK_OFFICER, (ctx) => financing.examineFinancing(ctx, 'FIN-B'));
            await call(ledger, BANK_APPROVER, (ctx) => financing.rejectFinancing(ctx, 'FIN-B', 'documents inconsistent'));
            await request(ledger, t, 'FIN-C');
            await call(ledger, BANK_OFFICER, (ctx) => financing.examineFinancing(ctx, 'FIN-C'));
            await call(ledger, BANK_APPROVER, (ctx) => financing.approveFinancing(ctx, 'FIN-C', 'false'));
            await call(ledger, BANK_APPROVER, (ctx) => financing.releaseFunds(ctx, 'FIN-C'));
            await rejectsWith(request(ledger, t, 'FIN-D'), 'CONFLICT', 'already backs financing FIN-C (RELEASED)');
        });

        it('a void B/L or a cancelled declaration cannot back financing', async () => {
            const t = await tradeScenario(ledger, { blToBank: false });
            await ledger.invoke(EXPORTER, (ctx) => billsOfLading.surrenderForAmendment(ctx, t.tdr));
            await ledger.invoke(CARRIER, (ctx) => billsOfLading.acceptSurrender(ctx, t.tdr));
            await ledger.invoke(CARRIER, (ctx) => billsOfLading.voidBillOfLading(ctx, t.tdr, 'error'));
            await rejectsWith(request(ledger, t), 'FAILED_PRECONDITION', `transportDocumentReference ${t.tdr} is VOID`);
            const u = await tradeScenario(ledger, { releaseDeclaration: false });
            await ledger.invoke(EXPORTER, (ctx) => declarations.cancelDeclaration(ctx, u.declarationId, 'no'));
            await rejectsWith(request(ledger, u), 'FAILED_PRECONDITION', `declarationId ${u.declarationId} is CANCELLED`);
        });
    });

    describe('examination', () => {
        it('a consistent presentation: UNDER_EXAMINATION with no discrepancy; report private to exporter and bank', async () => {
            const { id } = await examined(ledger);
            const f = await call(ledger, CUSTOMS, (ctx) => financing.getFinancing(ctx, id));
            const exam = f['examination'] as Record<string, unknown>;
            assert.deepEqual([f.status, exam['discrepancyCount'], exam['deadlineMet'], exam['examinedOn']], ['UNDER_EXAMINATION', 0, true, '2026-03-02']);
            const report = await call(ledger, EXPORTER, (ctx) => financing.getExaminationReport(ctx, id));
            assert.deepEqual([report['compliant'], report['discrepancies']], [true, []]);
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => financing.getExaminationReport(ctx, id)), 'FORBIDDEN');
        });

        it('packing list 100 cartons against 120 elsewhere is reported, with the values, in the private report only', async () => {
            const { id } = await examined(ledger, { packingListFields: { ...PACKING_LIST_FIELDS, packages: 100 } });
            const report = await call(ledger, BANK_APPROVER, (ctx) => financing.getExaminationReport(ctx, id));
            const packages = (report['discrepancies'] as { field: string; documents: string[]; values: string[] }[]).filter((d) => d.field === 'packages');
            assert.deepEqual(packages.map((d) => [d.documents, d.values]), [[
                ['commercialInvoice', 'billOfLading', 'certificateOfOrigin', 'customsDeclaration', 'packingList'], ['120', '120', '120', '120', '100'],
            ]]);
            assert.equal(((await call(ledger, CARRIER, (ctx) => financing.getFinancing(ctx, id)))['examination'] as Record<string, unknown>)['discrepancyCount'], 1);
        });

        it('only a bank officer examines, never through a non-member peer', async () => {
            const t = await tradeScenario(ledger);
            const id = await request(ledger, t);
            await rejectsWith(ledger.invoke(BANK_APPROVER, (ctx) => financing.examineFinancing(ctx, id)), 'FORBIDDEN', 'financing.examine');
            await rejectsWith(ledger.invoke(BANK_OFFICER, (ctx) => financing.examineFinancing(ctx, id), { peerMspId: 'CustomsMSP' }), 'FORBIDDEN', "member's peer, not CustomsMSP");
        });
    });

    describe('decision (four eyes)', () => {
        it('the examiner can never approve or reject their own examination', async () => {
            const { id } = await examined(ledger);
            await rejectsWith(ledger.invoke(OFFICER_AS_APPROVER, (ctx) => financing.approveFinancing(ctx, id, 'false')), 'FORBIDDEN', 'four-eyes');
            await rejectsWith(ledger.invoke(OFFICER_AS_APPROVER, (ctx) => financing.rejectFinancing(ctx, id, 'x')), 'FORBIDDEN', 'four-eyes');
            assert.equal((await call(ledger, BANK_APPROVER, (ctx) => financing.approveFinancing(ctx, id, 'false'))).status, 'APPROVED');
        });

        it('with discrepancies, approval needs an explicit waiver', async () => {
            const { id } = await examined(ledger, { packingListFields: { ...PACKING_LIST_FIELDS, packages: 100 } });
            await rejectsWith(ledger.invoke(BANK_APPROVER, (ctx) => financing.approveFinancing(ctx, id, 'false')), 'FAILED_PRECONDITION', 'lists 1 discrepancies');
            await rejectsWith(ledger.invoke(BANK_APPROVER, (ctx) => financing.approveFinancing(ctx, id, 'yes')), 'INVALID_ARGUMENT', 'waiveDiscrepancies');
            const f = await call(ledger, BANK_APPROVER, (ctx) => financing.approveFinancing(ctx, id, 'true'));
            assert.deepEqual([f.status, (f['decision'] as Record<string, unknown>)['discrepanciesWaived']], ['APPROVED', true]);
        });

        it('a refusal after the 5th banking day is itself refused (UCP 600 art. 16(f)); on the 5th day it is accepted', async () => {
            const { id } = await examined(ledger);
            ledger.now = new Date('2026-03-10T09:00:00Z');
            await rejectsWith(ledger.invoke(BANK_APPROVER, (ctx) => financing.rejectFinancing(ctx, id, 'late')), 'FAILED_PRECONDITION', 'examination deadline 2026-03-09 has passed');
            ledger.now = new Date('2026-03-09T23:00:00Z');
            assert.equal((await call(ledger, BANK_APPROVER, (ctx) => financing.rejectFinancing(ctx, id, 'discrepant'))).status, 'REJECTED');
        });
    });

    describe('release gates', () => {
        async function approved(options: TradeOptions, overrides: Record<string, unknown> = {}): Promise<{ t: Trade; id: string }> {
            const t = await tradeScenario(ledger, options);
            const id = await request(ledger, t, uid('FIN'), overrides);
            await call(ledger, BANK_OFFICER, (ctx) => financing.examineFinancing(ctx, id));
            await call(ledger, BANK_APPROVER, (ctx) => financing.approveFinancing(ctx, id, 'true'));
            return { t, id };
        }

        it('all gates hold: RELEASED', async () => {
            const { id } = await approved({});
            assert.equal((await call(ledger, BANK_APPROVER, (ctx) => financing.releaseFunds(ctx, id))).status, 'RELEASED');
            assert.equal(ledger.events.at(-1)?.name, 'FinancingReleased');
        });

        it('declaration not RELEASED: refused, naming the declaration and its status', async () => {
            const { t, id } = await approved({ releaseDeclaration: false });
            await rejectsWith(ledger.invoke(BANK_APPROVER, (ctx) => financing.releaseFunds(ctx, id)), 'FAILED_PRECONDITION', `declaration ${t.declarationId} is ACCEPTED, must be RELEASED`);
            await ledger.invoke(SUPERVISOR, (ctx) => declarations.releaseDeclaration(ctx, t.declarationId));
            assert.equal((await call(ledger, BANK_APPROVER, (ctx) => financing.releaseFunds(ctx, id))).status, 'RELEASED');
        });

        it('B/L not held by the bank when required: refused; not required: released', async () => {
            const { t, id } = await approved({ blToBank: false });
            await rejectsWith(ledger.invoke(BANK_APPROVER, (ctx) => financing.releaseFunds(ctx, id)), 'FAILED_PRECONDITION', `bill of lading ${t.tdr} is held by ExporterMSP, must be held by BankMSP`);
            const other = await approved({ blToBank: false }, { requiresBlHeldByBank: false });
            assert.equal((await call(ledger, BANK_APPROVER, (ctx) => financing.releaseFunds(ctx, other.id))).status, 'RELEASED');
        });

        it('B/L no longer ISSUED (surrendered): refused', async () => {
            const { t, id } = await approved({});
            await ledger.invoke(BANK_OFFICER, (ctx) => billsOfLading.surrenderForDelivery(ctx, t.tdr));
            await rejectsWith(ledger.invoke(BANK_APPROVER, (ctx) => financing.releaseFunds(ctx, id)), 'FAILED_PRECONDITION', 'is PENDING_SURRENDER_FOR_DELIVERY, must be ISSUED');
        });

        it('required CoO not ISSUED: refused; every failing gate is listed at once', async () => {
            const { t, id } = await approved({ issueCertificate: false, releaseDeclaration: false });
            await rejectsWith(ledger.invoke(BANK_APPROVER, (ctx) => financing.releaseFunds(ctx, id)), 'FAILED_PRECONDITION',
                new RegExp(`declaration ${t.declarationId} is ACCEPTED, must be RELEASED; certificate of origin ${t.certificateId} is APPLIED, must be ISSUED`));
            await ledger.invoke(CUSTOMS, (ctx) => certificates.issueCertificate(ctx, t.certificateId, 'N-1'));
            await ledger.invoke(SUPERVISOR, (ctx) => certificates.revokeCertificate(ctx, t.certificateId, 'fraud'));
            await rejectsWith(ledger.invoke(BANK_APPROVER, (ctx) => financing.releaseFunds(ctx, id)), 'FAILED_PRECONDITION', 'is REVOKED, must be ISSUED');
        });

        it('only an approver releases', async () => {
            const { id } = await approved({});
            await rejectsWith(ledger.invoke(BANK_OFFICER, (ctx) => financing.releaseFunds(ctx, id)), 'FORBIDDEN', 'financing.release');
        });
    });

    describe('state transition table (every action from every status)', () => {
        type Step = [Identity, (ctx: Context, id: string) => Promise<string>];
        const A: Record<string, Step> = {
            examine: [BANK_OFFICER, (c, id) => financing.examineFinancing(c, id)],
            approve: [BANK_APPROVER, (c, id) => financing.approveFinancing(c, id, 'true')],
            reject: [BANK_APPROVER, (c, id) => financing.rejectFinancing(c, id, 'no')],
            release: [BANK_APPROVER, (c, id) => financing.releaseFunds(c, id)],
            withdraw: [EXPORTER, (c, id) => financing.withdrawFinancing(c, id)],
        };
        const reach: Record<string, string[]> = {
            REQUESTED: [], UNDER_EXAMINATION: ['examine'], APPROVED: ['examine', 'approve'], REJECTED: ['examine', 'reject'],
            RELEASED: ['examine', 'approve', 'release'], WITHDRAWN: ['withdraw'],
        };
        const allowedFrom: Record<string, string[]> = {
            examine: ['REQUESTED', 'UNDER_EXAMINATION'], approve: ['UNDER_EXAMINATION'], reject: ['UNDER_EXAMINATION'],
            release: ['APPROVED'], withdraw: ['REQUESTED', 'UNDER_EXAMINATION'],
        };
        const result: Record<string, string> = { examine: 'UNDER_EXAMINATION', approve: 'APPROVED', reject: 'REJECTED', release: 'RELEASED', withdraw: 'WITHDRAWN' };
        for (const [status, path] of Object.entries(reach)) {
            for (const [action, [who, fn]] of Object.entries(A)) {
                const allowed = (allowedFrom[action] ?? []).includes(status);
                it(`${action} from ${status} is ${allowed ? `allowed → ${result[action]}` : 'refused'}`, async () => {
                    const t = await tradeScenario(ledger);
                    const id = await request(ledger, t);
                    for (const step of path) {
                        const [sWho, sFn] = A[step] as Step;
                        await ledger.invoke(sWho, (c) => sFn(c, id));
                    }
                    const get = async () => (await call(ledger, CUSTOMS, (c) => financing.getFinancing(c, id))).status;
                    assert.equal(await get(), status);
                    if (allowed) {
                        await ledger.invoke(who, (c) => fn(c, id));
                        assert.equal(await get(), result[action]);
                    } else {
                        await rejectsWith(ledger.invoke(who, (c) => fn(c, id)), 'FAILED_PRECONDITION', `is ${status}, must be`);
                    }
                });
            }
        }
    });
});
