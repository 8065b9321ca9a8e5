/**
 * Risk monitoring for the trade supervisor: a fixed, deterministic rule set evaluated as chaincode queries over the
 * ledger, so every peer computes the same alerts from the same state and nobody (the supervisor included) can raise
 * or suppress one by hand. Only what a rule cannot find in committed state is written for it:
 *  - refused attempts (Fabric commits nothing for a refused proposal): the refused party's gateway records the
 *    attempt, and this contract checks that the refusal condition really holds before it does;
 *  - the financing/invoice comparison, which needs two collections: run on the exporter's and bank's peers (members
 *    of both), it writes only whether the amount exceeds the invoice total, never the amounts.
 * An alert's status (open, acknowledged, closed with a reason) is the one thing people write, by its stable id.
 * Alerts and what they cite are public facts of the channel; the API shows each alert to the supervisor and to the
 * organisations it concerns.
 */
import { Context, Contract } from 'fabric-contract-api';
import { BillOfLading, loadBillOfLading } from './bill-of-lading-contract';
import { Certificate } from './certificate-contract';
import { compareDecimals } from './decimal';
import { HASH_INDEX } from './document-contract';
import { DocumentVersion, readCurrent, readVersion } from './documents';
import { ContractError } from './errors';
import { FINANCING_COLLECTION, Financing, FinancingTerms, liveFinancingOn, loadFinancing } from './financing-contract';
import { canonicalJson } from './json';
import { Stamp, key, readPrivate, readState, sha256, stamp, writeState } from './ledger';
import { Caller, authorize } from './permissions';
import { RECORD_KEYS } from './records';
import { Shipment } from './shipment-contract';
import * as v from './validation';

export const RULES = ['DOUBLE_FINANCING', 'DUPLICATE_FILE', 'OVER_FINANCING', 'BL_AFTER_END', 'REVOKED_COO'] as const;
export type Rule = typeof RULES[number];
export const ALERT_STATUSES = ['OPEN', 'ACKNOWLEDGED', 'CLOSED'] as const;
export type AlertStatus = typeof ALERT_STATUSES[number];

/** B/L states after which a transfer or endorsement can only be an attempt to pass on a spent document of title. */
const SPENT_BL: readonly BillOfLading['transportDocumentStatus'][] = ['PENDING_SURRENDER_FOR_DELIVERY', 'SURRENDER_FOR_DELIVERY', 'VOID'];

const ATTEMPT = 'risk~attempt';
const ASSESSMENT = 'risk~financingAssessment';
const ALERT_STATUS = 'risk~alertStatus';
const SUPERVISOR_MSP = 'SupervisorMSP';

export type AttemptKind = 'FINANCING' | 'BILL_OF_LADING';

/** A refused proposal, recorded after the refusal by the refused party's gateway (checked true when recorded). */
export interface RefusedAttempt {
    kind: AttemptKind; subjectId: string; shipmentId: string;
    /** FINANCING: the financing asked for, and the live one that holds the document. BILL_OF_LADING: the action. */
    financingId?: string; heldBy?: string; lockedDocument?: 'billOfLading' | 'declaration'; action?: 'TRANSFER' | 'ENDORSE';
    blStatus?: string; refusedTxId: string; recordedBy: Stamp;
}

export interface FinancingAssessment {
    financingId: string; shipmentId: string; invoiceDocumentId: string; invoiceVersion: number;
    /** Whether amount and invoice total are in one currency and so comparable; a mismatch is itself reported. */
    comparable: boolean; exceedsInvoice: boolean; assessedBy: Stamp;
}

interface StatusChange { status: AlertStatus; by: Stamp; reason?: string }
interface AlertStatusRecord { alertId: string; status: AlertStatus; changes: StatusChange[] }

export interface Citation { record: string; id: string; txId: string; what: string }

export interface Alert {
    alertId: string; rule: Rule; summary: string;
    shipmentIds: string[]; exporters: string[];
    /** Organisations the alert concerns (besides the supervisor, who sees every alert). */
    concerns: string[];
    citations: Citation[]; raisedAt: string;
    status: AlertStatus; reason?: string; changes: StatusChange[];
}

