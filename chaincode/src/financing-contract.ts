/**
 * Trade financing against a shipment. Amount and terms are private to ExporterBankCollection; so is the
 * examination report (it quotes amounts). The public record carries status, references, deadlines and the
 * discrepancy count. A B/L or a declaration backs at most one live financing, enforced by a lock key per document.
 */
import { Context, Contract } from 'fabric-contract-api';
import { addBankingDays } from './banking-days';
import { BillOfLading, loadBillOfLading } from './bill-of-lading-contract';
import { Certificate, CertificateDetails, CERTIFICATE_COLLECTION, loadCertificate } from './certificate-contract';
import { Declaration, loadDeclaration } from './declaration-contract';
import { DocumentType, readCurrent } from './documents';
import { ContractError } from './errors';
import { EXAMINATION_BANKING_DAYS, ExaminationReport, PresentedDocument, examine } from './examination';
import { canonicalJson } from './json';
import {
    Stamp, checkPrivateWritePeer, emit, exists, key, mustRead, readPrivate, readState, requireMember, requireStatus, requireTransient,
    stamp, txTime, writePrivate, writeState,
} from './ledger';
import { Caller, authorize } from './permissions';
import { RECORD_KEYS } from './records';
import { COMMERCIAL_COLLECTION, Commercial, loadShipment } from './shipment-contract';
import * as v from './validation';

export const FINANCING_COLLECTION = 'ExporterBankCollection';

export type FinancingStatus = 'REQUESTED' | 'UNDER_EXAMINATION' | 'APPROVED' | 'REJECTED' | 'RELEASED' | 'WITHDRAWN';
/** Once rejected or withdrawn, a financing no longer holds its B/L and declaration. */
const ENDED: FinancingStatus[] = ['REJECTED', 'WITHDRAWN'];

export interface FinancingTerms { financingId: string; amount: string; currency: string; tenorDays: number; expiryDate: string; creditReference?: string }

export interface Financing {
    financingId: string; shipmentId: string; status: FinancingStatus;
    financingType: 'DOCUMENTARY_CREDIT' | 'RECEIVABLES_FINANCING';
    transportDocumentReference: string; declarationId: string; certificateApplicationId?: string;
    documentIds: { commercialInvoice: string; packingList: string; insuranceCertificate?: string };
    requiresBlHeldByBank: boolean; requiresCertificateOfOrigin: boolean;
    presentationDate: string; examinationDeadline: string; termsHash: string;
    examination?: { examinedBy: Stamp; examinedOn: string; discrepancyCount: number; deadlineMet: boolean; reportHash: string };
    decision?: { decidedBy: Stamp; discrepanciesWaived: boolean; reason?: string };
    requestedBy: Stamp; updatedBy: Stamp;
}

function lockKey(ctx: Context, kind: 'billOfLading' | 'declaration', id: string): string {
    return key(ctx, 'financing~lock', kind, id);
}

/** The financing that has not ended which the document backs, if any (the risk rules read it too). */
export async function liveFinancingOn(ctx: Context, kind: 'billOfLading' | 'declaration', id: string): Promise<Financing | undefined> {
    const holder = await ctx.stub.getState(lockKey(ctx, kind, id));
    if (!holder || holder.length === 0) {
        return undefined;
    }
    const other = await readState<Financing>(ctx, key(ctx, RECORD_KEYS.financing, Buffer.from(holder).toString('utf8')));
    return other && !ENDED.includes(other.status) ? other : undefined;
}

/** Refuses when the document already backs a financing that has not ended. */
async function requireUnlocked(ctx: Context, kind: 'billOfLading' | 'declaration', id: string, field: string): Promise<void> {
    const other = await liveFinancingOn(ctx, kind, id);
    if (other) {
        throw new ContractError('CONFLICT', `${field} ${id} already backs financing ${other.financingId} (${other.status}); one document can back only one live financing`);
    }
}

async function unlock(ctx: Context, f: Financing): Promise<void> {
    await ctx.stub.deleteState(lockKey(ctx, 'billOfLading', f.transportDocumentReference));
    await ctx.stub.deleteState(lockKey(ctx, 'declaration', f.declarationId));
}

