/**
 * The chaincode events of one block, read as the peer's ChaincodeEvents service reads them
 * (fabric internal/pkg/gateway/event): endorser transactions marked VALID in the block's transaction filter, one event
 * per action, only events of the given chaincode. Lets a resuming event stream replay past blocks through ordinary
 * qscc calls instead of opening a peer event stream of its own.
 */
import { common, peer } from '@hyperledger/fabric-protos';
import type { LedgerEvent } from './ledger';

export function chaincodeEventsOfBlock(blockBytes: Uint8Array, chaincode: string): LedgerEvent[] {
    const block = common.Block.deserializeBinary(blockBytes);
    const blockNumber = BigInt(block.getHeader()?.getNumber() ?? 0);
    const flags = block.getMetadata()?.getMetadataList_asU8()[common.BlockMetadataIndex.TRANSACTIONS_FILTER] ?? new Uint8Array();
    const events: LedgerEvent[] = [];
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
            const event = eventOfAction(action);
            if (event && event.getChaincodeId() === chaincode && event.getEventName() !== '' && event.getTxId() !== '') {
                events.push({ blockNumber, transactionId: event.getTxId(), eventName: event.getEventName(), payload: event.getPayload_asU8() });
            }
        }
    });
    return events;
}

function eventOfAction(action: peer.TransactionAction): peer.ChaincodeEvent | undefined {
    try {
        const actionPayload = peer.ChaincodeActionPayload.deserializeBinary(action.getPayload_asU8());
        const response = peer.ProposalResponsePayload.deserializeBinary(actionPayload.getAction()?.getProposalResponsePayload_asU8() ?? new Uint8Array());
        const chaincodeAction = peer.ChaincodeAction.deserializeBinary(response.getExtension_asU8());
        return peer.ChaincodeEvent.deserializeBinary(chaincodeAction.getEvents_asU8());
    } catch {
        // As the peer does: an action that does not decode carries no event.
        return undefined;
    }
}
