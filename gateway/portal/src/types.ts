/** The records as the gateway answers them (the chaincode owns their shape; only what the portal reads is named). */

export interface Party { name: string; country: string }
export interface Stamp { mspId: string; role: string; id: string; at: string; txId: string }

export interface GoodsLine {
    lineNo: number; description: string; hsCode: string; quantity: number; unitOfMeasure: string;
    packages: number; packageType: string; grossWeightKg: string; netWeightKg: string;
}

/** What the chaincode lets the caller do to a record now (transaction names), on every record it answers. */
export interface Actionable { allowedActions?: string[] }

export interface Shipment extends Actionable {
    shipmentId: string; exporterReference: string; status: string;
    exporter: Party; consignee: Party; notifyParty?: Party;
    carrier: { mspId: string; name: string }; bank: { mspId: string; name: string };
    incoterm: string; currency: string; portOfLoading: string; portOfDischarge: string;
    countryOfOrigin: string; countryOfDestination: string; goods: GoodsLine[];
    openedBy?: Stamp; updatedBy?: Stamp;
}

export interface Commercial { currency: string; lines: { lineNo: number; unitPrice: string; value: string }[]; totalValue: string }

export interface DocumentVersion {
    documentId: string; version: number; status: string; sha256: string; size: number; mediaType: string;
    fileName?: string; uploadedBy?: Stamp; revocationReason?: string; docType: string; shipmentId: string;
}

export interface DocumentRecord {
    documentId: string; shipmentId: string; docType: string; ownerMspId: string; currentVersion: number;
    versions?: DocumentVersion[];
}

export interface TransferLogEntry { seq: number; action: string; fromMspId: string; toMspId: string; actor: { mspId: string; role: string; id: string }; at: string; txId: string }

export interface BillOfLading extends Actionable {
    transportDocumentReference: string; shipmentId: string; transportDocumentStatus: string; holderMspId: string;
    carrierMspId: string; vesselName: string; carrierExportVoyageNumber: string; shippedOnBoardDate?: string; receivedForShipmentDate?: string;
    issueDate: string; documentChecksum: string;
    portOfLoading: string; portOfDischarge: string; transportDocumentTypeCode: string; isToOrder: boolean; version: number;
    shipper: Party; endorsee?: { mspId: string; name: string };
}

export interface Declaration extends Actionable {
    declarationId: string; shipmentId: string; declarationType: string; lrn: string; version: number; status: string;
    mrn?: string; controlType?: string; requestedDocuments?: string[]; providedDocumentIds?: string[]; reason?: string;
    summary: { hsCodes: string[]; totalPackages: number; totalGrossMassKg: string; transportDocumentReference?: string };
}

export interface DeclarationItem {
    itemNo: number; hsCode: string; description: string; countryOfOrigin: string; customsValue: string;
    grossMassKg: string; netMassKg: string; packages: number; containerNumbers?: string[];
}

export interface DeclarationDetails {
    declarant: Party; exporter: Party; consignee: Party; countryOfDestination: string; incoterm: string; currency: string;
    transportDocumentReference?: string; supportingDocumentIds?: string[]; items: DeclarationItem[];
}

export interface Certificate extends Actionable {
    applicationId: string; shipmentId: string; status: string; certificateType: string; countryOfOrigin: string;
    originCriterion?: string; documentSha256: string; certificateNumber?: string; issuer?: { mspId: string; role: string };
    issueDate?: string; revokedAt?: string; reason?: string;
}

export interface Financing extends Actionable {
    financingId: string; shipmentId: string; status: string; financingType: string;
    transportDocumentReference: string; declarationId: string; certificateApplicationId?: string;
    documentIds: { commercialInvoice: string; packingList: string; insuranceCertificate?: string };
    requiresBlHeldByBank: boolean; requiresCertificateOfOrigin: boolean;
    presentationDate: string; examinationDeadline: string;
    examination?: { examinedBy: Stamp; examinedOn: string; discrepancyCount: number; deadlineMet: boolean };
    decision?: { decidedBy: Stamp; discrepanciesWaived: boolean; reason?: string };
}

export interface FinancingTerms { amount: string; currency: string; tenorDays: number; expiryDate: string; creditReference?: string }

export interface Discrepancy { rule: string; field: string; documents: string[]; values: string[]; message: string }
export interface ExaminationReport {
    presentationDate: string; examinationDeadline: string; examinedOn: string; deadlineMet: boolean;
    latestPresentationDate?: string; compliant: boolean; discrepancies: Discrepancy[];
}

/** The gateway's dossier answer: every record of each kind, oldest first. */
export interface DossierAnswer {
    shipment: Shipment & { allowedActions: string[] };
    commercial: Commercial | null;
    documents: DocumentRecord[];
    billsOfLading: NonNullable<Dossier['billOfLading']>[];
    declarations: NonNullable<Dossier['declaration']>[];
    certificates: NonNullable<Dossier['certificate']>[];
    financings: NonNullable<Dossier['financing']>[];
    hidden: string[];
}

/** The dossier as its sections show it: the latest record of each kind. */
export interface Dossier {
    shipment: Shipment;
    commercial: Commercial | null;
    documents: DocumentRecord[];
    billOfLading: { record: BillOfLading; transferLog: { entries: TransferLogEntry[]; intact: boolean } } | null;
    declaration: { record: Declaration; details: DeclarationDetails | null } | null;
    certificate: { record: Certificate; details: unknown } | null;
    financing: { record: Financing; terms: FinancingTerms | null; examinationReport: ExaminationReport | null } | null;
    hidden: string[];
}

/** A chaincode event as the SSE stream delivers it. */
export interface TradeEvent {
    id: string; name: string; blockNumber: string; transactionId: string;
    payload: { type?: string; record?: string; id?: string; shipmentId?: string; status?: string; txId?: string };
}

export interface HistoryEntry { transactionId: string; timestamp: string; isDelete: boolean; by: Stamp | null; record: unknown }
