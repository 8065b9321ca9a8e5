/**
 * Exclusive control of the electronic B/L at validation, attacked on the real network: a member crafts the
 * transaction itself (protocol buffers, its own keys as "endorsers", straight to an orderer) to rewrite a B/L
 * without any peer running the chaincode. And: the peer gateway, choosing endorsers by itself, satisfies every B/L
 * key's policy, so the REST gateway needs no hand-picked endorsers.
 */
import * as assert from 'node:assert/strict';
import { peer } from '@hyperledger/fabric-protos';
import { randomUUID } from 'node:crypto';
import { holderPolicyOrgs } from '../../chaincode/src/bill-of-lading-contract';
import { peerOrg } from '../../network/src/topology';
import { BILL_OF_LADING, COMMERCIAL, SHIPMENT } from '../unit/chaincode/fixtures';
import { type TransactionView, chainHeight, compositeKey, readBlocks, transactions, waitForBlock } from './blocks';
import { type Keys, broadcast, committed, forgeTransaction, peerKeys } from './forge';
import { api, login } from './gateway-client';
import { gatewayIdentity } from './gateway-keys';
import { ClientPool, type OrgClient, salted, testNetwork } from './harness';

const run = randomUUID().slice(0, 8);
const utf8 = new TextDecoder();
const { ENDORSEMENT_POLICY_FAILURE, VALID } = peer.TxValidationCode;

interface Bl { transportDocumentReference: string; holderMspId: string; carrierMspId: string; surrenderedByMspId?: string; transportDocumentStatus: string; version: number }

describe('B/L endorsement under attack (real Fabric network)', function () {
    const pool = new ClientPool();
    let exporter: OrgClient;
    let carrier: OrgClient;
    let customs: OrgClient;
    let agent: Keys;

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        exporter = pool.connect('exporter', 'exporter1');
        carrier = pool.connect('carrier', 'carrier-agent1');
        customs = pool.connect('customs', 'customs-officer1');
        // The carrier agent's own key pair, as the carrier gateway's key store holds it.
        agent = gatewayIdentity(testNetwork.layout, 'carrier', 'carrier-agent1');
    });

    after(() => pool.closeAll());

    async function submit(client: OrgClient, fn: string, args: string[], transient?: Record<string, string>): Promise<bigint> {
        const commit = await client.contract.submitAsync(fn, { arguments: args, ...(transient ? { transientData: salted(transient) } : {}) });
        const status = await commit.getStatus();
        assert.equal(status.successful, true, `${fn} validation code ${status.code}`);
        await waitForBlock(customs.network, status.blockNumber);
        return status.blockNumber;
    }

    async function readBl(tdr: string): Promise<string> {
        return utf8.decode(await customs.contract.evaluateTransaction('billOfLading:getBillOfLading', tdr));
    }

    /** A shipment and its B/L, surrendered for delivery by the shipper: the carrier now holds it. */
    async function surrenderedBl(): Promise<string> {
        const shipmentId = `SHP-EA-${run}-${randomUUID().slice(0, 6)}`;
        const tdr = `BL-EA-${run}-${randomUUID().slice(0, 6)}`;
        await submit(exporter, 'shipment:openShipment', [shipmentId, JSON.stringify(SHIPMENT)], { commercial: JSON.stringify(COMMERCIAL) });
        await submit(carrier, 'billOfLading:issueBillOfLading', [tdr, shipmentId, JSON.stringify(BILL_OF_LADING)]);
        await submit(exporter, 'billOfLading:surrenderForDelivery', [tdr]);
        return tdr;
    }

    /** Forges a rewrite of `tdr` (back to ISSUED, held by the bank), endorsed by `endorsers`, and has it ordered. */
    async function forgedRewrite(tdr: string, endorsers: Keys[]): Promise<TransactionView> {
        const current = JSON.parse(await readBl(tdr)) as Bl;
        const forged = { ...current, transportDocumentStatus: 'ISSUED', holderMspId: 'BankMSP' };
        const { txId, envelope } = await forgeTransaction(agent, endorsers, 'billOfLading:transferBillOfLading', [
            { key: compositeKey('billOfLading', [tdr]), value: Buffer.from(JSON.stringify(forged)) },
        ]);
        const height = await chainHeight(customs.network);
        // The orderer accepts it: it checks the creator's signature and the channel's writers, not endorsements.
        assert.equal(await broadcast(envelope), 200, 'the orderer took the forged transaction');
        return committed(customs, txId, height - 1n);
    }

    it('a carrier user signing the "endorsement" with its own key cannot rewrite a B/L it holds: ENDORSEMENT_POLICY_FAILURE, B/L unchanged', async () => {
        const tdr = await surrenderedBl();
        const before = await readBl(tdr);
        assert.equal((JSON.parse(before) as Bl).holderMspId, 'CarrierMSP', 'holder and carrier are one organisation now');

        const tx = await forgedRewrite(tdr, [agent]);
        assert.equal(tx.validationCode, ENDORSEMENT_POLICY_FAILURE);
        assert.deepEqual(tx.endorserMspIds, ['CarrierMSP']);
        assert.equal(await readBl(tdr), before);

        // Also after the surrender is accepted (terminal): nothing may move it.
        await submit(carrier, 'billOfLading:acceptSurrender', [tdr]);
        const delivered = await readBl(tdr);
        assert.equal((JSON.parse(delivered) as Bl).transportDocumentStatus, 'SURRENDER_FOR_DELIVERY');
        assert.equal((await forgedRewrite(tdr, [agent])).validationCode, ENDORSEMENT_POLICY_FAILURE);
        assert.equal(await readBl(tdr), delivered);
    });

    it('the carrier organisation\'s own peer key alone cannot either: the policy always needs a second organisation', async () => {
        const tdr = await surrenderedBl();
        const before = await readBl(tdr);
        const tx = await forgedRewrite(tdr, [peerKeys(peerOrg('carrier')), agent]);
        assert.equal(tx.validationCode, ENDORSEMENT_POLICY_FAILURE);
        assert.equal(await readBl(tdr), before);
    });

    it('control: the same forgery endorsed by the peers of both organisations the policy names is valid, so only the policy stopped the attacks', async () => {
        const tdr = await surrenderedBl();
        const tx = await forgedRewrite(tdr, [peerKeys(peerOrg('carrier')), peerKeys(peerOrg('exporter'))]);
        assert.equal(tx.validationCode, VALID);
        assert.equal((JSON.parse(await readBl(tdr)) as Bl).holderMspId, 'BankMSP');
    });
});

