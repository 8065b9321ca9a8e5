/**
 * The records, reports, lists and events the trade operations answer, as TypeBox schemas: /openapi.json publishes
 * them, and their static types must equal the chaincode's own (test/unit/contract-drift.test.ts fails the type check
 * when a field, an optional mark or a status differs). Responses are not validated at run time; the typed-client
 * integration test checks real answers against these schemas.
 */
import { type TObject, type TProperties, type TSchema, Type } from '@sinclair/typebox';
import {
    CERTIFICATE_STATUSES, DECLARATION_STATUSES, DRAFT_STATUSES, FINANCING_STATUSES, SHIPMENT_STATUSES, TRANSPORT_DOCUMENT_STATUSES,
} from '../../../chaincode/src/lifecycle';
import type { DocumentFields } from '../../../chaincode/src/documents';
import { COMPONENT } from '../http/openapi';

/** A string enum (one JSON Schema `enum`, so generated clients get a union of literals). */
function Enum<const T extends readonly string[]>(values: T, description?: string) {
    return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
}

/**
 * A schema /openapi.json publishes once under components/schemas/<name> and refers to by $ref (http/openapi.ts), so
 * generated clients get a named type for it.
 */
function named<T extends TSchema>(name: string, schema: T): T {
    return { ...schema, [COMPONENT]: name };
}

const Str = (description?: string) => Type.String(description ? { description } : {});
const Int = (description?: string) => Type.Integer(description ? { description } : {});
const Opt = <T extends TSchema>(schema: T) => Type.Optional(schema);

export const DOCUMENT_TYPES = [
    'commercialInvoice', 'packingList', 'billOfLading', 'certificateOfOrigin', 'customsDeclaration', 'insuranceCertificate', 'financingRequest', 'other',
] as const;
export const VERSION_STATUSES = ['CURRENT', 'SUPERSEDED', 'REVOKED'] as const;
export const TRANSFER_ACTIONS = ['ISSUE', 'TRANSFER', 'ENDORSE', 'SURRENDER_FOR_DELIVERY', 'SURRENDER_FOR_AMENDMENT', 'SACC', 'SREJ', 'VOID'] as const;
export const EXAMINATION_SOURCES = [
    'commercialInvoice', 'packingList', 'billOfLading', 'certificateOfOrigin', 'customsDeclaration', 'insuranceCertificate', 'financingTerms',
] as const;

/** Who wrote a record: organisation, role, X.509 identity, time and transaction. */
export const StampSchema = named('Stamp', Type.Object({ mspId: Str(), role: Str(), id: Str('X.509 subject and issuer'), at: Str('ISO 8601 time of the transaction'), txId: Str() }));
const Actor = Type.Object({ mspId: Str(), role: Str(), id: Str() });
export const PartySchema = named('Party', Type.Object({ name: Str(), country: Str('ISO 3166-1 alpha-2') }));
const Organisation = Type.Object({ mspId: Str(), name: Str() });

export const GoodsLineSchema = named('GoodsLine', Type.Object({
    lineNo: Int(), description: Str(), hsCode: Str(), quantity: Int(), unitOfMeasure: Str(),
    packages: Int(), packageType: Str(), grossWeightKg: Str(), netWeightKg: Str(),
}));

export const ShipmentSchema = named('Shipment', Type.Object({
    shipmentId: Str(), exporterReference: Str(), status: Enum(SHIPMENT_STATUSES),
    exporter: PartySchema, consignee: PartySchema, notifyParty: Opt(PartySchema),
    carrier: Organisation, bank: Organisation,
    incoterm: Str('Incoterms 2020 rule'), currency: Str('ISO 4217'), portOfLoading: Str('UN/LOCODE'), portOfDischarge: Str('UN/LOCODE'),
    countryOfOrigin: Str(), countryOfDestination: Str(), goods: Type.Array(GoodsLineSchema),
    commercialHash: Str('SHA-256 of the private commercial values as stored (salted)'),
    openedBy: StampSchema, updatedBy: StampSchema,
}, { description: 'A shipment: its public facts' }));

