/**
 * Electronic bills of lading under exclusive control (UNCITRAL MLETR art. 10–11), in DCSA eBL 3.0 / PINT vocabulary.
 * Exactly one holder at a time; only the holder transfers, endorses or surrenders; nothing moves after
 * SURRENDER_FOR_DELIVERY or VOID. The chaincode checks the holder, and state-based endorsement makes the holder's
 * and the carrier's peers (never one organisation alone) endorse the next change of the key, so a copy of the
 * chaincode that skips the check, or a transaction that skips the chaincode, still cannot move the record. Every
 * action is appended to a hash-chained transfer log.
 */
import { Context, Contract } from 'fabric-contract-api';
import { addCalendarDays } from './banking-days';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { ContractError } from './errors';
import { canonicalJson } from './json';
import { INDEXES, type Index, KEYS, listIndexIds, moveIndex, putIndex } from './keys';
import { Stamp, emit, exists, mustRead, pageIndex, parsePageSize, readState, sha256, situation, stamp, txTime, writeState } from './ledger';
import {
    BILL_OF_LADING_MACHINE, DRAFT_MACHINE, type DraftStatus, SHIPMENT_MACHINE, type Situation, TRANSPORT_DOCUMENT_STATUSES, type TransportDocumentStatus,
    allowedActions, check,
} from './lifecycle';
import { Caller, authorize } from './permissions';
import { loadShipment, setShipmentStatus } from './shipment-contract';
import * as v from './validation';

export const CARRIER_MSP = 'CarrierMSP';
/** The shipper's organisation: the only one that opens shipments, so the first holder of every B/L. */
export const SHIPPER_MSP = 'ExporterMSP';
/** Organisations that may hold a B/L between issue and surrender: the shipper's and the bank (as security). */
export const HOLDER_MSPS = ['ExporterMSP', 'BankMSP'] as const;

export type { TransportDocumentStatus };

export type TransferAction = 'ISSUE' | 'TRANSFER' | 'ENDORSE' | 'SURRENDER_FOR_DELIVERY' | 'SURRENDER_FOR_AMENDMENT' | 'SACC' | 'SREJ' | 'VOID';

export interface ConsignmentItem { descriptionOfGoods: string; hsCodes: string[]; numberOfPackages: number; packageCode: string; grossWeightKg: string }

/** The carrier-stated content of a B/L (what the carrier issues or amends). */
export interface BillOfLadingContent {
    transportDocumentTypeCode: 'BOL' | 'SWB'; isToOrder: boolean;
    shipper: v.Party; consignee?: v.Party; notifyParty?: v.Party; carrierCode: string;
    placeOfReceipt?: string; portOfLoading: string; portOfDischarge: string; placeOfDelivery?: string;
    vesselName: string; carrierExportVoyageNumber: string;
    /**
     * Exactly one: a shipped B/L states its on-board date (what UCP 600 art. 20(a)(ii) asks of a credit's B/L), a
     * received-for-shipment B/L the date the carrier took charge; it becomes a shipped one by amendment.
     */
    shippedOnBoardDate?: string; receivedForShipmentDate?: string;
    consignmentItems: ConsignmentItem[]; equipmentReferences: string[];
    /** Clauses the carrier adds about the goods' condition; none means a clean B/L (UCP 600 art. 27). */
    clauses: string[]; documentSha256?: string;
}

export interface BillOfLading extends BillOfLadingContent {
    transportDocumentReference: string; shipmentId: string; version: number;
    /** SHA-256 of this version's content (canonical JSON of what the carrier stated): PINT's document checksum. */
    documentChecksum: string;
    transportDocumentStatus: TransportDocumentStatus; issueDate: string; carrierMspId: string;
    holderMspId: string; endorsee?: { mspId: string; name: string }; surrenderedByMspId?: string;
    transferLogLength: number; transferLogHead: string; issuedBy: Stamp; updatedBy: Stamp;
}

/** The carrier's draft before issue; the shipper approves exactly the content it reviewed (its checksum). */
export interface BillOfLadingDraft {
    transportDocumentReference: string; shipmentId: string; draftStatus: DraftStatus; revision: number;
    carrierMspId: string; shipperMspId: string; content: BillOfLadingContent; documentChecksum: string;
    draftedBy: Stamp; approvedBy?: Stamp; updatedBy: Stamp;
}

