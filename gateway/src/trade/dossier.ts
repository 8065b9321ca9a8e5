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
import { DossierSchema } from './records';
import { Id, idParams } from './schemas';

const DossierQuery = Type.Object({
    billOfLading: Type.Optional(Id),
    declaration: Type.Optional(Id),
    certificate: Type.Optional(Id),
    financing: Type.Optional(Id),
}, { additionalProperties: false });


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
        responses: { 200: { description: 'The dossier', schema: DossierSchema } },
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

            // Every read starts as soon as the ids it needs are known: on one event loop, the peer round trips overlap
            // instead of adding up. Errors are still reported in the order the reads depend on each other (shipment,
            // then financing, then declaration), whichever fails first.
            const financingId = context.query.financing;
            const shipmentRead = started(read<unknown>('shipment:getShipment', shipmentId));
            const headsRead = started(read<DocumentHead[]>('document:listShipmentDocuments', shipmentId));
            const commercialRead = started(privatePart('commercial', 'shipment:getShipmentCommercial', shipmentId));
            const documentsRead = started(headsRead.then((heads) => Promise.all(heads.map((h) => read<unknown>('document:getDocument', h.documentId)))));
            const financingRead = started(financingId === undefined ? Promise.resolve(undefined)
                : onShipment<FinancingRefs>('financing', 'financing:getFinancing', financingId));
            const declarationRead = started((async () => {
                const id = context.query.declaration ?? (await financingRead)?.declarationId;
                return id === undefined ? undefined : { id, record: await onShipment<DeclarationRefs>('declaration', 'declaration:getDeclaration', id) };
            })());
            const billOfLadingRead = started((async () => {
                const id = context.query.billOfLading ?? (await financingRead)?.transportDocumentReference
                    ?? (await declarationRead)?.record.summary?.transportDocumentReference;
                return id === undefined ? null : {
                    record: await onShipment<OnShipment>('bill of lading', 'billOfLading:getBillOfLading', id),
                    transferLog: await read<unknown>('billOfLading:getTransferLog', id),
                };
            })());
            const certificateRead = started((async () => {
                const id = context.query.certificate ?? (await financingRead)?.certificateApplicationId;
                return id === undefined ? null : {
                    record: await onShipment<OnShipment>('certificate', 'certificate:getCertificate', id),
                    details: await privatePart('certificate.details', 'certificate:getCertificateDetails', id),
                };
            })());

            const shipment = await shipmentRead;
            const financing = await financingRead;
            const declaration = await declarationRead;
            const [commercial, documents, billOfLading, declarationPart, certificate, financingPart] = await Promise.all([
                commercialRead,
                documentsRead,
                billOfLadingRead,
                declaration === undefined ? null : (async () => ({
                    record: declaration.record,
                    details: await privatePart('declaration.details', 'declaration:getDeclarationDetails', declaration.id, String(declaration.record.version)),
                }))(),
                certificateRead,
                financing === undefined ? null : (async () => {
                    const [terms, examinationReport] = await Promise.all([
                        privatePart('financing.terms', 'financing:getFinancingTerms', financing.financingId),
                        unlessNotExamined(privatePart('financing.examinationReport', 'financing:getExaminationReport', financing.financingId)),
                    ]);
                    return { record: financing, terms, examinationReport };
                })(),
            ]);
            return ok({ shipment, commercial, documents, billOfLading, declaration: declarationPart, certificate, financing: financingPart, hidden: hidden.sort() });
        },
    })];
}

/**
 * A read started before the dossier is ready to await it: marked as handled, so that when an earlier read fails and
 * the handler returns, its rejection is not reported as unhandled (which would stop the process); awaiting it
 * later still throws.
 */
function started<T>(read: Promise<T>): Promise<T> {
    read.catch(() => undefined);
    return read;
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
