import * as assert from 'node:assert/strict';
import { ApiError } from '../../../gateway/src/errors';
import { EventHub } from '../../../gateway/src/events/hub';
import { chaincodeEventsOfBlock } from '../../../gateway/src/fabric/block-events';
import type { EventPosition, EventStream, LedgerEvent } from '../../../gateway/src/fabric/ledger';
import { buildBlock } from './block-fixtures';

const isCode = (code: string) => (err: unknown) => err instanceof ApiError && err.code === code;
const caller = (name: string) => ({ name, role: 'exporter', org: 'exporter' });

function event(block: bigint, tx: string): LedgerEvent {
    return { blockNumber: block, transactionId: tx, eventName: 'E', payload: Buffer.from(tx) };
}

/** A peer as the hub sees it: a height, stored blocks, and event streams the test feeds or breaks. */
class FakePeer {
    height = 10n;
    readonly blocks = new Map<bigint, Uint8Array>();
    readonly opened: { user: string; after?: EventPosition }[] = [];
    readonly blockReads: bigint[] = [];
    private current: { push(e: LedgerEvent): void; fail(err: Error): void } | undefined;

    async chainHeight(): Promise<bigint> {
        return this.height;
    }

    async block(_user: string, number: bigint): Promise<Uint8Array> {
        this.blockReads.push(number);
        return this.blocks.get(number) ?? buildBlock(number, []);
    }

    async events(user: string, after?: EventPosition): Promise<EventStream> {
        this.opened.push({ user, after });
        const queue: LedgerEvent[] = [];
        let failure: Error | undefined;
        let wake: (() => void) | undefined;
        const poke = (): void => { wake?.(); wake = undefined; };
        this.current = { push: (e) => { queue.push(e); poke(); }, fail: (err) => { failure = err; poke(); } };
        return {
            async *[Symbol.asyncIterator]() {
                for (;;) {
                    const next = queue.shift();
                    if (next) {
                        yield next;
                        continue;
                    }
                    if (failure) {
                        throw failure;
                    }
                    await new Promise<void>((resolve) => { wake = resolve; });
                }
            },
            close: () => undefined,
        };
    }

    emit(e: LedgerEvent): void {
        this.current?.push(e);
    }

    breakStream(): void {
        this.current?.fail(new ApiError('UNAVAILABLE', 'peer gone'));
    }
}

