import './quiet-logs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { DeclarationContract } from '../../../chaincode/src/declaration-contract';
import { DocumentContract } from '../../../chaincode/src/document-contract';
import { rejectsWith } from './expect-error';
import { BANK_OFFICER, CARRIER, CUSTOMS, EXPORTER, FORWARDER, Identity, InvokeOptions, Ledger, SUPERVISOR, compositeKey } from './fake-context';
import { declarationDetailsJson, uid } from './fixtures';
import { openShipment } from './scenario';

const declarations = new DeclarationContract();
const documents = new DocumentContract();
const MRN = '26CN0000000000004A';

type Decl = Record<string, unknown> & { status: string; version: number };

async function call(ledger: Ledger, who: Identity, fn: (ctx: Context) => Promise<string>, options?: InvokeOptions): Promise<Decl> {
    return JSON.parse(await ledger.invoke(who, fn, options)) as Decl;
}

async function lodged(ledger: Ledger): Promise<{ id: string; shipmentId: string }> {
    const shipmentId = uid('SHP');
    const id = uid('DEC');
    await openShipment(ledger, shipmentId);
    await call(ledger, EXPORTER, (ctx) => declarations.lodgeDeclaration(ctx, id, shipmentId, JSON.stringify({ declarationType: 'EXA', lrn: uid('LRN') })),
        { transient: { declaration: declarationDetailsJson() } });
    return { id, shipmentId };
}

