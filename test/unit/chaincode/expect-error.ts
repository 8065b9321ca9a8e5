import assert from 'node:assert/strict';
import { ContractError, ErrorCode } from '../../../chaincode/src/errors';

/** Asserts that `promise` fails with a ContractError of `code` whose message also matches `detail`. */
export async function rejectsWith(promise: Promise<unknown>, code: ErrorCode, detail?: RegExp | string): Promise<void> {
    await assert.rejects(promise, (e: unknown) => {
        assert.ok(e instanceof ContractError, `expected a ContractError, got ${String(e)}`);
        assert.equal(e.code, code, e.message);
        assert.ok(e.message.startsWith(`${code}: `));
        if (detail !== undefined) {
            const text = e.message.slice(code.length + 2);
            assert.ok(typeof detail === 'string' ? text.includes(detail) : detail.test(text), `unexpected message: ${e.message}`);
        }
        return true;
    });
}
