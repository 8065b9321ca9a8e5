/**
 * Documents: multipart upload (hashed while streaming, size-limited, media type checked against the bytes) registered
 * with the bytes and structured fields in transient data; metadata and versions; download of a version's bytes,
 * which the chaincode serves only to members of the type's collection, so a gateway whose organisation may not read
 * a type never holds its content; verification by upload or by hash; revocation of a version.
 */
import { Type } from '@sinclair/typebox';
import { createHash } from 'node:crypto';
import { ApiError } from '../errors';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { compileValidator } from '../http/validation';
import { type PublicDeps, ok, publicQuery, query, submit, written } from './chaincode';
import {
    Amount, Country, Currency, HsCode, Id, IsoDate, Locode, Money, Party, PositiveInt, ReasonBody, Sha256, ShortText, Text, idParams, requireMoney,
    writeResponse,
} from './schemas';
import { DOCUMENT_TYPES, DocumentHeadSchema, DocumentSchema, DocumentVerificationSchema, DocumentVersionSchema, VERSION_STATUSES } from './records';

/** Media types a document may have: those upload.ts recognises by signature. */
const DOCUMENT_MEDIA_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'image/tiff', 'application/xml'] as const;

/** Where /openapi.json publishes DocumentFields (see http/openapi.ts components). */
export const DOCUMENT_FIELDS_REF = { $ref: '#/components/schemas/DocumentFields' } as const;

/** Structured fields a document states (chaincode documents.ts `DocumentFields`), compared by the bank's examination. */
export const DocumentFields = Type.Object({
    documentNumber: Type.Optional(ShortText), documentDate: Type.Optional(IsoDate),
    seller: Type.Optional(Party), buyer: Type.Optional(Party), shipper: Type.Optional(Party), consignee: Type.Optional(Party),
    goodsDescription: Type.Optional(Text), hsCodes: Type.Optional(Type.Array(HsCode, { minItems: 1, maxItems: 50 })),
    quantity: Type.Optional(PositiveInt), packages: Type.Optional(PositiveInt),
    grossWeightKg: Type.Optional(Amount), netWeightKg: Type.Optional(Amount),
    portOfLoading: Type.Optional(Locode), portOfDischarge: Type.Optional(Locode), shipmentDate: Type.Optional(IsoDate),
    totalAmount: Type.Optional(Money), currency: Type.Optional(Currency), countryOfOrigin: Type.Optional(Country),
    transportDocumentReference: Type.Optional(Id),
}, { additionalProperties: false, description: 'Structured fields a document states, compared by the bank\'s examination; every key optional, no other key accepted' });

const RegisterFields = Type.Object({
    documentId: Id,
    docType: Type.Union(DOCUMENT_TYPES.map((t) => Type.Literal(t))),
    // The form field carries JSON text; contentSchema tells clients (and /openapi.json readers) what that JSON is.
    fields: Type.Optional(Type.String({
        maxLength: 64 * 1024, description: 'JSON object of structured fields (DocumentFields)', contentMediaType: 'application/json', contentSchema: DOCUMENT_FIELDS_REF,
    })),
}, { additionalProperties: false });

const validateFields = compileValidator(DocumentFields, 'body');

/** The optional `fields` form field: JSON text, validated as DocumentFields. */
function parseFields(text: string | undefined): string | undefined {
    if (text === undefined) {
        return undefined;
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw new ApiError('INVALID_ARGUMENT', 'fields must be a JSON object');
    }
    try {
        validateFields(value);
    } catch (err) {
        throw err instanceof ApiError ? new ApiError('INVALID_ARGUMENT', `fields: ${err.detail}`) : err;
    }
    const fields = value as { totalAmount?: string; currency?: string };
    if (fields.totalAmount !== undefined && fields.currency !== undefined) {
        requireMoney('fields.totalAmount', fields.totalAmount, fields.currency);
    }
    return JSON.stringify(value);
}

const VersionRecord = DocumentVersionSchema;
const Verification = DocumentVerificationSchema;
/** What an anonymous caller learns: no uploader, file name, shipment or revocation reason. */
const PublicVerification = Type.Object({
    sha256: Sha256,
    registered: Type.Boolean(),
    matches: Type.Array(Type.Object({
        docType: Type.Union(DOCUMENT_TYPES.map((t) => Type.Literal(t))), version: Type.Integer(), status: Type.Union(VERSION_STATUSES.map((s) => Type.Literal(s))),
        registeredAt: Type.String({ format: 'date-time' }),
    }, { additionalProperties: false })),
}, { additionalProperties: false, description: 'Whether a file with this SHA-256 is registered, and per version its type, version, status and registration time' });
const VersionParams = Type.Object({ documentId: Id, version: Type.Integer({ minimum: 1, maximum: 999_999 }) }, { additionalProperties: false });

/** The private half of a version as getDocumentContent answers it. */
interface Content { sha256: string; mediaType: string; contentBase64: string }

