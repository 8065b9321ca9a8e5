/**
 * Trade financing against a shipment: the exporter requests (amount and terms only in transient `terms`), a bank
 * officer examines (the chaincode writes the discrepancy report), a different approver approves or rejects and
 * releases funds; the exporter may withdraw. Terms and report are readable by the exporter and the bank only.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { FINANCING_STATUSES } from '../../../chaincode/src/lifecycle';
import { type TradeDeps, ok, query, submit, transient, written } from './chaincode';
import { queueOperation } from './queues';
import { ExaminationReportSchema, FinancingSchema, FinancingTermsSchema, FinancingViewSchema } from './records';
import { assessFinancingQuietly, requestFinancingWatched } from './risk';
import { Currency, Id, IsoDate, Label, Money, ReasonBody, idParams, requireMoney, writeResponse } from './schemas';
import { step } from './step';

const RequestBody = Type.Object({
    financingId: Id,
    shipmentId: Id,
    financingType: Type.Union([Type.Literal('DOCUMENTARY_CREDIT'), Type.Literal('RECEIVABLES_FINANCING')]),
    transportDocumentReference: Id,
    declarationId: Id,
    certificateApplicationId: Type.Optional(Id),
    documentIds: Type.Object({ commercialInvoice: Id, packingList: Id, insuranceCertificate: Type.Optional(Id) }, { additionalProperties: false }),
    requiresBlHeldByBank: Type.Boolean(),
    requiresCertificateOfOrigin: Type.Boolean(),
    terms: Type.Object({
        amount: Money,
        currency: Currency,
        tenorDays: Type.Integer({ minimum: 1, maximum: 720 }),
        expiryDate: IsoDate,
        creditReference: Type.Optional(Label(64)),
    }, { additionalProperties: false, description: 'Sent only as transient data' }),
}, { additionalProperties: false });

const ApproveBody = Type.Object({
    waiveDiscrepancies: Type.Boolean({ description: 'Required true to approve despite listed discrepancies' }),
}, { additionalProperties: false });

const FinancingRecord = FinancingSchema;
const Params = idParams('financingId');
const base = '/api/v1/financing';

export function financingOperations(deps: TradeDeps): AnyOperation[] {
    const at = (path: string, operationId: string, summary: string, fn: string) => ({
        path: `${base}/{financingId}/${path}`, param: 'financingId', operationId, summary, tags: ['financing'], fn, response: FinancingRecord,
    });
    const read = (path: string, operationId: string, summary: string, fn: string, schema: TSchema): AnyOperation => defineOperation({
        method: 'get', path: `${base}/{financingId}${path}`, operationId, tags: ['financing'], access: 'user', summary,
        params: Params,
        responses: { 200: { description: summary, schema } },
        async handle(context) {
            return ok(await query(deps, callerOf(context).name, fn, [context.params.financingId]));
        },
    });

    return [
        queueOperation(deps, {
            path: base, operationId: 'listFinancing', tag: 'financing', item: FinancingViewSchema,
            summary: 'One page of the financings in a status (the bank\'s work queue); follow nextCursor for the next page',
            status: { values: FINANCING_STATUSES, fn: 'financing:queryFinancingsByStatus' },
        }),
        defineOperation({
            method: 'post', path: base, operationId: 'requestFinancing', tags: ['financing'], access: 'user',
            summary: 'Request financing against a shipment (exporter, forwarder); amount and terms travel as transient data only',
            body: RequestBody,
            responses: writeResponse(201, 'Requested', FinancingRecord),
            async handle(context) {
                const { financingId, shipmentId, terms, ...request } = context.body;
                requireMoney('terms.amount', terms.amount, terms.currency);
                const user = callerOf(context).name;
                const { transportDocumentReference, declarationId } = request;
                const result = await requestFinancingWatched(deps, user, context.log, { financingId, transportDocumentReference, declarationId },
                    () => submit(deps, user, 'financing:requestFinancing', {
                        arguments: [financingId, shipmentId, JSON.stringify(request)],
                        transientData: transient({ terms }),
                    }));
                const reply = written(result, 201, `${base}/${encodeURIComponent(financingId)}`);
                const assessment = await assessFinancingQuietly(deps, user, context.log, financingId);
                return { ...reply, headers: { ...reply.headers, 'X-Risk-Assessment': assessment ?? 'pending' } };
            },
        }),
        step(deps, at('examine', 'examineFinancing', 'Examine the presented documents (bank officer); the discrepancy report is at /examination-report', 'financing:examineFinancing')),
        step(deps, { ...at('approve', 'approveFinancing', 'Approve (bank approver other than the examiner)', 'financing:approveFinancing'),
            body: ApproveBody, args: (b) => [String(b.waiveDiscrepancies)] }),
        step(deps, { ...at('reject', 'rejectFinancing', 'Refuse the presentation (bank approver other than the examiner)', 'financing:rejectFinancing'),
            body: ReasonBody, args: (b) => [b.reason] }),
        step(deps, at('release', 'releaseFunds', 'Release funds once every gate holds (bank approver)', 'financing:releaseFunds')),
        step(deps, at('withdraw', 'withdrawFinancing', 'Withdraw a request not yet decided (exporter, forwarder)', 'financing:withdrawFinancing')),
        read('', 'getFinancing', 'A financing\'s public part (every member)', 'financing:getFinancing', FinancingViewSchema),
        read('/terms', 'getFinancingTerms', 'Amount and terms (exporter, bank)', 'financing:getFinancingTerms', FinancingTermsSchema),
        read('/examination-report', 'getExaminationReport', 'The discrepancy report (exporter, bank)', 'financing:getExaminationReport', ExaminationReportSchema),
    ];
}
