/**
 * The bank's pre-examination (UCP 600 art. 14, ISBP 745), as a pure function: the same documents always give the
 * same report, in the same order. Data in one document must not conflict with another (art. 14(d)); the report
 * lists every discrepancy at once (art. 16) and the human approver decides.
 */
import { addBankingDays, addCalendarDays } from './banking-days';
import type { BillOfLading } from './bill-of-lading-contract';
import type { Certificate, CertificateDetails } from './certificate-contract';
import { compareDecimals, sumDecimals } from './decimal';
import type { Declaration } from './declaration-contract';
import type { DocumentFields, VersionStatus } from './documents';
import { isUncleanClause, normaliseName, significantTokens } from './matching';

/** Transport documents must be presented within 21 days after shipment (art. 14(c)). */
export const PRESENTATION_PERIOD_DAYS = 21;
/** The bank has 5 banking days after presentation to examine (art. 14(b)). */
export const EXAMINATION_BANKING_DAYS = 5;

export type Source = 'commercialInvoice' | 'packingList' | 'billOfLading' | 'certificateOfOrigin' | 'customsDeclaration' | 'insuranceCertificate' | 'financingTerms';

export interface Discrepancy { rule: string; field: string; documents: Source[]; values: string[]; message: string }

/** A registered document as presented: its current version's status and structured fields. */
export interface PresentedDocument { documentId: string; version: number; status: VersionStatus; fields: DocumentFields }

export interface ExaminationInput {
    presentationDate: string;
    examinedOn: string;
    terms: { amount: string; currency: string; expiryDate: string };
    commercialTotal?: string;
    commercialInvoice?: PresentedDocument;
    packingList?: PresentedDocument;
    insuranceCertificate?: PresentedDocument;
    billOfLading?: BillOfLading;
    declaration?: Declaration;
    certificate?: Certificate;
    certificateDetails?: CertificateDetails;
    requiresCertificateOfOrigin: boolean;
}

export interface ExaminationReport {
    presentationDate: string; examinationDeadline: string; examinedOn: string; deadlineMet: boolean;
    latestPresentationDate?: string; compliant: boolean; discrepancies: Discrepancy[];
}

/** What one document states, reduced to comparable facts. */
interface Facts {
    seller?: string; buyer?: string; consignee?: string; description?: string; hs6?: string[]; packages?: number; quantity?: number;
    grossWeightKg?: string; netWeightKg?: string; portOfLoading?: string; portOfDischarge?: string;
    shipmentDate?: string; currency?: string;
}

/**
 * Which document's statement the others are compared with, per field (the first that states it). The shipper and the
 * certificate's exporter are not compared with the seller: they may be a party other than the beneficiary (art.
 * 14(k)). A consignee is compared only with the transport document's (ISBP 745 section L); a "to order" B/L names none.
 */
const ORDER: Source[] = ['commercialInvoice', 'packingList', 'billOfLading', 'certificateOfOrigin', 'customsDeclaration', 'insuranceCertificate'];
const REFERENCES: Partial<Record<Comparable, Source[]>> = { consignee: ['billOfLading'] };

function defined<T extends object>(o: T): T {
    return Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined)) as T;
}

function fromFields(f: DocumentFields): Facts {
    return defined({
        seller: f.seller?.name, buyer: f.buyer?.name, consignee: f.consignee?.name, description: f.goodsDescription,
        hs6: f.hsCodes?.map((h) => h.slice(0, 6)), packages: f.packages, quantity: f.quantity,
        grossWeightKg: f.grossWeightKg, netWeightKg: f.netWeightKg, portOfLoading: f.portOfLoading,
        portOfDischarge: f.portOfDischarge, shipmentDate: f.shipmentDate, currency: f.currency,
    });
}

function fromBillOfLading(bl: BillOfLading): Facts {
    return defined({
        consignee: bl.isToOrder ? undefined : bl.consignee?.name,
        description: bl.consignmentItems.map((i) => i.descriptionOfGoods).join(' '),
        hs6: bl.consignmentItems.flatMap((i) => i.hsCodes.map((h) => h.slice(0, 6))),
        packages: bl.consignmentItems.reduce((n, i) => n + i.numberOfPackages, 0),
        grossWeightKg: sumDecimals(bl.consignmentItems.map((i) => i.grossWeightKg)),
        portOfLoading: bl.portOfLoading, portOfDischarge: bl.portOfDischarge, shipmentDate: bl.shippedOnBoardDate,
    });
}

function fromCertificate(d: CertificateDetails): Facts {
    return {
        consignee: d.consignee.name, description: d.items.map((i) => i.description).join(' '),
        hs6: d.items.map((i) => i.hsCode), packages: d.items.reduce((n, i) => n + i.packages, 0),
        quantity: d.items.reduce((n, i) => n + i.quantity, 0), grossWeightKg: sumDecimals(d.items.map((i) => i.grossWeightKg)),
        portOfLoading: d.portOfLoading, portOfDischarge: d.portOfDischarge,
    };
}

