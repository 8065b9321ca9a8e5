/** Inline view of a document version: its bytes fetched with the token, shown from a blob: URL (PDF or image). */
import { getBlob, plainError, seg } from '../api';
import { h, replace } from '../dom';
import type { DocumentVersion } from '../types';

let openUrl: string | undefined;

export function viewer(): { element: HTMLElement; show: (v: DocumentVersion) => void } {
    const body = h('div', { class: 'viewer-body' });
    const title = h('h2', { id: 'viewer-title' }, 'Document');
    const element = h('section', { class: 'panel viewer', hidden: true, 'aria-labelledby': 'viewer-title', tabindex: -1 },
        h('div', { class: 'panel-head' }, title, h('button', { type: 'button', class: 'quiet', onclick: () => close() }, 'Close')), body);

    function close(): void {
        element.hidden = true;
        if (openUrl) {
            URL.revokeObjectURL(openUrl);
            openUrl = undefined;
        }
        replace(body);
    }

    function show(v: DocumentVersion): void {
        element.hidden = false;
        title.textContent = `${v.documentId} · version ${v.version}${v.fileName ? ` · ${v.fileName}` : ''}`;
        replace(body, h('p', { class: 'muted' }, 'Loading…'));
        element.focus();
        void getBlob(`/api/v1/documents/${seg(v.documentId)}/versions/${v.version}/content`).then((blob) => {
            if (openUrl) {
                URL.revokeObjectURL(openUrl);
            }
            const typed = blob.type ? blob : new Blob([blob], { type: v.mediaType });
            openUrl = URL.createObjectURL(typed);
            if (typed.type.startsWith('image/') && typed.type !== 'image/tiff') {
                replace(body, h('img', { src: openUrl, alt: `${v.documentId} version ${v.version}`, class: 'doc-image' }));
            } else if (typed.type === 'application/pdf') {
                replace(body, h('object', { data: openUrl, type: 'application/pdf', class: 'doc-pdf', 'aria-label': `${v.documentId} (PDF)` },
                    h('p', null, 'Your browser cannot show this PDF inline. ', h('a', { href: openUrl, download: `${v.documentId}-v${v.version}.pdf` }, 'Download it'), '.')));
            } else {
                replace(body, h('p', null, `This ${typed.type || 'file'} cannot be shown inline. `,
                    h('a', { href: openUrl, download: `${v.documentId}-v${v.version}` }, 'Download it'), '.'));
            }
        }, (err: unknown) => {
            replace(body, h('p', { class: 'error', role: 'alert' }, plainError(err)));
        });
    }

    return { element, show };
}
