/**
 * The organisation's people: first-start accounts, login, passwords, registration, certificate renewal and
 * revocation. A person's Fabric identity is issued by the org's CA and their key is kept sealed; the gateway's
 * administrator holds no ledger identity and only manages people. This service knows nothing of HTTP.
 */
import * as fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { ApiError } from '../errors';
import type { SigningIdentity } from '../fabric/ledger';
import type { CertificateAuthority, Enrollment } from './ca';
import type { KeyBox } from './key-box';
import type { LoginThrottle } from './login-throttle';
import { UNMATCHABLE_HASH, hashPassword, verifyPassword } from './passwords';
import { randomPassword, writeFileAtomic } from './secrets';
import type { TokenIssuer } from './tokens';
import { ADMIN_ROLE, type UserRecord, type UserStore } from './user-store';

/** Who is calling, as established from a valid token and a live account. */
export interface Principal {
    readonly name: string;
    readonly role: string;
    readonly org: string;
    /** Set after an administrator's password reset: only the password change is allowed until it is done. */
    readonly mustChangePassword?: true;
}

/** A user as the API shows it: never a hash, key or certificate. */
export interface UserView {
    readonly name: string;
    readonly role: string;
    readonly createdAt: string;
    readonly revokedAt?: string;
    readonly ledgerIdentity: boolean;
    readonly certificateIssuedAt?: string;
    readonly certificateExpiresAt?: string;
    readonly certificateRenewedAt?: string;
    /** After a revocation: whether peers already refuse the certificate (the channel carries the CA's list). */
    readonly channelRevocation?: 'pending' | 'done';
    readonly mustChangePassword?: true;
}

export interface Session {
    readonly token: string;
    readonly expiresAt: string;
    readonly user: UserView;
}

export interface AccountsOptions {
    readonly org: Readonly<{ key: string; mspId: string; roles: readonly string[] }>;
    readonly store: UserStore;
    readonly keyBox: KeyBox;
    readonly ca: CertificateAuthority;
    readonly tokens: TokenIssuer;
    /** Generated passwords of first-start accounts are written here (mode 600), never logged. */
    readonly initialPasswordsFile: string;
    /** Limits password guessing per client address and user name (see login-throttle.ts). */
    readonly throttle: LoginThrottle;
    /** How long a temporary password from a reset is valid. */
    readonly temporaryPasswordTtlMs?: number;
    readonly now?: () => Date;
}

export const ADMIN_NAME = 'admin';
const TEMPORARY_PASSWORD_TTL_MS = 72 * 3600 * 1000;

export class Accounts {
    private readonly revokedListeners: ((name: string) => void)[] = [];
    private readonly keyChangeListeners: ((name: string) => void)[] = [];
    private readonly caRevokedListeners: ((name: string) => void)[] = [];
    private readonly renewals = new Map<string, Promise<UserView>>();

    constructor(private readonly options: AccountsOptions) {}

    /** Tells `listener` about each revocation (the ledger drops the person's cached connection). */
    onRevoked(listener: (name: string) => void): void {
        this.revokedListeners.push(listener);
    }

    /** Tells `listener` when the CA has revoked a person: the channel's revocation list is now out of date. */
    onCaRevoked(listener: (name: string) => void): void {
        this.caRevokedListeners.push(listener);
    }

    /** Tells `listener` when a person's key changed (renewal): cached signers must be dropped. */
    onKeyChanged(listener: (name: string) => void): void {
        this.keyChangeListeners.push(listener);
    }

    /**
     * Creates the administrator and the demo users that do not exist yet; demo users are registered through the CA
     * like anyone else, so their keys exist only sealed in this gateway's store. Returns the names created; their
     * passwords are appended to the initial-passwords file.
     */
    async bootstrap(demoUsers: readonly { name: string; role: string }[]): Promise<string[]> {
        const created: { name: string; role: string; password: string }[] = [];
        for (const { name, role } of [{ name: ADMIN_NAME, role: ADMIN_ROLE }, ...demoUsers]) {
            if (this.options.store.get(name)) {
                continue;
            }
            const password = randomPassword();
            if (role === ADMIN_ROLE) {
                this.options.store.put({ name, role, passwordHash: await hashPassword(password), createdAt: this.timestamp() });
            } else {
                this.storePerson(name, role, await hashPassword(password), await this.options.ca.registerAndEnroll(name, role));
            }
            created.push({ name, role, password });
        }
        if (created.length > 0) {
            const previous = fs.existsSync(this.options.initialPasswordsFile) ? fs.readFileSync(this.options.initialPasswordsFile, 'utf8') : '';
            const lines = created.map((u) => `${u.name}\t${u.role}\t${u.password}\n`).join('');
            writeFileAtomic(this.options.initialPasswordsFile, previous + lines);
        }
        return created.map((u) => u.name);
    }