export const CommercialSchema = named('Commercial', Type.Object({
    shipmentId: Str(), currency: Str(), lines: Type.Array(Type.Object({ lineNo: Int(), unitPrice: Str(), value: Str() })), totalValue: Str('Decimal string'),
}, { description: 'Prices and total (private to exporter, customs and bank)' }));


export const DocumentVersionSchema = named('DocumentVersion', Type.Object({
    documentId: Str(), shipmentId: Str(), docType: Enum(DOCUMENT_TYPES), version: Int(), status: Enum(VERSION_STATUSES),
    sha256: Str('SHA-256, lowercase hex'), size: Int('Bytes'), mediaType: Str(), fileName: Opt(Str()),
    uploadedBy: StampSchema, updatedBy: StampSchema, revocationReason: Opt(Str()),
}, { description: 'One registered version: public metadata (the bytes are in the type\'s collection)' }));

const documentHead = {
    documentId: Str(), shipmentId: Str(), docType: Enum(DOCUMENT_TYPES), collection: Str('The private data collection holding the content'),
    ownerMspId: Str(), currentVersion: Int(), updatedBy: StampSchema,
};
export const DocumentHeadSchema = named('DocumentHead', Type.Object(documentHead, { description: 'A document: what it is and which version is current' }));
export const DocumentSchema = named('Document', Type.Object({ ...documentHead, versions: Type.Array(DocumentVersionSchema) }, { description: 'A document with every version' }));

export const DocumentVerificationSchema = named('DocumentVerification', Type.Object({ sha256: Str(), matches: Type.Array(DocumentVersionSchema) }, { description: 'Registered versions with these bytes; empty when none' }));

export const ConsignmentItemSchema = named('ConsignmentItem', Type.Object({ descriptionOfGoods: Str(), hsCodes: Type.Array(Str()), numberOfPackages: Int(), packageCode: Str(), grossWeightKg: Str() }));

const billOfLadingContent = {
    transportDocumentTypeCode: Enum(['BOL', 'SWB'] as const), isToOrder: Type.Boolean(),
    shipper: PartySchema, consignee: Opt(PartySchema), notifyParty: Opt(PartySchema), carrierCode: Str('SCAC'),
    placeOfReceipt: Opt(Str()), portOfLoading: Str(), portOfDischarge: Str(), placeOfDelivery: Opt(Str()), vesselName: Str(), carrierExportVoyageNumber: Str(),
    shippedOnBoardDate: Opt(Str('A shipped B/L: the on-board date')), receivedForShipmentDate: Opt(Str('A received-for-shipment B/L: the date the carrier took charge')),
    consignmentItems: Type.Array(ConsignmentItemSchema), equipmentReferences: Type.Array(Str()),
    clauses: Type.Array(Str(), { description: 'None: a clean B/L (UCP 600 art. 27)' }), documentSha256: Opt(Str()),
};

export const BillOfLadingSchema = named('BillOfLading', Type.Object({
    transportDocumentReference: Str(), shipmentId: Str(), version: Int(), transportDocumentStatus: Enum(TRANSPORT_DOCUMENT_STATUSES),
    documentChecksum: Str('SHA-256 of this version\'s content (PINT document checksum)'),
    ...billOfLadingContent,
    issueDate: Str(), carrierMspId: Str(), holderMspId: Str('Who holds the B/L now (exclusive control)'),
    endorsee: Opt(Organisation), surrenderedByMspId: Opt(Str()), transferLogLength: Int(), transferLogHead: Str(),
    issuedBy: StampSchema, updatedBy: StampSchema,
}, { description: 'An electronic bill of lading (DCSA eBL 3.0 vocabulary)' }));

export const BillOfLadingDraftSchema = named('BillOfLadingDraft', Type.Object({
    transportDocumentReference: Str(), shipmentId: Str(), draftStatus: Enum(DRAFT_STATUSES), revision: Int(),
    carrierMspId: Str(), shipperMspId: Str(), content: Type.Object(billOfLadingContent),
    documentChecksum: Str('What the shipper approves: SHA-256 of the content'), draftedBy: StampSchema, approvedBy: Opt(StampSchema), updatedBy: StampSchema,
}, { description: 'The carrier\'s draft of a B/L before issue, for the shipper to approve (DCSA eBL 3.0)' }));