export interface TransferLogEntry {
    seq: number; action: TransferAction; version: number; fromMspId: string; toMspId: string;
    /** The checksum of the transport document content this entry transferred (the version's documentChecksum). */
    documentChecksum: string;
    actor: { mspId: string; role: string; id: string }; at: string; txId: string; previousHash: string; hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);

/** Event type per PINT action; an ISSUE of a version after the first is an amendment. */
const EVENT_TYPES: Readonly<Record<TransferAction, string>> = {
    ISSUE: 'BillOfLadingIssued', TRANSFER: 'BillOfLadingTransferred', ENDORSE: 'BillOfLadingEndorsed',
    SURRENDER_FOR_DELIVERY: 'BillOfLadingSurrenderedForDelivery', SURRENDER_FOR_AMENDMENT: 'BillOfLadingSurrenderedForAmendment',
    SACC: 'BillOfLadingSurrenderAccepted', SREJ: 'BillOfLadingSurrenderRejected', VOID: 'BillOfLadingVoided',
};

function consignmentItem(field: string, value: unknown): ConsignmentItem {
    const o = v.asObject(field, value);
    return {
        descriptionOfGoods: v.text(`${field}.descriptionOfGoods`, o['descriptionOfGoods']),
        hsCodes: v.list(`${field}.hsCodes`, o['hsCodes'], v.hsCode, 20),
        numberOfPackages: v.positiveInt(`${field}.numberOfPackages`, o['numberOfPackages']),
        packageCode: v.text(`${field}.packageCode`, o['packageCode'], 8),
        grossWeightKg: v.amount(`${field}.grossWeightKg`, o['grossWeightKg']),
    };
}

function content(text: string): BillOfLadingContent {
    const o = v.parseObject('billOfLadingJson', text);
    const typeCode = v.oneOf('transportDocumentTypeCode', o['transportDocumentTypeCode'], ['BOL', 'SWB'] as const);
    const isToOrder = v.bool('isToOrder', o['isToOrder']);
    if (typeCode === 'SWB' && isToOrder) {
        throw new ContractError('INVALID_ARGUMENT', 'isToOrder must be false for a sea waybill (SWB)');
    }
    if (!isToOrder && o['consignee'] === undefined) {
        throw new ContractError('INVALID_ARGUMENT', 'consignee is required when isToOrder is false');
    }
    const documentSha256 = o['documentSha256'] === undefined ? undefined : v.sha256Hex('documentSha256', o['documentSha256']);
    if ((o['shippedOnBoardDate'] === undefined) === (o['receivedForShipmentDate'] === undefined)) {
        throw new ContractError('INVALID_ARGUMENT', 'exactly one of shippedOnBoardDate (a shipped B/L) and receivedForShipmentDate (a received-for-shipment B/L) is required');
    }
    const optionalLocode = (field: string) => (o[field] === undefined ? {} : { [field]: v.locode(field, o[field]) });
    const optionalDate = (field: string) => (o[field] === undefined ? {} : { [field]: v.isoDate(field, o[field]) });
    return {
        transportDocumentTypeCode: typeCode,
        isToOrder,
        shipper: v.party('shipper', o['shipper']),
        ...(o['consignee'] === undefined ? {} : { consignee: v.party('consignee', o['consignee']) }),
        ...(o['notifyParty'] === undefined ? {} : { notifyParty: v.party('notifyParty', o['notifyParty']) }),
        carrierCode: v.carrierCode('carrierCode', o['carrierCode']),
        ...optionalLocode('placeOfReceipt'),
        portOfLoading: v.locode('portOfLoading', o['portOfLoading']),
        portOfDischarge: v.locode('portOfDischarge', o['portOfDischarge']),
        ...optionalLocode('placeOfDelivery'),
        vesselName: v.text('vesselName', o['vesselName'], 64),
        carrierExportVoyageNumber: v.text('carrierExportVoyageNumber', o['carrierExportVoyageNumber'], 32),
        ...optionalDate('shippedOnBoardDate'),
        ...optionalDate('receivedForShipmentDate'),
        consignmentItems: v.list('consignmentItems', o['consignmentItems'], consignmentItem, 100),
        equipmentReferences: v.optionalList('equipmentReferences', o['equipmentReferences'], v.containerNumber, 100),
        clauses: v.optionalList('clauses', o['clauses'], (f, x) => v.text(f, x), 20),
        ...(documentSha256 === undefined ? {} : { documentSha256 }),
    };
}