describe('B/L endorsers chosen by the peer gateway (real Fabric network)', function () {
    const tokens: Record<string, string> = {};

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        for (const [org, user] of [['exporter', 'exporter1'], ['carrier', 'carrier-agent1'], ['bank', 'trade-finance-officer1']] as const) {
            tokens[org] = await login(org, user);
        }
    });

    it('every B/L action through the REST gateways, endorsers left to the peer gateway, is valid and endorsed by the peers its key policy names', async () => {
        const shipmentId = `SHP-EP-${run}`;
        const tdr = `BL-EP-${run}`;
        const call = async (org: string, path: string, json?: unknown): Promise<string> => {
            const res = await api(org, 'POST', path, { token: tokens[org], json: json ?? {} });
            assert.ok(res.status === 200 || res.status === 201, `${org} POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
            return res.headers.get('x-transaction-id') ?? assert.fail('no transaction id');
        };
        const bl = async (): Promise<Bl> => (await api('carrier', 'GET', `/api/v1/bills-of-lading/${tdr}`, { token: tokens['carrier'] })).body as Bl;
        await call('exporter', '/api/v1/shipments', { shipmentId, ...SHIPMENT, commercial: COMMERCIAL });
        await call('carrier', '/api/v1/bills-of-lading', { transportDocumentReference: tdr, shipmentId, ...BILL_OF_LADING });

        // Each step changes who the policy names: holder exporter, bank, carrier (after surrender), and back.
        const steps: [string, string, unknown][] = [
            ['exporter', 'transfer', { toMspId: 'BankMSP' }],
            ['bank', 'endorse', { mspId: 'ExporterMSP', name: 'Chengdu Panda Textiles Co' }],
            ['exporter', 'transfer', { toMspId: 'BankMSP' }],
            ['bank', 'surrender', { purpose: 'AMENDMENT' }],
            ['carrier', 'surrender/accept', {}],
            ['carrier', 'amend', { ...BILL_OF_LADING, vesselName: 'Blue Horizon II' }],
            ['bank', 'surrender', { purpose: 'DELIVERY' }],
            ['carrier', 'surrender/reject', { reason: 'presented at the wrong office' }],
            ['bank', 'surrender', { purpose: 'DELIVERY' }],
            ['carrier', 'surrender/accept', {}],
        ];
        const expected = new Map<string, { step: string; policy: string[] }>();
        for (const [org, path, body] of steps) {
            const policy = holderPolicyOrgs(await bl());
            expected.set(await call(org, `/api/v1/bills-of-lading/${tdr}/${path}`, body), { step: `${org} ${path}`, policy });
        }
        assert.equal((await bl()).transportDocumentStatus, 'SURRENDER_FOR_DELIVERY');

        const client = new ClientPool();
        try {
            const customs = client.connect('customs', 'customs-officer1');
            const txs = transactions(await readBlocks(customs.network, await chainHeight(customs.network)));
            for (const [txId, { step, policy }] of expected) {
                const tx = txs.find((t) => t.txId === txId) ?? assert.fail(`${step}: ${txId} not in the blocks`);
                assert.equal(tx.validationCode, VALID, step);
                for (const org of policy) {
                    assert.ok(tx.endorserMspIds.includes(org), `${step}: endorsed by ${tx.endorserMspIds.join(', ')}, the key policy names ${policy.join(', ')}`);
                }
            }
        } finally {
            client.closeAll();
        }
    });
});
