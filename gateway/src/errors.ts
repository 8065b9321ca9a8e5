/**
 * The gateway's error model and its ONE mapping to HTTP: every error a request can meet becomes an
 * `application/problem+json` body (RFC 9457) with a stable code, here and nowhere else. Details shown to callers are
 * written by us or by the chaincode; stack traces, peer addresses and library messages never leave the process.
 */

/** Stable codes, shared with the chaincode's own (CHAINCODE_ERROR_CODES) and the problem bodies. */
export type ErrorCode =
    | 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'FORBIDDEN' | 'CONFLICT' | 'FAILED_PRECONDITION'
    | 'UNAUTHENTICATED' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'IDEMPOTENCY_KEY_REUSED' | 'HEADERS_TOO_LARGE'
    | 'IDEMPOTENCY_IN_FLIGHT' | 'PASSWORD_CHANGE_REQUIRED' | 'RATE_LIMITED' | 'STREAM_LIMIT' | 'SATURATED' | 'PEER_BUSY'
    | 'UNAVAILABLE' | 'COMMIT_STATUS_UNKNOWN' | 'TRANSACTION_INVALID' | 'INTERNAL';

/** The chaincode's codes (chaincode/src/errors.ts; a drift test keeps the lists equal). UNAVAILABLE is retryable. */
export const CHAINCODE_ERROR_CODES = ['INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'FORBIDDEN', 'CONFLICT', 'FAILED_PRECONDITION', 'UNAVAILABLE'] as const;

/**
 * The chaincode's UNAVAILABLE: the peer lacks private data the ledger says exists (it missed the dissemination and
 * reconciliation has not fetched it yet; see the peer's pvtData.reconcileSleepInterval). Retry after that long.
 */
const PRIVATE_DATA_RETRY_SECONDS = 10;

const STATUS: Readonly<Record<ErrorCode, number>> = {
    INVALID_ARGUMENT: 400,
    UNAUTHENTICATED: 401,
    FORBIDDEN: 403,
    PASSWORD_CHANGE_REQUIRED: 403,
    NOT_FOUND: 404,
    ALREADY_EXISTS: 409,
    CONFLICT: 409,
    IDEMPOTENCY_IN_FLIGHT: 409,
    PAYLOAD_TOO_LARGE: 413,
    UNSUPPORTED_MEDIA_TYPE: 415,
    FAILED_PRECONDITION: 422,
    IDEMPOTENCY_KEY_REUSED: 422,
    RATE_LIMITED: 429,
    HEADERS_TOO_LARGE: 431,
    STREAM_LIMIT: 429,
    SATURATED: 429,
    INTERNAL: 500,
    TRANSACTION_INVALID: 500,
    UNAVAILABLE: 503,
    PEER_BUSY: 503,
    COMMIT_STATUS_UNKNOWN: 504,
};

const TITLES: Readonly<Record<ErrorCode, string>> = {
    INVALID_ARGUMENT: 'Invalid argument',
    UNAUTHENTICATED: 'Authentication required',
    FORBIDDEN: 'Forbidden',
    PASSWORD_CHANGE_REQUIRED: 'Password change required',
    NOT_FOUND: 'Not found',
    ALREADY_EXISTS: 'Already exists',
    CONFLICT: 'Conflict',
    IDEMPOTENCY_IN_FLIGHT: 'A request with this Idempotency-Key is in progress',
    PAYLOAD_TOO_LARGE: 'Payload too large',
    UNSUPPORTED_MEDIA_TYPE: 'Unsupported media type',
    FAILED_PRECONDITION: 'Failed precondition',
    IDEMPOTENCY_KEY_REUSED: 'Idempotency key reused with a different request',
    RATE_LIMITED: 'Too many requests',
    HEADERS_TOO_LARGE: 'Request line or headers too large',
    STREAM_LIMIT: 'Too many event streams',
    SATURATED: 'Gateway saturated',
    INTERNAL: 'Internal error',
    TRANSACTION_INVALID: 'Transaction invalidated at commit',
    UNAVAILABLE: 'Service unavailable',
    PEER_BUSY: 'Peer at its concurrency limit',
    COMMIT_STATUS_UNKNOWN: 'Commit status unknown',
};

export interface ApiErrorOptions {
    readonly transactionId?: string;
    readonly retryAfterSeconds?: number;
    /** The same request may succeed when sent again; by default every 5xx and 429 is, and nothing else. */
    readonly retryable?: boolean;
    readonly cause?: unknown;
}

/** Any error the gateway raises on purpose: a code, a detail safe to show, and what else the caller needs. */
export class ApiError extends Error {
    readonly transactionId: string | undefined;
    readonly retryAfterSeconds: number | undefined;
    /** Not a final answer: an Idempotency-Key does not keep it, so the retry runs (see http/pipeline.ts). */
    readonly retryable: boolean;

    constructor(readonly code: ErrorCode, readonly detail: string, options: ApiErrorOptions = {}) {
        super(`${code}: ${detail}`, { cause: options.cause });
        this.name = 'ApiError';
        this.transactionId = options.transactionId;
        this.retryAfterSeconds = options.retryAfterSeconds;
        this.retryable = options.retryable ?? (STATUS[code] >= 500 || STATUS[code] === 429);
    }

    get status(): number {
        return STATUS[this.code];
    }
}

/** The HTTP status of a code: what /openapi.json lists with each operation's problem codes. */
export function statusOf(code: ErrorCode): number {
    return STATUS[code];
}

/** Every code, with its status and title, in a stable order (for the published contract). */
export function errorCodes(): readonly { code: ErrorCode; status: number; title: string }[] {
    return (Object.keys(STATUS) as ErrorCode[]).map((code) => ({ code, status: STATUS[code], title: TITLES[code] }));
}

/** Too many calls already wait for the peer: shed load here rather than let the peer refuse them. */
export class SaturatedError extends ApiError {
    constructor() {
        super('SATURATED', 'too many requests are waiting for the ledger; retry shortly', { retryAfterSeconds: 1 });
        this.name = 'SaturatedError';
    }
}

/**
 * The peer refused the call at its own concurrency limit (peer.limits.concurrency.gatewayService): something else
 * holds the peer's slots, so the remedy lies outside this gateway; the refused call wrote nothing.
 */
export class PeerBusyError extends ApiError {
    constructor(cause: unknown) {
        super('PEER_BUSY', 'the organisation\'s peer is refusing work at its concurrency limit; nothing was written, retry shortly', { retryAfterSeconds: 2, cause });
        this.name = 'PeerBusyError';
    }
}

/** The peer could not be reached or did not answer in time; nothing was written. */
export class PeerUnavailableError extends ApiError {
    constructor(cause: unknown, transactionId?: string) {
        super('UNAVAILABLE', 'the ledger is not reachable right now; nothing was written', { retryAfterSeconds: 5, cause, transactionId });
        this.name = 'PeerUnavailableError';
    }
}

/**
 * Endorsed, but the ordering service did not take the transaction (too few orderers reachable: a Raft election, or a
 * SmartBFT quorum lost). Under BFT the orderers that were up may still hold it and order it once the quorum is back,
 * so "nothing was written" would be a lie: the caller retries with the same Idempotency-Key, which resubmits the
 * same transaction and so completes it at most once.
 */
export class OrderingUnavailableError extends ApiError {
    constructor(cause: unknown, transactionId?: string) {
        super('UNAVAILABLE', 'the ordering service did not accept the transaction; retry with the same Idempotency-Key to complete it at most once',
            { retryAfterSeconds: 5, cause, transactionId });
        this.name = 'OrderingUnavailableError';
    }
}

/**
 * The record changed under the transaction on every attempt (MVCC read conflicts, retried a bounded number of times).
 * Nothing was written; unlike a chaincode CONFLICT it is not final: the same request may succeed now.
 */
export class ConcurrentUpdateError extends ApiError {
    constructor(attempts: number, transactionId: string) {
        super('CONFLICT', `the record changed concurrently ${attempts} times; retry the request`, { transactionId, retryAfterSeconds: 1, retryable: true });
        this.name = 'ConcurrentUpdateError';
    }
}

/**
 * The endorsing peers computed different results: one of them had not yet committed the block the other read (they
 * converge within a block time). Nothing was submitted, so the retry is safe.
 */
export class EndorsementMismatchError extends ApiError {
    constructor(cause: unknown, transactionId?: string) {
        super('UNAVAILABLE', 'the organisations\' peers answered differently (one had not yet caught up with the ledger); nothing was written, retry shortly',
            { retryAfterSeconds: 1, cause, transactionId });
        this.name = 'EndorsementMismatchError';
    }
}

/** The transaction was sent for ordering but its outcome is not known: the caller must check before retrying. */
export class CommitStatusUnknownError extends ApiError {
    constructor(transactionId: string, cause: unknown) {
        super('COMMIT_STATUS_UNKNOWN', `the outcome of transaction ${transactionId} is not known yet`, { transactionId, cause });
        this.name = 'CommitStatusUnknownError';
    }
}

/** An error the chaincode raised with one of its codes (`NOT_FOUND: shipment SHP-1 does not exist`). */
export class ChaincodeError extends ApiError {
    constructor(code: (typeof CHAINCODE_ERROR_CODES)[number], detail: string, transactionId?: string) {
        super(code, detail, { transactionId, ...(code === 'UNAVAILABLE' ? { retryAfterSeconds: PRIVATE_DATA_RETRY_SECONDS } : {}) });
        this.name = 'ChaincodeError';
    }
}

/** RFC 9457 problem details, plus our stable `code` and the transaction id when there is one. */
export interface Problem {
    type: string;
    title: string;
    status: number;
    detail: string;
    code: ErrorCode;
    transactionId?: string;
    instance?: string;
}

export interface ProblemResponse {
    readonly status: number;
    readonly problem: Problem;
    readonly headers: Readonly<Record<string, string>>;
    /** Not a final answer (see ApiError.retryable): an Idempotency-Key must not keep it. */
    readonly retryable: boolean;
}

/** Errors body-parser raises (malformed or oversize JSON), recognised by their documented `type`. */
const BODY_PARSER_TYPES: Readonly<Record<string, [ErrorCode, string]>> = {
    'entity.parse.failed': ['INVALID_ARGUMENT', 'the request body is not valid JSON'],
    'entity.too.large': ['PAYLOAD_TOO_LARGE', 'the request body is larger than allowed'],
    'encoding.unsupported': ['UNSUPPORTED_MEDIA_TYPE', 'the request body encoding is not supported'],
    'charset.unsupported': ['UNSUPPORTED_MEDIA_TYPE', 'the request body charset is not supported'],
};

export function problemType(code: ErrorCode): string {
    return `urn:tradedocs:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}

/**
 * The one mapping from any thrown value to an HTTP answer. Unknown errors become a bare 500. `requestId` becomes the
 * problem's `instance`, so a caller's report can be matched with the gateway's log line.
 */
export function toProblem(err: unknown, requestId?: string): ProblemResponse {
    const known = asApiError(err);
    const code = known?.code ?? 'INTERNAL';
    const problem: Problem = {
        type: problemType(code),
        title: TITLES[code],
        status: STATUS[code],
        detail: known?.detail ?? 'the request could not be completed',
        code,
    };
    if (known?.transactionId) {
        problem.transactionId = known.transactionId;
    }
    if (requestId) {
        problem.instance = `urn:tradedocs:request:${requestId}`;
    }
    const headers: Record<string, string> = {};
    if (known?.retryAfterSeconds !== undefined) {
        headers['Retry-After'] = String(known.retryAfterSeconds);
    }
    return { status: problem.status, problem, headers, retryable: known?.retryable ?? true };
}

function asApiError(err: unknown): ApiError | undefined {
    if (err instanceof ApiError) {
        return err;
    }
    const type = (err as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && BODY_PARSER_TYPES[type]) {
        const [code, detail] = BODY_PARSER_TYPES[type];
        return new ApiError(code, detail);
    }
    return undefined;
}