/**
 * The goods cannot be on board, or in the carrier's charge, after the document saying so was issued. One day of
 * grace: the carrier states dates in the local time of the place of loading (up to UTC+14), the issue date is UTC.
 */
function checkDatesNotAfterIssue(data: BillOfLadingContent, issueDate: string): void {
    const latest = addCalendarDays(issueDate, 1);
    for (const field of ['shippedOnBoardDate', 'receivedForShipmentDate'] as const) {
        const date = data[field];
        if (date !== undefined && date > latest) {
            throw new ContractError('INVALID_ARGUMENT', `${field} ${date} is after the issue date ${issueDate}`);
        }
    }
}

function checksum(data: BillOfLadingContent): string {
    return sha256(canonicalJson(data));
}

export async function loadBillOfLading(ctx: Context, tdr: string): Promise<BillOfLading> {
    v.id('transportDocumentReference', tdr);
    return mustRead<BillOfLading>(ctx, KEYS.billOfLading(ctx, tdr), `bill of lading ${tdr}`);
}

async function loadDraft(ctx: Context, tdr: string): Promise<BillOfLadingDraft> {
    v.id('transportDocumentReference', tdr);
    return mustRead<BillOfLadingDraft>(ctx, KEYS.billOfLadingDraft(ctx, tdr), `bill of lading draft ${tdr}`);
}

/** A draft as the caller sees it: with what they may do to it now. */
export function draftView(d: BillOfLadingDraft, s: Situation): BillOfLadingDraft & { allowedActions: string[] } {
    return { ...d, allowedActions: allowedActions(DRAFT_MACHINE, d, d.draftStatus, s) };
}

/** A B/L as the caller sees it: with the transactions they may run on it now. */
export function billOfLadingView(bl: BillOfLading, s: Situation): BillOfLading & { allowedActions: string[] } {
    return { ...bl, allowedActions: allowedActions(BILL_OF_LADING_MACHINE, bl, bl.transportDocumentStatus, s) };
}

/** Refuses a transaction of the B/L machine unless its status and conditions allow it for `who`. */
function checkBl(ctx: Context, name: keyof typeof BILL_OF_LADING_MACHINE & string, bl: BillOfLading, who: Caller): void {
    check(BILL_OF_LADING_MACHINE[name]!, bl, bl.transportDocumentStatus, `bill of lading ${bl.transportDocumentReference}`, situation(ctx, who));
}

/** The transfer log, oldest first, and whether its hash chain is intact up to the head stored on the B/L. */
export async function transferLog(ctx: Context, bl: BillOfLading): Promise<{ transportDocumentReference: string; entries: TransferLogEntry[]; intact: boolean }> {
    const entries: TransferLogEntry[] = [];
    for (let seq = 1; seq <= bl.transferLogLength; seq++) {
        const entry = await readState<TransferLogEntry>(ctx, KEYS.billOfLadingLog(ctx, bl.transportDocumentReference, seq));
        if (entry) {
            entries.push(entry);
        }
    }
    const intact = entries.length === bl.transferLogLength && verifyChain(entries) && entries.at(-1)?.hash === bl.transferLogHead;
    return { transportDocumentReference: bl.transportDocumentReference, entries, intact };
}

/** Every B/L issued for a shipment. */
export async function listShipmentBillsOfLading(ctx: Context, shipmentId: string): Promise<BillOfLading[]> {
    const found: BillOfLading[] = [];
    for (const [tdr] of await listIndexIds(ctx, INDEXES.billOfLadingByShipment, [shipmentId])) {
        const bl = tdr === undefined ? undefined : await readState<BillOfLading>(ctx, KEYS.billOfLading(ctx, tdr));
        if (bl) {
            found.push(bl);
        }
    }
    return found;
}

