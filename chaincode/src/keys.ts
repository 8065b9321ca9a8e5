/**
 * Every key the chaincode reads or writes, and nothing else builds one: records (public world state), private values
 * (in a collection) and indexes (world-state entries whose key carries everything and whose value is one byte).
 * Contracts name a key by what it holds (`KEYS.shipment(ctx, id)`), never by a string; numbers that must sort in a
 * range scan (versions, log entries) are padded here, once.
 */
import type { Context } from 'fabric-contract-api';

/** Composite-key types of the records, so that history and cross-record reads agree on where a record lives. */
export const RECORD_TYPES = ['shipment', 'document', 'billOfLading', 'declaration', 'certificate', 'financing'] as const;
export type RecordType = typeof RECORD_TYPES[number];

/** Versions and log sequence numbers, zero-padded so that they sort in order within composite-key range scans. */
export function sequenceLabel(n: number): string {
    return String(n).padStart(6, '0');
}

function composite(ctx: Context, type: string, ...attrs: string[]): string {
    return ctx.stub.createCompositeKey(type, attrs);
}

/** Key types the risk rules read whole (scanKeys): every entry of the type, across all records. */
export const SCANNED = {
    riskAttempt: 'risk~attempt',
    riskAssessment: 'risk~financingAssessment',
    certificate: 'certificate',
    documentByHash: 'document~hash',
} as const;

/** Public world-state keys: records, their kept versions and logs, and the claims that make a value unique. */
export const KEYS = {
    record: (ctx: Context, type: RecordType, id: string) => composite(ctx, type, id),
    shipment: (ctx: Context, shipmentId: string) => composite(ctx, 'shipment', shipmentId),
    document: (ctx: Context, documentId: string) => composite(ctx, 'document', documentId),
    documentVersion: (ctx: Context, documentId: string, version: number) => composite(ctx, 'documentVersion', documentId, sequenceLabel(version)),
    billOfLading: (ctx: Context, tdr: string) => composite(ctx, 'billOfLading', tdr),
    /** The carrier's draft of a B/L before issue, for the shipper to approve. */
    billOfLadingDraft: (ctx: Context, tdr: string) => composite(ctx, 'billOfLadingDraft', tdr),
    /** A superseded version of a B/L, kept after an amendment. */
    billOfLadingVersion: (ctx: Context, tdr: string, version: number) => composite(ctx, 'billOfLadingVersion', tdr, sequenceLabel(version)),
    billOfLadingLog: (ctx: Context, tdr: string, seq: number) => composite(ctx, 'billOfLadingLog', tdr, sequenceLabel(seq)),
    declaration: (ctx: Context, declarationId: string) => composite(ctx, 'declaration', declarationId),
    certificate: (ctx: Context, applicationId: string) => composite(ctx, 'certificate', applicationId),
    financing: (ctx: Context, financingId: string) => composite(ctx, 'financing', financingId),
    /** An LRN taken by a declaration (one declarant reference, one declaration). */
    declarationLrn: (ctx: Context, lrn: string) => composite(ctx, 'declaration~lrn', lrn),
    /** An issued certificate number; the value is the application id. */
    certificateNumber: (ctx: Context, certificateNumber: string) => composite(ctx, 'certificate~number', certificateNumber),
    /** A B/L or declaration backing a live financing; the value is the financing id. */
    financingLock: (ctx: Context, kind: 'billOfLading' | 'declaration', id: string) => composite(ctx, 'financing~lock', kind, id),
    /** A proposal the chaincode refused, recorded for the risk rules (one per refused transaction). */
    riskAttempt: (ctx: Context, kind: string, subjectId: string, refusedTxId: string) => composite(ctx, SCANNED.riskAttempt, kind, subjectId, refusedTxId),
    riskAssessment: (ctx: Context, financingId: string) => composite(ctx, SCANNED.riskAssessment, financingId),
    riskAlertStatus: (ctx: Context, alertId: string) => composite(ctx, 'risk~alertStatus', alertId),
} as const;

