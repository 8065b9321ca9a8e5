/**
 * What an Idempotency-Key keeps: final answers only. A 5xx, a 429 or a conflict the gateway gave up retrying releases
 * the key, so the same request runs again; a chaincode's own refusal (4xx, CONFLICT included) is final and replayed.
 * And an entry in progress or holding unanswered transactions is never dropped, to make room or on expiry.
 */
import { Type } from '@sinclair/typebox';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import request from 'supertest';
import { createApp } from '../../../gateway/src/app';
import { ApiError, ChaincodeError, ConcurrentUpdateError, EndorsementMismatchError, PeerBusyError } from '../../../gateway/src/errors';
import { IdempotencyStore } from '../../../gateway/src/http/idempotency';
import { defineOperation } from '../../../gateway/src/http/operation';
import { type Harness, harness } from './fakes';

const TX = { fn: 'shipment:openShipment', transactionId: 'tx-1', bytes: Buffer.from('endorsed').toString('base64') };

describe('gateway idempotency rules', () => {
    let h: Harness;
    afterEach(() => fs.rmSync(h.dir, { recursive: true, force: true }));

    /** An app whose one operation fails with `failures` in turn, then answers 201; counts its runs. */
    async function appFailingWith(failures: Error[]) {
        const runs = { count: 0 };
        const resource = defineOperation({
            method: 'post', path: '/api/v1/things', operationId: 'createThing', tags: ['things'], access: 'user', summary: 'test',
            body: Type.Object({ id: Type.String() }, { additionalProperties: false }),
            responses: { 201: { description: 'created' } },
            async handle({ body }) {
                const failure = failures[runs.count++];
                if (failure) {
                    throw failure;
                }
                return { status: 201, body: { id: body.id } };
            },
        });
        h = await harness({ resources: [resource] });
        const app = createApp(h.deps);
        const token = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
        const post = () => request(app).post('/api/v1/things').set('Authorization', `Bearer ${token}`).set('Idempotency-Key', 'k1').send({ id: 'T1' });
        return { post, runs };
    }

    it('a 409 after the MVCC retries ran out is not kept: the retry with the same key runs again and succeeds', async () => {
        const { post, runs } = await appFailingWith([new ConcurrentUpdateError(4, 'tx9')]);
        const conflict = await post().expect(409);
        assert.deepEqual([conflict.body.code, conflict.headers['retry-after'], conflict.headers['idempotent-replayed']], ['CONFLICT', '1', undefined]);
        const retried = await post().expect(201, { id: 'T1' });
        assert.equal(retried.headers['idempotent-replayed'], undefined, 'ran, not replayed');
        assert.equal((await post().expect(201)).headers['idempotent-replayed'], 'true', 'the success is what is kept');
        assert.equal(runs.count, 2);
    });

    it('a chaincode CONFLICT (a final answer about the records) is kept and replayed without running again', async () => {
        const { post, runs } = await appFailingWith([new ChaincodeError('CONFLICT', 'document D-1 is a packingList of shipment S-2')]);
        await post().expect(409);
        const replay = await post().expect(409);
        assert.deepEqual([replay.body.code, replay.headers['idempotent-replayed']], ['CONFLICT', 'true']);
        assert.equal(runs.count, 1);
    });

    it('no 5xx is kept (500, 503 endorsement mismatch, 503 peer busy): each retry runs', async () => {
        const { post, runs } = await appFailingWith([new ApiError('INTERNAL', 'x'), new EndorsementMismatchError(new Error('ProposalResponsePayloads do not match')), new PeerBusyError(new Error('busy'))]);
        await post().expect(500);
        const mismatch = await post().expect(503);
        assert.deepEqual([mismatch.body.code, mismatch.headers['retry-after']], ['UNAVAILABLE', '1']);
        await post().expect(503);
        await post().expect(201);
        assert.equal(runs.count, 4);
    });

});

describe('gateway idempotency store: what is never dropped', () => {
    it('a full store never evicts an entry in progress or one with unanswered transactions: it refuses new keys until one is answered', async () => {
        const store = new IdempotencyStore({ maxEntries: 2 });
        const live = store.begin('ana', 'live', 'p');
        assert.equal(live.kind, 'run');
        const journaled = store.begin('ana', 'journaled', 'p');
        if (journaled.kind !== 'run') return assert.fail('runs');
        await journaled.journal.record(0, TX);
        store.release('ana', 'journaled');
        assert.throws(() => store.begin('ana', 'third', 'p'), (err: ApiError) => err.code === 'SATURATED' && err.retryAfterSeconds === 5);
        // The journaled request's retry still finds its transaction.
        const retry = store.begin('ana', 'journaled', 'p');
        if (retry.kind !== 'run') return assert.fail('runs');
        assert.deepEqual(retry.journal.recovered(0, TX.fn), TX);
        store.complete('ana', 'journaled', { status: 201, headers: {}, body: '{}' });
        // Answered, it may go: the third key takes its place; the one in progress stays.
        assert.equal(store.begin('ana', 'third', 'p').kind, 'run');
        assert.throws(() => store.begin('ana', 'live', 'p'), /still in progress/);
    });

    it('an entry with unanswered transactions outlives its 24 hours; an answered one expires', async () => {
        let now = 0;
        const store = new IdempotencyStore({ ttlMs: 1000, now: () => now });
        const journaled = store.begin('ana', 'journaled', 'p');
        if (journaled.kind !== 'run') return assert.fail('runs');
        await journaled.journal.record(0, TX);
        store.release('ana', 'journaled');
        store.begin('ana', 'answered', 'p');
        store.complete('ana', 'answered', { status: 201, headers: {}, body: '{}' });
        now = 10_000;
        const retry = store.begin('ana', 'journaled', 'p');
        if (retry.kind !== 'run') return assert.fail('runs');
        assert.deepEqual(retry.journal.recovered(0, TX.fn), TX, 'still resubmits the same transaction, never a second one');
        assert.equal(store.begin('ana', 'answered', 'other request').kind, 'run', 'expired: the key is free again');
    });

    it('a transaction discarded from the journal (invalidated for good) leaves nothing to finish: the released key is forgotten', async () => {
        const store = new IdempotencyStore();
        const claim = store.begin('ana', 'k', 'p');
        if (claim.kind !== 'run') return assert.fail('runs');
        await claim.journal.record(0, TX);
        await claim.journal.discard(0);
        store.release('ana', 'k');
        const retry = store.begin('ana', 'k', 'p');
        if (retry.kind !== 'run') return assert.fail('runs');
        assert.equal(retry.journal.recovered(0, TX.fn), undefined, 'the retry endorses anew');
    });
});