/**
 * The organisations whose peers must all endorse the next change of a B/L key. Fabric validates a transaction that
 * writes only this key against this policy alone (the chaincode-level "any two" does not apply), so the rule is:
 * the holder and the carrier; when those are one organisation (after a surrender, and so after a void), also the
 * organisation that gave the B/L up (surrenderedByMspId), else the shipper's. Two organisations, always: a single one
 * could otherwise rewrite the record with its own peer.
 */
export function holderPolicyOrgs(bl: Pick<BillOfLading, 'holderMspId' | 'carrierMspId' | 'surrenderedByMspId'>): string[] {
    const orgs = new Set([bl.holderMspId, bl.carrierMspId]);
    if (orgs.size < 2) {
        orgs.add(bl.surrenderedByMspId !== undefined && !orgs.has(bl.surrenderedByMspId) ? bl.surrenderedByMspId : SHIPPER_MSP);
    }
    return [...orgs].sort();
}

/**
 * Sets the key-level policy. The PEER role, not MEMBER: MEMBER is satisfied by any client certificate of the
 * organisation, so its users (whose keys the organisation's gateway holds) could sign a "proposal response"
 * themselves and rewrite the B/L without any peer running the chaincode.
 */
async function setHolderPolicy(ctx: Context, bl: BillOfLading): Promise<void> {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', ...holderPolicyOrgs(bl));
    await ctx.stub.setStateValidationParameter(KEYS.billOfLading(ctx, bl.transportDocumentReference), policy.getPolicy());
}

/** What drafting and issuing both need: the caller's role, valid content, a shipment that takes a B/L, a free reference. */
async function forShipment(ctx: Context, action: 'bl.draft' | 'bl.issue', tdr: string, shipmentId: string, billOfLadingJson: string) {
    const who = authorize(ctx, action);
    v.id('transportDocumentReference', tdr);
    const data = content(billOfLadingJson);
    const shipment = await loadShipment(ctx, shipmentId);
    const s = situation(ctx, who);
    check(SHIPMENT_MACHINE.issueBillOfLading!, shipment, shipment.status, `shipment ${shipmentId}`, s);
    if (await exists(ctx, KEYS.billOfLading(ctx, tdr))) {
        throw new ContractError('ALREADY_EXISTS', `bill of lading ${tdr} exists`);
    }
    return { who, data, shipment, s };
}

/**
 * A draft's key needs the carrier's and the shipper's peers, like a B/L's: else the carrier's peer with any other
 * organisation's could write an approval the shipper never gave, and the carrier issue on it.
 */
async function setDraftPolicy(ctx: Context, d: BillOfLadingDraft): Promise<void> {
    const policy = new KeyEndorsementPolicy();
    policy.addOrgs('PEER', ...new Set([d.carrierMspId, d.shipperMspId]));
    await ctx.stub.setStateValidationParameter(KEYS.billOfLadingDraft(ctx, d.transportDocumentReference), policy.getPolicy());
}

/** Appends one log entry whose hash covers the previous entry's hash, and writes the B/L with its new head. */
async function commit(ctx: Context, who: Caller, bl: BillOfLading, action: TransferAction, fromMspId: string, next: BillOfLading): Promise<BillOfLading> {
    const seq = bl.transferLogLength + 1;
    const body = {
        seq, action, version: next.version, fromMspId, toMspId: next.holderMspId, documentChecksum: next.documentChecksum,
        actor: { mspId: who.mspId, role: who.role, id: who.id }, at: txTime(ctx), txId: ctx.stub.getTxID(),
        previousHash: bl.transferLogHead,
    };
    const entry: TransferLogEntry = { ...body, hash: sha256(canonicalJson(body)) };
    const written: BillOfLading = { ...next, transferLogLength: seq, transferLogHead: entry.hash, updatedBy: stamp(ctx, who) };
    const tdr = next.transportDocumentReference;
    await writeState(ctx, KEYS.billOfLadingLog(ctx, tdr, seq), entry);
    await writeState(ctx, KEYS.billOfLading(ctx, tdr), written);
    await setHolderPolicy(ctx, written);
    const first = bl.transferLogLength === 0;
    if (first) {
        await putIndex(ctx, INDEXES.billOfLadingByShipment, [written.shipmentId], tdr);
    }
    await moveIndex(ctx, INDEXES.billOfLadingByStatus, first ? undefined : bl.transportDocumentStatus, written.transportDocumentStatus, tdr);
    await moveIndex(ctx, INDEXES.billOfLadingByHolder, first ? undefined : bl.holderMspId, written.holderMspId, tdr);
    emit(ctx, {
        type: action === 'ISSUE' && written.version > 1 ? 'BillOfLadingAmended' : EVENT_TYPES[action], record: 'billOfLading', id: written.transportDocumentReference,
        shipmentId: written.shipmentId, status: written.transportDocumentStatus,
    });
    return written;
}

