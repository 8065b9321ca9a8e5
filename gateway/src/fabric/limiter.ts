/**
 * Bounded concurrency towards the peer. The peer's gateway service has its own limit (and a commit-status wait
 * holds a slot there), so excess work waits here in a bounded queue; beyond it, callers are told to back off (429)
 * instead of piling up memory or being refused by the peer.
 */
import { SaturatedError } from '../errors';

export class ConcurrencyLimiter {
    private active = 0;
    private readonly waiting: (() => void)[] = [];

    constructor(private readonly maxActive: number, private readonly maxQueued: number) {}

    /** Calls in progress and calls waiting for a slot (for /metrics). */
    get load(): Readonly<{ active: number; queued: number }> {
        return { active: this.active, queued: this.waiting.length };
    }

    /** Runs `task` when a slot is free; throws SaturatedError at once when the queue is full. */
    async run<T>(task: () => Promise<T>): Promise<T> {
        if (this.active >= this.maxActive) {
            if (this.waiting.length >= this.maxQueued) {
                throw new SaturatedError();
            }
            // The slot is handed over by release(), so `active` already counts this call when it resumes.
            await new Promise<void>((resolve) => this.waiting.push(resolve));
        } else {
            this.active++;
        }
        try {
            return await task();
        } finally {
            this.release();
        }
    }

    private release(): void {
        const next = this.waiting.shift();
        if (next) {
            next();
        } else {
            this.active--;
        }
    }
}