async function until(condition: () => boolean): Promise<void> {
    for (let i = 0; i < 400 && !condition(); i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
    assert.ok(condition(), 'condition not reached');
}

/** Reads `count` events of a stream. */
async function take(stream: EventStream, count: number): Promise<string[]> {
    const seen: string[] = [];
    if (count === 0) {
        return seen;
    }
    for await (const e of stream) {
        seen.push(`${e.blockNumber}:${e.transactionId}`);
        if (seen.length === count) {
            break;
        }
    }
    return seen;
}

describe('gateway event hub: one peer stream for every SSE client', () => {
    let peer: FakePeer;
    let hub: EventHub;
    const newHub = (limits: Partial<{ maxStreams: number; maxStreamsPerUser: number; maxReplayBlocks: number; maxQueued: number }> = {}): EventHub => {
        hub = new EventHub({
            ledger: peer, signer: '#service', chaincode: 'tradedocs', maxStreams: 10, maxStreamsPerUser: 3, maxReplayBlocks: 100, retryDelayMs: () => 1, ...limits,
        });
        hub.start();
        return hub;
    };
    beforeEach(() => { peer = new FakePeer(); });
    afterEach(() => hub.close());

    it('hub opens one peer stream, from the height at start, as the service identity, and fans each event out to every client', async () => {
        newHub();
        await until(() => peer.opened.length === 1);
        const clients = await Promise.all(['ana', 'ben', 'ana'].map((name) => hub.subscribe(caller(name))));
        const reading = clients.map((c) => take(c, 2));
        peer.emit(event(10n, 'a'));
        peer.emit(event(11n, 'b'));
        assert.deepEqual(await Promise.all(reading), [['10:a', '11:b'], ['10:a', '11:b'], ['10:a', '11:b']]);
        assert.deepEqual(peer.opened, [{ user: '#service', after: { blockNumber: 10n } }]);
        assert.equal(hub.status().upstream, 'connected');
    });

    it('hub caps streams per user and per gateway with STREAM_LIMIT (429, Retry-After); a closed stream frees its place', async () => {
        newHub({ maxStreams: 4, maxStreamsPerUser: 2 });
        const ana = [await hub.subscribe(caller('ana')), await hub.subscribe(caller('ana'))];
        await assert.rejects(hub.subscribe(caller('ana')), (err: ApiError) => err.code === 'STREAM_LIMIT' && err.status === 429 && err.retryAfterSeconds !== undefined);
        await hub.subscribe(caller('ben'));
        await hub.subscribe(caller('cid'));
        await assert.rejects(hub.subscribe(caller('dan')), isCode('STREAM_LIMIT'));
        ana[0]!.close();
        await hub.subscribe(caller('ana'));
        assert.equal(hub.status().clients, 4);
        assert.equal(peer.opened.length, 1, 'still one peer stream');
    });

    it('hub resumes a client after Last-Event-ID from stored blocks (valid events of this chaincode only), then live, without repeats', async () => {
        peer.blocks.set(7n, buildBlock(7n, [{ txId: 'a', event: { name: 'E', payload: 1 } }, { txId: 'b', event: { name: 'E', payload: 2 } }, { txId: 'c', event: { name: 'E', payload: 3 } }]));
        peer.blocks.set(8n, buildBlock(8n, [{ txId: 'd', event: { name: 'E', payload: 4 }, valid: false }, { txId: 'e', event: { name: 'E', payload: 5, chaincode: 'other' } }, { txId: 'f' }]));
        peer.blocks.set(9n, buildBlock(9n, [{ txId: 'g', event: { name: 'E', payload: 6 } }]));
        newHub();
        await until(() => peer.opened.length === 1);
        const client = await hub.subscribe(caller('ana'), { blockNumber: 7n, transactionId: 'b' });
        // The hub's stream may still deliver a block below the height read at subscription: replayed, so skipped live.
        peer.emit(event(9n, 'g'));
        peer.emit(event(10n, 'h'));
        assert.deepEqual(await take(client, 3), ['7:c', '9:g', '10:h']);
        assert.deepEqual(peer.blockReads, [7n, 8n, 9n]);
    });

    it('hub refuses a Last-Event-ID further back than the replay limit, or beyond the ledger', async () => {
        newHub({ maxReplayBlocks: 5 });
        await assert.rejects(hub.subscribe(caller('ana'), { blockNumber: 2n, transactionId: 'x' }), isCode('FAILED_PRECONDITION'));
        await assert.rejects(hub.subscribe(caller('ana'), { blockNumber: 10n, transactionId: 'x' }), isCode('INVALID_ARGUMENT'));
        assert.equal(hub.status().clients, 0, 'refused subscriptions hold no place');
    });

    it('hub, when the peer stream breaks, reopens it after the last event and clients miss nothing', async () => {
        newHub();
        await until(() => peer.opened.length === 1);
        const client = await hub.subscribe(caller('ana'));
        const reading = take(client, 2);
        peer.emit(event(10n, 'a'));
        await until(() => hub.status().upstream === 'connected');
        peer.breakStream();
        await until(() => peer.opened.length === 2);
        peer.emit(event(12n, 'b'));
        assert.deepEqual(await reading, ['10:a', '12:b']);
        assert.deepEqual(peer.opened[1]?.after, { blockNumber: 10n, transactionId: 'a' });
    });

    it('hub ends a client that falls too far behind (it resumes with Last-Event-ID); the others keep their stream', async () => {
        newHub({ maxQueued: 2 });
        await until(() => peer.opened.length === 1);
        const slow = await hub.subscribe(caller('ana'));
        const fast = await hub.subscribe(caller('ben'));
        const seen: string[] = [];
        const fastReading = (async () => {
            for await (const e of fast) {
                seen.push(e.transactionId);
            }
        })();
        for (const tx of ['a', 'b', 'c']) {
            peer.emit(event(10n, tx));
            await until(() => seen.includes(tx));
        }
        fast.close();
        await fastReading;
        await assert.rejects(take(slow, 3), (err: ApiError) => err.code === 'UNAVAILABLE' && /fell too far behind/.test(err.detail));
        assert.deepEqual(seen, ['a', 'b', 'c']);
    });

    it('block events: only VALID endorser transactions, only this chaincode, with name, transaction id and payload', () => {
        const block = buildBlock(4n, [
            { txId: 't1', event: { name: 'ShipmentOpened', payload: { id: 'S1' } } },
            { txId: 't2', event: { name: 'X', payload: 0 }, valid: false },
            { txId: 't3', event: { name: 'Y', payload: 0, chaincode: 'other' } },
            { txId: 't4' },
        ]);
        const events = chaincodeEventsOfBlock(block, 'tradedocs');
        assert.deepEqual(events.map((e) => [e.blockNumber, e.transactionId, e.eventName, Buffer.from(e.payload).toString()]), [[4n, 't1', 'ShipmentOpened', '{"id":"S1"}']]);
    });
});
