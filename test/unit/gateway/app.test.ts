import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import request from 'supertest';
import { LoginThrottle } from '../../../gateway/src/people/login-throttle';
import { createApp } from '../../../gateway/src/app';
import { nextSubmission } from '../../../gateway/src/fabric/journal';
import { CommitStatusUnknownError, PeerUnavailableError } from '../../../gateway/src/errors';
import { createLogger } from '../../../gateway/src/http/logger';
import { Metrics } from '../../../gateway/src/http/metrics';
import { defineOperation } from '../../../gateway/src/http/operation';
import { Type } from '@sinclair/typebox';
import { type Harness, harness } from './fakes';

describe('gateway HTTP app', () => {
    let h: Harness;
    let app: ReturnType<typeof createApp>;
    let userToken: string;
    let adminToken: string;

    before(async () => {
        h = await harness({ metrics: new Metrics() });
        app = createApp(h.deps);
        userToken = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
        adminToken = (await h.accounts.login('admin', h.password('admin'))).token;
    });

    after(() => fs.rmSync(h.dir, { recursive: true, force: true }));

    it('login with the right password answers a bearer token and the user', async () => {
        const res = await request(app).post('/api/v1/auth/login').send({ name: 'forwarder1', password: h.password('forwarder1') }).expect(200);
        assert.equal(res.body.tokenType, 'Bearer');
        assert.equal(res.body.user.name, 'forwarder1');
        assert.equal(h.accounts.authenticate(res.body.token).role, 'forwarder');
    });

    it('login with a wrong password answers 401 problem+json', async () => {
        const res = await request(app).post('/api/v1/auth/login').send({ name: 'exporter1', password: 'wrong' }).expect(401);
        assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
        assert.equal(res.body.code, 'UNAUTHENTICATED');
    });

    it('me answers the caller and who the chaincode sees, signed as that caller', async () => {
        const res = await request(app).get('/api/v1/me').set('Authorization', `Bearer ${userToken}`).expect(200);
        assert.deepEqual(res.body, {
            name: 'exporter1', role: 'exporter', org: 'exporter', mspId: 'ExporterMSP',
            ledger: { mspId: 'ExporterMSP', role: 'exporter', id: 'x509::CN=exporter1' },
        });
        assert.deepEqual(h.ledger.calls.at(-1), { user: 'exporter1', fn: 'probe:whoAmI', args: [] });
    });

    it('me without a token, with a forged token, or with a malformed header answers 401', async () => {
        await request(app).get('/api/v1/me').expect(401);
        const [prefix, claims] = userToken.split('.');
        await request(app).get('/api/v1/me').set('Authorization', `Bearer ${prefix}.${claims}.AAAA`).expect(401);
        await request(app).get('/api/v1/me').set('Authorization', userToken).expect(401);
    });

    it('me, when the peer is unreachable, answers 503 with Retry-After and nothing about the peer', async () => {
        const original = h.ledger.evaluateResult;
        h.ledger.evaluateResult = async () => { throw new PeerUnavailableError(new Error('connect ECONNREFUSED 127.0.0.1:7200')); };
        try {
            const res = await request(app).get('/api/v1/me').set('Authorization', `Bearer ${userToken}`).expect(503);
            assert.equal(res.headers['retry-after'], '5');
            assert.doesNotMatch(res.text, /7200|ECONNREFUSED|at /);
        } finally {
            h.ledger.evaluateResult = original;
        }
    });

    it('users endpoints refuse a person who is not the administrator with 403', async () => {
        const res = await request(app).get('/api/v1/users').set('Authorization', `Bearer ${userToken}`).expect(403);
        assert.equal(res.body.code, 'FORBIDDEN');
    });

    it('register by the administrator answers 201 with Location, and the CA issued the identity', async () => {
        const res = await request(app).post('/api/v1/users').set('Authorization', `Bearer ${adminToken}`)
            .send({ name: 'carla', role: 'exporter', password: 'correct horse battery' }).expect(201);
        assert.equal(res.headers.location, '/api/v1/users/carla');
        assert.deepEqual(res.body, { name: 'carla', role: 'exporter', createdAt: res.body.createdAt, ledgerIdentity: true });
        assert.deepEqual(h.ca.registered.at(-1), { name: 'carla', role: 'exporter' });
        const list = await request(app).get('/api/v1/users').set('Authorization', `Bearer ${adminToken}`).expect(200);
        assert.ok(list.body.users.some((u: { name: string }) => u.name === 'carla'));
        assert.doesNotMatch(list.text, /passwordHash|sealedKey|CERT/);
    });

    it('register with each class of bad input answers 400 naming the field, and registers nobody', async () => {
        const before = h.ca.registered.length;
        const cases: [unknown, RegExp][] = [
            [{ name: 'dan', role: 'exporter' }, /missing required field password/],
            [{ name: 'dan', role: 'exporter', password: 'correct horse battery', admin: true }, /unknown field admin/],
            [{ name: 'dan', role: 'exporter', password: 12345678901234 }, /password must be string/],
            [{ name: 'Dan Smith', role: 'exporter', password: 'correct horse battery' }, /body field name must match pattern/],
            [{ name: 'dan', role: 'exporter', password: 'short' }, /password must NOT have fewer than 12 characters/],
        ];
        for (const [body, detail] of cases) {
            const res = await request(app).post('/api/v1/users').set('Authorization', `Bearer ${adminToken}`).send(body as object).expect(400);
            assert.match(res.body.detail, detail);
        }
        assert.equal(h.ca.registered.length, before);
    });

    it('a malformed JSON body answers 400 problem+json; a body over the limit 413; a non-JSON body 415', async () => {
        const malformed = await request(app).post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"name":').expect(400);
        assert.equal(malformed.body.code, 'INVALID_ARGUMENT');
        assert.match(malformed.headers['content-type'] ?? '', /problem\+json/);
        await request(app).post('/api/v1/auth/login').send({ name: 'x', password: 'y'.repeat(70 * 1024) }).expect(413);
        await request(app).post('/api/v1/auth/login').set('Content-Type', 'text/plain').send('name=x').expect(415);
    });

    it('revoke by the administrator answers the revoked account, and its token is refused afterwards', async () => {
        await request(app).post('/api/v1/users').set('Authorization', `Bearer ${adminToken}`)
            .send({ name: 'eve', role: 'forwarder', password: 'correct horse battery' }).expect(201);
        const eveToken = (await h.accounts.login('eve', 'correct horse battery')).token;
        const res = await request(app).post('/api/v1/users/eve/revoke').set('Authorization', `Bearer ${adminToken}`).expect(200);
        assert.ok(res.body.revokedAt);
        await request(app).get('/api/v1/me').set('Authorization', `Bearer ${eveToken}`).expect(401);
        await request(app).get('/api/v1/users/nobody').set('Authorization', `Bearer ${adminToken}`).expect(404);
    });

    it('POST with the same Idempotency-Key and body answers the stored response and registers once', async () => {
        const send = () => request(app).post('/api/v1/users').set('Authorization', `Bearer ${adminToken}`).set('Idempotency-Key', 'reg-frank')
            .send({ role: 'exporter', name: 'frank', password: 'correct horse battery' });
        const first = await send().expect(201);
        const second = await send().expect(201);
        assert.equal(second.headers['idempotent-replayed'], 'true');
        assert.deepEqual(second.body, first.body);
        assert.equal(h.ca.registered.filter((r) => r.name === 'frank').length, 1);
    });

    it('POST of JSON nested 20 000 deep with an Idempotency-Key answers 400: bodies are validated before they are fingerprinted', async () => {
        const deep = `{"name":"ivan","role":"exporter","password":${'['.repeat(20_000)}${']'.repeat(20_000)}}`;
        const res = await request(app).post('/api/v1/users').set('Authorization', `Bearer ${adminToken}`).set('Idempotency-Key', 'deep')
            .set('Content-Type', 'application/json').send(deep).expect(400);
        assert.equal(res.body.code, 'INVALID_ARGUMENT');
        assert.equal(h.accounts.list().some((u) => u.name === 'ivan'), false);
    });

    it('POST with a reused Idempotency-Key and a different body answers 422 and does nothing', async () => {
        await request(app).post('/api/v1/users').set('Authorization', `Bearer ${adminToken}`).set('Idempotency-Key', 'reg-gina')
            .send({ name: 'gina', role: 'exporter', password: 'correct horse battery' }).expect(201);
        const res = await request(app).post('/api/v1/users').set('Authorization', `Bearer ${adminToken}`).set('Idempotency-Key', 'reg-gina')
            .send({ name: 'hank', role: 'exporter', password: 'correct horse battery' }).expect(422);
        assert.equal(res.body.code, 'IDEMPOTENCY_KEY_REUSED');
        assert.equal(h.accounts.list().some((u) => u.name === 'hank'), false);
    });

    it('responses carry security headers and a request id (the caller\'s when well-formed)', async () => {
        const res = await request(app).get('/healthz').set('X-Request-Id', 'abc-123').expect(200);
        assert.equal(res.headers['x-request-id'], 'abc-123');
        assert.equal(res.headers['x-content-type-options'], 'nosniff');
        assert.equal(res.headers['x-frame-options'], 'DENY');
        assert.match(res.headers['content-security-policy'] ?? '', /default-src 'none'/);
        assert.equal(res.headers['x-powered-by'], undefined);
        const generated = await request(app).get('/healthz').set('X-Request-Id', 'bad id with spaces').expect(200);
        assert.match(generated.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/);
    });

    it('an unknown route answers 404 problem+json', async () => {
        const res = await request(app).get('/api/v1/nothing').expect(404);
        assert.equal(res.body.code, 'NOT_FOUND');
    });

    it('metrics count requests by route template and status, and errors by code', async () => {
        await request(app).get('/api/v1/users/nobody').set('Authorization', `Bearer ${adminToken}`).expect(404);
        const res = await request(app).get('/metrics').expect(200);
        assert.match(res.headers['content-type'] ?? '', /^text\/plain/);
        assert.match(res.text, /tradedocs_http_requests_total\{method="GET",route="\/api\/v1\/users\/\{name\}",status="404"\} \d+/);
        assert.match(res.text, /tradedocs_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",status="200",le="\+Inf"\} \d+/);
        assert.match(res.text, /tradedocs_errors_total\{code="NOT_FOUND"\} \d+/);
    });

    it('metrics include registered gauges read at scrape time', async () => {
        let queued = 3;
        h.deps.metrics?.gauge('tradedocs_test_queued', 'test gauge', () => queued);
        assert.match((await request(app).get('/metrics').expect(200)).text, /# TYPE tradedocs_test_queued gauge\ntradedocs_test_queued 3\n/);
        queued = 4;
        assert.match((await request(app).get('/metrics').expect(200)).text, /tradedocs_test_queued 4\n/);
    });

    it('request logs carry the request id, route and status, and never the password or token', async () => {
        const lines: string[] = [];
        const logger = createLogger('info', { write: (line: string) => { lines.push(line); } });
        const logged = createApp({ ...h.deps, logger });
        await request(logged).post('/api/v1/auth/login').set('X-Request-Id', 'log-1').send({ name: 'exporter1', password: h.password('exporter1') }).expect(200);
        logger.info({ body: { password: 'hunter2-hunter2' }, token: 'v1.secret' }, 'careless');
        const text = lines.join('');
        assert.match(text, /"requestId":"log-1".*"route":"\/api\/v1\/auth\/login".*"status":200/);
        assert.doesNotMatch(text, new RegExp(`${h.password('exporter1')}|hunter2|v1\\.`));
        assert.match(text, /\[redacted\]/);
    });

    it('openapi.json is OpenAPI 3.1 with every operation, its security and its request schema', async () => {
        const res = await request(app).get('/openapi.json').expect(200);
        assert.equal(res.body.openapi, '3.1.0');
        const login = res.body.paths['/api/v1/auth/login'].post;
        assert.deepEqual(login.security, []);
        assert.deepEqual(login.requestBody.content['application/json'].schema.required, ['name', 'password']);
        const [nameParameter] = res.body.paths['/api/v1/users/{name}'].get.parameters;
        assert.deepEqual([nameParameter.name, nameParameter.in, nameParameter.required, nameParameter.schema.pattern], ['name', 'path', true, '^[a-z0-9][a-z0-9._-]{0,62}$']);
        assert.deepEqual(res.body.paths['/api/v1/me'].get.security, [{ bearer: [] }]);
        assert.ok(res.body.paths['/api/v1/events'].get);
        assert.ok(res.body.paths['/api/v1/users'].post.parameters.some((p: { name: string }) => p.name === 'Idempotency-Key'));
    });

    it('docs is a self-contained page listing the operations', async () => {
        const res = await request(app).get('/docs').expect(200);
        assert.match(res.headers['content-type'] ?? '', /^text\/html/);
        assert.match(res.text, /\/api\/v1\/auth\/login/);
        assert.doesNotMatch(res.text, /<script|https?:\/\/(?!127)/);
    });
});

describe('gateway HTTP app: readiness, rate limit, resources', () => {
    let h: Harness;
    afterEach(() => fs.rmSync(h.dir, { recursive: true, force: true }));

    it('readyz answers 503 naming the failing check, 200 when all pass; details inform without failing', async () => {
        let peer = false;
        const details = { revocation: { channelUpdatePending: 1 } };
        h = await harness({ checks: async () => ({ checks: { peer, certificates: true }, details }) });
        const app = createApp(h.deps);
        const down = await request(app).get('/readyz').expect(503);
        assert.deepEqual(down.body, { status: 'not ready', checks: { peer: false, certificates: true, accepting: true }, details });
        peer = true;
        const up = await request(app).get('/readyz').expect(200);
        assert.deepEqual(up.body.details, details);
    });

    it('per-user rate limit answers 429 with Retry-After once the minute\'s allowance is spent', async () => {
        h = await harness({ rateLimitPerMinute: 2 });
        const app = createApp(h.deps);
        const token = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
        await request(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
        await request(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(200);
        const res = await request(app).get('/api/v1/me').set('Authorization', `Bearer ${token}`).expect(429);
        assert.equal(res.body.code, 'RATE_LIMITED');
        assert.equal(res.headers['retry-after'], '30');
        const other = (await h.accounts.login('forwarder1', h.password('forwarder1'))).token;
        await request(app).get('/api/v1/me').set('Authorization', `Bearer ${other}`).expect(200);
    });

    it('a resource module\'s operation is routed, validated, and its ledger errors mapped (504 with the transaction id)', async () => {
        let calls = 0;
        const resource = defineOperation({
            method: 'post', path: '/api/v1/things', operationId: 'createThing', tags: ['things'], access: 'user', summary: 'test',
            body: Type.Object({ id: Type.String() }, { additionalProperties: false }),
            responses: { 201: { description: 'created' } },
            async handle({ body }) {
                calls++;
                if (body.id === 'slow') {
                    // As the ledger does: journal the transaction, submit, and on the retry finish the journaled one.
                    const slot = nextSubmission();
                    const previous = slot?.journal.recovered(slot.index, 'thing:create');
                    if (previous) {
                        return { status: 201, body: { id: body.id, transactionId: previous.transactionId } };
                    }
                    await slot?.journal.record(slot.index, { fn: 'thing:create', transactionId: 'tx77', bytes: '' });
                    throw new CommitStatusUnknownError('tx77', new Error('deadline'));
                }
                return { status: 201, body: { id: body.id } };
            },
        });
        h = await harness({ resources: [resource] });
        const app = createApp(h.deps);
        const token = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
        await request(app).post('/api/v1/things').set('Authorization', `Bearer ${token}`).send({ id: 'a' }).expect(201, { id: 'a' });
        await request(app).post('/api/v1/things').set('Authorization', `Bearer ${token}`).send({ id: 1 }).expect(400);
        const res = await request(app).post('/api/v1/things').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', 'k').send({ id: 'slow' }).expect(504);
        assert.equal(res.body.transactionId, 'tx77');
        // The outcome was unknown: the retry runs with the first attempt's journal and finishes *its* transaction.
        await request(app).post('/api/v1/things').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', 'k').send({ id: 'slow' })
            .expect(201, { id: 'slow', transactionId: 'tx77' });
        const replay = await request(app).post('/api/v1/things').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', 'k').send({ id: 'slow' })
            .expect(201, { id: 'slow', transactionId: 'tx77' });
        assert.equal(replay.headers['idempotent-replayed'], 'true');
        assert.equal(calls, 3);
    });

    it('fifty simultaneous POSTs with one Idempotency-Key: one runs (201), the others get 409 IDEMPOTENCY_IN_FLIGHT with Retry-After, then the replay', async () => {
        let release: () => void = () => undefined;
        const gate = new Promise<void>((resolve) => { release = resolve; });
        let runs = 0;
        const resource = defineOperation({
            method: 'post', path: '/api/v1/things', operationId: 'createThing', tags: ['things'], access: 'user', summary: 'test',
            body: Type.Object({ id: Type.String() }, { additionalProperties: false }),
            responses: { 201: { description: 'created' } },
            async handle({ body }) {
                runs++;
                await gate;
                return { status: 201, body: { id: body.id } };
            },
        });
        h = await harness({ resources: [resource] });
        const server = createApp(h.deps).listen(0);
        try {
            const token = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
            const post = () => request(server).post('/api/v1/things').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', 'same').send({ id: 'T1' });
            const first = post().then((res) => res);
            // The first is running (waiting at the gate) before the other 49 arrive together.
            while (runs === 0) {
                await new Promise((resolve) => setTimeout(resolve, 5));
            }
            const others = await Promise.all(Array.from({ length: 49 }, post));
            release();
            assert.equal((await first).status, 201);
            assert.deepEqual([...new Set(others.map((r) => `${r.status} ${r.body.code} ${r.headers['retry-after']}`))], ['409 IDEMPOTENCY_IN_FLIGHT 1']);
            assert.equal(runs, 1);
            const replay = await post().expect(201, { id: 'T1' });
            assert.equal(replay.headers['idempotent-replayed'], 'true');
        } finally {
            server.close();
        }
    });
});

describe('gateway HTTP app: passwords and login limits', function () {
    // Each login hashes with scrypt on purpose; a busy machine makes a couple of dozen of them slow.
    this.timeout(60_000);
    let h: Harness;
    afterEach(() => fs.rmSync(h.dir, { recursive: true, force: true }));

    it('a stranger\'s wrong passwords from one address get 429 with Retry-After once the free ones are used; the owner at another address logs in every time', async () => {
        // Behind a trusted proxy (loopback) the client address is X-Forwarded-For's, so the test can be two clients.
        // The throttle's clock stands still: each owner login hashes with scrypt, and on a busy machine a real clock
        // would let the one-second backoff run out between the stranger's attempts.
        const frozen = Date.now();
        h = await harness({ trustProxy: 'loopback' }, new LoginThrottle({ now: () => frozen }));
        const app = createApp(h.deps);
        const login = (address: string, password: string) => request(app).post('/api/v1/auth/login').set('X-Forwarded-For', address).send({ name: 'exporter1', password });
        const waits: number[] = [];
        for (let i = 0; i < 12; i++) {
            const res = await login('203.0.113.9', `wrong-guess-${i}`);
            if (res.status === 429) {
                waits.push(Number(res.headers['retry-after']));
            } else {
                assert.equal(res.status, 401);
            }
            await login('198.51.100.7', h.password('exporter1')).expect(200);
        }
        assert.equal(waits.length, 7, 'five free failures, then every attempt waits');
        assert.deepEqual(waits, [...waits].sort((a, b) => a - b));
        assert.equal((await login('203.0.113.9', h.password('exporter1'))).status, 429, 'held back even with the right password');
    });

    it('password change over HTTP returns a new token and ends the old one; a reset forces the change before anything else', async () => {
        h = await harness();
        const app = createApp(h.deps);
        const old = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
        const changed = await request(app).post('/api/v1/me/password').set('Authorization', `Bearer ${old}`)
            .send({ currentPassword: h.password('exporter1'), newPassword: 'my own new password' }).expect(200);
        await request(app).get('/api/v1/me').set('Authorization', `Bearer ${old}`).expect(401);
        await request(app).get('/api/v1/me').set('Authorization', `Bearer ${changed.body.token}`).expect(200);

        const admin = (await h.accounts.login('admin', h.password('admin'))).token;
        const reset = await request(app).post('/api/v1/users/exporter1/password-reset').set('Authorization', `Bearer ${admin}`).expect(200);
        assert.equal(reset.headers['cache-control'], 'no-store');
        const temporary = await request(app).post('/api/v1/auth/login').send({ name: 'exporter1', password: reset.body.temporaryPassword }).expect(200);
        assert.equal(temporary.body.user.mustChangePassword, true);
        const auth = `Bearer ${temporary.body.token}`;
        const refused = await request(app).get('/api/v1/events').set('Authorization', auth).expect(403);
        assert.equal(refused.body.code, 'PASSWORD_CHANGE_REQUIRED');
        await request(app).get('/api/v1/me').set('Authorization', auth).expect(200);
        const chosen = await request(app).post('/api/v1/me/password').set('Authorization', auth)
            .send({ currentPassword: reset.body.temporaryPassword, newPassword: 'chosen after reset' }).expect(200);
        await request(app).get('/api/v1/events').set('Authorization', `Bearer ${chosen.body.token}`).expect(200);
        await request(app).post('/api/v1/users/exporter1/password-reset').set('Authorization', `Bearer ${chosen.body.token}`).expect(403);
    });
});
