/** The history of one record: every version, who wrote it (organisation, role, identity), when, and in which transaction. */
import { get, plainError, seg } from '../api';
import { badge } from '../components/status';
import { h, replace } from '../dom';
import { feed } from '../feed';
import type { View } from '../main';
import type { HistoryEntry } from '../types';

const NAMES: Record<string, string> = {
    shipments: 'shipment', documents: 'document', 'bills-of-lading': 'bill of lading', declarations: 'declaration', certificates: 'certificate', financing: 'financing',
};

function statusOf(record: unknown): string | undefined {
    const r = (record ?? {}) as Record<string, unknown>;
    const s = r['transportDocumentStatus'] ?? r['status'];
    return typeof s === 'string' ? s : undefined;
}

function identity(id: string): string {
    return /CN=([^,/:]+)/.exec(id)?.[1] ?? id;
}

export function historyView(collection: string, id: string): View {
    const out = h('div', { 'aria-live': 'polite' }, h('p', { class: 'muted' }, 'Loading…'));
    const what = NAMES[collection] ?? collection;
    void get<{ entries: HistoryEntry[] }>(`/api/v1/${collection}/${seg(id)}/history`).then((answer) => {
        const block = (tx: string): string => feed.events.find((e) => e.transactionId === tx)?.blockNumber ?? '';
        replace(out, answer.entries.length === 0 ? h('p', { class: 'empty' }, 'No history.') : h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'history' },
            h('caption', null, `${answer.entries.length} version(s), oldest first`),
            h('thead', null, h('tr', null, ['#', 'When', 'Who', 'Status', 'Transaction'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', null, answer.entries.map((e, i) => h('tr', null,
                h('td', null, String(i + 1)),
                h('td', null, h('time', { datetime: e.timestamp }, new Date(e.timestamp).toLocaleString())),
                h('td', null, e.by ? `${identity(e.by.id)} · ${e.by.role.replace(/_/g, ' ')} · ${e.by.mspId}` : '—'),
                h('td', null, e.isDelete ? 'deleted' : badge(statusOf(e.record))),
                h('td', null, h('code', { class: 'hash' }, e.transactionId), block(e.transactionId) ? h('span', { class: 'muted small' }, ` block ${block(e.transactionId)}`) : null)))))));
    }, (err: unknown) => replace(out, h('p', { class: 'error', role: 'alert' }, plainError(err))));
    return {
        title: `History of ${id}`,
        element: h('div', null, h('p', { class: 'crumbs' }, h('button', { type: 'button', class: 'quiet', onclick: () => history.back() }, '← Back')),
            h('h1', null, `History of ${what} ${id}`), out),
    };
}
