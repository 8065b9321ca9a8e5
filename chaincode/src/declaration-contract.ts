/**
 * Export declarations (WCO data model, UK CDS statuses). Public on the channel: status, LRN, MRN, control type and
 * a non-sensitive summary (HS codes, packages, gross mass) the bank can check against. The declaration itself
 * (parties, items, customs values) is private to ExporterCustomsCollection; customs' risk notes stay in
 * CustomsCollection.
 */
import { Context, Contract } from 'fabric-contract-api';
import { ContractError } from './errors';
import { canonicalJson } from './json';
import { compareDecimals, sumDecimals } from './decimal';
import { readHead } from './documents';
import { INDEXES, KEYS, PRIVATE_KEYS, listIndexIds, moveIndex, putIndex } from './keys';
import {
    Stamp, emit, exists, mustRead, mustReadPrivate, pageIndex, parsePageSize, readState, requireMember, requireTransient,
    situation, stamp, writePrivate, writeState,
} from './ledger';
import { DECLARATION_MACHINE, DECLARATION_STATUSES, type DeclarationStatus, SHIPMENT_MACHINE, type Situation, allowedActions, check } from './lifecycle';
import { Caller, authorize } from './permissions';
import { loadShipment } from './shipment-contract';
import * as v from './validation';

export const DECLARATION_COLLECTION = 'ExporterCustomsCollection';
export const RISK_COLLECTION = 'CustomsCollection';
/** A risk note's id: random, so that the hash of its key (in the block) names no declaration anyone could guess. */
const RANDOM_ID = /^[0-9a-f]{32,64}$/;

export type { DeclarationStatus };

export interface DeclarationItem {
    itemNo: number; hsCode: string; description: string; countryOfOrigin: string; preferentialOriginClaim?: string;
    customsValue: string; grossMassKg: string; netMassKg: string; packages: number; containerNumbers: string[];
}

export interface DeclarationDetails {
    declarationId: string; version: number; declarant: v.Party; exporter: v.Party; consignee: v.Party;
    countryOfDestination: string; incoterm: string; currency: string; transportDocumentReference?: string;
    supportingDocumentIds: string[]; items: DeclarationItem[];
}

export interface Declaration {
    declarationId: string; shipmentId: string; declarationType: string; lrn: string; version: number;
    status: DeclarationStatus; mrn?: string; controlType?: 'DOCUMENTARY' | 'PHYSICAL';
    requestedDocuments?: string[]; providedDocumentIds?: string[]; reason?: string;
    /** Not sensitive, and what the bank needs to cross-check: 6-digit HS codes, packages, gross mass. */
    summary: { hsCodes: string[]; totalPackages: number; totalGrossMassKg: string; transportDocumentReference?: string };
    detailsHash: string; lodgedBy: Stamp; updatedBy: Stamp;
}

function item(field: string, value: unknown, currency: string): DeclarationItem {
    const o = v.asObject(field, value);
    const claim = v.optionalText(`${field}.preferentialOriginClaim`, o['preferentialOriginClaim'], 16);
    const out: DeclarationItem = {
        itemNo: v.positiveInt(`${field}.itemNo`, o['itemNo'], 999),
        hsCode: v.hsCode(`${field}.hsCode`, o['hsCode']),
        description: v.text(`${field}.description`, o['description']),
        countryOfOrigin: v.country(`${field}.countryOfOrigin`, o['countryOfOrigin']),
        ...(claim === undefined ? {} : { preferentialOriginClaim: claim }),
        customsValue: v.money(`${field}.customsValue`, o['customsValue'], currency),
        grossMassKg: v.amount(`${field}.grossMassKg`, o['grossMassKg']),
        netMassKg: v.amount(`${field}.netMassKg`, o['netMassKg']),
        packages: v.positiveInt(`${field}.packages`, o['packages']),
        containerNumbers: v.optionalList(`${field}.containerNumbers`, o['containerNumbers'], v.containerNumber, 50),
    };
    if (compareDecimals(out.netMassKg, out.grossMassKg) > 0) {
        throw new ContractError('INVALID_ARGUMENT', `${field}.netMassKg must not exceed grossMassKg`);
    }
    return out;
}

