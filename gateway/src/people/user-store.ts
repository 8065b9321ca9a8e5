/**
 * The organisation's people as the gateway knows them, persisted in one JSON file under the gateway's data directory
 * (mode 600, replaced atomically on every change). Private keys are stored sealed (see key-box.ts).
 */
import * as fs from 'node:fs';
import type { Sealed } from './key-box';
import { writeFileAtomic } from './secrets';

/** The role of the gateway's own administrator: manages people, holds no ledger identity. */
export const ADMIN_ROLE = 'admin';

export interface UserRecord {
    readonly name: string;
    /** A `role` attribute value of the org's CA, or ADMIN_ROLE. */
    readonly role: string;
    readonly passwordHash: string;
    /** Enrolment certificate (PEM); absent for the administrator. */
    readonly certificatePem?: string;
    readonly sealedKey?: Sealed;
    readonly createdAt: string;
    readonly revokedAt?: string;
    /** Set once the CA has revoked the identity too, so a retried revocation does not ask the CA again. */
    readonly caRevokedAt?: string;
    /** When this gateway saw its peer refuse the revoked certificate: the CA's list is in the channel configuration. */
    readonly channelRevokedAt?: string;
    /** Tokens carry it; a password change or reset increments it, ending every earlier session. */
    readonly sessionVersion?: number;
    /** Set by an administrator's password reset: the password is temporary, valid until then, for changing it. */
    readonly temporaryPasswordExpiresAt?: string;
    /** The last re-enrolment (certificate and key replaced before expiry). */
    readonly certificateRenewedAt?: string;
}

interface StoreFile {
    readonly version: 1;
    readonly users: UserRecord[];
}

export class UserStore {
    private readonly users = new Map<string, UserRecord>();

    constructor(private readonly file: string) {
        if (fs.existsSync(file)) {
            const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as StoreFile;
            if (parsed.version !== 1 || !Array.isArray(parsed.users)) {
                throw new Error(`${file} is not a gateway user store (version 1)`);
            }
            for (const user of parsed.users) {
                this.users.set(user.name, user);
            }
        }
    }

    get(name: string): UserRecord | undefined {
        return this.users.get(name);
    }

    list(): UserRecord[] {
        return [...this.users.values()].sort((a, b) => a.name.localeCompare(b.name));
    }

    /** Adds or replaces a record and persists the whole store before returning. */
    put(record: UserRecord): void {
        const previous = this.users.get(record.name);
        this.users.set(record.name, record);
        try {
            const content: StoreFile = { version: 1, users: this.list() };
            writeFileAtomic(this.file, `${JSON.stringify(content, null, 2)}\n`);
        } catch (err) {
            // Keep memory and disk in step: a change that was not persisted did not happen.
            if (previous) {
                this.users.set(record.name, previous);
            } else {
                this.users.delete(record.name);
            }
            throw err;
        }
    }
}
