import * as assert from 'node:assert/strict';
import { ApiError } from '../../../gateway/src/errors';
import { LoginThrottle } from '../../../gateway/src/people/login-throttle';

/** The seconds the throttle asks to wait, or 0 when the attempt may go ahead. */
function wait(throttle: LoginThrottle, address: string, name: string): number {
    try {
        throttle.check(address, name);
        return 0;
    } catch (err) {
        assert.ok(err instanceof ApiError && err.code === 'RATE_LIMITED');
        return err.retryAfterSeconds ?? -1;
    }
}

describe('gateway login throttle', () => {
    let now: number;
    let throttle: LoginThrottle;
    beforeEach(() => {
        now = 1_000_000;
        throttle = new LoginThrottle({ now: () => now });
    });

    it('throttle lets five wrong passwords through, then doubles the wait per failure from that address for that name', () => {
        const waits: number[] = [];
        for (let i = 0; i < 10; i++) {
            const w = wait(throttle, 'A', 'ana');
            waits.push(w);
            now += w * 1000;
            throttle.failed('A', 'ana');
        }
        assert.deepEqual(waits, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16]);
    });

    it('throttle holds back only the guessing address: the owner\'s address and other names are not affected', () => {
        for (let i = 0; i < 8; i++) {
            throttle.failed('A', 'ana');
        }
        assert.ok(wait(throttle, 'A', 'ana') > 0);
        assert.equal(wait(throttle, 'B', 'ana'), 0);
        assert.equal(wait(throttle, 'A', 'ben'), 0);
    });

    it('throttle forgets an address\'s failures for a name once it logs in as that name', () => {
        for (let i = 0; i < 8; i++) {
            throttle.failed('A', 'ana');
        }
        now += 3600_000;
        throttle.succeeded('A', 'ana');
        throttle.failed('A', 'ana');
        assert.equal(wait(throttle, 'A', 'ana'), 0);
    });

    it('throttle caps one address\'s failures across names (spraying) at 30 a minute', () => {
        for (let i = 0; i < 30; i++) {
            assert.equal(wait(throttle, 'A', `user${i}`), 0);
            throttle.failed('A', `user${i}`);
        }
        assert.ok(wait(throttle, 'A', 'someone-else') > 0);
        assert.equal(wait(throttle, 'B', 'someone-else'), 0);
        now += 60_000;
        assert.equal(wait(throttle, 'A', 'someone-else'), 0);
    });

    it('throttle, when many addresses guess one name, holds back addresses the name never used and lets the owner\'s through', () => {
        throttle.succeeded('OWNER', 'ana');
        for (let i = 0; i < 100; i++) {
            throttle.failed(`bot${i}`, 'ana');
        }
        assert.ok(wait(throttle, 'bot-new', 'ana') > 0);
        assert.equal(wait(throttle, 'OWNER', 'ana'), 0);
        now += 16 * 60_000;
        assert.equal(wait(throttle, 'bot-new', 'ana'), 0, 'the window passes');
    });
});