export const TransferLogEntrySchema = named('TransferLogEntry', Type.Object({
    seq: Int(), action: Enum(TRANSFER_ACTIONS), version: Int(), fromMspId: Str(), toMspId: Str(), documentChecksum: Str(), actor: Actor,
    at: Str(), txId: Str(), previousHash: Str(), hash: Str(),
}));
export const TransferLogSchema = named('TransferLog', Type.Object({
    transportDocumentReference: Str(), entries: Type.Array(TransferLogEntrySchema), intact: Type.Boolean({ description: 'Whether the hash chain is intact' }),
}, { description: 'The transfer log, oldest first' }));

export const DeclarationSchema = named('Declaration', Type.Object({
    declarationId: Str(), shipmentId: Str(), declarationType: Str(), lrn: Str(), version: Int(),
    status: Enum(DECLARATION_STATUSES), mrn: Opt(Str('Assigned by customs on acceptance')), controlType: Opt(Enum(['DOCUMENTARY', 'PHYSICAL'] as const)),
    requestedDocuments: Opt(Type.Array(Str())), providedDocumentIds: Opt(Type.Array(Str())), reason: Opt(Str()),
    summary: Type.Object({ hsCodes: Type.Array(Str()), totalPackages: Int(), totalGrossMassKg: Str(), transportDocumentReference: Opt(Str()) }),
    detailsHash: Str(), lodgedBy: StampSchema, updatedBy: StampSchema,
}, { description: 'A customs export declaration: its public part' }));

export const DeclarationItemSchema = named('DeclarationItem', Type.Object({
    itemNo: Int(), hsCode: Str(), description: Str(), countryOfOrigin: Str(), preferentialOriginClaim: Opt(Str()),
    customsValue: Str(), grossMassKg: Str(), netMassKg: Str(), packages: Int(), containerNumbers: Type.Array(Str()),
}));
export const DeclarationDetailsSchema = named('DeclarationDetails', Type.Object({
    declarationId: Str(), version: Int(), declarant: PartySchema, exporter: PartySchema, consignee: PartySchema,
    countryOfDestination: Str(), incoterm: Str(), currency: Str(), transportDocumentReference: Opt(Str()),
    supportingDocumentIds: Type.Array(Str()), items: Type.Array(DeclarationItemSchema),
}, { description: 'A declaration\'s private details (exporter and customs)' }));

export const RiskNoteSchema = named('RiskNote', Type.Object({
    declarationId: Str(), noteId: Str(), riskLevel: Enum(['LOW', 'MEDIUM', 'HIGH'] as const), text: Str(), recordedBy: StampSchema,
}, { description: 'A customs risk note (customs only)' }));

export const CertificateSchema = named('Certificate', Type.Object({
    applicationId: Str(), shipmentId: Str(), status: Enum(CERTIFICATE_STATUSES),
    certificateType: Enum(['NON_PREFERENTIAL', 'PREFERENTIAL'] as const), countryOfOrigin: Str(), originCriterion: Opt(Str()),
    documentSha256: Str(), detailsHash: Str(), certificateNumber: Opt(Str()),
    issuer: Opt(Type.Object({ mspId: Str(), role: Str() })), issueDate: Opt(Str()), revokedAt: Opt(Str()), reason: Opt(Str()),
    appliedBy: StampSchema, updatedBy: StampSchema,
}, { description: 'A certificate of origin: its public part' }));

export const CertificateItemSchema = named('CertificateItem', Type.Object({
    marks: Str(), packages: Int(), description: Str(), hsCode: Str(), quantity: Int(), grossWeightKg: Str(), invoiceNumber: Str(), invoiceDate: Str(),
}));
export const CertificateDetailsSchema = named('CertificateDetails', Type.Object({
    applicationId: Str(), exporter: PartySchema, consignee: PartySchema, portOfLoading: Str(), portOfDischarge: Str(),
    transportDocumentReference: Opt(Str()), items: Type.Array(CertificateItemSchema),
}, { description: 'A certificate\'s private details' }));

