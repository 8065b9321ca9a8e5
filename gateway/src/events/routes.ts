/** GET /api/v1/events: the caller's chaincode events as Server-Sent Events, resumable with Last-Event-ID. */
import { Type } from '@sinclair/typebox';
import { ApiError } from '../errors';
import { type AnyOperation, type SseMessage, callerOf, defineOperation } from '../http/operation';
import { ADMIN_ROLE } from '../people/user-store';
import { type EventFilter, callerEvents, parseEventId } from './feed';
import type { EventSource } from './hub';
import { TradeEventSchema } from '../trade/records';

export interface EventRouteDeps {
    readonly events: EventSource;
    readonly filter: EventFilter;
}

const EventsQuery = Type.Object({
    lastEventId: Type.Optional(Type.String({ description: 'Same as the Last-Event-ID header, for clients that cannot set headers' })),
}, { additionalProperties: false });

export function eventOperations(deps: EventRouteDeps): AnyOperation[] {
    return [
        defineOperation({
            method: 'get', path: '/api/v1/events', operationId: 'events', tags: ['events'], access: 'user',
            summary: 'Chaincode events as Server-Sent Events; each id is <block>:<transaction>, send it back as Last-Event-ID to resume after it. At most a few streams per user and per gateway (429 STREAM_LIMIT above)',
            query: EventsQuery,
            headers: [{ name: 'Last-Event-ID', description: 'Resume strictly after this event' }],
            responses: { 200: { description: 'Event stream: per event, id, event (the chaincode event name) and data, a TradeEvent as JSON (#/components/schemas/TradeEvent)', contentType: 'text/event-stream', schema: Type.String() } },
            components: { TradeEvent: TradeEventSchema },
            problems: ['FORBIDDEN', 'STREAM_LIMIT', 'UNAVAILABLE'],
            async handle(context) {
                const caller = callerOf(context);
                if (caller.role === ADMIN_ROLE) {
                    throw new ApiError('FORBIDDEN', 'the administrator manages people and reads no ledger events');
                }
                const last = context.header('Last-Event-ID') ?? context.query.lastEventId;
                const events = await callerEvents(deps.events, deps.filter, caller, last ? parseEventId(last) : undefined);
                async function* messages(): AsyncGenerator<SseMessage> {
                    for await (const event of events) {
                        yield { id: event.id, event: event.name, data: JSON.stringify(event) };
                    }
                }
                return { stream: messages(), close: () => events.close() };
            },
        }),
    ];
}
