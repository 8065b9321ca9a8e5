/**
 * GET /api/v1/shipments/{shipmentId}/dossier: everything the caller's organisation may see of a shipment, in one
 * answer. Public parts are read as usual (an error there is an error of the dossier); private parts are asked of
 * the chaincode too, and a FORBIDDEN answer means "not visible to this organisation": the part is null and named
 * in `hidden`, never a failure of the whole dossier.
 *
 * The chaincode indexes documents by shipment but not the B/L, declaration, certificate or financing, so those are
 * found from the ids the caller names, or from the references a financing (and a declaration) already carries.
 */
import { Type } from '@sinclair/typebox';
import { ApiError } from '../errors';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { type TradeDeps, ok, query, unlessForbidden } from './chaincode';
import { Id, idParams, record } from './schemas';

const DossierQuery = Type.Object({
    billOfLading: Type.Optional(Id),
    declaration: Type.Optional(Id),
    certificate: Type.Optional(Id),
    financing: Type.Optional(Id),
}, { additionalProperties: false });

const Part = Type.Union([record('A record with its private parts where visible'), Type.Null()]);
const Dossier = Type.Object({
    shipment: record('The shipment'),
    commercial: Part,
    documents: Type.Array(record('A document with its versions')),
    billOfLading: Part,
    declaration: Part,
    certificate: Part,
    financing: Part,
    hidden: Type.Array(Type.String(), { description: 'Private parts the caller\'s organisation may not see' }),
});

interface OnShipment { shipmentId: string }
interface FinancingRefs extends OnShipment { financingId: string; transportDocumentReference: string; declarationId: string; certificateApplicationId?: string }
interface DeclarationRefs extends OnShipment { version: number; summary?: { transportDocumentReference?: string } }
interface DocumentHead { documentId: string }

export function dossierOperations(deps: TradeDeps): AnyOperation[] {
    return [defineOperation({
        method: 'get', path: '/api/v1/shipments/{shipmentId}/dossier', operationId: 'getDossier', tags: ['shipments'], access: 'user',
        summary: 'Everything the caller\'s organisation may see of a shipment; name the B/L, declaration, certificate or financing (a financing names the others)',
        params: idParams('shipmentId'),
        query: DossierQuery,
        responses: { 200: { description: 'The dossier', schema: Dossier } },
        async handle(context) {
            const user = callerOf(context).name;
            const { shipmentId } = context.params;
            const hidden: string[] = [];
            const read = <T>(fn: string, ...args: string[]): Promise<T> => query<T>(deps, user, fn, args);
            /** A private part: null and named in `hidden` when the chaincode refuses this organisation. */
            const privatePart = async (name: string, fn: string, ...args: string[]): Promise<unknown> => {
                const value = await unlessForbidden(read<unknown>(fn, ...args));
                if (value === undefined) {
                    hidden.push(name);
                }
                return value ?? null;
            };
            /** A named record, refused when it belongs to another shipment (the caller named the wrong id). */
            const onShipment = async <T extends OnShipment>(what: string, fn: string, id: string): Promise<T> => {
                const value = await read<T>(fn, id);
                if (value.shipmentId !== shipmentId) {
                    throw new ApiError('INVALID_ARGUMENT', `${what} ${id} belongs to shipment ${value.shipmentId}, not ${shipmentId}`);
                }
                return value;
            };

            const shipment = await read<unknown>('shipment:getShipment', shipmentId);
            const financing = context.query.financing === undefined ? undefined
                : await onShipment<FinancingRefs>('financing', 'financing:getFinancing', context.query.financing);
            const declarationId = context.query.declaration ?? financing?.declarationId;
            const declaration = declarationId === undefined ? undefined
                : await onShipment<DeclarationRefs>('declaration', 'declaration:getDeclaration', declarationId);
            const blId = context.query.billOfLading ?? financing?.transportDocumentReference ?? declaration?.summary?.transportDocumentReference;
            const certificateId = context.query.certificate ?? financing?.certificateApplicationId;

            const heads = await read<DocumentHead[]>('document:listShipmentDocuments', shipmentId);
            const [commercial, documents, billOfLading, declarationPart, certificate, financingPart] = await Promise.all([
                privatePart('commercial', 'shipment:getShipmentCommercial', shipmentId),
                Promise.all(heads.map((h) => read<unknown>('document:getDocument', h.documentId))),
                blId === undefined ? null : (async () => ({
                    record: await onShipment<OnShipment>('bill of lading', 'billOfLading:getBillOfLading', blId),
                    transferLog: await read<unknown>('billOfLading:getTransferLog', blId),
                }))(),
                declaration === undefined ? null : (async () => ({
                    record: declaration,
                    details: await privatePart('declaration.details', 'declaration:getDeclarationDetails', declarationId!, String(declaration.version)),
                }))(),
                certificateId === undefined ? null : (async () => ({
                    record: await onShipment<OnShipment>('certificate', 'certificate:getCertificate', certificateId),
                    details: await privatePart('certificate.details', 'certificate:getCertificateDetails', certificateId),
                }))(),
                financing === undefined ? null : (async () => ({
                    record: financing,
                    terms: await privatePart('financing.terms', 'financing:getFinancingTerms', financing.financingId),
                    examinationReport: await unlessNotExamined(privatePart('financing.examinationReport', 'financing:getExaminationReport', financing.financingId)),
                }))(),
            ]);
            return ok({ shipment, commercial, documents, billOfLading, declaration: declarationPart, certificate, financing: financingPart, hidden: hidden.sort() });
        },
    })];
}

/** A financing not examined yet has no report: the chaincode answers NOT_FOUND, which here means "none yet". */
async function unlessNotExamined(read: Promise<unknown>): Promise<unknown> {
    try {
        return await read;
    } catch (err) {
        if (err instanceof ApiError && err.code === 'NOT_FOUND') {
            return null;
        }
        throw err;
    }
}
