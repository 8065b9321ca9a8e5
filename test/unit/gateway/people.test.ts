import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiError } from '../../../gateway/src/errors';
import { KeyBox } from '../../../gateway/src/people/key-box';
import { hashPassword, verifyPassword } from '../../../gateway/src/people/passwords';
import { loadOrCreateSecret } from '../../../gateway/src/people/secrets';
import { TokenIssuer } from '../../../gateway/src/people/tokens';
import { UserStore } from '../../../gateway/src/people/user-store';
import { tempDir } from './fakes';

const isCode = (code: string) => (err: unknown) => err instanceof ApiError && err.code === code;

describe('gateway people: secrets, keys, passwords, tokens, store', () => {
    let dir: string;
    beforeEach(() => { dir = tempDir(); });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('secret file, on first use, is created with mode 600 and the same secret is read back later', () => {
        const file = path.join(dir, 'sub', 'key');
        const first = loadOrCreateSecret(file, 32);
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.equal(first.length, 32);
        assert.deepEqual(loadOrCreateSecret(file, 32), first);
    });

    it('secret file readable by others is refused', () => {
        const file = path.join(dir, 'key');
        loadOrCreateSecret(file, 32);
        fs.chmodSync(file, 0o644);
        assert.throws(() => loadOrCreateSecret(file, 32), /readable by other users/);
    });

    it('key box opens what it sealed, and refuses another owner or a tampered value', () => {
        const box = new KeyBox(Buffer.alloc(32, 1));
        const sealed = box.seal('-----BEGIN PRIVATE KEY-----', 'ana');
        assert.doesNotMatch(JSON.stringify(sealed), /PRIVATE KEY/);
        assert.equal(box.open(sealed, 'ana'), '-----BEGIN PRIVATE KEY-----');
        assert.throws(() => box.open(sealed, 'ben'));
        const tampered = { ...sealed, data: Buffer.from('x'.repeat(27)).toString('base64') };
        assert.throws(() => box.open(tampered, 'ana'));
        assert.throws(() => new KeyBox(Buffer.alloc(32, 2)).open(sealed, 'ana'));
    });

    it('password hash verifies the right password only, and a malformed hash matches nothing', async () => {
        const hash = await hashPassword('correct horse battery');
        assert.match(hash, /^scrypt\$32768\$8\$1\$/);
        assert.equal(await verifyPassword('correct horse battery', hash), true);
        assert.equal(await verifyPassword('correct horse batterz', hash), false);
        assert.equal(await verifyPassword('anything', 'plain'), false);
    });

    it('token round-trips its claims until it expires', () => {
        let now = 1_000_000_000_000;
        const tokens = new TokenIssuer(Buffer.alloc(32, 3), 'exporter', 60, () => now);
        const { token, expiresAt } = tokens.issue('ana', 'exporter');
        assert.equal(expiresAt, new Date(now + 60_000).toISOString());
        assert.deepEqual(tokens.verify(token), { org: 'exporter', sub: 'ana', role: 'exporter', iat: now / 1000, exp: now / 1000 + 60 });
        now += 60_000;
        assert.throws(() => tokens.verify(token), (err) => isCode('UNAUTHENTICATED')(err) && /expired/.test((err as ApiError).detail));
    });

    it('token with altered claims or signature, or of another org\'s gateway, is refused', () => {
        const tokens = new TokenIssuer(Buffer.alloc(32, 3), 'exporter', 60);
        const [prefix, , signature] = tokens.issue('ana', 'exporter').token.split('.');
        const forgedClaims = Buffer.from(JSON.stringify({ org: 'exporter', sub: 'ana', role: 'admin', iat: 0, exp: 9e9 })).toString('base64url');
        assert.throws(() => tokens.verify(`${prefix}.${forgedClaims}.${signature}`), /signature/);
        assert.throws(() => tokens.verify('v1.abc'), /malformed/);
        const customsToken = new TokenIssuer(Buffer.alloc(32, 3), 'customs', 60).issue('ana', 'customs_officer').token;
        assert.throws(() => tokens.verify(customsToken), /another organisation/);
        const otherSecret = new TokenIssuer(Buffer.alloc(32, 4), 'exporter', 60).issue('ana', 'exporter').token;
        assert.throws(() => tokens.verify(otherSecret), /signature/);
    });

    it('user store persists every change atomically with mode 600 and reloads it', () => {
        const file = path.join(dir, 'users.json');
        const store = new UserStore(file);
        store.put({ name: 'ana', role: 'exporter', passwordHash: 'h', createdAt: '2026-01-01T00:00:00.000Z' });
        store.put({ name: 'ana', role: 'exporter', passwordHash: 'h2', createdAt: '2026-01-01T00:00:00.000Z' });
        assert.equal(fs.statSync(file).mode & 0o777, 0o600);
        assert.deepEqual(fs.readdirSync(dir), ['users.json']);
        assert.equal(new UserStore(file).get('ana')?.passwordHash, 'h2');
    });

    it('user store, when the file cannot be written, keeps memory unchanged', () => {
        const file = path.join(dir, 'users.json');
        const store = new UserStore(file);
        fs.mkdirSync(`${file}`, { recursive: true });
        assert.throws(() => store.put({ name: 'ana', role: 'exporter', passwordHash: 'h', createdAt: 'x' }));
        assert.equal(store.get('ana'), undefined);
    });
});
