/**
 * One chaincode-events stream from the peer per gateway, fanned out in process to every Server-Sent Events client.
 *
 * Why: the peer counts each open ChaincodeEvents stream against its gateway-service concurrency limit and only
 * notices a cancelled one when it next has an event to send, so on a quiet channel a closed stream keeps its slot.
 * One stream per client let one user's 500 streams starve every ledger call of the organisation. Here the gateway
 * holds exactly one stream for its life; clients are capped per user and per gateway; a client resuming from an older
 * position replays the blocks in between with ordinary qscc reads (bounded, counted by the limiter), then joins the
 * live fan-out without loss or repeat.
 */
import { ApiError } from '../errors';
import { chaincodeEventsOfBlock } from '../fabric/block-events';
import type { EventPosition, EventStream, Ledger, LedgerEvent } from '../fabric/ledger';
import type { Principal } from '../people/accounts';

/** Where SSE clients get their events: the hub in production, fakes in tests. */
export interface EventSource {
    /** The caller's stream from `after` (exclusive), or from now; STREAM_LIMIT above the caps. */
    subscribe(caller: Principal, after?: EventPosition): Promise<EventStream>;
}

export interface EventHubOptions {
    readonly ledger: Pick<Ledger, 'events' | 'chainHeight' | 'block'>;
    /** Who signs the hub's own stream and block reads (the gateway's service identity). */
    readonly signer: string;
    readonly chaincode: string;
    readonly maxStreams: number;
    readonly maxStreamsPerUser: number;
    readonly maxReplayBlocks: number;
    /** Live events a client may fall behind by before its stream is ended (it resumes with Last-Event-ID). */
    readonly maxQueued?: number;
    readonly onUpstreamError?: (err: unknown) => void;
    /** Delay before reconnecting the peer stream after a failure (attempt counts from 1). */
    readonly retryDelayMs?: (attempt: number) => number;
}

export interface HubStatus {
    readonly upstream: 'connecting' | 'connected' | 'reconnecting' | 'stopped';
    readonly clients: number;
    readonly lastError?: string;
}

class Subscriber {
    readonly queue: LedgerEvent[] = [];
    /** Live events from this block on are delivered; older ones come from the replay. */
    liveFrom = 0n;
    ended: Error | 'closed' | undefined;
    private wake: (() => void) | undefined;

    constructor(readonly user: string) {}

    push(event: LedgerEvent, maxQueued: number): void {
        if (this.ended) {
            return;
        }
        if (this.queue.length >= maxQueued) {
            this.end(new ApiError('UNAVAILABLE', 'this event stream fell too far behind and was ended; reconnect with Last-Event-ID to resume', { retryAfterSeconds: 1 }));
            return;
        }
        this.queue.push(event);
        this.notify();
    }

    end(reason: Error | 'closed'): void {
        this.ended ??= reason;
        this.notify();
    }

    next(): Promise<void> {
        return new Promise((resolve) => { this.wake = resolve; });
    }

    private notify(): void {
        const wake = this.wake;
        this.wake = undefined;
        wake?.();
    }
}

export class EventHub implements EventSource {
    private readonly subscribers = new Set<Subscriber>();
    private readonly perUser = new Map<string, number>();
    /** The last event the peer stream delivered; the stream resumes strictly after it. */
    private position: EventPosition | undefined;
    /** The height when the hub first connected: the stream starts there until an event gives a position. */
    private startBlock: bigint | undefined;
    private stream: EventStream | undefined;
    private state: HubStatus['upstream'] = 'connecting';
    private lastError: string | undefined;
    private stopped = false;
    private running: Promise<void> | undefined;

    constructor(private readonly options: EventHubOptions) {}

    /** Opens the peer stream and keeps it open (reconnecting after failures) until close(). */
    start(): void {
        this.running ??= this.run();
    }

    status(): HubStatus {
        return { upstream: this.state, clients: this.subscribers.size, ...(this.lastError ? { lastError: this.lastError } : {}) };
    }

    async subscribe(caller: Principal, after?: EventPosition): Promise<EventStream> {
        this.admit(caller.name);
        const subscriber = new Subscriber(caller.name);
        // Registered before the height is read, so no live event between the two is missed.
        this.subscribers.add(subscriber);
        let replay: { from: bigint; to: bigint; after: EventPosition } | undefined;
        try {
            if (after) {
                const height = await this.options.ledger.chainHeight(this.options.signer);
                if (after.blockNumber >= height) {
                    throw new ApiError('INVALID_ARGUMENT', 'Last-Event-ID names a block this ledger does not have');
                }
                if (height - after.blockNumber > BigInt(this.options.maxReplayBlocks)) {
                    throw new ApiError('FAILED_PRECONDITION', `Last-Event-ID is ${height - after.blockNumber} blocks back; streams replay at most ${this.options.maxReplayBlocks}: read the records' history instead`);
                }
                subscriber.liveFrom = height;
                replay = { from: after.blockNumber, to: height, after };
            }
        } catch (err) {
            this.release(subscriber);
            throw err;
        }
        return {
            [Symbol.asyncIterator]: () => this.deliver(subscriber, replay),
            close: () => {
                subscriber.end('closed');
                this.release(subscriber);
            },
        };
    }

