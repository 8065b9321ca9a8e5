/**
 * `Idempotency-Key` for POST: the first response to (caller, key) is kept; the same request again gets that response
 * back without running twice, a different request with the same key is refused. Kept for 24 hours, and on disk when
 * given a directory: each key's entry (its fingerprint, the transactions the request submitted — see
 * fabric/journal.ts — and its response) is one file, sealed with the gateway's key-encryption key because responses
 * carry the organisation's private values. A request whose gateway died between submit and commit is therefore
 * finished by its retry, with the original transaction, instead of being run a second time.
 *
 * Only final answers are kept (the pipeline releases the key on a retryable one). An entry in progress, or one whose
 * journaled transactions have no answer yet (their outcome is unknown), is never dropped, neither to make room nor on
 * expiry: without it the retry would endorse anew and could write twice. A store full of such entries refuses new keys.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiError } from '../errors';
import type { JournaledTransaction, TransactionJournal } from '../fabric/journal';
import type { KeyBox, Sealed } from '../people/key-box';

/** What is replayed: status, the headers that describe the result, and the body as sent. */
export interface StoredResponse {
    readonly status: number;
    readonly headers: Readonly<Record<string, string>>;
    /** Text as sent, or the bytes of a binary answer (a document download). */
    readonly body: string | Buffer;
}

/** What begin() decides: answer with the stored response, or run the request (recording into `journal`). */
export type Claim =
    | { readonly kind: 'replay'; readonly response: StoredResponse }
    | { readonly kind: 'run'; readonly journal: TransactionJournal };

interface Entry {
    readonly scope: string;
    readonly key: string;
    readonly fingerprint: string;
    expiresAt: number;
    /** Being served by this process now; entries read from disk never are. */
    live: boolean;
    /** By position in the request; null where a transaction is known not to be on the ledger (invalidated). */
    transactions: (JournaledTransaction | null)[];
    response?: StoredResponse;
}

/** Entries that must stay: in progress, or holding transactions whose outcome nobody has seen. */
function pinned(entry: Entry): boolean {
    return entry.live || (entry.response === undefined && entry.transactions.some((t) => t !== null));
}

/** An entry as written to disk (sealed): the response body as text or base64 bytes. */
interface EntryFile {
    scope: string;
    key: string;
    fingerprint: string;
    expiresAt: number;
    transactions: (JournaledTransaction | null)[];
    response?: { status: number; headers: Record<string, string>; text?: string; base64?: string };
}

