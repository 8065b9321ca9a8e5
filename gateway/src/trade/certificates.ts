/**
 * Certificates of origin: the exporter applies (details in transient `certificate`), customs issues, rejects or
 * revokes; anyone holding a certificate number verifies it without logging in.
 */
import { Type } from '@sinclair/typebox';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { CERTIFICATE_STATUSES } from '../../../chaincode/src/lifecycle';
import { type PublicDeps, ok, publicQuery, query, submit, transient, written } from './chaincode';
import { queueOperation } from './queues';
import { step } from './step';
import { Country, Id, IsoDate, Label, Locode, Party, PositiveInt, ReasonBody, Sha256, ShortText, Text, Amount, idParams, writeResponse } from './schemas';
import { CertificateDetailsSchema, CertificateSchema, CertificateVerificationSchema, CertificateViewSchema } from './records';

export type CertificateDeps = PublicDeps;

const CertificateItem = Type.Object({
    marks: ShortText,
    packages: PositiveInt,
    description: Text,
    hsCode: Type.String({ pattern: '^\\d{6}$', description: 'The 6-digit HS code' }),
    quantity: PositiveInt,
    grossWeightKg: Amount,
    invoiceNumber: Label(64),
    invoiceDate: IsoDate,
}, { additionalProperties: false });

const CertificateDetails = Type.Object({
    exporter: Party,
    consignee: Party,
    portOfLoading: Locode,
    portOfDischarge: Locode,
    transportDocumentReference: Type.Optional(Id),
    items: Type.Array(CertificateItem, { minItems: 1, maxItems: 100 }),
}, { additionalProperties: false, description: 'Sent only as transient data' });

const ApplyBody = Type.Object({
    applicationId: Id,
    shipmentId: Id,
    certificateType: Type.Union([Type.Literal('NON_PREFERENTIAL'), Type.Literal('PREFERENTIAL')]),
    countryOfOrigin: Country,
    originCriterion: Type.Optional(Type.Union(['WO', 'PE', 'CTH', 'CTSH', 'CC', 'RVC'].map((c) => Type.Literal(c)), { description: 'PREFERENTIAL only' })),
    documentSha256: Sha256,
    details: CertificateDetails,
}, { additionalProperties: false });

const IssueBody = Type.Object({ certificateNumber: Id }, { additionalProperties: false });
const CertificateRecord = CertificateSchema;
const Verification = CertificateVerificationSchema;
const Params = idParams('applicationId');
const base = '/api/v1/certificates';

export function certificateOperations(deps: CertificateDeps): AnyOperation[] {
    const decision = (path: string, operationId: string, summary: string, fn: string) => ({
        path: `${base}/{applicationId}/${path}`, param: 'applicationId', operationId, summary, tags: ['certificates'], fn, response: CertificateRecord,
    });

    return [
        queueOperation(deps, {
            path: base, operationId: 'listCertificates', tag: 'certificates', item: CertificateViewSchema,
            summary: 'One page of the certificate applications in a status (customs\' work queue); follow nextCursor for the next page',
            status: { values: CERTIFICATE_STATUSES, fn: 'certificate:queryCertificatesByStatus' },
        }),
        defineOperation({
            method: 'post', path: base, operationId: 'applyForCertificate', tags: ['certificates'], access: 'user',
            summary: 'Apply for a certificate of origin (exporter, forwarder); details travel as transient data only',
            body: ApplyBody,
            responses: writeResponse(201, 'Applied', CertificateRecord),
            async handle(context) {
                const { applicationId, shipmentId, details, ...application } = context.body;
                const result = await submit(deps, callerOf(context).name, 'certificate:applyForCertificate', {
                    arguments: [applicationId, shipmentId, JSON.stringify(application)],
                    transientData: transient({ certificate: details }),
                });
                return written(result, 201, `${base}/${encodeURIComponent(applicationId)}`);
            },
        }),
        step(deps, { ...decision('issue', 'issueCertificate', 'Issue under a certificate number (customs)', 'certificate:issueCertificate'),
            body: IssueBody, args: (b) => [b.certificateNumber] }),
        step(deps, { ...decision('reject', 'rejectCertificate', 'Reject the application (customs)', 'certificate:rejectCertificate'),
            body: ReasonBody, args: (b) => [b.reason] }),
        step(deps, { ...decision('revoke', 'revokeCertificate', 'Revoke an issued certificate (customs supervisor; terminal)', 'certificate:revokeCertificate'),
            body: ReasonBody, args: (b) => [b.reason] }),
        defineOperation({
            method: 'get', path: `${base}/{applicationId}`, operationId: 'getCertificate', tags: ['certificates'], access: 'user',
            summary: 'A certificate\'s public part (every member)',
            params: Params,
            responses: { 200: { description: 'The certificate', schema: CertificateViewSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'certificate:getCertificate', [context.params.applicationId]));
            },
        }),
        defineOperation({
            method: 'get', path: `${base}/{applicationId}/details`, operationId: 'getCertificateDetails', tags: ['certificates'], access: 'user',
            summary: 'The private details (exporter, customs, bank)',
            params: Params,
            responses: { 200: { description: 'The details', schema: CertificateDetailsSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'certificate:getCertificateDetails', [context.params.applicationId]));
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/public/certificates/{certificateNumber}', operationId: 'verifyCertificate', tags: ['certificates'], access: 'public',
            summary: 'Verify a certificate of origin by its number, without logging in',
            params: idParams('certificateNumber'),
            responses: { 200: { description: 'The verification', schema: Verification } },
            async handle(context) {
                return ok(await publicQuery(deps, 'certificate:verifyCertificate', [context.params.certificateNumber]));
            },
        }),
    ];
}