/** Checks that each entry's hash covers its content and the previous entry's hash. */
export function verifyChain(entries: readonly TransferLogEntry[]): boolean {
    let previous = GENESIS_HASH;
    return entries.every((e, i) => {
        const { hash, ...body } = e;
        const ok = e.seq === i + 1 && e.previousHash === previous && sha256(canonicalJson(body)) === hash;
        previous = hash;
        return ok;
    });
}

async function surrender(ctx: Context, tdr: string, action: 'SURRENDER_FOR_DELIVERY' | 'SURRENDER_FOR_AMENDMENT',
    status: TransportDocumentStatus): Promise<string> {
    const who = authorize(ctx, 'bl.surrender');
    const bl = await loadBillOfLading(ctx, tdr);
    checkBl(ctx, action === 'SURRENDER_FOR_DELIVERY' ? 'surrenderForDelivery' : 'surrenderForAmendment', bl, who);
    const next: BillOfLading = { ...bl, transportDocumentStatus: status, holderMspId: bl.carrierMspId, surrenderedByMspId: bl.holderMspId };
    return canonicalJson(await commit(ctx, who, bl, action, bl.holderMspId, next));
}

function pageBillsOfLading(ctx: Context, ix: Index<readonly [string]>, group: string, pageSize: string, bookmark: string, s: Situation) {
    return pageIndex(ctx, ix, group, parsePageSize(pageSize), bookmark, async (tdr) => {
        const bl = await readState<BillOfLading>(ctx, KEYS.billOfLading(ctx, tdr));
        return bl && billOfLadingView(bl, s);
    });
}

export class BillOfLadingContract extends Contract {
    constructor() {
        super('billOfLading');
    }

    /**
     * The carrier drafts a B/L for the shipper to review (DCSA "approve draft transport document"), or revises its
     * draft; a revision needs a new approval. Nothing is issued and nobody holds anything yet.
     */
    public async draftBillOfLading(ctx: Context, transportDocumentReference: string, shipmentId: string, billOfLadingJson: string): Promise<string> {
        const { who, data, shipment, s } = await forShipment(ctx, 'bl.draft', transportDocumentReference, shipmentId, billOfLadingJson);
        const previous = await readState<BillOfLadingDraft>(ctx, KEYS.billOfLadingDraft(ctx, transportDocumentReference));
        if (previous) {
            check(DRAFT_MACHINE.reviseDraft!, previous, previous.draftStatus, `bill of lading draft ${transportDocumentReference}`, s);
            if (previous.shipmentId !== shipmentId) {
                throw new ContractError('INVALID_ARGUMENT', `bill of lading draft ${transportDocumentReference} is for shipment ${previous.shipmentId}`);
            }
        }
        checkDatesNotAfterIssue(data, s.today);
        const by = stamp(ctx, who);
        const draft: BillOfLadingDraft = {
            transportDocumentReference, shipmentId, draftStatus: 'DRAFT', revision: (previous?.revision ?? 0) + 1,
            carrierMspId: who.mspId, shipperMspId: shipment.openedBy.mspId, content: data, documentChecksum: checksum(data),
            draftedBy: previous?.draftedBy ?? by, updatedBy: by,
        };
        await writeState(ctx, KEYS.billOfLadingDraft(ctx, transportDocumentReference), draft);
        if (!previous) {
            await setDraftPolicy(ctx, draft);
        }
        emit(ctx, { type: 'BillOfLadingDrafted', record: 'billOfLading', id: transportDocumentReference, shipmentId, status: 'DRAFT' });
        return canonicalJson(draftView(draft, s));
    }

