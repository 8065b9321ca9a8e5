/**
 * Turns what @hyperledger/fabric-gateway throws into the gateway's typed errors. Chaincode errors keep their code and
 * text (the chaincode wrote them for callers); everything else is reduced to a fixed message, because peer error
 * details name peer addresses and internal state that callers must not see.
 */
import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ErrorDetail } from '@hyperledger/fabric-gateway';
import {
    ApiError, CHAINCODE_ERROR_CODES, ChaincodeError, CommitStatusUnknownError, OrderingUnavailableError, PeerUnavailableError, SaturatedError,
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
    const candidates = [...(err.details ?? []).map((d) => d.message), err.message];
    for (const text of candidates) {
        const match = CHAINCODE_MESSAGE.exec(text);
        if (match) {
            return { code: match[1] as ChaincodeCode, detail: match[2]!.trim() };
        }
    }
    return undefined;
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
    const coded = chaincodeMessage(fabric);
    if (coded) {
        return new ChaincodeError(coded.code, coded.detail, transactionId);
    }
    const grpcCode = typeof fabric.code === 'number' ? fabric.code : undefined;
    if (fabric.name === 'SubmitError' && grpcCode === GrpcStatus.DEADLINE_EXCEEDED) {
        // The orderer may have taken the transaction before the deadline: its fate is unknown, not failed.
        return new CommitStatusUnknownError(transactionId ?? 'unknown', err);
    }
    // The peer's gateway service at its concurrency limit (peer.limits.concurrency.gatewayService) answers UNKNOWN
    // with this text; an endorse or submit it refused wrote nothing (a refused commit-status call is handled above).
    if (grpcCode === GrpcStatus.RESOURCE_EXHAUSTED || /exceeding concurrency limit/.test(fabric.message)) {
        return new SaturatedError();
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
