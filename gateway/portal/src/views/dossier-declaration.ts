/** The dossier's export declaration: the exporter lodges, amends and answers requests; customs decides. */
import { post, seg } from '../api';
import { HINT, PATTERN } from '../components/codes';
import { type FieldSpec, actionForm, field, value } from '../components/form';
import { badge } from '../components/status';
import { h } from '../dom';
import { multiply, randomTag } from '../format';
import { suggestedId } from '../records';
import { hasRole } from '../session';
import type { Declaration, DeclarationDetails } from '../types';
import { actions, type DossierContext, facts, historyLink, may, party, section, txNote } from './dossier-parts';

const BASE = '/api/v1/declarations';

/** Items prefilled from the shipment's goods (or the current details when amending). */
function itemRows(ctx: DossierContext, current: DeclarationDetails | null): HTMLElement {
    const s = ctx.dossier.shipment;
    const prices = ctx.dossier.commercial?.lines ?? [];
    const rows = current?.items ?? s.goods.map((g, i) => ({
        itemNo: i + 1, hsCode: g.hsCode, description: g.description, countryOfOrigin: s.countryOfOrigin,
        customsValue: prices.find((p) => p.lineNo === g.lineNo)?.value ?? multiply(g.quantity, '0'),
        grossMassKg: g.grossWeightKg, netMassKg: g.netWeightKg, packages: g.packages, containerNumbers: undefined as string[] | undefined,
    }));
    return h('div', { class: 'declaration-items' }, rows.map((item, i) => {
        const p = `details.items.${i}`;
        const spec = (name: string, label: string, v: string, extra: Partial<FieldSpec> = {}): HTMLElement => field({ name: `${p}.${name}`, label, value: v, required: true, short: true, ...extra });
        return h('fieldset', { class: 'goods-line', 'data-item': String(i) }, h('legend', null, `Item ${i + 1}: ${item.description}`),
            h('div', { class: 'fields' },
                spec('hsCode', 'HS code', item.hsCode, { pattern: PATTERN.hs, hint: HINT.hs }),
                spec('description', 'Description', item.description, { short: false, maxlength: 512 }),
                spec('countryOfOrigin', 'Origin', item.countryOfOrigin, { pattern: PATTERN.country, hint: HINT.country }),
                spec('customsValue', 'Customs value', item.customsValue, { pattern: PATTERN.amount, hint: HINT.amount }),
                spec('grossMassKg', 'Gross mass (kg)', item.grossMassKg, { pattern: PATTERN.amount }),
                spec('netMassKg', 'Net mass (kg)', item.netMassKg, { pattern: PATTERN.amount }),
                spec('packages', 'Packages', String(item.packages), { type: 'number', min: 1 }),
                field({ name: `${p}.containerNumbers`, label: 'Containers (optional)', value: (item.containerNumbers ?? []).join(', '), hint: HINT.container, pattern: `${PATTERN.container}(\\s*,\\s*${PATTERN.container})*` })));
    }));
}

function readDetails(f: HTMLFormElement, ctx: DossierContext): DeclarationDetails {
    const s = ctx.dossier.shipment;
    const items = [...f.querySelectorAll<HTMLElement>('[data-item]')].map((el, n) => {
        const p = `details.items.${el.dataset['item']!}`;
        const containers = value(el, `${p}.containerNumbers`).split(',').map((c) => c.trim()).filter(Boolean);
        return {
            itemNo: n + 1, hsCode: value(el, `${p}.hsCode`), description: value(el, `${p}.description`), countryOfOrigin: value(el, `${p}.countryOfOrigin`),
            customsValue: value(el, `${p}.customsValue`), grossMassKg: value(el, `${p}.grossMassKg`), netMassKg: value(el, `${p}.netMassKg`),
            packages: Number(value(el, `${p}.packages`)), ...(containers.length > 0 ? { containerNumbers: containers } : {}),
        };
    });
    const supporting = [...f.querySelectorAll<HTMLInputElement>('input[name="supportingDocumentIds"]:checked')].map((c) => c.value);
    const tdr = ctx.dossier.billOfLading?.record.transportDocumentReference;
    return {
        declarant: s.exporter, exporter: s.exporter, consignee: s.consignee, countryOfDestination: s.countryOfDestination,
        incoterm: s.incoterm, currency: s.currency, ...(tdr ? { transportDocumentReference: tdr } : {}),
        ...(supporting.length > 0 ? { supportingDocumentIds: supporting } : {}), items,
    };
}

