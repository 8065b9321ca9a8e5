/**
 * The organisation's people: first-start accounts, login, registration and revocation. A person's Fabric identity
 * is issued by the org's CA and their key is kept sealed; the gateway's administrator holds no ledger identity
 * and only manages people. This service knows nothing of HTTP.
 */
import * as fs from 'node:fs';
import { ApiError } from '../errors';
import type { SigningIdentity } from '../fabric/ledger';
import type { RateLimiter } from '../http/rate-limit';
import type { CertificateAuthority } from './ca';
import type { KeyBox } from './key-box';
import { UNMATCHABLE_HASH, hashPassword, verifyPassword } from './passwords';
import { randomPassword, writeFileAtomic } from './secrets';
import type { TokenIssuer } from './tokens';
import { ADMIN_ROLE, type UserRecord, type UserStore } from './user-store';

/** Who is calling, as established from a valid token and a live account. */
export interface Principal {
    readonly name: string;
    readonly role: string;
    readonly org: string;
}

/** A user as the API shows it: never a hash, key or certificate. */
export interface UserView {
    readonly name: string;
    readonly role: string;
    readonly createdAt: string;
    readonly revokedAt?: string;
    readonly ledgerIdentity: boolean;
}

export interface AccountsOptions {
    readonly org: Readonly<{ key: string; mspId: string; roles: readonly string[] }>;
    readonly store: UserStore;
    readonly keyBox: KeyBox;
    readonly ca: CertificateAuthority;
    readonly tokens: TokenIssuer;
    /** Demo users the network manager already enrolled: their identity is imported rather than issued again. */
    readonly existingIdentity: (name: string) => { certificatePem: string; privateKeyPem: string } | undefined;
    /** Generated passwords of first-start accounts are written here (mode 600), never logged. */
    readonly initialPasswordsFile: string;
    /** Login attempts allowed per user name, whatever the client address: slows password guessing. */
    readonly loginAttempts: RateLimiter;
    /**
     * Puts the CA's revocation list (base64 PEM) into the organisation's MSP on the channel, so peers and orderers
     * refuse the certificate too; without it a revocation stops at the gateway.
     */
    readonly publishRevocationList?: (crlBase64: string) => Promise<void>;
    readonly now?: () => Date;
}

export const ADMIN_NAME = 'admin';

export class Accounts {
    private readonly revokedListeners: ((name: string) => void)[] = [];

    constructor(private readonly options: AccountsOptions) {}

    /** Tells `listener` about each revocation (the ledger drops the person's cached connection). */
    onRevoked(listener: (name: string) => void): void {
        this.revokedListeners.push(listener);
    }

    /**
     * Creates the administrator and one demo user per role of the organisation when they do not exist yet.
     * Returns the names created; their passwords are appended to the initial-passwords file.
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
                const identity = this.options.existingIdentity(name) ?? await this.options.ca.registerAndEnroll(name, role);
                this.storePerson(name, role, await hashPassword(password), identity);
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

    /** A token for a live account with the right password; every failure looks the same to the caller. */
    async login(name: string, password: string): Promise<{ token: string; expiresAt: string; user: UserView }> {
        this.options.loginAttempts.take(`login:${name}`);
        const user = this.options.store.get(name);
        // Hash even for unknown names, so response time does not reveal which names exist.
        const matches = await verifyPassword(password, user?.passwordHash ?? UNMATCHABLE_HASH);
        if (!user || !matches || user.revokedAt) {
            throw new ApiError('UNAUTHENTICATED', 'the user name or password is wrong, or the account is revoked');
        }
        return { ...this.options.tokens.issue(user.name, user.role), user: view(user) };
    }

    /** The caller behind a bearer token, refused if the account was revoked or removed since the token was issued. */
    authenticate(token: string): Principal {
        const claims = this.options.tokens.verify(token);
        const user = this.options.store.get(claims.sub);
        if (!user || user.revokedAt) {
            throw new ApiError('UNAUTHENTICATED', 'the account behind this token is revoked');
        }
        return { name: user.name, role: user.role, org: this.options.org.key };
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
     * stays revoked here and calling again completes the CA side.
     */
    async revoke(name: string, by: Principal): Promise<UserView> {
        const user = this.options.store.get(name);
        if (!user) {
            throw new ApiError('NOT_FOUND', `user ${name} does not exist`);
        }
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
        }
        const publish = this.options.publishRevocationList;
        if (publish && current.caRevokedAt && !current.channelRevokedAt) {
            try {
                await publish(await this.options.ca.revocationList());
            } catch (err) {
                // Revoking again finishes the job: every step above is skipped once done.
                throw new ApiError('UNAVAILABLE', `${name} is revoked at this gateway and the CA, but the channel does not know yet; repeat the revocation`, {
                    retryAfterSeconds: 5, cause: err,
                });
            }
            current = { ...current, channelRevokedAt: this.timestamp() };
            this.options.store.put(current);
        }
        return view(current);
    }

    list(): UserView[] {
        return this.options.store.list().map(view);
    }

    get(name: string): UserView {
        const user = this.options.store.get(name);
        if (!user) {
            throw new ApiError('NOT_FOUND', `user ${name} does not exist`);
        }
        return view(user);
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

    private storePerson(name: string, role: string, passwordHash: string, identity: { certificatePem: string; privateKeyPem: string }): UserRecord {
        const record: UserRecord = {
            name, role, passwordHash, certificatePem: identity.certificatePem,
            sealedKey: this.options.keyBox.seal(identity.privateKeyPem, name), createdAt: this.timestamp(),
        };
        this.options.store.put(record);
        return record;
    }

    private timestamp(): string {
        return (this.options.now?.() ?? new Date()).toISOString();
    }
}

function view(user: UserRecord): UserView {
    return {
        name: user.name, role: user.role, createdAt: user.createdAt, ledgerIdentity: user.certificatePem !== undefined,
        ...(user.revokedAt ? { revokedAt: user.revokedAt } : {}),
    };
}
