import { type ServiceError, status as GrpcStatus, Metadata } from '@grpc/grpc-js';
import { CommitStatusError, EndorseError, GatewayError } from '@hyperledger/fabric-gateway';
import * as assert from 'node:assert/strict';
import { ApiError, ChaincodeError, CommitStatusUnknownError, EndorsementMismatchError, OrderingUnavailableError, PeerBusyError, PeerUnavailableError, toProblem } from '../../../gateway/src/errors';
import { translateFabricError } from '../../../gateway/src/fabric/translate';

function cause(code: number): ServiceError {
    return Object.assign(new Error('grpc'), { code, details: 'grpc', metadata: new Metadata() });
}

const PEER = { address: 'peer0.bank.tradedocs.local:7230', mspId: 'BankMSP' };

describe('fabric error translation', () => {
    it('translate, for an endorsement refused by the chaincode, keeps its code, text and the transaction id', () => {
        const err = new EndorseError({
            code: GrpcStatus.ABORTED, transactionId: 'tx1', cause: cause(GrpcStatus.ABORTED),
            message: '10 ABORTED: failed to endorse transaction, see attached details for more info',
            details: [{ ...PEER, message: 'chaincode response 500, NOT_FOUND: shipment SHP-1 does not exist' }],
        });
        const translated = translateFabricError(err);
        assert.ok(translated instanceof ChaincodeError);
        assert.equal(translated.code, 'NOT_FOUND');
        assert.equal(translated.detail, 'shipment SHP-1 does not exist');
        assert.equal(translated.transactionId, 'tx1');
    });

    it('translate, for an evaluate refused by the chaincode, finds the code in the error message', () => {
        const err = new GatewayError({
            code: GrpcStatus.UNKNOWN, cause: cause(GrpcStatus.UNKNOWN), details: [],
            message: '2 UNKNOWN: evaluate call to endorser returned error: chaincode response 500, FORBIDDEN: CarrierMSP may not read invoices',
        });
        const translated = translateFabricError(err);
        assert.equal(translated.code, 'FORBIDDEN');
        assert.equal(translated.detail, 'CarrierMSP may not read invoices');
    });

    it('translate, for an unreachable peer on endorse, gives 503 and no peer address in the problem', () => {
        const err = new EndorseError({
            code: GrpcStatus.UNAVAILABLE, transactionId: 'tx2', cause: cause(GrpcStatus.UNAVAILABLE),
            message: '14 UNAVAILABLE: failed to connect', details: [{ ...PEER, message: 'connection refused 127.0.0.1:7230' }],
        });
        const translated = translateFabricError(err);
        assert.ok(translated instanceof PeerUnavailableError);
        const { status, problem, headers } = toProblem(translated);
        assert.equal(status, 503);
        assert.ok(headers['Retry-After']);
        assert.doesNotMatch(JSON.stringify(problem), /7230|peer0|BankMSP/);
    });

    it('translate, for a submit the orderers refused (quorum lost), gives 503 that asks for a retry with the same Idempotency-Key, never "nothing was written"', () => {
        // fabric-gateway exports SubmitError as a type only; the translator matches its name and fields.
        const err = Object.assign(new GatewayError({
            code: GrpcStatus.UNAVAILABLE, cause: cause(GrpcStatus.UNAVAILABLE),
            message: '14 UNAVAILABLE: insufficient number of orderers could successfully process transaction to satisfy quorum requirement',
            details: [{ address: 'orderer1:7110', mspId: 'Orderer1MSP', message: 'connection refused' }],
        }), { name: 'SubmitError', transactionId: 'tx3' });
        const translated = translateFabricError(err);
        assert.ok(translated instanceof OrderingUnavailableError);
        const { status, problem, headers } = toProblem(translated);
        assert.equal(status, 503);
        assert.ok(headers['Retry-After']);
        assert.equal(translated.transactionId, 'tx3');
        assert.match(translated.detail, /same Idempotency-Key/);
        assert.doesNotMatch(JSON.stringify(problem), /nothing was written|7110|orderer1|Orderer1MSP/);
    });

    it('translate, for a deadline on evaluate, gives 503', () => {
        const err = new GatewayError({ code: GrpcStatus.DEADLINE_EXCEEDED, cause: cause(GrpcStatus.DEADLINE_EXCEEDED), details: [], message: '4 DEADLINE_EXCEEDED' });
        assert.equal(translateFabricError(err).status, 503);
    });

    it('translate, for a failed commit status wait, gives 504 with the transaction id', () => {
        const err = new CommitStatusError({ code: GrpcStatus.DEADLINE_EXCEEDED, transactionId: 'tx3', cause: cause(GrpcStatus.DEADLINE_EXCEEDED), details: [], message: 'deadline' });
        const translated = translateFabricError(err);
        assert.ok(translated instanceof CommitStatusUnknownError);
        assert.equal(translated.status, 504);
        assert.equal(translated.transactionId, 'tx3');
    });

    it('translate, for the peer refusing more work, gives PEER_BUSY 503, not our own SATURATED', () => {
        const err = new GatewayError({ code: GrpcStatus.RESOURCE_EXHAUSTED, cause: cause(GrpcStatus.RESOURCE_EXHAUSTED), details: [], message: '8 RESOURCE_EXHAUSTED' });
        assert.ok(translateFabricError(err) instanceof PeerBusyError);
    });

    it('translate, for the peer gateway\'s concurrency limit (UNKNOWN "too many requests", as Fabric 3.1 says it), gives PEER_BUSY 503 with Retry-After', () => {
        const message = '2 UNKNOWN: too many requests for /gateway.Gateway, exceeding concurrency limit (500)';
        const err = new GatewayError({ code: GrpcStatus.UNKNOWN, cause: cause(GrpcStatus.UNKNOWN), details: [], message });
        const { status, problem, headers } = toProblem(translateFabricError(err));
        assert.deepEqual([status, problem.code, headers['Retry-After']], [503, 'PEER_BUSY', '2']);
    });

    it('translate, for the peer refusing the signer\'s certificate (revoked, expired, wrong MSP), gives FORBIDDEN, not a chaincode FAILED_PRECONDITION', () => {
        // As a Fabric 3.1 peer answers a revoked certificate (recorded on the test network).
        const err = new GatewayError({
            code: GrpcStatus.FAILED_PRECONDITION, cause: cause(GrpcStatus.FAILED_PRECONDITION),
            message: '9 FAILED_PRECONDITION: evaluate call to endorser returned error: error validating proposal: access denied: channel [trade] creator org [CustomsMSP]',
            details: [{ ...PEER, message: 'error validating proposal: access denied: channel [trade] creator org [CustomsMSP]' }],
        });
        const translated = translateFabricError(err);
        assert.equal(translated.code, 'FORBIDDEN');
        assert.doesNotMatch(translated.detail, /CustomsMSP|7230/);
    });

    it('translate does not take the gRPC status in fabric-gateway\'s message for a chaincode code', () => {
        const err = new GatewayError({ code: GrpcStatus.FAILED_PRECONDITION, cause: cause(GrpcStatus.FAILED_PRECONDITION), details: [], message: '9 FAILED_PRECONDITION: no combination of peers can be derived which satisfy the endorsement policy' });
        assert.equal(translateFabricError(err).code, 'UNAVAILABLE');
    });

    it('translate, for an endorsement failure without a chaincode code, gives 500 without the peers\' text', () => {
        const err = new EndorseError({
            code: GrpcStatus.ABORTED, transactionId: 'tx4', cause: cause(GrpcStatus.ABORTED), message: '10 ABORTED: failed to endorse',
            details: [{ ...PEER, message: 'chaincode stream terminated at 127.0.0.1:7230' }],
        });
        const { status, problem } = toProblem(translateFabricError(err));
        assert.equal(status, 500);
        assert.equal(problem.transactionId, 'tx4');
        assert.doesNotMatch(JSON.stringify(problem), /stream terminated|7230/);
    });

    it('translate, for an answer over the gRPC receive limit (RESOURCE_EXHAUSTED too), gives 500 naming the limit, never PEER_BUSY or SATURATED', () => {
        const err = new GatewayError({
            code: GrpcStatus.RESOURCE_EXHAUSTED, cause: cause(GrpcStatus.RESOURCE_EXHAUSTED), details: [],
            message: '8 RESOURCE_EXHAUSTED: Received message larger than max (14680366 vs. 4194304)',
        });
        const translated = translateFabricError(err);
        assert.deepEqual([translated.status, translated.code], [500, 'INTERNAL']);
        assert.match(translated.detail, /grpc\.maxReceiveMessageBytes/);
        const sent = translateFabricError(new GatewayError({
            code: GrpcStatus.RESOURCE_EXHAUSTED, cause: cause(GrpcStatus.RESOURCE_EXHAUSTED), details: [],
            message: '8 RESOURCE_EXHAUSTED: Sent message larger than max (30000000 vs. 4194304)',
        }));
        assert.match(sent.detail, /nothing was written/);
        assert.ok(!(sent instanceof PeerBusyError));
    });

    it('translate, for endorsing peers whose results differ (one behind by a block), gives a retryable 503 with Retry-After, not 500', () => {
        const err = new EndorseError({
            code: GrpcStatus.ABORTED, transactionId: 'tx5', cause: cause(GrpcStatus.ABORTED), message: '10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info',
            details: [{ ...PEER, message: 'ProposalResponsePayloads do not match (base64): \'CiB...\' vs \'CiC...\'' }],
        });
        const translated = translateFabricError(err);
        assert.ok(translated instanceof EndorsementMismatchError);
        const { status, problem, headers, retryable } = toProblem(translated);
        assert.deepEqual([status, problem.code, headers['Retry-After'], retryable, problem.transactionId], [503, 'UNAVAILABLE', '1', true, 'tx5']);
        assert.doesNotMatch(JSON.stringify(problem), /7230|CiB/);
    });

    it('translate passes ApiErrors through unchanged', () => {
        const err = new ApiError('CONFLICT', 'x');
        assert.equal(translateFabricError(err), err);
    });
});
