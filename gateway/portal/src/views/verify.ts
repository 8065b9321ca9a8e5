/**
 * Verification without signing in: a certificate of origin by its number, and any file by its SHA-256 computed here
 * in the browser (only the hash is sent), both through the gateway's public endpoints.
 */
import { get, seg } from '../api';
import { actionForm, field, value } from '../components/form';
import { dropZone } from '../components/dropzone';
import { badge } from '../components/status';
import { h, replace, uid } from '../dom';
import type { View } from '../main';
import { me } from '../session';
import { sha256Hex } from '../sha256';
import type { DocumentVersion } from '../types';

interface CertificateCheck {
    certificateNumber: string; status: string; documentSha256: string; issuer?: { mspId: string; role?: string };
    issueDate?: string; countryOfOrigin?: string; certificateType?: string; revokedAt?: string; reason?: string;
}

/** What the public endpoint answers per matching version. */
interface PublicMatch { docType: string; version: number; status: string; registeredAt: string }

function certificateResult(c: CertificateCheck): HTMLElement {
    const valid = c.status === 'ISSUED';
    return h('div', { class: `result ${valid ? 'result-good' : 'result-bad'}`, 'data-testid': 'certificate-result' },
        h('p', { class: 'result-title' }, valid ? `Certificate ${c.certificateNumber} is valid.` : `Certificate ${c.certificateNumber} is not valid: it is ${c.status.toLowerCase()}.`),
        h('dl', { class: 'facts' },
            h('dt', null, 'Status'), h('dd', null, badge(c.status)),
            c.issuer ? [h('dt', null, 'Issued by'), h('dd', null, c.issuer.mspId)] : null,
            c.issueDate ? [h('dt', null, 'Issue date'), h('dd', null, c.issueDate)] : null,
            c.countryOfOrigin ? [h('dt', null, 'Country of origin'), h('dd', null, c.countryOfOrigin)] : null,
            c.certificateType ? [h('dt', null, 'Type'), h('dd', null, c.certificateType.replace(/_/g, ' ').toLowerCase())] : null,
            c.reason ? [h('dt', null, 'Reason'), h('dd', null, c.reason)] : null,
            h('dt', null, 'Document SHA-256'), h('dd', null, h('code', { class: 'hash' }, c.documentSha256))));
}

function documentChecker(): HTMLElement {
    const input = h('input', { type: 'file', id: uid('verify-file'), class: 'visually-hidden' });
    const out = h('div', { 'aria-live': 'polite', 'data-testid': 'document-result' });
    async function check(file: File): Promise<void> {
        replace(out, h('p', { class: 'muted' }, `Computing the SHA-256 of ${file.name} in your browser…`));
        const hash = await sha256Hex(file);
        const hashLine = h('p', { class: 'hash-line' }, 'SHA-256 ', h('code', { class: 'hash', 'data-testid': 'verify-sha256' }, hash));
        try {
            // Anyone may ask whether a file is registered: without a session, through the public endpoint.
            // Members see which document and shipment; anyone else only type, version, status and registration time.
            const matches: HTMLElement[] = me()
                ? (await get<{ matches: DocumentVersion[] }>(`/api/v1/documents/verify?sha256=${hash}`)).matches
                    .map((m) => h('li', null, `${m.documentId} version ${m.version} (${m.docType}, shipment ${m.shipmentId}) `, badge(m.status)))
                : (await get<{ matches: PublicMatch[] }>(`/api/v1/public/documents/${hash}`)).matches
                    .map((m) => h('li', null, `${m.docType} version ${m.version}, registered ${m.registeredAt.slice(0, 10)} `, badge(m.status)));
            replace(out, hashLine, matches.length === 0
                ? h('div', { class: 'result result-bad' }, h('p', { class: 'result-title' }, 'No registered document has exactly these bytes.'))
                : h('div', { class: 'result result-good' }, h('p', { class: 'result-title' }, `Registered: ${matches.length} matching version(s).`), h('ul', null, matches)));
        } catch (err) {
            replace(out, hashLine, h('p', { class: 'error', role: 'alert' }, err instanceof Error ? err.message : String(err)));
        }
    }
    const zone = dropZone(input, 'Drop a file here', ' or choose one', (files) => {
        const file = files?.[0];
        if (file) {
            void check(file);
        }
    });
    return h('section', { class: 'panel', 'aria-labelledby': 'verify-doc-title' },
        h('h2', { id: 'verify-doc-title' }, 'Verify a document'),
        h('p', { class: 'muted' }, 'The file is hashed in your browser; only its SHA-256 is sent.'),
        input, zone, out);
}

export function verifyView(): View {
    const out = h('div', { 'aria-live': 'polite' });
    const form = actionForm({
        label: 'Verify a certificate of origin',
        fields: [field({ name: 'certificateNumber', label: 'Certificate number', required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}', hint: 'as printed on the certificate, e.g. CN-2026-000123' })],
        submit: 'Verify certificate',
        testId: 'verify-certificate',
        run: async (f) => {
            replace(out);
            const c = await get<CertificateCheck>(`/api/v1/public/certificates/${seg(value(f, 'certificateNumber'))}`);
            replace(out, certificateResult(c));
            return 'Checked against the ledger.';
        },
    });
    return {
        title: 'Verify',
        element: h('div', { class: 'narrow' },
            h('h1', null, 'Verify a certificate or a document'),
            h('section', { class: 'panel', 'aria-labelledby': 'verify-cert-title' }, h('h2', { id: 'verify-cert-title' }, 'Verify a certificate of origin'), form, out),
            documentChecker()),
    };
}
