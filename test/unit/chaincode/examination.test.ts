import './quiet-logs';
import assert from 'node:assert/strict';
import type { BillOfLading } from '../../../chaincode/src/bill-of-lading-contract';
import type { Certificate, CertificateDetails } from '../../../chaincode/src/certificate-contract';
import type { Declaration } from '../../../chaincode/src/declaration-contract';
import { ExaminationInput, examine } from '../../../chaincode/src/examination';
import { BILL_OF_LADING, CERTIFICATE_DETAILS, INVOICE_FIELDS, PACKING_LIST_FIELDS } from './fixtures';

const stampOf = { mspId: 'X', role: 'r', id: 'i', at: '2026-03-01T00:00:00.000Z', txId: 't' };

function baseline(): ExaminationInput {
    const bl = {
        ...BILL_OF_LADING, transportDocumentReference: 'BL-1', shipmentId: 'S', version: 1, transportDocumentStatus: 'ISSUED',
        issueDate: '2026-03-01', carrierMspId: 'CarrierMSP', holderMspId: 'BankMSP', transferLogLength: 2, transferLogHead: 'h',
        issuedBy: stampOf, updatedBy: stampOf, clauses: [],
    } as unknown as BillOfLading;
    const declaration = {
        declarationId: 'D', shipmentId: 'S', declarationType: 'EX', lrn: 'L', version: 1, status: 'RELEASED',
        summary: { hsCodes: ['610910', '611011'], totalPackages: 120, totalGrossMassKg: '1500.5' }, detailsHash: 'h', lodgedBy: stampOf, updatedBy: stampOf,
    } as Declaration;
    const certificate = { applicationId: 'C', shipmentId: 'S', status: 'ISSUED' } as Certificate;
    return {
        presentationDate: '2026-03-10',
        examinedOn: '2026-03-12',
        terms: { amount: '15000.00', currency: 'USD', expiryDate: '2026-04-30' },
        commercialTotal: '19000.00',
        commercialInvoice: { documentId: 'INV', version: 1, status: 'CURRENT', fields: structuredClone(INVOICE_FIELDS) },
        packingList: { documentId: 'PL', version: 1, status: 'CURRENT', fields: structuredClone(PACKING_LIST_FIELDS) },
        billOfLading: structuredClone(bl),
        declaration,
        certificate,
        certificateDetails: { applicationId: 'C', ...structuredClone(CERTIFICATE_DETAILS) } as CertificateDetails,
        requiresCertificateOfOrigin: true,
    };
}

/** The B/L made out to a named consignee, the one the packing list and the CoO name. */
function toNamedConsignee(input: ExaminationInput): void {
    input.billOfLading = { ...input.billOfLading!, isToOrder: false, consignee: { name: 'Hamburg Wear GmbH', country: 'DE' } } as BillOfLading;
}

function rules(input: ExaminationInput): string[] {
    return examine(input).discrepancies.map((d) => `${d.rule}:${d.field}:${d.documents.join('>')}`);
}