    /** The shipper approves the draft it reviewed, named by its checksum: a revision made meanwhile is not approved. */
    public async approveDraft(ctx: Context, transportDocumentReference: string, documentChecksum: string): Promise<string> {
        const who = authorize(ctx, 'bl.approveDraft');
        v.sha256Hex('documentChecksum', documentChecksum);
        const draft = await loadDraft(ctx, transportDocumentReference);
        const s = situation(ctx, who);
        check(DRAFT_MACHINE.approveDraft!, draft, draft.draftStatus, `bill of lading draft ${transportDocumentReference}`, s);
        if (draft.documentChecksum !== documentChecksum) {
            throw new ContractError('FAILED_PRECONDITION', `bill of lading draft ${transportDocumentReference} is now revision ${draft.revision}, `
                + `checksum ${draft.documentChecksum}: review it again`);
        }
        const by = stamp(ctx, who);
        const approved: BillOfLadingDraft = { ...draft, draftStatus: 'APPROVED', approvedBy: by, updatedBy: by };
        await writeState(ctx, KEYS.billOfLadingDraft(ctx, transportDocumentReference), approved);
        emit(ctx, { type: 'BillOfLadingDraftApproved', record: 'billOfLading', id: transportDocumentReference, shipmentId: draft.shipmentId, status: 'APPROVED' });
        return canonicalJson(draftView(approved, s));
    }

    public async getBillOfLadingDraft(ctx: Context, transportDocumentReference: string): Promise<string> {
        const who = authorize(ctx, 'bl.read');
        return canonicalJson(draftView(await loadDraft(ctx, transportDocumentReference), situation(ctx, who)));
    }

    /**
     * The carrier issues a B/L for a shipment; the first holder is the shipper (ExporterMSP). When the carrier drafted
     * it, the shipper must have approved the draft and the issued content must be that draft's, byte for byte.
     */
    public async issueBillOfLading(ctx: Context, transportDocumentReference: string, shipmentId: string, billOfLadingJson: string): Promise<string> {
        const { who, data, shipment, s } = await forShipment(ctx, 'bl.issue', transportDocumentReference, shipmentId, billOfLadingJson);
        const draftKey = KEYS.billOfLadingDraft(ctx, transportDocumentReference);
        const drafted = await readState<BillOfLadingDraft>(ctx, draftKey);
        if (drafted) {
            check(DRAFT_MACHINE.issueBillOfLading!, drafted, drafted.draftStatus, `bill of lading draft ${transportDocumentReference}`, s);
            if (drafted.shipmentId !== shipmentId || drafted.documentChecksum !== checksum(data)) {
                throw new ContractError('FAILED_PRECONDITION', `bill of lading ${transportDocumentReference} differs from the draft the shipper approved `
                    + `(revision ${drafted.revision}, checksum ${drafted.documentChecksum})`);
            }
            await writeState(ctx, draftKey, { ...drafted, draftStatus: 'ISSUED', updatedBy: stamp(ctx, who) });
        }
        checkDatesNotAfterIssue(data, s.today);
        const by = stamp(ctx, who);
        const draft: BillOfLading = {
            ...data, transportDocumentReference, shipmentId, version: 1, documentChecksum: checksum(data), transportDocumentStatus: 'ISSUED',
            issueDate: by.at.slice(0, 10), carrierMspId: who.mspId, holderMspId: shipment.openedBy.mspId,
            transferLogLength: 0, transferLogHead: GENESIS_HASH, issuedBy: by, updatedBy: by,
        };
        const written = await commit(ctx, who, draft, 'ISSUE', who.mspId, draft);
        if (shipment.status === 'OPEN') {
            await setShipmentStatus(ctx, shipment, 'SHIPPED', who);
        }
        return canonicalJson(written);
    }

