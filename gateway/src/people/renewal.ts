/**
 * Certificate renewal before expiry. Fabric CA certificates expire (a year by default) and an expired one signs
 * nothing the peers accept, so the gateway re-enrols each live person when their certificate enters its renewal
 * window — `renewDays` before expiry, or at two thirds of its life if that comes first — checking hourly. A failed
 * renewal is retried at the next check; what is due or expired is reported on /readyz.
 */
import type { Accounts } from './accounts';

const DAY_MS = 24 * 3600 * 1000;

export interface CertificateStatus {
    /** Live people whose certificate has expired: renewal failed for the whole window, they cannot sign. */
    readonly expired: readonly string[];
    /** Live people inside their renewal window (renewal pending or failing). */
    readonly renewalDue: readonly string[];
    readonly nextExpiry?: string;
    readonly lastFailure?: { readonly name: string; readonly at: string; readonly detail: string };
}

export interface RenewalOptions {
    readonly accounts: Pick<Accounts, 'list' | 'renew'>;
    readonly renewDays: number;
    readonly intervalMs?: number;
    readonly log: (level: 'info' | 'warn', message: string, detail?: Record<string, unknown>) => void;
    readonly now?: () => number;
}

export class CertificateRenewal {
    private timer: NodeJS.Timeout | undefined;
    private lastFailure: CertificateStatus['lastFailure'];
    private running: Promise<void> | undefined;

    constructor(private readonly options: RenewalOptions) {}

    start(): void {
        this.timer ??= setInterval(() => void this.renewDue(), this.options.intervalMs ?? 3600_000).unref();
        void this.renewDue();
    }

    stop(): void {
        clearInterval(this.timer);
        this.timer = undefined;
    }

    /** When a certificate valid from `notBefore` to `notAfter` is renewed. */
    renewAt(notBefore: number, notAfter: number): number {
        return notAfter - Math.min(this.options.renewDays * DAY_MS, (notAfter - notBefore) / 3);
    }

    /** Renews every live person whose certificate is due; one at a time, so the CA sees no burst. */
    renewDue(): Promise<void> {
        this.running ??= (async () => {
            for (const name of this.due().map((d) => d.name)) {
                try {
                    await this.options.accounts.renew(name);
                    this.options.log('info', 'certificate renewed', { user: name });
                } catch (err) {
                    const detail = err instanceof Error ? err.message : String(err);
                    this.lastFailure = { name, at: new Date(this.now()).toISOString(), detail };
                    this.options.log('warn', 'certificate renewal failed; retried at the next check', { user: name, detail });
                }
            }
        })().finally(() => { this.running = undefined; });
        return this.running;
    }

    status(): CertificateStatus {
        const now = this.now();
        const live = this.live();
        const expiries = live.map((p) => p.notAfter).sort((a, b) => a - b);
        return {
            expired: live.filter((p) => p.notAfter <= now).map((p) => p.name),
            renewalDue: this.due().filter((p) => p.notAfter > now).map((p) => p.name),
            ...(expiries.length > 0 ? { nextExpiry: new Date(expiries[0]!).toISOString() } : {}),
            ...(this.lastFailure ? { lastFailure: this.lastFailure } : {}),
        };
    }

    private due(): { name: string; notAfter: number }[] {
        const now = this.now();
        return this.live().filter((p) => now >= this.renewAt(p.notBefore, p.notAfter));
    }

    private live(): { name: string; notBefore: number; notAfter: number }[] {
        return this.options.accounts.list().flatMap((user) => (user.revokedAt || !user.certificateExpiresAt || !user.certificateIssuedAt
            ? []
            : [{ name: user.name, notBefore: Date.parse(user.certificateIssuedAt), notAfter: Date.parse(user.certificateExpiresAt) }]));
    }

    private now(): number {
        return this.options.now?.() ?? Date.now();
    }
}