export const CertificateVerificationSchema = named('CertificateVerification', Type.Object({
    certificateNumber: Str(), status: Enum(CERTIFICATE_STATUSES), issuer: Opt(Type.Object({ mspId: Str(), role: Str() })), issueDate: Opt(Str()),
    revokedAt: Opt(Str()), documentSha256: Str(),
}, { description: 'Issuer, status, dates and document hash; nothing private' }));

export const FinancingSchema = named('Financing', Type.Object({
    financingId: Str(), shipmentId: Str(), status: Enum(FINANCING_STATUSES),
    financingType: Enum(['DOCUMENTARY_CREDIT', 'RECEIVABLES_FINANCING'] as const),
    transportDocumentReference: Str(), declarationId: Str(), certificateApplicationId: Opt(Str()),
    documentIds: Type.Object({ commercialInvoice: Str(), packingList: Str(), insuranceCertificate: Opt(Str()) }),
    requiresBlHeldByBank: Type.Boolean(), requiresCertificateOfOrigin: Type.Boolean(),
    presentationDate: Str(), examinationDeadline: Str('5 banking days after presentation (UCP 600 art. 14(b))'), termsHash: Str(),
    examination: Opt(Type.Object({ examinedBy: StampSchema, examinedOn: Str(), discrepancyCount: Int(), deadlineMet: Type.Boolean(), reportHash: Str() })),
    decision: Opt(Type.Object({ decidedBy: StampSchema, discrepanciesWaived: Type.Boolean(), reason: Opt(Str()) })),
    requestedBy: StampSchema, updatedBy: StampSchema,
}, { description: 'A financing: public part (status, references, deadline, discrepancy count)' }));

export const FinancingTermsSchema = named('FinancingTerms', Type.Object({
    financingId: Str(), amount: Str('Decimal string'), currency: Str(), tenorDays: Int(), expiryDate: Str(), creditReference: Opt(Str()),
}, { description: 'Amount and terms (exporter and bank)' }));

export const DiscrepancySchema = named('Discrepancy', Type.Object({
    rule: Str(), field: Str(), documents: Type.Array(Enum(EXAMINATION_SOURCES)), values: Type.Array(Str()), message: Str(),
}));
export const ExaminationReportSchema = named('ExaminationReport', Type.Object({
    presentationDate: Str(), examinationDeadline: Str(), examinedOn: Str(), deadlineMet: Type.Boolean(),
    latestPresentationDate: Opt(Str()), compliant: Type.Boolean(), discrepancies: Type.Array(DiscrepancySchema),
}, { description: 'The bank\'s examination: every discrepancy at once (UCP 600 art. 16)' }));

/**
 * A record as a read answers it: with the transactions the caller may run on it now, computed by the chaincode from
 * its status machine and permission table (writes answer the record as written, without them).
 */
function view<P extends TProperties>(name: string, schema: TObject<P>) {
    const allowedActions = Type.Array(Str(), { description: 'Transactions the caller may run on this record now (chaincode function names)' });
    const properties: P & { allowedActions: typeof allowedActions } = { ...schema.properties, allowedActions };
    return named(name, Type.Object(properties, { description: schema.description }));
}
export const ShipmentViewSchema = view('ShipmentView', ShipmentSchema);
export const BillOfLadingViewSchema = view('BillOfLadingView', BillOfLadingSchema);
export const BillOfLadingDraftViewSchema = view('BillOfLadingDraftView', BillOfLadingDraftSchema);
export const DeclarationViewSchema = view('DeclarationView', DeclarationSchema);
export const CertificateViewSchema = view('CertificateView', CertificateSchema);
export const FinancingViewSchema = view('FinancingView', FinancingSchema);


export const ShipmentPageSchema = named('ShipmentPage', Type.Object({
    items: Type.Array(ShipmentViewSchema),
    nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'Pass as cursor for the next page; null on the last page' }),
}));

/** The upload's structured fields, published once by the upload operation (trade/documents.ts). */
const DocumentFieldsRef = Type.Unsafe<DocumentFields>({ $ref: '#/components/schemas/DocumentFields' });