function details(declarationId: string, version: number, bytes: Buffer): DeclarationDetails {
    const o = v.parseObject('transient declaration', bytes.toString('utf8'));
    const currency = v.currency('declaration.currency', o['currency']);
    const items = v.list('declaration.items', o['items'], (f, x) => item(f, x, currency), 999);
    v.requireUnique('declaration.items[].itemNo', items.map((i) => String(i.itemNo)));
    const tdr = o['transportDocumentReference'] === undefined ? undefined : v.id('declaration.transportDocumentReference', o['transportDocumentReference']);
    return {
        declarationId, version,
        declarant: v.party('declaration.declarant', o['declarant']),
        exporter: v.party('declaration.exporter', o['exporter']),
        consignee: v.party('declaration.consignee', o['consignee']),
        countryOfDestination: v.country('declaration.countryOfDestination', o['countryOfDestination']),
        incoterm: v.incoterm('declaration.incoterm', o['incoterm']),
        currency,
        ...(tdr === undefined ? {} : { transportDocumentReference: tdr }),
        supportingDocumentIds: v.optionalList('declaration.supportingDocumentIds', o['supportingDocumentIds'], v.id, 50),
        items,
    };
}

function summary(d: DeclarationDetails): Declaration['summary'] {
    return {
        hsCodes: [...new Set(d.items.map((i) => i.hsCode.slice(0, 6)))].sort(),
        totalPackages: d.items.reduce((n, i) => n + i.packages, 0),
        totalGrossMassKg: sumDecimals(d.items.map((i) => i.grossMassKg)),
        ...(d.transportDocumentReference === undefined ? {} : { transportDocumentReference: d.transportDocumentReference }),
    };
}

export async function loadDeclaration(ctx: Context, declarationId: string): Promise<Declaration> {
    v.id('declarationId', declarationId);
    return mustRead<Declaration>(ctx, KEYS.declaration(ctx, declarationId), `declaration ${declarationId}`);
}

/** A declaration as the caller sees it: with the transactions they may run on it now. */
export function declarationView(d: Declaration, s: Situation): Declaration & { allowedActions: string[] } {
    return { ...d, allowedActions: allowedActions(DECLARATION_MACHINE, d, d.status, s) };
}

/** The private details of one version (exporter and customs); UNAVAILABLE while this peer lacks them. */
export async function loadDeclarationDetails(ctx: Context, declarationId: string, version: number): Promise<DeclarationDetails> {
    return mustReadPrivate<DeclarationDetails>(ctx, DECLARATION_COLLECTION, PRIVATE_KEYS.declarationDetails(ctx, declarationId, version),
        `details of declaration ${declarationId} version ${version}`);
}

/** Every declaration lodged on a shipment. */
export async function listShipmentDeclarations(ctx: Context, shipmentId: string): Promise<Declaration[]> {
    const found: Declaration[] = [];
    for (const [id] of await listIndexIds(ctx, INDEXES.declarationByShipment, [shipmentId])) {
        const d = id === undefined ? undefined : await readState<Declaration>(ctx, KEYS.declaration(ctx, id));
        if (d) {
            found.push(d);
        }
    }
    return found;
}

function checkDeclaration(ctx: Context, name: string, d: Declaration, who: Caller): void {
    check(DECLARATION_MACHINE[name]!, d, d.status, `declaration ${d.declarationId}`, situation(ctx, who));
}

/** Writes the record (keeping the status index in step) and emits its one event. */
async function save(ctx: Context, who: Caller, previous: Declaration | undefined, next: Declaration, type: string): Promise<string> {
    const written: Declaration = { ...next, updatedBy: stamp(ctx, who) };
    await writeState(ctx, KEYS.declaration(ctx, next.declarationId), written);
    if (previous === undefined) {
        await putIndex(ctx, INDEXES.declarationByShipment, [next.shipmentId], next.declarationId);
    }
    await moveIndex(ctx, INDEXES.declarationByStatus, previous?.status, next.status, next.declarationId);
    emit(ctx, { type, record: 'declaration', id: next.declarationId, shipmentId: next.shipmentId, status: next.status });
    return canonicalJson(written);
}

