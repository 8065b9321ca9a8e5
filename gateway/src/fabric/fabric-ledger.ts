/**
 * The Ledger over @hyperledger/fabric-gateway: one gRPC connection to the organisation's peer for the life of the
 * process, one Gateway per person (their key parsed once), bounded concurrency, bounded MVCC retries and error
 * translation in one place. Every peer slot this gateway can hold is bounded: calls (the limiter), commit-status waits
 * (their own limiter) and the one chaincode-events stream plus the readiness probe (see config.ts OTHER_PEER_SLOTS).
 */
import * as grpc from '@grpc/grpc-js';
import { type ConnectOptions, type Contract, type ErrorDetail, type Gateway, StatusCode, connect } from '@hyperledger/fabric-gateway';
import { common, peer } from '@hyperledger/fabric-protos';
import { ApiError, ConcurrentUpdateError, EndorsementMismatchError } from '../errors';
import { nextSubmission } from './journal';
import { newSigner } from './signer';
import type { ConcurrencyLimiter } from './limiter';
import type { EventPosition, EventStream, IdentityResolver, Ledger, PeerProbe, SigningIdentity, SubmitOptions, SubmitResult } from './ledger';
import { isCreatorRefusal, isLaggingEndorser, isPeerConcurrencyRefusal, translateFabricError } from './translate';

/** Called after every ledger call, for metrics: outcome is `OK` or the error code. */
export type CallObserver = (kind: 'evaluate' | 'submit', fn: string, outcome: string, seconds: number) => void;

export interface FabricLedgerOptions {
    readonly client: grpc.Client;
    readonly channel: string;
    readonly chaincode: string;
    readonly identities: IdentityResolver;
    readonly limiter: ConcurrencyLimiter;
    /** Bounds commit-status waits (each holds a peer slot); a wait never fails here, it queues. */
    readonly commitWaits?: ConcurrencyLimiter;
    readonly mvccRetries: number;
    readonly observe?: CallObserver;
    /** fabric-gateway's connect; tests pass a fake. */
    readonly connect?: typeof connect;
}

// Deadlines as the integration harness uses them: endorsement runs the chaincode on two organisations' peers.
const DEADLINES: Pick<ConnectOptions, 'evaluateOptions' | 'endorseOptions' | 'submitOptions' | 'commitStatusOptions'> = {
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 10_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
};

export interface PeerConnection {
    readonly endpoint: string;
    readonly tlsRootPem: Buffer;
    /** The name the peer's TLS certificate carries when the endpoint is an address it does not name. */
    readonly hostAlias?: string;
    readonly maxReceiveMessageBytes: number;
    readonly maxSendMessageBytes: number;
}

/**
 * One TLS connection to the peer. Keepalive pings every 2 minutes: the peer disconnects clients that ping more often
 * than its 60 s minimum; pings only while calls (event streams) are open. Reconnect attempts back off to at most 5 s
 * (gRPC's default is 120 s), so the gateway is serving again within seconds of its peer coming back.
 */
export function createPeerClient(peer: PeerConnection): grpc.Client {
    return new grpc.Client(peer.endpoint, grpc.credentials.createSsl(peer.tlsRootPem), {
        'grpc.keepalive_time_ms': 120_000,
        'grpc.keepalive_timeout_ms': 20_000,
        'grpc.keepalive_permit_without_calls': 0,
        'grpc.max_reconnect_backoff_ms': 5_000,
        'grpc.max_receive_message_length': peer.maxReceiveMessageBytes,
        'grpc.max_send_message_length': peer.maxSendMessageBytes,
        ...(peer.hostAlias ? { 'grpc.ssl_target_name_override': peer.hostAlias, 'grpc.default_authority': peer.hostAlias } : {}),
    });
}

/** The name under which the ledger signs as the gateway's own service identity (not a person; no login). */
export const SERVICE_IDENTITY = '#service';
const PROBE_DEADLINE_MS = 3_000;

/**
 * Invalidations that mean "the state moved under the transaction", so endorsing again on the new state is safe:
 * read conflicts, and ENDORSEMENT_POLICY_FAILURE, which is what a key-level policy changed earlier in the same block
 * causes (a B/L changing hands concurrently: its new holder's peer did not endorse). Nothing was written; the
 * chaincode then judges the new state.
 */
