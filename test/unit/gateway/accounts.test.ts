import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiError } from '../../../gateway/src/errors';
import { RateLimiter } from '../../../gateway/src/http/rate-limit';
import { Accounts } from '../../../gateway/src/people/accounts';
import { KeyBox } from '../../../gateway/src/people/key-box';
import { TokenIssuer } from '../../../gateway/src/people/tokens';
import { UserStore } from '../../../gateway/src/people/user-store';
import { EXPORTER, FakeCa, type Harness, harness } from './fakes';

const isCode = (code: string) => (err: unknown) => err instanceof ApiError && err.code === code;

describe('gateway accounts', () => {
    let h: Harness;
    beforeEach(async () => { h = await harness(); });
    afterEach(() => fs.rmSync(h.dir, { recursive: true, force: true }));

    it('bootstrap creates the administrator and one user per role, passwords in a mode-600 file, keys sealed', () => {
        assert.deepEqual(h.accounts.list().map((u) => [u.name, u.role, u.ledgerIdentity]),
            [['admin', 'admin', false], ['exporter1', 'exporter', true], ['forwarder1', 'forwarder', true]]);
        assert.deepEqual(h.ca.registered, [{ name: 'exporter1', role: 'exporter' }, { name: 'forwarder1', role: 'forwarder' }]);
        assert.equal(fs.statSync(path.join(h.dir, 'initial-passwords')).mode & 0o777, 0o600);
        const stored = fs.readFileSync(path.join(h.dir, 'users.json'), 'utf8');
        assert.doesNotMatch(stored, /PRIVATE KEY/);
        assert.doesNotMatch(stored, new RegExp(h.password('exporter1')));
    });

    it('bootstrap, run again, creates nothing and keeps the passwords', async () => {
        const before = h.password('admin');
        assert.deepEqual(await h.accounts.bootstrap([{ name: 'exporter1', role: 'exporter' }]), []);
        assert.equal(h.password('admin'), before);
        assert.equal(h.ca.registered.length, 2);
    });

    it('bootstrap imports a demo identity the network manager already enrolled instead of registering it again', async () => {
        const ca = new FakeCa();
        const accounts = new Accounts({
            org: EXPORTER, store: new UserStore(path.join(h.dir, 'other.json')), keyBox: new KeyBox(Buffer.alloc(32, 1)), ca,
            tokens: new TokenIssuer(Buffer.alloc(32, 2), 'exporter', 60), initialPasswordsFile: path.join(h.dir, 'other-passwords'),
            loginAttempts: new RateLimiter(10),
            existingIdentity: (name) => (name === 'exporter1' ? { certificatePem: 'NETWORK CERT', privateKeyPem: 'NETWORK KEY' } : undefined),
        });
        await accounts.bootstrap([{ name: 'exporter1', role: 'exporter' }]);
        assert.deepEqual(ca.registered, []);
        assert.deepEqual(await accounts.identity('exporter1'), { mspId: 'ExporterMSP', certificatePem: 'NETWORK CERT', privateKeyPem: 'NETWORK KEY' });
    });

    it('login with the right password gives a token that authenticates as that user and role', async () => {
        const session = await h.accounts.login('exporter1', h.password('exporter1'));
        assert.deepEqual(h.accounts.authenticate(session.token), { name: 'exporter1', role: 'exporter', org: 'exporter' });
    });

    it('login with a wrong password or an unknown name is refused with the same message', async () => {
        const wrong = await h.accounts.login('exporter1', 'nope-nope-nope').catch((e: ApiError) => e);
        const unknown = await h.accounts.login('nobody', 'nope-nope-nope').catch((e: ApiError) => e);
        assert.ok(isCode('UNAUTHENTICATED')(wrong));
        assert.equal((wrong as ApiError).detail, (unknown as ApiError).detail);
    });

    it('login attempts beyond the per-name allowance are refused with 429, even with the right password', async () => {
        const limited = await harness({}, 2);
        try {
            await assert.rejects(limited.accounts.login('exporter1', 'guess-one-guess'), isCode('UNAUTHENTICATED'));
            await assert.rejects(limited.accounts.login('exporter1', 'guess-two-guess'), isCode('UNAUTHENTICATED'));
            await assert.rejects(limited.accounts.login('exporter1', limited.password('exporter1')), isCode('RATE_LIMITED'));
            await limited.accounts.login('forwarder1', limited.password('forwarder1'));
        } finally {
            fs.rmSync(limited.dir, { recursive: true, force: true });
        }
    });

    it('register issues an identity through the CA with the role, and refuses unknown roles and taken names', async () => {
        const user = await h.accounts.register('ana', 'forwarder', 'correct horse battery');
        assert.equal(user.ledgerIdentity, true);
        assert.deepEqual(h.ca.registered.at(-1), { name: 'ana', role: 'forwarder' });
        assert.match((await h.accounts.identity('ana')).privateKeyPem, /BEGIN PRIVATE KEY/);
        await assert.rejects(h.accounts.register('bob', 'customs_officer', 'correct horse battery'), isCode('INVALID_ARGUMENT'));
        await assert.rejects(h.accounts.register('ana', 'exporter', 'correct horse battery'), isCode('ALREADY_EXISTS'));
        await assert.rejects(h.accounts.register('admin', 'exporter', 'correct horse battery'), isCode('ALREADY_EXISTS'));
    });

    it('revoke refuses the user\'s tokens, logins and identity at once, revokes at the CA and tells listeners', async () => {
        const token = (await h.accounts.login('forwarder1', h.password('forwarder1'))).token;
        const forgotten: string[] = [];
        h.accounts.onRevoked((name) => forgotten.push(name));
        const admin = h.accounts.authenticate((await h.accounts.login('admin', h.password('admin'))).token);
        const view = await h.accounts.revoke('forwarder1', admin);
        assert.ok(view.revokedAt);
        assert.deepEqual(h.ca.revoked, ['forwarder1']);
        assert.deepEqual(forgotten, ['forwarder1']);
        assert.throws(() => h.accounts.authenticate(token), isCode('UNAUTHENTICATED'));
        await assert.rejects(h.accounts.login('forwarder1', h.password('forwarder1')), isCode('UNAUTHENTICATED'));
        await assert.rejects(h.accounts.identity('forwarder1'), isCode('UNAUTHENTICATED'));
    });

    it('revoke, when the CA is unreachable, still revokes here; repeating it completes the CA side once', async () => {
        const admin = { name: 'admin', role: 'admin', org: 'exporter' };
        h.ca.failRevoke = new ApiError('UNAVAILABLE', 'ca down');
        await assert.rejects(h.accounts.revoke('exporter1', admin), isCode('UNAVAILABLE'));
        assert.ok(h.store.get('exporter1')?.revokedAt);
        h.ca.failRevoke = undefined;
        await h.accounts.revoke('exporter1', admin);
        await h.accounts.revoke('exporter1', admin);
        assert.deepEqual(h.ca.revoked, ['exporter1']);
        assert.ok(h.store.get('exporter1')?.caRevokedAt);
    });

    it('revoke puts the CA\'s revocation list into the channel; if that fails, repeating the revocation publishes it once', async () => {
        const admin = { name: 'admin', role: 'admin', org: 'exporter' };
        h.channel.fail = new Error('orderer down');
        await assert.rejects(h.accounts.revoke('exporter1', admin), (err: ApiError) => err.code === 'UNAVAILABLE' && /repeat the revocation/.test(err.detail));
        assert.ok(h.store.get('exporter1')?.caRevokedAt);
        assert.equal(h.store.get('exporter1')?.channelRevokedAt, undefined);
        h.channel.fail = undefined;
        await h.accounts.revoke('exporter1', admin);
        await h.accounts.revoke('exporter1', admin);
        assert.deepEqual(h.channel.published, ['CRL of exporter1']);
        assert.deepEqual(h.ca.revoked, ['exporter1']);
        assert.ok(h.store.get('exporter1')?.channelRevokedAt);
    });

    it('revoke of oneself or of an unknown user is refused', async () => {
        const admin = { name: 'admin', role: 'admin', org: 'exporter' };
        await assert.rejects(h.accounts.revoke('admin', admin), isCode('FAILED_PRECONDITION'));
        await assert.rejects(h.accounts.revoke('ghost', admin), isCode('NOT_FOUND'));
    });

    it('identity of the administrator is refused: it holds no ledger identity', async () => {
        await assert.rejects(h.accounts.identity('admin'), isCode('FORBIDDEN'));
    });
});
