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

    it('the example from the domain: invoice 100 cartons, B/L 120 cartons, is a packages conflict', () => {
        const input = baseline();
        input.commercialInvoice!.fields.packages = 100;
        const report = examine(input);
        const packages = report.discrepancies.filter((d) => d.field === 'packages');
        assert.deepEqual(packages.map((d) => [d.documents, d.values]), [
            [['commercialInvoice', 'packingList'], ['100', '120']],
            [['commercialInvoice', 'billOfLading'], ['100', '120']],
            [['commercialInvoice', 'certificateOfOrigin'], ['100', '120']],
            [['commercialInvoice', 'customsDeclaration'], ['100', '120']],
        ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))));
        assert.equal(report.compliant, false);
    });

    const conflicts: [string, (i: ExaminationInput) => void, string][] = [
        ['seller differs (B/L shipper)', (i) => { i.billOfLading!.shipper.name = 'Other Exporter Ltd'; }, 'DATA_CONFLICT:seller:commercialInvoice>billOfLading'],
        ['buyer differs (CoO consignee)', (i) => { i.certificateDetails!.consignee.name = 'Rotterdam Wear BV'; }, 'DATA_CONFLICT:buyer:commercialInvoice>certificateOfOrigin'],
        ['goods description shares no word', (i) => { i.packingList!.fields.goodsDescription = 'Steel bolts'; }, 'DATA_CONFLICT:description:commercialInvoice>packingList'],
        ['an HS code the invoice does not name', (i) => { i.billOfLading!.consignmentItems[0]!.hsCodes = ['620520']; }, 'DATA_CONFLICT:hs6:commercialInvoice>billOfLading'],
        ['declaration packages differ', (i) => { i.declaration!.summary.totalPackages = 119; }, 'DATA_CONFLICT:packages:commercialInvoice>customsDeclaration'],
        ['quantity differs (CoO)', (i) => { i.certificateDetails!.items[0]!.quantity = 2400; }, 'DATA_CONFLICT:quantity:commercialInvoice>certificateOfOrigin'],
        ['gross weight differs (B/L)', (i) => { i.billOfLading!.consignmentItems[1]!.grossWeightKg = '310'; }, 'DATA_CONFLICT:grossWeightKg:commercialInvoice>billOfLading'],
        ['net weight differs (packing list)', (i) => { i.packingList!.fields.netWeightKg = '1300'; }, 'DATA_CONFLICT:netWeightKg:commercialInvoice>packingList'],
        ['port of loading differs', (i) => { i.billOfLading!.portOfLoading = 'CNNGB'; }, 'DATA_CONFLICT:portOfLoading:commercialInvoice>billOfLading'],
        ['port of discharge differs', (i) => { i.certificateDetails!.portOfDischarge = 'NLRTM'; }, 'DATA_CONFLICT:portOfDischarge:commercialInvoice>certificateOfOrigin'],
        ['shipment date differs from the on-board date', (i) => { i.packingList!.fields.shipmentDate = '2026-03-02'; }, 'DATA_CONFLICT:shipmentDate:commercialInvoice>packingList'],
        ['packing list currency differs', (i) => { i.packingList!.fields.currency = 'EUR'; }, 'DATA_CONFLICT:currency:commercialInvoice>packingList'],
        ['financing currency differs from the invoice', (i) => { i.terms.currency = 'EUR'; }, 'DATA_CONFLICT:currency:commercialInvoice>financingTerms'],
        ['invoice total differs from the shipment total', (i) => { i.commercialTotal = '18000'; }, 'DATA_CONFLICT:totalAmount:commercialInvoice'],
        ['CoO cites the invoice with another date', (i) => { i.certificateDetails!.items[0]!.invoiceDate = '2026-02-26'; }, 'DATA_CONFLICT:invoiceDate:commercialInvoice>certificateOfOrigin'],
        ['amount above the invoice total', (i) => { i.terms.amount = '19000.01'; }, 'AMOUNT_EXCEEDS_INVOICE:amount:financingTerms>commercialInvoice'],
        ['invoice without a total', (i) => { delete i.commercialInvoice!.fields.totalAmount; }, 'DATA_MISSING:totalAmount:commercialInvoice'],
        ['presented 22 days after shipment (21-day rule)', (i) => { i.presentationDate = '2026-03-23'; i.examinedOn = '2026-03-23'; }, 'LATE_PRESENTATION:shippedOnBoardDate:billOfLading'],
        ['presented after expiry', (i) => { i.terms.expiryDate = '2026-03-09'; }, 'CREDIT_EXPIRED:expiryDate:financingTerms'],
        ['on-board date after presentation', (i) => { i.billOfLading!.shippedOnBoardDate = '2026-03-11'; i.commercialInvoice!.fields.shipmentDate = '2026-03-11'; i.packingList!.fields.shipmentDate = '2026-03-11'; }, 'DATE_AFTER_PRESENTATION:shippedOnBoardDate:billOfLading'],
        ['invoice dated after presentation', (i) => { i.commercialInvoice!.fields.documentDate = '2026-03-11'; i.certificateDetails!.items[0]!.invoiceDate = '2026-03-11'; }, 'DATE_AFTER_PRESENTATION:documentDate:commercialInvoice'],
        ['no invoice', (i) => { delete i.commercialInvoice; }, 'DOCUMENT_MISSING:commercialInvoice:commercialInvoice'],
        ['no packing list', (i) => { delete i.packingList; }, 'DOCUMENT_MISSING:packingList:packingList'],
        ['no bill of lading', (i) => { delete i.billOfLading; }, 'DOCUMENT_MISSING:billOfLading:billOfLading'],
        ['a revoked invoice', (i) => { i.commercialInvoice!.status = 'REVOKED'; }, 'DOCUMENT_REVOKED:commercialInvoice:commercialInvoice'],
        ['a B/L no longer in force', (i) => { i.billOfLading!.transportDocumentStatus = 'VOID'; }, 'TRANSPORT_DOCUMENT_STATUS:transportDocumentStatus:billOfLading'],
        ['a claused (unclean) B/L', (i) => { i.billOfLading!.clauses = ['3 cartons wet']; }, 'UNCLEAN_TRANSPORT_DOCUMENT:clauses:billOfLading'],
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

    it('names compare without case, punctuation or spacing noise', () => {
        const input = baseline();
        input.billOfLading!.shipper.name = 'CHENGDU  PANDA TEXTILES CO.';
        assert.deepEqual(rules(input), []);
    });

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
