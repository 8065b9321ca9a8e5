/** The dossier's bill of lading: state, holder and transfer log; the carrier issues and decides surrenders, the holder transfers or surrenders. */
import { post, seg } from '../api';
import { HINT, PATTERN } from '../components/codes';
import { actionForm, field, value } from '../components/form';
import { badge } from '../components/status';
import { h } from '../dom';
import { today } from '../format';
import { suggestedId } from '../records';
import type { BillOfLading } from '../types';
import { actions, type DossierContext, facts, historyLink, may, party, section, txNote } from './dossier-parts';

const BASE = '/api/v1/bills-of-lading';

function issueForm(ctx: DossierContext): HTMLFormElement {
    const s = ctx.dossier.shipment;
    const items = s.goods.map((g) => ({ descriptionOfGoods: g.description, hsCodes: [g.hsCode], numberOfPackages: g.packages, packageCode: g.packageType.slice(0, 8), grossWeightKg: g.grossWeightKg }));
    return actionForm({
        label: 'Issue the bill of lading',
        title: 'Issue the bill of lading',
        intro: h('p', { class: 'muted' }, `Prefilled from the shipment: shipper ${party(s.exporter)}, consignee ${party(s.consignee)}, ${s.portOfLoading} → ${s.portOfDischarge}, ${s.goods.length} consignment item(s).`),
        submit: 'Issue bill of lading',
        testId: 'issue-bl',
        fields: [
            field({ name: 'transportDocumentReference', label: 'Transport document reference', required: true, value: suggestedId('billOfLading', ctx.shipmentId), pattern: PATTERN.id, hint: HINT.id }),
            field({ name: 'transportDocumentTypeCode', label: 'Document type', type: 'select', options: [['BOL', 'Bill of lading (negotiable)'], ['SWB', 'Sea waybill']], value: 'BOL' }),
            field({ name: 'isToOrder', label: 'To order (transferable by endorsement)', type: 'checkbox', checked: true }),
            field({ name: 'carrierCode', label: 'Carrier code', required: true, pattern: PATTERN.scac, hint: HINT.scac, short: true }),
            field({ name: 'vesselName', label: 'Vessel', required: true, maxlength: 64 }),
            field({ name: 'carrierExportVoyageNumber', label: 'Voyage', required: true, maxlength: 32, short: true }),
            field({ name: 'shippedOnBoardDate', label: 'Shipped on board', type: 'date', required: true, value: today(), short: true }),
            field({ name: 'portOfLoading', label: 'Port of loading', required: true, value: s.portOfLoading, pattern: PATTERN.locode, hint: HINT.locode, short: true }),
            field({ name: 'portOfDischarge', label: 'Port of discharge', required: true, value: s.portOfDischarge, pattern: PATTERN.locode, hint: HINT.locode, short: true }),
            field({ name: 'equipmentReferences', label: 'Container numbers (comma separated, optional)', hint: HINT.container, pattern: `${PATTERN.container}(\\s*,\\s*${PATTERN.container})*` }),
        ],
        run: async (f) => {
            const containers = value(f, 'equipmentReferences').split(',').map((c) => c.trim()).filter(Boolean);
            const tdr = value(f, 'transportDocumentReference');
            const answer = await post<BillOfLading>(BASE, {
                transportDocumentReference: tdr, shipmentId: ctx.shipmentId,
                transportDocumentTypeCode: value(f, 'transportDocumentTypeCode'), isToOrder: value(f, 'isToOrder') === 'true',
                shipper: s.exporter, consignee: s.consignee, ...(s.notifyParty ? { notifyParty: s.notifyParty } : {}),
                carrierCode: value(f, 'carrierCode'), portOfLoading: value(f, 'portOfLoading'), portOfDischarge: value(f, 'portOfDischarge'),
                vesselName: value(f, 'vesselName'), carrierExportVoyageNumber: value(f, 'carrierExportVoyageNumber'),
                shippedOnBoardDate: value(f, 'shippedOnBoardDate'), consignmentItems: items,
                ...(containers.length > 0 ? { equipmentReferences: containers } : {}),
            });
            ctx.changed(`Bill of lading ${tdr} issued; the shipper's organisation holds it.${txNote(answer.transactionId)}`);
            return 'Issued.';
        },
    });
}

