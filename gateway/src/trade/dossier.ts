/**
 * GET /api/v1/shipments/{shipmentId}/dossier: everything the caller's organisation may see of a shipment, as one
 * evaluate of the chaincode's `dossier:getDossier`. The chaincode finds the shipment's B/Ls, declarations,
 * certificates, financings and documents by its indexes, reads only the private parts the caller's organisation may
 * read (the others are null and named in `hidden`), gives each record the caller's `allowedActions`, and gives each
 * document its structured fields, never its file: files are downloaded one by one (documents.ts).
 */
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { type TradeDeps, ok, query } from './chaincode';
import { DossierSchema } from './records';
import { idParams } from './schemas';

export function dossierOperations(deps: TradeDeps): AnyOperation[] {
    return [defineOperation({
        method: 'get', path: '/api/v1/shipments/{shipmentId}/dossier', operationId: 'getDossier', tags: ['shipments'], access: 'user',
        summary: 'Everything the caller\'s organisation may see of a shipment, in one ledger read (503 with Retry-After while the peer still lacks private data it may read)',
        params: idParams('shipmentId'),
        responses: { 200: { description: 'The dossier', schema: DossierSchema } },
        async handle(context) {
            return ok(await query(deps, callerOf(context).name, 'dossier:getDossier', [context.params.shipmentId]));
        },
    })];
}