/** Keys inside private data collections (which collection is the caller's business: see collections.ts). */
export const PRIVATE_KEYS = {
    shipmentCommercial: (ctx: Context, shipmentId: string) => composite(ctx, 'shipmentCommercial', shipmentId),
    /** A version's file bytes only: large, read only to download. */
    documentContent: (ctx: Context, documentId: string, version: number) => composite(ctx, 'documentContent', documentId, sequenceLabel(version)),
    /** A version's structured fields, apart from the bytes, so that examination and dossier never load files. */
    documentFields: (ctx: Context, documentId: string, version: number) => composite(ctx, 'documentFields', documentId, sequenceLabel(version)),
    declarationDetails: (ctx: Context, declarationId: string, version: number) => composite(ctx, 'declarationDetails', declarationId, sequenceLabel(version)),
    certificateDetails: (ctx: Context, applicationId: string) => composite(ctx, 'certificateDetails', applicationId),
    financingTerms: (ctx: Context, financingId: string) => composite(ctx, 'financingTerms', financingId),
    examinationReport: (ctx: Context, financingId: string) => composite(ctx, 'examinationReport', financingId),
    riskNote: (ctx: Context, declarationId: string, noteId: string) => composite(ctx, 'riskNote', declarationId, noteId),
} as const;

/**
 * A secondary index: entries `type~…` whose last attribute is the id of the record they point to. `prefix` names the
 * attributes before the id, in order, so that a partial-key query over a prefix lists the records in that group.
 */
export interface Index<P extends readonly string[]> {
    readonly type: string;
    /** The attributes before the record id, for documentation and the drift test. */
    readonly prefix: P;
}

function index<P extends readonly string[]>(type: string, ...prefix: P): Index<P> {
    return { type, prefix };
}

export const INDEXES = {
    shipmentByStatus: index('shipment~status', 'status'),
    shipmentByParty: index('shipment~party', 'mspId'),
    documentByShipment: index('document~shipment', 'shipmentId'),
    /** The id here is `documentId` followed by the padded version: one entry per registered version. */
    documentByHash: index(SCANNED.documentByHash, 'sha256'),
    billOfLadingByShipment: index('billOfLading~shipment', 'shipmentId'),
    billOfLadingByStatus: index('billOfLading~status', 'status'),
    billOfLadingByHolder: index('billOfLading~holder', 'holderMspId'),
    declarationByShipment: index('declaration~shipment', 'shipmentId'),
    declarationByStatus: index('declaration~status', 'status'),
    certificateByShipment: index('certificate~shipment', 'shipmentId'),
    certificateByStatus: index('certificate~status', 'status'),
    financingByShipment: index('financing~shipment', 'shipmentId'),
    financingByStatus: index('financing~status', 'status'),
} as const;

/** The key of one index entry: the prefix values, then the record id (and, for a few indexes, more attributes). */
export function indexKey<P extends readonly string[]>(ctx: Context, ix: Index<P>, prefix: { readonly [K in keyof P]: string }, ...id: string[]): string {
    return composite(ctx, ix.type, ...(prefix as readonly string[]), ...id);
}

/** Writes an index entry (the key carries everything; the value only needs to be non-empty). */
export async function putIndex<P extends readonly string[]>(ctx: Context, ix: Index<P>, prefix: { readonly [K in keyof P]: string }, ...id: string[]): Promise<void> {
    await ctx.stub.putState(indexKey(ctx, ix, prefix, ...id), Buffer.from([0]));
}

export async function deleteIndex<P extends readonly string[]>(ctx: Context, ix: Index<P>, prefix: { readonly [K in keyof P]: string }, ...id: string[]): Promise<void> {
    await ctx.stub.deleteState(indexKey(ctx, ix, prefix, ...id));
}

/** Moves a record from one group of a one-attribute index to another (a status or holder change); no-op when equal. */
export async function moveIndex(ctx: Context, ix: Index<readonly [string]>, from: string | undefined, to: string, id: string): Promise<void> {
    if (from === to) {
        return;
    }
    if (from !== undefined) {
        await deleteIndex(ctx, ix, [from], id);
    }
    await putIndex(ctx, ix, [to], id);
}

/** The attributes after `prefix` of every entry in one group of an index (the record id first), in key order. */
export async function listIndexIds(ctx: Context, ix: Index<readonly string[]>, prefix: readonly string[]): Promise<string[][]> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(ix.type, [...prefix]);
    const found: string[][] = [];
    try {
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
            found.push(ctx.stub.splitCompositeKey(r.value.key).attributes.slice(prefix.length));
        }
    } finally {
        await iterator.close();
    }
    return found;
}

/** Every entry of a scanned key type: its attributes and raw value, in key order. */
export async function scanKeys(ctx: Context, type: typeof SCANNED[keyof typeof SCANNED]): Promise<{ attributes: string[]; value: Uint8Array }[]> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(type, []);
    const found: { attributes: string[]; value: Uint8Array }[] = [];
    try {
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
            found.push({ attributes: ctx.stub.splitCompositeKey(r.value.key).attributes, value: r.value.value });
        }
    } finally {
        await iterator.close();
    }
    return found;
}
