/** A scripted ledger for the trade resources' tests, and an app over it with a logged-in exporter. */
import * as fs from 'node:fs';
import type { Express } from 'express';
import { createApp } from '../../../../gateway/src/app';
import { ChaincodeError } from '../../../../gateway/src/errors';
import type { EventPosition, EventStream, Ledger, SubmitOptions, SubmitResult } from '../../../../gateway/src/fabric/ledger';
import { tradeOperations } from '../../../../gateway/src/trade';
import { type Harness, harness } from '../fakes';

export interface Call { user: string; fn: string; args: readonly string[]; options?: SubmitOptions }

/** Records every evaluate and submit; answers from a per-transaction script (default `{}`). */
export class ScriptedLedger implements Pick<Ledger, 'evaluate' | 'submit' | 'events'> {
    readonly evaluations: Call[] = [];
    readonly submissions: Call[] = [];
    private readonly answers = new Map<string, unknown>();

    /** Sets what `fn` answers from now on: bytes as they are, a value (sent as JSON), or a function of the arguments that returns or throws. */
    on(fn: string, answer: (args: readonly string[]) => unknown): this;
    on(fn: string, answer: unknown): this;
    on(fn: string, answer: unknown): this {
        this.answers.set(fn, answer);
        return this;
    }

    /** Forgets every scripted answer and recorded call, so each suite starts from the defaults. */
    reset(): void {
        this.answers.clear();
        this.evaluations.length = 0;
        this.submissions.length = 0;
    }

    /** Makes `fn` fail as the chaincode does, e.g. forbid('document:getDocumentContent'). */
    forbid(fn: string): this {
        return this.on(fn, () => { throw new ChaincodeError('FORBIDDEN', `${fn}: ExporterMSP may not`); });
    }

    async evaluate(user: string, fn: string, args: readonly string[] = []): Promise<Uint8Array> {
        this.evaluations.push({ user, fn, args });
        return this.answer(fn, args);
    }

    async submit(user: string, fn: string, options: SubmitOptions = {}): Promise<SubmitResult> {
        this.submissions.push({ user, fn, args: options.arguments ?? [], options });
        return { result: this.answer(fn, options.arguments ?? []), transactionId: `tx-${this.submissions.length}`, blockNumber: 7n };
    }

    async events(_user: string, _after?: EventPosition): Promise<EventStream> {
        return { async *[Symbol.asyncIterator]() { /* no events */ }, close: () => undefined };
    }

    private answer(fn: string, args: readonly string[]): Uint8Array {
        const answer = this.answers.get(fn);
        const value = typeof answer === 'function' ? (answer as (a: readonly string[]) => unknown)(args) : answer ?? {};
        return value instanceof Uint8Array ? value : Buffer.from(JSON.stringify(value));
    }
}

export interface TradeHarness {
    readonly app: Express;
    readonly ledger: ScriptedLedger;
    /** `Bearer <token>` of exporter1. */
    readonly auth: string;
}

let shared: Promise<TradeHarness & { dir: string }> | undefined;

/**
 * The app with every trade resource over a scripted ledger, exporter1 logged in; public verification signs as
 * exporter1. Built once for all trade suites (accounts hash passwords with scrypt, which is slow on purpose); each
 * call resets the ledger's script so suites do not see each other's answers.
 */
export async function tradeHarness(): Promise<TradeHarness> {
    shared ??= (async () => {
        const ledger = new ScriptedLedger();
        const h: Harness = await harness({ ledger, resources: tradeOperations({ ledger, publicVerifier: 'exporter1' }), uploadLimitBytes: 4096 });
        const token = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
        return { app: createApp(h.deps), ledger, auth: `Bearer ${token}`, dir: h.dir };
    })();
    const t = await shared;
    t.ledger.reset();
    return t;
}

// A root-level hook (this module is only loaded by mocha specs): removes the shared accounts directory once.
after(async () => {
    if (shared) {
        fs.rmSync((await shared).dir, { recursive: true, force: true });
    }
});

/** A fresh id per test so that idempotency keys and records never collide. */
let counter = 0;
export function uid(prefix: string): string {
    counter += 1;
    return `${prefix}-${counter}`;
}
