/**
 * An in-memory Fabric for unit tests: world state, private data collections, composite keys, paging, history,
 * transient map, events and key-level endorsement parameters. Like a peer, a transaction does not see its own
 * writes; they are applied when `Ledger.invoke` commits, and a failed transaction commits nothing.
 */
import type { Context } from 'fabric-contract-api';
import { createHash, randomBytes } from 'node:crypto';

const SEP = '\u0000';

interface Version { txId: string; at: Date; value: Buffer | undefined }

export interface Identity { mspId: string; role?: string; name: string }

export interface Emitted { name: string; payload: Record<string, unknown> }

export interface InvokeOptions {
    /** The endorsing peer's organisation; by default the caller's own. */
    peerMspId?: string;
    /** Transient data. Like the gateway, every transaction gets a fresh random `salt` unless this names one. */
    transient?: Record<string, string | Buffer>;
    /** Leave the salt out, to test that private writes refuse to go without one. */
    noSalt?: boolean;
}

export class Ledger {
    readonly state = new Map<string, Buffer>();
    readonly privateData = new Map<string, Map<string, Buffer>>();
    /** The hashes of private values, which a real peer holds for every collection (they are in the block). */
    readonly privateHashes = new Map<string, Map<string, Buffer>>();
    /** Refuse a read of a value whose hash is here but value is not, as a real member peer does; else answer nothing. */
    refuseMissingPrivate = false;
    readonly validationParameters = new Map<string, Buffer>();
    readonly histories = new Map<string, Version[]>();
    readonly events: Emitted[] = [];
    /** World-state keys the last transaction read (a peer records them in the block's read set). */
    lastReads: string[] = [];
    /** Every value ever written to world state, for "no private value on the channel" checks. */
    readonly publicWrites: string[] = [];
    now = new Date('2026-03-02T09:00:00Z');
    private txCounter = 0;

    /** Runs one transaction as `who`; writes and the event are committed only if it succeeds. */
    async invoke<T>(who: Identity, fn: (ctx: Context) => Promise<T>, options: InvokeOptions = {}): Promise<T> {
        this.lastReads = [];
        const tx = new FakeTx(this, who, `tx${++this.txCounter}`, options);
        const result = await fn(tx.ctx);
        tx.commit();
        return result;
    }

    getJson(key: string): Record<string, unknown> | undefined {
        const b = this.state.get(key);
        return b ? JSON.parse(b.toString('utf8')) as Record<string, unknown> : undefined;
    }

    getPrivateJson(collection: string, key: string): Record<string, unknown> | undefined {
        const b = this.privateData.get(collection)?.get(key);
        return b ? JSON.parse(b.toString('utf8')) as Record<string, unknown> : undefined;
    }

    /**
     * Drops private values of `type` from a collection but keeps their hashes: a peer of a member organisation that
     * was down while the values were disseminated and has not reconciled them yet.
     */
    losePrivate(collection: string, type: string): string[] {
        const lost = this.privateKeys(collection, type);
        lost.forEach((k) => this.privateData.get(collection)?.delete(k));
        return lost;
    }

    /** Keys of one collection whose composite type is `type`. */
    privateKeys(collection: string, type?: string): string[] {
        return [...(this.privateData.get(collection)?.keys() ?? [])].filter((k) => type === undefined || k.startsWith(`${SEP}${type}${SEP}`));
    }
}

export function compositeKey(type: string, attrs: readonly string[]): string {
    return `${SEP}${type}${SEP}${attrs.map((a) => `${a}${SEP}`).join('')}`;
}

class FakeTx {
    readonly ctx: Context;
    private readonly writes = new Map<string, Buffer | undefined>();
    private readonly privateWrites: { collection: string; key: string; value: Buffer }[] = [];
    private readonly params = new Map<string, Buffer>();
    private event: Emitted | undefined;