type Finding = Omit<Alert, 'status' | 'reason' | 'changes'>;

/** Stable id of a rule's finding about one subject: the same on every peer and every evaluation. */
export function alertId(rule: Rule, subject: string): string {
    return `${rule}-${sha256(`${rule}\n${subject}`).slice(0, 24)}`;
}

async function scan<T>(ctx: Context, type: string, attrs: string[] = []): Promise<{ attributes: string[]; value: T | undefined }[]> {
    const iterator = await ctx.stub.getStateByPartialCompositeKey(type, attrs);
    const out: { attributes: string[]; value: T | undefined }[] = [];
    try {
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
            const bytes = Buffer.from(r.value.value);
            out.push({
                attributes: ctx.stub.splitCompositeKey(r.value.key).attributes,
                value: bytes.length > 1 ? JSON.parse(bytes.toString('utf8')) as T : undefined,
            });
        }
    } finally {
        await iterator.close();
    }
    return out;
}

/** An exporter as the rules name it: the shipment's exporter company and country, "Name (CN)". */
const EXPORTER_KEY_MAX = v.LIMITS.shortText + 5;

function exporterName(s: Shipment | undefined): string[] {
    return s ? [`${s.exporter.name} (${s.exporter.country})`] : [];
}

function earliest(times: readonly string[]): string {
    return [...times].sort()[0] ?? '';
}

function uniqueSorted(values: readonly string[]): string[] {
    return [...new Set(values)].sort();
}

/** Loads shipments once per evaluation. */
function shipmentCache(ctx: Context): (id: string) => Promise<Shipment | undefined> {
    const cache = new Map<string, Promise<Shipment | undefined>>();
    return (id) => {
        let found = cache.get(id);
        if (!found) {
            found = readState<Shipment>(ctx, key(ctx, RECORD_KEYS.shipment, id));
            cache.set(id, found);
        }
        return found;
    };
}

/** DOUBLE_FINANCING and BL_AFTER_END: one alert per document, citing every recorded attempt on it. */
async function attemptFindings(ctx: Context, shipment: (id: string) => Promise<Shipment | undefined>): Promise<Finding[]> {
    const groups = new Map<string, RefusedAttempt[]>();
    for (const { value } of await scan<RefusedAttempt>(ctx, ATTEMPT)) {
        if (value) {
            const k = `${value.kind}\n${value.lockedDocument ?? ''}\n${value.subjectId}`;
            groups.set(k, [...(groups.get(k) ?? []), value]);
        }
    }
    const findings: Finding[] = [];
    for (const attempts of groups.values()) {
        const first = attempts[0] as RefusedAttempt;
        const s = await shipment(first.shipmentId);
        const attemptCitations = attempts.flatMap((a): Citation[] => [
            { record: 'refusedAttempt', id: a.subjectId, txId: a.refusedTxId, what: `refused proposal by ${a.recordedBy.mspId} (${a.recordedBy.role})` },
            { record: 'refusedAttempt', id: a.subjectId, txId: a.recordedBy.txId, what: 'the refusal recorded' },
        ]);
        if (first.kind === 'FINANCING') {
            const held = first.heldBy === undefined ? undefined : await readState<Financing>(ctx, key(ctx, RECORD_KEYS.financing, first.heldBy));
            const doc = first.lockedDocument === 'declaration' ? 'declaration' : 'bill of lading';
            findings.push({
                alertId: alertId('DOUBLE_FINANCING', `${first.lockedDocument ?? ''}\n${first.subjectId}`), rule: 'DOUBLE_FINANCING',
                summary: `${attempts.length} refused attempt(s) to finance ${doc} ${first.subjectId} again while it backs financing ${first.heldBy ?? '?'}`,
                shipmentIds: [first.shipmentId], exporters: exporterName(s), concerns: ['BankMSP', 'ExporterMSP'],
                citations: [
                    ...(held ? [{ record: 'financing', id: held.financingId, txId: held.requestedBy.txId, what: `the financing it backs (${held.status})` }] : []),
                    ...attemptCitations,
                ],
                raisedAt: earliest(attempts.map((a) => a.recordedBy.at)),
            });
        } else {
            const bl = await readState<BillOfLading>(ctx, key(ctx, RECORD_KEYS.billOfLading, first.subjectId));
            findings.push({
                alertId: alertId('BL_AFTER_END', first.subjectId), rule: 'BL_AFTER_END',
                summary: `${attempts.length} refused attempt(s) to transfer or endorse bill of lading ${first.subjectId} after it was ${first.blStatus ?? 'surrendered or voided'}`,
                shipmentIds: [first.shipmentId], exporters: exporterName(s),
                concerns: uniqueSorted([...(bl ? [bl.carrierMspId, bl.holderMspId] : []), ...attempts.map((a) => a.recordedBy.mspId)]),
                citations: [
                    ...(bl ? [{ record: 'billOfLading', id: bl.transportDocumentReference, txId: bl.updatedBy.txId, what: `made it ${bl.transportDocumentStatus}` }] : []),
                    ...attemptCitations,
                ],
                raisedAt: earliest(attempts.map((a) => a.recordedBy.at)),
            });
        }
    }
    return findings;
}