function fromDeclaration(d: Declaration): Facts {
    return { hs6: d.summary.hsCodes, packages: d.summary.totalPackages, grossWeightKg: d.summary.totalGrossMassKg };
}

function fromInsurance(f: DocumentFields): Facts {
    // An insurance document covers more than the invoice value (CIF + 10 %); only its route and goods are compared.
    const all = fromFields(f);
    return defined({ description: all.description, portOfLoading: all.portOfLoading, portOfDischarge: all.portOfDischarge, currency: all.currency });
}

type Comparable = keyof Facts;

/** Whether `other` conflicts with the reference value `ref` for one field. */
function conflicts(field: Comparable, ref: unknown, other: unknown): boolean {
    switch (field) {
        case 'seller':
        case 'buyer':
        case 'consignee':
            return normaliseName(String(ref)) !== normaliseName(String(other));
        case 'description': {
            // General terms are allowed (art. 14(e), ISBP 745 C4): a description conflicts only if it shares no
            // significant word.
            const a = significantTokens(String(ref));
            return ![...significantTokens(String(other))].some((w) => a.has(w));
        }
        case 'hs6': {
            // A document may cover part of the goods, but must not name goods the reference does not.
            const a = new Set(ref as string[]);
            return (other as string[]).some((h) => !a.has(h));
        }
        case 'grossWeightKg':
        case 'netWeightKg':
            return compareDecimals(String(ref), String(other)) !== 0;
        default:
            return ref !== other;
    }
}

function show(value: unknown): string {
    return Array.isArray(value) ? [...value].sort().join(',') : String(value);
}

