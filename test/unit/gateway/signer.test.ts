import { hash } from '@hyperledger/fabric-gateway';
import * as assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { newSigner } from '../../../gateway/src/fabric/signer';

const HALF_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551') / 2n;

/** S of a DER ECDSA signature. */
function sOf(der: Uint8Array): bigint {
    const bytes = Buffer.from(der);
    const rLength = bytes[3]!;
    const sLength = bytes[5 + rLength]!;
    return BigInt(`0x${bytes.subarray(6 + rLength, 6 + rLength + sLength).toString('hex')}`);
}

describe('gateway signer', () => {
    it('P-256 signatures are DER, verify against the public key, and always have a low S (as Fabric requires)', async () => {
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const { signer, hash: digest } = newSigner(pem);
        assert.equal(digest, hash.none, 'OpenSSL hashes the message itself');
        for (let i = 0; i < 1000; i++) {
            const message = Buffer.from(`proposal ${i}`);
            const signature = await signer(message);
            assert.equal(Buffer.from(signature)[0], 0x30);
            assert.ok(verify('sha256', message, { key: createPublicKey(privateKey), dsaEncoding: 'der' }, signature), `signature ${i} verifies`);
            assert.ok(sOf(signature) <= HALF_N, `signature ${i} has a low S`);
        }
    });

    it('other curves use fabric-gateway\'s own signer over a SHA-256 digest', async () => {
        const pem = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const { signer, hash: digest } = newSigner(pem);
        assert.equal(digest, hash.sha256);
        assert.ok((await signer(new Uint8Array(32))).length > 0);
    });
});
