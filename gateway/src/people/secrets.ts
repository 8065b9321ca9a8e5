/**
 * Random secrets the gateway creates for itself on first start (the key that encrypts private keys at rest, the
 * token signing key, initial passwords), kept in files only the owner can read.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Reads the secret in `file`, creating it with `bytes` random bytes (mode 600) when it does not exist. A file that
 * others could read is refused: the secret would already be compromised.
 */
export function loadOrCreateSecret(file: string, bytes: number): Buffer {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
        // 'wx' fails if another process created it first; then both use that one.
        fs.writeFileSync(file, randomBytes(bytes), { mode: 0o600, flag: 'wx' });
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
            throw err;
        }
    }
    if ((fs.statSync(file).mode & 0o077) !== 0) {
        throw new Error(`${file} is readable by other users: chmod 600 it (and consider the secret leaked)`);
    }
    const secret = fs.readFileSync(file);
    if (secret.length !== bytes) {
        throw new Error(`${file} holds ${secret.length} bytes, expected ${bytes}`);
    }
    return secret;
}

/** Writes `content` to `file` atomically (temporary file, fsync, rename) with mode 600. */
export function writeFileAtomic(file: string, content: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const fd = fs.openSync(temporary, 'w', 0o600);
    try {
        fs.writeFileSync(fd, content);
        fs.fsyncSync(fd);
    } finally {
        fs.closeSync(fd);
    }
    fs.renameSync(temporary, file);
}

/** A password for generated accounts: 18 random bytes, URL-safe (144 bits). */
export function randomPassword(): string {
    return randomBytes(18).toString('base64url');
}