describe('DeclarationContract', () => {
    let ledger: Ledger;
    beforeEach(() => { ledger = new Ledger(); });

    it('lodge: LODGED v1, details only in ExporterCustomsCollection, public summary for the bank', async () => {
        const { id, shipmentId } = await lodged(ledger);
        const d = await call(ledger, BANK_OFFICER, (ctx) => declarations.getDeclaration(ctx, id));
        assert.equal(d.status, 'LODGED');
        assert.equal(d.version, 1);
        assert.deepEqual(d['summary'], { hsCodes: ['610910', '611011'], totalPackages: 120, totalGrossMassKg: '1500.5' });
        assert.equal(ledger.getPrivateJson('ExporterCustomsCollection', compositeKey('declarationDetails', [id, '000001']))?.['currency'], 'USD');
        for (const w of ledger.publicWrites) {
            assert.ok(!w.includes('customsValue') && !w.includes('9000.00'), 'customs value on the channel');
        }
        assert.deepEqual(ledger.events.at(-1)?.payload, { type: 'DeclarationLodged', record: 'declaration', id, shipmentId, status: 'LODGED', txId: 'tx2' });
        const details = await call(ledger, CUSTOMS, (ctx) => declarations.getDeclarationDetails(ctx, id, '1'));
        assert.equal((details['items'] as unknown[]).length, 2);
        await rejectsWith(ledger.invoke(BANK_OFFICER, (ctx) => declarations.getDeclarationDetails(ctx, id, '1')), 'FORBIDDEN', 'BankMSP is not a member of ExporterCustomsCollection');
        await rejectsWith(ledger.invoke(CARRIER, (ctx) => declarations.getDeclarationDetails(ctx, id, '1')), 'FORBIDDEN');
    });

    it('lodge validates header and details, naming the field', async () => {
        const shipmentId = uid('SHP');
        await openShipment(ledger, shipmentId);
        const lodge = (header: object, details: string) => ledger.invoke(FORWARDER, (ctx) => declarations.lodgeDeclaration(ctx, uid('DEC'), shipmentId, JSON.stringify(header)), { transient: { declaration: details } });
        await rejectsWith(lodge({ declarationType: 'IM', lrn: 'L1' }, declarationDetailsJson()), 'INVALID_ARGUMENT', 'declarationType must be an export declaration type');
        await rejectsWith(lodge({ declarationType: 'EX', lrn: 'L 1' }, declarationDetailsJson()), 'INVALID_ARGUMENT', 'lrn');
        await rejectsWith(lodge({ declarationType: 'EX', lrn: 'L2' }, declarationDetailsJson({ currency: 'dollars' })), 'INVALID_ARGUMENT', 'declaration.currency');
        await rejectsWith(lodge({ declarationType: 'EX', lrn: 'L3' }, declarationDetailsJson({ items: [{ itemNo: 1, hsCode: '6109', description: 'x', countryOfOrigin: 'CN', customsValue: '1', grossMassKg: '1', netMassKg: '1', packages: 1 }] })), 'INVALID_ARGUMENT', 'declaration.items[0].hsCode');
        await rejectsWith(lodge({ declarationType: 'EX', lrn: 'L4' }, declarationDetailsJson({ supportingDocumentIds: ['NO-DOC'] })), 'NOT_FOUND', 'document NO-DOC');
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => declarations.lodgeDeclaration(ctx, uid('DEC'), shipmentId, JSON.stringify({ declarationType: 'EX', lrn: 'L5' }))), 'INVALID_ARGUMENT', 'transient declaration is required');
    });

    it('lodge refuses a reused declaration id or LRN, and callers other than the exporter', async () => {
        const shipmentId = uid('SHP');
        await openShipment(ledger, shipmentId);
        const lodge = (who: Identity, id: string, lrn: string) => ledger.invoke(who, (ctx) => declarations.lodgeDeclaration(ctx, id, shipmentId, JSON.stringify({ declarationType: 'EX', lrn })), { transient: { declaration: declarationDetailsJson() } });
        await lodge(EXPORTER, 'DEC-A', 'LRN-A');
        await rejectsWith(lodge(EXPORTER, 'DEC-A', 'LRN-B'), 'ALREADY_EXISTS', 'declaration DEC-A exists');
        await rejectsWith(lodge(EXPORTER, 'DEC-B', 'LRN-A'), 'ALREADY_EXISTS', 'lrn LRN-A is already used');
        await rejectsWith(lodge(CUSTOMS, 'DEC-C', 'LRN-C'), 'FORBIDDEN', 'declaration.lodge');
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => declarations.lodgeDeclaration(ctx, 'DEC-D', shipmentId, JSON.stringify({ declarationType: 'EX', lrn: 'LRN-D' })), { transient: { declaration: declarationDetailsJson() }, peerMspId: 'BankMSP' }), 'FORBIDDEN', "must be written through a member's peer, not BankMSP");
        // The other member (customs) endorses too: the network's OutOf(2) policy needs both.
        await ledger.invoke(EXPORTER, (ctx) => declarations.lodgeDeclaration(ctx, 'DEC-E', shipmentId, JSON.stringify({ declarationType: 'EX', lrn: 'LRN-E' })), { transient: { declaration: declarationDetailsJson() }, peerMspId: 'CustomsMSP' });
    });

    it('the full path: accept (MRN) → documentary control → documents requested → provided → released', async () => {
        const { id, shipmentId } = await lodged(ledger);
        assert.equal((await call(ledger, CUSTOMS, (ctx) => declarations.acceptDeclaration(ctx, id, MRN)))['mrn'], MRN);
        assert.equal((await call(ledger, CUSTOMS, (ctx) => declarations.placeUnderControl(ctx, id, 'DOCUMENTARY')))['controlType'], 'DOCUMENTARY');
        const asked = await call(ledger, CUSTOMS, (ctx) => declarations.requestAdditionalDocuments(ctx, id, JSON.stringify({ documents: ['Certificate of origin'] })));
        assert.deepEqual([asked.status, asked['requestedDocuments']], ['ADDITIONAL_DOCUMENTS_REQUIRED', ['Certificate of origin']]);
        const bytes = Buffer.from('coo');
        await ledger.invoke(EXPORTER, (ctx) => documents.registerDocument(ctx, 'COO-DOC', shipmentId, JSON.stringify({ docType: 'certificateOfOrigin', sha256: createHash('sha256').update(bytes).digest('hex'), size: 3, mediaType: 'application/pdf' })), { transient: { content: bytes } });
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => declarations.provideAdditionalDocuments(ctx, id, '["NOPE"]')), 'NOT_FOUND', 'document NOPE is not registered');
        const provided = await call(ledger, EXPORTER, (ctx) => declarations.provideAdditionalDocuments(ctx, id, '["COO-DOC"]'));
        assert.deepEqual([provided.status, provided['providedDocumentIds'], provided['requestedDocuments']], ['UNDER_CONTROL', ['COO-DOC'], undefined]);
        await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => declarations.releaseDeclaration(ctx, id)), 'FORBIDDEN', 'declaration.release');
        assert.equal((await call(ledger, SUPERVISOR, (ctx) => declarations.releaseDeclaration(ctx, id))).status, 'RELEASED');
        assert.equal(ledger.events.at(-1)?.name, 'DeclarationReleased');
    });

    it('amend creates a new version, keeps the MRN and must be re-accepted with the same MRN', async () => {
        const { id } = await lodged(ledger);
        await call(ledger, CUSTOMS, (ctx) => declarations.acceptDeclaration(ctx, id, MRN));
        const amended = await call(ledger, EXPORTER, (ctx) => declarations.amendDeclaration(ctx, id), { transient: { declaration: declarationDetailsJson({ countryOfDestination: 'NL' }) } });
        assert.deepEqual([amended.status, amended.version, amended['mrn']], ['AMENDED', 2, MRN]);
        const v1 = await call(ledger, CUSTOMS, (ctx) => declarations.getDeclarationDetails(ctx, id, '1'));
        const v2 = await call(ledger, CUSTOMS, (ctx) => declarations.getDeclarationDetails(ctx, id, '2'));
        assert.deepEqual([v1['countryOfDestination'], v2['countryOfDestination']], ['DE', 'NL']);
        await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => declarations.getDeclarationDetails(ctx, id, '3')), 'INVALID_ARGUMENT', 'version must be a whole number from 1 to 2');
        await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => declarations.acceptDeclaration(ctx, id, '26CN0000000000009Z')), 'CONFLICT', `already has MRN ${MRN}`);
        assert.equal((await call(ledger, CUSTOMS, (ctx) => declarations.acceptDeclaration(ctx, id, MRN))).status, 'ACCEPTED');
    });

    it('accept validates the MRN shape', async () => {
        const { id } = await lodged(ledger);
        await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => declarations.acceptDeclaration(ctx, id, 'MRN1')), 'INVALID_ARGUMENT', 'mrn must be 18 characters');
    });

    it('risk notes: customs only, entirely in the transient map, stored in CustomsCollection; no event, no answer, no public read', async () => {
        const { id } = await lodged(ledger);
        const events = ledger.events.length;
        const noteId = 'a1'.repeat(16);
        const note = JSON.stringify({ declarationId: id, noteId, riskLevel: 'HIGH', text: 'undervaluation suspected' });
        assert.equal(await ledger.invoke(CUSTOMS, (ctx) => declarations.addRiskNote(ctx), { transient: { riskNote: note } }), '');
        assert.deepEqual(ledger.lastReads, [], 'the declaration key would stand in clear in the read set');
        assert.equal(ledger.events.length, events);
        assert.equal(ledger.getPrivateJson('CustomsCollection', compositeKey('riskNote', [id, noteId]))?.['riskLevel'], 'HIGH');
        for (const w of ledger.publicWrites) {
            assert.ok(!w.includes('undervaluation'));
        }
        assert.equal((await call(ledger, SUPERVISOR, (ctx) => declarations.getRiskNote(ctx, id, noteId)))['text'], 'undervaluation suspected');
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => declarations.getRiskNote(ctx, id, noteId)), 'FORBIDDEN');
        // A guessable note id would let anyone match the key's hash in the block to the declaration.
        await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => declarations.addRiskNote(ctx), { transient: { riskNote: JSON.stringify({ declarationId: id, noteId: 'N1', riskLevel: 'HIGH', text: 'x' }) } }), 'INVALID_ARGUMENT', 'riskNote.noteId must be 32 to 64 lowercase hex');
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => declarations.addRiskNote(ctx), { transient: { riskNote: note } }), 'FORBIDDEN');
        await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => declarations.addRiskNote(ctx), { transient: { riskNote: note }, peerMspId: 'ExporterMSP' }), 'FORBIDDEN', "member's peer");
        await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => declarations.addRiskNote(ctx), { transient: { riskNote: JSON.stringify({ declarationId: id, noteId: 'b2'.repeat(16), riskLevel: 'SEVERE', text: 'x' }) } }), 'INVALID_ARGUMENT', 'riskNote.riskLevel');
    });

    describe('state transition table (every action from every status)', () => {
        type Step = [Identity, (ctx: Context, id: string) => Promise<string>, InvokeOptions?];
        const amendOptions: InvokeOptions = { transient: { declaration: declarationDetailsJson() } };
        const A: Record<string, Step> = {
            accept: [CUSTOMS, (c, id) => declarations.acceptDeclaration(c, id, MRN)],
            control: [CUSTOMS, (c, id) => declarations.placeUnderControl(c, id, 'PHYSICAL')],
            request: [CUSTOMS, (c, id) => declarations.requestAdditionalDocuments(c, id, '{"documents":["packing list"]}')],
            provide: [EXPORTER, (c, id) => declarations.provideAdditionalDocuments(c, id, '["PL-DOC"]')],
            release: [SUPERVISOR, (c, id) => declarations.releaseDeclaration(c, id)],
            reject: [SUPERVISOR, (c, id) => declarations.rejectDeclaration(c, id, 'incomplete')],
            amend: [EXPORTER, (c, id) => declarations.amendDeclaration(c, id), amendOptions],
            cancel: [EXPORTER, (c, id) => declarations.cancelDeclaration(c, id, 'order cancelled')],
        };
        const reach: Record<string, string[]> = {
            LODGED: [], AMENDED: ['amend'], ACCEPTED: ['accept'], UNDER_CONTROL: ['accept', 'control'],
            ADDITIONAL_DOCUMENTS_REQUIRED: ['accept', 'control', 'request'], RELEASED: ['accept', 'release'],
            REJECTED: ['reject'], CANCELLED: ['cancel'],
        };
        const open = ['LODGED', 'AMENDED', 'ACCEPTED', 'UNDER_CONTROL', 'ADDITIONAL_DOCUMENTS_REQUIRED'];
        const allowedFrom: Record<string, string[]> = {
            accept: ['LODGED', 'AMENDED'], control: ['ACCEPTED'], request: ['UNDER_CONTROL'], provide: ['ADDITIONAL_DOCUMENTS_REQUIRED'],
            release: ['ACCEPTED', 'UNDER_CONTROL'], reject: open, amend: open, cancel: open,
        };
        const resulting: Record<string, string> = {
            accept: 'ACCEPTED', control: 'UNDER_CONTROL', request: 'ADDITIONAL_DOCUMENTS_REQUIRED', provide: 'UNDER_CONTROL',
            release: 'RELEASED', reject: 'REJECTED', amend: 'AMENDED', cancel: 'CANCELLED',
        };
        for (const [status, path] of Object.entries(reach)) {
            for (const [action, [who, fn, options]] of Object.entries(A)) {
                const allowed = (allowedFrom[action] ?? []).includes(status);
                it(`${action} from ${status} is ${allowed ? `allowed → ${resulting[action]}` : 'refused'}`, async () => {
                    const { id, shipmentId } = await lodged(ledger);
                    const bytes = Buffer.from('pl');
                    await ledger.invoke(EXPORTER, (ctx) => documents.registerDocument(ctx, 'PL-DOC', shipmentId, JSON.stringify({ docType: 'packingList', sha256: createHash('sha256').update(bytes).digest('hex'), size: 2, mediaType: 'application/pdf' })), { transient: { content: bytes } });
                    for (const step of path) {
                        const [sWho, sFn, sOpt] = A[step] as Step;
                        await ledger.invoke(sWho, (c) => sFn(c, id), sOpt);
                    }
                    const get = async () => (await call(ledger, CUSTOMS, (c) => declarations.getDeclaration(c, id))).status;
                    assert.equal(await get(), status);
                    if (allowed) {
                        await ledger.invoke(who, (c) => fn(c, id), options);
                        assert.equal(await get(), resulting[action]);
                    } else {
                        await rejectsWith(ledger.invoke(who, (c) => fn(c, id), options), 'FAILED_PRECONDITION', `is ${status}, must be`);
                        assert.equal(await get(), status);
                    }
                });
            }
        }
    });
});