    /**
     * A token for a live account with the right password; every failure looks the same to the caller. `address` is
     * the client's: guessing is slowed per address and name, so a stranger's guesses do not lock the owner out
     * (`local`: a caller in this process, e.g. a test).
     */
    async login(name: string, password: string, address = 'local'): Promise<Session> {
        return this.session(await this.checkPassword(name, password, address));
    }

    /** The caller behind a bearer token, refused if the account was revoked or its sessions ended since. */
    authenticate(token: string): Principal {
        const claims = this.options.tokens.verify(token);
        const user = this.options.store.get(claims.sub);
        if (!user || user.revokedAt) {
            throw new ApiError('UNAUTHENTICATED', 'the account behind this token is revoked');
        }
        if ((claims.ver ?? 0) !== (user.sessionVersion ?? 0)) {
            throw new ApiError('UNAUTHENTICATED', 'this session ended (the password was changed or reset); log in again');
        }
        return { name: user.name, role: user.role, org: this.options.org.key, ...(user.temporaryPasswordExpiresAt ? { mustChangePassword: true as const } : {}) };
    }

    /** The person's own password change: ends every other session and returns a fresh one. */
    async changePassword(name: string, currentPassword: string, newPassword: string, address = 'local'): Promise<Session> {
        const user = await this.checkPassword(name, currentPassword, address);
        if (newPassword === currentPassword) {
            throw new ApiError('INVALID_ARGUMENT', 'the new password must differ from the current one');
        }
        const updated: UserRecord = {
            ...user, passwordHash: await hashPassword(newPassword), sessionVersion: (user.sessionVersion ?? 0) + 1, temporaryPasswordExpiresAt: undefined,
        };
        this.options.store.put(updated);
        return this.session(updated);
    }

    /**
     * The administrator's reset of someone else's password: a random temporary password (shown once, to the
     * administrator) that allows only choosing a new one, valid for 72 hours. Ends the person's sessions.
     */
    async resetPassword(name: string, by: Principal): Promise<{ temporaryPassword: string; expiresAt: string }> {
        const user = this.requireUser(name);
        if (name === by.name) {
            throw new ApiError('FAILED_PRECONDITION', 'change your own password with POST /api/v1/me/password');
        }
        if (user.revokedAt) {
            throw new ApiError('FAILED_PRECONDITION', `${name} is revoked`);
        }
        const temporaryPassword = randomPassword();
        const expiresAt = new Date(this.nowMs() + (this.options.temporaryPasswordTtlMs ?? TEMPORARY_PASSWORD_TTL_MS)).toISOString();
        this.options.store.put({
            ...user, passwordHash: await hashPassword(temporaryPassword), sessionVersion: (user.sessionVersion ?? 0) + 1, temporaryPasswordExpiresAt: expiresAt,
        });
        return { temporaryPassword, expiresAt };
    }

    async register(name: string, role: string, password: string): Promise<UserView> {
        if (!this.options.org.roles.includes(role)) {
            throw new ApiError('INVALID_ARGUMENT', `role must be one of ${this.options.org.roles.join(', ')}`);
        }
        if (this.options.store.get(name)) {
            throw new ApiError('ALREADY_EXISTS', `user ${name} exists`);
        }
        const passwordHash = await hashPassword(password);
        const identity = await this.options.ca.registerAndEnroll(name, role);
        return view(this.storePerson(name, role, passwordHash, identity));
    }

    /**
     * Revokes an account here first (effective at once), then at the CA. If the CA cannot be reached the account
     * stays revoked here and calling again completes the CA side. Putting the CA's list on the channel is the
     * organisation admin's step (see channel-revocations.ts); until it is done the view says `pending`.
     */
    async revoke(name: string, by: Principal): Promise<UserView> {
        const user = this.requireUser(name);
        if (name === by.name) {
            throw new ApiError('FAILED_PRECONDITION', 'an administrator cannot revoke their own account');
        }
        let current: UserRecord = user.revokedAt ? user : { ...user, revokedAt: this.timestamp() };
        if (current !== user) {
            this.options.store.put(current);
            this.revokedListeners.forEach((listener) => listener(name));
        }
        if (current.certificatePem && !current.caRevokedAt) {
            await this.options.ca.revoke(name);
            current = { ...current, caRevokedAt: this.timestamp() };
            this.options.store.put(current);
            this.caRevokedListeners.forEach((listener) => listener(name));
        }
        return view(current);
    }

    /**
     * A new certificate and key for a live person, from the CA, signed for by their current key (re-enrolment): done
     * before the certificate expires, so nobody's signing stops. The old key is replaced in the store.
     */
    renew(name: string): Promise<UserView> {
        let running = this.renewals.get(name);
        if (!running) {
            running = this.renewNow(name).finally(() => this.renewals.delete(name));
            this.renewals.set(name, running);
        }
        return running;
    }

    list(): UserView[] {
        return this.options.store.list().map(view);
    }

