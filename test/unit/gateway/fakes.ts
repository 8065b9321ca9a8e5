/** Fakes for the gateway's unit tests: a CA, a ledger and a complete set of app dependencies over a temp dir. */
import { generateKeyPairSync } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import type { AppDeps } from '../../../gateway/src/app';
import type { EventSource } from '../../../gateway/src/events/hub';
import type { EventPosition, EventStream, Ledger, LedgerEvent, SubmitResult } from '../../../gateway/src/fabric/ledger';
import { Accounts, type Principal } from '../../../gateway/src/people/accounts';
import type { CertificateAuthority, Enrollment } from '../../../gateway/src/people/ca';
import { KeyBox } from '../../../gateway/src/people/key-box';
import { LoginThrottle } from '../../../gateway/src/people/login-throttle';
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
    readonly reenrolled: { name: string; previousCertificate: string }[] = [];
    failRevoke: Error | undefined;
    failReenroll: Error | undefined;
    /** The certificate each enrolment issues (tests that need real X.509 set it). */
    certificateFor: (name: string, serial: number) => string = (name, serial) => `CERT ${name} ${serial}`;
    private serial = 0;

    async registerAndEnroll(name: string, role: string): Promise<Enrollment> {
        this.registered.push({ name, role });
        return { certificatePem: this.certificateFor(name, ++this.serial), privateKeyPem: newPrivateKeyPem() };
    }

    async reenroll(name: string, current: Enrollment): Promise<Enrollment> {
        if (this.failReenroll) {
            throw this.failReenroll;
        }
        this.reenrolled.push({ name, previousCertificate: current.certificatePem });
        return { certificatePem: this.certificateFor(name, ++this.serial), privateKeyPem: newPrivateKeyPem() };
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

/** A ledger whose answers the test sets; records every call. As an event source it yields the queued events, then ends. */
export class FakeLedger implements Pick<Ledger, 'evaluate' | 'submit'>, EventSource {
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
    async subscribe(caller: Principal, after?: EventPosition): Promise<EventStream> {
        this.eventRequests.push({ user: caller.name, after });
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
    readonly keyBox: KeyBox;
    /** The generated first-start password of `name`. */
    password(name: string): string;
}

/** Accounts over a temp dir with a fake CA, bootstrapped with the exporter's demo users, and fake-ledger app deps. */
export async function harness(overrides: Partial<AppDeps> = {}, throttle: LoginThrottle = new LoginThrottle(), now?: () => Date): Promise<Harness> {
    const dir = tempDir();
    const ca = new FakeCa();
    const ledger = new FakeLedger();
    const store = new UserStore(path.join(dir, 'users.json'));
    const keyBox = new KeyBox(Buffer.alloc(32, 7));
    const accounts = new Accounts({
        org: EXPORTER,
        store,
        keyBox,
        ca,
        tokens: new TokenIssuer(Buffer.alloc(32, 9), 'exporter', 900, now && (() => now().getTime())),
        initialPasswordsFile: path.join(dir, 'initial-passwords'),
        throttle,
        now,
    });
    await accounts.bootstrap([{ name: 'exporter1', role: 'exporter' }, { name: 'forwarder1', role: 'forwarder' }]);
    const deps: AppDeps = {
        org: EXPORTER,
        logger: pino({ level: 'silent' }),
        accounts,
        ledger,
        events: ledger,
        checks: async () => ({ checks: { peer: true } }),
        jsonLimitBytes: 64 * 1024,
        uploadLimitBytes: 1024,
        rateLimitPerMinute: 1000,
        ...overrides,
    };
    return {
        dir, deps, accounts, ca, ledger, store, keyBox,
        password: (name) => {
            const line = fs.readFileSync(path.join(dir, 'initial-passwords'), 'utf8').split('\n').find((l) => l.startsWith(`${name}\t`));
            if (!line) {
                throw new Error(`no initial password for ${name}`);
            }
            return line.split('\t')[2]!;
        },
    };
}