function supportingDocs(ctx: DossierContext, chosen: string[] | undefined): HTMLElement | null {
    const docs = ctx.dossier.documents;
    if (docs.length === 0) {
        return null;
    }
    return h('fieldset', null, h('legend', null, 'Supporting documents'),
        docs.map((d) => field({ name: 'supportingDocumentIds', label: `${d.documentId} (${d.docType})`, type: 'checkbox', checkValue: d.documentId, checked: chosen ? chosen.includes(d.documentId) : true })));
}

function lodgeForm(ctx: DossierContext): HTMLFormElement {
    return actionForm({
        label: 'Lodge the export declaration', title: 'Lodge the export declaration', submit: 'Lodge declaration', testId: 'lodge-declaration',
        intro: h('p', { class: 'muted' }, 'Prefilled from the shipment; the details go to customs only, as private data.'),
        fields: [
            field({ name: 'declarationId', label: 'Declaration id', required: true, value: suggestedId('declaration', ctx.shipmentId), pattern: PATTERN.id, hint: HINT.id }),
            field({ name: 'lrn', label: 'Local reference number (LRN)', required: true, value: `LRN-${randomTag(8)}`, pattern: PATTERN.id, hint: HINT.id }),
            field({ name: 'declarationType', label: 'Declaration type', required: true, value: 'EX', pattern: 'EX[A-Z]?', hint: 'EX, optionally with a letter (EXA, EXD…)', short: true }),
            supportingDocs(ctx, undefined),
            itemRows(ctx, null),
        ],
        run: async (f) => {
            const declarationId = value(f, 'declarationId');
            const answer = await post<Declaration>(BASE, {
                declarationId, shipmentId: ctx.shipmentId, declarationType: value(f, 'declarationType'), lrn: value(f, 'lrn'), details: readDetails(f, ctx),
            });
            ctx.changed(`Declaration ${declarationId} lodged with customs.${txNote(answer.transactionId)}`);
            return 'Lodged.';
        },
    });
}

function amendForm(ctx: DossierContext, d: Declaration, details: DeclarationDetails): HTMLFormElement {
    return actionForm({
        label: 'Amend the declaration', title: 'Amend the declaration', submit: 'Amend declaration',
        intro: h('p', { class: 'muted' }, 'An amendment is a new version: customs must accept it again.'),
        fields: [supportingDocs(ctx, details.supportingDocumentIds), itemRows(ctx, details)],
        run: async (f) => {
            const answer = await post(`${BASE}/${seg(d.declarationId)}/amend`, { details: readDetails(f, ctx) });
            ctx.changed(`Declaration amended (version ${d.version + 1}).${txNote(answer.transactionId)}`);
            return 'Amended.';
        },
    });
}

function decide(ctx: DossierContext, d: Declaration, path: string, label: string, fields: HTMLElement[], body: (f: HTMLFormElement) => unknown, done: string, danger = false): HTMLFormElement {
    return actionForm({
        label, submit: label, fields, danger, testId: `declaration-${path}`,
        run: async (f) => {
            const answer = await post(`${BASE}/${seg(d.declarationId)}/${path}`, body(f));
            ctx.changed(`${done}${txNote(answer.transactionId)}`);
            return done;
        },
    });
}

/** A plausible MRN to start from: year, country, 14 letters or digits. */
function proposedMrn(): string {
    return `${new Date().getFullYear().toString().slice(2)}${'CN'}${randomTag(14)}`;
}

