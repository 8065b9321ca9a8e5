import * as assert from 'node:assert/strict';
import { SaturatedError } from '../../../gateway/src/errors';
import { ConcurrencyLimiter } from '../../../gateway/src/fabric/limiter';

function deferred(): { promise: Promise<void>; resolve: () => void } {
    let resolve!: () => void;
    const promise = new Promise<void>((r) => { resolve = r; });
    return { promise, resolve };
}

describe('peer concurrency limiter', () => {
    it('limiter runs at most maxActive tasks at once and starts queued ones in order as slots free', async () => {
        const limiter = new ConcurrencyLimiter(2, 10);
        const gates = [deferred(), deferred(), deferred()];
        const started: number[] = [];
        const runs = gates.map((gate, i) => limiter.run(async () => { started.push(i); await gate.promise; return i; }));
        await Promise.resolve();
        assert.deepEqual(started, [0, 1]);
        assert.deepEqual(limiter.load, { active: 2, queued: 1 });
        gates[0]!.resolve();
        assert.equal(await runs[0], 0);
        await Promise.resolve();
        assert.deepEqual(started, [0, 1, 2]);
        gates[1]!.resolve();
        gates[2]!.resolve();
        assert.deepEqual(await Promise.all(runs), [0, 1, 2]);
        assert.deepEqual(limiter.load, { active: 0, queued: 0 });
    });

    it('limiter, when the queue is full, refuses at once with SaturatedError', async () => {
        const limiter = new ConcurrencyLimiter(1, 1);
        const gate = deferred();
        const first = limiter.run(() => gate.promise);
        const second = limiter.run(async () => 'queued');
        await assert.rejects(limiter.run(async () => 'third'), SaturatedError);
        gate.resolve();
        await first;
        assert.equal(await second, 'queued');
    });

    it('limiter frees the slot when a task fails', async () => {
        const limiter = new ConcurrencyLimiter(1, 0);
        await assert.rejects(limiter.run(async () => { throw new Error('boom'); }), /boom/);
        assert.equal(await limiter.run(async () => 'next'), 'next');
    });
});
