/**
 * The status machines, once: per record kind, every transaction that changes a record, the permission it needs
 * (permissions.ts), the statuses it may start from and the record-level conditions on the caller (the holder, the
 * issuing carrier, four eyes). The contracts refuse with `check`; `allowedActions` answers from the same table what the
 * caller may do to a record now, so the portal never re-encodes a condition. Conditions on *other* records (the
 * release gates of a financing) are checked only when the transaction runs.
 */
import type { BillOfLading, BillOfLadingDraft } from './bill-of-lading-contract';
import type { Certificate } from './certificate-contract';
import type { Declaration } from './declaration-contract';
import { ContractError } from './errors';
import type { Financing } from './financing-contract';
import { type Action, type Caller, isAllowed } from './permissions';
import type { Shipment } from './shipment-contract';

export const SHIPMENT_STATUSES = ['OPEN', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type ShipmentStatus = typeof SHIPMENT_STATUSES[number];

export const TRANSPORT_DOCUMENT_STATUSES = [
    'ISSUED', 'PENDING_SURRENDER_FOR_DELIVERY', 'SURRENDER_FOR_DELIVERY', 'PENDING_SURRENDER_FOR_AMENDMENT', 'SURRENDER_FOR_AMENDMENT', 'VOID',
] as const;
export type TransportDocumentStatus = typeof TRANSPORT_DOCUMENT_STATUSES[number];

/** A B/L draft the carrier shows the shipper before issue (DCSA eBL 3.0 "approve draft transport document"). */
export const DRAFT_STATUSES = ['DRAFT', 'APPROVED', 'ISSUED'] as const;
export type DraftStatus = typeof DRAFT_STATUSES[number];

export const DECLARATION_STATUSES = ['LODGED', 'ACCEPTED', 'UNDER_CONTROL', 'ADDITIONAL_DOCUMENTS_REQUIRED', 'RELEASED', 'REJECTED', 'CANCELLED', 'AMENDED'] as const;
export type DeclarationStatus = typeof DECLARATION_STATUSES[number];

export const CERTIFICATE_STATUSES = ['APPLIED', 'ISSUED', 'REJECTED', 'REVOKED'] as const;
export type CertificateStatus = typeof CERTIFICATE_STATUSES[number];

export const FINANCING_STATUSES = ['REQUESTED', 'UNDER_EXAMINATION', 'APPROVED', 'REJECTED', 'RELEASED', 'WITHDRAWN'] as const;
export type FinancingStatus = typeof FINANCING_STATUSES[number];

/** Declaration statuses from which the exporter may still amend or cancel (everything before release, nothing terminal). */
const DECLARATION_OPEN: readonly DeclarationStatus[] = ['LODGED', 'AMENDED', 'ACCEPTED', 'UNDER_CONTROL', 'ADDITIONAL_DOCUMENTS_REQUIRED'];
/** Shipment statuses on which documents, declarations, certificates and financings may still be started. */
const SHIPMENT_LIVE: readonly ShipmentStatus[] = ['OPEN', 'SHIPPED', 'DELIVERED'];

/** What a condition sees besides the record: the caller and the transaction's day (YYYY-MM-DD). */
export interface Situation { readonly who: Caller; readonly today: string }

/** Why a condition refuses: the code and the text the contract throws. */
export interface Refusal { readonly code: 'FORBIDDEN' | 'FAILED_PRECONDITION'; readonly message: string }

export interface Step<R> {
    readonly permission: Action;
    readonly from: readonly string[];
    /** Record-level conditions, each answering a refusal or undefined. */
    readonly unless?: readonly ((record: R, s: Situation) => Refusal | undefined)[];
}

type Machine<R> = Readonly<Record<string, Step<R>>>;

const forbidden = (message: string): Refusal => ({ code: 'FORBIDDEN', message });
const precondition = (message: string): Refusal => ({ code: 'FAILED_PRECONDITION', message });

function holderOnly(action: string) {
    return (bl: BillOfLading, s: Situation) => (bl.holderMspId === s.who.mspId ? undefined
        : forbidden(`${action}: only the holder ${bl.holderMspId} controls bill of lading ${bl.transportDocumentReference}`));
}

function issuingCarrierOnly(action: string) {
    return (bl: BillOfLading, s: Situation) => (bl.carrierMspId === s.who.mspId ? undefined
        : forbidden(`${action}: only the issuing carrier ${bl.carrierMspId} may act`));
}

function negotiable(action: string) {
    return (bl: BillOfLading) => (bl.transportDocumentTypeCode !== 'SWB' ? undefined
        : precondition(`${action}: a sea waybill (SWB) is not a document of title and cannot change hands`));
}

/** The four-eyes rule: whoever examined may not decide. */
function notTheExaminer(action: string) {
    return (f: Financing, s: Situation) => (f.examination?.examinedBy.id !== s.who.id ? undefined
        : forbidden(`${action}: the examiner of financing ${f.financingId} cannot also decide it (four-eyes rule)`));
}

/** Transactions that act on a shipment (opening its other records included): keyed by transaction name. */
export const SHIPMENT_MACHINE: Machine<Shipment> = {
    cancelShipment: { permission: 'shipment.cancel', from: ['OPEN'] },
    registerDocument: { permission: 'document.register', from: SHIPMENT_LIVE },
    issueBillOfLading: {
        permission: 'bl.issue', from: ['OPEN', 'SHIPPED'],
        unless: [(shipment, s) => (shipment.carrier.mspId === s.who.mspId ? undefined
            : forbidden(`bl.issue: shipment ${shipment.shipmentId} names carrier ${shipment.carrier.mspId}`))],
    },
    lodgeDeclaration: { permission: 'declaration.lodge', from: SHIPMENT_LIVE },
    applyForCertificate: { permission: 'certificate.apply', from: SHIPMENT_LIVE },
    requestFinancing: { permission: 'financing.request', from: SHIPMENT_LIVE },
};

export const BILL_OF_LADING_MACHINE: Machine<BillOfLading> = {
    transferBillOfLading: { permission: 'bl.transfer', from: ['ISSUED'], unless: [holderOnly('bl.transfer'), negotiable('bl.transfer')] },
    endorseBillOfLading: {
        permission: 'bl.endorse', from: ['ISSUED'],
        unless: [holderOnly('bl.endorse'), (bl) => (bl.isToOrder ? undefined
            : precondition(`bl.endorse: bill of lading ${bl.transportDocumentReference} is not to order (isToOrder is false)`))],
    },
    surrenderForDelivery: { permission: 'bl.surrender', from: ['ISSUED'], unless: [holderOnly('bl.surrender')] },
    surrenderForAmendment: { permission: 'bl.surrender', from: ['ISSUED'], unless: [holderOnly('bl.surrender')] },
    acceptSurrender: { permission: 'bl.acceptSurrender', from: ['PENDING_SURRENDER_FOR_DELIVERY', 'PENDING_SURRENDER_FOR_AMENDMENT'], unless: [issuingCarrierOnly('bl.acceptSurrender')] },
    rejectSurrender: { permission: 'bl.rejectSurrender', from: ['PENDING_SURRENDER_FOR_DELIVERY', 'PENDING_SURRENDER_FOR_AMENDMENT'], unless: [issuingCarrierOnly('bl.rejectSurrender')] },
    amendBillOfLading: { permission: 'bl.amend', from: ['SURRENDER_FOR_AMENDMENT'], unless: [issuingCarrierOnly('bl.amend')] },
    // Only one the holder gave back: a carrier may not void a document its holder controls (UK ETDA 2023 s.2(2)(c)).
    voidBillOfLading: { permission: 'bl.void', from: ['SURRENDER_FOR_AMENDMENT'], unless: [issuingCarrierOnly('bl.void')] },
};

function draftCarrierOnly(action: string) {
    return (d: BillOfLadingDraft, s: Situation) => (d.carrierMspId === s.who.mspId ? undefined
        : forbidden(`${action}: only the drafting carrier ${d.carrierMspId} may act`));
}

function draftShipperOnly(action: string) {
    return (d: BillOfLadingDraft, s: Situation) => (d.shipperMspId === s.who.mspId ? undefined
        : forbidden(`${action}: only the shipper ${d.shipperMspId} approves the draft of ${d.transportDocumentReference}`));
}

export const DRAFT_MACHINE: Machine<BillOfLadingDraft> = {
    reviseDraft: { permission: 'bl.draft', from: ['DRAFT', 'APPROVED'], unless: [draftCarrierOnly('bl.draft')] },
    approveDraft: { permission: 'bl.approveDraft', from: ['DRAFT'], unless: [draftShipperOnly('bl.approveDraft')] },
    issueBillOfLading: { permission: 'bl.issue', from: ['APPROVED'], unless: [draftCarrierOnly('bl.issue')] },
};

export const DECLARATION_MACHINE: Machine<Declaration> = {
    acceptDeclaration: { permission: 'declaration.accept', from: ['LODGED', 'AMENDED'] },
    placeUnderControl: { permission: 'declaration.control', from: ['ACCEPTED'] },
    requestAdditionalDocuments: { permission: 'declaration.requestDocuments', from: ['UNDER_CONTROL'] },
    provideAdditionalDocuments: { permission: 'declaration.provideDocuments', from: ['ADDITIONAL_DOCUMENTS_REQUIRED'] },
    releaseDeclaration: { permission: 'declaration.release', from: ['ACCEPTED', 'UNDER_CONTROL'] },
    rejectDeclaration: { permission: 'declaration.reject', from: DECLARATION_OPEN },
    amendDeclaration: { permission: 'declaration.amend', from: DECLARATION_OPEN },
    cancelDeclaration: { permission: 'declaration.cancel', from: DECLARATION_OPEN },
};

export const CERTIFICATE_MACHINE: Machine<Certificate> = {
    issueCertificate: { permission: 'certificate.issue', from: ['APPLIED'] },
    rejectCertificate: { permission: 'certificate.reject', from: ['APPLIED'] },
    revokeCertificate: { permission: 'certificate.revoke', from: ['ISSUED'] },
};

export const FINANCING_MACHINE: Machine<Financing> = {
    examineFinancing: { permission: 'financing.examine', from: ['REQUESTED', 'UNDER_EXAMINATION'] },
    approveFinancing: { permission: 'financing.approve', from: ['UNDER_EXAMINATION'], unless: [notTheExaminer('financing.approve')] },
    // After the 5-banking-day deadline the bank is precluded from refusing (UCP 600 art. 16(f)).
    rejectFinancing: {
        permission: 'financing.reject', from: ['UNDER_EXAMINATION'],
        unless: [notTheExaminer('financing.reject'), (f, s) => (s.today <= f.examinationDeadline ? undefined
            : precondition(`financing.reject: the examination deadline ${f.examinationDeadline} has passed (UCP 600 art. 14(b), 16(f))`))],
    },
    releaseFunds: { permission: 'financing.release', from: ['APPROVED'] },
    withdrawFinancing: { permission: 'financing.withdraw', from: ['REQUESTED', 'UNDER_EXAMINATION'] },
};

/** Every machine by record kind, for the drift test (each entry must be a registered transaction). */
export const MACHINES = {
    shipment: SHIPMENT_MACHINE, billOfLading: BILL_OF_LADING_MACHINE, declaration: DECLARATION_MACHINE,
    certificate: CERTIFICATE_MACHINE, financing: FINANCING_MACHINE,
} as const;

/**
 * Refuses `step` on `record` (status `status`, named `what` in the message) unless the table allows it. Who may act
 * is answered first (a stranger learns "not yours", not the record's state), then the status, then the rest.
 */
export function check<R>(step: Step<R>, record: R, status: string, what: string, s: Situation): void {
    const refusals = (step.unless ?? []).map((condition) => condition(record, s)).filter((r): r is Refusal => r !== undefined);
    const forbidden = refusals.find((r) => r.code === 'FORBIDDEN');
    if (forbidden) {
        throw new ContractError(forbidden.code, forbidden.message);
    }
    if (!step.from.includes(status)) {
        throw new ContractError('FAILED_PRECONDITION', `${step.permission}: ${what} is ${status}, must be ${step.from.join(' or ')}`);
    }
    const [first] = refusals;
    if (first) {
        throw new ContractError(first.code, first.message);
    }
}

/** The transactions of `machine` the caller may run on `record` now: role, status and record-level conditions. */
export function allowedActions<R>(machine: Machine<R>, record: R, status: string, s: Situation): string[] {
    const grantee = `${s.who.mspId}/${s.who.role}`;
    return Object.entries(machine)
        .filter(([, step]) => isAllowed(grantee, step.permission) && step.from.includes(status)
            && (step.unless ?? []).every((condition) => condition(record, s) === undefined))
        .map(([name]) => name);
}
