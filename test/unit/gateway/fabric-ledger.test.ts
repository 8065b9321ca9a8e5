import type * as grpc from '@grpc/grpc-js';
import { type ConnectOptions, type Gateway, StatusCode } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import * as assert from 'node:assert/strict';
import { ApiError, SaturatedError } from '../../../gateway/src/errors';
import { FabricLedger } from '../../../gateway/src/fabric/fabric-ledger';
import { type JournaledTransaction, withJournal } from '../../../gateway/src/fabric/journal';
import { ConcurrencyLimiter } from '../../../gateway/src/fabric/limiter';
import { newPrivateKeyPem } from './fakes';

/** The ledger's answers to qscc for transactions already on it (the fake's qscc knows only these). */
type OnLedger = Map<string, { code: number; block: number }>;

/**
 * A fake Gateway whose contract commits with the given status codes, one per submit attempt. With `ordered`, a
 * resubmitted transaction is refused as SmartBFT orderers refuse one they already ordered, and qscc finds those.
 */
const MISMATCH = { address: 'peer0.bank:7051', mspId: 'BankMSP', message: 'ProposalResponsePayloads do not match' };

function fakeFabric(statusCodes: number[], ordered?: OnLedger, mismatches: { left: number; detail?: { address: string; mspId: string; message: string } } = { left: 0 }) {
    const record = {
        connects: [] as ConnectOptions[], submits: 0, resubmits: [] as string[], closed: 0, checkpoints: [] as unknown[],
        evaluations: [] as string[][], proposals: [] as { fn: string; options: unknown }[], journaled: [] as string[],
    };
    /** Commit-status answers wait for this gate (open unless a test closes it). */
    const gate: { commitGate: Promise<void> } = { commitGate: Promise.resolve() };
    const transaction = (id: string, code: number) => ({
        getTransactionId: () => id,
        getResult: () => Buffer.from(`result of ${id}`),
        getBytes: () => Buffer.from(id),
        submit: async () => {
            record.journaled.push(`submit ${id}`);
            return { getStatus: async () => { await gate.commitGate; return { code, successful: code === StatusCode.VALID, blockNumber: 10n + BigInt(record.submits - 1), transactionId: id }; } };
        },
    });
    const qscc = {
        evaluateTransaction: async (fn: string, _channel: string, txId: string) => {
            const found = ordered?.get(txId);
            if (!found) {
                throw Object.assign(new Error('10 ABORTED: failed to evaluate transaction'), { details: [{ message: `no such transaction ID [${txId}] in index` }] });
            }
            if (fn === 'GetTransactionByID') {
                const processed = new peer.ProcessedTransaction();
                processed.setValidationcode(found.code);
                return processed.serializeBinary();
            }
            const block = new common.Block();
            const header = new common.BlockHeader();
            header.setNumber(found.block);
            block.setHeader(header);
            return block.serializeBinary();
        },
    };
    const contract = {
        evaluateTransaction: async (...args: string[]) => { record.evaluations.push(args); return Buffer.from('ok'); },
        newProposal: (fn: string, options: unknown) => ({
            endorse: async () => {
                record.proposals.push({ fn, options });
                if (mismatches.left > 0) {
                    mismatches.left--;
                    throw Object.assign(new Error('10 ABORTED: failed to collect enough transaction endorsements, see attached details for more info'), {
                        name: 'EndorseError', code: 10, details: [mismatches.detail ?? MISMATCH],
                    });
                }
                const attempt = record.submits++;
                return transaction(`tx${attempt}`, statusCodes[attempt] ?? StatusCode.VALID);
            },
        }),
    };
    const network = {
        getContract: (name: string) => (name === 'qscc' ? qscc : contract),
        getChaincodeEvents: async (_name: string, options: { checkpoint?: unknown }) => {
            record.checkpoints.push(options.checkpoint);
            return { close: () => undefined, async *[Symbol.asyncIterator]() { /* no events */ } };
        },
    };
    const connect = (options: ConnectOptions): Gateway => {
        record.connects.push(options);
        return {
            getNetwork: () => network,
            getIdentity: () => ({ mspId: 'ExporterMSP', credentials: Buffer.from('CERT') }),
            close: () => { record.closed++; },
            // A journaled transaction recreated from its bytes; it commits as the next status code says.
            newTransaction: (bytes: Uint8Array) => {
                const id = Buffer.from(bytes).toString();
                record.resubmits.push(id);
                const recreated = transaction(id, statusCodes[record.submits++] ?? StatusCode.VALID);
                if (ordered) {
                    recreated.submit = async () => {
                        throw Object.assign(new Error('14 UNAVAILABLE: insufficient number of orderers could successfully process transaction'), { name: 'SubmitError', code: 14, transactionId: id, details: [] });
                    };
                }
                return recreated;
            },
        } as unknown as Gateway;
    };
    return { record, connect, set commitGate(wait: Promise<void>) { gate.commitGate = wait; } };
}

