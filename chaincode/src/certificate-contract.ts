/**
 * Certificates of origin. The exporter applies; customs (the issuing authority) issues with a certificate number,
 * rejects, or later revokes. The certificate's details (parties, items, invoice references) are private to
 * ExporterCustomsBankCollection; anyone holding the number can verify issuer, status, dates and document hash.
 */
import { Context, Contract } from 'fabric-contract-api';
import { ContractError } from './errors';
import { canonicalJson } from './json';
import { INDEXES, KEYS, PRIVATE_KEYS, listIndexIds, moveIndex, putIndex } from './keys';
import {
    Stamp, emit, exists, mustRead, mustReadPrivate, pageIndex, parsePageSize, readState, requireMember,
    requireTransient, situation, stamp, writePrivate, writeState,
} from './ledger';
import { CERTIFICATE_MACHINE, CERTIFICATE_STATUSES, type CertificateStatus, SHIPMENT_MACHINE, type Situation, allowedActions, check } from './lifecycle';
import { Caller, authorize } from './permissions';
import { loadShipment } from './shipment-contract';
import * as v from './validation';

export const CERTIFICATE_COLLECTION = 'ExporterCustomsBankCollection';
export const ORIGIN_CRITERIA = ['WO', 'PE', 'CTH', 'CTSH', 'CC', 'RVC'] as const;

export type { CertificateStatus };

export interface CertificateItem {
    marks: string; packages: number; description: string; hsCode: string; quantity: number; grossWeightKg: string;
    invoiceNumber: string; invoiceDate: string;
}

export interface CertificateDetails {
    applicationId: string; exporter: v.Party; consignee: v.Party; portOfLoading: string; portOfDischarge: string;
    transportDocumentReference?: string; items: CertificateItem[];
}

export interface Certificate {
    applicationId: string; shipmentId: string; status: CertificateStatus;
    certificateType: 'NON_PREFERENTIAL' | 'PREFERENTIAL'; countryOfOrigin: string; originCriterion?: string;
    documentSha256: string; detailsHash: string; certificateNumber?: string;
    issuer?: { mspId: string; role: string }; issueDate?: string; revokedAt?: string; reason?: string;
    appliedBy: Stamp; updatedBy: Stamp;
}

function certificateItem(field: string, value: unknown): CertificateItem {
    const o = v.asObject(field, value);
    const hs = v.hsCode(`${field}.hsCode`, o['hsCode']);
    if (hs.length !== 6) {
        throw new ContractError('INVALID_ARGUMENT', `${field}.hsCode must be the 6-digit HS code on a certificate of origin`);
    }
    return {
        marks: v.text(`${field}.marks`, o['marks'], v.LIMITS.shortText),
        packages: v.positiveInt(`${field}.packages`, o['packages']),
        description: v.text(`${field}.description`, o['description']),
        hsCode: hs,
        quantity: v.positiveInt(`${field}.quantity`, o['quantity']),
        grossWeightKg: v.amount(`${field}.grossWeightKg`, o['grossWeightKg']),
        invoiceNumber: v.text(`${field}.invoiceNumber`, o['invoiceNumber'], 64),
        invoiceDate: v.isoDate(`${field}.invoiceDate`, o['invoiceDate']),
    };
}

function details(applicationId: string, bytes: Buffer): CertificateDetails {
    const o = v.parseObject('transient certificate', bytes.toString('utf8'));
    const tdr = o['transportDocumentReference'] === undefined ? undefined : v.id('certificate.transportDocumentReference', o['transportDocumentReference']);
    return {
        applicationId,
        exporter: v.party('certificate.exporter', o['exporter']),
        consignee: v.party('certificate.consignee', o['consignee']),
        portOfLoading: v.locode('certificate.portOfLoading', o['portOfLoading']),
        portOfDischarge: v.locode('certificate.portOfDischarge', o['portOfDischarge']),
        ...(tdr === undefined ? {} : { transportDocumentReference: tdr }),
        items: v.list('certificate.items', o['items'], certificateItem, 100),
    };
}

export async function loadCertificate(ctx: Context, applicationId: string): Promise<Certificate> {
    v.id('applicationId', applicationId);
    return mustRead<Certificate>(ctx, KEYS.certificate(ctx, applicationId), `certificate application ${applicationId}`);
}

/** A certificate as the caller sees it: with the transactions they may run on it now. */
export function certificateView(c: Certificate, s: Situation): Certificate & { allowedActions: string[] } {
    return { ...c, allowedActions: allowedActions(CERTIFICATE_MACHINE, c, c.status, s) };
}

