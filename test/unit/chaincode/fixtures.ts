/** Sample trade data shared by the unit tests; each test picks its own ids so tests never collide. */
export const SHIPMENT = {
    exporterReference: 'PO-2026-0042',
    exporter: { name: 'Chengdu Panda Textiles Co', country: 'CN' },
    consignee: { name: 'Hamburg Wear GmbH', country: 'DE' },
    notifyParty: { name: 'Hamburg Wear GmbH', country: 'DE' },
    carrier: { mspId: 'CarrierMSP', name: 'Blue Ocean Lines' },
    bank: { mspId: 'BankMSP', name: 'First Trade Bank' },
    incoterm: 'FOB',
    currency: 'USD',
    portOfLoading: 'CNSHA',
    portOfDischarge: 'DEHAM',
    countryOfOrigin: 'CN',
    countryOfDestination: 'DE',
    goods: [
        { lineNo: 1, description: 'Cotton T-shirts', hsCode: '610910', quantity: 2000, unitOfMeasure: 'PCS', packages: 100, packageType: 'CT', grossWeightKg: '1200.5', netWeightKg: '1100' },
        { lineNo: 2, description: 'Wool sweaters', hsCode: '6110110000', quantity: 500, unitOfMeasure: 'PCS', packages: 20, packageType: 'CT', grossWeightKg: '300', netWeightKg: '280' },
    ],
};

export const COMMERCIAL = {
    lines: [{ lineNo: 1, unitPrice: '4.50', value: '9000.00' }, { lineNo: 2, unitPrice: '20', value: '10000' }],
    totalValue: '19000.00',
};

export function shipmentJson(overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({ ...SHIPMENT, ...overrides });
}

export function commercialJson(overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({ ...COMMERCIAL, ...overrides });
}

let counter = 0;
/** A fresh id with a readable prefix. */
export function uid(prefix: string): string {
    counter += 1;
    return `${prefix}-${counter}`;
}

export const BILL_OF_LADING = {
    transportDocumentTypeCode: 'BOL',
    isToOrder: true,
    shipper: { name: 'Chengdu Panda Textiles Co', country: 'CN' },
    notifyParty: { name: 'Hamburg Wear GmbH', country: 'DE' },
    carrierCode: 'BOLU',
    portOfLoading: 'CNSHA',
    portOfDischarge: 'DEHAM',
    vesselName: 'Blue Horizon',
    carrierExportVoyageNumber: '042W',
    shippedOnBoardDate: '2026-03-01',
    consignmentItems: [
        { descriptionOfGoods: 'Cotton T-shirts', hsCodes: ['610910'], numberOfPackages: 100, packageCode: 'CT', grossWeightKg: '1200.5' },
        { descriptionOfGoods: 'Wool sweaters', hsCodes: ['611011'], numberOfPackages: 20, packageCode: 'CT', grossWeightKg: '300' },
    ],
    equipmentReferences: ['MSCU1234567'],
};

export function billOfLadingJson(overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({ ...BILL_OF_LADING, ...overrides });
}

export const DECLARATION_DETAILS = {
    declarant: { name: 'Chengdu Panda Textiles Co', country: 'CN' },
    exporter: { name: 'Chengdu Panda Textiles Co', country: 'CN' },
    consignee: { name: 'Hamburg Wear GmbH', country: 'DE' },
    countryOfDestination: 'DE',
    incoterm: 'FOB',
    currency: 'USD',
    items: [
        { itemNo: 1, hsCode: '61091000', description: 'Cotton T-shirts', countryOfOrigin: 'CN', customsValue: '9000.00', grossMassKg: '1200.5', netMassKg: '1100', packages: 100, containerNumbers: ['MSCU1234567'] },
        { itemNo: 2, hsCode: '611011', description: 'Wool sweaters', countryOfOrigin: 'CN', customsValue: '10000', grossMassKg: '300', netMassKg: '280', packages: 20 },
    ],
};

export function declarationDetailsJson(overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({ ...DECLARATION_DETAILS, ...overrides });
}

export const CERTIFICATE_DETAILS = {
    exporter: { name: 'Chengdu Panda Textiles Co', country: 'CN' },
    consignee: { name: 'Hamburg Wear GmbH', country: 'DE' },
    portOfLoading: 'CNSHA',
    portOfDischarge: 'DEHAM',
    items: [{ marks: 'HWG/HAM/1-120', packages: 120, description: 'Cotton T-shirts and wool sweaters', hsCode: '610910', quantity: 2500, grossWeightKg: '1500.5', invoiceNumber: 'INV-7', invoiceDate: '2026-02-25' }],
};

export function certificateDetailsJson(overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({ ...CERTIFICATE_DETAILS, ...overrides });
}

export const DOC_HASH = 'a'.repeat(64);

export const INVOICE_FIELDS = {
    documentNumber: 'INV-7', documentDate: '2026-02-25',
    seller: { name: 'Chengdu Panda Textiles Co', country: 'CN' }, buyer: { name: 'Hamburg Wear GmbH', country: 'DE' },
    goodsDescription: 'Cotton T-shirts and wool sweaters', hsCodes: ['610910', '6110110000'], quantity: 2500, packages: 120,
    grossWeightKg: '1500.5', netWeightKg: '1380', portOfLoading: 'CNSHA', portOfDischarge: 'DEHAM', shipmentDate: '2026-03-01',
    totalAmount: '19000.00', currency: 'USD',
};

export const PACKING_LIST_FIELDS = {
    documentNumber: 'PL-7', documentDate: '2026-02-26',
    seller: { name: 'Chengdu Panda Textiles Co', country: 'CN' }, consignee: { name: 'Hamburg Wear GmbH', country: 'DE' },
    goodsDescription: 'T-shirts and sweaters', hsCodes: ['610910', '611011'], quantity: 2500, packages: 120,
    grossWeightKg: '1500.50', netWeightKg: '1380.0', portOfLoading: 'CNSHA', portOfDischarge: 'DEHAM', shipmentDate: '2026-03-01',
};