    /** The holder hands possession to another organisation (for example the bank, as security). */
    public async transferBillOfLading(ctx: Context, transportDocumentReference: string, toMspId: string): Promise<string> {
        const who = authorize(ctx, 'bl.transfer');
        const bl = await loadBillOfLading(ctx, transportDocumentReference);
        checkBl(ctx, 'transferBillOfLading', bl, who);
        const to = v.oneOf('toMspId', toMspId, HOLDER_MSPS);
        if (to === bl.holderMspId) {
            throw new ContractError('INVALID_ARGUMENT', `toMspId ${to} already holds bill of lading ${transportDocumentReference}`);
        }
        return canonicalJson(await commit(ctx, who, bl, 'TRANSFER', bl.holderMspId, { ...bl, holderMspId: to }));
    }

    /** The holder of a to-order B/L endorses it to a named endorsee, who becomes the holder. */
    public async endorseBillOfLading(ctx: Context, transportDocumentReference: string, endorseeJson: string): Promise<string> {
        const who = authorize(ctx, 'bl.endorse');
        const bl = await loadBillOfLading(ctx, transportDocumentReference);
        checkBl(ctx, 'endorseBillOfLading', bl, who);
        const o = v.parseObject('endorseeJson', endorseeJson);
        const endorsee = { mspId: v.oneOf('endorsee.mspId', o['mspId'], HOLDER_MSPS), name: v.text('endorsee.name', o['name'], v.LIMITS.shortText) };
        if (endorsee.mspId === bl.holderMspId) {
            throw new ContractError('INVALID_ARGUMENT', `endorsee.mspId ${endorsee.mspId} already holds bill of lading ${transportDocumentReference}`);
        }
        return canonicalJson(await commit(ctx, who, bl, 'ENDORSE', bl.holderMspId, { ...bl, endorsee, holderMspId: endorsee.mspId }));
    }

    /** The holder surrenders the B/L to the carrier to take delivery of the goods. */
    public async surrenderForDelivery(ctx: Context, transportDocumentReference: string): Promise<string> {
        return surrender(ctx, transportDocumentReference, 'SURRENDER_FOR_DELIVERY', 'PENDING_SURRENDER_FOR_DELIVERY');
    }

    /** The holder surrenders the B/L to the carrier so that the carrier can issue an amended version. */
    public async surrenderForAmendment(ctx: Context, transportDocumentReference: string): Promise<string> {
        return surrender(ctx, transportDocumentReference, 'SURRENDER_FOR_AMENDMENT', 'PENDING_SURRENDER_FOR_AMENDMENT');
    }

    /** The carrier accepts a pending surrender (SACC). After delivery nothing moves again. */
    public async acceptSurrender(ctx: Context, transportDocumentReference: string): Promise<string> {
        const who = authorize(ctx, 'bl.acceptSurrender');
        const bl = await loadBillOfLading(ctx, transportDocumentReference);
        checkBl(ctx, 'acceptSurrender', bl, who);
        const status = bl.transportDocumentStatus === 'PENDING_SURRENDER_FOR_DELIVERY' ? 'SURRENDER_FOR_DELIVERY' : 'SURRENDER_FOR_AMENDMENT';
        const written = await commit(ctx, who, bl, 'SACC', bl.holderMspId, { ...bl, transportDocumentStatus: status });
        if (status === 'SURRENDER_FOR_DELIVERY') {
            const shipment = await loadShipment(ctx, bl.shipmentId);
            if (shipment.status === 'SHIPPED') {
                await setShipmentStatus(ctx, shipment, 'DELIVERED', who);
            }
        }
        return canonicalJson(written);
    }

    /** The carrier rejects a pending surrender (SREJ); control returns to the party that surrendered. */
    public async rejectSurrender(ctx: Context, transportDocumentReference: string, reason: string): Promise<string> {
        const who = authorize(ctx, 'bl.rejectSurrender');
        v.text('reason', reason);
        const bl = await loadBillOfLading(ctx, transportDocumentReference);
        checkBl(ctx, 'rejectSurrender', bl, who);
        const back = bl.surrenderedByMspId ?? bl.holderMspId;
        const next: BillOfLading = { ...bl, transportDocumentStatus: 'ISSUED', holderMspId: back };
        delete next.surrenderedByMspId;
        return canonicalJson(await commit(ctx, who, bl, 'SREJ', bl.holderMspId, next));
    }

