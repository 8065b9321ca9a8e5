/**
 * Turns what @hyperledger/fabric-gateway throws into the gateway's typed errors. Chaincode errors keep their code and
 * text (the chaincode wrote them for callers); everything else is reduced to a fixed message, because peer error
 * details name peer addresses and internal state that callers must not see.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ErrorDetail } from '@hyperledger/fabric-gateway';
import {
    ApiError, CHAINCODE_ERROR_CODES, ChaincodeError, CommitStatusUnknownError, EndorsementMismatchError, OrderingUnavailableError, PeerBusyError,
    PeerUnavailableError,
} from '../errors';

type ChaincodeCode = (typeof CHAINCODE_ERROR_CODES)[number];

// The chaincode's message is the tail of the peer's text, e.g. "chaincode response 500, NOT_FOUND: record R-1 ...".
const CHAINCODE_MESSAGE = new RegExp(`(?:^|[\\s,:])(${CHAINCODE_ERROR_CODES.join('|')}): (.+)$`, 's');

/** The shape fabric-gateway's GatewayError family shares; matched structurally so fakes and real errors both work. */
interface FabricLikeError {
    name: string;
    message: string;
    code?: unknown;
    details?: readonly ErrorDetail[];
    transactionId?: string;
}

/** The first chaincode-coded message found in the peers' details or, failing that, in the error's own message. */
export function chaincodeMessage(err: Pick<FabricLikeError, 'message' | 'details'>): { code: ChaincodeCode; detail: string } | undefined {
    // fabric-gateway prefixes its message with the gRPC status ("9 FAILED_PRECONDITION: ..."), which must not be taken
    // for a chaincode's code: the peer's own FAILED_PRECONDITION means something else entirely.
    const candidates = [...(err.details ?? []).map((d) => d.message), err.message.replace(/^\d+ [A-Z_]+: /, '')];
    for (const text of candidates) {
        const match = CHAINCODE_MESSAGE.exec(text);
        if (match) {
            return { code: match[1] as ChaincodeCode, detail: match[2]!.trim() };
        }
    }
    return undefined;
}

/** The peer's gateway service refused the call at its concurrency limit (see internal/peer/node/grpc_limiters.go). */
export function isPeerConcurrencyRefusal(err: Pick<FabricLikeError, 'message' | 'code'>): boolean {
    return /exceeding concurrency limit/.test(err.message) || (err.code === GrpcStatus.RESOURCE_EXHAUSTED && messageTooLarge(err) === undefined);
}

/**
 * A gRPC message over a size limit, which gRPC also reports as RESOURCE_EXHAUSTED (so it must not pass for a busy
 * peer): `received` when the answer is larger than this gateway accepts, `sent` when the request is larger than it (or
 * the peer) accepts. Either way the configured limits do not fit the largest document (see config.ts checkBudgets).
 */
export function messageTooLarge(err: Pick<FabricLikeError, 'message'> & { details?: readonly { message: string }[] }): 'received' | 'sent' | undefined {
    const text = [err.message, ...(err.details ?? []).map((d) => d.message)].join('\n');
    const match = /\b(received|sent) message larger than max/i.exec(text);
    return match ? (match[1]!.toLowerCase() as 'received' | 'sent') : undefined;
}