/** Writes a new version of the private details and returns the public summary and hash for it. */
async function storeDetails(ctx: Context, who: Caller, declarationId: string, version: number): Promise<Pick<Declaration, 'summary' | 'detailsHash'>> {
    const d = details(declarationId, version, requireTransient(ctx, 'declaration'));
    for (const docId of d.supportingDocumentIds) {
        if (!(await readHead(ctx, docId))) {
            throw new ContractError('NOT_FOUND', `declaration.supportingDocumentIds: document ${docId} does not exist`);
        }
    }
    const detailsHash = await writePrivate(ctx, who, DECLARATION_COLLECTION, PRIVATE_KEYS.declarationDetails(ctx, declarationId, version), d);
    return { summary: summary(d), detailsHash };
}

function without<T extends object>(record: T, ...fields: (keyof T)[]): T {
    const copy = { ...record };
    for (const f of fields) {
        delete copy[f];
    }
    return copy;
}

export class DeclarationContract extends Contract {
    constructor() {
        super('declaration');
    }

    /** The exporter lodges a declaration. `headerJson`: {declarationType, lrn}; transient `declaration`: the details. */
    public async lodgeDeclaration(ctx: Context, declarationId: string, shipmentId: string, headerJson: string): Promise<string> {
        const who = authorize(ctx, 'declaration.lodge');
        v.id('declarationId', declarationId);
        const h = v.parseObject('headerJson', headerJson);
        const declarationType = v.exportDeclarationType('declarationType', h['declarationType']);
        const lrn = v.id('lrn', h['lrn']);
        const shipment = await loadShipment(ctx, shipmentId);
        check(SHIPMENT_MACHINE.lodgeDeclaration!, shipment, shipment.status, `shipment ${shipmentId}`, situation(ctx, who));
        if (await exists(ctx, KEYS.declaration(ctx, declarationId))) {
            throw new ContractError('ALREADY_EXISTS', `declaration ${declarationId} exists`);
        }
        if (await exists(ctx, KEYS.declarationLrn(ctx, lrn))) {
            throw new ContractError('ALREADY_EXISTS', `lrn ${lrn} is already used by another declaration`);
        }
        const stored = await storeDetails(ctx, who, declarationId, 1);
        const by = stamp(ctx, who);
        await ctx.stub.putState(KEYS.declarationLrn(ctx, lrn), Buffer.from(declarationId));
        return save(ctx, who, undefined, { declarationId, shipmentId, declarationType, lrn, version: 1, status: 'LODGED', ...stored, lodgedBy: by, updatedBy: by }, 'DeclarationLodged');
    }

    /** Customs accepts the declaration and assigns the MRN (kept across amendments). */
    public async acceptDeclaration(ctx: Context, declarationId: string, mrn: string): Promise<string> {
        const who = authorize(ctx, 'declaration.accept');
        if (!/^[0-9]{2}[A-Z]{2}[A-Z0-9]{14}$/.test(mrn)) {
            throw new ContractError('INVALID_ARGUMENT', 'mrn must be 18 characters: 2-digit year, country code, 14 letters or digits');
        }
        const d = await loadDeclaration(ctx, declarationId);
        checkDeclaration(ctx, 'acceptDeclaration', d, who);
        if (d.mrn !== undefined && d.mrn !== mrn) {
            throw new ContractError('CONFLICT', `mrn: declaration ${declarationId} already has MRN ${d.mrn}`);
        }
        return save(ctx, who, d, { ...d, status: 'ACCEPTED', mrn }, 'DeclarationAccepted');
    }

    /** Customs places an accepted declaration under documentary or physical control. */
    public async placeUnderControl(ctx: Context, declarationId: string, controlType: string): Promise<string> {
        const who = authorize(ctx, 'declaration.control');
        const type = v.oneOf('controlType', controlType, ['DOCUMENTARY', 'PHYSICAL'] as const);
        const d = await loadDeclaration(ctx, declarationId);
        checkDeclaration(ctx, 'placeUnderControl', d, who);
        return save(ctx, who, d, { ...d, status: 'UNDER_CONTROL', controlType: type }, 'DeclarationUnderControl');
    }