function step(ctx: DossierContext, tdr: string, path: string, label: string, body: unknown, done: string, danger = false): HTMLFormElement {
    return actionForm({
        label, submit: label, fields: [], danger,
        run: async () => {
            const answer = await post(`${BASE}/${seg(tdr)}/${path}`, body);
            ctx.changed(`${done}${txNote(answer.transactionId)}`);
            return done;
        },
    });
}

export function billOfLadingSection(ctx: DossierContext): HTMLElement {
    const part = ctx.dossier.billOfLading;
    if (!part) {
        return section('bill-of-lading', 'Bill of lading', badge(undefined),
            h('p', { class: 'muted' }, 'No bill of lading has been issued for this shipment yet.'),
            actions(may(ctx.dossier.shipment, 'issueBillOfLading') ? issueForm(ctx) : null));
    }
    const bl = part.record;
    const tdr = bl.transportDocumentReference;
    const status = bl.transportDocumentStatus;
    const log = part.transferLog;
    return section('bill-of-lading', `Bill of lading ${tdr}`, badge(status),
        facts([
            ['Holder', h('strong', { 'data-testid': 'bl-holder' }, bl.holderMspId)],
            bl.endorsee ? ['Endorsee', `${bl.endorsee.name} (${bl.endorsee.mspId})`] : null,
            ['Type', `${bl.transportDocumentTypeCode}${bl.isToOrder ? ', to order' : ''}`],
            ['Vessel / voyage', `${bl.vesselName} / ${bl.carrierExportVoyageNumber}`],
            bl.shippedOnBoardDate ? ['Shipped on board', bl.shippedOnBoardDate] : ['Received for shipment', `${bl.receivedForShipmentDate ?? ''} (no on-board notation)`],
            ['Route', `${bl.portOfLoading} → ${bl.portOfDischarge}`],
            ['Issued', bl.issueDate],
            ['Document checksum', h('code', { class: 'hash', title: bl.documentChecksum }, `${bl.documentChecksum.slice(0, 16)}…`)],
        ]),
        h('h3', null, 'Transfer log ', h('span', { class: log.intact ? 'ok-note' : 'error' }, log.intact ? '(hash chain intact)' : '(hash chain BROKEN)')),
        h('div', { class: 'table-wrap' }, h('table', { 'data-testid': 'transfer-log' },
            h('thead', null, h('tr', null, ['#', 'Action', 'From', 'To', 'By', 'When', 'Transaction'].map((t) => h('th', { scope: 'col' }, t)))),
            h('tbody', null, log.entries.map((e) => h('tr', null,
                h('td', null, String(e.seq)), h('td', null, e.action), h('td', null, e.fromMspId), h('td', null, e.toMspId),
                h('td', null, `${e.actor.role.replace(/_/g, ' ')} (${e.actor.mspId})`), h('td', null, new Date(e.at).toLocaleString()),
                h('td', null, h('code', { class: 'hash', title: e.txId }, `${e.txId.slice(0, 10)}…`))))))),
        historyLink('bills-of-lading', tdr),
        actions(
            may(bl, 'acceptSurrender') ? step(ctx, tdr, 'surrender/accept', 'Accept surrender', undefined, 'Surrender accepted (SACC).') : null,
            may(bl, 'rejectSurrender') ? actionForm({
                label: 'Reject surrender', submit: 'Reject surrender', danger: true,
                fields: [field({ name: 'reason', label: 'Reason for rejecting the surrender', type: 'textarea', required: true, maxlength: 512 })],
                run: async (f) => {
                    const answer = await post(`${BASE}/${seg(tdr)}/surrender/reject`, { reason: value(f, 'reason') });
                    ctx.changed(`Surrender rejected (SREJ); control returns to the holder.${txNote(answer.transactionId)}`);
                    return 'Rejected.';
                },
            }) : null,
            may(bl, 'transferBillOfLading') && bl.holderMspId !== 'BankMSP' ? step(ctx, tdr, 'transfer', 'Transfer to the bank', { toMspId: 'BankMSP' }, 'The bank now holds the bill of lading.') : null,
            may(bl, 'transferBillOfLading') && bl.holderMspId !== 'ExporterMSP' ? step(ctx, tdr, 'transfer', 'Transfer to the exporter', { toMspId: 'ExporterMSP' }, 'The exporter now holds the bill of lading.') : null,
            may(bl, 'surrenderForDelivery') ? step(ctx, tdr, 'surrender', 'Surrender for delivery', { purpose: 'DELIVERY' }, 'Surrendered to the carrier for delivery.') : null,
        ));
}