/** DUPLICATE_FILE: the same bytes (SHA-256) registered on more than one shipment. */
async function duplicateFileFindings(ctx: Context, shipment: (id: string) => Promise<Shipment | undefined>): Promise<Finding[]> {
    const byDigest = new Map<string, DocumentVersion[]>();
    for (const { attributes: [digest, documentId, label] } of await scan<unknown>(ctx, HASH_INDEX)) {
        if (digest === undefined || documentId === undefined) {
            continue;
        }
        const version = await readVersion(ctx, documentId, Number(label));
        if (version) {
            byDigest.set(digest, [...(byDigest.get(digest) ?? []), version]);
        }
    }
    const findings: Finding[] = [];
    for (const [digest, versions] of byDigest) {
        const shipmentIds = uniqueSorted(versions.map((x) => x.shipmentId));
        if (shipmentIds.length < 2) {
            continue;
        }
        const shipments = await Promise.all(shipmentIds.map(shipment));
        findings.push({
            alertId: alertId('DUPLICATE_FILE', digest), rule: 'DUPLICATE_FILE',
            summary: `the same file (SHA-256 ${digest.slice(0, 12)}…) is registered on ${shipmentIds.length} shipments: ${shipmentIds.join(', ')}`,
            shipmentIds, exporters: uniqueSorted(shipments.flatMap(exporterName)),
            concerns: uniqueSorted(versions.map((x) => x.uploadedBy.mspId)),
            citations: versions.map((x) => ({ record: 'document', id: `${x.documentId} v${x.version}`, txId: x.uploadedBy.txId, what: `${x.docType} of shipment ${x.shipmentId}` })),
            raisedAt: earliest(versions.map((x) => x.uploadedBy.at)),
        });
    }
    return findings;
}

/** OVER_FINANCING: an assessment found the amount above the invoice total (or in another currency). */
async function overFinancingFindings(ctx: Context, shipment: (id: string) => Promise<Shipment | undefined>): Promise<Finding[]> {
    const findings: Finding[] = [];
    for (const { value: a } of await scan<FinancingAssessment>(ctx, ASSESSMENT)) {
        if (!a || (a.comparable && !a.exceedsInvoice)) {
            continue;
        }
        const f = await readState<Financing>(ctx, key(ctx, RECORD_KEYS.financing, a.financingId));
        const invoice = await readVersion(ctx, a.invoiceDocumentId, a.invoiceVersion);
        findings.push({
            alertId: alertId('OVER_FINANCING', a.financingId), rule: 'OVER_FINANCING',
            summary: a.comparable
                ? `financing ${a.financingId} asks for more than the total of commercial invoice ${a.invoiceDocumentId}`
                : `financing ${a.financingId} is in another currency than commercial invoice ${a.invoiceDocumentId}`,
            shipmentIds: [a.shipmentId], exporters: exporterName(await shipment(a.shipmentId)), concerns: ['BankMSP', 'ExporterMSP'],
            citations: [
                ...(f ? [{ record: 'financing', id: f.financingId, txId: f.requestedBy.txId, what: 'the request' }] : []),
                ...(invoice ? [{ record: 'document', id: `${invoice.documentId} v${invoice.version}`, txId: invoice.uploadedBy.txId, what: 'the commercial invoice' }] : []),
                { record: 'financingAssessment', id: a.financingId, txId: a.assessedBy.txId, what: `compared on the members' peers by ${a.assessedBy.mspId}` },
            ],
            raisedAt: a.assessedBy.at,
        });
    }
    return findings;
}

