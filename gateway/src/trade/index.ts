/** The trade resources, assembled: what runtime.ts passes to createApp as `resources`, and the events filter. */
import type { AnyOperation } from '../http/operation';
import { billOfLadingOperations } from './bills-of-lading';
import { type CertificateDeps, certificateOperations } from './certificates';
import { declarationOperations } from './declarations';
import { documentOperations } from './documents';
import { dossierOperations } from './dossier';
import { financingOperations } from './financing';
import { historyOperations } from './history';
import { riskOperations } from './risk';
import { shipmentOperations } from './shipments';

export { tradeEventFilter } from './events';
export type TradeResourceDeps = CertificateDeps;

/** Every trade operation. Order matters only where a literal segment could match a parameter (see documents.ts). */
export function tradeOperations(deps: TradeResourceDeps): AnyOperation[] {
    return [
        ...shipmentOperations(deps),
        ...dossierOperations(deps),
        ...documentOperations(deps),
        ...billOfLadingOperations(deps),
        ...declarationOperations(deps),
        ...certificateOperations(deps),
        ...financingOperations(deps),
        ...historyOperations(deps),
        ...riskOperations(deps),
    ];
}
