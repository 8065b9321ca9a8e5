/**
 * Chaincode errors. Only `error.message` crosses from the chaincode to the client, so the code leads the message:
 * `NOT_FOUND: record R-1 does not exist`. The gateway maps the code to an HTTP status.
 */
export type ErrorCode = 'INVALID_ARGUMENT' | 'NOT_FOUND' | 'ALREADY_EXISTS' | 'FORBIDDEN' | 'CONFLICT' | 'FAILED_PRECONDITION';

export class ContractError extends Error {
    constructor(readonly code: ErrorCode, detail: string) {
        super(`${code}: ${detail}`);
        this.name = 'ContractError';
    }
}