    get(name: string): UserView {
        return view(this.requireUser(name));
    }

    /** The identity `name` signs transactions with (the ledger's IdentityResolver). */
    async identity(name: string): Promise<SigningIdentity> {
        const user = this.options.store.get(name);
        if (!user || user.revokedAt) {
            throw new ApiError('UNAUTHENTICATED', 'the account is revoked');
        }
        if (!user.certificatePem || !user.sealedKey) {
            throw new ApiError('FORBIDDEN', `${name} has no ledger identity (the administrator only manages people)`);
        }
        return { mspId: this.options.org.mspId, certificatePem: user.certificatePem, privateKeyPem: this.options.keyBox.open(user.sealedKey, name) };
    }

    private async renewNow(name: string): Promise<UserView> {
        const user = this.requireUser(name);
        if (user.revokedAt) {
            throw new ApiError('FAILED_PRECONDITION', `${name} is revoked`);
        }
        if (!user.certificatePem || !user.sealedKey) {
            throw new ApiError('FAILED_PRECONDITION', `${name} has no ledger identity`);
        }
        const current: Enrollment = { certificatePem: user.certificatePem, privateKeyPem: this.options.keyBox.open(user.sealedKey, name) };
        const renewed = await this.options.ca.reenroll(name, current);
        // Re-read: the person may have changed their password meanwhile; only the identity is replaced.
        const latest = this.requireUser(name);
        const record: UserRecord = {
            ...latest, certificatePem: renewed.certificatePem, sealedKey: this.options.keyBox.seal(renewed.privateKeyPem, name), certificateRenewedAt: this.timestamp(),
        };
        this.options.store.put(record);
        this.keyChangeListeners.forEach((listener) => listener(name));
        return view(record);
    }

    private async checkPassword(name: string, password: string, address: string): Promise<UserRecord> {
        this.options.throttle.check(address, name);
        const user = this.options.store.get(name);
        // Hash even for unknown names, so response time does not reveal which names exist.
        const matches = await verifyPassword(password, user?.passwordHash ?? UNMATCHABLE_HASH);
        if (!user || !matches || user.revokedAt) {
            this.options.throttle.failed(address, name);
            throw new ApiError('UNAUTHENTICATED', 'the user name or password is wrong, or the account is revoked');
        }
        this.options.throttle.succeeded(address, name);
        if (user.temporaryPasswordExpiresAt && Date.parse(user.temporaryPasswordExpiresAt) <= this.nowMs()) {
            throw new ApiError('UNAUTHENTICATED', 'the temporary password has expired; ask the administrator for a new one');
        }
        return user;
    }

    private session(user: UserRecord): Session {
        return { ...this.options.tokens.issue(user.name, user.role, user.sessionVersion ?? 0), user: view(user) };
    }

    private requireUser(name: string): UserRecord {
        const user = this.options.store.get(name);
        if (!user) {
            throw new ApiError('NOT_FOUND', `user ${name} does not exist`);
        }
        return user;
    }

    private storePerson(name: string, role: string, passwordHash: string, identity: Enrollment): UserRecord {
        const record: UserRecord = {
            name, role, passwordHash, certificatePem: identity.certificatePem,
            sealedKey: this.options.keyBox.seal(identity.privateKeyPem, name), createdAt: this.timestamp(),
        };
        this.options.store.put(record);
        return record;
    }

    private nowMs(): number {
        return (this.options.now?.() ?? new Date()).getTime();
    }

    private timestamp(): string {
        return new Date(this.nowMs()).toISOString();
    }
}

/** When a certificate expires (ms since the epoch); undefined for text that is not a certificate (test fakes). */
export function certificateExpiry(certificatePem: string): { notBefore: number; notAfter: number } | undefined {
    try {
        const certificate = new X509Certificate(certificatePem);
        return { notBefore: Date.parse(certificate.validFrom), notAfter: Date.parse(certificate.validTo) };
    } catch {
        return undefined;
    }
}

function view(user: UserRecord): UserView {
    const expiry = user.certificatePem ? certificateExpiry(user.certificatePem) : undefined;
    return {
        name: user.name, role: user.role, createdAt: user.createdAt, ledgerIdentity: user.certificatePem !== undefined,
        ...(user.revokedAt ? { revokedAt: user.revokedAt } : {}),
        ...(expiry ? { certificateIssuedAt: new Date(expiry.notBefore).toISOString(), certificateExpiresAt: new Date(expiry.notAfter).toISOString() } : {}),
        ...(user.certificateRenewedAt ? { certificateRenewedAt: user.certificateRenewedAt } : {}),
        ...(user.caRevokedAt ? { channelRevocation: user.channelRevokedAt ? 'done' as const : 'pending' as const } : {}),
        ...(user.temporaryPasswordExpiresAt ? { mustChangePassword: true as const } : {}),
    };
}