export function documentOperations(deps: PublicDeps): AnyOperation[] {
    return [
        defineOperation({
            method: 'post', path: '/api/v1/shipments/{shipmentId}/documents', operationId: 'registerDocument', tags: ['documents'], access: 'user',
            summary: 'Upload a document, or a new version of documentId; bytes and fields go to the type\'s collection as transient data',
            params: idParams('shipmentId'),
            body: RegisterFields,
            upload: { allowedTypes: DOCUMENT_MEDIA_TYPES },
            components: { DocumentFields },
            responses: writeResponse(201, 'Registered version', VersionRecord),
            async handle(context) {
                const file = context.upload!;
                const { documentId, docType } = context.body;
                const fields = parseFields(context.body.fields);
                const meta = { docType, sha256: file.sha256, size: file.size, mediaType: file.mediaType, fileName: file.filename.slice(0, 255) };
                const result = await submit(deps, callerOf(context).name, 'document:registerDocument', {
                    arguments: [documentId, context.params.shipmentId, JSON.stringify(meta)],
                    transientData: { content: file.content, ...(fields === undefined ? {} : { fields }) },
                });
                return written(result, 201, `/api/v1/documents/${encodeURIComponent(documentId)}`);
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/shipments/{shipmentId}/documents', operationId: 'listShipmentDocuments', tags: ['documents'], access: 'user',
            summary: 'Every document registered on a shipment (heads)',
            params: idParams('shipmentId'),
            responses: { 200: { description: 'Document heads', schema: Type.Array(DocumentHeadSchema) } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'document:listShipmentDocuments', [context.params.shipmentId]));
            },
        }),
        // Declared before /documents/{documentId}: Express matches in order, and "verify" is a well-formed id.
        defineOperation({
            method: 'get', path: '/api/v1/documents/verify', operationId: 'verifyDocumentHash', tags: ['documents'], access: 'user',
            summary: 'Which registered versions have this SHA-256, and their status',
            query: Type.Object({ sha256: Sha256 }, { additionalProperties: false }),
            responses: { 200: { description: 'Matches', schema: Verification } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'document:verifyDocumentHash', [context.query.sha256]));
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/public/documents/{sha256}', operationId: 'verifyDocumentPublic', tags: ['documents'], access: 'public',
            summary: 'Whether a file with this SHA-256 is registered: type, version, status and registration time only, without logging in',
            params: Type.Object({ sha256: Sha256 }, { additionalProperties: false }),
            responses: { 200: { description: 'The answer', schema: PublicVerification } },
            async handle(context) {
                // Anyone holding a document may ask whether it is registered; the chaincode answers only what anyone may know.
                return ok(await publicQuery(deps, 'document:verifyDocumentRegistration', [context.params.sha256]));
            },
        }),
        defineOperation({
            method: 'post', path: '/api/v1/documents/verify', operationId: 'verifyDocumentBytes', tags: ['documents'], access: 'user',
            summary: 'Upload a file to learn whether it is registered; it is hashed here and the bytes go nowhere',
            upload: { allowedTypes: DOCUMENT_MEDIA_TYPES },
            responses: { 200: { description: 'Matches', schema: Verification } },
            async handle(context) {
                // The digest computed while streaming is what verifyDocumentBytes would compute; asking by hash keeps
                // the bytes off the peer.
                return ok(await query(deps, callerOf(context).name, 'document:verifyDocumentHash', [context.upload!.sha256]));
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/documents/{documentId}', operationId: 'getDocument', tags: ['documents'], access: 'user',
            summary: 'A document\'s head and every version\'s public metadata',
            params: idParams('documentId'),
            responses: { 200: { description: 'The document', schema: DocumentSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'document:getDocument', [context.params.documentId]));
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/documents/{documentId}/versions/{version}/content', operationId: 'getDocumentContent', tags: ['documents'], access: 'user',
            summary: 'Download a version\'s bytes, for organisations allowed to read its type (others get 403)',
            params: VersionParams,
            responses: { 200: { description: 'The bytes, with their media type', contentType: 'application/octet-stream', schema: Type.String({ format: 'binary' }) } },
            async handle(context) {
                const { documentId, version } = context.params;
                const content = await query<Content>(deps, callerOf(context).name, 'document:getDocumentContent', [documentId, String(version)]);
                const bytes = Buffer.from(content.contentBase64, 'base64');
                const digest = createHash('sha256').update(bytes);
                if (digest.copy().digest('hex') !== content.sha256) {
                    throw new ApiError('INTERNAL', `the stored content of document ${documentId} version ${version} does not match its hash`);
                }
                const mediaType = (DOCUMENT_MEDIA_TYPES as readonly string[]).includes(content.mediaType) ? content.mediaType : 'application/octet-stream';
                return {
                    status: 200, body: bytes, contentType: mediaType,
                    headers: {
                        'Content-Disposition': `attachment; filename="${documentId}-v${version}"`,
                        'Repr-Digest': `sha-256=:${digest.digest('base64')}:`,
                    },
                };
            },
        }),
        defineOperation({
            method: 'post', path: '/api/v1/documents/{documentId}/versions/{version}/revoke', operationId: 'revokeDocument', tags: ['documents'], access: 'user',
            summary: 'Revoke one version (its uploader\'s organisation only)',
            params: VersionParams,
            body: ReasonBody,
            responses: writeResponse(200, 'Revoked version', VersionRecord),
            async handle(context) {
                const { documentId, version } = context.params;
                return written(await submit(deps, callerOf(context).name, 'document:revokeDocument', { arguments: [documentId, String(version), context.body.reason] }));
            },
        }),
    ];
}
