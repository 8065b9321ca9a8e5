/**
 * The network's own check: proves end to end that endorsement across organisations, private data dissemination
 * and the `role` attribute of CA-issued certificates work. The trade contract builds on the same pieces.
 */
import { Context, Contract, Info, Returns, Transaction } from 'fabric-contract-api';
import { COLLECTION_MEMBERS } from './collections';
import { ContractError } from './errors';
import { checkPrivateWritePeer, writePrivate } from './ledger';
import { canonicalJson } from './json';

const RECORD_PREFIX = 'probe';
const MAX_VALUE_LENGTH = 4096;

interface Caller { mspId: string; role: string; id: string }

function caller(ctx: Context): Caller {
    const role = ctx.clientIdentity.getAttributeValue('role');
    if (!role) {
        throw new ContractError('FORBIDDEN', 'the caller certificate carries no role attribute');
    }
    return { mspId: ctx.clientIdentity.getMSPID(), role, id: ctx.clientIdentity.getID() };
}

function checkText(field: string, value: string, max: number): void {
    if (value.length === 0 || value.length > max) {
        throw new ContractError('INVALID_ARGUMENT', `${field} must be 1 to ${max} characters`);
    }
}

function checkId(id: string): void {
    if (!/^[A-Za-z0-9._-]{1,64}$/.test(id)) {
        throw new ContractError('INVALID_ARGUMENT', 'id must be 1 to 64 letters, digits, dots, dashes or underscores');
    }
}

function members(collection: string): readonly string[] {
    const list = COLLECTION_MEMBERS[collection];
    if (!list) {
        throw new ContractError('INVALID_ARGUMENT', `unknown collection ${collection}`);
    }
    return list;
}

@Info({ title: 'Probe', description: 'Network self-check: endorsement, private data, identity attributes' })
export class ProbeContract extends Contract {
    constructor() {
        super('probe');
    }

    @Transaction(false)
    @Returns('string')
    public async whoAmI(ctx: Context): Promise<string> {
        return canonicalJson(caller(ctx));
    }

    @Transaction()
    public async putRecord(ctx: Context, id: string, value: string): Promise<void> {
        checkId(id);
        checkText('value', value, MAX_VALUE_LENGTH);
        const who = caller(ctx);
        const key = ctx.stub.createCompositeKey(RECORD_PREFIX, [id]);
        if ((await ctx.stub.getState(key)).length > 0) {
            throw new ContractError('ALREADY_EXISTS', `record ${id} exists`);
        }
        const record = { id, value, writtenBy: who, txId: ctx.stub.getTxID(), writtenAt: ctx.stub.getDateTimestamp().toISOString() };
        await ctx.stub.putState(key, Buffer.from(canonicalJson(record)));
        ctx.stub.setEvent('ProbeRecordWritten', Buffer.from(canonicalJson({ id, txId: record.txId })));
    }

    @Transaction(false)
    @Returns('string')
    public async getRecord(ctx: Context, id: string): Promise<string> {
        checkId(id);
        const bytes = await ctx.stub.getState(ctx.stub.createCompositeKey(RECORD_PREFIX, [id]));
        if (bytes.length === 0) {
            throw new ContractError('NOT_FOUND', `record ${id} does not exist`);
        }
        return bytes.toString();
    }

    /** The value comes in the transient map (key `value`), so it is never recorded in a block. */
    @Transaction()
    public async putPrivate(ctx: Context, collection: string, id: string): Promise<void> {
        checkId(id);
        const who = caller(ctx);
        checkPrivateWritePeer(who.mspId, ctx.stub.getMspID(), collection);
        const value = ctx.stub.getTransient().get('value');
        if (!value || value.length === 0) {
            throw new ContractError('INVALID_ARGUMENT', 'transient field value is required');
        }
        checkText('value', Buffer.from(value).toString(), MAX_VALUE_LENGTH);
        const key = ctx.stub.createCompositeKey(RECORD_PREFIX, [id]);
        // Salted like every private value (ledger.ts writePrivate): the transient map carries `salt` too.
        await writePrivate(ctx, who, collection, key, { id, value: Buffer.from(value).toString(), writtenBy: who });
    }

    @Transaction(false)
    @Returns('string')
    public async getPrivate(ctx: Context, collection: string, id: string): Promise<string> {
        checkId(id);
        const who = caller(ctx);
        if (!members(collection).includes(who.mspId)) {
            throw new ContractError('FORBIDDEN', `${who.mspId} is not a member of ${collection}`);
        }
        const bytes = await ctx.stub.getPrivateData(collection, ctx.stub.createCompositeKey(RECORD_PREFIX, [id]));
        if (!bytes || bytes.length === 0) {
            throw new ContractError('NOT_FOUND', `private record ${id} does not exist in ${collection}`);
        }
        return Buffer.from(bytes).toString();
    }
}