function ledgerWith(statusCodes: number[], mvccRetries = 2, ordered?: OnLedger, mismatches = 0, detail?: typeof MISMATCH) {
    const fabric = fakeFabric(statusCodes, ordered, { left: mismatches, detail });
    const key = newPrivateKeyPem();
    let resolved = 0;
    const observed: string[] = [];
    const ledger = new FabricLedger({
        client: { close: () => undefined } as unknown as grpc.Client,
        channel: 'trade', chaincode: 'tradedocs', limiter: new ConcurrencyLimiter(4, 4), mvccRetries,
        identities: async () => { resolved++; return { mspId: 'ExporterMSP', certificatePem: 'CERT', privateKeyPem: key }; },
        observe: (kind, fn, outcome) => observed.push(`${kind} ${fn} ${outcome}`),
        connect: fabric.connect,
    });
    return { ledger, fabric, observed, resolutions: () => resolved };
}

/** A ledger over a fake Fabric whose limiter has one slot and no queue. */
function ledgerWithOneSlot() {
    const fabric = fakeFabric([]);
    const limiter = new ConcurrencyLimiter(1, 0);
    const ledger = new FabricLedger({
        client: { close: () => undefined } as unknown as grpc.Client, channel: 'trade', chaincode: 'tradedocs',
        limiter, mvccRetries: 0, connect: fabric.connect,
        identities: async () => ({ mspId: 'ExporterMSP', certificatePem: 'CERT', privateKeyPem: newPrivateKeyPem() }),
    });
    return { fabric, limiter, ledger };
}

