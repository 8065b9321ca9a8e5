/** Shared pieces of the dossier's sections: the context they get, fact lists, section frames. */
import { type Child, h } from '../dom';
import type { Located } from '../records';
import type { Dossier } from '../types';

export interface DossierContext {
    shipmentId: string;
    dossier: Dossier;
    located: Located;
    /** Called after a successful change: reloads the dossier and shows `message`. */
    changed: (message: string) => void;
}

/**
 * Whether the signed-in person may run `transaction` on `record` now, as the chaincode answered it (the record's
 * `allowedActions`, from its permission table and status machine): the portal never re-encodes those rules.
 */
export function may(record: { allowedActions?: readonly string[] } | null | undefined, transaction: string): boolean {
    return record?.allowedActions?.includes(transaction) ?? false;
}

export function facts(pairs: readonly (readonly [string, Child] | null | false | undefined)[]): HTMLElement {
    return h('dl', { class: 'facts' }, pairs.filter((p): p is readonly [string, Child] => Boolean(p)).map(([k, v]) => [h('dt', null, k), h('dd', null, v)]));
}

export function section(id: string, title: string, status: HTMLElement | null, ...children: Child[]): HTMLElement {
    return h('section', { class: 'panel', id, 'aria-labelledby': `${id}-title`, 'data-testid': id },
        h('div', { class: 'panel-head' }, h('h2', { id: `${id}-title` }, title), status ? h('span', { 'data-testid': `${id}-status` }, status) : null),
        children);
}

export function historyLink(collection: string, id: string): HTMLElement {
    return h('a', { class: 'small', href: `#/history/${collection}/${encodeURIComponent(id)}` }, `History of ${id}`);
}

/** Actions grouped under a heading so the page reads as "state, then what you can do". */
export function actions(...forms: Child[]): HTMLElement | null {
    const list = forms.filter(Boolean);
    return list.length === 0 ? null : h('div', { class: 'actions' }, h('h3', { class: 'actions-title' }, 'What you can do'), list);
}

export function party(p: { name: string; country: string } | undefined): string {
    return p ? `${p.name} (${p.country})` : '—';
}

export function txNote(transactionId: string | undefined): string {
    return transactionId ? ` Transaction ${transactionId.slice(0, 12)}….` : '';
}