export async function loadFinancing(ctx: Context, financingId: string): Promise<Financing> {
    v.id('financingId', financingId);
    return mustRead<Financing>(ctx, key(ctx, RECORD_KEYS.financing, financingId), `financing ${financingId}`);
}

async function save(ctx: Context, who: Caller, next: Financing, type: string): Promise<string> {
    const written: Financing = { ...next, updatedBy: stamp(ctx, who) };
    await writeState(ctx, key(ctx, RECORD_KEYS.financing, next.financingId), written);
    emit(ctx, { type, record: 'financing', id: next.financingId, shipmentId: next.shipmentId, status: next.status });
    return canonicalJson(written);
}

async function requireDocument(ctx: Context, field: string, documentId: unknown, docType: DocumentType, shipmentId: string): Promise<string> {
    const id = v.id(field, documentId);
    const current = await ctx.stub.getState(key(ctx, RECORD_KEYS.document, id));
    const head = current && current.length > 0 ? JSON.parse(Buffer.from(current).toString('utf8')) as { docType: string; shipmentId: string } : undefined;
    if (!head || head.docType !== docType || head.shipmentId !== shipmentId) {
        throw new ContractError('NOT_FOUND', `${field}: no ${docType} ${id} is registered on shipment ${shipmentId}`);
    }
    return id;
}

function terms(financingId: string, bytes: Buffer): FinancingTerms {
    const o = v.parseObject('transient terms', bytes.toString('utf8'));
    const creditReference = v.optionalText('terms.creditReference', o['creditReference'], 64);
    const currency = v.currency('terms.currency', o['currency']);
    return {
        financingId,
        amount: v.money('terms.amount', o['amount'], currency),
        currency,
        tenorDays: v.positiveInt('terms.tenorDays', o['tenorDays'], 720),
        expiryDate: v.isoDate('terms.expiryDate', o['expiryDate']),
        ...(creditReference === undefined ? {} : { creditReference }),
    };
}

/** The four-eyes rule: whoever examined may not decide. */
function requireOtherThanExaminer(f: Financing, who: Caller, action: string): void {
    if (f.examination && f.examination.examinedBy.id === who.id) {
        throw new ContractError('FORBIDDEN', `${action}: the examiner of financing ${f.financingId} cannot also decide it (four-eyes rule)`);
    }
}

async function presented(ctx: Context, documentId: string | undefined): Promise<PresentedDocument | undefined> {
    if (documentId === undefined) {
        return undefined;
    }
    const current = await readCurrent(ctx, documentId);
    return current && { documentId, version: current.version.version, status: current.version.status, fields: current.fields ?? {} };
}

async function readFinancingPrivate(ctx: Context, financingId: string, type: 'financingTerms' | 'examinationReport'): Promise<string> {
    const who = authorize(ctx, 'financing.readTerms');
    requireMember(who, FINANCING_COLLECTION);
    await loadFinancing(ctx, financingId);
    const value = await readPrivate<unknown>(ctx, FINANCING_COLLECTION, key(ctx, type, financingId));
    if (!value) {
        throw new ContractError('NOT_FOUND', `${type} of financing ${financingId} is not on this peer`);
    }
    return canonicalJson(value);
}

export class FinancingContract extends Contract {
    constructor() {
        super('financing');
    }

