/** The trade resources, assembled: what runtime.ts passes to createApp as `resources`, and the events filter. */
import type { AnyOperation } from '../http/operation';
import { billOfLadingOperations } from './bills-of-lading';
import { type CertificateDeps, certificateOperations } from './certificates';
import { declarationOperations } from './declarations';
import { documentOperations } from './documents';
import { dossierOperations } from './dossier';
import { financingOperations } from './financing';
import { TRADE_EXAMPLES } from './examples';
import { historyOperations } from './history';
import { OPERATION_ACTIONS, tradeRoles } from './permissions';
import { riskOperations } from './risk';
import { shipmentOperations } from './shipments';

export { tradeEventFilter } from './events';
export type TradeResourceDeps = CertificateDeps;

/**
 * Every trade operation, with who may call it (the chaincode's permission table, trade/permissions.ts) and whether it
 * writes. Order matters only where a literal segment could match a parameter (see documents.ts).
 */
export function tradeOperations(deps: TradeResourceDeps): AnyOperation[] {
    return withContract([
        ...shipmentOperations(deps),
        ...dossierOperations(deps),
        ...documentOperations(deps),
        ...billOfLadingOperations(deps),
        ...declarationOperations(deps),
        ...certificateOperations(deps),
        ...financingOperations(deps),
        ...historyOperations(deps),
        ...riskOperations(deps),
    ]);
}

function withContract(operations: AnyOperation[]): AnyOperation[] {
    return operations.map((operation) => {
        const roles = tradeRoles(operation.operationId);
        if (!roles) {
            // Fails at start-up (and in every test that builds the app), not in a client's hands.
            throw new Error(`trade operation ${operation.operationId} is not in trade/permissions.ts OPERATION_ACTIONS`);
        }
        const reads = (OPERATION_ACTIONS[operation.operationId] ?? []).every((action) => /\.read|\.history$/.test(action));
        return {
            ...operation,
            roles: operation.access === 'public' ? ['anyone'] : roles,
            ledger: operation.method === 'post' && !reads ? 'write' : 'read',
            ...(TRADE_EXAMPLES[operation.operationId] ? { example: TRADE_EXAMPLES[operation.operationId] } : {}),
        };
    });
}