export function declarationSection(ctx: DossierContext): HTMLElement {
    const part = ctx.dossier.declaration;
    const lodge = may(ctx.dossier.shipment, 'lodgeDeclaration');
    if (!part) {
        return section('declaration', 'Export declaration', badge(undefined),
            h('p', { class: 'muted' }, 'No export declaration has been lodged for this shipment yet.'),
            actions(lodge ? lodgeForm(ctx) : null));
    }
    const d = part.record;
    const details = part.details;
    const officer = hasRole('customs_officer', 'customs_supervisor');
    return section('declaration', `Export declaration ${d.declarationId}`, badge(d.status),
        facts([
            ['LRN', d.lrn], ['MRN', h('span', { 'data-testid': 'declaration-mrn' }, d.mrn ?? '— (assigned on acceptance)')], ['Type', d.declarationType], ['Version', String(d.version)],
            d.controlType ? ['Control', d.controlType.toLowerCase()] : null,
            d.requestedDocuments?.length ? ['Documents requested', d.requestedDocuments.join('; ')] : null,
            d.providedDocumentIds?.length ? ['Documents provided', d.providedDocumentIds.join(', ')] : null,
            d.reason ? ['Reason', d.reason] : null,
            ['HS codes', d.summary.hsCodes.join(', ')], ['Packages', String(d.summary.totalPackages)], ['Gross mass', `${d.summary.totalGrossMassKg} kg`],
            details ? ['Declarant', party(details.declarant)] : null,
        ]),
        details ? h('div', { class: 'table-wrap' }, h('table', null, h('caption', null, 'Goods items (private to exporter and customs)'),
            h('thead', null, h('tr', null, ['#', 'HS', 'Description', 'Origin', 'Customs value', 'Gross kg', 'Packages'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', null, details.items.map((i) => h('tr', null, h('td', null, String(i.itemNo)), h('td', null, i.hsCode), h('td', null, i.description),
                h('td', null, i.countryOfOrigin), h('td', { class: 'num' }, `${i.customsValue} ${details.currency}`), h('td', { class: 'num' }, i.grossMassKg), h('td', { class: 'num' }, String(i.packages))))))) : null,
        historyLink('declarations', d.declarationId),
        actions(
            lodge && ['REJECTED', 'CANCELLED'].includes(d.status) ? lodgeForm(ctx) : null,
            may(d, 'provideAdditionalDocuments') ? decide(ctx, d, 'provide-documents', 'Provide documents',
                [field({ name: 'documentIds', label: 'Registered document ids (comma separated)', required: true, value: ctx.dossier.documents.map((x) => x.documentId).join(', ') })],
                (f) => ({ documentIds: value(f, 'documentIds').split(',').map((x) => x.trim()).filter(Boolean) }), 'Documents provided to customs.') : null,
            may(d, 'amendDeclaration') && details ? amendForm(ctx, d, details) : null,
            may(d, 'acceptDeclaration') ? decide(ctx, d, 'accept', 'Accept declaration',
                [field({ name: 'mrn', label: 'MRN', required: true, value: proposedMrn(), pattern: PATTERN.mrn, hint: HINT.mrn })],
                (f) => ({ mrn: value(f, 'mrn') }), 'Declaration accepted; MRN assigned.') : null,
            may(d, 'placeUnderControl') ? decide(ctx, d, 'control', 'Place under control',
                [field({ name: 'controlType', label: 'Kind of control', type: 'select', options: [['DOCUMENTARY', 'Documentary'], ['PHYSICAL', 'Physical']] })],
                (f) => ({ controlType: value(f, 'controlType') }), 'Declaration placed under control.') : null,
            may(d, 'requestAdditionalDocuments') ? decide(ctx, d, 'request-documents', 'Request documents',
                [field({ name: 'documents', label: 'Documents needed (one per line)', type: 'textarea', required: true })],
                (f) => ({ documents: value(f, 'documents').split('\n').map((x) => x.trim()).filter(Boolean) }), 'Additional documents requested from the exporter.') : null,
            may(d, 'releaseDeclaration') ? decide(ctx, d, 'release', 'Release for export', [], () => undefined, 'Goods released for export.') : null,
            officer && !may(d, 'releaseDeclaration') && may(d, 'placeUnderControl') ? h('p', { class: 'muted' }, 'Release and rejection are decided by a customs supervisor.') : null,
            may(d, 'rejectDeclaration') ? decide(ctx, d, 'reject', 'Reject declaration',
                [field({ name: 'reason', label: 'Reason for rejection', type: 'textarea', required: true, maxlength: 512 })],
                (f) => ({ reason: value(f, 'reason') }), 'Declaration rejected.', true) : null,
        ));
}
