/**
 * The dossier's financing: the exporter requests; a bank officer examines; a different approver approves or
 * rejects and releases funds. The examination report shows each discrepancy side by side.
 */
import { post, seg } from '../api';
import { HINT, PATTERN } from '../components/codes';
import { actionForm, field, value } from '../components/form';
import { badge } from '../components/status';
import { h } from '../dom';
import { suggestedId } from '../records';
import type { ExaminationReport, Financing } from '../types';
import { actions, type DossierContext, facts, historyLink, may, section, txNote } from './dossier-parts';

const BASE = '/api/v1/financing';
const SOURCES: Record<string, string> = {
    commercialInvoice: 'Commercial invoice', packingList: 'Packing list', billOfLading: 'Bill of lading', certificateOfOrigin: 'Certificate of origin',
    customsDeclaration: 'Customs declaration', insuranceCertificate: 'Insurance certificate', financingTerms: 'Financing terms',
};

function inDays(days: number): string {
    return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

function requestForm(ctx: DossierContext): HTMLFormElement | HTMLElement {
    const d = ctx.dossier;
    const bl = d.billOfLading?.record.transportDocumentReference;
    const dec = d.declaration?.record.declarationId;
    if (!bl || !dec) {
        return h('p', { class: 'notice' }, 'Financing can be requested once the carrier has issued the bill of lading and the declaration is lodged.');
    }
    const ofType = (t: string): [string, string][] => d.documents.filter((x) => x.docType === t).map((x) => [x.documentId, x.documentId]);
    const invoices = ofType('commercialInvoice');
    const packing = ofType('packingList');
    if (invoices.length === 0 || packing.length === 0) {
        return h('p', { class: 'notice' }, 'Upload a commercial invoice and a packing list first: the bank examines them.');
    }
    const insurance = ofType('insuranceCertificate');
    return actionForm({
        label: 'Request financing', title: 'Request financing', submit: 'Request financing', testId: 'request-financing',
        intro: h('p', { class: 'muted' }, `Presents B/L ${bl}, declaration ${dec}${d.certificate ? `, certificate ${d.certificate.record.applicationId}` : ''} and the documents below. Amount and terms are private to you and the bank.`),
        fields: [
            field({ name: 'financingId', label: 'Financing id', required: true, value: suggestedId('financing', ctx.shipmentId), pattern: PATTERN.id, hint: HINT.id }),
            field({ name: 'financingType', label: 'Kind', type: 'select', options: [['DOCUMENTARY_CREDIT', 'Documentary credit presentation'], ['RECEIVABLES_FINANCING', 'Export receivables financing']] }),
            field({ name: 'commercialInvoice', label: 'Commercial invoice', type: 'select', options: invoices }),
            field({ name: 'packingList', label: 'Packing list', type: 'select', options: packing }),
            insurance.length > 0 ? field({ name: 'insuranceCertificate', label: 'Insurance certificate', type: 'select', options: [['', 'none'], ...insurance] }) : null,
            field({ name: 'amount', label: 'Amount', required: true, value: d.commercial?.totalValue ?? '', pattern: PATTERN.amount, hint: HINT.amount, short: true, inputmode: 'decimal' }),
            field({ name: 'currency', label: 'Currency', required: true, value: d.shipment.currency, pattern: PATTERN.currency, hint: HINT.currency, short: true }),
            field({ name: 'tenorDays', label: 'Tenor (days)', type: 'number', required: true, value: '90', min: 1, max: 720, short: true }),
            field({ name: 'expiryDate', label: 'Credit expiry date', type: 'date', required: true, value: inDays(60), short: true }),
            field({ name: 'creditReference', label: 'Credit reference (optional)', maxlength: 64 }),
            field({ name: 'requiresCertificateOfOrigin', label: 'The bank requires a certificate of origin', type: 'checkbox', checked: Boolean(d.certificate) }),
            field({ name: 'requiresBlHeldByBank', label: 'The bank must hold the bill of lading before release', type: 'checkbox', checked: false }),
        ],
        run: async (f) => {
            const financingId = value(f, 'financingId');
            const insuranceId = value(f, 'insuranceCertificate');
            const credit = value(f, 'creditReference');
            const answer = await post<Financing>(BASE, {
                financingId, shipmentId: ctx.shipmentId, financingType: value(f, 'financingType'),
                transportDocumentReference: bl, declarationId: dec,
                ...(d.certificate ? { certificateApplicationId: d.certificate.record.applicationId } : {}),
                documentIds: { commercialInvoice: value(f, 'commercialInvoice'), packingList: value(f, 'packingList'), ...(insuranceId ? { insuranceCertificate: insuranceId } : {}) },
                requiresBlHeldByBank: value(f, 'requiresBlHeldByBank') === 'true',
                requiresCertificateOfOrigin: value(f, 'requiresCertificateOfOrigin') === 'true',
                terms: { amount: value(f, 'amount'), currency: value(f, 'currency'), tenorDays: Number(value(f, 'tenorDays')), expiryDate: value(f, 'expiryDate'), ...(credit ? { creditReference: credit } : {}) },
            });
            ctx.changed(`Financing ${financingId} requested from the bank.${txNote(answer.transactionId)}`);
            return 'Requested.';
        },
    });
}

export function reportView(report: ExaminationReport): HTMLElement {
    return h('div', { class: 'report', 'data-testid': 'examination-report' },
        h('p', { class: `result ${report.compliant ? 'result-good' : 'result-bad'}` },
            h('span', { class: 'result-title' }, report.compliant ? 'Compliant presentation: no discrepancies.' : `${report.discrepancies.length} discrepanc${report.discrepancies.length === 1 ? 'y' : 'ies'} found.`)),
        facts([
            ['Presented', report.presentationDate], ['Examined', report.examinedOn],
            ['Deadline (5 banking days)', `${report.examinationDeadline} ${report.deadlineMet ? '(met)' : '(MISSED)'}`],
            report.latestPresentationDate ? ['Latest presentation date', report.latestPresentationDate] : null,
        ]),
        report.discrepancies.length === 0 ? null : h('div', { class: 'discrepancies' }, report.discrepancies.map((x, i) =>
            h('article', { class: 'discrepancy', 'aria-labelledby': `disc-${i}` },
                h('h4', { id: `disc-${i}` }, `${x.field}`, h('span', { class: 'muted small' }, ` · ${x.rule}`)),
                h('p', null, x.message),
                h('div', { class: 'side-by-side' }, x.documents.map((doc, j) =>
                    h('div', { class: 'side' }, h('div', { class: 'side-doc' }, SOURCES[doc] ?? doc), h('div', { class: 'side-value' }, x.values[j] ?? '—'))))))));
}

export function financingSection(ctx: DossierContext): HTMLElement {
    const part = ctx.dossier.financing;
    const request = may(ctx.dossier.shipment, 'requestFinancing');
    if (!part) {
        return section('financing', 'Financing', badge(undefined),
            h('p', { class: 'muted' }, 'No financing has been requested for this shipment.'),
            actions(request ? requestForm(ctx) : null));
    }
    const fin = part.record;
    const terms = part.terms;
    const id = fin.financingId;
    const step = (path: string, label: string, body: unknown, done: string, testId: string): HTMLFormElement => actionForm({
        label, submit: label, fields: [], testId,
        run: async () => {
            const answer = await post(`${BASE}/${seg(id)}/${path}`, body);
            ctx.changed(`${done}${txNote(answer.transactionId)}`);
            return done;
        },
    });
    const discrepancies = fin.examination?.discrepancyCount ?? 0;
    return section('financing', `Financing ${id}`, badge(fin.status),
        facts([
            ['Kind', fin.financingType.replace(/_/g, ' ').toLowerCase()],
            terms ? ['Amount', h('strong', null, `${terms.amount} ${terms.currency}`)] : null,
            terms ? ['Tenor / expiry', `${terms.tenorDays} days / ${terms.expiryDate}`] : null,
            ['Presented', fin.presentationDate], ['Examine by', fin.examinationDeadline],
            ['Backed by', `B/L ${fin.transportDocumentReference}, declaration ${fin.declarationId}${fin.certificateApplicationId ? `, certificate ${fin.certificateApplicationId}` : ''}`],
            ['Documents', `invoice ${fin.documentIds.commercialInvoice}, packing list ${fin.documentIds.packingList}`],
            ['Release requires', [fin.requiresBlHeldByBank ? 'B/L held by the bank' : null, fin.requiresCertificateOfOrigin ? 'certificate of origin issued' : null, 'B/L issued', 'declaration released'].filter(Boolean).join(', ')],
            fin.examination ? ['Examined by', `${fin.examination.examinedBy.role.replace(/_/g, ' ')} on ${fin.examination.examinedOn}`] : null,
            fin.decision ? ['Decision', `${fin.decision.decidedBy.role.replace(/_/g, ' ')}${fin.decision.discrepanciesWaived ? ', discrepancies waived' : ''}${fin.decision.reason ? `: ${fin.decision.reason}` : ''}`] : null,
        ]),
        part.examinationReport ? h('div', null, h('h3', null, 'Examination report'), reportView(part.examinationReport)) : null,
        historyLink('financing', id),
        actions(
            request && ['REJECTED', 'WITHDRAWN'].includes(fin.status) ? requestForm(ctx) : null,
            may(fin, 'withdrawFinancing') ? step('withdraw', 'Withdraw request', undefined, 'Request withdrawn.', 'financing-withdraw') : null,
            may(fin, 'examineFinancing')
                ? step('examine', fin.status === 'REQUESTED' ? 'Examine documents' : 'Examine again', undefined, 'Documents examined; the report is below.', 'financing-examine') : null,
            may(fin, 'approveFinancing') ? actionForm({
                label: 'Approve financing', submit: 'Approve financing', testId: 'financing-approve',
                fields: discrepancies > 0 ? [field({ name: 'waive', label: `Waive the ${discrepancies} discrepanc${discrepancies === 1 ? 'y' : 'ies'} listed above`, type: 'checkbox', required: true })] : [],
                intro: h('p', { class: 'muted' }, 'The approver must be a different person from the officer who examined.'),
                run: async (f) => {
                    const answer = await post(`${BASE}/${seg(id)}/approve`, { waiveDiscrepancies: discrepancies > 0 && value(f, 'waive') === 'true' });
                    ctx.changed(`Financing approved.${txNote(answer.transactionId)}`);
                    return 'Approved.';
                },
            }) : null,
            may(fin, 'rejectFinancing') ? actionForm({
                label: 'Reject financing', submit: 'Reject financing', danger: true, testId: 'financing-reject',
                fields: [field({ name: 'reason', label: 'Reason for refusal (lists every discrepancy relied on)', type: 'textarea', required: true, maxlength: 512 })],
                run: async (f) => {
                    const answer = await post(`${BASE}/${seg(id)}/reject`, { reason: value(f, 'reason') });
                    ctx.changed(`Financing rejected.${txNote(answer.transactionId)}`);
                    return 'Rejected.';
                },
            }) : null,
            may(fin, 'releaseFunds') ? step('release', 'Release funds', undefined, 'Funds released.', 'financing-release') : null,
        ));
}
