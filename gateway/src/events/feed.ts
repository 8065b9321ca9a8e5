/**
 * A caller's view of the chaincode events: resumes exactly after the last event they received, decodes payloads,
 * and asks a filter hook what they may see (resources fill the hook in as they define their events).
 */
import { ApiError } from '../errors';
import type { EventPosition, LedgerEvent } from '../fabric/ledger';
import type { Principal } from '../people/accounts';
import type { EventSource } from './hub';

/** An event as delivered to callers; blockNumber is a string because JSON has no 64-bit integers. */
export interface VisibleEvent {
    readonly id: string;
    readonly name: string;
    readonly blockNumber: string;
    readonly transactionId: string;
    readonly payload: unknown;
}

/**
 * Decides what `caller` sees of `event`: the event itself, a reduced copy, or undefined to skip it. Must be
 * deterministic: a resumed stream re-reads skipped events and must skip them again.
 */
export type EventFilter = (caller: Principal, event: VisibleEvent) => VisibleEvent | undefined;

/** Until resources define their events, everything on the channel's public events is delivered. */
export const deliverAll: EventFilter = (_caller, event) => event;

/** `<blockNumber>:<transactionId>`: a position on the ledger, and the resume point for Last-Event-ID. */
export function eventId(event: Pick<LedgerEvent, 'blockNumber' | 'transactionId'>): string {
    return `${event.blockNumber}:${event.transactionId}`;
}

export function parseEventId(id: string): EventPosition {
    const match = /^(\d{1,19}):([A-Za-z0-9]{1,128})$/.exec(id);
    if (!match) {
        throw new ApiError('INVALID_ARGUMENT', 'Last-Event-ID must be <blockNumber>:<transactionId> as sent in an event id');
    }
    return { blockNumber: BigInt(match[1]!), transactionId: match[2]! };
}

function decode(payload: Uint8Array): unknown {
    const text = Buffer.from(payload).toString('utf8');
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return { base64: Buffer.from(payload).toString('base64') };
    }
}

export interface CallerEvents extends AsyncIterable<VisibleEvent> {
    close(): void;
}

export async function callerEvents(events: EventSource, filter: EventFilter, caller: Principal, after?: EventPosition): Promise<CallerEvents> {
    const source = await events.subscribe(caller, after);
    return {
        async *[Symbol.asyncIterator]() {
            for await (const event of source) {
                const visible = filter(caller, {
                    id: eventId(event), name: event.eventName, blockNumber: event.blockNumber.toString(),
                    transactionId: event.transactionId, payload: decode(event.payload),
                });
                if (visible) {
                    yield visible;
                }
            }
        },
        close: () => source.close(),
    };
}
