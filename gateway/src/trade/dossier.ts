/**
 * GET /api/v1/shipments/{shipmentId}/dossier: everything the caller's organisation may see of a shipment, as one
 * evaluate of the chaincode's `dossier:getDossier`. The chaincode finds the shipment's B/Ls, declarations,
 * certificates, financings and documents by its indexes, reads only the private parts the caller's organisation may
 * read (the others are null and named in `hidden`), gives each record the caller's `allowedActions`, and gives each
 * document its structured fields, never its file: files are downloaded one by one (documents.ts).
 */
import { Type } from '@sinclair/typebox';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { type TradeDeps, ok, query } from './chaincode';
import { idParams, record } from './schemas';

const Part = Type.Union([record('A private part, where the caller\'s organisation may read it'), Type.Null()]);
const WithActions = (description: string) => record(description, { allowedActions: Type.Array(Type.String(), { description: 'Transactions the caller may run on this record now' }) });
const Dossier = Type.Object({
    shipment: WithActions('The shipment'),
    commercial: Part,
    documents: Type.Array(record('A document: head, every version\'s metadata and the current version\'s structured fields (null when not visible)', { fields: Part })),
    billsOfLading: Type.Array(Type.Object({ record: WithActions('A bill of lading'), transferLog: record('Its hash-chained transfer log') })),
    declarations: Type.Array(Type.Object({ record: WithActions('An export declaration'), details: Part })),
    certificates: Type.Array(Type.Object({ record: WithActions('A certificate of origin application'), details: Part })),
    financings: Type.Array(Type.Object({ record: WithActions('A financing'), terms: Part, examinationReport: Part })),
    hidden: Type.Array(Type.String(), { description: 'Private parts the caller\'s organisation may not see' }),
}, { description: 'Records of each kind oldest first' });

export function dossierOperations(deps: TradeDeps): AnyOperation[] {
    return [defineOperation({
        method: 'get', path: '/api/v1/shipments/{shipmentId}/dossier', operationId: 'getDossier', tags: ['shipments'], access: 'user',
        summary: 'Everything the caller\'s organisation may see of a shipment, in one ledger read (503 with Retry-After while the peer still lacks private data it may read)',
        params: idParams('shipmentId'),
        responses: { 200: { description: 'The dossier', schema: Dossier } },
        async handle(context) {
            return ok(await query(deps, callerOf(context).name, 'dossier:getDossier', [context.params.shipmentId]));
        },
    })];
}
