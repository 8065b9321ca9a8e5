/**
 * `Idempotency-Key` for POST: the first response to (caller, key) is kept; the same request again gets that response
 * back without running twice, a different request with the same key is refused. In memory, for 24 hours: a gateway
 * restart forgets keys (the chaincode's own uniqueness checks still stop a second record for natural ids).
 */
import { createHash } from 'node:crypto';
import { ApiError } from '../errors';

/** What is replayed: status, the headers that describe the result, and the body as sent. */
export interface StoredResponse {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    /** Text as sent, or the bytes of a binary answer (a document download). */
    readonly body: string | Buffer;
}

type Entry =
    | { readonly state: 'pending'; readonly fingerprint: string; readonly expiresAt: number }
    | { readonly state: 'done'; readonly fingerprint: string; readonly expiresAt: number; readonly response: StoredResponse };

const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** A request's identity for idempotency: method, path and the body with object keys in sorted order. */
export function fingerprint(method: string, path: string, body: unknown): string {
    return createHash('sha256').update(`${method} ${path}\n${canonical(body)}`).digest('base64url');
}

function canonical(value: unknown): string {
    if (Array.isArray(value)) {
        return `[${value.map(canonical).join(',')}]`;
    }
    if (value !== null && typeof value === 'object') {
        const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
    }
    return JSON.stringify(value) ?? 'null';
}

export class IdempotencyStore {
    private readonly entries = new Map<string, Entry>();

    constructor(
        private readonly ttlMs = 24 * 3600 * 1000,
        private readonly maxEntries = 50_000,
        private readonly now: () => number = Date.now,
    ) {}

    /**
     * Claims `key` for this request. Returns the stored response for a replay, or undefined when the caller should
     * run the request and then call complete() or release().
     */
    begin(scope: string, key: string, print: string): StoredResponse | undefined {
        if (!KEY_PATTERN.test(key)) {
            throw new ApiError('INVALID_ARGUMENT', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
        }
        const id = `${scope}\n${key}`;
        const now = this.now();
        const existing = this.entries.get(id);
        if (existing && existing.expiresAt > now) {
            if (existing.fingerprint !== print) {
                throw new ApiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
            }
            if (existing.state === 'pending') {
                throw new ApiError('CONFLICT', 'a request with this Idempotency-Key is still in progress', { retryAfterSeconds: 1 });
            }
            return existing.response;
        }
        this.evict(now);
        this.entries.set(id, { state: 'pending', fingerprint: print, expiresAt: now + this.ttlMs });
        return undefined;
    }

    complete(scope: string, key: string, print: string, response: StoredResponse): void {
        this.entries.set(`${scope}\n${key}`, { state: 'done', fingerprint: print, expiresAt: this.now() + this.ttlMs, response });
    }

    /** Forgets a claim whose request certainly wrote nothing, so the client may retry with the same key. */
    release(scope: string, key: string): void {
        this.entries.delete(`${scope}\n${key}`);
    }

    private evict(now: number): void {
        for (const [id, entry] of this.entries) {
            // Map order is insertion order, so the oldest go first once the store is full.
            if (entry.expiresAt <= now || this.entries.size >= this.maxEntries) {
                this.entries.delete(id);
            } else {
                break;
            }
        }
    }
}
