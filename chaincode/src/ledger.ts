/**
 * Ledger helpers shared by the contracts: deterministic JSON state, private data written only through the caller's
 * own peer, the transient map, one event per transaction, paged index queries and key history.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'fabric-contract-api';
import { COLLECTION_MEMBERS } from './collections';
import { ContractError } from './errors';
import { canonicalJson } from './json';
import { type Index, listIndexIds } from './keys';
import type { Situation } from './lifecycle';
import type { Caller } from './permissions';
import { LIMITS } from './validation';

/** Who did something and when, stamped on every record we write. */
export interface Stamp { mspId: string; role: string; id: string; at: string; txId: string }

/** Transaction time: the proposal's timestamp, the same on every endorser (never the peer's clock). */
export function txTime(ctx: Context): string {
    return ctx.stub.getDateTimestamp().toISOString();
}

export function stamp(ctx: Context, who: Caller): Stamp {
    return { mspId: who.mspId, role: who.role, id: who.id, at: txTime(ctx), txId: ctx.stub.getTxID() };
}

/** The caller and the transaction's day, as the status machines' conditions see them (lifecycle.ts). */
export function situation(ctx: Context, who: Caller): Situation {
    return { who, today: txTime(ctx).slice(0, 10) };
}

export function sha256(data: Uint8Array | string): string {
    return createHash('sha256').update(data).digest('hex');
}

export async function readState<T>(ctx: Context, k: string): Promise<T | undefined> {
    const bytes = await ctx.stub.getState(k);
    return bytes && bytes.length > 0 ? (JSON.parse(Buffer.from(bytes).toString('utf8')) as T) : undefined;
}

export async function mustRead<T>(ctx: Context, k: string, what: string): Promise<T> {
    const value = await readState<T>(ctx, k);
    if (value === undefined) {
        throw new ContractError('NOT_FOUND', `${what} does not exist`);
    }
    return value;
}

export async function exists(ctx: Context, k: string): Promise<boolean> {
    const bytes = await ctx.stub.getState(k);
    return Boolean(bytes && bytes.length > 0);
}

export async function writeState(ctx: Context, k: string, value: unknown): Promise<void> {
    await ctx.stub.putState(k, Buffer.from(canonicalJson(value)));
}

export function requireMember(who: Caller, collection: string): void {
    if (!(COLLECTION_MEMBERS[collection] ?? []).includes(who.mspId)) {
        throw new ContractError('FORBIDDEN', `${who.mspId} is not a member of ${collection}`);
    }
}

/**
 * A private write is accepted from a member organisation's client and endorsed only on member peers. Not "only the
 * caller's own peer" (fabric-samples): the chaincode policy needs two organisations, so the second member's peer must
 * endorse too; non-member peers never see the data.
 */
export function checkPrivateWritePeer(callerMspId: string, peerMspId: string, collection: string): void {
    const members = COLLECTION_MEMBERS[collection] ?? [];
    if (!members.includes(callerMspId)) {
        throw new ContractError('FORBIDDEN', `${callerMspId} is not a member of ${collection}`);
    }
    if (!members.includes(peerMspId)) {
        throw new ContractError('FORBIDDEN', `private data of ${collection} must be written through a member's peer, not ${peerMspId}`);
    }
}

/** Transient `salt`: random hex from the gateway, at least 128 bits (chaincode code must be deterministic, so it cannot draw one). */
export const SALT_PATTERN = /^[0-9a-f]{32,128}$/;

function requireSalt(ctx: Context): string {
    const salt = transientBytes(ctx, 'salt')?.toString('utf8');
    if (salt === undefined || !SALT_PATTERN.test(salt)) {
        throw new ContractError('INVALID_ARGUMENT', 'transient salt is required: 32 to 128 lowercase hex digits (at least 128 random bits)');
    }
    return salt;
}

/**
 * Writes a private value with the transaction's salt inside it and returns the SHA-256 of the bytes written. The
 * block carries that hash (Fabric's private write set) and public records may quote it: without the salt a small
 * value (an amount, a tenor, a date) could be found from its hash by trying every candidate.
 */
export async function writePrivate(ctx: Context, who: Caller, collection: string, k: string, value: object): Promise<string> {
    checkPrivateWritePeer(who.mspId, ctx.stub.getMspID(), collection);
    const bytes = Buffer.from(canonicalJson({ ...value, salt: requireSalt(ctx) }));
    await ctx.stub.putPrivateData(collection, k, bytes);
    return sha256(bytes);
}

/**
 * A private value as this peer holds it, or undefined when it was never written. When the value is not here but its
 * hash is (every peer has the hashes: they are in the block), the write happened and this peer has not received the
 * value yet: it was down or unreachable when the value was disseminated and reconciliation has not fetched it. That is
 * UNAVAILABLE (retry later), never "absent": an examination would otherwise report documents that state nothing.
 */
export async function readPrivate<T>(ctx: Context, collection: string, k: string, what: string): Promise<T | undefined> {
    let bytes: Uint8Array;
    try {
        bytes = await ctx.stub.getPrivateData(collection, k);
    } catch (err) {
        // A member peer refuses the read itself when it holds the hash of a newer version than the value it has
        // (Fabric's ErrPvtdataNotAvailable); a non-member peer answers nothing and the hash check below decides.
        if (err instanceof Error && PVTDATA_NOT_AVAILABLE.test(err.message)) {
            throw unavailable(what, collection);
        }
        throw err;
    }
    if (bytes && bytes.length > 0) {
        return JSON.parse(Buffer.from(bytes).toString('utf8')) as T;
    }
    const hash = await ctx.stub.getPrivateDataHash(collection, k);
    if (hash && hash.length > 0) {
        throw unavailable(what, collection);
    }
    return undefined;
}