    /**
     * The exporter requests financing. `requestJson`: {financingType, transportDocumentReference, declarationId,
     * certificateApplicationId?, documentIds:{commercialInvoice, packingList, insuranceCertificate?},
     * requiresBlHeldByBank, requiresCertificateOfOrigin}. Transient `terms`: {amount, currency, tenorDays, expiryDate, creditReference?}.
     */
    public async requestFinancing(ctx: Context, financingId: string, shipmentId: string, requestJson: string): Promise<string> {
        const who = authorize(ctx, 'financing.request');
        v.id('financingId', financingId);
        const o = v.parseObject('requestJson', requestJson);
        const financingType = v.oneOf('financingType', o['financingType'], ['DOCUMENTARY_CREDIT', 'RECEIVABLES_FINANCING'] as const);
        const requiresBlHeldByBank = v.bool('requiresBlHeldByBank', o['requiresBlHeldByBank']);
        const requiresCertificateOfOrigin = v.bool('requiresCertificateOfOrigin', o['requiresCertificateOfOrigin']);
        const docs = v.asObject('documentIds', o['documentIds']);
        await loadShipment(ctx, shipmentId);
        if (await exists(ctx, key(ctx, RECORD_KEYS.financing, financingId))) {
            throw new ContractError('ALREADY_EXISTS', `financing ${financingId} exists`);
        }
        const bl = await loadBillOfLading(ctx, v.id('transportDocumentReference', o['transportDocumentReference']));
        if (bl.shipmentId !== shipmentId) {
            throw new ContractError('INVALID_ARGUMENT', `transportDocumentReference ${bl.transportDocumentReference} belongs to shipment ${bl.shipmentId}`);
        }
        if (bl.transportDocumentStatus === 'VOID' || bl.transportDocumentStatus === 'SURRENDER_FOR_DELIVERY') {
            throw new ContractError('FAILED_PRECONDITION', `transportDocumentReference ${bl.transportDocumentReference} is ${bl.transportDocumentStatus}`);
        }
        const declaration = await loadDeclaration(ctx, v.id('declarationId', o['declarationId']));
        if (declaration.shipmentId !== shipmentId) {
            throw new ContractError('INVALID_ARGUMENT', `declarationId ${declaration.declarationId} belongs to shipment ${declaration.shipmentId}`);
        }
        if (declaration.status === 'REJECTED' || declaration.status === 'CANCELLED') {
            throw new ContractError('FAILED_PRECONDITION', `declarationId ${declaration.declarationId} is ${declaration.status}`);
        }
        let certificateApplicationId: string | undefined;
        if (o['certificateApplicationId'] !== undefined) {
            const c = await loadCertificate(ctx, v.id('certificateApplicationId', o['certificateApplicationId']));
            if (c.shipmentId !== shipmentId) {
                throw new ContractError('INVALID_ARGUMENT', `certificateApplicationId ${c.applicationId} belongs to shipment ${c.shipmentId}`);
            }
            certificateApplicationId = c.applicationId;
        } else if (requiresCertificateOfOrigin) {
            throw new ContractError('INVALID_ARGUMENT', 'certificateApplicationId is required when requiresCertificateOfOrigin is true');
        }
        const documentIds = {
            commercialInvoice: await requireDocument(ctx, 'documentIds.commercialInvoice', docs['commercialInvoice'], 'commercialInvoice', shipmentId),
            packingList: await requireDocument(ctx, 'documentIds.packingList', docs['packingList'], 'packingList', shipmentId),
            ...(docs['insuranceCertificate'] === undefined ? {} : {
                insuranceCertificate: await requireDocument(ctx, 'documentIds.insuranceCertificate', docs['insuranceCertificate'], 'insuranceCertificate', shipmentId),
            }),
        };
        await requireUnlocked(ctx, 'billOfLading', bl.transportDocumentReference, 'transportDocumentReference');
        await requireUnlocked(ctx, 'declaration', declaration.declarationId, 'declarationId');

        const t = terms(financingId, requireTransient(ctx, 'terms'));
        const termsHash = await writePrivate(ctx, who, FINANCING_COLLECTION, key(ctx, 'financingTerms', financingId), t);
        await ctx.stub.putState(lockKey(ctx, 'billOfLading', bl.transportDocumentReference), Buffer.from(financingId));
        await ctx.stub.putState(lockKey(ctx, 'declaration', declaration.declarationId), Buffer.from(financingId));
        const by = stamp(ctx, who);
        const presentationDate = by.at.slice(0, 10);
        return save(ctx, who, {
            financingId, shipmentId, status: 'REQUESTED', financingType,
            transportDocumentReference: bl.transportDocumentReference, declarationId: declaration.declarationId,
            ...(certificateApplicationId === undefined ? {} : { certificateApplicationId }),
            documentIds, requiresBlHeldByBank, requiresCertificateOfOrigin, presentationDate,
            examinationDeadline: addBankingDays(presentationDate, EXAMINATION_BANKING_DAYS),
            termsHash, requestedBy: by, updatedBy: by,
        }, 'FinancingRequested');
    }