/** REVOKED_COO: one alert per exporter with a revoked certificate of origin, citing each revocation. */
async function revokedCertificateFindings(ctx: Context, shipment: (id: string) => Promise<Shipment | undefined>): Promise<Finding[]> {
    const byExporter = new Map<string, { certificates: Certificate[]; shipmentIds: string[] }>();
    for (const { value: c } of await scan<Certificate>(ctx, RECORD_KEYS.certificate)) {
        if (!c || c.status !== 'REVOKED') {
            continue;
        }
        const [name] = exporterName(await shipment(c.shipmentId));
        const k = name ?? c.appliedBy.id;
        const group = byExporter.get(k) ?? { certificates: [], shipmentIds: [] };
        group.certificates.push(c);
        group.shipmentIds.push(c.shipmentId);
        byExporter.set(k, group);
    }
    return [...byExporter].map(([exporter, { certificates, shipmentIds }]) => ({
        alertId: alertId('REVOKED_COO', exporter), rule: 'REVOKED_COO',
        summary: `exporter ${exporter}: ${certificates.length} certificate(s) of origin revoked`,
        shipmentIds: uniqueSorted(shipmentIds), exporters: [exporter], concerns: ['CustomsMSP', 'ExporterMSP'],
        citations: certificates.map((c) => ({ record: 'certificate', id: c.applicationId, txId: c.updatedBy.txId, what: `revoked: ${c.reason ?? ''}` })),
        raisedAt: earliest(certificates.map((c) => c.revokedAt ?? c.updatedBy.at)),
    }));
}

/** Every rule over the whole ledger, sorted by when each alert was raised. */
export async function evaluateRules(ctx: Context): Promise<Finding[]> {
    const shipment = shipmentCache(ctx);
    const all = [
        ...await attemptFindings(ctx, shipment),
        ...await duplicateFileFindings(ctx, shipment),
        ...await overFinancingFindings(ctx, shipment),
        ...await revokedCertificateFindings(ctx, shipment),
    ];
    return all.sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.alertId.localeCompare(b.alertId));
}

function alertOf(f: Finding, record: AlertStatusRecord | undefined): Alert {
    const last = record?.changes[record.changes.length - 1];
    return {
        ...f, status: record?.status ?? 'OPEN', changes: record?.changes ?? [],
        ...(last?.reason === undefined ? {} : { reason: last.reason }),
    };
}

async function withStatus(ctx: Context, f: Finding): Promise<Alert> {
    return alertOf(f, await readState<AlertStatusRecord>(ctx, key(ctx, ALERT_STATUS, f.alertId)));
}

/** The supervisor sees every alert; another organisation those that concern it. */
function visibleTo(who: Caller, f: Finding): boolean {
    return who.mspId === SUPERVISOR_MSP || f.concerns.includes(who.mspId);
}

interface AlertFilter { rule?: Rule; status?: AlertStatus; exporter?: string; shipmentId?: string }

function parseFilter(text: string): AlertFilter {
    const o = v.parseObject('filterJson', text === '' ? '{}' : text);
    for (const name of Object.keys(o)) {
        if (!['rule', 'status', 'exporter', 'shipmentId'].includes(name)) {
            throw new ContractError('INVALID_ARGUMENT', `filterJson.${name} is not a known filter (rule, status, exporter, shipmentId)`);
        }
    }
    return {
        ...(o['rule'] === undefined ? {} : { rule: v.oneOf('filterJson.rule', o['rule'], RULES) }),
        ...(o['status'] === undefined ? {} : { status: v.oneOf('filterJson.status', o['status'], ALERT_STATUSES) }),
        ...(o['exporter'] === undefined ? {} : { exporter: v.text('filterJson.exporter', o['exporter'], EXPORTER_KEY_MAX) }),
        ...(o['shipmentId'] === undefined ? {} : { shipmentId: v.id('filterJson.shipmentId', o['shipmentId']) }),
    };
}

