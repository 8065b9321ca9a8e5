/**
 * An attacker's tools, built from the protocol buffers alone: an endorser transaction whose "proposal responses"
 * are signed by whatever keys the attacker holds (no peer runs the chaincode), sent straight to an orderer.
 */
import * as grpc from '@grpc/grpc-js';
import { hash, signers } from '@hyperledger/fabric-gateway';
import { common, ledger, msp, orderer, peer } from '@hyperledger/fabric-protos';
import { createPrivateKey, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ordererEndpoint } from '../../network/src/bundle';
import { CHAINCODE_NAME, CHANNEL, type PeerOrg } from '../../network/src/topology';
import { type TransactionView, readBlock, transactions, waitForBlock } from './blocks';
import type { OrgClient } from './harness';
import { testNetwork } from './harness';

// google-protobuf ships no type declarations; the one class needed here, typed by how it is used.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Timestamp } = require('google-protobuf/google/protobuf/timestamp_pb') as {
    Timestamp: { fromDate(date: Date): NonNullable<Parameters<common.ChannelHeader['setTimestamp']>[0]> };
};

/** A key and certificate someone holds. */
export interface Keys { readonly mspId: string; readonly certificatePem: string; readonly privateKeyPem: string }

/** The signing keys of an organisation's peer (the organisation's own operators hold them). */
export function peerKeys(org: PeerOrg): Keys {
    const dir = path.join(testNetwork.layout.peerDir(org), 'msp');
    const only = (sub: string): string => {
        const files = fs.readdirSync(path.join(dir, sub));
        if (files.length !== 1) {
            throw new Error(`expected one file in ${dir}/${sub}, found ${files.join(', ')}`);
        }
        return fs.readFileSync(path.join(dir, sub, files[0]!), 'utf8');
    };
    return { mspId: org.mspId, certificatePem: only('signcerts'), privateKeyPem: only('keystore') };
}

function serialized(keys: Keys): Uint8Array {
    const id = new msp.SerializedIdentity();
    id.setMspid(keys.mspId);
    id.setIdBytes(Buffer.from(keys.certificatePem));
    return id.serializeBinary();
}

async function sign(keys: Keys, message: Uint8Array): Promise<Uint8Array> {
    return signers.newPrivateKeySigner(createPrivateKey(keys.privateKeyPem))(hash.sha256(message));
}

export interface ForgedWrite { readonly key: string; readonly value: Uint8Array }

/**
 * A transaction of chaincode `tradedocs` that invokes `fn` and writes `writes` (blindly: no read set), with one
 * endorsement per entry of `endorsers`, each a signature over the response payload by that key. Signed by `creator`.
 */
