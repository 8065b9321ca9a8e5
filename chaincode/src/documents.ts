/**
 * Document types, the collection each type's content lives in, and the structured fields a document carries for
 * cross-checking. Kept apart from the contract so the bank's examination reads documents the same way.
 */
import type { Context } from 'fabric-contract-api';
import { ContractError } from './errors';
import { KEYS, PRIVATE_KEYS } from './keys';
import { Stamp, readPrivate, readState } from './ledger';
import * as v from './validation';

export const DOCUMENT_TYPES = [
    'commercialInvoice', 'packingList', 'billOfLading', 'certificateOfOrigin', 'customsDeclaration',
    'insuranceCertificate', 'financingRequest', 'other',
] as const;
export type DocumentType = typeof DOCUMENT_TYPES[number];

/**
 * Who may read a type's content (issue 3). `other` has unknown content, so it gets the confidentiality of a
 * commercial paper: every party but the carrier, who needs only the transport documents.
 */
export const COLLECTION_BY_TYPE: Readonly<Record<DocumentType, string>> = {
    commercialInvoice: 'ExporterCustomsBankCollection',
    packingList: 'TradePartiesCollection',
    billOfLading: 'TradePartiesCollection',
    certificateOfOrigin: 'ExporterCustomsBankCollection',
    customsDeclaration: 'ExporterCustomsCollection',
    insuranceCertificate: 'ExporterCustomsBankCollection',
    financingRequest: 'ExporterBankCollection',
    other: 'ExporterCustomsBankCollection',
};

export type VersionStatus = 'CURRENT' | 'SUPERSEDED' | 'REVOKED';

/** The public head of a document: what it is and which version is current. */
export interface DocumentHead {
    documentId: string; shipmentId: string; docType: DocumentType; collection: string;
    ownerMspId: string; currentVersion: number; updatedBy: Stamp;
}

/** One registered version: public metadata only (the bytes are in the collection). */
export interface DocumentVersion {
    documentId: string; shipmentId: string; docType: DocumentType; version: number; status: VersionStatus;
    sha256: string; size: number; mediaType: string; fileName?: string;
    uploadedBy: Stamp; updatedBy: Stamp; revocationReason?: string;
}

/** Structured data a document states, compared across documents by the examination. All optional. */
export interface DocumentFields {
    documentNumber?: string; documentDate?: string;
    seller?: v.Party; buyer?: v.Party; shipper?: v.Party; consignee?: v.Party;
    goodsDescription?: string; hsCodes?: string[]; quantity?: number; packages?: number;
    grossWeightKg?: string; netWeightKg?: string; portOfLoading?: string; portOfDischarge?: string;
    shipmentDate?: string; totalAmount?: string; currency?: string; countryOfOrigin?: string;
    transportDocumentReference?: string;
}

/** The private file of a version (read only to download it). */
export interface DocumentContent {
    documentId: string; version: number; sha256: string; mediaType: string; contentBase64: string;
}

/** The private structured fields of a version, stored apart from the file so that reading them never loads it. */
export interface DocumentFieldsRecord { documentId: string; version: number; fields: DocumentFields }

type FieldReader = (field: string, value: unknown) => unknown;
const FIELD_READERS: Readonly<Record<keyof DocumentFields, FieldReader>> = {
    documentNumber: (f, x) => v.text(f, x, v.LIMITS.shortText),
    documentDate: v.isoDate,
    seller: v.party, buyer: v.party, shipper: v.party, consignee: v.party,
    goodsDescription: (f, x) => v.text(f, x),
    hsCodes: (f, x) => v.list(f, x, v.hsCode, 50),
    quantity: (f, x) => v.positiveInt(f, x),
    packages: (f, x) => v.positiveInt(f, x),
    grossWeightKg: v.amount, netWeightKg: v.amount,
    portOfLoading: v.locode, portOfDischarge: v.locode,
    shipmentDate: v.isoDate,
    totalAmount: v.amount,
    currency: v.currency,
    countryOfOrigin: v.country,
    transportDocumentReference: v.id,
};

/** Validates structured fields; unknown names are refused so that a typo cannot hide a discrepancy. */
export function documentFields(field: string, value: unknown): DocumentFields {
    const o = v.asObject(field, value);
    const out: Record<string, unknown> = {};
    for (const [name, raw] of Object.entries(o)) {
        const reader = FIELD_READERS[name as keyof DocumentFields] as FieldReader | undefined;
        if (!reader) {
            throw new ContractError('INVALID_ARGUMENT', `${field}.${name} is not a known document field`);
        }
        out[name] = reader(`${field}.${name}`, raw);
    }
    const fields = out as DocumentFields;
    if (fields.totalAmount !== undefined && fields.currency !== undefined) {
        v.money(`${field}.totalAmount`, fields.totalAmount, fields.currency);
    }
    return fields;
}

export async function readHead(ctx: Context, documentId: string): Promise<DocumentHead | undefined> {
    return readState<DocumentHead>(ctx, KEYS.document(ctx, documentId));
}

export async function readVersion(ctx: Context, documentId: string, version: number): Promise<DocumentVersion | undefined> {
    return readState<DocumentVersion>(ctx, KEYS.documentVersion(ctx, documentId, version));
}

/** A version's structured fields; UNAVAILABLE while this peer has not received them. */
export async function readFields(ctx: Context, head: DocumentHead, version: number): Promise<DocumentFields | undefined> {
    const found = await readPrivate<DocumentFieldsRecord>(ctx, head.collection, PRIVATE_KEYS.documentFields(ctx, head.documentId, version),
        `the fields of document ${head.documentId} version ${version}`);
    return found?.fields;
}

/** The current version of a document and its structured fields (never the file), as the calling peer holds them. */
export async function readCurrent(ctx: Context, documentId: string): Promise<{ head: DocumentHead; version: DocumentVersion; fields?: DocumentFields } | undefined> {
    const head = await readHead(ctx, documentId);
    if (!head) {
        return undefined;
    }
    const version = await readVersion(ctx, documentId, head.currentVersion);
    if (!version) {
        return undefined;
    }
    const fields = await readFields(ctx, head, head.currentVersion);
    return { head, version, ...(fields ? { fields } : {}) };
}
