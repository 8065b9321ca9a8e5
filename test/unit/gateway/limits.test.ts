import * as assert from 'node:assert/strict';
import { ApiError } from '../../../gateway/src/errors';
import { IdempotencyStore, fingerprint } from '../../../gateway/src/http/idempotency';
import { RateLimiter } from '../../../gateway/src/http/rate-limit';

const isCode = (code: string) => (err: unknown) => err instanceof ApiError && err.code === code;
const RESPONSE = { status: 201, headers: { 'Content-Type': 'application/json' }, body: '{"id":"S1"}' };

describe('gateway idempotency store and rate limiter', () => {
    it('fingerprint ignores object key order but not values, paths or methods', () => {
        const a = fingerprint('POST', '/x', { b: 1, a: { d: [1, 2], c: null } });
        assert.equal(fingerprint('POST', '/x', { a: { c: null, d: [1, 2] }, b: 1 }), a);
        assert.notEqual(fingerprint('POST', '/x', { a: { c: null, d: [2, 1] }, b: 1 }), a);
        assert.notEqual(fingerprint('POST', '/y', { b: 1, a: { d: [1, 2], c: null } }), a);
    });

    it('idempotency, while the first request runs, answers the same key IDEMPOTENCY_IN_FLIGHT (409, Retry-After), never CONFLICT; afterwards replays its response', () => {
        const store = new IdempotencyStore();
        assert.equal(store.begin('ana', 'k1', 'p').kind, 'run');
        assert.throws(() => store.begin('ana', 'k1', 'p'), (err: ApiError) => err.code === 'IDEMPOTENCY_IN_FLIGHT' && err.status === 409 && err.retryAfterSeconds === 1);
        store.complete('ana', 'k1', RESPONSE);
        assert.deepEqual(store.begin('ana', 'k1', 'p'), { kind: 'replay', response: RESPONSE });
        assert.throws(() => store.begin('ana', 'k1', 'other'), isCode('IDEMPOTENCY_KEY_REUSED'));
    });

    it('idempotency keys are per caller, released keys can run again, expired keys are forgotten', () => {
        let now = 0;
        const store = new IdempotencyStore({ ttlMs: 1000, maxEntries: 100, now: () => now });
        store.begin('ana', 'k', 'p');
        store.complete('ana', 'k', RESPONSE);
        assert.equal(store.begin('ben', 'k', 'p').kind, 'run');
        store.release('ben', 'k');
        assert.equal(store.begin('ben', 'k', 'p').kind, 'run');
        now = 1001;
        assert.equal(store.begin('ana', 'k', 'different').kind, 'run');
    });

    it('idempotency refuses a key that is empty, too long or not visible ASCII', () => {
        const store = new IdempotencyStore();
        for (const key of ['', 'x'.repeat(256), 'with space', 'ключ']) {
            assert.throws(() => store.begin('ana', key, 'p'), isCode('INVALID_ARGUMENT'), key);
        }
    });

    it('rate limiter allows the minute\'s allowance, then refuses until tokens refill, per key', () => {
        let now = 0;
        const limiter = new RateLimiter(60, () => now);
        for (let i = 0; i < 60; i++) {
            limiter.take('ana');
        }
        assert.throws(() => limiter.take('ana'), (err) => isCode('RATE_LIMITED')(err) && (err as ApiError).retryAfterSeconds === 1);
        limiter.take('ben');
        now += 1000;
        limiter.take('ana');
        assert.throws(() => limiter.take('ana'), isCode('RATE_LIMITED'));
    });
});
