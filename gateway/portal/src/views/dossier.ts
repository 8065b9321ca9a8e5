/**
 * A shipment's dossier: everything this organisation may see of it, with the actions the signed-in person's role
 * allows, and a timeline that follows the live event stream (the dossier reloads when an event names it).
 */
import { plainError } from '../api';
import { badge } from '../components/status';
import { timeline, historyItems } from '../components/timeline';
import { uploadPanel } from '../components/upload';
import { viewer } from '../components/viewer';
import { h, replace } from '../dom';
import { addAmounts, today } from '../format';
import type { View } from '../main';
import { hasRole, me } from '../session';
import { loadDossier } from '../records';
import type { Dossier, Shipment } from '../types';
import { billOfLadingSection } from './dossier-bl';
import { certificateSection } from './dossier-certificate';
import { declarationSection } from './dossier-declaration';
import { financingSection } from './dossier-financing';
import { type DossierContext, facts, historyLink, may, party, section } from './dossier-parts';

/** Structured fields of an invoice or packing list, from the shipment: what the bank's examination compares. */
function fieldsFor(d: Dossier): (docType: string, documentId: string) => Record<string, unknown> | undefined {
    return (docType, documentId) => {
        const s: Shipment = d.shipment;
        if (docType !== 'commercialInvoice' && docType !== 'packingList') {
            return undefined;
        }
        const common = {
            documentNumber: documentId, documentDate: today(), seller: s.exporter,
            goodsDescription: s.goods.map((g) => g.description).join(' and ').slice(0, 512),
            hsCodes: s.goods.map((g) => g.hsCode), quantity: s.goods.reduce((n, g) => n + g.quantity, 0),
            packages: s.goods.reduce((n, g) => n + g.packages, 0),
            grossWeightKg: addAmounts(s.goods.map((g) => g.grossWeightKg)), netWeightKg: addAmounts(s.goods.map((g) => g.netWeightKg)),
            portOfLoading: s.portOfLoading, portOfDischarge: s.portOfDischarge,
        };
        return docType === 'commercialInvoice'
            ? { ...common, buyer: s.consignee, ...(d.commercial ? { totalAmount: d.commercial.totalValue, currency: s.currency } : {}) }
            : { ...common, consignee: s.consignee };
    };
}

function summary(d: Dossier): HTMLElement {
    const s = d.shipment;
    return section('summary', 'Shipment', null,
        facts([
            ['Reference', s.exporterReference], ['Exporter', party(s.exporter)], ['Consignee', party(s.consignee)],
            s.notifyParty ? ['Notify party', party(s.notifyParty)] : null,
            ['Carrier', s.carrier.name], ['Bank', s.bank.name], ['Incoterms', s.incoterm], ['Currency', s.currency],
            ['Route', `${s.portOfLoading} → ${s.portOfDischarge}`], ['Origin → destination', `${s.countryOfOrigin} → ${s.countryOfDestination}`],
            d.commercial ? ['Total value', h('strong', null, `${d.commercial.totalValue} ${s.currency}`)] : ['Total value', h('span', { class: 'muted' }, 'private to exporter, customs and bank')],
        ]),
        h('div', { class: 'table-wrap' }, h('table', null, h('caption', null, 'Goods'),
            h('thead', null, h('tr', null, ['#', 'Description', 'HS', 'Quantity', 'Packages', 'Gross kg', 'Net kg'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', null, s.goods.map((g) => h('tr', null, h('td', null, String(g.lineNo)), h('td', null, g.description), h('td', null, g.hsCode),
                h('td', { class: 'num' }, `${g.quantity} ${g.unitOfMeasure}`), h('td', { class: 'num' }, `${g.packages} ${g.packageType}`),
                h('td', { class: 'num' }, g.grossWeightKg), h('td', { class: 'num' }, g.netWeightKg)))))),
        historyLink('shipments', s.shipmentId));
}

function documents(d: Dossier, show: ReturnType<typeof viewer>['show']): HTMLElement {
    if (d.documents.length === 0) {
        return section('documents', 'Documents', null, h('p', { class: 'muted' }, 'No documents registered yet.'));
    }
    return section('documents', `Documents (${d.documents.length})`, null,
        h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'documents-table' },
            h('thead', null, h('tr', null, ['Document', 'Type', 'Version', 'Status', 'SHA-256', 'File', ''].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', null, d.documents.flatMap((doc) => [...(doc.versions ?? [])].reverse().map((v, i) => h('tr', { 'data-document': doc.documentId },
                h('th', { scope: 'row' }, i === 0 ? h('a', { href: `#/history/documents/${encodeURIComponent(doc.documentId)}`, title: 'History' }, doc.documentId) : ''),
                h('td', null, i === 0 ? doc.docType : ''),
                h('td', null, `v${v.version}${v.version === doc.currentVersion ? ' (current)' : ''}`),
                h('td', null, badge(v.status)),
                h('td', null, h('code', { class: 'hash', title: v.sha256 }, v.sha256)),
                h('td', null, v.fileName ?? '', h('span', { class: 'muted small' }, ` ${Math.ceil(v.size / 1024)} KB`)),
                h('td', null, h('button', { type: 'button', class: 'quiet', onclick: () => show(v), 'aria-label': `View ${doc.documentId} version ${v.version}` }, 'View')))))))));
}

