import * as assert from 'node:assert/strict';
import { ApiError, CommitStatusUnknownError, PeerUnavailableError, SaturatedError, toProblem } from '../../../gateway/src/errors';

describe('gateway error mapping', () => {
    it('toProblem, for each chaincode code, gives the documented HTTP status', () => {
        const expected: [ApiError['code'], number][] = [
            ['INVALID_ARGUMENT', 400], ['NOT_FOUND', 404], ['ALREADY_EXISTS', 409], ['FORBIDDEN', 403], ['CONFLICT', 409], ['FAILED_PRECONDITION', 422],
        ];
        for (const [code, status] of expected) {
            assert.equal(toProblem(new ApiError(code, 'x')).status, status, code);
        }
    });

    it('toProblem builds an RFC 9457 body with type, title, status, detail, code and instance', () => {
        const { problem } = toProblem(new ApiError('NOT_FOUND', 'shipment SHP-1 does not exist'), 'req-1');
        assert.deepEqual(problem, {
            type: 'urn:tradedocs:problem:not-found', title: 'Not found', status: 404, detail: 'shipment SHP-1 does not exist',
            code: 'NOT_FOUND', instance: 'urn:tradedocs:request:req-1',
        });
    });

    it('toProblem, for a peer outage, answers 503 with Retry-After', () => {
        const response = toProblem(new PeerUnavailableError(new Error('14 UNAVAILABLE: 127.0.0.1:7200')));
        assert.equal(response.status, 503);
        assert.equal(response.headers['Retry-After'], '5');
        assert.doesNotMatch(JSON.stringify(response.problem), /127\.0\.0\.1/);
    });

    it('toProblem, for an unknown commit status, answers 504 with the transaction id', () => {
        const response = toProblem(new CommitStatusUnknownError('tx42', new Error('deadline')));
        assert.equal(response.status, 504);
        assert.equal(response.problem.transactionId, 'tx42');
    });

    it('toProblem, when saturated, answers 429 with Retry-After', () => {
        const response = toProblem(new SaturatedError());
        assert.equal(response.status, 429);
        assert.equal(response.headers['Retry-After'], '1');
    });

    it('toProblem, for an unexpected error, answers a bare 500 without its message or stack', () => {
        const err = new Error('secret path /root/.run/keys at peer 127.0.0.1:7200');
        const { status, problem } = toProblem(err);
        assert.equal(status, 500);
        assert.equal(problem.code, 'INTERNAL');
        assert.doesNotMatch(JSON.stringify(problem), /secret|127\.0\.0\.1|at /);
    });

    it('toProblem maps body-parser failures: malformed JSON 400, oversize 413', () => {
        assert.equal(toProblem(Object.assign(new Error('Unexpected token'), { type: 'entity.parse.failed' })).status, 400);
        assert.equal(toProblem(Object.assign(new Error('too large'), { type: 'entity.too.large' })).status, 413);
    });
});