    /** A bank officer examines the presented documents; the report goes to ExporterBankCollection. */
    public async examineFinancing(ctx: Context, financingId: string): Promise<string> {
        const who = authorize(ctx, 'financing.examine');
        // Checked first: a peer outside the collection could not even read the terms.
        checkPrivateWritePeer(who.mspId, ctx.stub.getMspID(), FINANCING_COLLECTION);
        const f = await loadFinancing(ctx, financingId);
        requireStatus('financing.examine', `financing ${financingId}`, f.status, ['REQUESTED', 'UNDER_EXAMINATION']);
        const t = await readPrivate<FinancingTerms>(ctx, FINANCING_COLLECTION, key(ctx, 'financingTerms', financingId));
        if (!t) {
            throw new ContractError('NOT_FOUND', `terms of financing ${financingId} are not on this peer`);
        }
        const commercial = await readPrivate<Commercial>(ctx, COMMERCIAL_COLLECTION, key(ctx, 'shipmentCommercial', f.shipmentId));
        const bl = await readState<BillOfLading>(ctx, key(ctx, RECORD_KEYS.billOfLading, f.transportDocumentReference));
        const declaration = await readState<Declaration>(ctx, key(ctx, RECORD_KEYS.declaration, f.declarationId));
        const certificate = f.certificateApplicationId === undefined ? undefined : await readState<Certificate>(ctx, key(ctx, RECORD_KEYS.certificate, f.certificateApplicationId));
        const certificateDetails = f.certificateApplicationId === undefined ? undefined
            : await readPrivate<CertificateDetails>(ctx, CERTIFICATE_COLLECTION, key(ctx, 'certificateDetails', f.certificateApplicationId));
        const examinedOn = txTime(ctx).slice(0, 10);
        const input = {
            presentationDate: f.presentationDate, examinedOn,
            terms: { amount: t.amount, currency: t.currency, expiryDate: t.expiryDate },
            requiresCertificateOfOrigin: f.requiresCertificateOfOrigin,
        };
        const optional = {
            commercialTotal: commercial?.totalValue,
            commercialInvoice: await presented(ctx, f.documentIds.commercialInvoice),
            packingList: await presented(ctx, f.documentIds.packingList),
            insuranceCertificate: await presented(ctx, f.documentIds.insuranceCertificate),
            billOfLading: bl, declaration, certificate, certificateDetails,
        };
        const report: ExaminationReport = examine({
            ...input,
            ...Object.fromEntries(Object.entries(optional).filter(([, x]) => x !== undefined)),
        });
        const stored = { financingId, ...report };
        const reportHash = await writePrivate(ctx, who, FINANCING_COLLECTION, key(ctx, 'examinationReport', financingId), stored);
        return save(ctx, who, {
            ...f, status: 'UNDER_EXAMINATION',
            examination: {
                examinedBy: stamp(ctx, who), examinedOn, discrepancyCount: report.discrepancies.length,
                deadlineMet: report.deadlineMet, reportHash,
            },
        }, 'FinancingExamined');
    }

    /** An approver other than the examiner approves; with discrepancies only if `waiveDiscrepancies` is "true". */
    public async approveFinancing(ctx: Context, financingId: string, waiveDiscrepancies: string): Promise<string> {
        const who = authorize(ctx, 'financing.approve');
        const waive = v.oneOf('waiveDiscrepancies', waiveDiscrepancies, ['true', 'false'] as const) === 'true';
        const f = await loadFinancing(ctx, financingId);
        requireStatus('financing.approve', `financing ${financingId}`, f.status, ['UNDER_EXAMINATION']);
        requireOtherThanExaminer(f, who, 'financing.approve');
        const count = f.examination?.discrepancyCount ?? 0;
        if (count > 0 && !waive) {
            throw new ContractError('FAILED_PRECONDITION', `financing.approve: the examination of financing ${financingId} lists ${count} discrepancies; waive them or reject`);
        }
        return save(ctx, who, { ...f, status: 'APPROVED', decision: { decidedBy: stamp(ctx, who), discrepanciesWaived: count > 0 } }, 'FinancingApproved');
    }