    constructor(private readonly ledger: Ledger, who: Identity, private readonly txId: string, options: InvokeOptions) {
        const id = `x509::/C=US/O=${who.mspId}/CN=${who.name}::/C=US/O=${who.mspId}/CN=ca.${who.mspId}`;
        const salt = options.noSalt ? {} : { salt: randomBytes(32).toString('hex') };
        const transient = new Map<string, Uint8Array>(Object.entries({ ...salt, ...options.transient })
            .map(([k, v]) => [k, typeof v === 'string' ? Buffer.from(v) : v]));
        const peerMspId = options.peerMspId ?? who.mspId;
        const at = new Date(ledger.now.getTime());
        const seconds = Math.floor(at.getTime() / 1000);
        const stub = {
            getTxID: () => txId,
            getMspID: () => peerMspId,
            getDateTimestamp: () => new Date(at.getTime()),
            getTxTimestamp: () => ({ seconds, nanos: 0 }),
            getTransient: () => transient,
            createCompositeKey: (type: string, attrs: string[]) => compositeKey(type, attrs),
            splitCompositeKey: (key: string) => {
                const parts = key.split(SEP).slice(1, -1);
                return { objectType: parts[0], attributes: parts.slice(1) };
            },
            getState: async (key: string) => {
                ledger.lastReads.push(key);
                return ledger.state.get(key) ?? Buffer.alloc(0);
            },
            putState: async (key: string, value: Uint8Array) => { this.writes.set(key, Buffer.from(value)); },
            deleteState: async (key: string) => { this.writes.set(key, undefined); },
            getPrivateData: async (collection: string, key: string) => {
                if (!memberOf(collection, peerMspId)) {
                    throw new Error(`GET_STATE failed: tx creator does not have read access permission on privatedata in chaincodeName:tradedocs collectionName: ${collection}`);
                }
                const value = ledger.privateData.get(collection)?.get(key);
                // Like a member peer whose value lags the hash it committed (Fabric's ErrPvtdataNotAvailable).
                if (!value && ledger.privateHashes.get(collection)?.has(key) && ledger.refuseMissingPrivate) {
                    throw new Error('GET_STATE failed: private data matching public hash version is not available. Public hash version = {BlockNum: 7, TxNum: 0}, Private data version = <nil>');
                }
                return value ?? Buffer.alloc(0);
            },
            getPrivateDataHash: async (collection: string, key: string) => ledger.privateHashes.get(collection)?.get(key) ?? Buffer.alloc(0),
            putPrivateData: async (collection: string, key: string, value: Uint8Array) => {
                this.privateWrites.push({ collection, key, value: Buffer.from(value) });
            },
            setStateValidationParameter: async (key: string, ep: Uint8Array) => { this.params.set(key, Buffer.from(ep)); },
            getStateValidationParameter: async (key: string) => ledger.validationParameters.get(key) ?? Buffer.alloc(0),
            setEvent: (name: string, payload: Uint8Array) => {
                this.event = { name, payload: JSON.parse(Buffer.from(payload).toString('utf8')) as Record<string, unknown> };
            },
            getStateByPartialCompositeKeyWithPagination: async (type: string, attrs: string[], pageSize: number, bookmark = '') => {
                const prefix = compositeKey(type, attrs);
                ledger.lastReads.push(prefix);
                const keys = [...ledger.state.keys()].filter((k) => k.startsWith(prefix) && (bookmark === '' || k > bookmark)).sort();
                const page = keys.slice(0, pageSize);
                const more = keys.length > pageSize;
                const iterator = iterate(page.map((k) => ({ namespace: 'tradedocs', key: k, value: ledger.state.get(k) ?? Buffer.alloc(0) })));
                // Like fabric-shim: an empty page ends the index, and the peer's empty metadata reaches us as undefined.
                return page.length === 0 && !more
                    ? { iterator }
                    : { iterator, metadata: { fetchedRecordsCount: page.length, bookmark: more ? (page[page.length - 1] ?? '') : '' } };
            },
            getStateByPartialCompositeKey: async (type: string, attrs: string[]) => {
                const prefix = compositeKey(type, attrs);
                ledger.lastReads.push(prefix);
                const keys = [...ledger.state.keys()].filter((k) => k.startsWith(prefix)).sort();
                return iterate(keys.map((k) => ({ namespace: 'tradedocs', key: k, value: ledger.state.get(k) ?? Buffer.alloc(0) })));
            },
            getHistoryForKey: async (key: string) => iterate([...(ledger.histories.get(key) ?? [])].reverse().map((v) => ({
                txId: v.txId,
                isDelete: v.value === undefined,
                value: v.value ?? Buffer.alloc(0),
                timestamp: { seconds: Math.floor(v.at.getTime() / 1000), nanos: (v.at.getTime() % 1000) * 1e6 },
            }))),
        };
        const clientIdentity = {
            getMSPID: () => who.mspId,
            getID: () => id,
            getAttributeValue: (name: string) => (name === 'role' ? (who.role ?? null) : null),
            assertAttributeValue: (name: string, value: string) => name === 'role' && who.role === value,
        };
        this.ctx = { stub, clientIdentity } as unknown as Context;
    }

