/**
 * Work queues, built from the shipments list (by party, or for customs by status) and each shipment's dossier (the
 * chaincode lists a shipment's records by its indexes), and refreshed when the live stream reports a change to one
 * of those records.
 *  - Customs: declarations grouped by status, then certificate applications.
 *  - Bank: financing requests grouped by status, and the bills of lading the bank holds.
 *  - Carrier: shipments waiting for a bill of lading, and the bills of lading with holder and status.
 */
import { plainError } from '../api';
import { badge, statusLabel } from '../components/status';
import { type Child, h, replace } from '../dom';
import { feed } from '../feed';
import { type Kind, loadDossier } from '../records';
import type { View } from '../main';
import { areaOf, me } from '../session';
import type { BillOfLading, Certificate, Declaration, Financing, Shipment } from '../types';
import { listShipments } from './shipments';

interface Row { shipment: Shipment; records: Partial<Record<Kind, unknown>> }

async function gather(filters: string[], kinds: Kind[]): Promise<Row[]> {
    const shipments = (await Promise.all(filters.map((f) => listShipments(f)))).flatMap((p) => p.items);
    const unique = [...new Map(shipments.map((s) => [s.shipmentId, s])).values()];
    return Promise.all(unique.map(async (shipment) => {
        const { dossier } = await loadDossier(shipment.shipmentId);
        const records: Partial<Record<Kind, unknown>> = {};
        for (const kind of kinds) {
            const part = dossier[kind];
            if (part) {
                records[kind] = part.record;
            }
        }
        return { shipment, records };
    }));
}

function link(shipmentId: string, text?: string): HTMLElement {
    return h('a', { href: `#/shipments/${encodeURIComponent(shipmentId)}` }, text ?? shipmentId);
}

function table(caption: string, heads: string[], rows: Child[][], testId: string): HTMLElement {
    if (rows.length === 0) {
        return h('p', { class: 'empty' }, `${caption}: none.`);
    }
    return h('div', { class: 'table-wrap' }, h('table', { 'data-testid': testId },
        h('caption', null, caption),
        h('thead', null, h('tr', null, heads.map((t) => h('th', { scope: 'col' }, t)))),
        h('tbody', null, rows.map((cells) => h('tr', null, cells.map((c, i) => (i === 0 ? h('th', { scope: 'row' }, c) : h('td', null, c))))))));
}

function grouped<T>(items: T[], statusOf: (t: T) => string, order: string[], render: (status: string, items: T[]) => HTMLElement): HTMLElement[] {
    const statuses = [...order, ...new Set(items.map(statusOf).filter((s) => !order.includes(s)))];
    return statuses.map((status) => ({ status, list: items.filter((i) => statusOf(i) === status) }))
        .filter((g) => g.list.length > 0)
        .map((g) => render(g.status, g.list));
}

async function customsQueue(): Promise<Child[]> {
    const rows = await gather(['OPEN', 'SHIPPED'], ['declaration', 'certificate']);
    const declarations = rows.filter((r) => r.records.declaration).map((r) => ({ s: r.shipment, d: r.records.declaration as Declaration }));
    const certificates = rows.filter((r) => r.records.certificate).map((r) => ({ s: r.shipment, c: r.records.certificate as Certificate }));
    const order = ['LODGED', 'AMENDED', 'ADDITIONAL_DOCUMENTS_REQUIRED', 'ACCEPTED', 'UNDER_CONTROL', 'RELEASED', 'REJECTED', 'CANCELLED'];
    return [
        h('h2', null, 'Declarations'),
        declarations.length === 0 ? h('p', { class: 'empty' }, 'No declarations lodged on open or shipped shipments.') : null,
        ...grouped(declarations, (x) => x.d.status, order, (status, list) => table(`${statusLabel(status)} (${list.length})`,
            ['Declaration', 'Shipment', 'Exporter', 'LRN', 'MRN', 'Status'],
            list.map(({ s, d }) => [link(s.shipmentId, d.declarationId), link(s.shipmentId), s.exporter.name, d.lrn, d.mrn ?? '—', badge(d.status)]), `queue-declarations-${status}`)),
        h('h2', null, 'Certificates of origin'),
        ...grouped(certificates, (x) => x.c.status, ['APPLIED', 'ISSUED', 'REJECTED', 'REVOKED'], (status, list) => table(`${statusLabel(status)} (${list.length})`,
            ['Application', 'Shipment', 'Exporter', 'Origin', 'Number', 'Status'],
            list.map(({ s, c }) => [link(s.shipmentId, c.applicationId), link(s.shipmentId), s.exporter.name, c.countryOfOrigin, c.certificateNumber ?? '—', badge(c.status)]), `queue-certificates-${status}`)),
        certificates.length === 0 ? h('p', { class: 'empty' }, 'No certificate applications.') : null,
    ];
}