const RETRYABLE_AT_COMMIT = new Set<number>([StatusCode.MVCC_READ_CONFLICT, StatusCode.PHANTOM_READ_CONFLICT, StatusCode.ENDORSEMENT_POLICY_FAILURE]);

export class FabricLedger implements Ledger {
    private readonly gateways = new Map<string, Promise<Gateway>>();

    constructor(private readonly options: FabricLedgerOptions) {}

    async evaluate(user: string, fn: string, args: readonly string[] = []): Promise<Uint8Array> {
        const contract = this.contractOf(await this.gateway(user));
        return this.observed('evaluate', fn, () => this.options.limiter.run(() => contract.evaluateTransaction(fn, ...args)));
    }

    async submit(user: string, fn: string, options: SubmitOptions = {}): Promise<SubmitResult> {
        const gateway = await this.gateway(user);
        const contract = this.contractOf(gateway);
        const slot = nextSubmission();
        return this.observed('submit', fn, async () => {
            for (let attempt = 0; ; attempt++) {
                const previous = attempt === 0 ? slot?.journal.recovered(slot.index, fn) : undefined;
                // The limiter bounds the work the peer does for us (endorsing, ordering), not the wait for the block:
                // commit-status calls only listen, and counting them capped writes at slots ÷ commit latency.
                const { transaction, submitted, onLedger } = await this.options.limiter.run(async () => {
                    // A transaction the request's previous attempt journaled goes again as it was: same id, so Fabric
                    // commits it at most once, whether or not the first submit reached the orderer.
                    const tx = previous
                        ? gateway.newTransaction(Buffer.from(previous.bytes, 'base64'))
                        : await endorseConverged(gateway.getIdentity().mspId, () => contract.newProposal(fn, {
                            arguments: [...(options.arguments ?? [])],
                            transientData: options.transientData,
                            endorsingOrganizations: options.endorsingOrganizations ? [...options.endorsingOrganizations] : undefined,
                        }).endorse());
                    if (slot && !previous) {
                        await slot.journal.record(slot.index, {
                            fn, transactionId: tx.getTransactionId(), bytes: Buffer.from(tx.getBytes()).toString('base64'),
                        });
                    }
                    try {
                        return { transaction: tx, submitted: await tx.submit(), onLedger: undefined };
                    } catch (err) {
                        // SmartBFT orderers refuse a transaction they have already ordered ("request already
                        // processed") where Raft orders it again as a DUPLICATE_TXID: look for the original.
                        const found = previous ? await this.findOnLedger(gateway, tx.getTransactionId()) : undefined;
                        if (!found) {
                            throw err;
                        }
                        return { transaction: tx, submitted: undefined, onLedger: found };
                    }
                });
                const waitForCommit = (): Promise<{ successful: boolean; code: number; blockNumber: bigint }> => (submitted as NonNullable<typeof submitted>).getStatus();
                const status = onLedger ?? await (this.options.commitWaits ? this.options.commitWaits.run(waitForCommit) : waitForCommit());
                const transactionId = transaction.getTransactionId();
                if (status.successful) {
                    return { result: transaction.getResult(), transactionId, blockNumber: status.blockNumber };
                }
                const final = !RETRYABLE_AT_COMMIT.has(status.code) || attempt >= this.options.mvccRetries;
                if (final) {
                    // Invalidated, so not on the ledger: the request's retry must endorse anew, not resubmit this one.
                    await slot?.journal.discard(slot.index);
                }
                if (!RETRYABLE_AT_COMMIT.has(status.code)) {
                    throw new ApiError('TRANSACTION_INVALID', `transaction ${transactionId} was invalidated at commit (${statusName(status.code)})`, { transactionId });
                }
                if (final) {
                    throw new ConcurrentUpdateError(attempt + 1, transactionId);
                }
            }
        });
    }