export const DossierSchema = named('Dossier', Type.Object({
    shipment: ShipmentViewSchema,
    commercial: Type.Union([CommercialSchema, Type.Null()]),
    documents: Type.Array(Type.Object({ ...DocumentSchema.properties, fields: Type.Union([DocumentFieldsRef, Type.Null()]) },
        { description: 'A document with every version and its current version\'s structured fields (null when not visible); never its file' })),
    billsOfLading: Type.Array(Type.Object({ record: BillOfLadingViewSchema, transferLog: TransferLogSchema })),
    declarations: Type.Array(Type.Object({ record: DeclarationViewSchema, details: Type.Union([DeclarationDetailsSchema, Type.Null()]) })),
    certificates: Type.Array(Type.Object({ record: CertificateViewSchema, details: Type.Union([CertificateDetailsSchema, Type.Null()]) })),
    financings: Type.Array(Type.Object({
        record: FinancingViewSchema, terms: Type.Union([FinancingTermsSchema, Type.Null()]), examinationReport: Type.Union([ExaminationReportSchema, Type.Null()]),
    })),
    hidden: Type.Array(Str(), { description: 'Private parts the caller\'s organisation may not see' }),
}, { description: 'Everything the caller\'s organisation may see of a shipment, in one ledger read; records of each kind oldest first' }));

export const HistoryEntrySchema = named('HistoryEntry', Type.Object({
    transactionId: Str(), timestamp: Type.String({ format: 'date-time', description: 'The client\'s time in the transaction; entries are in commit order' }),
    isDelete: Type.Boolean(), by: Type.Union([StampSchema, Type.Null()]),
    record: Type.Unknown({ description: 'The record as written (null when deleted)' }),
}));
export const HistorySchema = named('History', Type.Object({ record: Str('Record type'), id: Str(), entries: Type.Array(HistoryEntrySchema, { description: 'In the ledger\'s commit order, oldest first' }) }));

/** A trade event's payload: what every member's peer sees of the change (no private value). */
export const TradeEventPayloadSchema = named('TradeEventPayload', Type.Object({
    type: Str('e.g. ShipmentOpened, BillOfLadingTransferred'), record: Enum(['shipment', 'document', 'billOfLading', 'declaration', 'certificate', 'financing'] as const),
    id: Str(), shipmentId: Str(), status: Str('The record\'s status after the change'),
}));

/** The `data` of each Server-Sent Event of /api/v1/events (JSON). */
export const TradeEventSchema = named('TradeEvent', Type.Object({
    id: Str('<block>:<transaction>, also the SSE id: send it back as Last-Event-ID'), name: Str('The chaincode event name'),
    blockNumber: Str(), transactionId: Str(), payload: TradeEventPayloadSchema,
}, { description: 'One chaincode event as /api/v1/events delivers it' }));

export const RISK_RULES = ['DOUBLE_FINANCING', 'DUPLICATE_FILE', 'OVER_FINANCING', 'BL_AFTER_END', 'REVOKED_COO'] as const;
export const ALERT_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'CLOSED'] as const;

export const AlertSchema = named('Alert', Type.Object({
    alertId: Str(), rule: Enum(RISK_RULES), summary: Str(), shipmentIds: Type.Array(Str()), exporters: Type.Array(Str('"Company (CC)"')),
    concerns: Type.Array(Str(), { description: 'Organisations the alert concerns (the supervisor sees every alert)' }),
    citations: Type.Array(Type.Object({ record: Str(), id: Str(), txId: Str(), what: Str() })), raisedAt: Str(),
    status: Enum(ALERT_STATUSES), reason: Opt(Str()),
    changes: Type.Array(Type.Object({ status: Enum(ALERT_STATUSES), by: StampSchema, reason: Opt(Str()) })),
}, { description: 'A risk rule\'s finding: what it cites, its status and the changes to it' }));
export const AlertListSchema = named('AlertList', Type.Object({ alerts: Type.Array(AlertSchema, { description: 'Oldest first' }) }));

export const FinancingAssessmentSchema = named('FinancingAssessment', Type.Object({
    financingId: Str(), shipmentId: Str(), invoiceDocumentId: Str(), invoiceVersion: Int(),
    comparable: Type.Boolean({ description: 'Amount and invoice total are in one currency' }), exceedsInvoice: Type.Boolean(), assessedBy: StampSchema,
}, { description: 'Whether the financing amount exceeds the invoice total; no amounts' }));
