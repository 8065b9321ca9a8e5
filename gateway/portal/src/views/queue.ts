/**
 * Work queues, read from the chaincode's status indexes a page at a time (the gateway's list routes with cursors):
 * every record in a status can be reached, however many shipments there are. Refreshed when the live stream reports
 * a change to one of those records.
 *  - Customs: declarations by status, then certificate applications by status.
 *  - Bank: financing requests by status, and the bills of lading the bank holds.
 *  - Carrier: open shipments (waiting for a bill of lading), and bills of lading by status, pending surrenders first.
 */
import { get, plainError } from '../api';
import { badge, statusLabel } from '../components/status';
import { type Child, h, replace } from '../dom';
import { feed } from '../feed';
import type { View } from '../main';
import { areaOf, me } from '../session';
import type { BillOfLading, Certificate, Declaration, Financing, Shipment } from '../types';

interface Page<T> { items: T[]; nextCursor: string | null }

const PAGE_SIZE = '20';

function pageOf<T>(path: string, filter: Record<string, string>, cursor?: string): Promise<Page<T>> {
    const query = new URLSearchParams({ ...filter, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    return get<Page<T>>(`${path}?${query.toString()}`);
}

function link(shipmentId: string, text?: string): HTMLElement {
    return h('a', { href: `#/shipments/${encodeURIComponent(shipmentId)}` }, text ?? shipmentId);
}

function rowOf(cells: Child[]): HTMLElement {
    return h('tr', null, cells.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', null, c))));
}

interface Listing<T> {
    readonly caption: string;
    readonly heads: readonly string[];
    readonly testId: string;
    readonly path: string;
    readonly filter: Record<string, string>;
    readonly row: (item: T) => Child[];
}

/** A table of the first page, or undefined when there is none; "Show more" follows the cursor. */
async function pagedTable<T>(l: Listing<T>): Promise<HTMLElement | undefined> {
    const first = await pageOf<T>(l.path, l.filter);
    if (first.items.length === 0) {
        return undefined;
    }
    const body = h('tbody', null, first.items.map((item) => rowOf(l.row(item))));
    const more = h('button', { type: 'button', class: 'quiet', 'data-testid': `${l.testId}-more` }, 'Show more');
    const foot = h('p', { class: 'more' }, more);
    let cursor = first.nextCursor;
    more.addEventListener('click', () => void (async () => {
        if (!cursor) {
            return;
        }
        more.setAttribute('disabled', '');
        try {
            const next = await pageOf<T>(l.path, l.filter, cursor);
            next.items.forEach((item) => body.append(rowOf(l.row(item))));
            cursor = next.nextCursor;
        } catch (err) {
            foot.append(h('span', { class: 'error', role: 'alert' }, ` ${plainError(err)}`));
        }
        more.removeAttribute('disabled');
        foot.hidden = cursor === null;
    })());
    foot.hidden = cursor === null;
    return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': l.testId },
        h('caption', null, l.caption),
        h('thead', null, h('tr', null, l.heads.map((t) => h('th', { scope: 'col' }, t)))),
        body), foot);
}

/** One table per status that has records, in `order`; a sentence when none has any. */
async function byStatus<T>(title: string, none: string, order: readonly string[], listing: (status: string) => Listing<T>): Promise<Child[]> {
    const tables = (await Promise.all(order.map((status) => pagedTable(listing(status))))).filter((t): t is HTMLElement => t !== undefined);
    return [h('h2', null, title), ...(tables.length === 0 ? [h('p', { class: 'empty' }, none)] : tables)];
}

const DECLARATION_ORDER = ['LODGED', 'AMENDED', 'ADDITIONAL_DOCUMENTS_REQUIRED', 'ACCEPTED', 'UNDER_CONTROL', 'RELEASED', 'REJECTED', 'CANCELLED'];
const CERTIFICATE_ORDER = ['APPLIED', 'ISSUED', 'REJECTED', 'REVOKED'];
const FINANCING_ORDER = ['REQUESTED', 'UNDER_EXAMINATION', 'APPROVED', 'RELEASED', 'REJECTED', 'WITHDRAWN'];
const BL_ORDER = ['PENDING_SURRENDER_FOR_DELIVERY', 'PENDING_SURRENDER_FOR_AMENDMENT', 'ISSUED', 'SURRENDER_FOR_AMENDMENT', 'SURRENDER_FOR_DELIVERY', 'VOID'];

async function customsQueue(): Promise<Child[]> {
    return [
        ...await byStatus<Declaration>('Declarations', 'No declarations.', DECLARATION_ORDER, (status) => ({
            caption: statusLabel(status), heads: ['Declaration', 'Shipment', 'LRN', 'MRN', 'Status'], testId: `queue-declarations-${status}`,
            path: '/api/v1/declarations', filter: { status },
            row: (d) => [link(d.shipmentId, d.declarationId), link(d.shipmentId), d.lrn, d.mrn ?? '—', badge(d.status)],
        })),
        ...await byStatus<Certificate>('Certificates of origin', 'No certificate applications.', CERTIFICATE_ORDER, (status) => ({
            caption: statusLabel(status), heads: ['Application', 'Shipment', 'Origin', 'Number', 'Status'], testId: `queue-certificates-${status}`,
            path: '/api/v1/certificates', filter: { status },
            row: (c) => [link(c.shipmentId, c.applicationId), link(c.shipmentId), c.countryOfOrigin, c.certificateNumber ?? '—', badge(c.status)],
        })),
    ];
}

async function bankQueue(): Promise<Child[]> {
    const held = await pagedTable<BillOfLading>({
        caption: 'Held by the bank', heads: ['B/L', 'Shipment', 'Shipper', 'Vessel', 'Status'], testId: 'queue-bank-bls',
        path: '/api/v1/bills-of-lading', filter: { holder: 'BankMSP' },
        row: (bl) => [link(bl.shipmentId, bl.transportDocumentReference), link(bl.shipmentId), bl.shipper.name, bl.vesselName, badge(bl.transportDocumentStatus)],
    });
    return [
        ...await byStatus<Financing>('Financing requests', 'No financing requests.', FINANCING_ORDER, (status) => ({
            caption: statusLabel(status), heads: ['Financing', 'Shipment', 'Kind', 'Examine by', 'Discrepancies', 'Status'], testId: `queue-financing-${status}`,
            path: '/api/v1/financing', filter: { status },
            row: (f) => [link(f.shipmentId, f.financingId), link(f.shipmentId), f.financingType.replace(/_/g, ' ').toLowerCase(),
                f.examinationDeadline, f.examination ? String(f.examination.discrepancyCount) : 'not examined', badge(f.status)],
        })),
        h('h2', null, 'Bills of lading the bank holds'),
        held ?? h('p', { class: 'empty' }, 'Held by the bank: none.'),
    ];
}

async function carrierQueue(): Promise<Child[]> {
    // Issuing the B/L ships an OPEN shipment, so every OPEN shipment still waits for one.
    const waiting = await pagedTable<Shipment>({
        caption: 'Waiting', heads: ['Shipment', 'Shipper', 'Route', 'Packages'], testId: 'queue-waiting',
        path: '/api/v1/shipments', filter: { status: 'OPEN' },
        row: (s) => [link(s.shipmentId), s.exporter.name, `${s.portOfLoading} → ${s.portOfDischarge}`, String(s.goods.reduce((n, g) => n + g.packages, 0))],
    });
    return [
        h('h2', null, 'Shipments waiting for a bill of lading'),
        waiting ?? h('p', { class: 'empty' }, 'Waiting: none.'),
        ...await byStatus<BillOfLading>('Bills of lading', 'No bills of lading issued yet.', BL_ORDER, (status) => ({
            caption: statusLabel(status), heads: ['B/L', 'Shipment', 'Holder', 'Vessel / voyage', 'Status'], testId: `queue-bls-${status}`,
            path: '/api/v1/bills-of-lading', filter: { status },
            row: (bl) => [link(bl.shipmentId, bl.transportDocumentReference), link(bl.shipmentId), bl.holderMspId, `${bl.vesselName} / ${bl.carrierExportVoyageNumber}`, badge(bl.transportDocumentStatus)],
        })),
    ];
}

const TITLES: Record<string, string> = { customs: 'Customs work queue', bank: 'Financing queue', carrier: 'Bills of lading' };
const WATCH: Record<string, string[]> = { customs: ['declaration', 'certificate'], bank: ['financing', 'billOfLading'], carrier: ['billOfLading', 'shipment'] };

export function queueView(): View {
    const area = areaOf(me());
    const out = h('div', { class: 'queue', 'aria-live': 'polite', 'aria-busy': 'true' }, h('p', { class: 'muted' }, 'Loading…'));
    const build = area === 'customs' ? customsQueue : area === 'bank' ? bankQueue : area === 'carrier' ? carrierQueue : undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    async function load(): Promise<void> {
        if (!build) {
            replace(out, h('p', null, 'There is no work queue for your organisation. ', h('a', { href: '#/shipments' }, 'See shipments'), '.'));
            return;
        }
        try {
            replace(out, ...(await build()));
        } catch (err) {
            replace(out, h('p', { class: 'error', role: 'alert' }, plainError(err)));
        }
        out.removeAttribute('aria-busy');
    }
    const dispose = feed.subscribe((event) => {
        if (event && (WATCH[area] ?? []).includes(event.payload.record ?? '')) {
            clearTimeout(timer);
            timer = setTimeout(() => void load(), 500);
        }
    });
    void load();
    return {
        title: TITLES[area] ?? 'Work queue',
        element: h('div', null, h('h1', null, TITLES[area] ?? 'Work queue'),
            h('p', { class: 'muted' }, 'Read from the ledger\'s status indexes a page at a time and updated live from its events.'), out),
        dispose: () => {
            dispose();
            clearTimeout(timer);
        },
    };
}
