/**
 * Drag-and-drop upload of several files to a shipment: each file gets a row (document type, document id), a
 * progress bar fed by XMLHttpRequest upload progress, and when the ledger has registered it, the SHA-256 the
 * gateway computed, checked against the one computed here in the browser.
 */
import { ApiProblem, seg, upload } from '../api';
import { dropZone } from './dropzone';
import { h, replace, uid } from '../dom';
import { sha256Hex } from '../sha256';
import type { DocumentVersion } from '../types';

export const DOC_TYPES: readonly (readonly [string, string])[] = [
    ['commercialInvoice', 'Commercial invoice'], ['packingList', 'Packing list'], ['billOfLading', 'Bill of lading copy'],
    ['certificateOfOrigin', 'Certificate of origin'], ['customsDeclaration', 'Customs declaration'],
    ['insuranceCertificate', 'Insurance certificate'], ['financingRequest', 'Financing request'], ['other', 'Other'],
];

const ABBREV: Record<string, string> = {
    commercialInvoice: 'INV', packingList: 'PL', billOfLading: 'BLC', certificateOfOrigin: 'COD', customsDeclaration: 'CDD',
    insuranceCertificate: 'INS', financingRequest: 'FRQ', other: 'DOC',
};

/** A first guess of the type from the file name. */
function guessType(name: string): string {
    const n = name.toLowerCase();
    if (/invoice|inv[-_ ]/.test(n)) return 'commercialInvoice';
    if (/packing|pl[-_ ]/.test(n)) return 'packingList';
    if (/insur/.test(n)) return 'insuranceCertificate';
    if (/origin|coo/.test(n)) return 'certificateOfOrigin';
    if (/lading|b-?l[-_ ]/.test(n)) return 'billOfLading';
    return 'other';
}

function formatSize(bytes: number): string {
    return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export interface UploadOptions {
    shipmentId: string;
    /** Structured fields to register with a document of this type (for the bank's examination), if any. */
    fieldsFor?: (docType: string, documentId: string) => Record<string, unknown> | undefined;
    onUploaded?: (version: DocumentVersion) => void;
}

interface Row { file: File; type: HTMLSelectElement; id: HTMLInputElement; bar: HTMLProgressElement; result: HTMLElement; done: boolean; el: HTMLElement }

export function uploadPanel(options: UploadOptions): HTMLElement {
    const rows: Row[] = [];
    const list = h('ul', { class: 'upload-list', 'aria-label': 'Files to upload' });
    const input = h('input', { type: 'file', multiple: true, id: uid('files'), class: 'visually-hidden', accept: '.pdf,.png,.jpg,.jpeg,.tif,.tiff,.xml,application/pdf,image/png,image/jpeg,image/tiff,application/xml' });
    const summary = h('p', { class: 'muted', role: 'status', 'aria-live': 'polite' });
    const sendButton = h('button', { type: 'button', class: 'primary', disabled: true }, 'Upload all');
    let counter = 0;

    function addFiles(files: FileList | null): void {
        for (const file of files ? [...files] : []) {
            counter += 1;
            const docType = guessType(file.name);
            const typeId = uid('doctype');
            const idId = uid('docid');
            const type = h('select', { id: typeId, name: 'docType' }, DOC_TYPES.map(([v, l]) => h('option', { value: v, selected: v === docType }, l)));
            const id = h('input', { id: idId, name: 'documentId', value: `${ABBREV[docType]}-${options.shipmentId}-${counter}`.slice(0, 64), required: true, pattern: '[A-Za-z0-9][A-Za-z0-9._\\-]{0,63}', spellcheck: 'false', autocomplete: 'off' });
            type.addEventListener('change', () => {
                id.value = `${ABBREV[type.value] ?? 'DOC'}-${options.shipmentId}-${counter}`.slice(0, 64);
            });
            const bar = h('progress', { max: 100, value: 0, 'aria-label': `Upload progress of ${file.name}` });
            const result = h('div', { class: 'upload-result', 'aria-live': 'polite' });
            const el = h('li', { class: 'upload-row', 'data-file': file.name },
                h('div', { class: 'upload-file' }, h('strong', null, file.name), h('span', { class: 'muted' }, ` ${formatSize(file.size)}`)),
                h('div', { class: 'upload-inputs' },
                    h('div', { class: 'field' }, h('label', { for: typeId }, 'Document type'), type),
                    h('div', { class: 'field' }, h('label', { for: idId }, 'Document id (an existing id adds a version)'), id)),
                bar, result);
            rows.push({ file, type, id, bar, result, done: false, el });
            list.appendChild(el);
        }
        sendButton.disabled = rows.every((r) => r.done);
        summary.textContent = `${rows.filter((r) => !r.done).length} file(s) ready to upload.`;
    }

    async function send(row: Row): Promise<void> {
        if (!row.id.checkValidity()) {
            replace(row.result, h('p', { class: 'error', role: 'alert' }, 'The document id must be 1 to 64 letters, digits, dots, dashes or underscores.'));
            return;
        }
        const local = sha256Hex(row.file);
        const fields = options.fieldsFor?.(row.type.value, row.id.value);
        const form: Record<string, string> = { documentId: row.id.value, docType: row.type.value };
        if (fields) {
            form['fields'] = JSON.stringify(fields);
        }
        replace(row.result, h('p', { class: 'muted' }, 'Uploading…'));
        try {
            const answer = await upload<DocumentVersion>(`/api/v1/shipments/${seg(options.shipmentId)}/documents`, form, row.file, (f) => {
                row.bar.value = Math.round(f * 100);
                if (f >= 1) {
                    replace(row.result, h('p', { class: 'muted' }, 'Sent; waiting for the ledger to register it…'));
                }
            });
            row.bar.value = 100;
            row.done = true;
            row.type.disabled = true;
            row.id.readOnly = true;
            const v = answer.data;
            const same = (await local) === v.sha256;
            replace(row.result,
                h('p', { class: 'success' }, `Registered ${v.documentId} version ${v.version}.`),
                h('p', { class: 'hash-line' }, 'SHA-256 ', h('code', { class: 'hash', 'data-testid': 'upload-sha256' }, v.sha256)),
                h('p', { class: same ? 'muted' : 'error' }, same ? 'Matches the hash computed in your browser.' : 'Does not match the hash computed in your browser!'));
            options.onUploaded?.(v);
        } catch (err) {
            row.bar.value = 0;
            replace(row.result, h('p', { class: 'error', role: 'alert' }, err instanceof ApiProblem ? err.plain : String(err)));
        }
    }

    sendButton.addEventListener('click', () => {
        sendButton.disabled = true;
        void (async () => {
            for (const row of rows.filter((r) => !r.done)) {
                await send(row);
            }
            const left = rows.filter((r) => !r.done).length;
            summary.textContent = left === 0 ? 'Every file is registered.' : `${left} file(s) not registered: see the messages.`;
            sendButton.disabled = left === 0;
        })();
    });

    const zone = dropZone(input, 'Drop files here', ' or choose files (PDF, PNG, JPEG, TIFF, XML)', addFiles);

    return h('section', { class: 'panel', 'aria-labelledby': 'upload-title' },
        h('h2', { id: 'upload-title' }, 'Upload documents'),
        input, zone, list, h('div', { class: 'form-actions' }, sendButton, summary));
}