    async events(user: string, after?: EventPosition): Promise<EventStream> {
        const gateway = await this.gateway(user);
        const network = gateway.getNetwork(this.options.channel);
        // The peer skips events up to and including `transactionId` in `blockNumber`: resume without loss or repeat.
        const checkpoint = after && { getBlockNumber: () => after.blockNumber, getTransactionId: () => after.transactionId };
        const source = await network.getChaincodeEvents(this.options.chaincode, checkpoint ? { checkpoint } : {}).catch((err: unknown) => {
            throw translateFabricError(err);
        });
        return {
            async *[Symbol.asyncIterator]() {
                for await (const event of source) {
                    yield { blockNumber: event.blockNumber, transactionId: event.transactionId, eventName: event.eventName, payload: event.payload };
                }
            },
            close: () => source.close(),
        };
    }

    async chainHeight(user: string): Promise<bigint> {
        const bytes = await this.systemQuery(user, 'GetChainInfo', [this.options.channel]);
        return BigInt(common.BlockchainInfo.deserializeBinary(bytes).getHeight());
    }

    /** The committed definition's sequence of the gateway's chaincode; fails when it is not defined on the channel. */
    async chaincodeSequence(user: string): Promise<bigint> {
        const args = new peer.lifecycle.QueryChaincodeDefinitionArgs();
        args.setName(this.options.chaincode);
        const contract = (await this.gateway(user)).getNetwork(this.options.channel).getContract('_lifecycle');
        const bytes = await this.observed('evaluate', '_lifecycle:QueryChaincodeDefinition', () => contract.evaluateTransaction('QueryChaincodeDefinition', args.serializeBinary()));
        return BigInt(peer.lifecycle.QueryChaincodeDefinitionResult.deserializeBinary(bytes).getSequence());
    }

    async block(user: string, number: bigint): Promise<Uint8Array> {
        return this.systemQuery(user, 'GetBlockByNumber', [this.options.channel, number.toString()]);
    }

    /**
     * Asks the peer for the chain height as the service identity, past the limiter (a saturated gateway is still a
     * ready one) with a short deadline: distinguishes a peer that answers, one that refuses at its concurrency limit,
     * and one that cannot be reached.
     */
    async probe(): Promise<PeerProbe> {
        try {
            const gateway = await this.gateway(SERVICE_IDENTITY);
            const info = await gateway.getNetwork(this.options.channel).getContract('qscc')
                .evaluateTransaction('GetChainInfo', this.options.channel);
            return { state: 'ok', height: BigInt(common.BlockchainInfo.deserializeBinary(info).getHeight()) };
        } catch (err) {
            const e = err as { message?: string; code?: unknown; details?: { message: string }[] };
            const texts = [e.message ?? '', ...(e.details ?? []).map((d) => d.message)];
            if (texts.some((message) => isPeerConcurrencyRefusal({ message, code: e.code }))) {
                return { state: 'refusing', reason: 'the peer refuses calls at its concurrency limit' };
            }
            return { state: 'unreachable', reason: translateFabricError(err).detail };
        }
    }