export interface IdempotencyOptions {
    /** Where entries survive a restart; in memory only without it. */
    readonly dir?: string;
    /** Seals entries on disk; required with `dir`. */
    readonly box?: KeyBox;
    readonly ttlMs?: number;
    readonly maxEntries?: number;
    readonly now?: () => number;
    /** A failed background write (the answer was already sent; the transaction journal is written before submit). */
    readonly onWriteError?: (err: unknown) => void;
}

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
    private readonly writes = new Map<string, Promise<void>>();
    private readonly ttlMs: number;
    private readonly maxEntries: number;
    private readonly now: () => number;

    constructor(private readonly options: IdempotencyOptions = {}) {
        this.ttlMs = options.ttlMs ?? 24 * 3600 * 1000;
        this.maxEntries = options.maxEntries ?? 50_000;
        this.now = options.now ?? Date.now;
        if (options.dir !== undefined) {
            if (!options.box) {
                throw new Error('an idempotency store on disk needs the key box that seals its entries');
            }
            fs.mkdirSync(options.dir, { recursive: true, mode: 0o700 });
            this.load(options.dir, options.box);
        }
    }

    /**
     * Claims `key` for this request: a replay of the stored response, or permission to run it. A request whose
     * previous attempt stopped half-way (gateway restart, unknown commit status) runs again with that attempt's
     * journal, so its transactions are resubmitted rather than endorsed anew.
     */
    begin(scope: string, key: string, print: string): Claim {
        if (!KEY_PATTERN.test(key)) {
            throw new ApiError('INVALID_ARGUMENT', 'Idempotency-Key must be 1 to 255 visible ASCII characters');
        }
        const id = entryId(scope, key);
        const now = this.now();
        let entry = this.entries.get(id);
        if (entry && (entry.expiresAt > now || pinned(entry))) {
            if (entry.fingerprint !== print) {
                throw new ApiError('IDEMPOTENCY_KEY_REUSED', 'this Idempotency-Key was used for a different request');
            }
            if (entry.response) {
                return { kind: 'replay', response: entry.response };
            }
            if (entry.live) {
                // Not CONFLICT, which means "changed concurrently": nothing is wrong, the answer is just not ready.
                throw new ApiError('IDEMPOTENCY_IN_FLIGHT', 'a request with this Idempotency-Key is still in progress; retry after the Retry-After seconds to get its answer', { retryAfterSeconds: 1 });
            }
            entry.live = true;
        } else {
            this.evict(now);
            entry = { scope, key, fingerprint: print, expiresAt: now + this.ttlMs, live: true, transactions: [] };
            this.entries.set(id, entry);
        }
        return { kind: 'run', journal: this.journal(id, entry) };
    }

    complete(scope: string, key: string, response: StoredResponse): void {
        const id = entryId(scope, key);
        const entry = this.entries.get(id);
        if (!entry) {
            return;
        }
        entry.live = false;
        entry.response = response;
        entry.expiresAt = this.now() + this.ttlMs;
        this.persist(id, entry, false).catch((err: unknown) => this.options.onWriteError?.(err));
    }

    /**
     * The request ended without a result to keep (refused before the ledger, or its outcome is unknown). A key whose
     * request submitted nothing is forgotten; one with submitted transactions stays, so the retry finishes them.
     */
    release(scope: string, key: string): void {
        const id = entryId(scope, key);
        const entry = this.entries.get(id);
        if (!entry) {
            return;
        }
        entry.live = false;
        if (!pinned(entry)) {
            this.forget(id);
        }
    }

    /** Resolves once every write started so far is on disk (for orderly shutdown and tests). */
    async flush(): Promise<void> {
        await Promise.all([...this.writes.values()]);
    }

    private journal(id: string, entry: Entry): TransactionJournal {
        const recovered = [...entry.transactions];
        return {
            recovered: (index, fn) => {
                const previous = recovered[index];
                return previous?.fn === fn ? previous : undefined;
            },
            record: async (index, transaction) => {
                entry.transactions[index] = transaction;
                await this.persist(id, entry, true);
            },
            discard: async (index) => {
                if (entry.transactions[index]) {
                    entry.transactions[index] = null;
                    await this.persist(id, entry, true);
                }
            },
        };
    }

    private forget(id: string): void {
        this.entries.delete(id);
        const dir = this.options.dir;
        if (dir !== undefined) {
            this.chain(id, () => fs.promises.rm(path.join(dir, `${id}.json`), { force: true }))
                .catch((err: unknown) => this.options.onWriteError?.(err));
        }
    }

    /** Atomic replace (temporary file, rename); `sync` waits for the disk, as the journal must before a submit. */
    private persist(id: string, entry: Entry, sync: boolean): Promise<void> {
        const { dir, box } = this.options;
        if (dir === undefined || !box) {
            return Promise.resolve();
        }
        const sealed = JSON.stringify(box.seal(JSON.stringify(toFile(entry)), id));
        return this.chain(id, async () => {
            const file = path.join(dir, `${id}.json`);
            const temporary = `${file}.tmp`;
            const handle = await fs.promises.open(temporary, 'w', 0o600);
            try {
                await handle.writeFile(sealed);
                if (sync) {
                    await handle.sync();
                }
            } finally {
                await handle.close();
            }
            await fs.promises.rename(temporary, file);
        });
    }

    /** Writes to one entry's file happen in the order they were asked for. */
    private chain(id: string, write: () => Promise<unknown>): Promise<void> {
        const previous = this.writes.get(id) ?? Promise.resolve();
        const next = previous.catch(() => undefined).then(write).then(() => undefined);
        this.writes.set(id, next);
        const cleanup = (): void => {
            if (this.writes.get(id) === next) {
                this.writes.delete(id);
            }
        };
        next.then(cleanup, cleanup);
        return next;
    }

    private load(dir: string, box: KeyBox): void {
        const now = this.now();
        const loaded: [string, Entry][] = [];
        for (const name of fs.readdirSync(dir)) {
            const file = path.join(dir, name);
            const id = name.endsWith('.json') ? name.slice(0, -'.json'.length) : undefined;
            const entry = id === undefined ? undefined : readEntry(file, id, box);
            if (id === undefined || !entry || (entry.expiresAt <= now && !pinned(entry))) {
                // Leftover temporary files, expired entries and entries that do not open under our key.
                fs.rmSync(file, { force: true });
                continue;
            }
            loaded.push([id, entry]);
        }
        loaded.sort(([, a], [, b]) => a.expiresAt - b.expiresAt).forEach(([id, entry]) => this.entries.set(id, entry));
    }

    /** Drops expired entries and, in a full store, the oldest ones (insertion order), never a pinned one. */
    private evict(now: number): void {
        for (const [id, entry] of this.entries) {
            const full = this.entries.size >= this.maxEntries;
            if (!full && entry.expiresAt > now) {
                break;
            }
            if (!pinned(entry) && (full || entry.expiresAt <= now)) {
                this.forget(id);
            }
        }
        if (this.entries.size >= this.maxEntries) {
            throw new ApiError('SATURATED', 'too many requests with an Idempotency-Key are in progress or unfinished; retry shortly', { retryAfterSeconds: 5 });
        }
    }
}

/** The file name of a key: a hash, so keys (caller-chosen text) never become paths. */
function entryId(scope: string, key: string): string {
    return createHash('sha256').update(`${scope}\n${key}`).digest('hex');
}

function toFile(entry: Entry): EntryFile {
    const { response } = entry;
    return {
        scope: entry.scope,
        key: entry.key,
        fingerprint: entry.fingerprint,
        expiresAt: entry.expiresAt,
        transactions: entry.transactions,
        ...(response && {
            response: {
                status: response.status,
                headers: { ...response.headers },
                ...(Buffer.isBuffer(response.body) ? { base64: response.body.toString('base64') } : { text: response.body }),
            },
        }),
    };
}

function readEntry(file: string, id: string, box: KeyBox): Entry | undefined {
    try {
        const stored = JSON.parse(box.open(JSON.parse(fs.readFileSync(file, 'utf8')) as Sealed, id)) as EntryFile;
        if (entryId(stored.scope, stored.key) !== id) {
            return undefined;
        }
        const { response } = stored;
        return {
            scope: stored.scope,
            key: stored.key,
            fingerprint: stored.fingerprint,
            expiresAt: stored.expiresAt,
            live: false,
            transactions: stored.transactions,
            ...(response && {
                response: {
                    status: response.status,
                    headers: response.headers,
                    body: response.base64 !== undefined ? Buffer.from(response.base64, 'base64') : (response.text ?? ''),
                },
            }),
        };
    } catch {
        return undefined;
    }
}
