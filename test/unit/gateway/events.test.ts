import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import request from 'supertest';
import { createApp } from '../../../gateway/src/app';
import { type EventFilter, eventId, parseEventId } from '../../../gateway/src/events/feed';
import { formatSse } from '../../../gateway/src/http/sse';
import { Lifecycle } from '../../../gateway/src/http/lifecycle';
import { type Harness, harness } from './fakes';

function ledgerEvent(block: bigint, tx: string, name: string, payload: unknown) {
    return { blockNumber: block, transactionId: tx, eventName: name, payload: Buffer.from(JSON.stringify(payload)) };
}

/** Parses an SSE body into its events' id, event and data fields. */
function parseSse(text: string): { id?: string; event?: string; data: string }[] {
    return text.split('\n\n').filter((block) => block.trim() && !block.startsWith(':')).map((block) => {
        const fields: { id?: string; event?: string; data: string } = { data: '' };
        for (const line of block.split('\n')) {
            const [key, ...rest] = line.split(': ');
            const value = rest.join(': ');
            if (key === 'id') fields.id = value;
            if (key === 'event') fields.event = value;
            if (key === 'data') fields.data += value;
        }
        return fields;
    });
}

describe('gateway event ids and wire format', () => {
    it('event id is <block>:<transaction> and parses back to the same position', () => {
        const id = eventId({ blockNumber: 12n, transactionId: 'abc123' });
        assert.equal(id, '12:abc123');
        assert.deepEqual(parseEventId(id), { blockNumber: 12n, transactionId: 'abc123' });
        for (const bad of ['12', ':abc', 'x:abc', '12:ab c', '1:a\nid: 2']) {
            assert.throws(() => parseEventId(bad), /Last-Event-ID/, bad);
        }
    });

    it('sse format splits multi-line data into data lines so a payload cannot inject fields', () => {
        assert.equal(formatSse({ id: '1:a', event: 'E', data: 'one\nid: 9:z' }), 'id: 1:a\nevent: E\ndata: one\ndata: id: 9:z\n\n');
    });
});

describe('gateway events (Server-Sent Events)', () => {
    let h: Harness;
    afterEach(() => fs.rmSync(h.dir, { recursive: true, force: true }));

    it('events stream each chaincode event with its id, name and decoded payload, from the caller\'s identity', async () => {
        h = await harness();
        h.ledger.queuedEvents = [ledgerEvent(5n, 'tx1', 'ShipmentCreated', { id: 'S1' }), ledgerEvent(6n, 'tx2', 'DocumentAdded', { id: 'D1' })];
        const token = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
        const res = await request(createApp(h.deps)).get('/api/v1/events').set('Authorization', `Bearer ${token}`).expect(200);
        assert.match(res.headers['content-type'] ?? '', /^text\/event-stream/);
        const events = parseSse(res.text);
        assert.deepEqual(events.map((e) => [e.id, e.event]), [['5:tx1', 'ShipmentCreated'], ['6:tx2', 'DocumentAdded']]);
        assert.deepEqual(JSON.parse(events[0]!.data), { id: '5:tx1', name: 'ShipmentCreated', blockNumber: '5', transactionId: 'tx1', payload: { id: 'S1' } });
        assert.deepEqual(h.ledger.eventRequests, [{ user: 'exporter1', after: undefined }]);
        assert.equal(h.ledger.closedStreams, 1);
    });

    it('events with Last-Event-ID (header or query) resume strictly after that event', async () => {
        h = await harness();
        const app = createApp(h.deps);
        const token = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
        await request(app).get('/api/v1/events').set('Authorization', `Bearer ${token}`).set('Last-Event-ID', '5:tx1').expect(200);
        await request(app).get('/api/v1/events?lastEventId=7:tx9').set('Authorization', `Bearer ${token}`).expect(200);
        assert.deepEqual(h.ledger.eventRequests.map((r) => r.after), [{ blockNumber: 5n, transactionId: 'tx1' }, { blockNumber: 7n, transactionId: 'tx9' }]);
        const bad = await request(app).get('/api/v1/events').set('Authorization', `Bearer ${token}`).set('Last-Event-ID', 'garbage').expect(400);
        assert.equal(bad.body.code, 'INVALID_ARGUMENT');
    });

    it('events pass through the filter hook: skipped events are not sent, reduced ones are sent reduced', async () => {
        const filter: EventFilter = (caller, event) => {
            if (event.name === 'CustomsRiskNoted') {
                return undefined;
            }
            return { ...event, payload: { id: (event.payload as { id: string }).id, seenBy: caller.name } };
        };
        h = await harness({ eventFilter: filter });
        h.ledger.queuedEvents = [ledgerEvent(5n, 'tx1', 'CustomsRiskNoted', { id: 'R1' }), ledgerEvent(6n, 'tx2', 'ShipmentCreated', { id: 'S1', price: 10 })];
        const token = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
        const res = await request(createApp(h.deps)).get('/api/v1/events').set('Authorization', `Bearer ${token}`).expect(200);
        const events = parseSse(res.text);
        assert.deepEqual(events.map((e) => e.id), ['6:tx2']);
        assert.deepEqual(JSON.parse(events[0]!.data).payload, { id: 'S1', seenBy: 'exporter1' });
    });

    it('events without a token answer 401 and open no stream', async () => {
        h = await harness();
        await request(createApp(h.deps)).get('/api/v1/events').expect(401);
        assert.equal(h.ledger.eventRequests.length, 0);
    });

    it('events, on shutdown, end open streams and close the ledger stream', async () => {
        h = await harness();
        const lifecycle = new Lifecycle();
        let closed = false;
        // A stream that never ends by itself, as a real one waits for the next block.
        h.ledger.subscribe = async () => ({
            async *[Symbol.asyncIterator]() {
                yield ledgerEvent(1n, 'tx1', 'E', {});
                await new Promise<void>((resolve) => { const t = setInterval(() => { if (closed) { clearInterval(t); resolve(); } }, 5); });
            },
            close: () => { closed = true; },
        });
        const server: Server = createApp({ ...h.deps, lifecycle }).listen(0);
        try {
            const token = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
            const { port } = server.address() as AddressInfo;
            const response = await fetch(`http://127.0.0.1:${port}/api/v1/events`, { headers: { Authorization: `Bearer ${token}` } });
            const reader = response.body!.getReader();
            const first = new TextDecoder().decode((await reader.read()).value);
            assert.match(first, /id: 1:tx1/);
            assert.equal(lifecycle.openStreams, 1);
            lifecycle.beginShutdown();
            let done = false;
            while (!done) {
                done = (await reader.read()).done;
            }
            assert.equal(closed, true);
            assert.equal(lifecycle.openStreams, 0);
            await request(server).get('/readyz').expect(503);
        } finally {
            server.close();
        }
    });
});