export function dossierView(shipmentId: string): View {
    const flash = h('div', { class: 'flash', role: 'status', 'aria-live': 'polite', 'data-testid': 'flash' });
    const body = h('div', { class: 'dossier' }, h('p', { class: 'muted' }, 'Loading the dossier…'));
    const heading = h('h1', null, `Shipment ${shipmentId}`);
    const view = viewer();
    let reloading: ReturnType<typeof setTimeout> | undefined;
    let loadCount = 0;
    let current: Dossier | undefined;
    let upload: HTMLElement | undefined;
    let tl: ReturnType<typeof timeline> | undefined;
    const parts = new Map<string, { signature: string; element: HTMLElement }>();

    /** The section `key`, rebuilt only if what it shows (`data`) changed since it was last built. */
    function part(key: string, data: unknown, build: () => HTMLElement): HTMLElement {
        const signature = JSON.stringify(data);
        const cached = parts.get(key);
        if (cached && cached.signature === signature) {
            return cached.element;
        }
        const element = build();
        parts.set(key, { signature, element });
        return element;
    }

    /** A live change: reload now, unless the person is typing in a form (then offer to reload). */
    function liveChange(): void {
        clearTimeout(reloading);
        const typing = document.activeElement instanceof HTMLElement && document.activeElement.closest('.action-form, .upload-list') !== null;
        if (typing) {
            replace(flash, h('p', { class: 'notice' }, 'This shipment changed on the ledger. ',
                h('button', { type: 'button', class: 'quiet', onclick: () => void load() }, 'Reload the dossier')));
            return;
        }
        reloading = setTimeout(() => void load(), 300);
    }

    async function load(): Promise<void> {
        const mine = ++loadCount;
        try {
            const { dossier, located } = await loadDossier(shipmentId);
            const items = tl ? [] : await historyItems(shipmentId, located, dossier.documents.map((d) => d.documentId));
            if (mine !== loadCount) {
                return;
            }
            const ctx: DossierContext = {
                shipmentId, dossier, located,
                changed: (message) => {
                    replace(flash, h('p', { class: 'success' }, message));
                    void load();
                },
            };
            // The timeline is made once: its history is read on first load, then live events are added to it.
            tl ??= timeline(shipmentId, items, liveChange);
            replace(heading, `Shipment ${shipmentId} `, badge(dossier.shipment.status));
            current = dossier;
            const canUpload = hasRole('exporter', 'forwarder') && may(dossier.shipment, 'registerDocument');
            if (canUpload && !upload) {
                // Made once and kept across reloads, so files still uploading are not lost when the dossier refreshes.
                upload = uploadPanel({ shipmentId, fieldsFor: (type, id) => current ? fieldsFor(current)(type, id) : undefined });
            }
            const d = dossier;
            const docs = d.documents;
            const bl = d.billOfLading;
            // A section is rebuilt only when the data it shows changed, so a form someone is filling in survives
            // events about other records.
            const main = h('div', { class: 'dossier-main' },
                part('summary', [d.shipment, d.commercial], () => summary(d)),
                part('documents', docs, () => documents(d, view.show)),
                view.element,
                canUpload ? upload : null,
                part('bl', [bl, d.shipment.status], () => billOfLadingSection(ctx)),
                part('declaration', [d.declaration, docs, bl?.record.transportDocumentReference, d.commercial], () => declarationSection(ctx)),
                part('certificate', [d.certificate, docs, bl?.record.transportDocumentReference], () => certificateSection(ctx)),
                part('financing', [d.financing, docs, bl, d.declaration?.record.declarationId, d.certificate?.record.applicationId, d.commercial], () => financingSection(ctx)),
                d.hidden.length > 0 ? h('p', { class: 'muted small' }, `Not visible to ${me()?.mspId ?? 'your organisation'}: ${d.hidden.join(', ')}.`) : null);
            replace(body, main, h('aside', { class: 'dossier-side' }, tl.element));
        } catch (err) {
            replace(body, h('p', { class: 'error', role: 'alert' }, plainError(err)));
        }
    }
    void load();
    return {
        title: `Shipment ${shipmentId}`,
        element: h('div', null, h('p', { class: 'crumbs' }, h('a', { href: '#/shipments' }, 'Shipments'), ' / ', shipmentId), heading, flash, body),
        dispose: () => {
            tl?.dispose();
            clearTimeout(reloading);
        },
    };
}