/** The endorsing peers' results differ (one had not committed the latest block yet): nothing was submitted. */
function isEndorsementMismatch(err: Pick<FabricLikeError, 'message' | 'details'>): boolean {
    return [err.message, ...(err.details ?? []).map((d) => d.message)].some((text) => /ProposalResponsePayloads do not match|responses? (?:do not|don't) match/i.test(text));
}

/**
 * Only other organisations' endorsing peers answered NOT_FOUND: the record exists on this organisation's peer (which
 * endorses first and would have failed alone), so those peers have not committed its block yet. Blocks reach each
 * organisation's peer from the orderers on their own, a moment apart.
 */
export function isLaggingEndorser(err: Pick<FabricLikeError, 'name' | 'details'>, ownMspId: string): boolean {
    const details = err.details ?? [];
    return err.name === 'EndorseError' && details.length > 0
        && details.every((d) => d.mspId !== ownMspId && CHAINCODE_MESSAGE.exec(d.message)?.[1] === 'NOT_FOUND');
}

/**
 * The peer rejected the signer's certificate itself (MSP validation: revoked, expired, unknown issuer or the wrong
 * MSP id). The peer's gateway reports it as FAILED_PRECONDITION "access denied: channel [..] creator org [..]".
 */
export function isCreatorRefusal(err: Pick<FabricLikeError, 'message' | 'details'>): boolean {
    return [err.message, ...(err.details ?? []).map((d) => d.message)].some((text) => /access denied: channel \[[^\]]*\] creator/.test(text));
}

/** Maps an error from evaluate, endorse, submit or commit-status to an ApiError; ApiErrors pass through. */
export function translateFabricError(err: unknown): ApiError {
    if (err instanceof ApiError) {
        return err;
    }
    if (!(err instanceof Error)) {
        return new ApiError('INTERNAL', 'the ledger call failed', { cause: err });
    }
    const fabric = err as FabricLikeError;
    const transactionId = typeof fabric.transactionId === 'string' ? fabric.transactionId : undefined;
    if (fabric.name === 'CommitStatusError') {
        return new CommitStatusUnknownError(transactionId ?? 'unknown', err);
    }
    if (isCreatorRefusal(fabric)) {
        return new ApiError('FORBIDDEN', 'the organisation\'s peer refuses this person\'s certificate (revoked or expired); the administrator can renew it', { transactionId, cause: err });
    }
    const coded = chaincodeMessage(fabric);
    if (coded) {
        return new ChaincodeError(coded.code, coded.detail, transactionId);
    }
    const grpcCode = typeof fabric.code === 'number' ? fabric.code : undefined;
    const oversize = messageTooLarge(fabric);
    if (oversize) {
        // A limit this organisation configured: neither the caller's fault nor load, so not a 4xx or a "busy" 503.
        return new ApiError('INTERNAL', oversize === 'received'
            ? 'the ledger\'s answer is larger than this gateway\'s gRPC receive limit (grpc.maxReceiveMessageBytes in its connection profile)'
            : 'the request is larger than the gRPC message limit between this gateway and its peer; nothing was written', { transactionId, cause: err });
    }
    if (isEndorsementMismatch(fabric)) {
        return new EndorsementMismatchError(err, transactionId);
    }
    if (fabric.name === 'SubmitError' && grpcCode === GrpcStatus.DEADLINE_EXCEEDED) {
        // The orderer may have taken the transaction before the deadline: its fate is unknown, not failed.
        return new CommitStatusUnknownError(transactionId ?? 'unknown', err);
    }
    // The peer's gateway service at its concurrency limit (peer.limits.concurrency.gatewayService) answers UNKNOWN
    // with this text; an endorse or submit it refused wrote nothing (a refused commit-status call is handled above).
    // Its own code, not SATURATED: our limiter did not refuse, someone else holds the peer's slots.
    if (isPeerConcurrencyRefusal(fabric)) {
        return new PeerBusyError(err);
    }
    if (fabric.name === 'SubmitError') {
        return new OrderingUnavailableError(err, transactionId);
    }
    // FAILED_PRECONDITION is how the peer's gateway says no set of reachable peers satisfies the endorsement policy.
    if (grpcCode === GrpcStatus.UNAVAILABLE || grpcCode === GrpcStatus.DEADLINE_EXCEEDED || grpcCode === GrpcStatus.FAILED_PRECONDITION
        || grpcCode === GrpcStatus.CANCELLED) {
        return new PeerUnavailableError(err, transactionId);
    }
    return new ApiError('INTERNAL', 'the ledger refused the request', { transactionId, cause: err });
}
