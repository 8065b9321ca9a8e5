/**
 * Shipments: opened by the exporter. Public facts (parties, goods, ports, Incoterms) go on the channel; prices,
 * line values and the total go to ExporterCustomsBankCollection, which the carrier does not belong to.
 */
import { Context, Contract } from 'fabric-contract-api';
import { ContractError } from './errors';
import { canonicalJson } from './json';
import { compareDecimals, sumDecimals } from './decimal';
import { INDEXES, KEYS, PRIVATE_KEYS, RECORD_TYPES, RecordType, moveIndex, putIndex } from './keys';
import {
    Stamp, emit, exists, history, mustRead, mustReadPrivate, pageIndex, parsePageSize, readState,
    requireMember, requireTransient, situation, stamp, writePrivate, writeState,
} from './ledger';
import { SHIPMENT_MACHINE, SHIPMENT_STATUSES, type ShipmentStatus, type Situation, allowedActions, check } from './lifecycle';
import { Caller, authorize } from './permissions';
import * as v from './validation';

export type { ShipmentStatus };

/** Where the commercial values live: every organisation but the carrier. */
export const COMMERCIAL_COLLECTION = 'ExporterCustomsBankCollection';

export interface GoodsLine {
    lineNo: number; description: string; hsCode: string; quantity: number; unitOfMeasure: string;
    packages: number; packageType: string; grossWeightKg: string; netWeightKg: string;
}

export interface Shipment {
    shipmentId: string; exporterReference: string; status: ShipmentStatus;
    exporter: v.Party; consignee: v.Party; notifyParty?: v.Party;
    carrier: { mspId: string; name: string }; bank: { mspId: string; name: string };
    incoterm: string; currency: string; portOfLoading: string; portOfDischarge: string;
    countryOfOrigin: string; countryOfDestination: string; goods: GoodsLine[];
    /** SHA-256 of the private commercial values as stored (salted), so anyone can later check a disclosed copy. */
    commercialHash: string;
    openedBy: Stamp; updatedBy: Stamp;
}

export interface Commercial { shipmentId: string; currency: string; lines: { lineNo: number; unitPrice: string; value: string }[]; totalValue: string }

function goodsLine(field: string, value: unknown): GoodsLine {
    const o = v.asObject(field, value);
    const line: GoodsLine = {
        lineNo: v.positiveInt(`${field}.lineNo`, o['lineNo'], 9999),
        description: v.text(`${field}.description`, o['description']),
        hsCode: v.hsCode(`${field}.hsCode`, o['hsCode']),
        quantity: v.positiveInt(`${field}.quantity`, o['quantity']),
        unitOfMeasure: v.text(`${field}.unitOfMeasure`, o['unitOfMeasure'], 16),
        packages: v.positiveInt(`${field}.packages`, o['packages']),
        packageType: v.text(`${field}.packageType`, o['packageType'], 32),
        grossWeightKg: v.amount(`${field}.grossWeightKg`, o['grossWeightKg']),
        netWeightKg: v.amount(`${field}.netWeightKg`, o['netWeightKg']),
    };
    if (compareDecimals(line.netWeightKg, line.grossWeightKg) > 0) {
        throw new ContractError('INVALID_ARGUMENT', `${field}.netWeightKg must not exceed grossWeightKg`);
    }
    return line;
}

function organisation(field: string, value: unknown, mspId: string): { mspId: string; name: string } {
    const o = v.asObject(field, value);
    if (o['mspId'] !== mspId) {
        throw new ContractError('INVALID_ARGUMENT', `${field}.mspId must be ${mspId}`);
    }
    return { mspId, name: v.text(`${field}.name`, o['name'], v.LIMITS.shortText) };
}