    /** Stops the peer stream and ends every client's stream. */
    close(): void {
        this.stopped = true;
        this.state = 'stopped';
        this.stream?.close();
        for (const subscriber of [...this.subscribers]) {
            subscriber.end('closed');
            this.release(subscriber);
        }
    }

    private admit(user: string): void {
        if (this.subscribers.size >= this.options.maxStreams) {
            throw new ApiError('STREAM_LIMIT', `this gateway serves at most ${this.options.maxStreams} event streams at once; retry later`, { retryAfterSeconds: 10 });
        }
        if ((this.perUser.get(user) ?? 0) >= this.options.maxStreamsPerUser) {
            throw new ApiError('STREAM_LIMIT', `at most ${this.options.maxStreamsPerUser} event streams per user; close one first`, { retryAfterSeconds: 10 });
        }
        this.perUser.set(user, (this.perUser.get(user) ?? 0) + 1);
    }

    private release(subscriber: Subscriber): void {
        if (!this.subscribers.delete(subscriber)) {
            return;
        }
        const count = (this.perUser.get(subscriber.user) ?? 1) - 1;
        if (count > 0) {
            this.perUser.set(subscriber.user, count);
        } else {
            this.perUser.delete(subscriber.user);
        }
    }

    /** The subscriber's events: the replay, then the live ones it has not had. */
    private async *deliver(subscriber: Subscriber, replay: { from: bigint; to: bigint; after: EventPosition } | undefined): AsyncGenerator<LedgerEvent> {
        try {
            if (replay) {
                yield* this.replay(subscriber, replay.from, replay.to, replay.after);
            }
            for (;;) {
                const event = subscriber.queue.shift();
                if (event) {
                    if (event.blockNumber >= subscriber.liveFrom) {
                        yield event;
                    }
                    continue;
                }
                if (subscriber.ended instanceof Error) {
                    throw subscriber.ended;
                }
                if (subscriber.ended) {
                    return;
                }
                await subscriber.next();
            }
        } finally {
            this.release(subscriber);
        }
    }

    /** Events of blocks from..to-1 strictly after `after`, read block by block. */
    private async *replay(subscriber: Subscriber, from: bigint, to: bigint, after: EventPosition): AsyncGenerator<LedgerEvent> {
        for (let number = from; number < to; number++) {
            if (subscriber.ended) {
                return;
            }
            let events = chaincodeEventsOfBlock(await this.options.ledger.block(this.options.signer, number), this.options.chaincode);
            if (number === after.blockNumber) {
                // Strictly after the client's last event; if that transaction is not in the block, the client had it all.
                const index = events.findIndex((e) => e.transactionId === after.transactionId);
                events = after.transactionId === undefined ? events : index < 0 ? [] : events.slice(index + 1);
            }
            yield* events;
        }
    }

    private async run(): Promise<void> {
        for (let attempt = 0; !this.stopped; attempt++) {
            try {
                this.startBlock ??= await this.options.ledger.chainHeight(this.options.signer);
                const stream = await this.options.ledger.events(this.options.signer, this.position ?? { blockNumber: this.startBlock });
                this.stream = stream;
                if (this.stopped) {
                    stream.close();
                    return;
                }
                this.state = 'connected';
                for await (const event of stream) {
                    attempt = 0;
                    this.position = { blockNumber: event.blockNumber, transactionId: event.transactionId };
                    for (const subscriber of this.subscribers) {
                        subscriber.push(event, this.options.maxQueued ?? 1000);
                    }
                }
                // The peer ended the stream (it does not, normally): open it again from where it stopped.
                this.lastError = 'the peer ended the event stream';
            } catch (err) {
                this.lastError = err instanceof ApiError ? err.detail : 'the event stream failed';
                this.options.onUpstreamError?.(err);
            }
            if (this.stopped) {
                return;
            }
            this.state = 'reconnecting';
            await new Promise((resolve) => setTimeout(resolve, this.options.retryDelayMs?.(attempt + 1) ?? Math.min(5_000, 500 * 2 ** attempt)).unref());
        }
    }
}
