/** Fabric blocks built from protobufs, for the event replay tests: transactions with or without a chaincode event. */
import { common, peer } from '@hyperledger/fabric-protos';

export interface FixtureTransaction {
    readonly txId: string;
    readonly event?: { readonly chaincode?: string; readonly name: string; readonly payload: unknown };
    /** Defaults to true; false marks the transaction MVCC_READ_CONFLICT in the block's filter. */
    readonly valid?: boolean;
}

export function buildBlock(number: bigint, transactions: readonly FixtureTransaction[]): Uint8Array {
    const envelopes = transactions.map((tx) => {
        const channelHeader = new common.ChannelHeader();
        channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
        channelHeader.setTxId(tx.txId);
        channelHeader.setChannelId('trade');
        const header = new common.Header();
        header.setChannelHeader(channelHeader.serializeBinary());
        const chaincodeAction = new peer.ChaincodeAction();
        if (tx.event) {
            const event = new peer.ChaincodeEvent();
            event.setChaincodeId(tx.event.chaincode ?? 'tradedocs');
            event.setTxId(tx.txId);
            event.setEventName(tx.event.name);
            event.setPayload(Buffer.from(JSON.stringify(tx.event.payload)));
            chaincodeAction.setEvents(event.serializeBinary());
        }
        const responsePayload = new peer.ProposalResponsePayload();
        responsePayload.setExtension$(chaincodeAction.serializeBinary());
        const endorsed = new peer.ChaincodeEndorsedAction();
        endorsed.setProposalResponsePayload(responsePayload.serializeBinary());
        const actionPayload = new peer.ChaincodeActionPayload();
        actionPayload.setAction(endorsed);
        const action = new peer.TransactionAction();
        action.setPayload(actionPayload.serializeBinary());
        const transaction = new peer.Transaction();
        transaction.setActionsList([action]);
        const payload = new common.Payload();
        payload.setHeader(header);
        payload.setData(transaction.serializeBinary());
        const envelope = new common.Envelope();
        envelope.setPayload(payload.serializeBinary());
        return envelope.serializeBinary();
    });
    const block = new common.Block();
    const blockHeader = new common.BlockHeader();
    blockHeader.setNumber(Number(number));
    block.setHeader(blockHeader);
    const data = new common.BlockData();
    data.setDataList(envelopes);
    block.setData(data);
    const metadata = new common.BlockMetadata();
    const flags = Uint8Array.from(transactions.map((tx) => (tx.valid === false ? peer.TxValidationCode.MVCC_READ_CONFLICT : peer.TxValidationCode.VALID)));
    metadata.setMetadataList([new Uint8Array(), new Uint8Array(), flags, new Uint8Array(), new Uint8Array()]);
    block.setMetadata(metadata);
    return block.serializeBinary();
}
