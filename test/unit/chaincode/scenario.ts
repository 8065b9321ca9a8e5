/** Steps shared by several test files: each builds on a fresh Ledger and returns what the contract returned. */
import { createHash } from 'node:crypto';
import { BillOfLadingContract } from '../../../chaincode/src/bill-of-lading-contract';
import { CertificateContract } from '../../../chaincode/src/certificate-contract';
import { DeclarationContract } from '../../../chaincode/src/declaration-contract';
import { DocumentContract } from '../../../chaincode/src/document-contract';
import { ShipmentContract } from '../../../chaincode/src/shipment-contract';
import { CARRIER, CUSTOMS, EXPORTER, Identity, Ledger, SUPERVISOR } from './fake-context';
import { DOC_HASH, INVOICE_FIELDS, PACKING_LIST_FIELDS, billOfLadingJson, certificateDetailsJson, commercialJson, declarationDetailsJson, shipmentJson, uid } from './fixtures';

export const shipments = new ShipmentContract();

export async function openShipment(ledger: Ledger, shipmentId: string, who: Identity = EXPORTER,
    overrides: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    const out = await ledger.invoke(who, (ctx) => shipments.openShipment(ctx, shipmentId, shipmentJson(overrides)),
        { transient: { commercial: commercialJson() } });
    return JSON.parse(out) as Record<string, unknown>;
}

export const documents = new DocumentContract();
export const billsOfLading = new BillOfLadingContract();
export const declarations = new DeclarationContract();
export const certificates = new CertificateContract();

export async function registerDocument(ledger: Ledger, who: Identity, documentId: string, shipmentId: string, docType: string,
    fields: Record<string, unknown>): Promise<void> {
    const bytes = Buffer.from(`${docType} ${documentId} ${JSON.stringify(fields)}`);
    const meta = JSON.stringify({ docType, sha256: createHash('sha256').update(bytes).digest('hex'), size: bytes.length, mediaType: 'application/pdf' });
    await ledger.invoke(who, (ctx) => documents.registerDocument(ctx, documentId, shipmentId, meta), { transient: { content: bytes, fields: JSON.stringify(fields) } });
}

/** Ids of a shipment with every document a bank needs, all consistent. */
export interface Trade { shipmentId: string; invoiceId: string; packingListId: string; tdr: string; declarationId: string; certificateId: string }

export interface TradeOptions {
    invoiceFields?: Record<string, unknown>;
    packingListFields?: Record<string, unknown>;
    /** Stop before customs releases the declaration. */
    releaseDeclaration?: boolean;
    /** Stop before the exporter transfers the B/L to the bank. */
    blToBank?: boolean;
    issueCertificate?: boolean;
}

/** Opens a shipment, registers invoice and packing list, issues a B/L, lodges and releases a declaration, issues a CoO. */
export async function tradeScenario(ledger: Ledger, options: TradeOptions = {}): Promise<Trade> {
    const t: Trade = { shipmentId: uid('SHP'), invoiceId: uid('INV'), packingListId: uid('PL'), tdr: uid('BOLU'), declarationId: uid('DEC'), certificateId: uid('COA') };
    await openShipment(ledger, t.shipmentId);
    await registerDocument(ledger, EXPORTER, t.invoiceId, t.shipmentId, 'commercialInvoice', options.invoiceFields ?? INVOICE_FIELDS);
    await registerDocument(ledger, EXPORTER, t.packingListId, t.shipmentId, 'packingList', options.packingListFields ?? PACKING_LIST_FIELDS);
    await ledger.invoke(CARRIER, (ctx) => billsOfLading.issueBillOfLading(ctx, t.tdr, t.shipmentId, billOfLadingJson()));
    if (options.blToBank ?? true) {
        await ledger.invoke(EXPORTER, (ctx) => billsOfLading.transferBillOfLading(ctx, t.tdr, 'BankMSP'));
    }
    await ledger.invoke(EXPORTER, (ctx) => declarations.lodgeDeclaration(ctx, t.declarationId, t.shipmentId, JSON.stringify({ declarationType: 'EX', lrn: uid('LRN') })),
        { transient: { declaration: declarationDetailsJson() } });
    await ledger.invoke(CUSTOMS, (ctx) => declarations.acceptDeclaration(ctx, t.declarationId, '26CN0000000000004A'));
    if (options.releaseDeclaration ?? true) {
        await ledger.invoke(SUPERVISOR, (ctx) => declarations.releaseDeclaration(ctx, t.declarationId));
    }
    await ledger.invoke(EXPORTER, (ctx) => certificates.applyForCertificate(ctx, t.certificateId, t.shipmentId,
        JSON.stringify({ certificateType: 'NON_PREFERENTIAL', countryOfOrigin: 'CN', documentSha256: DOC_HASH })), { transient: { certificate: certificateDetailsJson() } });
    if (options.issueCertificate ?? true) {
        await ledger.invoke(CUSTOMS, (ctx) => certificates.issueCertificate(ctx, t.certificateId, `NUM-${t.certificateId}`));
    }
    return t;
}