async function bankQueue(): Promise<Child[]> {
    const rows = await gather(['BankMSP'], ['financing', 'billOfLading']);
    const financings = rows.filter((r) => r.records.financing).map((r) => ({ s: r.shipment, f: r.records.financing as Financing }));
    const held = rows.map((r) => ({ s: r.shipment, bl: r.records.billOfLading as BillOfLading | undefined })).filter((x) => x.bl?.holderMspId === 'BankMSP');
    return [
        h('h2', null, 'Financing requests'),
        financings.length === 0 ? h('p', { class: 'empty' }, 'No financing requests.') : null,
        ...grouped(financings, (x) => x.f.status, ['REQUESTED', 'UNDER_EXAMINATION', 'APPROVED', 'RELEASED', 'REJECTED', 'WITHDRAWN'], (status, list) => table(`${statusLabel(status)} (${list.length})`,
            ['Financing', 'Shipment', 'Exporter', 'Kind', 'Examine by', 'Discrepancies', 'Status'],
            list.map(({ s, f }) => [link(s.shipmentId, f.financingId), link(s.shipmentId), s.exporter.name, f.financingType.replace(/_/g, ' ').toLowerCase(),
                f.examinationDeadline, f.examination ? String(f.examination.discrepancyCount) : 'not examined', badge(f.status)]), `queue-financing-${status}`)),
        h('h2', null, 'Bills of lading the bank holds'),
        table('Held by the bank', ['B/L', 'Shipment', 'Shipper', 'Vessel', 'Status'],
            held.map(({ s, bl }) => [link(s.shipmentId, bl!.transportDocumentReference), link(s.shipmentId), bl!.shipper.name, bl!.vesselName, badge(bl!.transportDocumentStatus)]), 'queue-bank-bls'),
    ];
}

async function carrierQueue(): Promise<Child[]> {
    const rows = await gather(['CarrierMSP'], ['billOfLading']);
    const waiting = rows.filter((r) => !r.records.billOfLading && r.shipment.status === 'OPEN');
    const bls = rows.filter((r) => r.records.billOfLading).map((r) => ({ s: r.shipment, bl: r.records.billOfLading as BillOfLading }));
    const pendingFirst = [...bls].sort((a, b) => Number(b.bl.transportDocumentStatus.startsWith('PENDING')) - Number(a.bl.transportDocumentStatus.startsWith('PENDING')));
    return [
        h('h2', null, 'Shipments waiting for a bill of lading'),
        table('Waiting', ['Shipment', 'Shipper', 'Route', 'Packages'],
            waiting.map(({ shipment: s }) => [link(s.shipmentId), s.exporter.name, `${s.portOfLoading} → ${s.portOfDischarge}`, String(s.goods.reduce((n, g) => n + g.packages, 0))]), 'queue-waiting'),
        h('h2', null, 'Bills of lading'),
        table('Issued by you', ['B/L', 'Shipment', 'Holder', 'Vessel / voyage', 'Status'],
            pendingFirst.map(({ s, bl }) => [link(s.shipmentId, bl.transportDocumentReference), link(s.shipmentId), bl.holderMspId, `${bl.vesselName} / ${bl.carrierExportVoyageNumber}`, badge(bl.transportDocumentStatus)]), 'queue-bls'),
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
            h('p', { class: 'muted' }, 'Built from the shipments you take part in and updated live from the ledger\'s events.'), out),
        dispose: () => {
            dispose();
            clearTimeout(timer);
        },
    };
}
