/**
 * Which organisation receives which trade events. Events carry no private values (record, id, shipmentId, status,
 * txId), but even a status tells something: a declaration's progress is the exporter's and customs' business, a
 * financing's the exporter's and the bank's. Shipment, document and B/L events concern every party to the trade.
 */
import type { EventFilter } from '../events/feed';

const EVERYONE = ['ExporterMSP', 'CarrierMSP', 'CustomsMSP', 'BankMSP'] as const;

/** The one table: record type of the event → organisations that receive it. Anything not listed is not delivered. */
export const EVENT_VISIBILITY: Readonly<Record<string, readonly string[]>> = {
    shipment: EVERYONE,
    document: EVERYONE,
    billOfLading: EVERYONE,
    declaration: ['ExporterMSP', 'CustomsMSP'],
    certificate: ['ExporterMSP', 'CustomsMSP', 'BankMSP'],
    financing: ['ExporterMSP', 'BankMSP'],
};

/**
 * The filter of a gateway serving `mspId`: every caller of one gateway belongs to its organisation, so the decision
 * depends on the event's record type only (deterministic, as a resumed stream requires).
 */
export function tradeEventFilter(mspId: string): EventFilter {
    return (_caller, event) => {
        const recordType = (event.payload as { record?: unknown } | null)?.record;
        const readers = typeof recordType === 'string' ? EVENT_VISIBILITY[recordType] : undefined;
        return readers?.includes(mspId) ? event : undefined;
    };
}
