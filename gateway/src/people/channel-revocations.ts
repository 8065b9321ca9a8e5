/**
 * Getting revocations onto the channel without admin powers in the gateway. Peers refuse a revoked certificate only
 * once the organisation's MSP on the channel carries the CA's revocation list, and changing the MSP is a channel
 * configuration update signed by the organisation's admin: a key the internet-facing gateway must not hold. So the
 * gateway asks for it through a publisher (`none`: an admin runs the network tooling's `org publish-crl` by hand;
 * `command`: the gateway runs the configured command, which fetches the list from the CA itself, so the gateway
 * cannot hand it a stale one), and finds out by itself when it is done: it asks its own peer to accept the revoked
 * certificate, and the revocation is complete when the peer refuses. Until then the gateway refuses the person on
 * its own, and /readyz and GET /api/v1/admin/revocations name them as pending.
 */
import { execFile } from 'node:child_process';
import type { SigningIdentity } from '../fabric/ledger';
import type { KeyBox } from './key-box';
import type { UserRecord, UserStore } from './user-store';

/** Asks for the organisation's revocation list to be put on the channel. */
export interface RevocationPublisher {
    readonly kind: 'none' | 'command';
    publish(): Promise<void>;
}

/** Nothing to run: the organisation's admin publishes by hand (`npm run org -- publish-crl --org <org>`). */
export const manualPublisher: RevocationPublisher = { kind: 'none', publish: () => Promise.resolve() };

/** Runs the profile's command (no shell); it succeeds when the command exits 0. */
export function commandPublisher(command: readonly string[], environment: Readonly<Record<string, string>>, timeoutMs: number): RevocationPublisher {
    return {
        kind: 'command',
        publish: () => new Promise((resolve, reject) => {
            const [file, ...args] = command;
            execFile(file!, args, {
                // Only what the command is given: the gateway's own environment (token secret, ...) stays here.
                env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...environment },
                timeout: timeoutMs,
                maxBuffer: 4 * 1024 * 1024,
            }, (error, _stdout, stderr) => {
                if (error) {
                    const tail = stderr.trim().split('\n').slice(-3).join(' | ');
                    reject(new Error(`the revocation publisher exited with ${error.code ?? error.signal ?? 'an error'}: ${tail}`));
                } else {
                    resolve();
                }
            });
        }),
    };
}

/** What the peer said to a revoked certificate. */
export type CertificateCheck = 'refused' | 'accepted' | 'unknown';

export interface ChannelRevocationsOptions {
    readonly store: UserStore;
    readonly keyBox: KeyBox;
    readonly mspId: string;
    readonly publisher: RevocationPublisher;
    /** Asks the organisation's own peer whether it accepts `identity` (see FabricLedger.checkIdentity). */
    readonly check: (identity: SigningIdentity) => Promise<CertificateCheck>;
    readonly log: (level: 'info' | 'warn', message: string, detail?: Record<string, unknown>) => void;
    /** How often pending revocations are checked while there are any (an admin may publish at any time). */
    readonly pollMs?: number;
    readonly now?: () => Date;
}

export interface RevocationStatus {
    readonly publisher: 'none' | 'command';
    readonly pending: readonly { readonly name: string; readonly revokedAt: string }[];
    readonly lastPublish?: { readonly at: string; readonly outcome: 'ok' | 'failed'; readonly detail?: string };
}

export class ChannelRevocations {
    private publishing: Promise<void> | undefined;
    private again = false;
    private lastPublish: RevocationStatus['lastPublish'];
    private timer: NodeJS.Timeout | undefined;
    private checking: Promise<void> | undefined;

    constructor(private readonly options: ChannelRevocationsOptions) {}

    /** Checks pending revocations now and then every pollMs while there are any. */
    start(): void {
        this.timer ??= setInterval(() => {
            if (this.pendingRecords().length > 0) {
                void this.checkPending();
            }
        }, this.options.pollMs ?? 15_000).unref();
        void this.checkPending();
    }

    stop(): void {
        clearInterval(this.timer);
        this.timer = undefined;
    }

    status(): RevocationStatus {
        return {
            publisher: this.options.publisher.kind,
            pending: this.pendingRecords().map((u) => ({ name: u.name, revokedAt: u.revokedAt ?? '' })),
            ...(this.lastPublish ? { lastPublish: this.lastPublish } : {}),
        };
    }

    /**
     * Runs the publisher (one run at a time; requests during a run cause one more run after it), then checks the
     * pending revocations. Resolves when that is done; never rejects (the outcome is in status()).
     */
    requestPublish(): Promise<void> {
        if (this.publishing) {
            this.again = true;
            return this.publishing;
        }
        this.publishing = (async () => {
            do {
                this.again = false;
                try {
                    await this.options.publisher.publish();
                    this.lastPublish = { at: this.timestamp(), outcome: 'ok' };
                } catch (err) {
                    const message = err instanceof Error ? err.message : String(err);
                    // The command's own output goes to the log only; the API says how it ended.
                    this.lastPublish = { at: this.timestamp(), outcome: 'failed', detail: `${message.split(': ')[0]} (see the gateway log)` };
                    this.options.log('warn', 'publishing the revocation list to the channel failed', { detail: message });
                }
                await this.checkPending(this.options.publisher.kind === 'command');
            } while (this.again);
        })().finally(() => { this.publishing = undefined; });
        return this.publishing;
    }

    /**
     * Asks the peer about each pending revocation; a refused certificate is done, and its sealed key is deleted (it
     * can sign nothing any more). After a publish the peer needs a moment to commit the configuration block, so
     * `soon` retries for up to 30 s.
     */
    checkPending(soon = false): Promise<void> {
        if (this.checking) {
            return this.checking;
        }
        this.checking = (async () => {
            for (let attempt = 0; attempt < (soon ? 30 : 1); attempt++) {
                if (attempt > 0) {
                    await new Promise((resolve) => setTimeout(resolve, 1_000));
                }
                for (const user of this.pendingRecords()) {
                    await this.checkOne(user);
                }
                if (this.pendingRecords().length === 0) {
                    return;
                }
            }
        })().finally(() => { this.checking = undefined; });
        return this.checking;
    }

    private async checkOne(user: UserRecord): Promise<void> {
        if (!user.certificatePem || !user.sealedKey) {
            return;
        }
        const identity = { mspId: this.options.mspId, certificatePem: user.certificatePem, privateKeyPem: this.options.keyBox.open(user.sealedKey, user.name) };
        if (await this.options.check(identity) !== 'refused') {
            return;
        }
        const latest = this.options.store.get(user.name);
        if (latest) {
            this.options.store.put({ ...latest, sealedKey: undefined, channelRevokedAt: this.timestamp() });
            this.options.log('info', 'the peer refuses the revoked certificate: revocation complete', { user: user.name });
        }
    }

    private pendingRecords(): UserRecord[] {
        return this.options.store.list().filter((u) => u.caRevokedAt && !u.channelRevokedAt);
    }

    private timestamp(): string {
        return (this.options.now?.() ?? new Date()).toISOString();
    }
}
