/** Reading the channel's blocks back through the peer: heights, blocks, transactions decoded to what every member reads. */
import type { Network as FabricNetwork } from '@hyperledger/fabric-gateway';
import { common, ledger, msp, peer } from '@hyperledger/fabric-protos';
import { waitFor } from '../../network/src/processes';
import { CHANNEL } from '../../network/src/topology';

export async function chainHeight(network: FabricNetwork): Promise<bigint> {
    const info = await network.getContract('qscc').evaluateTransaction('GetChainInfo', CHANNEL);
    return BigInt(common.BlockchainInfo.deserializeBinary(info).getHeight());
}

/** Every block from 0 up to (excluding) `height`, as delivered by the peer. */
export async function readBlocks(network: FabricNetwork, height: bigint): Promise<common.Block[]> {
    const blocks: common.Block[] = [];
    if (height === 0n) {
        return blocks;
    }
    const events = await network.getBlockEvents({ startBlock: 0n });
    try {
        for await (const block of events) {
            blocks.push(block);
            if (BigInt(block.getHeader()?.getNumber() ?? 0) >= height - 1n) {
                break;
            }
        }
    } finally {
        events.close();
    }
    return blocks;
}

export async function readBlock(network: FabricNetwork, number: bigint): Promise<common.Block> {
    const events = await network.getBlockEvents({ startBlock: number });
    try {
        for await (const block of events) {
            return block;
        }
    } finally {
        events.close();
    }
    throw new Error(`block ${number} was not delivered`);
}

/** The MSP ids of the peers that endorsed transaction `txId` in `block`. */
export function endorsingMsps(block: common.Block, txId: string): string[] {
    for (const envelopeBytes of block.getData()?.getDataList_asU8() ?? []) {
        const envelope = common.Envelope.deserializeBinary(envelopeBytes);
        const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
        const header = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
        if (header.getTxId() !== txId) {
            continue;
        }
        const transaction = peer.Transaction.deserializeBinary(payload.getData_asU8());
        return transaction.getActionsList().flatMap((action) => {
            const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
            return actionPayload.getAction()?.getEndorsementsList().map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid()) ?? [];
        });
    }
    throw new Error(`transaction ${txId} is not in block ${block.getHeader()?.getNumber()}`);
}

export function blockContains(block: common.Block, needle: string): boolean {
    return Buffer.from(block.serializeBinary()).includes(Buffer.from(needle));
}

/**
 * For transaction function `fn`, how many VALID transactions wrote each first argument (the record id), read from
 * the transactions' chaincode inputs and the blocks' validation flags.
 */
export function writesByKey(blocks: common.Block[], fn: string): Map<string, number> {
    const counts = new Map<string, number>();
    for (const block of blocks) {
        const flags = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
        block.getData()?.getDataList_asU8().forEach((envelopeBytes, index) => {
            if (flags[index] !== peer.TxValidationCode.VALID) {
                return;
            }
            const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8());
            const header = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
            if (header.getType() !== common.HeaderType.ENDORSER_TRANSACTION) {
                return;
            }
            for (const action of peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()) {
                const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
                const proposal = peer.ChaincodeProposalPayload.deserializeBinary(actionPayload.getChaincodeProposalPayload_asU8());
                const args = peer.ChaincodeInvocationSpec.deserializeBinary(proposal.getInput_asU8()).getChaincodeSpec()?.getInput()?.getArgsList_asU8() ?? [];
                if (args.length > 1 && Buffer.from(args[0] ?? []).toString() === fn) {
                    const key = Buffer.from(args[1] ?? []).toString();
                    counts.set(key, (counts.get(key) ?? 0) + 1);
                }
            }
        });
    }
    return counts;
}

/** Waits until the peer behind `network` has committed block `blockNumber` (another peer may report it first). */
export async function waitForBlock(network: FabricNetwork, blockNumber: bigint): Promise<void> {
    await waitFor(`block ${blockNumber} on the peer`, async () => (await chainHeight(network)) > blockNumber, 30_000);
}

/** A private collection's part of a transaction, as every member sees it in the block: hashes only. */
export interface CollectionView {
    readonly collection: string;
    readonly readKeyHashes: string[];
    readonly writes: { keyHash: string; valueHash: string; isDelete: boolean }[];
}