    /** Customs asks for more documents during control. `requestJson`: {documents: [description, ...]}. */
    public async requestAdditionalDocuments(ctx: Context, declarationId: string, requestJson: string): Promise<string> {
        const who = authorize(ctx, 'declaration.requestDocuments');
        const o = v.parseObject('requestJson', requestJson);
        const requested = v.list('documents', o['documents'], (f, x) => v.text(f, x, v.LIMITS.shortText), 20);
        const d = await loadDeclaration(ctx, declarationId);
        checkDeclaration(ctx, 'requestAdditionalDocuments', d, who);
        return save(ctx, who, d, { ...d, status: 'ADDITIONAL_DOCUMENTS_REQUIRED', requestedDocuments: requested }, 'DeclarationDocumentsRequested');
    }

    /** The exporter answers with registered documents; the declaration returns under control. */
    public async provideAdditionalDocuments(ctx: Context, declarationId: string, documentIdsJson: string): Promise<string> {
        const who = authorize(ctx, 'declaration.provideDocuments');
        let parsed: unknown;
        try {
            parsed = JSON.parse(documentIdsJson);
        } catch {
            throw new ContractError('INVALID_ARGUMENT', 'documentIdsJson must be valid JSON');
        }
        const ids = v.list('documentIds', parsed, v.id, 20);
        const d = await loadDeclaration(ctx, declarationId);
        checkDeclaration(ctx, 'provideAdditionalDocuments', d, who);
        for (const docId of ids) {
            const head = await readHead(ctx, docId);
            if (!head || head.shipmentId !== d.shipmentId) {
                throw new ContractError('NOT_FOUND', `documentIds: document ${docId} is not registered on shipment ${d.shipmentId}`);
            }
        }
        return save(ctx, who, d, { ...without(d, 'requestedDocuments'), status: 'UNDER_CONTROL', providedDocumentIds: ids }, 'DeclarationDocumentsProvided');
    }

    /** A customs supervisor releases the goods for export. */
    public async releaseDeclaration(ctx: Context, declarationId: string): Promise<string> {
        const who = authorize(ctx, 'declaration.release');
        const d = await loadDeclaration(ctx, declarationId);
        checkDeclaration(ctx, 'releaseDeclaration', d, who);
        return save(ctx, who, d, { ...d, status: 'RELEASED' }, 'DeclarationReleased');
    }

    /** A customs supervisor rejects the declaration (terminal). */
    public async rejectDeclaration(ctx: Context, declarationId: string, reason: string): Promise<string> {
        const who = authorize(ctx, 'declaration.reject');
        v.text('reason', reason);
        const d = await loadDeclaration(ctx, declarationId);
        checkDeclaration(ctx, 'rejectDeclaration', d, who);
        return save(ctx, who, d, { ...d, status: 'REJECTED', reason }, 'DeclarationRejected');
    }

    /** The exporter amends before release: a new version of the details (transient `declaration`), to be re-accepted. */
    public async amendDeclaration(ctx: Context, declarationId: string): Promise<string> {
        const who = authorize(ctx, 'declaration.amend');
        const d = await loadDeclaration(ctx, declarationId);
        checkDeclaration(ctx, 'amendDeclaration', d, who);
        const version = d.version + 1;
        const stored = await storeDetails(ctx, who, declarationId, version);
        const next = without(d, 'controlType', 'requestedDocuments', 'providedDocumentIds');
        return save(ctx, who, d, { ...next, ...stored, version, status: 'AMENDED' }, 'DeclarationAmended');
    }

    /** The exporter withdraws the declaration before release (terminal). */
    public async cancelDeclaration(ctx: Context, declarationId: string, reason: string): Promise<string> {
        const who = authorize(ctx, 'declaration.cancel');
        v.text('reason', reason);
        const d = await loadDeclaration(ctx, declarationId);
        checkDeclaration(ctx, 'cancelDeclaration', d, who);
        return save(ctx, who, d, { ...d, status: 'CANCELLED', reason }, 'DeclarationCancelled');
    }

