import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ApiError } from '../../../gateway/src/errors';
import { type Harness, harness } from './fakes';

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

    it('login, after a stranger\'s wrong guesses from another address, still works for the owner', async () => {
        for (let i = 0; i < 20; i++) {
            await assert.rejects(h.accounts.login('exporter1', `guess-${i}-guess`, '203.0.113.9'), isCode(i < 5 ? 'UNAUTHENTICATED' : 'RATE_LIMITED'));
        }
        await h.accounts.login('exporter1', h.password('exporter1'), '198.51.100.7');
        // The stranger's address stays held back for that name, even with the right password: it learns nothing.
        await assert.rejects(h.accounts.login('exporter1', h.password('exporter1'), '203.0.113.9'), isCode('RATE_LIMITED'));
    });

    it('change password ends every other session, returns a fresh one, and needs the current password', async () => {
        const old = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
        await assert.rejects(h.accounts.changePassword('exporter1', 'not-the-password', 'a new long password'), isCode('UNAUTHENTICATED'));
        await assert.rejects(h.accounts.changePassword('exporter1', h.password('exporter1'), h.password('exporter1')), isCode('INVALID_ARGUMENT'));
        const session = await h.accounts.changePassword('exporter1', h.password('exporter1'), 'a new long password');
        assert.throws(() => h.accounts.authenticate(old), (err: ApiError) => err.code === 'UNAUTHENTICATED' && /session ended/.test(err.detail));
        assert.equal(h.accounts.authenticate(session.token).name, 'exporter1');
        await assert.rejects(h.accounts.login('exporter1', h.password('exporter1')), isCode('UNAUTHENTICATED'));
        await h.accounts.login('exporter1', 'a new long password');
    });

    it('password reset by the administrator gives a temporary password that only allows choosing a new one, and expires', async () => {
        let now = Date.parse('2026-12-01T00:00:00Z');
        const timed = await harness({}, undefined, () => new Date(now));
        try {
            const admin = timed.accounts.authenticate((await timed.accounts.login('admin', timed.password('admin'))).token);
            const before = (await timed.accounts.login('forwarder1', timed.password('forwarder1'))).token;
            const reset = await timed.accounts.resetPassword('forwarder1', admin);
            assert.equal(reset.expiresAt, '2026-12-04T00:00:00.000Z');
            assert.throws(() => timed.accounts.authenticate(before), isCode('UNAUTHENTICATED'), 'the reset ends existing sessions');
            const temporary = await timed.accounts.login('forwarder1', reset.temporaryPassword);
            assert.equal(timed.accounts.authenticate(temporary.token).mustChangePassword, true);
            assert.equal(temporary.user.mustChangePassword, true);
            const changed = await timed.accounts.changePassword('forwarder1', reset.temporaryPassword, 'chosen by forwarder');
            assert.equal(timed.accounts.authenticate(changed.token).mustChangePassword, undefined);

            const second = await timed.accounts.resetPassword('forwarder1', admin);
            now += 73 * 3600 * 1000;
            await assert.rejects(timed.accounts.login('forwarder1', second.temporaryPassword), (err: ApiError) => err.code === 'UNAUTHENTICATED' && /expired/.test(err.detail));
            await assert.rejects(timed.accounts.resetPassword('admin', admin), isCode('FAILED_PRECONDITION'));
            await assert.rejects(timed.accounts.resetPassword('ghost', admin), isCode('NOT_FOUND'));
        } finally {
            fs.rmSync(timed.dir, { recursive: true, force: true });
        }
    });

    it('renew re-enrols with the current certificate and key, replaces both in the store and tells listeners', async () => {
        const before = await h.accounts.identity('exporter1');
        const changed: string[] = [];
        h.accounts.onKeyChanged((name) => changed.push(name));
        const view = await h.accounts.renew('exporter1');
        const after = await h.accounts.identity('exporter1');
        assert.deepEqual(h.ca.reenrolled, [{ name: 'exporter1', previousCertificate: before.certificatePem }]);
        assert.notEqual(after.certificatePem, before.certificatePem);
        assert.notEqual(after.privateKeyPem, before.privateKeyPem);
        assert.ok(view.certificateRenewedAt);
        assert.deepEqual(changed, ['exporter1']);
        await h.accounts.login('exporter1', h.password('exporter1'));
    });

    it('renew of a revoked person, the administrator or a failing CA changes nothing', async () => {
        const admin = { name: 'admin', role: 'admin', org: 'exporter' };
        await assert.rejects(h.accounts.renew('admin'), isCode('FAILED_PRECONDITION'));
        h.ca.failReenroll = new ApiError('UNAVAILABLE', 'ca down');
        const before = h.store.get('exporter1')?.certificatePem;
        await assert.rejects(h.accounts.renew('exporter1'), isCode('UNAVAILABLE'));
        assert.equal(h.store.get('exporter1')?.certificatePem, before);
        h.ca.failReenroll = undefined;
        await h.accounts.revoke('forwarder1', admin);
        await assert.rejects(h.accounts.renew('forwarder1'), isCode('FAILED_PRECONDITION'));
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

    it('revoke tells the channel listener once the CA has revoked, and the view says the channel update is pending', async () => {
        const admin = { name: 'admin', role: 'admin', org: 'exporter' };
        const told: string[] = [];
        h.accounts.onCaRevoked((name) => told.push(name));
        h.ca.failRevoke = new ApiError('UNAVAILABLE', 'ca down');
        await assert.rejects(h.accounts.revoke('exporter1', admin));
        assert.deepEqual(told, [], 'not before the CA has revoked');
        h.ca.failRevoke = undefined;
        const view = await h.accounts.revoke('exporter1', admin);
        assert.equal(view.channelRevocation, 'pending');
        await h.accounts.revoke('exporter1', admin);
        assert.deepEqual(told, ['exporter1']);
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