    commit(): void {
        const at = new Date(this.ledger.now.getTime());
        for (const [key, value] of this.writes) {
            if (value === undefined) {
                this.ledger.state.delete(key);
            } else {
                this.ledger.state.set(key, value);
                this.ledger.publicWrites.push(value.toString('utf8'));
            }
            const versions = this.ledger.histories.get(key) ?? [];
            versions.push({ txId: this.txId, at, value });
            this.ledger.histories.set(key, versions);
        }
        for (const w of this.privateWrites) {
            const c = this.ledger.privateData.get(w.collection) ?? new Map<string, Buffer>();
            c.set(w.key, w.value);
            this.ledger.privateData.set(w.collection, c);
            const hashes = this.ledger.privateHashes.get(w.collection) ?? new Map<string, Buffer>();
            hashes.set(w.key, createHash('sha256').update(w.value).digest());
            this.ledger.privateHashes.set(w.collection, hashes);
        }
        for (const [key, ep] of this.params) {
            this.ledger.validationParameters.set(key, ep);
        }
        if (this.event) {
            this.ledger.events.push(this.event);
        }
    }
}

/** Written out here, not imported: the drift test compares it with the chaincode's list and the network's JSON. */
export const FAKE_COLLECTION_MEMBERS: Readonly<Record<string, readonly string[]>> = {
    TradePartiesCollection: ['ExporterMSP', 'CarrierMSP', 'CustomsMSP', 'BankMSP'],
    ExporterCustomsBankCollection: ['ExporterMSP', 'CustomsMSP', 'BankMSP'],
    ExporterCustomsCollection: ['ExporterMSP', 'CustomsMSP'],
    ExporterBankCollection: ['ExporterMSP', 'BankMSP'],
    CustomsCollection: ['CustomsMSP'],
};

/** A peer holds (and can read) only the collections its organisation belongs to. */
function memberOf(collection: string, mspId: string): boolean {
    return (FAKE_COLLECTION_MEMBERS[collection] ?? []).includes(mspId);
}

function iterate<T>(items: T[]) {
    let i = 0;
    return {
        next: async () => (i < items.length ? { value: items[i++] as T, done: false } : { value: undefined as unknown as T, done: true }),
        close: async () => undefined,
    };
}

export const EXPORTER: Identity = { mspId: 'ExporterMSP', role: 'exporter', name: 'alice' };
export const FORWARDER: Identity = { mspId: 'ExporterMSP', role: 'forwarder', name: 'fred' };
export const CARRIER: Identity = { mspId: 'CarrierMSP', role: 'carrier_agent', name: 'carl' };
export const CUSTOMS: Identity = { mspId: 'CustomsMSP', role: 'customs_officer', name: 'olga' };
export const SUPERVISOR: Identity = { mspId: 'CustomsMSP', role: 'customs_supervisor', name: 'sam' };
export const BANK_OFFICER: Identity = { mspId: 'BankMSP', role: 'trade_finance_officer', name: 'bob' };
export const BANK_APPROVER: Identity = { mspId: 'BankMSP', role: 'trade_finance_approver', name: 'betty' };
