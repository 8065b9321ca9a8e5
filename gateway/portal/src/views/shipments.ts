/** Shipments the organisation takes part in (or, for customs, by status), a page at a time. */
import { get, plainError } from '../api';
import { badge } from '../components/status';
import { h, replace, uid } from '../dom';
import type { View } from '../main';
import { areaOf, me } from '../session';
import type { Shipment } from '../types';

const PARTY: Record<string, string> = { exporter: 'ExporterMSP', carrier: 'CarrierMSP', bank: 'BankMSP' };
const STATUSES = ['OPEN', 'SHIPPED', 'DELIVERED', 'CANCELLED'];

export async function listShipments(filter: string, cursor?: string): Promise<{ items: Shipment[]; nextCursor: string | null }> {
    const query = new URLSearchParams({ limit: '20' });
    if (STATUSES.includes(filter)) {
        query.set('status', filter);
    } else {
        query.set('party', filter);
    }
    if (cursor) {
        query.set('cursor', cursor);
    }
    return get(`/api/v1/shipments?${query.toString()}`);
}

export function shipmentsTable(items: Shipment[]): HTMLElement {
    if (items.length === 0) {
        return h('p', { class: 'empty' }, 'No shipments here yet.');
    }
    return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'shipments' },
        h('caption', { class: 'visually-hidden' }, 'Shipments'),
        h('thead', null, h('tr', null, ['Shipment', 'Reference', 'Exporter', 'Consignee', 'Route', 'Status'].map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, items.map((s) => h('tr', null,
            h('th', { scope: 'row' }, h('a', { href: `#/shipments/${encodeURIComponent(s.shipmentId)}` }, s.shipmentId)),
            h('td', null, s.exporterReference),
            h('td', null, s.exporter.name),
            h('td', null, s.consignee.name),
            h('td', null, `${s.portOfLoading} → ${s.portOfDischarge}`),
            h('td', null, badge(s.status)))))));
}

export function shipmentsView(): View {
    const area = areaOf(me());
    const party = PARTY[area];
    const selectId = uid('filter');
    const select = h('select', { id: selectId },
        party ? h('option', { value: party }, 'All I take part in') : null,
        STATUSES.map((s) => h('option', { value: s }, `Status: ${s.toLowerCase()}`)));
    const out = h('div', { 'aria-live': 'polite' });
    const more = h('button', { type: 'button', class: 'quiet', hidden: true }, 'Show more');
    let cursor: string | null = null;
    let rows: Shipment[] = [];

    async function load(reset: boolean): Promise<void> {
        if (reset) {
            rows = [];
            cursor = null;
            replace(out, h('p', { class: 'muted' }, 'Loading…'));
        }
        try {
            const page = await listShipments(select.value, cursor ?? undefined);
            rows = [...rows, ...page.items];
            cursor = page.nextCursor;
            replace(out, shipmentsTable(rows));
            more.hidden = cursor === null;
        } catch (err) {
            replace(out, h('p', { class: 'error', role: 'alert' }, plainError(err)));
        }
    }
    select.addEventListener('change', () => void load(true));
    more.addEventListener('click', () => void load(false));
    void load(true);

    return {
        title: 'Shipments',
        element: h('div', null,
            h('div', { class: 'page-head' }, h('h1', null, 'Shipments'),
                area === 'exporter' ? h('a', { class: 'button primary', href: '#/shipments/new' }, 'Open a shipment') : null),
            h('div', { class: 'toolbar' }, h('label', { for: selectId }, 'Show'), select),
            out, more),
    };
}