function commercial(shipmentId: string, currency: string, goods: GoodsLine[], bytes: Buffer): Commercial {
    const o = v.parseObject('transient commercial', bytes.toString('utf8'));
    const lines = v.list('commercial.lines', o['lines'], (f, x) => {
        const l = v.asObject(f, x);
        // A unit price may be finer than the currency's minor unit (0.0045 USD a piece); a line value is money.
        return { lineNo: v.positiveInt(`${f}.lineNo`, l['lineNo'], 9999), unitPrice: v.amount(`${f}.unitPrice`, l['unitPrice']), value: v.money(`${f}.value`, l['value'], currency) };
    });
    const want = goods.map((g) => g.lineNo).sort((a, b) => a - b).join(',');
    if (lines.map((l) => l.lineNo).sort((a, b) => a - b).join(',') !== want) {
        throw new ContractError('INVALID_ARGUMENT', `commercial.lines must price exactly the goods lines ${want}`);
    }
    const totalValue = v.money('commercial.totalValue', o['totalValue'], currency);
    if (compareDecimals(totalValue, sumDecimals(lines.map((l) => l.value))) !== 0) {
        throw new ContractError('INVALID_ARGUMENT', 'commercial.totalValue must equal the sum of commercial.lines[].value');
    }
    if (o['currency'] !== undefined && o['currency'] !== currency) {
        throw new ContractError('INVALID_ARGUMENT', `commercial.currency must be the shipment currency ${currency}`);
    }
    return { shipmentId, currency, lines, totalValue };
}

export async function loadShipment(ctx: Context, shipmentId: string): Promise<Shipment> {
    v.id('shipmentId', shipmentId);
    return mustRead<Shipment>(ctx, KEYS.shipment(ctx, shipmentId), `shipment ${shipmentId}`);
}

/** A shipment as the caller sees it: with the transactions they may run on it now. */
export function shipmentView(shipment: Shipment, s: Situation): Shipment & { allowedActions: string[] } {
    return { ...shipment, allowedActions: allowedActions(SHIPMENT_MACHINE, shipment, shipment.status, s) };
}

/** The commercial values, read by those of ExporterCustomsBankCollection (UNAVAILABLE while this peer lacks them). */
export async function loadCommercial(ctx: Context, shipmentId: string): Promise<Commercial> {
    return mustReadPrivate<Commercial>(ctx, COMMERCIAL_COLLECTION, PRIVATE_KEYS.shipmentCommercial(ctx, shipmentId), `commercial values of shipment ${shipmentId}`);
}

/** Moves a shipment to a new status and keeps the status index in step (used by the B/L lifecycle too). */
export async function setShipmentStatus(ctx: Context, shipment: Shipment, status: ShipmentStatus, who: Caller): Promise<Shipment> {
    const next: Shipment = { ...shipment, status, updatedBy: stamp(ctx, who) };
    await moveIndex(ctx, INDEXES.shipmentByStatus, shipment.status, status, shipment.shipmentId);
    await writeState(ctx, KEYS.shipment(ctx, shipment.shipmentId), next);
    return next;
}

export class ShipmentContract extends Contract {
    constructor() {
        super('shipment');
    }

    /** Opens a shipment. Transient `commercial`: {lines:[{lineNo,unitPrice,value}], totalValue}. */
    public async openShipment(ctx: Context, shipmentId: string, shipmentJson: string): Promise<string> {
        const who = authorize(ctx, 'shipment.open');
        v.id('shipmentId', shipmentId);
        const o = v.parseObject('shipmentJson', shipmentJson);
        const goods = v.list('goods', o['goods'], goodsLine);
        v.requireUnique('goods[].lineNo', goods.map((g) => String(g.lineNo)));
        const currency = v.currency('currency', o['currency']);
        const k = KEYS.shipment(ctx, shipmentId);
        if (await exists(ctx, k)) {
            throw new ContractError('ALREADY_EXISTS', `shipment ${shipmentId} exists`);
        }
        const values = commercial(shipmentId, currency, goods, requireTransient(ctx, 'commercial'));
        const by = stamp(ctx, who);
        const shipment: Omit<Shipment, 'commercialHash'> = {
            shipmentId,
            exporterReference: v.text('exporterReference', o['exporterReference'], v.LIMITS.shortText),
            status: 'OPEN',
            exporter: v.party('exporter', o['exporter']),
            consignee: v.party('consignee', o['consignee']),
            ...(o['notifyParty'] === undefined ? {} : { notifyParty: v.party('notifyParty', o['notifyParty']) }),
            carrier: organisation('carrier', o['carrier'], 'CarrierMSP'),
            bank: organisation('bank', o['bank'], 'BankMSP'),
            incoterm: v.incoterm('incoterm', o['incoterm']),
            currency,
            portOfLoading: v.locode('portOfLoading', o['portOfLoading']),
            portOfDischarge: v.locode('portOfDischarge', o['portOfDischarge']),
            countryOfOrigin: v.country('countryOfOrigin', o['countryOfOrigin']),
            countryOfDestination: v.country('countryOfDestination', o['countryOfDestination']),
            goods,
            openedBy: by,
            updatedBy: by,
        };
        const commercialHash = await writePrivate(ctx, who, COMMERCIAL_COLLECTION, PRIVATE_KEYS.shipmentCommercial(ctx, shipmentId), values);
        await writeState(ctx, k, { ...shipment, commercialHash });
        await putIndex(ctx, INDEXES.shipmentByStatus, ['OPEN'], shipmentId);
        for (const msp of new Set([who.mspId, shipment.carrier.mspId, shipment.bank.mspId])) {
            await putIndex(ctx, INDEXES.shipmentByParty, [msp], shipmentId);
        }
        emit(ctx, { type: 'ShipmentOpened', record: 'shipment', id: shipmentId, shipmentId, status: 'OPEN' });
        return canonicalJson({ ...shipment, commercialHash });
    }