export async function forgeTransaction(creator: Keys, endorsers: readonly Keys[], fn: string, writes: readonly ForgedWrite[]): Promise<{ txId: string; envelope: common.Envelope }> {
    const creatorBytes = serialized(creator);
    const nonce = randomBytes(24);
    const txId = Buffer.from(hash.sha256(Buffer.concat([nonce, creatorBytes]))).toString('hex');

    const chaincodeId = new peer.ChaincodeID();
    chaincodeId.setName(CHAINCODE_NAME);
    const extension = new peer.ChaincodeHeaderExtension();
    extension.setChaincodeId(chaincodeId);
    const channelHeader = new common.ChannelHeader();
    channelHeader.setType(common.HeaderType.ENDORSER_TRANSACTION);
    channelHeader.setChannelId(CHANNEL);
    channelHeader.setTxId(txId);
    channelHeader.setTimestamp(Timestamp.fromDate(new Date()));
    channelHeader.setExtension$(extension.serializeBinary());
    const signatureHeader = new common.SignatureHeader();
    signatureHeader.setCreator(creatorBytes);
    signatureHeader.setNonce(nonce);
    const channelHeaderBytes = channelHeader.serializeBinary();
    const signatureHeaderBytes = signatureHeader.serializeBinary();

    const input = new peer.ChaincodeInput();
    input.setArgsList([Buffer.from(fn)]);
    const spec = new peer.ChaincodeSpec();
    spec.setType(peer.ChaincodeSpec.Type.NODE);
    spec.setChaincodeId(chaincodeId);
    spec.setInput(input);
    const invocation = new peer.ChaincodeInvocationSpec();
    invocation.setChaincodeSpec(spec);
    const proposalPayload = new peer.ChaincodeProposalPayload();
    proposalPayload.setInput(invocation.serializeBinary());
    const proposalPayloadBytes = proposalPayload.serializeBinary();

    const kvWrites = writes.map((w) => {
        const kv = new ledger.rwset.kvrwset.KVWrite();
        kv.setKey(w.key);
        kv.setValue(w.value);
        return kv;
    });
    const kvRwset = new ledger.rwset.kvrwset.KVRWSet();
    kvRwset.setWritesList(kvWrites);
    const nsRwset = new ledger.rwset.NsReadWriteSet();
    nsRwset.setNamespace(CHAINCODE_NAME);
    nsRwset.setRwset(kvRwset.serializeBinary());
    const txRwset = new ledger.rwset.TxReadWriteSet();
    txRwset.setDataModel(ledger.rwset.TxReadWriteSet.DataModel.KV);
    txRwset.setNsRwsetList([nsRwset]);

    const response = new peer.Response();
    response.setStatus(200);
    const actionId = new peer.ChaincodeID();
    actionId.setName(CHAINCODE_NAME);
    actionId.setVersion('forged');
    const action = new peer.ChaincodeAction();
    action.setResults(txRwset.serializeBinary());
    action.setResponse(response);
    action.setChaincodeId(actionId);
    const responsePayload = new peer.ProposalResponsePayload();
    // The proposal hash the committer recomputes: channel header, signature header, proposal payload.
    responsePayload.setProposalHash(hash.sha256(Buffer.concat([channelHeaderBytes, signatureHeaderBytes, proposalPayloadBytes])));
    responsePayload.setExtension$(action.serializeBinary());
    const responsePayloadBytes = responsePayload.serializeBinary();

    const endorsements = await Promise.all(endorsers.map(async (keys) => {
        const endorserBytes = serialized(keys);
        const endorsement = new peer.Endorsement();
        endorsement.setEndorser(endorserBytes);
        endorsement.setSignature(await sign(keys, Buffer.concat([responsePayloadBytes, endorserBytes])));
        return endorsement;
    }));
    const endorsed = new peer.ChaincodeEndorsedAction();
    endorsed.setProposalResponsePayload(responsePayloadBytes);
    endorsed.setEndorsementsList(endorsements);
    const actionPayload = new peer.ChaincodeActionPayload();
    actionPayload.setChaincodeProposalPayload(proposalPayloadBytes);
    actionPayload.setAction(endorsed);
    const transactionAction = new peer.TransactionAction();
    transactionAction.setHeader(signatureHeaderBytes);
    transactionAction.setPayload(actionPayload.serializeBinary());
    const transaction = new peer.Transaction();
    transaction.setActionsList([transactionAction]);

    const header = new common.Header();
    header.setChannelHeader(channelHeaderBytes);
    header.setSignatureHeader(signatureHeaderBytes);
    const payload = new common.Payload();
    payload.setHeader(header);
    payload.setData(transaction.serializeBinary());
    const payloadBytes = payload.serializeBinary();
    const envelope = new common.Envelope();
    envelope.setPayload(payloadBytes);
    envelope.setSignature(await sign(creator, payloadBytes));
    return { txId, envelope };
}

/** Sends `envelope` straight to an orderer (TLS, no client certificate: any member may broadcast). */
export async function broadcast(envelope: common.Envelope, node = testNetwork.layout.firstOrderer): Promise<number> {
    const client = new orderer.AtomicBroadcastClient(ordererEndpoint(testNetwork.layout, node),
        grpc.credentials.createSsl(fs.readFileSync(testNetwork.layout.tlsCa(node.org))), { 'grpc.ssl_target_name_override': 'localhost' });
    try {
        return await new Promise<number>((resolve, reject) => {
            const stream = client.broadcast();
            stream.on('data', (reply: orderer.BroadcastResponse) => {
                resolve(reply.getStatus());
                stream.end();
            });
            stream.on('error', reject);
            stream.write(envelope);
        });
    } finally {
        client.close();
    }
}

/** Waits for transaction `txId`, submitted after block `after`, to be committed by the peer of `via`; returns it. */
export async function committed(via: OrgClient, txId: string, after: bigint): Promise<TransactionView> {
    for (let number = after + 1n; number < after + 50n; number++) {
        await waitForBlock(via.network, number);
        const found = transactions([await readBlock(via.network, number)]).find((t) => t.txId === txId);
        if (found) {
            return found;
        }
    }
    throw new Error(`transaction ${txId} was not committed within 50 blocks after block ${after}`);
}