/** Runs every rule and returns the report; `deadlineMet` compares the examination day with the 5-banking-day limit. */
export function examine(input: ExaminationInput): ExaminationReport {
    const found: Discrepancy[] = [];
    const add = (rule: string, field: string, documents: Source[], values: string[], message: string) => {
        found.push({ rule, field, documents, values, message });
    };

    // Presence and standing of each required document.
    const required: [Source, { status: VersionStatus } | undefined][] = [['commercialInvoice', input.commercialInvoice], ['packingList', input.packingList]];
    for (const [source, doc] of required) {
        if (!doc) {
            add('DOCUMENT_MISSING', source, [source], [], `${source} was not presented`);
        } else if (doc.status === 'REVOKED') {
            add('DOCUMENT_REVOKED', source, [source], [], `the current version of ${source} is revoked`);
        }
    }
    const bl = input.billOfLading;
    if (!bl) {
        add('DOCUMENT_MISSING', 'billOfLading', ['billOfLading'], [], 'no bill of lading was presented');
    } else {
        if (bl.transportDocumentStatus !== 'ISSUED') {
            add('TRANSPORT_DOCUMENT_STATUS', 'transportDocumentStatus', ['billOfLading'], [bl.transportDocumentStatus], 'the bill of lading is not in force (must be ISSUED)');
        }
        const unclean = bl.clauses.filter(isUncleanClause);
        if (unclean.length > 0) {
            add('UNCLEAN_TRANSPORT_DOCUMENT', 'clauses', ['billOfLading'], unclean, 'the bill of lading bears a clause declaring a defective condition of the goods or their packaging (UCP 600 art. 27)');
        }
    }
    if (input.requiresCertificateOfOrigin && (!input.certificate || input.certificate.status !== 'ISSUED')) {
        add('CERTIFICATE_NOT_ISSUED', 'certificateOfOrigin', ['certificateOfOrigin'], [input.certificate?.status ?? 'MISSING'], 'a certificate of origin is required and is not ISSUED');
    }
    if (input.declaration && ['REJECTED', 'CANCELLED'].includes(input.declaration.status)) {
        add('DECLARATION_STATUS', 'declaration', ['customsDeclaration'], [input.declaration.status], 'the export declaration is not valid');
    }

    // Data in one document must not conflict with another (art. 14(d)).
    const facts: Partial<Record<Source, Facts>> = defined({
        commercialInvoice: input.commercialInvoice && fromFields(input.commercialInvoice.fields),
        packingList: input.packingList && fromFields(input.packingList.fields),
        billOfLading: bl && fromBillOfLading(bl),
        certificateOfOrigin: input.certificateDetails && fromCertificate(input.certificateDetails),
        customsDeclaration: input.declaration && fromDeclaration(input.declaration),
        insuranceCertificate: input.insuranceCertificate && fromInsurance(input.insuranceCertificate.fields),
    });
    const fields: Comparable[] = ['seller', 'buyer', 'consignee', 'description', 'hs6', 'packages', 'quantity', 'grossWeightKg', 'netWeightKg', 'portOfLoading', 'portOfDischarge', 'shipmentDate', 'currency'];
    for (const field of fields) {
        const stating = ORDER.filter((s) => facts[s]?.[field] !== undefined);
        const ref = (REFERENCES[field] ?? ORDER).find((s) => stating.includes(s));
        if (ref === undefined) {
            continue;
        }
        const refValue = facts[ref]?.[field];
        const others = stating.filter((s) => s !== ref);
        const conflicting = others.filter((s) => conflicts(field, refValue, facts[s]?.[field]));
        if (conflicting.length > 0) {
            // One discrepancy per field naming every document that states it, each with its value, so a packing
            // list that agrees with the invoice against the B/L is named too.
            const named = [ref, ...others.filter((s) => !conflicting.includes(s)), ...conflicting];
            add('DATA_CONFLICT', field, named, named.map((s) => show(facts[s]?.[field])),
                `${field} in ${conflicting.join(', ')} conflicts with ${[ref, ...others.filter((s) => !conflicting.includes(s))].join(', ')}`);
        }
    }

    // Amounts and currency.
    const invoice = input.commercialInvoice?.fields;
    if (invoice?.currency !== undefined && invoice.currency !== input.terms.currency) {
        add('DATA_CONFLICT', 'currency', ['commercialInvoice', 'financingTerms'], [invoice.currency, input.terms.currency], 'the financing currency differs from the invoice currency');
    }
    if (invoice?.totalAmount !== undefined) {
        if (compareDecimals(input.terms.amount, invoice.totalAmount) > 0) {
            add('AMOUNT_EXCEEDS_INVOICE', 'amount', ['financingTerms', 'commercialInvoice'], [input.terms.amount, invoice.totalAmount], 'the amount requested exceeds the invoice total');
        }
        if (input.commercialTotal !== undefined && compareDecimals(input.commercialTotal, invoice.totalAmount) !== 0) {
            add('DATA_CONFLICT', 'totalAmount', ['commercialInvoice'], [invoice.totalAmount, input.commercialTotal], 'the invoice total differs from the shipment\'s commercial total');
        }
    } else if (input.commercialInvoice) {
        add('DATA_MISSING', 'totalAmount', ['commercialInvoice'], [], 'the invoice states no total amount');
    }

    // Dates: 21-day presentation period, expiry, and no document dated after presentation.
    let latestPresentationDate: string | undefined;
    if (bl && bl.shippedOnBoardDate === undefined) {
        add('NO_ON_BOARD_NOTATION', 'shippedOnBoardDate', ['billOfLading'], [bl.receivedForShipmentDate ?? ''],
            'a received-for-shipment B/L without an on-board notation and date (UCP 600 art. 20(a)(ii))');
    } else if (bl?.shippedOnBoardDate !== undefined) {
        latestPresentationDate = addCalendarDays(bl.shippedOnBoardDate, PRESENTATION_PERIOD_DAYS);
        if (input.presentationDate > latestPresentationDate) {
            add('LATE_PRESENTATION', 'shippedOnBoardDate', ['billOfLading'], [bl.shippedOnBoardDate, input.presentationDate],
                `presented more than ${PRESENTATION_PERIOD_DAYS} days after shipment (latest ${latestPresentationDate})`);
        }
        if (bl.shippedOnBoardDate > input.presentationDate) {
            add('DATE_AFTER_PRESENTATION', 'shippedOnBoardDate', ['billOfLading'], [bl.shippedOnBoardDate], 'the on-board date is after presentation');
        }
    }
    if (input.presentationDate > input.terms.expiryDate) {
        add('CREDIT_EXPIRED', 'expiryDate', ['financingTerms'], [input.terms.expiryDate, input.presentationDate], 'presented after the expiry date');
    }
    for (const [source, doc] of [['commercialInvoice', input.commercialInvoice], ['packingList', input.packingList], ['insuranceCertificate', input.insuranceCertificate]] as [Source, PresentedDocument | undefined][]) {
        const date = doc?.fields.documentDate;
        if (date !== undefined && date > input.presentationDate) {
            add('DATE_AFTER_PRESENTATION', 'documentDate', [source], [date], `${source} is dated after presentation`);
        }
    }
    if (invoice?.documentDate !== undefined && input.certificateDetails) {
        for (const item of input.certificateDetails.items) {
            if (invoice.documentNumber !== undefined && item.invoiceNumber === invoice.documentNumber && item.invoiceDate !== invoice.documentDate) {
                add('DATA_CONFLICT', 'invoiceDate', ['commercialInvoice', 'certificateOfOrigin'], [invoice.documentDate, item.invoiceDate], 'the certificate of origin cites the invoice with another date');
            }
        }
    }

    const examinationDeadline = addBankingDays(input.presentationDate, EXAMINATION_BANKING_DAYS);
    // Code-unit order, not localeCompare: the order must not depend on the peer's locale.
    const sortKey = (d: Discrepancy) => [d.rule, d.field, d.documents.join(','), d.values.join(',')].join('|');
    const discrepancies = found.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
    return {
        presentationDate: input.presentationDate, examinationDeadline, examinedOn: input.examinedOn,
        deadlineMet: input.examinedOn <= examinationDeadline,
        ...(latestPresentationDate === undefined ? {} : { latestPresentationDate }),
        compliant: discrepancies.length === 0, discrepancies,
    };
}
