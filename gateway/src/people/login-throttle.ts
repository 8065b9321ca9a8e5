/**
 * Password-guessing limits that a stranger cannot turn into a lockout of the account's owner. Failures are counted
 * per (client address, user name): after a few free ones, each further attempt from that address for that name must
 * wait twice as long as the last. Another address — the owner's — is not affected. Besides that, one address may fail
 * only so often across all names (spraying), and when one name collects many failures from many addresses, addresses
 * that never logged in as that name are held back while the ones the owner used still get through.
 * In memory: each gateway instance limits its own traffic.
 */
import { ApiError } from '../errors';

export interface LoginThrottleOptions {
    /** Consecutive failures per (address, name) before backoff starts. */
    readonly freeFailures?: number;
    /** Longest wait between attempts from one address for one name. */
    readonly maxDelaySeconds?: number;
    /** Failures one address may have per minute across all names. */
    readonly addressFailuresPerMinute?: number;
    /** Failures for one name from all addresses in `nameWindowMinutes` before unfamiliar addresses are held back. */
    readonly nameFailureThreshold?: number;
    readonly nameWindowMinutes?: number;
    readonly now?: () => number;
}

const MAX_TRACKED = 20_000;
/** How long a successful login keeps an address familiar for that name. */
const FAMILIAR_MS = 30 * 24 * 3600 * 1000;

interface PairState { failures: number; lastFailure: number }

export class LoginThrottle {
    private readonly pairs = new Map<string, PairState>();
    private readonly addresses = new Map<string, { tokens: number; updated: number }>();
    private readonly names = new Map<string, number[]>();
    private readonly familiar = new Map<string, number>();
    private readonly freeFailures: number;
    private readonly maxDelayMs: number;
    private readonly addressPerMinute: number;
    private readonly nameThreshold: number;
    private readonly nameWindowMs: number;
    private readonly now: () => number;

    constructor(options: LoginThrottleOptions = {}) {
        this.freeFailures = options.freeFailures ?? 5;
        this.maxDelayMs = (options.maxDelaySeconds ?? 900) * 1000;
        this.addressPerMinute = options.addressFailuresPerMinute ?? 30;
        this.nameThreshold = options.nameFailureThreshold ?? 100;
        this.nameWindowMs = (options.nameWindowMinutes ?? 15) * 60_000;
        this.now = options.now ?? Date.now;
    }

    /**
     * Throws RATE_LIMITED (with the seconds to wait) when this attempt may not be tried now. Called before the password
     * is checked, so a held-back guess learns nothing, right or wrong.
     */
    check(address: string, name: string): void {
        const now = this.now();
        const pair = this.pairs.get(pairKey(address, name));
        if (pair && pair.failures >= this.freeFailures) {
            const wait = Math.min(this.maxDelayMs, 1000 * 2 ** (pair.failures - this.freeFailures));
            if (now < pair.lastFailure + wait) {
                throw limited('too many wrong passwords for this user from your address', pair.lastFailure + wait - now);
            }
        }
        const bucket = this.addressBucket(address, now);
        if (bucket.tokens < 1) {
            throw limited('too many failed logins from your address', (1 - bucket.tokens) / (this.addressPerMinute / 60_000));
        }
        if (this.recentNameFailures(name, now).length >= this.nameThreshold && !this.isFamiliar(address, name, now)) {
            throw limited('this user is under a password-guessing attack; logins from addresses it has not used are held back', 60_000);
        }
    }

    failed(address: string, name: string): void {
        const now = this.now();
        const key = pairKey(address, name);
        const pair = this.pairs.get(key) ?? { failures: 0, lastFailure: now };
        pair.failures += 1;
        pair.lastFailure = now;
        this.pairs.set(key, pair);
        this.addressBucket(address, now).tokens -= 1;
        const failures = this.recentNameFailures(name, now);
        failures.push(now);
        this.names.set(name, failures);
        this.prune(now);
    }

    succeeded(address: string, name: string): void {
        const key = pairKey(address, name);
        this.pairs.delete(key);
        this.familiar.set(key, this.now());
    }

    private addressBucket(address: string, now: number): { tokens: number; updated: number } {
        const bucket = this.addresses.get(address) ?? { tokens: this.addressPerMinute, updated: now };
        bucket.tokens = Math.min(this.addressPerMinute, bucket.tokens + (now - bucket.updated) * (this.addressPerMinute / 60_000));
        bucket.updated = now;
        this.addresses.set(address, bucket);
        return bucket;
    }

    private recentNameFailures(name: string, now: number): number[] {
        const recent = (this.names.get(name) ?? []).filter((t) => t > now - this.nameWindowMs);
        if (recent.length === 0) {
            this.names.delete(name);
        }
        // Keep only what the threshold needs, so a long attack does not grow memory.
        return recent.slice(-this.nameThreshold);
    }

    private isFamiliar(address: string, name: string, now: number): boolean {
        const at = this.familiar.get(pairKey(address, name));
        return at !== undefined && at > now - FAMILIAR_MS;
    }

    /** Bounded memory: forget states that no longer restrict anyone. */
    private prune(now: number): void {
        if (this.pairs.size > MAX_TRACKED) {
            for (const [key, pair] of this.pairs) {
                if (pair.lastFailure < now - this.maxDelayMs * 2) {
                    this.pairs.delete(key);
                }
            }
        }
        if (this.addresses.size > MAX_TRACKED) {
            for (const [address, bucket] of this.addresses) {
                if (bucket.tokens + (now - bucket.updated) * (this.addressPerMinute / 60_000) >= this.addressPerMinute) {
                    this.addresses.delete(address);
                }
            }
        }
        if (this.names.size > MAX_TRACKED) {
            for (const name of [...this.names.keys()]) {
                this.recentNameFailures(name, now);
            }
        }
        if (this.familiar.size > MAX_TRACKED) {
            for (const [key, at] of this.familiar) {
                if (at < now - FAMILIAR_MS) {
                    this.familiar.delete(key);
                }
            }
        }
    }
}

function pairKey(address: string, name: string): string {
    return `${address}\n${name}`;
}

function limited(detail: string, waitMs: number): ApiError {
    return new ApiError('RATE_LIMITED', detail, { retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) });
}
