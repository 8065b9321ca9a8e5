/**
 * The gateway under abuse by members with valid accounts and keys (issue 13, items 7 and 8), on the real network:
 * one user opening hundreds of event streams, a member flooding its own peer with event streams directly, and a
 * stranger guessing someone's password.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as path from 'node:path';
import type { ChaincodeEvent, CloseableAsyncIterable } from '@hyperledger/fabric-gateway';
import { waitFor } from '../../network/src/processes';
import { type PeerOrg, peerOrg, peerPorts } from '../../network/src/topology';
import { COMMERCIAL, SHIPMENT } from '../unit/chaincode/fixtures';
import { api, gatewayUrl, initialPassword, login } from '../integration/gateway-client';
import { connectAs, salted, testNetwork } from '../integration/harness';

const run = randomUUID().slice(0, 8);

/** A counter from the peer's operations endpoint (its /metrics takes a client certificate of the org's TLS CA). */
async function peerCounter(org: PeerOrg, metric: string): Promise<number> {
    const tlsDir = testNetwork.layout.adminTlsDir(org);
    const text = await new Promise<string>((resolve, reject) => {
        https.get(`https://127.0.0.1:${peerPorts(testNetwork.config.basePort, org).operations}/metrics`, {
            ca: fs.readFileSync(testNetwork.layout.tlsCa(org)), cert: fs.readFileSync(path.join(tlsDir, 'server.crt')), key: fs.readFileSync(path.join(tlsDir, 'server.key')),
            servername: 'localhost',
        }, (res) => {
            let body = '';
            res.on('data', (chunk: Buffer) => { body += chunk.toString(); });
            res.on('end', () => resolve(body));
        }).on('error', reject);
    });
    const line = text.split('\n').find((l) => l.startsWith(metric));
    return Number(line?.split(' ').pop() ?? 0);
}

const CHAINCODE_EVENT_STREAMS = 'grpc_server_stream_requests_received{method="ChaincodeEvents",service="gateway_Gateway"}';

/** A login from a chosen loopback source address (127.0.0.0/8 is all loopback on Linux): two clients on one machine. */
function loginFrom(localAddress: string, orgKey: string, name: string, password: string): Promise<{ status: number; retryAfter?: string; code?: string }> {
    const body = JSON.stringify({ name, password });
    return new Promise((resolve, reject) => {
        const req = http.request(`${gatewayUrl(orgKey)}/api/v1/auth/login`, {
            method: 'POST', localAddress, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        }, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => { text += chunk.toString(); });
            res.on('end', () => resolve({
                status: res.statusCode ?? 0,
                retryAfter: res.headers['retry-after'],
                code: (JSON.parse(text) as { code?: string }).code,
            }));
        });
        req.on('error', reject);
        req.end(body);
    });
}

interface OpenStream {
    readonly status: number;
    readonly code?: string;
    readonly retryAfter?: string | null;
    /** The event ids received so far (200 only). */
    readonly seen: string[];
    close(): void;
}

async function openEvents(orgKey: string, token: string): Promise<OpenStream> {
    const controller = new AbortController();
    const res = await fetch(`${gatewayUrl(orgKey)}/api/v1/events`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    if (res.status !== 200) {
        const body = await res.json() as { code: string };
        return { status: res.status, code: body.code, retryAfter: res.headers.get('retry-after'), seen: [], close: () => undefined };
    }
    const seen: string[] = [];
    const reader = res.body!.getReader();
    void (async () => {
        let buffer = '';
        for (;;) {
            const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
            if (done || !value) {
                return;
            }
            buffer += Buffer.from(value).toString();
            for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
                const data = buffer.slice(0, end).split('\n').find((l) => l.startsWith('data: '));
                buffer = buffer.slice(end + 2);
                if (data) {
                    seen.push((JSON.parse(data.slice(6)) as { payload: { id?: string } }).payload.id ?? '');
                }
            }
        }
    })();
    return { status: 200, seen, close: () => controller.abort() };
}