const PVTDATA_NOT_AVAILABLE = /private data matching public hash version is not available/;

function unavailable(what: string, collection: string): ContractError {
    return new ContractError('UNAVAILABLE', `${what} is written on the ledger but not yet on this peer (private data still to be received from ${collection} members); retry shortly`);
}

/** As readPrivate, and NOT_FOUND when the value was never written. */
export async function mustReadPrivate<T>(ctx: Context, collection: string, k: string, what: string): Promise<T> {
    const value = await readPrivate<T>(ctx, collection, k, what);
    if (value === undefined) {
        throw new ContractError('NOT_FOUND', `${what} does not exist`);
    }
    return value;
}

/** Raw bytes from the transient map; `undefined` when absent. */
export function transientBytes(ctx: Context, name: string): Buffer | undefined {
    const value = ctx.stub.getTransient().get(name);
    if (!value || value.length === 0) {
        return undefined;
    }
    if (value.length > LIMITS.transientBytes) {
        throw new ContractError('INVALID_ARGUMENT', `transient ${name} must be at most ${LIMITS.transientBytes} bytes`);
    }
    return Buffer.from(value);
}

export function requireTransient(ctx: Context, name: string): Buffer {
    const value = transientBytes(ctx, name);
    if (!value) {
        throw new ContractError('INVALID_ARGUMENT', `transient ${name} is required`);
    }
    return value;
}

/**
 * The single event of a transaction. Events are in the block, so every member reads all of them through its own
 * peer: they carry only what the record's public state shows every member (type, record, id, shipment, status).
 */
export interface TradeEvent { type: string; record: string; id: string; shipmentId: string; status: string }

export function emit(ctx: Context, event: TradeEvent): void {
    ctx.stub.setEvent(event.type, Buffer.from(canonicalJson({ ...event, txId: ctx.stub.getTxID() })));
}

/** One page of an index query. */
export interface Page<T> { records: T[]; fetchedRecordsCount: number; bookmark: string }

export function parsePageSize(value: string): number {
    const n = Number(value);
    if (!/^\d{1,3}$/.test(value) || n < 1 || n > 100) {
        throw new ContractError('INVALID_ARGUMENT', 'pageSize must be a whole number from 1 to 100');
    }
    return n;
}

/** Pages through one group of an index and loads the record each entry names (the last key attribute). */
export async function pageIndex<T>(ctx: Context, ix: Index<readonly [string]>, group: string, size: number, bookmark: string,
    load: (id: string) => Promise<T | undefined>): Promise<Page<T>> {
    if (bookmark.length > 1024) {
        throw new ContractError('INVALID_ARGUMENT', 'bookmark must be at most 1024 characters');
    }
    const { iterator, metadata } = await ctx.stub.getStateByPartialCompositeKeyWithPagination(ix.type, [group], size, bookmark);
    const records: T[] = [];
    try {
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
            const parts = ctx.stub.splitCompositeKey(r.value.key).attributes;
            const recordId = parts[parts.length - 1];
            const record = recordId === undefined ? undefined : await load(recordId);
            if (record !== undefined) {
                records.push(record);
            }
        }
    } finally {
        await iterator.close();
    }
    // The shim leaves metadata undefined when the peer sends an empty one (an empty page at the end of the index).
    const page = metadata as { fetchedRecordsCount?: number; bookmark?: string } | undefined;
    return { records, fetchedRecordsCount: page?.fetchedRecordsCount ?? records.length, bookmark: page?.bookmark ?? '' };
}

/** Every record an index group names, in key order (a shipment's B/Ls, declarations, ...: a handful each). */
export async function listIndex<T>(ctx: Context, ix: Index<readonly [string]>, group: string, load: (id: string) => Promise<T | undefined>): Promise<T[]> {
    const records: T[] = [];
    for (const [id] of await listIndexIds(ctx, ix, [group])) {
        const record = id === undefined ? undefined : await load(id);
        if (record !== undefined) {
            records.push(record);
        }
    }
    return records;
}

/** Every version of a key, oldest first: the value written, when and in which transaction. */
export interface HistoryEntry { txId: string; timestamp: string; isDelete: boolean; value: unknown }

export async function history(ctx: Context, k: string): Promise<HistoryEntry[]> {
    const iterator = await ctx.stub.getHistoryForKey(k);
    const entries: HistoryEntry[] = [];
    try {
        for (let r = await iterator.next(); !r.done; r = await iterator.next()) {
            const m = r.value;
            const millis = Number(m.timestamp.seconds) * 1000 + Math.floor(m.timestamp.nanos / 1e6);
            const bytes = Buffer.from(m.value ?? []);
            entries.push({
                txId: m.txId,
                timestamp: new Date(millis).toISOString(),
                isDelete: m.isDelete,
                value: bytes.length > 0 ? JSON.parse(bytes.toString('utf8')) : null,
            });
        }
    } finally {
        await iterator.close();
    }
    // The peer returns newest first by block and transaction number (Fabric >= 2.0): reversed, that is the commit
    // order. Timestamps are the clients' own clocks and may disagree with it (skew, equal milliseconds).
    return entries.reverse();
}
