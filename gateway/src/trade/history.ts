/** GET /api/v1/{records}/{id}/history: every version of a record, with who wrote it, when, and in which transaction. */
import { Type } from '@sinclair/typebox';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { type TradeDeps, ok, query } from './chaincode';
import { HistorySchema } from './records';
import { Id } from './schemas';

/** URL collection → the chaincode's record type (chaincode records.ts). */
const RECORD_PATHS = {
    'shipments': 'shipment',
    'documents': 'document',
    'bills-of-lading': 'billOfLading',
    'declarations': 'declaration',
    'certificates': 'certificate',
    'financing': 'financing',
} as const;

/** One entry as shipment:getHistory answers it (chaincode ledger.ts `HistoryEntry`). */
interface HistoryEntry { txId: string; timestamp: string; isDelete: boolean; value: unknown }


/** The writer a record carries: every trade record stamps `updatedBy` on each write. */
function writer(value: unknown): unknown {
    return value !== null && typeof value === 'object' ? (value as { updatedBy?: unknown }).updatedBy ?? null : null;
}

export function historyOperations(deps: TradeDeps): AnyOperation[] {
    return Object.entries(RECORD_PATHS).map(([collection, recordType]) => defineOperation({
        method: 'get', path: `/api/v1/${collection}/{id}/history`, operationId: `${recordType}History`, tags: ['history'], access: 'user',
        summary: `Every version of a ${recordType} in the ledger's commit order, oldest first, with who, when and the transaction id`,
        params: Type.Object({ id: Id }, { additionalProperties: false }),
        responses: { 200: { description: 'The history', schema: HistorySchema } },
        async handle(context) {
            const entries = await query<HistoryEntry[]>(deps, callerOf(context).name, 'shipment:getHistory', [recordType, context.params.id]);
            return ok({
                record: recordType,
                id: context.params.id,
                entries: entries.map((e) => ({ transactionId: e.txId, timestamp: e.timestamp, isDelete: e.isDelete, by: writer(e.value), record: e.value })),
            });
        },
    }));
}
