/**
 * Faults at the Fabric level: nodes killed with SIGKILL while clients write, and a whole-system restart. Runs on its
 * own network (`.run/faults`, base port 18000) via `npm run test:faults`.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as assert from 'node:assert/strict';
import { common } from '@hyperledger/fabric-protos';
import { ensureChaincodeServer } from '../../network/src/chaincode';
import { ordererSpec, peerSpec } from '../../network/src/nodes';
import { waitFor } from '../../network/src/processes';
import { peerOrg } from '../../network/src/topology';
import { chainHeight, readBlocks, writesByKey } from '../integration/blocks';
import { type ApiResponse, api, login } from '../integration/gateway-client';
import { ClientPool, type OrgClient, salted, testNetwork } from '../integration/harness';
import { orderingLeader, waitForOrderersInStep } from '../integration/ordering';

const utf8 = new TextDecoder();
const runId = randomUUID().slice(0, 8);

describe('faults (real Fabric network)', function () {
    const pool = new ClientPool();
    const client = (org: string, user: string, via?: string): OrgClient => pool.connect(org, user, via);
    const closeClients = (): void => pool.closeAll();
    const written = new Map<string, string>();

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
    });

    after(closeClients);

    it('the ordering leader (Raft leader, or BFT leader of the current view) SIGKILLed in the middle of a stream of writes: every acknowledged write is on the ledger exactly once; restarted, it catches up', async () => {
        const leader = await orderingLeader();
        const exporter = client('exporter', 'exporter1');
        const acknowledged: string[] = [];
        let failed = 0;
        let killedAt = -1;
        let next = 0;
        const deadline = Date.now() + 90_000;
        // Four writers; the leader dies after ten acknowledgements; the stream goes on until ten more commit after it.
        const writer = async (): Promise<void> => {
            while (Date.now() < deadline && (killedAt < 0 || acknowledged.length < killedAt + 10)) {
                const id = `stream-${runId}-${next++}`;
                try {
                    const commit = await exporter.contract.submitAsync('probe:putRecord', { arguments: [id, `value of ${id}`] });
                    if ((await commit.getStatus()).successful) {
                        acknowledged.push(id);
                    } else {
                        failed++;
                    }
                } catch {
                    failed++; // not acknowledged: the client would retry it
                }
                if (killedAt < 0 && acknowledged.length >= 10) {
                    killedAt = acknowledged.length;
                    testNetwork.supervisor.kill(leader.name);
                }
            }
        };
        await Promise.all([writer(), writer(), writer(), writer()]);
        assert.ok(killedAt >= 10, 'the leader was killed mid-stream');
        assert.ok(acknowledged.length >= killedAt + 10, `writes committed after the kill: ${acknowledged.length - killedAt} (failed: ${failed})`);

        const height = await chainHeight(exporter.network);
        const writes = writesByKey(await readBlocks(exporter.network, height), 'probe:putRecord');
        for (const id of acknowledged) {
            assert.equal(writes.get(id), 1, `${id} is committed exactly once`);
            written.set(id, `value of ${id}`);
        }
        assert.deepEqual([...writes.values()].filter((n) => n > 1), [], 'no record was written twice');

        await testNetwork.supervisor.ensure(ordererSpec(testNetwork.config, testNetwork.layout, leader));
        await waitForOrderersInStep(`${leader.name} to catch up`);
    });

    it('a peer SIGKILLed and restarted catches up on the blocks and the private data written while it was down; its gateway answers 503 meanwhile and recovers by itself', async () => {
        const officer = await login('bank', 'trade-finance-officer1');
        const gatewayPid = testNetwork.supervisor.pid('gateway.bank');
        const listShipments = (): Promise<ApiResponse> => api('bank', 'GET', '/api/v1/shipments?status=OPEN&limit=1', { token: officer });
        assert.equal((await listShipments()).status, 200);
        testNetwork.supervisor.kill('peer0.bank');
        await waitFor('peer0.bank to exit', async () => testNetwork.supervisor.pid('peer0.bank') === undefined, 10_000);
        const down = await listShipments();
        assert.equal(down.status, 503, JSON.stringify(down.body));
        assert.equal((down.body as { code: string }).code, 'UNAVAILABLE');
        assert.ok(Number(down.headers.get('retry-after')) > 0, 'tells the client when to retry');
        assert.equal((await api('bank', 'GET', '/readyz')).status, 503);
        // Until gossip declares the peer dead, discovery may still plan endorsements on it, and an endorsing member
        // may still pick it to hand the private data to (requiredPeerCount 1): wait until both endorsers see it gone.
        for (const org of ['exporter', 'customs']) {
            await waitFor(`the ${org} peer to see the Bank peer gone`, async () =>
                !(await testNetwork.discoverPeers(peerOrg(org))).some((p) => p.MSPID === 'BankMSP'), 60_000);
        }

        const exporter = client('exporter', 'exporter1');
        const secrets = new Map<string, string>();
        for (let i = 0; i < 3; i++) {
            const id = `missed-${runId}-${i}`;
            const secret = `invoice total ${randomUUID()}`;
            // Exporter and Customs endorse and keep the data; the Bank peer, also a member, is down.
            const commit = await exporter.contract.submitAsync('probe:putPrivate', {
                arguments: ['ExporterCustomsBankCollection', id], transientData: salted({ value: secret }),
            });
            assert.equal((await commit.getStatus()).successful, true);
            secrets.set(id, secret);
        }
        const height = await chainHeight(exporter.network);

        await testNetwork.supervisor.ensure(peerSpec(testNetwork.config, testNetwork.layout, peerOrg('bank')));
        const bank = client('bank', 'trade-finance-officer1');
        await waitFor('peer0.bank to catch up on blocks', async () => (await chainHeight(bank.network)) >= height, 60_000);
        await waitFor('peer0.bank to reconcile the private data it missed', async () => {
            for (const [id, secret] of secrets) {
                const stored = JSON.parse(utf8.decode(await bank.contract.evaluateTransaction('probe:getPrivate', 'ExporterCustomsBankCollection', id))) as Record<string, string>;
                if (stored.value !== secret) {
                    return false;
                }
            }
            return true;
        }, 90_000);
        await waitFor('the Bank gateway to serve again', async () => (await listShipments()).status === 200, 30_000);
        assert.equal((await api('bank', 'GET', '/readyz')).status, 200);
        assert.equal(testNetwork.supervisor.pid('gateway.bank'), gatewayPid, 'the gateway was not restarted');
    });

    it('a killed chaincode server: reads fail over to another organisation, writes that need it fail cleanly, and both work again once it is back', async () => {
        const [id] = [...written.keys()];
        assert.ok(id);
        testNetwork.supervisor.kill('chaincode.carrier');
        await waitFor('chaincode.carrier to exit', async () => testNetwork.supervisor.pid('chaincode.carrier') === undefined, 10_000);

        const carrier = client('carrier', 'carrier-agent1');
        // The peer's gateway evaluates on another organisation's peer when its own chaincode fails.
        const record = JSON.parse(utf8.decode(await carrier.contract.evaluateTransaction('probe:getRecord', id))) as Record<string, string>;
        assert.equal(record.value, written.get(id));

        const needsCarrier = { arguments: [`needs-carrier-${runId}`, 'x'], endorsingOrganizations: ['CarrierMSP', 'ExporterMSP'] };
        const started = Date.now();
        await assert.rejects(carrier.contract.submitAsync('probe:putRecord', needsCarrier), (err: Error) => err.name === 'EndorseError');
        assert.ok(Date.now() - started < 15_000, 'the failure is reported, not left hanging');

        const packageId = (await testNetwork.packageIds()).get(peerOrg('carrier'));
        assert.ok(packageId);
        await ensureChaincodeServer(testNetwork.config, testNetwork.layout, testNetwork.supervisor, peerOrg('carrier'), packageId);
        await waitFor('the carrier peer to reach its chaincode again', async () => {
            const commit = await carrier.contract.submitAsync('probe:putRecord', needsCarrier);
            return (await commit.getStatus()).successful;
        }, 30_000);
        written.set(`needs-carrier-${runId}`, 'x');
    });

    it('the whole system restarted: the count and hash of every record and every block are identical', async () => {
        const before = await snapshot();
        closeClients();
        await testNetwork.stop();
        assert.deepEqual(testNetwork.supervisor.running(), []);
        await testNetwork.up();
        const after = await snapshot();
        assert.equal(after.records, before.records);
        assert.equal(after.blocks, before.blocks);
        assert.equal(after.digest, before.digest);
    });

    /** Every record this suite wrote, read through the Customs peer, and every block header, hashed together. */
    async function snapshot(): Promise<{ records: number; blocks: number; digest: string }> {
        const customs = client('customs', 'customs-officer1');
        const hash = createHash('sha256');
        for (const id of [...written.keys()].sort()) {
            hash.update(await customs.contract.evaluateTransaction('probe:getRecord', id));
        }
        const height = await chainHeight(customs.network);
        const blocks = await readBlocks(customs.network, height);
        for (const block of blocks) {
            hash.update((block.getHeader() ?? new common.BlockHeader()).serializeBinary());
        }
        return { records: written.size, blocks: blocks.length, digest: hash.digest('hex') };
    }
});
