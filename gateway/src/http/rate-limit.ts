/**
 * Per-caller rate limit: a token bucket per user (per client address before login) holding a minute's allowance,
 * refilled continuously. In memory: each gateway instance limits its own traffic.
 */
import { ApiError } from '../errors';

const MAX_TRACKED = 10_000;

export class RateLimiter {
    private readonly buckets = new Map<string, { tokens: number; updated: number }>();

    constructor(private readonly perMinute: number, private readonly now: () => number = Date.now) {}

    /** Takes one request's token for `key`, or throws RATE_LIMITED with the seconds until the next one. */
    take(key: string): void {
        const now = this.now();
        const refillPerMs = this.perMinute / 60_000;
        const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, updated: now };
        bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updated) * refillPerMs);
        bucket.updated = now;
        if (bucket.tokens < 1) {
            this.buckets.set(key, bucket);
            throw new ApiError('RATE_LIMITED', `more than ${this.perMinute} requests a minute`, {
                retryAfterSeconds: Math.ceil((1 - bucket.tokens) / refillPerMs / 1000),
            });
        }
        bucket.tokens -= 1;
        this.buckets.set(key, bucket);
        if (this.buckets.size > MAX_TRACKED) {
            this.prune(now);
        }
    }

    /** Forgets callers whose bucket has refilled: they are indistinguishable from new ones. */
    private prune(now: number): void {
        for (const [key, bucket] of this.buckets) {
            if (bucket.tokens + (now - bucket.updated) * (this.perMinute / 60_000) >= this.perMinute) {
                this.buckets.delete(key);
            }
        }
    }
}
