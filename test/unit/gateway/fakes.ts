/** Fakes for the gateway's unit tests: a CA, a ledger and a complete set of app dependencies over a temp dir. */
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import type { AppDeps } from '../../../gateway/src/app';
import { RateLimiter } from '../../../gateway/src/http/rate-limit';
import type { EventPosition, EventStream, Ledger, LedgerEvent, SubmitResult } from '../../../gateway/src/fabric/ledger';
import { Accounts } from '../../../gateway/src/people/accounts';
import type { CertificateAuthority } from '../../../gateway/src/people/ca';
import { KeyBox } from '../../../gateway/src/people/key-box';
import { TokenIssuer } from '../../../gateway/src/people/tokens';
import { UserStore } from '../../../gateway/src/people/user-store';

export const EXPORTER = { key: 'exporter', name: 'Exporter', mspId: 'ExporterMSP', roles: ['exporter', 'forwarder'] } as const;

export function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), 'tradedocs-gateway-'));
}

export function newPrivateKeyPem(): string {
    return generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export class FakeCa implements CertificateAuthority {
    readonly registered: { name: string; role: string }[] = [];
    readonly revoked: string[] = [];
    failRevoke: Error | undefined;

    async registerAndEnroll(name: string, role: string): Promise<{ certificatePem: string; privateKeyPem: string }> {
        this.registered.push({ name, role });
        return { certificatePem: `CERT ${name}`, privateKeyPem: newPrivateKeyPem() };
    }

    async revoke(name: string): Promise<void> {
        if (this.failRevoke) {
            throw this.failRevoke;
        }
        this.revoked.push(name);
    }

    async revocationList(): Promise<string> {
        return Buffer.from(`CRL of ${this.revoked.join(',')}`).toString('base64');
    }
}

/** A ledger whose answers the test sets; records every call. */
export class FakeLedger implements Pick<Ledger, 'evaluate' | 'submit' | 'events'> {
    readonly calls: { user: string; fn: string; args: readonly string[] }[] = [];
    readonly eventRequests: { user: string; after?: EventPosition }[] = [];
    evaluateResult: (user: string, fn: string) => Promise<Uint8Array> = async (user) =>
        Buffer.from(JSON.stringify({ mspId: 'ExporterMSP', role: 'exporter', id: `x509::CN=${user}` }));
    queuedEvents: LedgerEvent[] = [];
    closedStreams = 0;

    async evaluate(user: string, fn: string, args: readonly string[] = []): Promise<Uint8Array> {
        this.calls.push({ user, fn, args });
        return this.evaluateResult(user, fn);
    }

    async submit(user: string, fn: string): Promise<SubmitResult> {
        this.calls.push({ user, fn, args: [] });
        return { result: new Uint8Array(), transactionId: 'tx1', blockNumber: 1n };
    }

    /** Yields the queued events, then ends (a real stream would wait for more). */
    async events(user: string, after?: EventPosition): Promise<EventStream> {
        this.eventRequests.push({ user, after });
        const events = [...this.queuedEvents];
        return {
            async *[Symbol.asyncIterator]() {
                yield* events;
            },
            close: () => { this.closedStreams++; },
        };
    }
}

export interface Harness {
    readonly dir: string;
    readonly deps: AppDeps;
    readonly accounts: Accounts;
    readonly ca: FakeCa;
    readonly ledger: FakeLedger;
    readonly store: UserStore;
    readonly channel: { readonly published: string[]; fail: Error | undefined };
    /** The generated first-start password of `name`. */
    password(name: string): string;
}

/** Accounts over a temp dir with a fake CA, bootstrapped with the exporter's demo users, and fake-ledger app deps. */
export async function harness(overrides: Partial<AppDeps> = {}, loginAttemptsPerMinute = 100): Promise<Harness> {
    const dir = tempDir();
    const ca = new FakeCa();
    const ledger = new FakeLedger();
    /** The revocation lists the accounts put into the channel configuration. */
    const channel = { published: [] as string[], fail: undefined as Error | undefined };
    const store = new UserStore(path.join(dir, 'users.json'));
    const accounts = new Accounts({
        org: EXPORTER,
        store,
        keyBox: new KeyBox(Buffer.alloc(32, 7)),
        ca,
        tokens: new TokenIssuer(Buffer.alloc(32, 9), 'exporter', 900),
        existingIdentity: () => undefined,
        initialPasswordsFile: path.join(dir, 'initial-passwords'),
        loginAttempts: new RateLimiter(loginAttemptsPerMinute),
        publishRevocationList: async (crl) => {
            if (channel.fail) {
                throw channel.fail;
            }
            channel.published.push(Buffer.from(crl, 'base64').toString());
        },
    });
    await accounts.bootstrap([{ name: 'exporter1', role: 'exporter' }, { name: 'forwarder1', role: 'forwarder' }]);
    const deps: AppDeps = {
        org: EXPORTER,
        logger: pino({ level: 'silent' }),
        accounts,
        ledger,
        checks: async () => ({ peer: true, identities: true }),
        jsonLimitBytes: 64 * 1024,
        uploadLimitBytes: 1024,
        rateLimitPerMinute: 1000,
        ...overrides,
    };
    return {
        dir, deps, accounts, ca, ledger, store, channel,
        password: (name) => {
            const line = fs.readFileSync(path.join(dir, 'initial-passwords'), 'utf8').split('\n').find((l) => l.startsWith(`${name}\t`));
            if (!line) {
                throw new Error(`no initial password for ${name}`);
            }
            return line.split('\t')[2]!;
        },
    };
}
