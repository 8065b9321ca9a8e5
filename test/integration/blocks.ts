/** Reading the channel's blocks back through the peer: heights, every block's bytes, a transaction's endorsers. */
import type { Network as FabricNetwork } from '@hyperledger/fabric-gateway';
import { common, msp, peer } from '@hyperledger/fabric-protos';
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