    /**
     * An approver other than the examiner refuses the presentation. After the 5-banking-day deadline the bank is
     * precluded from refusing (UCP 600 art. 16(f)), so a late refusal is itself refused.
     */
    public async rejectFinancing(ctx: Context, financingId: string, reason: string): Promise<string> {
        const who = authorize(ctx, 'financing.reject');
        v.text('reason', reason);
        const f = await loadFinancing(ctx, financingId);
        requireStatus('financing.reject', `financing ${financingId}`, f.status, ['UNDER_EXAMINATION']);
        requireOtherThanExaminer(f, who, 'financing.reject');
        const today = txTime(ctx).slice(0, 10);
        if (today > f.examinationDeadline) {
            throw new ContractError('FAILED_PRECONDITION', `financing.reject: the examination deadline ${f.examinationDeadline} has passed (UCP 600 art. 14(b), 16(f))`);
        }
        await unlock(ctx, f);
        return save(ctx, who, { ...f, status: 'REJECTED', decision: { decidedBy: stamp(ctx, who), discrepanciesWaived: false, reason } }, 'FinancingRejected');
    }

    /** Releases funds once every gate holds: B/L issued (and held by the bank if required), declaration RELEASED, CoO ISSUED if required. */
    public async releaseFunds(ctx: Context, financingId: string): Promise<string> {
        const who = authorize(ctx, 'financing.release');
        const f = await loadFinancing(ctx, financingId);
        requireStatus('financing.release', `financing ${financingId}`, f.status, ['APPROVED']);
        const failed: string[] = [];
        const bl = await readState<BillOfLading>(ctx, key(ctx, RECORD_KEYS.billOfLading, f.transportDocumentReference));
        if (!bl || bl.transportDocumentStatus !== 'ISSUED') {
            failed.push(`bill of lading ${f.transportDocumentReference} is ${bl?.transportDocumentStatus ?? 'missing'}, must be ISSUED`);
        } else if (f.requiresBlHeldByBank && bl.holderMspId !== 'BankMSP') {
            failed.push(`bill of lading ${f.transportDocumentReference} is held by ${bl.holderMspId}, must be held by BankMSP`);
        }
        const d = await readState<Declaration>(ctx, key(ctx, RECORD_KEYS.declaration, f.declarationId));
        if (!d || d.status !== 'RELEASED') {
            failed.push(`declaration ${f.declarationId} is ${d?.status ?? 'missing'}, must be RELEASED`);
        }
        if (f.requiresCertificateOfOrigin) {
            const c = f.certificateApplicationId === undefined ? undefined : await readState<Certificate>(ctx, key(ctx, RECORD_KEYS.certificate, f.certificateApplicationId));
            if (!c || c.status !== 'ISSUED') {
                failed.push(`certificate of origin ${f.certificateApplicationId ?? ''} is ${c?.status ?? 'missing'}, must be ISSUED`);
            }
        }
        if (failed.length > 0) {
            throw new ContractError('FAILED_PRECONDITION', `financing.release gates: ${failed.join('; ')}`);
        }
        return save(ctx, who, { ...f, status: 'RELEASED' }, 'FinancingReleased');
    }

    /** The exporter withdraws a request not yet decided; its B/L and declaration are free again. */
    public async withdrawFinancing(ctx: Context, financingId: string): Promise<string> {
        const who = authorize(ctx, 'financing.withdraw');
        const f = await loadFinancing(ctx, financingId);
        requireStatus('financing.withdraw', `financing ${financingId}`, f.status, ['REQUESTED', 'UNDER_EXAMINATION']);
        await unlock(ctx, f);
        return save(ctx, who, { ...f, status: 'WITHDRAWN' }, 'FinancingWithdrawn');
    }

    public async getFinancing(ctx: Context, financingId: string): Promise<string> {
        authorize(ctx, 'financing.read');
        return canonicalJson(await loadFinancing(ctx, financingId));
    }

    /** Amount and terms, for the exporter and the bank. */
    public async getFinancingTerms(ctx: Context, financingId: string): Promise<string> {
        return readFinancingPrivate(ctx, financingId, 'financingTerms');
    }

    /** The full examination report (quotes amounts), for the exporter and the bank. */
    public async getExaminationReport(ctx: Context, financingId: string): Promise<string> {
        return readFinancingPrivate(ctx, financingId, 'examinationReport');
    }
}