function parseAttemptTx(value: unknown): string {
    return v.sha256Hex('refusedTxId', value);
}

export class RiskContract extends Contract {
    constructor() {
        super('risk');
    }

    /**
     * Records a proposal the chaincode refused, for the rules to see. `kind` FINANCING, `attemptJson`
     * {financingId, transportDocumentReference, declarationId, refusedTxId}: refused because the B/L or the
     * declaration backs another live financing. `kind` BILL_OF_LADING, {transportDocumentReference, action: TRANSFER |
     * ENDORSE, refusedTxId}: refused because the B/L was surrendered for delivery or voided. Refused itself unless that
     * condition holds now, so nothing untrue is recorded.
     */
    public async recordRefusedAttempt(ctx: Context, kind: string, attemptJson: string): Promise<string> {
        const who = authorize(ctx, 'risk.recordAttempt');
        const which = v.oneOf<AttemptKind>('kind', kind, ['FINANCING', 'BILL_OF_LADING']);
        const o = v.parseObject('attemptJson', attemptJson);
        const refusedTxId = parseAttemptTx(o['refusedTxId']);
        const recordedBy = stamp(ctx, who);
        let attempt: RefusedAttempt;
        if (which === 'FINANCING') {
            const financingId = v.id('financingId', o['financingId']);
            const bl = await loadBillOfLading(ctx, v.id('transportDocumentReference', o['transportDocumentReference']));
            const declarationId = v.id('declarationId', o['declarationId']);
            const onBl = await liveFinancingOn(ctx, 'billOfLading', bl.transportDocumentReference);
            const onDeclaration = onBl ? undefined : await liveFinancingOn(ctx, 'declaration', declarationId);
            const held = onBl ?? onDeclaration;
            if (!held || held.financingId === financingId) {
                throw new ContractError('FAILED_PRECONDITION', `neither bill of lading ${bl.transportDocumentReference} nor declaration ${declarationId} backs another live financing: no refusal to record`);
            }
            const lockedDocument = onBl ? 'billOfLading' : 'declaration';
            attempt = {
                kind: which, subjectId: onBl ? bl.transportDocumentReference : declarationId, shipmentId: held.shipmentId,
                financingId, heldBy: held.financingId, lockedDocument, refusedTxId, recordedBy,
            };
        } else {
            const bl = await loadBillOfLading(ctx, v.id('transportDocumentReference', o['transportDocumentReference']));
            const action = v.oneOf('action', o['action'], ['TRANSFER', 'ENDORSE'] as const);
            if (!SPENT_BL.includes(bl.transportDocumentStatus)) {
                throw new ContractError('FAILED_PRECONDITION', `bill of lading ${bl.transportDocumentReference} is ${bl.transportDocumentStatus}, not surrendered for delivery or void: no refusal to record`);
            }
            attempt = {
                kind: which, subjectId: bl.transportDocumentReference, shipmentId: bl.shipmentId, action,
                blStatus: bl.transportDocumentStatus, refusedTxId, recordedBy,
            };
        }
        await writeState(ctx, key(ctx, ATTEMPT, which, attempt.subjectId, ctx.stub.getTxID()), attempt);
        return canonicalJson(attempt);
    }