    /** Cancels a shipment that has not shipped yet. */
    public async cancelShipment(ctx: Context, shipmentId: string): Promise<string> {
        const who = authorize(ctx, 'shipment.cancel');
        const shipment = await loadShipment(ctx, shipmentId);
        check(SHIPMENT_MACHINE.cancelShipment!, shipment, shipment.status, `shipment ${shipmentId}`, situation(ctx, who));
        const next = await setShipmentStatus(ctx, shipment, 'CANCELLED', who);
        emit(ctx, { type: 'ShipmentCancelled', record: 'shipment', id: shipmentId, shipmentId, status: 'CANCELLED' });
        return canonicalJson(next);
    }

    public async getShipment(ctx: Context, shipmentId: string): Promise<string> {
        const who = authorize(ctx, 'shipment.read');
        return canonicalJson(shipmentView(await loadShipment(ctx, shipmentId), situation(ctx, who)));
    }

    /** Prices and totals, for the organisations of ExporterCustomsBankCollection only. */
    public async getShipmentCommercial(ctx: Context, shipmentId: string): Promise<string> {
        const who = authorize(ctx, 'shipment.readCommercial');
        requireMember(who, COMMERCIAL_COLLECTION);
        await loadShipment(ctx, shipmentId);
        return canonicalJson(await loadCommercial(ctx, shipmentId));
    }

    /** One page of shipments in `status`; pass the returned bookmark to get the next page. */
    public async queryShipmentsByStatus(ctx: Context, status: string, pageSize: string, bookmark: string): Promise<string> {
        const who = authorize(ctx, 'shipment.read');
        v.oneOf('status', status, SHIPMENT_STATUSES);
        const s = situation(ctx, who);
        const page = await pageIndex(ctx, INDEXES.shipmentByStatus, status, parsePageSize(pageSize), bookmark,
            async (id) => { const r = await readState<Shipment>(ctx, KEYS.shipment(ctx, id)); return r && shipmentView(r, s); });
        return canonicalJson(page);
    }

    /** One page of shipments an organisation takes part in (exporter, carrier or bank). */
    public async queryShipmentsByParty(ctx: Context, mspId: string, pageSize: string, bookmark: string): Promise<string> {
        const who = authorize(ctx, 'shipment.read');
        v.oneOf('mspId', mspId, ['ExporterMSP', 'CarrierMSP', 'BankMSP']);
        const s = situation(ctx, who);
        const page = await pageIndex(ctx, INDEXES.shipmentByParty, mspId, parsePageSize(pageSize), bookmark,
            async (id) => { const r = await readState<Shipment>(ctx, KEYS.shipment(ctx, id)); return r && shipmentView(r, s); });
        return canonicalJson(page);
    }

    /** Every version of any record: what it was, who wrote it (in `updatedBy`), when and in which transaction. */
    public async getHistory(ctx: Context, record: string, recordId: string): Promise<string> {
        authorize(ctx, 'record.history');
        const type = v.oneOf<RecordType>('record', record, RECORD_TYPES);
        v.id('recordId', recordId);
        return canonicalJson(await history(ctx, KEYS.record(ctx, type, recordId)));
    }
}
