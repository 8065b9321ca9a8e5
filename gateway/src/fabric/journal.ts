/**
 * The transactions a request has sent to the ledger, written down before each is submitted. When the gateway dies
 * between submit and commit, the retried request (same Idempotency-Key) finds them here and resubmits the *same*
 * signed-for transaction instead of endorsing a new one: Fabric commits a transaction id at most once, so the retry
 * can never write twice, and it answers with the original transaction's result.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

/** An endorsed transaction as fabric-gateway serialises it (no transient data: private values are not in it). */
export interface JournaledTransaction {
    readonly fn: string;
    readonly transactionId: string;
    /** Transaction.getBytes(), base64. */
    readonly bytes: string;
}

export interface TransactionJournal {
    /** What the previous attempt of this request submitted as its `index`-th transaction, if it was `fn`. */
    recovered(index: number, fn: string): JournaledTransaction | undefined;
    /** Durably records the `index`-th transaction; resolves only once it is safe to submit it. */
    record(index: number, transaction: JournaledTransaction): Promise<void>;
    /** The `index`-th transaction is known not to be on the ledger (invalidated at commit): the retry endorses anew. */
    discard(index: number): Promise<void>;
}

const current = new AsyncLocalStorage<{ readonly journal: TransactionJournal; next: number }>();

/** Runs a request's handler so that the ledger calls it makes are journaled in order. */
export function withJournal<T>(journal: TransactionJournal, run: () => Promise<T>): Promise<T> {
    return current.run({ journal, next: 0 }, run);
}

/** The journal of the request being served and the position of the transaction about to be submitted. */
export function nextSubmission(): { readonly journal: TransactionJournal; readonly index: number } | undefined {
    const state = current.getStore();
    return state && { journal: state.journal, index: state.next++ };
}
