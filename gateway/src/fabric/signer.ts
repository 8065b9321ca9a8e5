/**
 * Signs proposals and transactions with Node's OpenSSL ECDSA instead of fabric-gateway's pure-JavaScript one: the
 * gateway signs every call of every person, and profiling showed the JavaScript signer at 28 % of the gateway's CPU.
 * Fabric accepts only low-S signatures, so S is normalised as fabric-gateway's own signer does.
 */
import { type Hash, type Signer, hash, signers } from '@hyperledger/fabric-gateway';
import { type KeyObject, createPrivateKey, sign } from 'node:crypto';

// Order of the P-256 group.
const P256_N = BigInt('0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551');

/** The signer for a PEM private key and the hash fabric-gateway must apply before calling it. */
export function newSigner(privateKeyPem: string): { signer: Signer; hash: Hash } {
    const key = createPrivateKey(privateKeyPem);
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
        // Other key types are rare on Fabric CAs: fabric-gateway's own signer handles them.
        return { signer: signers.newPrivateKeySigner(key), hash: hash.sha256 };
    }
    // OpenSSL hashes the message itself, so fabric-gateway passes it whole.
    return { signer: (message) => Promise.resolve(signP256(key, message)), hash: hash.none };
}

export function signP256(key: KeyObject, message: Uint8Array): Uint8Array {
    const raw = sign('sha256', message, { key, dsaEncoding: 'ieee-p1363' });
    const r = BigInt(`0x${raw.subarray(0, 32).toString('hex')}`);
    let s = BigInt(`0x${raw.subarray(32).toString('hex')}`);
    if (s > P256_N / 2n) {
        s = P256_N - s;
    }
    return der(r, s);
}

/** ASN.1 DER SEQUENCE { INTEGER r, INTEGER s } (at most 72 bytes, so short-form lengths). */
function der(r: bigint, s: bigint): Uint8Array {
    const integer = (value: bigint): Buffer => {
        // Minimal big-endian bytes, with a leading zero when the top bit is set (DER integers are signed).
        let hex = value.toString(16);
        hex = hex.length % 2 === 1 ? `0${hex}` : hex;
        const body = Buffer.from(Number.parseInt(hex[0]!, 16) >= 8 ? `00${hex}` : hex, 'hex');
        return Buffer.concat([Buffer.from([0x02, body.length]), body]);
    };
    const content = Buffer.concat([integer(r), integer(s)]);
    return Buffer.concat([Buffer.from([0x30, content.length]), content]);
}