/** One namespace's read and write sets. */
export interface NamespaceView {
    readonly namespace: string;
    readonly reads: string[];
    readonly rangeQueries: { startKey: string; endKey: string }[];
    readonly writes: { key: string; value: Buffer; isDelete: boolean }[];
    readonly metadataWrites: string[];
    readonly collections: CollectionView[];
}

/** What every member of the channel reads about one endorser transaction in a block. */
export interface TransactionView {
    readonly blockNumber: bigint;
    readonly txId: string;
    readonly valid: boolean;
    readonly validationCode: number;
    readonly creatorMspId: string;
    /** Chaincode input: the function name, then the arguments. */
    readonly args: string[];
    readonly namespaces: NamespaceView[];
    readonly response: { status: number; message: string; payload: Buffer };
    readonly event?: { name: string; payload: Buffer };
    readonly endorserMspIds: string[];
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

function namespaceView(ns: ledger.rwset.NsReadWriteSet): NamespaceView {
    const kv = ledger.rwset.kvrwset.KVRWSet.deserializeBinary(ns.getRwset_asU8());
    return {
        namespace: ns.getNamespace(),
        reads: kv.getReadsList().map((r) => r.getKey()),
        rangeQueries: kv.getRangeQueriesInfoList().map((q) => ({ startKey: q.getStartKey(), endKey: q.getEndKey() })),
        writes: kv.getWritesList().map((w) => ({ key: w.getKey(), value: Buffer.from(w.getValue_asU8()), isDelete: w.getIsDelete() })),
        metadataWrites: kv.getMetadataWritesList().map((m) => m.getKey()),
        collections: ns.getCollectionHashedRwsetList().map((c) => {
            const hashed = ledger.rwset.kvrwset.HashedRWSet.deserializeBinary(c.getHashedRwset_asU8());
            return {
                collection: c.getCollectionName(),
                readKeyHashes: hashed.getHashedReadsList().map((r) => hex(r.getKeyHash_asU8())),
                writes: hashed.getHashedWritesList().map((w) => ({ keyHash: hex(w.getKeyHash_asU8()), valueHash: hex(w.getValueHash_asU8()), isDelete: w.getIsDelete() })),
            };
        }),
    };
}

/**
 * Every endorser transaction in `blocks`, decoded down to what a member can read: arguments, public read and write
 * sets (keys in clear), private collections' key and value hashes, the chaincode's answer and its event.
 */
export function transactions(blocks: readonly common.Block[]): TransactionView[] {
    const out: TransactionView[] = [];
    for (const block of blocks) {
        const blockNumber = BigInt(block.getHeader()?.getNumber() ?? 0);
        const flags = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
        block.getData()?.getDataList_asU8().forEach((envelopeBytes, index) => {
            const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8());
            const header = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
            if (header.getType() !== common.HeaderType.ENDORSER_TRANSACTION) {
                return;
            }
            const signature = common.SignatureHeader.deserializeBinary(payload.getHeader()?.getSignatureHeader_asU8() ?? new Uint8Array());
            for (const action of peer.Transaction.deserializeBinary(payload.getData_asU8()).getActionsList()) {
                const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
                const proposal = peer.ChaincodeProposalPayload.deserializeBinary(actionPayload.getChaincodeProposalPayload_asU8());
                const input = peer.ChaincodeInvocationSpec.deserializeBinary(proposal.getInput_asU8()).getChaincodeSpec()?.getInput()?.getArgsList_asU8() ?? [];
                const endorsed = actionPayload.getAction();
                const response = peer.ProposalResponsePayload.deserializeBinary(endorsed?.getProposalResponsePayload_asU8() ?? new Uint8Array());
                const cc = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
                const rwset = ledger.rwset.TxReadWriteSet.deserializeBinary(cc.getResults_asU8());
                const eventBytes = cc.getEvents_asU8();
                const event = eventBytes.length > 0 ? peer.ChaincodeEvent.deserializeBinary(eventBytes) : undefined;
                out.push({
                    blockNumber,
                    txId: header.getTxId(),
                    validationCode: flags[index] ?? -1,
                    valid: flags[index] === peer.TxValidationCode.VALID,
                    creatorMspId: msp.SerializedIdentity.deserializeBinary(signature.getCreator_asU8()).getMspid(),
                    args: input.map((a) => Buffer.from(a).toString('utf8')),
                    namespaces: rwset.getNsRwsetList().map(namespaceView),
                    response: { status: cc.getResponse()?.getStatus() ?? 0, message: cc.getResponse()?.getMessage() ?? '', payload: Buffer.from(cc.getResponse()?.getPayload_asU8() ?? []) },
                    ...(event && event.getEventName() !== '' ? { event: { name: event.getEventName(), payload: Buffer.from(event.getPayload_asU8()) } } : {}),
                    endorserMspIds: endorsed?.getEndorsementsList().map((e) => msp.SerializedIdentity.deserializeBinary(e.getEndorser_asU8()).getMspid()) ?? [],
                });
            }
        });
    }
    return out;
}

