/**
 * Which organisation's people receive which trade events on the stream. This is relevance, not confidentiality:
 * events are in the blocks every member's peer delivers, so they carry only what the record's public state shows
 * every member (record, id, shipmentId, status, txId). A declaration's progress concerns the exporter and customs, a
 * financing's the exporter and the bank; shipment, document and B/L events every party to the trade.
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
