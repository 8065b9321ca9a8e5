import * as assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IdempotencyStore } from '../../../gateway/src/http/idempotency';
import { KeyBox } from '../../../gateway/src/people/key-box';
import { tempDir } from './fakes';

const TX = { fn: 'shipment:openShipment', transactionId: 'tx-1', bytes: Buffer.from('endorsed transaction').toString('base64') };

describe('gateway idempotency store on disk', () => {
    const box = new KeyBox(randomBytes(32));
    let dir: string;
    beforeEach(() => { dir = path.join(tempDir(), 'idempotency'); });

    it('a journaled transaction survives a restart: the retry runs with it, and it is on disk before record() resolves', async () => {
        const first = new IdempotencyStore({ dir, box });
        const claim = first.begin('ana', 'k', 'print');
        assert.equal(claim.kind, 'run');
        if (claim.kind !== 'run') return;
        assert.equal(claim.journal.recovered(0, TX.fn), undefined);
        await claim.journal.record(0, TX);
        assert.equal(fs.readdirSync(dir).length, 1);
        // The process dies here: no complete(), no release().
        const restarted = new IdempotencyStore({ dir, box });
        assert.throws(() => restarted.begin('ana', 'k', 'another request'), /different request/);
        const retry = restarted.begin('ana', 'k', 'print');
        assert.equal(retry.kind, 'run');
        if (retry.kind !== 'run') return;
        assert.deepEqual(retry.journal.recovered(0, TX.fn), TX);
        assert.equal(retry.journal.recovered(0, 'shipment:cancelShipment'), undefined, 'only the same function is recovered');
        assert.equal(retry.journal.recovered(1, TX.fn), undefined);
        assert.throws(() => restarted.begin('ana', 'k', 'print'), /still in progress/);
    });

    it('a completed response survives a restart and replays byte for byte; the file is sealed', async () => {
        const store = new IdempotencyStore({ dir, box });
        store.begin('ana', 'text', 'p');
        store.complete('ana', 'text', { status: 201, headers: { 'X-Transaction-Id': 'tx-1' }, body: '{"totalValue":"991234.50"}' });
        store.begin('ana', 'bytes', 'p');
        store.complete('ana', 'bytes', { status: 200, headers: {}, body: Buffer.from([0, 1, 2, 255]) });
        await store.flush();
        for (const name of fs.readdirSync(dir)) {
            const raw = fs.readFileSync(path.join(dir, name), 'utf8');
            assert.ok(!raw.includes('991234.50') && !raw.includes('ana'), 'private values and callers are not readable on disk');
            assert.equal(fs.statSync(path.join(dir, name)).mode & 0o077, 0, 'only the gateway may read the file');
        }
        const restarted = new IdempotencyStore({ dir, box });
        assert.deepEqual(restarted.begin('ana', 'text', 'p'), {
            kind: 'replay', response: { status: 201, headers: { 'X-Transaction-Id': 'tx-1' }, body: '{"totalValue":"991234.50"}' },
        });
        assert.deepEqual(restarted.begin('ana', 'bytes', 'p'), { kind: 'replay', response: { status: 200, headers: {}, body: Buffer.from([0, 1, 2, 255]) } });
    });

    it('release forgets a request that submitted nothing, and keeps one with a transaction for its retry', async () => {
        const store = new IdempotencyStore({ dir, box });
        store.begin('ana', 'nothing', 'p');
        store.release('ana', 'nothing');
        const claim = store.begin('ana', 'submitted', 'p');
        if (claim.kind !== 'run') throw new Error('expected to run');
        await claim.journal.record(0, TX);
        store.release('ana', 'submitted');
        await store.flush();
        const restarted = new IdempotencyStore({ dir, box });
        assert.equal(fs.readdirSync(dir).length, 1);
        const retry = restarted.begin('ana', 'submitted', 'p');
        assert.ok(retry.kind === 'run' && retry.journal.recovered(0, TX.fn)?.transactionId === 'tx-1');
        assert.equal(restarted.begin('ana', 'nothing', 'other print').kind, 'run', 'the released key is free');
    });

    it('entries that expired, that another key sealed, or that are torn are dropped at start', async () => {
        let now = 0;
        const store = new IdempotencyStore({ dir, box, ttlMs: 1000, now: () => now });
        store.begin('ana', 'old', 'p');
        store.complete('ana', 'old', { status: 201, headers: {}, body: '{}' });
        await store.flush();
        fs.writeFileSync(path.join(dir, 'torn.json'), '{"iv":');
        fs.writeFileSync(path.join(dir, 'leftover.json.tmp'), '');
        now = 1001;
        assert.equal(new IdempotencyStore({ dir, box, ttlMs: 1000, now: () => now }).begin('ana', 'old', 'new').kind, 'run');
        assert.deepEqual(fs.readdirSync(dir), []);

        store.begin('ana', 'fresh', 'p');
        store.complete('ana', 'fresh', { status: 201, headers: {}, body: '{}' });
        await store.flush();
        assert.equal(new IdempotencyStore({ dir, box: new KeyBox(randomBytes(32)) }).begin('ana', 'fresh', 'new').kind, 'run');
        assert.deepEqual(fs.readdirSync(dir), []);
    });
});
