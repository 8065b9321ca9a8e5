/**
 * The trade resources' one way to the ledger: transactions by their `<contract>:<fn>` name, JSON answers parsed,
 * private inputs only in the transient map. The web layer never builds a proposal itself; this module never sees
 * a request.
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from '../errors';
import type { Ledger, SubmitOptions } from '../fabric/ledger';
import type { BodyReply } from '../http/operation';

/** What every trade resource needs: the ledger, each call signed by the person it names. */
export interface TradeDeps {
    readonly ledger: Pick<Ledger, 'evaluate' | 'submit'>;
}

/** A committed write: the chaincode's answer and the transaction that carried it. */
export interface Written<T> {
    readonly record: T;
    readonly transactionId: string;
}

function parse<T>(bytes: Uint8Array, fn: string): T {
    // A view, not a copy: a document's content answer is megabytes.
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    try {
        return JSON.parse(text) as T;
    } catch (err) {
        // Every trade transaction answers canonical JSON; anything else is a chaincode/gateway mismatch, not user error.
        throw new ApiError('INTERNAL', `${fn} answered something other than JSON`, { cause: err });
    }
}

/** Runs a read-only transaction as `user` and parses its JSON answer. */
export async function query<T>(deps: TradeDeps, user: string, fn: string, args: readonly string[] = []): Promise<T> {
    return parse<T>(await deps.ledger.evaluate(user, fn, args), fn);
}

/**
 * Every transaction carries a fresh 256-bit `salt` in its transient data: the chaincode stores it inside each private
 * value it writes, so that neither the value's hash in the block nor a public hash over it can be matched by trying
 * candidates (an amount, a tenor). The chaincode cannot draw it itself: every endorser must compute the same writes.
 */
function salted(options: SubmitOptions): SubmitOptions {
    return { ...options, transientData: { ...options.transientData, salt: randomBytes(32).toString('hex') } };
}

/** Submits a transaction as `user`, waits for its commit and parses the JSON answer. */
export async function submit<T>(deps: TradeDeps, user: string, fn: string, options: SubmitOptions = {}): Promise<Written<T>> {
    const result = await deps.ledger.submit(user, fn, salted(options));
    return { record: parse<T>(result.result, fn), transactionId: result.transactionId };
}

/** Submits a transaction that answers nothing (a private-only write: its answer would be in the block). */
export async function submitQuietly(deps: TradeDeps, user: string, fn: string, options: SubmitOptions = {}): Promise<{ transactionId: string }> {
    const result = await deps.ledger.submit(user, fn, salted(options));
    if (result.result.length > 0) {
        throw new ApiError('INTERNAL', `${fn} answered something; a private-only write must answer nothing`);
    }
    return { transactionId: result.transactionId };
}

/** Transient values as the chaincode reads them: JSON text. */
export function transient(values: Readonly<Record<string, unknown>>): Record<string, string> {
    return Object.fromEntries(Object.entries(values).map(([name, value]) => [name, JSON.stringify(value)]));
}

/**
 * A part the caller's organisation may not see, read as "not visible" (undefined) rather than as a failure: used
 * where a response gathers optional parts, so one private part does not refuse the whole answer.
 */
export async function unlessForbidden<T>(read: Promise<T>): Promise<T | undefined> {
    try {
        return await read;
    } catch (err) {
        if (err instanceof ApiError && err.code === 'FORBIDDEN') {
            return undefined;
        }
        throw err;
    }
}

/** 200 with the record. */
export function ok(body: unknown): BodyReply {
    return { status: 200, body };
}

/** The answer to a write: the record, its transaction id in a header (and, for a new record, where it lives). */
export function written(result: Written<unknown>, status: 200 | 201 = 200, location?: string): BodyReply {
    return {
        status,
        body: result.record,
        headers: { 'X-Transaction-Id': result.transactionId, ...(location ? { Location: location } : {}) },
    };
}

/** Deps of operations that answer anonymous callers (certificate and document verification). */
export interface PublicDeps extends TradeDeps {
    /**
     * The account whose identity signs public verification queries. A chaincode query must be signed by a channel
     * member; an anonymous caller has no identity, so the gateway lends one of its own organisation's people, and
     * the answer is only what the verification transaction returns (nothing private).
     */
    readonly publicVerifier: string;
}

/** An evaluate for an anonymous caller, signed by the verifier identity. */
export async function publicQuery<T>(deps: PublicDeps, fn: string, args: readonly string[]): Promise<T> {
    try {
        return await query<T>(deps, deps.publicVerifier, fn, args);
    } catch (err) {
        // The verifier's account was revoked: the anonymous caller did nothing wrong, the gateway cannot serve.
        if (err instanceof ApiError && err.code === 'UNAUTHENTICATED') {
            throw new ApiError('UNAVAILABLE', 'public verification is not available on this gateway', { retryAfterSeconds: 300, cause: err });
        }
        throw err;
    }
}
