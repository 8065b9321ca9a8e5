/**
 * Risk monitoring (chaincode risk-contract.ts): the alerts the caller's organisation may see, their status changes
 * by the supervisor, and what the gateway records for the rules. Fabric commits nothing for a refused proposal, so
 * when the chaincode refuses a second financing of a document or a move of a spent B/L, this gateway records the
 * attempt as a transaction of its own, signed by the same person (the chaincode checks the refusal holds); and
 * after a financing request it asks the members' peers to compare the amount with the invoice.
 */
import { Type } from '@sinclair/typebox';
import type { Logger } from 'pino';
import { ApiError } from '../errors';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { type TradeDeps, type Written, ok, query, submit, written } from './chaincode';
import { ALERT_STATUSES, AlertListSchema, AlertSchema, FinancingAssessmentSchema, RISK_RULES } from './records';
import { Id, Label, ReasonBody, idParams, writeResponse } from './schemas';


const ListQuery = Type.Object({
    rule: Type.Optional(Type.Union(RISK_RULES.map((r) => Type.Literal(r)))),
    status: Type.Optional(Type.Union(ALERT_STATUSES.map((s) => Type.Literal(s)))),
    exporter: Type.Optional(Label(125, 'An exporter as the alerts name it: "Company (CC)"')),
    shipmentId: Type.Optional(Id),
}, { additionalProperties: false });

const AlertRecord = AlertSchema;
const base = '/api/v1/risk/alerts';

/** The refused proposal's transaction id, when the chaincode refused it with one of `codes`. */
function refusalTx(err: unknown, codes: readonly string[]): string | undefined {
    return err instanceof ApiError && codes.includes(err.code) && err.transactionId ? err.transactionId : undefined;
}

/**
 * Runs `write`; when the chaincode refuses it, offers the attempt to the rules (the chaincode records it only if the
 * refusal is one a rule watches, and refuses to otherwise), then rethrows the refusal unchanged: the caller gets it
 * as before. A failure to record is not the caller's problem: it is logged and the refusal stands.
 */
async function recordingRefusal<T>(deps: TradeDeps, user: string, log: Logger, codes: readonly string[], write: () => Promise<Written<T>>,
    attempt: (refusedTxId: string) => { kind: 'FINANCING' | 'BILL_OF_LADING'; attempt: Record<string, string> }): Promise<Written<T>> {
    try {
        return await write();
    } catch (err) {
        const refusedTxId = refusalTx(err, codes);
        if (refusedTxId) {
            const { kind, attempt: details } = attempt(refusedTxId);
            await submit(deps, user, 'risk:recordRefusedAttempt', { arguments: [kind, JSON.stringify(details)] }).catch((recordError: unknown) => {
                // FAILED_PRECONDITION: a refusal no rule watches (the chaincode said so); anything else is worth a look.
                const level = recordError instanceof ApiError && recordError.code === 'FAILED_PRECONDITION' ? 'debug' : 'warn';
                log[level]({ err: recordError, refusedTxId }, 'the refused attempt was not recorded for the risk rules');
            });
        }
        throw err;
    }
}

/** A financing request; refused because its B/L or declaration backs another live financing, it is recorded. */
export function requestFinancingWatched<T>(deps: TradeDeps, user: string, log: Logger, request: { financingId: string; transportDocumentReference: string; declarationId: string },
    write: () => Promise<Written<T>>): Promise<Written<T>> {
    return recordingRefusal(deps, user, log, ['CONFLICT'], write, (refusedTxId) => ({ kind: 'FINANCING', attempt: { ...request, refusedTxId } }));
}

/**
 * A B/L transfer or endorsement; refused because the B/L was surrendered for delivery or voided, it is recorded
 * (after a surrender or a void the carrier holds it, so the refusal is FORBIDDEN as often as FAILED_PRECONDITION).
 */
export function moveBillOfLadingWatched<T>(deps: TradeDeps, user: string, log: Logger, transportDocumentReference: string, action: 'TRANSFER' | 'ENDORSE',
    write: () => Promise<Written<T>>): Promise<Written<T>> {
    return recordingRefusal(deps, user, log, ['FORBIDDEN', 'FAILED_PRECONDITION'], write,
        (refusedTxId) => ({ kind: 'BILL_OF_LADING', attempt: { transportDocumentReference, action, refusedTxId } }));
}

/**
 * After a committed financing request: the amount compared with the invoice total on the exporter's and bank's
 * peers. Answers the assessment's transaction id, or undefined when it could not run now (the bank runs it again
 * with POST /financing/{id}/risk-assessment).
 */
export async function assessFinancingQuietly(deps: TradeDeps, user: string, log: Logger, financingId: string): Promise<string | undefined> {
    try {
        return (await submit(deps, user, 'risk:assessFinancing', { arguments: [financingId] })).transactionId;
    } catch (err) {
        log.warn({ err, financingId }, 'the financing was requested; its risk assessment did not run now');
        return undefined;
    }
}

export function riskOperations(deps: TradeDeps): AnyOperation[] {
    const AlertParams = idParams('alertId');
    return [
        defineOperation({
            method: 'get', path: base, operationId: 'listAlerts', tags: ['risk'], access: 'user',
            summary: 'Alerts of the risk rules: every alert for the supervisor, those concerning it for another organisation',
            query: ListQuery,
            responses: { 200: { description: 'The alerts, oldest first', schema: AlertListSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'risk:listAlerts', [JSON.stringify(context.query)]));
            },
        }),
        defineOperation({
            method: 'get', path: `${base}/{alertId}`, operationId: 'getAlert', tags: ['risk'], access: 'user',
            summary: 'One alert with the records and transactions it cites',
            params: AlertParams,
            responses: { 200: { description: 'The alert', schema: AlertRecord } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'risk:getAlert', [context.params.alertId]));
            },
        }),
        defineOperation({
            method: 'post', path: `${base}/{alertId}/acknowledge`, operationId: 'acknowledgeAlert', tags: ['risk'], access: 'user',
            summary: 'Acknowledge an open alert (supervisor analyst or officer)',
            params: AlertParams,
            responses: writeResponse(200, 'Acknowledged', AlertRecord),
            async handle(context) {
                return written(await submit(deps, callerOf(context).name, 'risk:acknowledgeAlert', { arguments: [context.params.alertId] }));
            },
        }),
        defineOperation({
            method: 'post', path: `${base}/{alertId}/close`, operationId: 'closeAlert', tags: ['risk'], access: 'user',
            summary: 'Close an alert with a reason (supervisor officer)',
            params: AlertParams, body: ReasonBody,
            responses: writeResponse(200, 'Closed', AlertRecord),
            async handle(context) {
                return written(await submit(deps, callerOf(context).name, 'risk:closeAlert', { arguments: [context.params.alertId, context.body.reason] }));
            },
        }),
        defineOperation({
            method: 'post', path: '/api/v1/financing/{financingId}/risk-assessment', operationId: 'assessFinancing', tags: ['risk'], access: 'user',
            summary: 'Compare the financing amount with its invoice total on the members\' peers; only the outcome is written (exporter, bank)',
            params: idParams('financingId'),
            responses: writeResponse(200, 'Assessed', FinancingAssessmentSchema),
            async handle(context) {
                return written(await submit(deps, callerOf(context).name, 'risk:assessFinancing', { arguments: [context.params.financingId] }));
            },
        }),
    ];
}