/**
 * Where in a transaction `needle` stands in clear: arguments, read-set keys, range queries, write-set keys and
 * values, metadata writes, the chaincode's answer, the event. Empty when nowhere.
 */
export function exposures(tx: TransactionView, needle: string): string[] {
    const found: string[] = [];
    const has = (text: string | Buffer): boolean => (typeof text === 'string' ? text.includes(needle) : text.includes(Buffer.from(needle)));
    tx.args.forEach((a, i) => has(a) && found.push(i === 0 ? 'function' : `argument ${i}`));
    for (const ns of tx.namespaces) {
        ns.reads.filter(has).forEach((k) => found.push(`${ns.namespace} read set key ${JSON.stringify(k)}`));
        ns.rangeQueries.filter((q) => has(q.startKey) || has(q.endKey)).forEach(() => found.push(`${ns.namespace} range query`));
        ns.writes.filter((w) => has(w.key)).forEach((w) => found.push(`${ns.namespace} write set key ${JSON.stringify(w.key)}`));
        ns.writes.filter((w) => has(w.value)).forEach((w) => found.push(`${ns.namespace} write set value of ${JSON.stringify(w.key)}`));
        ns.metadataWrites.filter(has).forEach((k) => found.push(`${ns.namespace} metadata write ${JSON.stringify(k)}`));
    }
    if (has(tx.response.payload) || has(tx.response.message)) {
        found.push('response');
    }
    if (tx.event && (has(tx.event.name) || has(tx.event.payload))) {
        found.push('event');
    }
    return found;
}

/** The chaincode's composite key, as the shim builds it (for matching key hashes in the block). */
export function compositeKey(type: string, attributes: readonly string[]): string {
    return `\u0000${type}\u0000${attributes.map((a) => `${a}\u0000`).join('')}`;
}
/** Every endorser transaction in `blocks`: its id and its validation code. */
export function endorserTransactions(blocks: common.Block[]): { txId: string; code: number; block: number }[] {
    const found: { txId: string; code: number; block: number }[] = [];
    for (const block of blocks) {
        const flags = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
        block.getData()?.getDataList_asU8().forEach((envelopeBytes, index) => {
            const payload = common.Payload.deserializeBinary(common.Envelope.deserializeBinary(envelopeBytes).getPayload_asU8());
            const header = common.ChannelHeader.deserializeBinary(payload.getHeader()?.getChannelHeader_asU8() ?? new Uint8Array());
            if (header.getType() === common.HeaderType.ENDORSER_TRANSACTION) {
                found.push({ txId: header.getTxId(), code: flags[index] ?? -1, block: Number(block.getHeader()?.getNumber() ?? 0) });
            }
        });
    }
    return found;
}

/** The channel capabilities named in a config block (block 0, or any later config block). */
export function channelCapabilities(configBlock: common.Block): string[] {
    const envelope = common.Envelope.deserializeBinary(configBlock.getData()?.getDataList_asU8()[0] ?? new Uint8Array());
    const payload = common.Payload.deserializeBinary(envelope.getPayload_asU8());
    const config = common.ConfigEnvelope.deserializeBinary(payload.getData_asU8()).getConfig();
    const value = config?.getChannelGroup()?.getValuesMap().get('Capabilities');
    const capabilities = common.Capabilities.deserializeBinary(value?.getValue_asU8() ?? new Uint8Array());
    return capabilities.getCapabilitiesMap().getEntryList().map((entry: [string, unknown]) => entry[0]).sort();
}