    /**
     * Whether the peer accepts `identity` now (a one-off signer, not cached): `refused` when the peer rejects its
     * certificate, `unknown` when the peer could not be asked. Used to see a revocation reach the channel.
     */
    async checkIdentity(identity: SigningIdentity): Promise<'accepted' | 'refused' | 'unknown'> {
        const gateway = (this.options.connect ?? connect)({
            client: this.options.client,
            identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificatePem) },
            ...newSigner(identity.privateKeyPem),
            evaluateOptions: () => ({ deadline: Date.now() + PROBE_DEADLINE_MS }),
        });
        try {
            await gateway.getNetwork(this.options.channel).getContract('qscc').evaluateTransaction('GetChainInfo', this.options.channel);
            return 'accepted';
        } catch (err) {
            // Only the peer's MSP rejecting the certificate counts: any other failure says nothing about it.
            return isCreatorRefusal(err as Error) ? 'refused' : 'unknown';
        } finally {
            gateway.close();
        }
    }

    forget(user: string): void {
        const cached = this.gateways.get(user);
        this.gateways.delete(user);
        cached?.then((g) => g.close(), () => undefined).catch(() => undefined);
    }

    close(): void {
        for (const user of [...this.gateways.keys()]) {
            this.forget(user);
        }
        this.options.client.close();
    }

    /** The validation code and block of a transaction already on the ledger, from the peer's qscc; undefined if absent. */
    private async findOnLedger(gateway: Gateway, transactionId: string): Promise<{ successful: boolean; code: number; blockNumber: bigint } | undefined> {
        const qscc = gateway.getNetwork(this.options.channel).getContract('qscc');
        let processed: peer.ProcessedTransaction;
        try {
            processed = peer.ProcessedTransaction.deserializeBinary(await qscc.evaluateTransaction('GetTransactionByID', this.options.channel, transactionId));
        } catch (err) {
            if (err instanceof Error && /no such transaction ID/.test(JSON.stringify((err as { details?: unknown }).details ?? '') + err.message)) {
                return undefined;
            }
            throw err;
        }
        const block = common.Block.deserializeBinary(await qscc.evaluateTransaction('GetBlockByTxID', this.options.channel, transactionId));
        const code = processed.getValidationcode();
        return { successful: code === StatusCode.VALID, code, blockNumber: BigInt(block.getHeader()?.getNumber() ?? 0) };
    }

    private contractOf(gateway: Gateway): Contract {
        return gateway.getNetwork(this.options.channel).getContract(this.options.chaincode);
    }

    /** One Gateway per person; concurrent first calls share the same promise so the key is parsed once. */
    private gateway(user: string): Promise<Gateway> {
        let cached = this.gateways.get(user);
        if (!cached) {
            const connectGateway = this.options.connect ?? connect;
            cached = this.options.identities(user).then((identity) => connectGateway({
                client: this.options.client,
                identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificatePem) },
                ...newSigner(identity.privateKeyPem),
                ...DEADLINES,
                ...(user === SERVICE_IDENTITY ? { evaluateOptions: () => ({ deadline: Date.now() + PROBE_DEADLINE_MS }) } : {}),
            }));
            cached.catch(() => this.gateways.delete(user));
            this.gateways.set(user, cached);
        }
        return cached;
    }

    /** qscc reads (blocks, height): ordinary evaluations, counted by the limiter like any other call. */
    private async systemQuery(user: string, fn: string, args: string[]): Promise<Uint8Array> {
        const contract = (await this.gateway(user)).getNetwork(this.options.channel).getContract('qscc');
        return this.observed('evaluate', `qscc:${fn}`, () => this.options.limiter.run(() => contract.evaluateTransaction(fn, ...args)));
    }

    private async observed<T>(kind: 'evaluate' | 'submit', fn: string, call: () => Promise<T>): Promise<T> {
        const started = process.hrtime.bigint();
        let outcome = 'OK';
        try {
            return await call();
        } catch (err) {
            const translated = translateFabricError(err);
            outcome = translated.code;
            throw translated;
        } finally {
            this.options.observe?.(kind, fn, outcome, Number(process.hrtime.bigint() - started) / 1e9);
        }
    }
}

/** Endorsements retried when the peers' results differ, and the pause before each retry (about a block's time). */
const MISMATCH_RETRIES = 3;
const MISMATCH_PAUSE_MS = 250;

/**
 * Endorses, again when an endorsing peer had not yet committed the block another read: the peers computed different
 * results, or only other organisations' peers do not know the record yet. It commits within a block time. Nothing was
 * submitted, so a new proposal is safe; after the retries the caller gets the retryable 503 (EndorsementMismatchError)
 * or the NOT_FOUND.
 */
async function endorseConverged<T>(ownMspId: string, endorse: () => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
        try {
            return await endorse();
        } catch (err) {
            const lagging = translateFabricError(err) instanceof EndorsementMismatchError || isLaggingEndorser(err as { name: string; details?: ErrorDetail[] }, ownMspId);
            if (attempt >= MISMATCH_RETRIES || !lagging) {
                throw err;
            }
            // The lagging peer's commit cannot be awaited from here (the gateway does not know which peer it was).
            await new Promise((resolve) => setTimeout(resolve, MISMATCH_PAUSE_MS * (attempt + 1)));
        }
    }
}

function statusName(code: number): string {
    return Object.entries(StatusCode).find(([, value]) => value === code)?.[0] ?? String(code);
}