describe('fabric ledger', () => {
    it('ledger, for concurrent first calls of one user, resolves the identity and connects once', async () => {
        const { ledger, fabric, resolutions } = ledgerWith([]);
        await Promise.all([ledger.evaluate('ana', 'probe:whoAmI'), ledger.evaluate('ana', 'probe:whoAmI'), ledger.evaluate('ana', 'probe:whoAmI')]);
        await ledger.evaluate('ben', 'probe:whoAmI');
        assert.equal(resolutions(), 2);
        assert.equal(fabric.record.connects.length, 2);
        assert.equal(Buffer.from(fabric.record.connects[0]!.identity.credentials).toString(), 'CERT');
    });

    it('ledger submit, after MVCC read conflicts within the retry bound, commits and reports the successful attempt', async () => {
        const { ledger, fabric, observed } = ledgerWith([StatusCode.MVCC_READ_CONFLICT, StatusCode.MVCC_READ_CONFLICT, StatusCode.VALID], 2);
        const result = await ledger.submit('ana', 'shipment:create', { arguments: ['S1'] });
        assert.equal(fabric.record.submits, 3);
        assert.equal(result.transactionId, 'tx2');
        assert.equal(result.blockNumber, 12n);
        assert.equal(Buffer.from(result.result).toString(), 'result of tx2');
        assert.deepEqual(observed, ['submit shipment:create OK']);
    });

    it('ledger submit passes arguments, transient data and the endorsing organisations to the proposal', async () => {
        const { ledger, fabric } = ledgerWith([]);
        const content = Buffer.from('secret');
        await ledger.submit('ana', 'billOfLading:transferBillOfLading', { arguments: ['BL-1', 'BankMSP'], transientData: { content }, endorsingOrganizations: ['ExporterMSP', 'CarrierMSP'] });
        assert.deepEqual(fabric.record.proposals, [{
            fn: 'billOfLading:transferBillOfLading',
            options: { arguments: ['BL-1', 'BankMSP'], transientData: { content }, endorsingOrganizations: ['ExporterMSP', 'CarrierMSP'] },
        }]);
    });

    it('ledger submit, when MVCC conflicts outlast the retries, fails with CONFLICT (409) and the last transaction id', async () => {
        const { ledger, fabric, observed } = ledgerWith([StatusCode.MVCC_READ_CONFLICT, StatusCode.PHANTOM_READ_CONFLICT, StatusCode.MVCC_READ_CONFLICT], 1);
        await assert.rejects(ledger.submit('ana', 'shipment:create'), (err: ApiError) => err.code === 'CONFLICT' && err.status === 409 && err.transactionId === 'tx1');
        assert.equal(fabric.record.submits, 2);
        assert.deepEqual(observed, ['submit shipment:create CONFLICT']);
    });

    it('ledger submit, after an endorsement policy failure (a key policy moved in the same block), endorses again', async () => {
        const { ledger, fabric } = ledgerWith([StatusCode.ENDORSEMENT_POLICY_FAILURE, StatusCode.VALID], 2);
        const result = await ledger.submit('ana', 'billOfLading:transferBillOfLading', { arguments: ['BL-1', 'BankMSP'] });
        assert.equal(fabric.record.submits, 2);
        assert.equal(result.transactionId, 'tx1');
    });

    it('ledger submit, for another validation failure, does not retry and names the validation code', async () => {
        const { ledger, fabric } = ledgerWith([StatusCode.BAD_PAYLOAD]);
        await assert.rejects(ledger.submit('ana', 'x'), (err: ApiError) => err.code === 'TRANSACTION_INVALID' && /BAD_PAYLOAD/.test(err.detail));
        assert.equal(fabric.record.submits, 1);
    });

    it('ledger submit within a request journals each transaction before submitting it', async () => {
        const { ledger, fabric } = ledgerWith([]);
        const journal = {
            recovered: () => undefined,
            record: async (index: number, tx: JournaledTransaction) => { fabric.record.journaled.push(`record ${index} ${tx.fn} ${tx.transactionId} ${Buffer.from(tx.bytes, 'base64').toString()}`); },
            discard: async () => assert.fail('nothing is discarded'),
        };
        await withJournal(journal, async () => {
            await ledger.submit('ana', 'shipment:openShipment');
            await ledger.submit('ana', 'document:registerDocument');
        });
        assert.deepEqual(fabric.record.journaled, ['record 0 shipment:openShipment tx0 tx0', 'submit tx0', 'record 1 document:registerDocument tx1 tx1', 'submit tx1']);
    });

    it('ledger submit, for a request retried after the gateway died, resubmits the journaled transaction instead of endorsing anew', async () => {
        const { ledger, fabric } = ledgerWith([]);
        const recorded: string[] = [];
        const journal = {
            recovered: (index: number, fn: string) => (index === 0 && fn === 'shipment:openShipment'
                ? { fn, transactionId: 'tx-before-crash', bytes: Buffer.from('tx-before-crash').toString('base64') } : undefined),
            record: async (index: number, tx: JournaledTransaction) => { recorded.push(`${index} ${tx.transactionId}`); },
            discard: async () => assert.fail('nothing is discarded'),
        };
        const result = await withJournal(journal, () => ledger.submit('ana', 'shipment:openShipment'));
        assert.equal(result.transactionId, 'tx-before-crash');
        assert.equal(Buffer.from(result.result).toString(), 'result of tx-before-crash');
        assert.deepEqual(fabric.record.resubmits, ['tx-before-crash']);
        assert.deepEqual(fabric.record.proposals, [], 'nothing endorsed anew');
        assert.deepEqual(recorded, []);
    });

    it('ledger submit, when SmartBFT orderers refuse the journaled transaction as already processed, answers with the original found on the ledger', async () => {
        const { ledger, fabric } = ledgerWith([], 2, new Map([['tx-ordered', { code: StatusCode.VALID, block: 42 }]]));
        const journal = {
            recovered: (_index: number, fn: string) => ({ fn, transactionId: 'tx-ordered', bytes: Buffer.from('tx-ordered').toString('base64') }),
            record: async () => assert.fail('nothing new is journaled'),
            discard: async () => assert.fail('nothing is discarded'),
        };
        const result = await withJournal(journal, () => ledger.submit('ana', 'shipment:openShipment'));
        assert.equal(result.transactionId, 'tx-ordered');
        assert.equal(result.blockNumber, 42n);
        assert.equal(Buffer.from(result.result).toString(), 'result of tx-ordered');
        assert.deepEqual(fabric.record.proposals, [], 'nothing endorsed anew');
    });

    it('ledger submit, when the orderers refuse the journaled transaction and it is not on the ledger, answers 503 to retry later', async () => {
        const { ledger } = ledgerWith([], 2, new Map());
        const journal = {
            recovered: (_index: number, fn: string) => ({ fn, transactionId: 'tx-pending', bytes: Buffer.from('tx-pending').toString('base64') }),
            record: async () => undefined,
            discard: async () => assert.fail('nothing is discarded'),
        };
        await assert.rejects(withJournal(journal, () => ledger.submit('ana', 'shipment:openShipment')),
            (err: ApiError) => err.code === 'UNAVAILABLE' && err.status === 503 && err.transactionId === 'tx-pending');
    });

    it('ledger submit, when the recovered transaction lost an MVCC race, endorses a new one and journals it in its place', async () => {
        const { ledger, fabric } = ledgerWith([StatusCode.MVCC_READ_CONFLICT]);
        const recorded: string[] = [];
        const journal = {
            recovered: (_index: number, fn: string) => ({ fn, transactionId: 'tx-old', bytes: Buffer.from('tx-old').toString('base64') }),
            record: async (index: number, tx: JournaledTransaction) => { recorded.push(`${index} ${tx.transactionId}`); },
            discard: async () => assert.fail('nothing is discarded'),
        };
        const result = await withJournal(journal, () => ledger.submit('ana', 'shipment:cancelShipment'));
        assert.deepEqual(fabric.record.resubmits, ['tx-old']);
        assert.equal(result.transactionId, 'tx1');
        assert.deepEqual(recorded, ['0 tx1']);
    });

    it('ledger submit, when the transaction is invalidated for good (conflicts outlast the retries, or another code), discards it from the journal so the retry endorses anew', async () => {
        for (const [codes, expected] of [[[StatusCode.MVCC_READ_CONFLICT], 'CONFLICT'], [[StatusCode.BAD_PAYLOAD], 'TRANSACTION_INVALID']] as const) {
            const { ledger } = ledgerWith([...codes], 0);
            const events: string[] = [];
            const journal = {
                recovered: () => undefined,
                record: async (index: number, tx: JournaledTransaction) => { events.push(`record ${index} ${tx.transactionId}`); },
                discard: async (index: number) => { events.push(`discard ${index}`); },
            };
            await assert.rejects(withJournal(journal, () => ledger.submit('ana', 'shipment:cancelShipment')), (err: ApiError) => err.code === expected && err.retryable);
            assert.deepEqual(events, ['record 0 tx0', 'discard 0'], expected);
        }
    });

    it('ledger submit, when the endorsing peers answer differently (one a block behind), endorses again; after 3 retries answers a retryable 503', async function () {
        this.timeout(10_000); // the retries pause 0.25, 0.5 and 0.75 s
        const { ledger, fabric } = ledgerWith([], 2, undefined, 2);
        const result = await ledger.submit('ana', 'financing:examineFinancing', { arguments: ['F-1'] });
        assert.equal(fabric.record.proposals.length, 3);
        assert.equal(result.transactionId, 'tx0');
        const stuck = ledgerWith([], 2, undefined, 10);
        await assert.rejects(stuck.ledger.submit('ana', 'financing:examineFinancing'), (err: ApiError) => err.code === 'UNAVAILABLE' && err.status === 503 && err.retryable);
        assert.equal(stuck.fabric.record.proposals.length, 4);
        assert.equal(stuck.fabric.record.submits, 0, 'nothing was submitted');
    });

    it('ledger submit, when only another organisation\'s endorsing peer does not know the record yet (a block behind), endorses again; its own peer\'s NOT_FOUND is final', async function () {
        this.timeout(10_000);
        const behind = { address: 'peer0.customs:7051', mspId: 'CustomsMSP', message: 'chaincode response 500, NOT_FOUND: shipment SHP-1 does not exist' };
        const { ledger, fabric } = ledgerWith([], 2, undefined, 2, behind);
        assert.equal((await ledger.submit('ana', 'declaration:lodgeDeclaration', { arguments: ['D-1'] })).transactionId, 'tx0');
        assert.equal(fabric.record.proposals.length, 3);
        const own = ledgerWith([], 2, undefined, 10, { ...behind, address: 'peer0.exporter:7051', mspId: 'ExporterMSP' });
        await assert.rejects(own.ledger.submit('ana', 'declaration:lodgeDeclaration'), (err: ApiError) => err.code === 'NOT_FOUND' && err.status === 404);
        assert.equal(own.fabric.record.proposals.length, 1, 'no retry when this organisation\'s own peer does not know the record');
    });

    it('ledger, when the limiter is saturated, refuses with SaturatedError without calling the peer', async () => {
        const { fabric, limiter, ledger } = ledgerWithOneSlot();
        let release!: () => void;
        const busy = limiter.run(() => new Promise<void>((resolve) => { release = resolve; }));
        await assert.rejects(ledger.evaluate('ana', 'probe:whoAmI'), SaturatedError);
        release();
        await busy;
        assert.equal(fabric.record.evaluations.length, 0);
    });

    it('ledger submit holds a limiter slot while endorsing and submitting, not while waiting for the commit', async () => {
        const { fabric, limiter, ledger } = ledgerWithOneSlot();
        let commit!: () => void;
        fabric.commitGate = new Promise<void>((resolve) => { commit = resolve; });
        const writing = ledger.submit('ana', 'shipment:openShipment');
        await new Promise((resolve) => setImmediate(resolve));
        await ledger.evaluate('ana', 'probe:whoAmI');
        assert.equal(limiter.load.active, 0, 'the slot is free while the write waits for its block');
        commit();
        assert.equal((await writing).transactionId, 'tx0');
    });

    it('ledger events resume from a checkpoint at the given block and transaction', async () => {
        const { ledger, fabric } = ledgerWith([]);
        await ledger.events('ana', { blockNumber: 7n, transactionId: 'tx9' });
        await ledger.events('ana');
        const checkpoint = fabric.record.checkpoints[0] as { getBlockNumber(): bigint; getTransactionId(): string };
        assert.equal(checkpoint.getBlockNumber(), 7n);
        assert.equal(checkpoint.getTransactionId(), 'tx9');
        assert.equal(fabric.record.checkpoints[1], undefined);
    });

    it('ledger forget closes the user\'s gateway and the next call connects again', async () => {
        const { ledger, fabric } = ledgerWith([]);
        await ledger.evaluate('ana', 'probe:whoAmI');
        ledger.forget('ana');
        await new Promise((resolve) => setImmediate(resolve));
        assert.equal(fabric.record.closed, 1);
        await ledger.evaluate('ana', 'probe:whoAmI');
        assert.equal(fabric.record.connects.length, 2);
    });
});
