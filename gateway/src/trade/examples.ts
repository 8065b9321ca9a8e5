/**
 * Examples /openapi.json shows for the main trade operations: one Chengdu → Hamburg shipment of garments through to
 * its financing. Each request example is valid against its operation's schema (test/unit/gateway/openapi.test.ts).
 */
const stamp = (mspId: string, role: string) => ({ mspId, role, id: `x509::/CN=${role}1::/CN=ca.${mspId}`, at: '2026-03-02T09:00:00.000Z', txId: 'a'.repeat(64) });
const exporter = { name: 'Chengdu Panda Textiles Co', country: 'CN' };
const consignee = { name: 'Hamburg Wear GmbH', country: 'DE' };
const goods = [
    { lineNo: 1, description: 'Cotton T-shirts', hsCode: '610910', quantity: 2000, unitOfMeasure: 'PCS', packages: 100, packageType: 'CT', grossWeightKg: '1200.5', netWeightKg: '1100' },
];
const shipment = {
    exporterReference: 'PO-2026-0042', exporter, consignee,
    carrier: { mspId: 'CarrierMSP', name: 'Blue Ocean Lines' }, bank: { mspId: 'BankMSP', name: 'First Trade Bank' },
    incoterm: 'FOB', currency: 'USD', portOfLoading: 'CNCTU', portOfDischarge: 'DEHAM', countryOfOrigin: 'CN', countryOfDestination: 'DE', goods,
};

export const TRADE_EXAMPLES: Readonly<Record<string, { request?: unknown; response?: unknown }>> = {
    openShipment: {
        request: { shipmentId: 'SHP-2026-0042', ...shipment, commercial: { lines: [{ lineNo: 1, unitPrice: '4.50', value: '9000.00' }], totalValue: '9000.00' } },
        response: {
            shipmentId: 'SHP-2026-0042', status: 'OPEN', ...shipment, commercialHash: 'b'.repeat(64),
            openedBy: stamp('ExporterMSP', 'exporter'), updatedBy: stamp('ExporterMSP', 'exporter'),
        },
    },
    registerDocument: {
        request: {
            documentId: 'INV-2026-0042', docType: 'commercialInvoice',
            fields: JSON.stringify({ documentNumber: 'INV-2026-0042', documentDate: '2026-02-26', seller: exporter, buyer: consignee, packages: 100, totalAmount: '9000.00', currency: 'USD' }),
            file: '(the PDF)',
        },
    },
    issueBillOfLading: {
        request: {
            transportDocumentReference: 'BOLU2026004201', shipmentId: 'SHP-2026-0042', transportDocumentTypeCode: 'BOL', isToOrder: true,
            shipper: exporter, carrierCode: 'BOLU', portOfLoading: 'CNCTU', portOfDischarge: 'DEHAM', vesselName: 'Blue Horizon',
            carrierExportVoyageNumber: '042W', shippedOnBoardDate: '2026-03-01',
            consignmentItems: [{ descriptionOfGoods: 'Cotton T-shirts', hsCodes: ['610910'], numberOfPackages: 100, packageCode: 'CT', grossWeightKg: '1200.5' }],
            equipmentReferences: ['MSCU1234567'],
        },
    },
    lodgeDeclaration: {
        request: {
            declarationId: 'DEC-2026-0042', shipmentId: 'SHP-2026-0042', declarationType: 'EX', lrn: 'LRN-2026-0042',
            details: {
                declarant: exporter, exporter, consignee, countryOfDestination: 'DE', incoterm: 'FOB', currency: 'USD',
                items: [{ itemNo: 1, hsCode: '61091000', description: 'Cotton T-shirts', countryOfOrigin: 'CN', customsValue: '9000.00', grossMassKg: '1200.5', netMassKg: '1100', packages: 100 }],
            },
        },
    },
    acceptDeclaration: { request: { mrn: '26CN00000000000042' } },
    applyForCertificate: {
        request: {
            applicationId: 'COA-2026-0042', shipmentId: 'SHP-2026-0042', certificateType: 'NON_PREFERENTIAL', countryOfOrigin: 'CN', documentSha256: 'c'.repeat(64),
            details: {
                exporter, consignee, portOfLoading: 'CNCTU', portOfDischarge: 'DEHAM',
                items: [{ marks: 'CPT/HAM/1-100', packages: 100, description: 'Cotton T-shirts', hsCode: '610910', quantity: 2000, grossWeightKg: '1200.5', invoiceNumber: 'INV-2026-0042', invoiceDate: '2026-02-26' }],
            },
        },
    },
    issueCertificate: { request: { certificateNumber: 'CN-COO-2026-0042' } },
    transferBillOfLading: { request: { toMspId: 'BankMSP' } },
    requestFinancing: {
        request: {
            financingId: 'FIN-2026-0042', shipmentId: 'SHP-2026-0042', financingType: 'DOCUMENTARY_CREDIT', transportDocumentReference: 'BOLU2026004201',
            declarationId: 'DEC-2026-0042', certificateApplicationId: 'COA-2026-0042', documentIds: { commercialInvoice: 'INV-2026-0042', packingList: 'PL-2026-0042' },
            requiresBlHeldByBank: true, requiresCertificateOfOrigin: true,
            terms: { amount: '9000.00', currency: 'USD', tenorDays: 90, expiryDate: '2026-05-01', creditReference: 'LC-2026-0042' },
        },
    },
    approveFinancing: { request: { waiveDiscrepancies: false } },
};