    /**
     * Customs records a risk note in CustomsCollection. Even which declaration customs finds risky is customs' own
     * intelligence, and every member reads the whole block: so everything comes in transient `riskNote`
     * ({declarationId, noteId, riskLevel, text}), nothing is returned and no event is emitted (both are in the block),
     * no public key is read (the declaration's key would stand in clear in the read set; the gateway checks that the
     * declaration exists, and declarations are never deleted), and the note's key holds a random `noteId`, so its
     * hash in the block cannot be matched to a declaration.
     */
    public async addRiskNote(ctx: Context): Promise<string> {
        const who = authorize(ctx, 'declaration.riskNote');
        const o = v.parseObject('transient riskNote', requireTransient(ctx, 'riskNote').toString('utf8'));
        const declarationId = v.id('riskNote.declarationId', o['declarationId']);
        const noteId = o['noteId'];
        if (typeof noteId !== 'string' || !RANDOM_ID.test(noteId)) {
            throw new ContractError('INVALID_ARGUMENT', 'riskNote.noteId must be 32 to 64 lowercase hex digits: a random id of at least 128 bits');
        }
        const note = {
            declarationId, noteId,
            riskLevel: v.oneOf('riskNote.riskLevel', o['riskLevel'], ['LOW', 'MEDIUM', 'HIGH'] as const),
            text: v.text('riskNote.text', o['text'], 4000),
            recordedBy: stamp(ctx, who),
        };
        await writePrivate(ctx, who, RISK_COLLECTION, PRIVATE_KEYS.riskNote(ctx, declarationId, noteId), note);
        return '';
    }

    public async getDeclaration(ctx: Context, declarationId: string): Promise<string> {
        const who = authorize(ctx, 'declaration.read');
        return canonicalJson(declarationView(await loadDeclaration(ctx, declarationId), situation(ctx, who)));
    }

    /** Every declaration lodged on a shipment, with what the caller may do to each. */
    public async listDeclarationsByShipment(ctx: Context, shipmentId: string): Promise<string> {
        const who = authorize(ctx, 'declaration.read');
        await loadShipment(ctx, shipmentId);
        const s = situation(ctx, who);
        return canonicalJson((await listShipmentDeclarations(ctx, shipmentId)).map((d) => declarationView(d, s)));
    }

    /** One page of the declarations in a status (customs' work queue); pass the returned bookmark for the next page. */
    public async queryDeclarationsByStatus(ctx: Context, status: string, pageSize: string, bookmark: string): Promise<string> {
        const who = authorize(ctx, 'declaration.read');
        v.oneOf('status', status, DECLARATION_STATUSES);
        const s = situation(ctx, who);
        return canonicalJson(await pageIndex(ctx, INDEXES.declarationByStatus, status, parsePageSize(pageSize), bookmark, async (id) => {
            const d = await readState<Declaration>(ctx, KEYS.declaration(ctx, id));
            return d && declarationView(d, s);
        }));
    }

    /** The private details of one version, for the exporter and customs. */
    public async getDeclarationDetails(ctx: Context, declarationId: string, version: string): Promise<string> {
        const who = authorize(ctx, 'declaration.read');
        requireMember(who, DECLARATION_COLLECTION);
        const d = await loadDeclaration(ctx, declarationId);
        const n = Number(version);
        if (!/^[1-9]\d{0,5}$/.test(version) || n > d.version) {
            throw new ContractError('INVALID_ARGUMENT', `version must be a whole number from 1 to ${d.version}`);
        }
        return canonicalJson(await loadDeclarationDetails(ctx, declarationId, n));
    }

    /** One of customs' risk notes, for customs only. */
    public async getRiskNote(ctx: Context, declarationId: string, noteId: string): Promise<string> {
        const who = authorize(ctx, 'declaration.riskNote');
        requireMember(who, RISK_COLLECTION);
        v.id('declarationId', declarationId);
        v.id('noteId', noteId);
        return canonicalJson(await mustReadPrivate<unknown>(ctx, RISK_COLLECTION, PRIVATE_KEYS.riskNote(ctx, declarationId, noteId), `risk note ${noteId} of declaration ${declarationId}`));
    }
}
