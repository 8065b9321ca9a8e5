/**
 * A shipment's timeline: every version of its records from their histories (who, when, transaction), then each
 * new event from the live stream as it arrives (block and transaction).
 */
import { get, seg } from '../api';
import { h } from '../dom';
import { feed } from '../feed';
import { COLLECTION, type Kind, type Located } from '../records';
import type { HistoryEntry, Stamp, TradeEvent } from '../types';
import { badge } from './status';

export interface TimelineItem { at: string; record: string; id: string; status: string; by?: Stamp | null; txId: string; block?: string; live?: boolean }

const NAMES: Record<string, string> = {
    shipment: 'Shipment', document: 'Document', billOfLading: 'Bill of lading', declaration: 'Declaration', certificate: 'Certificate', financing: 'Financing',
};

function statusOf(record: string, value: unknown): string {
    const v = (value ?? {}) as Record<string, unknown>;
    const s = record === 'billOfLading' ? v['transportDocumentStatus'] : v['status'];
    return typeof s === 'string' ? s : record === 'document' ? `version ${String(v['currentVersion'] ?? '')}` : '';
}

export async function historyItems(shipmentId: string, located: Located, documentIds: string[]): Promise<TimelineItem[]> {
    const targets: [string, string][] = [['shipment', shipmentId], ...documentIds.map((d): [string, string] => ['document', d]),
        ...(Object.entries(located) as [Kind, string][])];
    const lists = await Promise.all(targets.map(async ([record, id]) => {
        const collection = COLLECTION[record as Kind | 'shipment' | 'document'];
        const answer = await get<{ entries: HistoryEntry[] }>(`/api/v1/${collection}/${seg(id)}/history`).catch(() => ({ entries: [] }));
        return answer.entries.map((e): TimelineItem => ({ at: e.timestamp, record, id, status: statusOf(record, e.record), by: e.by, txId: e.transactionId }));
    }));
    return lists.flat().sort((a, b) => a.at.localeCompare(b.at));
}

function who(by: Stamp | null | undefined): string {
    if (!by) {
        return '';
    }
    const cn = /CN=([^,/:]+)/.exec(by.id)?.[1];
    return `${cn ?? by.role} (${by.role.replace(/_/g, ' ')}, ${by.mspId})`;
}

function itemView(item: TimelineItem): HTMLElement {
    return h('li', { class: `timeline-item${item.live ? ' live' : ''}`, 'data-record': item.record, 'data-status': item.status },
        h('div', { class: 'timeline-head' },
            h('strong', null, `${NAMES[item.record] ?? item.record} ${item.id}`), ' ', item.status ? badge(item.status) : null),
        h('div', { class: 'muted small' },
            item.at ? h('time', { datetime: item.at }, new Date(item.at).toLocaleString()) : 'just now',
            item.by ? ` · ${who(item.by)}` : '',
            item.block ? ` · block ${item.block}` : '',
            ' · tx ', h('code', { class: 'hash', title: item.txId }, item.txId.slice(0, 12), '…')));
}

/** The timeline list; live events for this shipment are added at the top while it is on the page. */
export function timeline(shipmentId: string, items: TimelineItem[], onLive: (e: TradeEvent) => void): { element: HTMLElement; dispose: () => void } {
    const list = h('ol', { class: 'timeline', reversed: true, 'data-testid': 'timeline' }, [...items].reverse().map(itemView));
    const live = h('p', { class: 'muted small', 'aria-live': 'polite' });
    const setLive = (): void => {
        live.textContent = feed.connected ? 'Live: new events appear here as the ledger commits them.' : 'Reconnecting to the live event stream…';
    };
    setLive();
    const dispose = feed.subscribe((event) => {
        setLive();
        if (!event || event.payload.shipmentId !== shipmentId) {
            return;
        }
        const p = event.payload;
        list.prepend(itemView({ at: new Date().toISOString(), record: p.record ?? '', id: p.id ?? '', status: p.status ?? '', txId: event.transactionId, block: event.blockNumber, live: true }));
        onLive(event);
    });
    return { element: h('section', { class: 'panel', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, 'Timeline'), live, list), dispose };
}