/** The private details (exporter, customs, bank); UNAVAILABLE while this peer lacks them. */
export async function loadCertificateDetails(ctx: Context, applicationId: string): Promise<CertificateDetails> {
    return mustReadPrivate<CertificateDetails>(ctx, CERTIFICATE_COLLECTION, PRIVATE_KEYS.certificateDetails(ctx, applicationId),
        `details of certificate application ${applicationId}`);
}

/** Every certificate application on a shipment. */
export async function listShipmentCertificates(ctx: Context, shipmentId: string): Promise<Certificate[]> {
    const found: Certificate[] = [];
    for (const [id] of await listIndexIds(ctx, INDEXES.certificateByShipment, [shipmentId])) {
        const c = id === undefined ? undefined : await readState<Certificate>(ctx, KEYS.certificate(ctx, id));
        if (c) {
            found.push(c);
        }
    }
    return found;
}

function checkCertificate(ctx: Context, name: string, c: Certificate, who: Caller): void {
    check(CERTIFICATE_MACHINE[name]!, c, c.status, `certificate application ${c.applicationId}`, situation(ctx, who));
}

/** Writes the record (keeping the status index in step) and emits its one event. */
async function save(ctx: Context, who: Caller, previous: Certificate | undefined, next: Certificate, type: string): Promise<string> {
    const written: Certificate = { ...next, updatedBy: stamp(ctx, who) };
    await writeState(ctx, KEYS.certificate(ctx, next.applicationId), written);
    if (previous === undefined) {
        await putIndex(ctx, INDEXES.certificateByShipment, [next.shipmentId], next.applicationId);
    }
    await moveIndex(ctx, INDEXES.certificateByStatus, previous?.status, next.status, next.applicationId);
    emit(ctx, { type, record: 'certificate', id: next.applicationId, shipmentId: next.shipmentId, status: next.status });
    return canonicalJson(written);
}

export class CertificateContract extends Contract {
    constructor() {
        super('certificate');
    }

    /**
     * The exporter applies. `applicationJson`: {certificateType, countryOfOrigin, originCriterion (preferential only),
     * documentSha256}; transient `certificate`: {exporter, consignee, portOfLoading, portOfDischarge, items, ...}.
     */
    public async applyForCertificate(ctx: Context, applicationId: string, shipmentId: string, applicationJson: string): Promise<string> {
        const who = authorize(ctx, 'certificate.apply');
        v.id('applicationId', applicationId);
        const o = v.parseObject('applicationJson', applicationJson);
        const certificateType = v.oneOf('certificateType', o['certificateType'], ['NON_PREFERENTIAL', 'PREFERENTIAL'] as const);
        let originCriterion: string | undefined;
        if (certificateType === 'PREFERENTIAL') {
            originCriterion = v.oneOf('originCriterion', o['originCriterion'], ORIGIN_CRITERIA);
        } else if (o['originCriterion'] !== undefined) {
            throw new ContractError('INVALID_ARGUMENT', 'originCriterion applies only to a PREFERENTIAL certificate');
        }
        const shipment = await loadShipment(ctx, shipmentId);
        check(SHIPMENT_MACHINE.applyForCertificate!, shipment, shipment.status, `shipment ${shipmentId}`, situation(ctx, who));
        if (await exists(ctx, KEYS.certificate(ctx, applicationId))) {
            throw new ContractError('ALREADY_EXISTS', `certificate application ${applicationId} exists`);
        }
        const d = details(applicationId, requireTransient(ctx, 'certificate'));
        const detailsHash = await writePrivate(ctx, who, CERTIFICATE_COLLECTION, PRIVATE_KEYS.certificateDetails(ctx, applicationId), d);
        const by = stamp(ctx, who);
        return save(ctx, who, undefined, {
            applicationId, shipmentId, status: 'APPLIED', certificateType,
            countryOfOrigin: v.country('countryOfOrigin', o['countryOfOrigin']),
            ...(originCriterion === undefined ? {} : { originCriterion }),
            documentSha256: v.sha256Hex('documentSha256', o['documentSha256']),
            detailsHash, appliedBy: by, updatedBy: by,
        }, 'CertificateApplied');
    }

