/**
 * Encryption at rest for people's private keys: AES-256-GCM under a random 32-byte key kept in a mode-600 file.
 * The owner's name is bound in as associated data, so a sealed key copied onto another user's record does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A sealed value as stored in users.json (base64 fields). */
export interface Sealed {
    readonly iv: string;
    readonly tag: string;
    readonly data: string;
}

export class KeyBox {
    constructor(private readonly key: Buffer) {
        if (key.length !== 32) {
            throw new Error('the key-encryption key must be 32 bytes');
        }
    }

    seal(plaintext: string, owner: string): Sealed {
        const iv = randomBytes(12);
        const cipher = createCipheriv('aes-256-gcm', this.key, iv);
        cipher.setAAD(Buffer.from(owner));
        const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
        return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    }

    /** Throws if the value was altered, sealed under another key, or sealed for another owner. */
    open(sealed: Sealed, owner: string): string {
        const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(sealed.iv, 'base64'));
        decipher.setAAD(Buffer.from(owner));
        decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
        return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]).toString('utf8');
    }
}
