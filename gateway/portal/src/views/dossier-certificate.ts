/** The dossier's certificate of origin: the exporter applies; customs issues, rejects or revokes. */
import { post, seg } from '../api';
import { HINT, PATTERN } from '../components/codes';
import { actionForm, field, value } from '../components/form';
import { badge } from '../components/status';
import { h } from '../dom';
import { randomTag, today } from '../format';
import { suggestedId } from '../records';
import type { Certificate } from '../types';
import { actions, type DossierContext, facts, historyLink, may, section, txNote } from './dossier-parts';

const BASE = '/api/v1/certificates';

function applyForm(ctx: DossierContext): HTMLFormElement {
    const s = ctx.dossier.shipment;
    const versions = ctx.dossier.documents.flatMap((d) => (d.versions ?? []).filter((v) => v.status !== 'REVOKED').map((v) => [v.sha256, `${d.documentId} v${v.version} (${d.docType})`] as const));
    const invoice = ctx.dossier.documents.find((d) => d.docType === 'commercialInvoice');
    const preferred = ctx.dossier.documents.find((d) => d.docType === 'certificateOfOrigin') ?? invoice;
    const preferredSha = preferred?.versions?.at(-1)?.sha256;
    return actionForm({
        label: 'Apply for a certificate of origin', title: 'Apply for a certificate of origin', submit: 'Apply for certificate', testId: 'apply-certificate',
        intro: h('p', { class: 'muted' }, 'Items are prefilled from the shipment\'s goods; the certificate anchors the SHA-256 of the document you choose.'),
        fields: [
            field({ name: 'applicationId', label: 'Application id', required: true, value: suggestedId('certificate', ctx.shipmentId), pattern: PATTERN.id, hint: HINT.id }),
            field({ name: 'certificateType', label: 'Kind', type: 'select', options: [['NON_PREFERENTIAL', 'Non-preferential'], ['PREFERENTIAL', 'Preferential (FTA claim)']] }),
            field({ name: 'originCriterion', label: 'Origin criterion (preferential only)', type: 'select', options: [['', '—'], 'WO', 'PE', 'CTH', 'CTSH', 'CC', 'RVC'] }),
            field({ name: 'countryOfOrigin', label: 'Country of origin', required: true, value: s.countryOfOrigin, pattern: PATTERN.country, hint: HINT.country, short: true }),
            versions.length > 0
                ? field({ name: 'documentSha256', label: 'Document the certificate covers', type: 'select', options: versions, value: preferredSha })
                : field({ name: 'documentSha256', label: 'SHA-256 of the certificate document', required: true, pattern: '[0-9a-f]{64}', hint: 'upload the document first, or paste its SHA-256' }),
            field({ name: 'marks', label: 'Marks and numbers', required: true, value: `${s.consignee.name.split(' ')[0]?.toUpperCase() ?? 'MARKS'}/${s.portOfDischarge}`, maxlength: 120 }),
            field({ name: 'invoiceNumber', label: 'Invoice number', required: true, value: invoice?.documentId ?? '', maxlength: 64 }),
            field({ name: 'invoiceDate', label: 'Invoice date', type: 'date', required: true, value: today(), short: true }),
        ],
        run: async (f) => {
            const applicationId = value(f, 'applicationId');
            const type = value(f, 'certificateType');
            const criterion = value(f, 'originCriterion');
            const tdr = ctx.dossier.billOfLading?.record.transportDocumentReference;
            const answer = await post<Certificate>(BASE, {
                applicationId, shipmentId: ctx.shipmentId, certificateType: type, countryOfOrigin: value(f, 'countryOfOrigin'),
                ...(type === 'PREFERENTIAL' && criterion ? { originCriterion: criterion } : {}),
                documentSha256: value(f, 'documentSha256'),
                details: {
                    exporter: s.exporter, consignee: s.consignee, portOfLoading: s.portOfLoading, portOfDischarge: s.portOfDischarge,
                    ...(tdr ? { transportDocumentReference: tdr } : {}),
                    items: s.goods.map((g) => ({
                        marks: value(f, 'marks'), packages: g.packages, description: g.description, hsCode: g.hsCode.slice(0, 6),
                        quantity: g.quantity, grossWeightKg: g.grossWeightKg, invoiceNumber: value(f, 'invoiceNumber'), invoiceDate: value(f, 'invoiceDate'),
                    })),
                },
            });
            ctx.changed(`Applied for certificate of origin ${applicationId}.${txNote(answer.transactionId)}`);
            return 'Applied.';
        },
    });
}

function decision(ctx: DossierContext, c: Certificate, path: string, label: string, withReason: boolean, done: string, danger = false): HTMLFormElement {
    return actionForm({
        label, submit: label, danger, testId: `certificate-${path}`,
        fields: path === 'issue'
            ? [field({ name: 'certificateNumber', label: 'Certificate number', required: true, value: `${c.countryOfOrigin}-${new Date().getFullYear()}-${randomTag(6)}`, pattern: PATTERN.id, hint: HINT.id })]
            : withReason ? [field({ name: 'reason', label: `Reason (${label.toLowerCase()})`, type: 'textarea', required: true, maxlength: 512 })] : [],
        run: async (f) => {
            const body = path === 'issue' ? { certificateNumber: value(f, 'certificateNumber') } : { reason: value(f, 'reason') };
            const answer = await post(`${BASE}/${seg(c.applicationId)}/${path}`, body);
            ctx.changed(`${done}${txNote(answer.transactionId)}`);
            return done;
        },
    });
}

export function certificateSection(ctx: DossierContext): HTMLElement {
    const part = ctx.dossier.certificate;
    const apply = may(ctx.dossier.shipment, 'applyForCertificate');
    if (!part) {
        return section('certificate', 'Certificate of origin', badge(undefined),
            h('p', { class: 'muted' }, 'No certificate of origin has been applied for.'),
            actions(apply ? applyForm(ctx) : null));
    }
    const c = part.record;
    return section('certificate', `Certificate of origin ${c.applicationId}`, badge(c.status),
        facts([
            ['Certificate number', h('strong', { 'data-testid': 'certificate-number' }, c.certificateNumber ?? '— (given on issue)')],
            ['Kind', c.certificateType.replace(/_/g, ' ').toLowerCase()], ['Country of origin', c.countryOfOrigin],
            c.originCriterion ? ['Origin criterion', c.originCriterion] : null,
            c.issuer ? ['Issuer', `${c.issuer.mspId} (${c.issuer.role.replace(/_/g, ' ')})`] : null,
            c.issueDate ? ['Issue date', c.issueDate] : null,
            c.reason ? ['Reason', c.reason] : null,
            ['Document SHA-256', h('code', { class: 'hash' }, c.documentSha256)],
        ]),
        c.certificateNumber && c.status === 'ISSUED' ? h('p', { class: 'muted small' }, 'Anyone can check it on the public ', h('a', { href: '#/verify' }, 'verification page'), '.') : null,
        historyLink('certificates', c.applicationId),
        actions(
            apply && c.status === 'REJECTED' ? applyForm(ctx) : null,
            may(c, 'issueCertificate') ? decision(ctx, c, 'issue', 'Issue certificate', false, 'Certificate issued.') : null,
            may(c, 'rejectCertificate') ? decision(ctx, c, 'reject', 'Reject application', true, 'Application rejected.', true) : null,
            may(c, 'revokeCertificate') ? decision(ctx, c, 'revoke', 'Revoke certificate', true, 'Certificate revoked.', true) : null,
        ));
}