    /**
     * Compares a financing's amount with its commercial invoice's total, on peers of organisations that hold both
     * (exporter, bank), and writes only the outcome. Idempotent per invoice version.
     */
    public async assessFinancing(ctx: Context, financingId: string): Promise<string> {
        const who = authorize(ctx, 'risk.assessFinancing');
        const f = await loadFinancing(ctx, financingId);
        const terms = await readPrivate<FinancingTerms>(ctx, FINANCING_COLLECTION, key(ctx, 'financingTerms', financingId));
        const invoice = await readCurrent(ctx, f.documentIds.commercialInvoice);
        if (!terms || !invoice?.fields) {
            throw new ContractError('NOT_FOUND', `the terms of financing ${financingId} or its invoice's content are not on this peer`);
        }
        const { totalAmount, currency } = invoice.fields;
        if (totalAmount === undefined || currency === undefined) {
            throw new ContractError('FAILED_PRECONDITION', `commercial invoice ${f.documentIds.commercialInvoice} states no totalAmount and currency to compare with`);
        }
        const comparable = currency === terms.currency;
        const assessment: FinancingAssessment = {
            financingId, shipmentId: f.shipmentId, invoiceDocumentId: invoice.head.documentId, invoiceVersion: invoice.version.version,
            comparable, exceedsInvoice: comparable && compareDecimals(terms.amount, totalAmount) > 0, assessedBy: stamp(ctx, who),
        };
        const k = key(ctx, ASSESSMENT, financingId);
        const previous = await readState<FinancingAssessment>(ctx, k);
        if (previous && previous.invoiceVersion === assessment.invoiceVersion) {
            return canonicalJson(previous);
        }
        await writeState(ctx, k, assessment);
        return canonicalJson(assessment);
    }

    /** The alerts the caller may see, with their status; `filterJson` {rule?, status?, exporter?, shipmentId?}. */
    public async listAlerts(ctx: Context, filterJson: string): Promise<string> {
        const who = authorize(ctx, 'risk.read');
        const filter = parseFilter(filterJson);
        const alerts: Alert[] = [];
        for (const f of await evaluateRules(ctx)) {
            if (!visibleTo(who, f) || (filter.rule && f.rule !== filter.rule)
                || (filter.exporter && !f.exporters.includes(filter.exporter)) || (filter.shipmentId && !f.shipmentIds.includes(filter.shipmentId))) {
                continue;
            }
            const alert = await withStatus(ctx, f);
            if (!filter.status || alert.status === filter.status) {
                alerts.push(alert);
            }
        }
        return canonicalJson({ alerts });
    }

    public async getAlert(ctx: Context, id: string): Promise<string> {
        const who = authorize(ctx, 'risk.read');
        return canonicalJson(await withStatus(ctx, await findAlert(ctx, who, id)));
    }

    /** Someone of the supervisor has seen the alert and is looking into it. */
    public async acknowledgeAlert(ctx: Context, id: string): Promise<string> {
        const who = authorize(ctx, 'risk.acknowledge');
        return canonicalJson(await changeStatus(ctx, who, id, 'ACKNOWLEDGED', ['OPEN']));
    }

    /** A supervisor officer closes the alert, saying why (for example "explained: partial shipment re-invoiced"). */
    public async closeAlert(ctx: Context, id: string, reason: string): Promise<string> {
        const who = authorize(ctx, 'risk.close');
        return canonicalJson(await changeStatus(ctx, who, id, 'CLOSED', ['OPEN', 'ACKNOWLEDGED'], v.text('reason', reason)));
    }
}

async function findAlert(ctx: Context, who: Caller, id: string): Promise<Finding> {
    v.id('alertId', id);
    const found = (await evaluateRules(ctx)).find((f) => f.alertId === id);
    if (!found || !visibleTo(who, found)) {
        throw new ContractError('NOT_FOUND', `alert ${id} does not exist`);
    }
    return found;
}

async function changeStatus(ctx: Context, who: Caller, id: string, status: AlertStatus, from: readonly AlertStatus[], reason?: string): Promise<Alert> {
    const finding = await findAlert(ctx, who, id);
    const k = key(ctx, ALERT_STATUS, id);
    const record = await readState<AlertStatusRecord>(ctx, k) ?? { alertId: id, status: 'OPEN', changes: [] };
    if (!from.includes(record.status)) {
        throw new ContractError('FAILED_PRECONDITION', `alert ${id} is ${record.status}, must be ${from.join(' or ')}`);
    }
    const change: StatusChange = { status, by: stamp(ctx, who), ...(reason === undefined ? {} : { reason }) };
    const next: AlertStatusRecord = { alertId: id, status, changes: [...record.changes, change] };
    // A transaction does not read its own writes: the answer is built from what it writes.
    await writeState(ctx, k, next);
    return alertOf(finding, next);
}