    /** After an accepted surrender for amendment, the carrier issues the amended version to the party that surrendered. */
    public async amendBillOfLading(ctx: Context, transportDocumentReference: string, billOfLadingJson: string): Promise<string> {
        const who = authorize(ctx, 'bl.amend');
        const data = content(billOfLadingJson);
        const bl = await loadBillOfLading(ctx, transportDocumentReference);
        checkBl(ctx, 'amendBillOfLading', bl, who);
        // The superseded version is kept, readable by reference and version.
        await writeState(ctx, KEYS.billOfLadingVersion(ctx, transportDocumentReference, bl.version), bl);
        const holder = bl.surrenderedByMspId ?? 'ExporterMSP';
        const issueDate = txTime(ctx).slice(0, 10);
        checkDatesNotAfterIssue(data, issueDate);
        const next: BillOfLading = {
            ...bl, ...data, version: bl.version + 1, documentChecksum: checksum(data), transportDocumentStatus: 'ISSUED', holderMspId: holder, issueDate,
        };
        delete next.surrenderedByMspId;
        // What the amendment does not state is gone, not carried over from the superseded version.
        for (const field of ['documentSha256', 'shippedOnBoardDate', 'receivedForShipmentDate', 'placeOfReceipt', 'placeOfDelivery', 'consignee', 'notifyParty'] as const) {
            if (data[field] === undefined) {
                delete next[field];
            }
        }
        return canonicalJson(await commit(ctx, who, bl, 'ISSUE', bl.holderMspId, next));
    }

    /** The carrier voids a B/L its holder surrendered for amendment (never one a holder controls). VOID is terminal. */
    public async voidBillOfLading(ctx: Context, transportDocumentReference: string, reason: string): Promise<string> {
        const who = authorize(ctx, 'bl.void');
        v.text('reason', reason);
        const bl = await loadBillOfLading(ctx, transportDocumentReference);
        checkBl(ctx, 'voidBillOfLading', bl, who);
        return canonicalJson(await commit(ctx, who, bl, 'VOID', bl.holderMspId, { ...bl, transportDocumentStatus: 'VOID', holderMspId: who.mspId }));
    }

    public async getBillOfLading(ctx: Context, transportDocumentReference: string): Promise<string> {
        const who = authorize(ctx, 'bl.read');
        return canonicalJson(billOfLadingView(await loadBillOfLading(ctx, transportDocumentReference), situation(ctx, who)));
    }

    /** Every B/L issued for a shipment, with what the caller may do to each. */
    public async listBillsOfLadingByShipment(ctx: Context, shipmentId: string): Promise<string> {
        const who = authorize(ctx, 'bl.read');
        await loadShipment(ctx, shipmentId);
        const s = situation(ctx, who);
        return canonicalJson((await listShipmentBillsOfLading(ctx, shipmentId)).map((bl) => billOfLadingView(bl, s)));
    }

    /** One page of the B/Ls in a status; pass the returned bookmark for the next page. */
    public async queryBillsOfLadingByStatus(ctx: Context, status: string, pageSize: string, bookmark: string): Promise<string> {
        const who = authorize(ctx, 'bl.read');
        v.oneOf('status', status, TRANSPORT_DOCUMENT_STATUSES);
        return canonicalJson(await pageBillsOfLading(ctx, INDEXES.billOfLadingByStatus, status, pageSize, bookmark, situation(ctx, who)));
    }

    /** One page of the B/Ls an organisation holds now. */
    public async queryBillsOfLadingByHolder(ctx: Context, holderMspId: string, pageSize: string, bookmark: string): Promise<string> {
        const who = authorize(ctx, 'bl.read');
        v.oneOf('holderMspId', holderMspId, [...HOLDER_MSPS, CARRIER_MSP]);
        return canonicalJson(await pageBillsOfLading(ctx, INDEXES.billOfLadingByHolder, holderMspId, pageSize, bookmark, situation(ctx, who)));
    }

    /** The transfer log, oldest first, and whether its hash chain is intact up to the head stored on the B/L. */
    public async getTransferLog(ctx: Context, transportDocumentReference: string): Promise<string> {
        authorize(ctx, 'bl.read');
        return canonicalJson(await transferLog(ctx, await loadBillOfLading(ctx, transportDocumentReference)));
    }
}