    /** Customs issues the certificate under a number no other certificate uses. */
    public async issueCertificate(ctx: Context, applicationId: string, certificateNumber: string): Promise<string> {
        const who = authorize(ctx, 'certificate.issue');
        v.id('certificateNumber', certificateNumber);
        const c = await loadCertificate(ctx, applicationId);
        checkCertificate(ctx, 'issueCertificate', c, who);
        const numberKey = KEYS.certificateNumber(ctx, certificateNumber);
        if (await exists(ctx, numberKey)) {
            throw new ContractError('ALREADY_EXISTS', `certificateNumber ${certificateNumber} is already issued`);
        }
        await ctx.stub.putState(numberKey, Buffer.from(applicationId));
        const at = stamp(ctx, who).at;
        return save(ctx, who, c, { ...c, status: 'ISSUED', certificateNumber, issuer: { mspId: who.mspId, role: who.role }, issueDate: at.slice(0, 10) }, 'CertificateIssued');
    }

    public async rejectCertificate(ctx: Context, applicationId: string, reason: string): Promise<string> {
        const who = authorize(ctx, 'certificate.reject');
        v.text('reason', reason);
        const c = await loadCertificate(ctx, applicationId);
        checkCertificate(ctx, 'rejectCertificate', c, who);
        return save(ctx, who, c, { ...c, status: 'REJECTED', reason }, 'CertificateRejected');
    }

    /** A customs supervisor revokes an issued certificate (terminal); verification then answers REVOKED. */
    public async revokeCertificate(ctx: Context, applicationId: string, reason: string): Promise<string> {
        const who = authorize(ctx, 'certificate.revoke');
        v.text('reason', reason);
        const c = await loadCertificate(ctx, applicationId);
        checkCertificate(ctx, 'revokeCertificate', c, who);
        return save(ctx, who, c, { ...c, status: 'REVOKED', reason, revokedAt: stamp(ctx, who).at }, 'CertificateRevoked');
    }

    /** Public verification by number: issuer, status, dates and document hash, nothing private. */
    public async verifyCertificate(ctx: Context, certificateNumber: string): Promise<string> {
        authorize(ctx, 'certificate.read');
        v.id('certificateNumber', certificateNumber);
        const bytes = await ctx.stub.getState(KEYS.certificateNumber(ctx, certificateNumber));
        if (!bytes || bytes.length === 0) {
            throw new ContractError('NOT_FOUND', `certificateNumber ${certificateNumber} was never issued`);
        }
        const c = await readState<Certificate>(ctx, KEYS.certificate(ctx, Buffer.from(bytes).toString('utf8')));
        if (!c) {
            throw new ContractError('NOT_FOUND', `certificateNumber ${certificateNumber} was never issued`);
        }
        return canonicalJson({
            certificateNumber, status: c.status, issuer: c.issuer, issueDate: c.issueDate,
            ...(c.revokedAt === undefined ? {} : { revokedAt: c.revokedAt }), documentSha256: c.documentSha256,
        });
    }

    public async getCertificate(ctx: Context, applicationId: string): Promise<string> {
        const who = authorize(ctx, 'certificate.read');
        return canonicalJson(certificateView(await loadCertificate(ctx, applicationId), situation(ctx, who)));
    }

    /** Every certificate application on a shipment, with what the caller may do to each. */
    public async listCertificatesByShipment(ctx: Context, shipmentId: string): Promise<string> {
        const who = authorize(ctx, 'certificate.read');
        await loadShipment(ctx, shipmentId);
        const s = situation(ctx, who);
        return canonicalJson((await listShipmentCertificates(ctx, shipmentId)).map((c) => certificateView(c, s)));
    }

    /** One page of the certificate applications in a status (customs' work queue). */
    public async queryCertificatesByStatus(ctx: Context, status: string, pageSize: string, bookmark: string): Promise<string> {
        const who = authorize(ctx, 'certificate.read');
        v.oneOf('status', status, CERTIFICATE_STATUSES);
        const s = situation(ctx, who);
        return canonicalJson(await pageIndex(ctx, INDEXES.certificateByStatus, status, parsePageSize(pageSize), bookmark, async (id) => {
            const c = await readState<Certificate>(ctx, KEYS.certificate(ctx, id));
            return c && certificateView(c, s);
        }));
    }

    /** The private details, for the exporter, customs and the bank. */
    public async getCertificateDetails(ctx: Context, applicationId: string): Promise<string> {
        const who = authorize(ctx, 'certificate.read');
        requireMember(who, CERTIFICATE_COLLECTION);
        await loadCertificate(ctx, applicationId);
        return canonicalJson(await loadCertificateDetails(ctx, applicationId));
    }
}