describe('examination (UCP 600 / ISBP 745 pre-examination)', () => {
    it('a consistent presentation is compliant, with the deadline and latest presentation date stated', () => {
        const report = examine(baseline());
        assert.deepEqual(report.discrepancies, []);
        assert.equal(report.compliant, true);
        assert.equal(report.examinationDeadline, '2026-03-17');
        assert.equal(report.latestPresentationDate, '2026-03-22');
        assert.equal(report.deadlineMet, true);
    });

    it('the example from the domain: invoice 100 cartons where every other document says 120 is one packages discrepancy naming all five (ISBP 745 section A, UCP 600 art. 14(d))', () => {
        const input = baseline();
        input.commercialInvoice!.fields.packages = 100;
        const report = examine(input);
        const packages = report.discrepancies.filter((d) => d.field === 'packages');
        assert.deepEqual(packages.map((d) => [d.documents, d.values]), [
            [['commercialInvoice', 'packingList', 'billOfLading', 'certificateOfOrigin', 'customsDeclaration'], ['100', '120', '120', '120', '120']],
        ]);
        assert.equal(report.compliant, false);
    });

    it('invoice and packing list agreeing against the B/L: the discrepancy names all three with their values (art. 16(c)(ii))', () => {
        const input = baseline();
        input.billOfLading!.consignmentItems[0]!.numberOfPackages += 20;
        const packages = examine(input).discrepancies.filter((d) => d.field === 'packages');
        assert.equal(packages.length, 1);
        const named = Object.fromEntries(packages[0]!.documents.map((doc, i) => [doc, packages[0]!.values[i]]));
        assert.deepEqual(named, { commercialInvoice: '120', packingList: '120', certificateOfOrigin: '120', customsDeclaration: '120', billOfLading: '140' });
        assert.match(packages[0]!.message, /billOfLading conflicts with commercialInvoice, packingList/);
    });

    const conflicts: [string, (i: ExaminationInput) => void, string][] = [
        ['seller differs (packing list)', (i) => { i.packingList!.fields.seller = { name: 'Other Exporter Ltd', country: 'CN' }; }, 'DATA_CONFLICT:seller:commercialInvoice>packingList'],
        ['CoO consignee differs from the B/L consignee (ISBP 745 section L)', (i) => { toNamedConsignee(i); i.certificateDetails!.consignee.name = 'Rotterdam Wear BV'; }, 'DATA_CONFLICT:consignee:billOfLading>packingList>certificateOfOrigin'],
        ['goods description shares no word', (i) => { i.packingList!.fields.goodsDescription = 'Steel bolts'; }, 'DATA_CONFLICT:description:commercialInvoice>billOfLading>certificateOfOrigin>packingList'],
        ['an HS code the invoice does not name', (i) => { i.billOfLading!.consignmentItems[0]!.hsCodes = ['620520']; }, 'DATA_CONFLICT:hs6:commercialInvoice>packingList>certificateOfOrigin>customsDeclaration>billOfLading'],
        ['declaration packages differ', (i) => { i.declaration!.summary.totalPackages = 119; }, 'DATA_CONFLICT:packages:commercialInvoice>packingList>billOfLading>certificateOfOrigin>customsDeclaration'],
        ['quantity differs (CoO)', (i) => { i.certificateDetails!.items[0]!.quantity = 2400; }, 'DATA_CONFLICT:quantity:commercialInvoice>packingList>certificateOfOrigin'],
        ['gross weight differs (B/L)', (i) => { i.billOfLading!.consignmentItems[1]!.grossWeightKg = '310'; }, 'DATA_CONFLICT:grossWeightKg:commercialInvoice>packingList>certificateOfOrigin>customsDeclaration>billOfLading'],
        ['net weight differs (packing list)', (i) => { i.packingList!.fields.netWeightKg = '1300'; }, 'DATA_CONFLICT:netWeightKg:commercialInvoice>packingList'],
        ['port of loading differs', (i) => { i.billOfLading!.portOfLoading = 'CNNGB'; }, 'DATA_CONFLICT:portOfLoading:commercialInvoice>packingList>certificateOfOrigin>billOfLading'],
        ['port of discharge differs', (i) => { i.certificateDetails!.portOfDischarge = 'NLRTM'; }, 'DATA_CONFLICT:portOfDischarge:commercialInvoice>packingList>billOfLading>certificateOfOrigin'],
        ['shipment date differs from the on-board date', (i) => { i.packingList!.fields.shipmentDate = '2026-03-02'; }, 'DATA_CONFLICT:shipmentDate:commercialInvoice>billOfLading>packingList'],
        ['packing list currency differs', (i) => { i.packingList!.fields.currency = 'EUR'; }, 'DATA_CONFLICT:currency:commercialInvoice>packingList'],
        ['financing currency differs from the invoice', (i) => { i.terms.currency = 'EUR'; }, 'DATA_CONFLICT:currency:commercialInvoice>financingTerms'],
        ['invoice total differs from the shipment total', (i) => { i.commercialTotal = '18000'; }, 'DATA_CONFLICT:totalAmount:commercialInvoice'],
        ['CoO cites the invoice with another date', (i) => { i.certificateDetails!.items[0]!.invoiceDate = '2026-02-26'; }, 'DATA_CONFLICT:invoiceDate:commercialInvoice>certificateOfOrigin'],
        ['amount above the invoice total', (i) => { i.terms.amount = '19000.01'; }, 'AMOUNT_EXCEEDS_INVOICE:amount:financingTerms>commercialInvoice'],
        ['invoice without a total', (i) => { delete i.commercialInvoice!.fields.totalAmount; }, 'DATA_MISSING:totalAmount:commercialInvoice'],
        ['presented 22 days after shipment (21-day rule)', (i) => { i.presentationDate = '2026-03-23'; i.examinedOn = '2026-03-23'; }, 'LATE_PRESENTATION:shippedOnBoardDate:billOfLading'],
        ['a received-for-shipment B/L without an on-board date (art. 20(a)(ii))', (i) => { delete i.billOfLading!.shippedOnBoardDate; i.billOfLading!.receivedForShipmentDate = '2026-02-28'; }, 'NO_ON_BOARD_NOTATION:shippedOnBoardDate:billOfLading'],
        ['presented after expiry', (i) => { i.terms.expiryDate = '2026-03-09'; }, 'CREDIT_EXPIRED:expiryDate:financingTerms'],
        ['on-board date after presentation', (i) => { i.billOfLading!.shippedOnBoardDate = '2026-03-11'; i.commercialInvoice!.fields.shipmentDate = '2026-03-11'; i.packingList!.fields.shipmentDate = '2026-03-11'; }, 'DATE_AFTER_PRESENTATION:shippedOnBoardDate:billOfLading'],
        ['invoice dated after presentation', (i) => { i.commercialInvoice!.fields.documentDate = '2026-03-11'; i.certificateDetails!.items[0]!.invoiceDate = '2026-03-11'; }, 'DATE_AFTER_PRESENTATION:documentDate:commercialInvoice'],
        ['no invoice', (i) => { delete i.commercialInvoice; }, 'DOCUMENT_MISSING:commercialInvoice:commercialInvoice'],
        ['no packing list', (i) => { delete i.packingList; }, 'DOCUMENT_MISSING:packingList:packingList'],
        ['no bill of lading', (i) => { delete i.billOfLading; }, 'DOCUMENT_MISSING:billOfLading:billOfLading'],
        ['a revoked invoice', (i) => { i.commercialInvoice!.status = 'REVOKED'; }, 'DOCUMENT_REVOKED:commercialInvoice:commercialInvoice'],
        ['a B/L no longer in force', (i) => { i.billOfLading!.transportDocumentStatus = 'VOID'; }, 'TRANSPORT_DOCUMENT_STATUS:transportDocumentStatus:billOfLading'],
        ['a claused (unclean) B/L (art. 27)', (i) => { i.billOfLading!.clauses = ['3 cartons wet']; }, 'UNCLEAN_TRANSPORT_DOCUMENT:clauses:billOfLading'],
        ['a required CoO not issued', (i) => { i.certificate = { ...i.certificate!, status: 'REVOKED' }; }, 'CERTIFICATE_NOT_ISSUED:certificateOfOrigin:certificateOfOrigin'],
        ['a rejected declaration', (i) => { i.declaration = { ...i.declaration!, status: 'REJECTED' }; }, 'DECLARATION_STATUS:declaration:customsDeclaration'],
    ];
    for (const [what, change, expected] of conflicts) {
        it(`${what} → ${expected.split(':').slice(0, 2).join(' on ')}`, () => {
            const input = baseline();
            change(input);
            const found = rules(input);
            assert.ok(found.includes(expected), `expected ${expected}, got ${found.join(', ')}`);
            // Each change triggers its own rule; conflicts against several documents name each pair.
            assert.ok(found.every((f) => f.split(':')[0] === expected.split(':')[0] || f.startsWith('DATA_CONFLICT') || f.startsWith('DOCUMENT_MISSING') || f.startsWith('DATE_AFTER') || f.startsWith('LATE')), found.join(', '));
        });
    }

    it('general terms are allowed: a shorter description sharing a word does not conflict', () => {
        const input = baseline();
        input.packingList!.fields.goodsDescription = 'T-shirts';
        assert.deepEqual(rules(input), []);
    });

    it('names compare without case, punctuation, spacing or legal-form noise (ISBP 745 section A)', () => {
        const input = baseline();
        input.packingList!.fields.seller = { name: 'CHENGDU  PANDA TEXTILES COMPANY LIMITED', country: 'CN' };
        assert.deepEqual(rules(input), []);
    });

    it('a shipper other than the beneficiary is not a discrepancy (UCP 600 art. 14(k))', () => {
        const input = baseline();
        input.billOfLading!.shipper.name = 'Sichuan Freight Forwarding Co Ltd';
        input.certificateDetails!.exporter.name = 'Sichuan Freight Forwarding Co Ltd';
        assert.deepEqual(rules(input), []);
    });

    it('a "to order" B/L names no consignee: the CoO consignee is then not compared (ISBP 745 section L)', () => {
        const input = baseline();
        input.certificateDetails!.consignee.name = 'Rotterdam Wear BV';
        assert.deepEqual(rules(input), []);
    });

    it('Unicode names: two different Chinese companies conflict, the same one with and without 有限公司 does not', () => {
        const input = baseline();
        input.commercialInvoice!.fields.seller = { name: '成都熊猫纺织有限公司', country: 'CN' };
        input.packingList!.fields.seller = { name: '成都熊猫纺织', country: 'CN' };
        assert.deepEqual(rules(input), []);
        input.packingList!.fields.seller = { name: '重庆长江电子有限公司', country: 'CN' };
        assert.deepEqual(rules(input), ['DATA_CONFLICT:seller:commercialInvoice>packingList']);
    });

    it('Unicode names: accents, full-width forms and ß fold (Müller = Muller, Ｓｔｒａßｅ = Strasse)', () => {
        const input = baseline();
        input.commercialInvoice!.fields.buyer = { name: 'Müller Straße Handels GmbH', country: 'DE' };
        input.packingList!.fields.buyer = { name: 'MULLER STRASSE HANDELS', country: 'DE' };
        assert.deepEqual(rules(input), []);
        input.packingList!.fields.buyer = { name: 'Ｍüｌｌｅｒ Ｓｔｒａßｅ Handels', country: 'DE' };
        assert.deepEqual(rules(input), []);
    });

    it('Chinese goods descriptions: identical ones agree, a general term sharing characters agrees, unrelated goods conflict (art. 14(e))', () => {
        const input = baseline();
        input.commercialInvoice!.fields.goodsDescription = '电源转换器 DC-DC 24V';
        input.packingList!.fields.goodsDescription = '电源转换器 DC-DC 24V';
        input.billOfLading!.consignmentItems.forEach((item) => { item.descriptionOfGoods = '电源转换器'; });
        input.certificateDetails!.items.forEach((item) => { item.description = '电源转换器及开关'; });
        assert.deepEqual(rules(input), []);
        input.packingList!.fields.goodsDescription = '棉质针织衫';
        assert.deepEqual(rules(input), ['DATA_CONFLICT:description:commercialInvoice>billOfLading>certificateOfOrigin>packingList']);
    });

    it('bilingual descriptions agree with either language (ISBP 745 section A)', () => {
        const input = baseline();
        input.packingList!.fields.goodsDescription = `棉质T恤 / ${input.commercialInvoice!.fields.goodsDescription ?? ''}`;
        assert.deepEqual(rules(input), []);
    });

    for (const clause of ['SHIPPED ON BOARD 2026-03-01', 'FREIGHT PREPAID', 'SAID TO CONTAIN 120 CARTONS', "SHIPPER'S LOAD AND COUNT", 'packaging may not be sufficient for the sea journey']) {
        it(`the clause "${clause}" does not make the B/L unclean (UCP 600 art. 27, ISBP 745 section E)`, () => {
            const input = baseline();
            input.billOfLading!.clauses = [clause];
            assert.deepEqual(rules(input), []);
        });
    }

    for (const clause of ['2 cartons torn', 'packaging insufficient for the sea journey', '外包装破损']) {
        it(`the clause "${clause}" declares a defect: the B/L is unclean and only that clause is cited (UCP 600 art. 27)`, () => {
            const input = baseline();
            input.billOfLading!.clauses = ['FREIGHT PREPAID', clause];
            const report = examine(input);
            assert.deepEqual(report.discrepancies.map((d) => [d.rule, d.values]), [['UNCLEAN_TRANSPORT_DOCUMENT', [clause]]]);
        });
    }

    it('a document covering part of the goods (subset of HS codes) does not conflict', () => {
        const input = baseline();
        input.certificateDetails!.items[0]!.hsCode = '610910';
        input.packingList!.fields.hsCodes = ['610910'];
        assert.deepEqual(rules(input), []);
    });

    it('presentation on the 21st day is in time, on the 22nd it is late', () => {
        const input = baseline();
        input.presentationDate = '2026-03-22';
        input.examinedOn = '2026-03-22';
        assert.deepEqual(rules(input), []);
    });

    it('examination after the 5th banking day is reported as deadline not met', () => {
        const input = baseline();
        input.examinedOn = '2026-03-18';
        assert.equal(examine(input).deadlineMet, false);
        input.examinedOn = '2026-03-17';
        assert.equal(examine(input).deadlineMet, true);
    });

    it('lists every discrepancy at once, in a fixed order, identical on every run', () => {
        const input = baseline();
        input.commercialInvoice!.fields.packages = 100;
        input.billOfLading!.portOfLoading = 'CNNGB';
        input.terms.amount = '20000';
        input.presentationDate = '2026-03-25';
        const a = examine(input);
        const b = examine(structuredClone(input));
        assert.deepEqual(a, b);
        const kinds = new Set(a.discrepancies.map((d) => d.rule));
        assert.deepEqual([...kinds].sort(), ['AMOUNT_EXCEEDS_INVOICE', 'DATA_CONFLICT', 'LATE_PRESENTATION']);
        const sorted = [...a.discrepancies].map((d) => d.rule).join();
        assert.equal(sorted, [...a.discrepancies].map((d) => d.rule).sort().join());
    });

    it('a CoO is not required when the request says so', () => {
        const input = baseline();
        input.requiresCertificateOfOrigin = false;
        delete input.certificate;
        delete input.certificateDetails;
        assert.deepEqual(rules(input), []);
    });
});