describe('the gateway under abuse by members (real Fabric network)', function () {
    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
    });

    it('one carrier user opening 500 event streams (within the rate limit) gets 5, the rest 429 STREAM_LIMIT; the peer sees no new stream, the API answers throughout and at once after they close', async () => {
        const carrier = peerOrg('carrier');
        const token = await login('carrier', 'carrier-agent1');
        const streamsBefore = await peerCounter(carrier, CHAINCODE_EVENT_STREAMS);
        const streams = await Promise.all(Array.from({ length: 500 }, () => openEvents('carrier', token)));
        const open = streams.filter((s) => s.status === 200);
        try {
            assert.equal(open.length, 5, 'the per-user cap');
            const refused = streams.filter((s) => s.status !== 200);
            assert.deepEqual([...new Set(refused.map((s) => `${s.status} ${s.code} ${s.retryAfter !== null}`))], ['429 STREAM_LIMIT true']);
            for (let i = 0; i < 10; i++) {
                assert.equal((await api('carrier', 'GET', '/api/v1/me', { token })).status, 200, 'the ledger answers while the streams are open');
            }
            // Every open stream gets the events, from the gateway's one peer stream.
            const shipmentId = `SHP-ABUSE-${run}`;
            const opened = await api('exporter', 'POST', '/api/v1/shipments', { token: await login('exporter', 'exporter1'), json: { shipmentId, ...SHIPMENT, commercial: COMMERCIAL } });
            assert.equal(opened.status, 201, JSON.stringify(opened.body));
            await waitFor('every open stream to deliver the new shipment\'s event', async () => open.every((s) => s.seen.includes(shipmentId)), 30_000);
            assert.equal(await peerCounter(carrier, CHAINCODE_EVENT_STREAMS), streamsBefore, '500 SSE requests opened no stream at the peer');
            const ready = (await api('carrier', 'GET', '/readyz')).body as { status: string; details: { events: { clients: number; upstream: string } } };
            assert.deepEqual([ready.status, ready.details.events.upstream, ready.details.events.clients], ['ready', 'connected', 5]);
        } finally {
            open.forEach((s) => s.close());
        }
        // A quiet channel: no block is written after the streams close, and the gateway answers at once.
        await waitFor('the closed streams to leave the gateway', async () => ((await api('carrier', 'GET', '/readyz')).body as { details: { events: { clients: number } } }).details.events.clients === 0, 10_000);
        assert.equal((await api('carrier', 'GET', '/api/v1/me', { token })).status, 200);
        const again = await openEvents('carrier', token);
        again.close();
        assert.equal(again.status, 200, 'the user may open a stream again');
    });

    it('a member flooding its own peer with event streams directly: /readyz says the peer refuses, calls answer PEER_BUSY, and the gateway serves again by itself once the peer frees its slots', async function () {
        this.timeout(300_000);
        // The exporter's own systems, with a valid key, straight at the exporter's peer: the gateway cannot prevent
        // it (Fabric limits per peer, not per client); it must see it and say so.
        const attacker = connectAs('exporter', 'exporter1');
        const streams: CloseableAsyncIterable<ChaincodeEvent>[] = [];
        const token = await login('exporter', 'exporter1');
        try {
            for (let i = 0; i < 520; i++) {
                const stream = await attacker.network.getChaincodeEvents('tradedocs');
                streams.push(stream);
                // Read, so the stream holds its slot at the peer; the refused ones fail here.
                const events = stream[Symbol.asyncIterator]();
                void (async () => { while (!(await events.next()).done) { /* nothing to do with the events */ } })().catch(() => undefined);
            }
            await waitFor('the exporter gateway to report its peer refusing', async () => {
                const ready = await api('exporter', 'GET', '/readyz');
                return ready.status === 503 && (ready.body as { details: { peer: { state: string } } }).details.peer.state === 'refusing';
            }, 60_000);
            const refused = await api('exporter', 'GET', '/api/v1/me', { token });
            assert.deepEqual([refused.status, (refused.body as { code: string }).code, refused.headers.get('retry-after')], [503, 'PEER_BUSY', '2']);
        } finally {
            streams.forEach((s) => s.close());
            attacker.close();
        }
        // The peer keeps cancelled streams until it next has an event to send: one block with an event, written
        // through another organisation's peer, frees them.
        const writer = connectAs('exporter', 'exporter1', 'customs');
        try {
            const commit = await writer.contract.submitAsync('shipment:openShipment', {
                arguments: [`SHP-FREE-${run}`, JSON.stringify(SHIPMENT)], transientData: salted({ commercial: JSON.stringify(COMMERCIAL) }), endorsingOrganizations: ['CustomsMSP', 'BankMSP'],
            });
            assert.equal((await commit.getStatus()).successful, true);
        } finally {
            writer.close();
        }
        await waitFor('the exporter gateway to be ready again, same process', async () => (await api('exporter', 'GET', '/readyz')).status === 200, 60_000);
        assert.equal((await api('exporter', 'GET', '/api/v1/me', { token })).status, 200);
    });

    it('a stranger guessing the owner\'s password from another address cannot lock the owner out: the guesser waits longer and longer, the owner logs in every time', async function () {
        this.timeout(300_000);
        const owner = initialPassword('exporter', 'forwarder1');
        // Fresh loopback addresses per run: the gateway remembers failures for as long as it runs.
        const octet = (): number => 2 + Math.floor(Math.random() * 250);
        const strangerAddress = `127.${octet()}.${octet()}.${octet()}`;
        const sprayerAddress = `127.${octet()}.${octet()}.${octet()}`;
        const stranger: { status: number; retryAfter?: string }[] = [];
        const started = Date.now();
        // Twelve guesses a minute locked the owner out before; here the stranger tries 30 in a row.
        let right: { status: number; code?: string } | undefined;
        for (let i = 0; i < 30; i++) {
            stranger.push(await loginFrom(strangerAddress, 'exporter', 'forwarder1', `guess-${run}-${i}`));
            if (right === undefined && i >= 5 && stranger[i]!.status === 401) {
                // Right after a counted guess beyond the free ones the guesser must wait at least 2 s: even the right
                // password is held back then (asked at once, so the wait cannot have run out on a slow machine).
                right = await loginFrom(strangerAddress, 'exporter', 'forwarder1', owner);
            }
            const mine = await loginFrom('127.0.0.1', 'exporter', 'forwarder1', owner);
            assert.equal(mine.status, 200, `the owner's login after guess ${i + 1}`);
        }
        const seconds = (Date.now() - started) / 1000;
        assert.deepEqual(stranger.slice(0, 5).map((r) => r.status), [401, 401, 401, 401, 401], 'five free guesses');
        const checked = stranger.filter((r) => r.status === 401).length;
        const held = stranger.filter((r) => r.status === 429);
        assert.equal(checked + held.length, 30);
        // After the free ones, one guess per doubling wait: 1 s, 2 s, 4 s, ...
        assert.ok(checked <= 5 + Math.ceil(Math.log2(seconds + 1)) + 1, `${checked} guesses were checked in ${seconds.toFixed(1)} s`);
        assert.ok(held.every((r) => Number(r.retryAfter) >= 1), 'every refusal says how long to wait');
        assert.ok(right, 'a guess beyond the free ones was checked');
        assert.deepEqual([right.status, right.code], [429, 'RATE_LIMITED'], 'held back even with the right password: the guesser learns nothing');
        // Spraying many names from one address is capped too (30 failures a minute), without touching the names' owners.
        const sprayStarted = Date.now();
        const sprayed: number[] = [];
        for (let i = 0; i < 40; i++) {
            sprayed.push((await loginFrom(sprayerAddress, 'exporter', `nobody-${run}-${i}`, 'some guess here')).status);
        }
        const refill = Math.ceil((Date.now() - sprayStarted) / 2000) + 1;
        assert.ok(sprayed.slice(0, 30).every((s) => s === 401), sprayed.join(','));
        assert.ok(sprayed.filter((s) => s === 401).length <= 30 + refill && sprayed.includes(429), sprayed.join(','));
        assert.equal((await loginFrom('127.0.0.1', 'exporter', 'forwarder1', owner)).status, 200);
    });
});
