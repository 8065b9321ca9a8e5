/**
 * Chaincode errors. Only `error.message` crosses from the chaincode to the client, so the code leads the message:
 * `NOT_FOUND: record R-1 does not exist`. The gateway maps the code to an HTTP status.
 */
export type ErrorCode = 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'FORBIDDEN' | 'CONFLICT' | 'FAILED_PRECONDITION'
    /** Retryable: the answer depends on private data this peer has not received yet. */
    | 'UNAVAILABLE';

/** Every code, for the gateway's drift test (its list of chaincode codes must equal this). */
export const ERROR_CODES: readonly ErrorCode[] = ['INVALID_ARGUMENT', 'NOT_FOUND', 'ALREADY_EXISTS', 'FORBIDDEN', 'CONFLICT', 'FAILED_PRECONDITION', 'UNAVAILABLE'];

export class ContractError extends Error {
    constructor(readonly code: ErrorCode, detail: string) {
        super(`${code}: ${detail}`);
        this.name = 'ContractError';
    }
}
