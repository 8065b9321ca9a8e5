/**
 * The foundation, proven on a real network: the orderers (3 Raft, or 4 SmartBFT with TRADEDOCS_ORDERER_TYPE=bft), 4 peers,
 * 4 Fabric CAs, chaincode as a service.
 * The tests share one network and run in order: later ones stop, kill and restart parts of it.
 */
import { execFile } from 'node:child_process';
import { X509Certificate, randomUUID } from 'node:crypto';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { peer } from '@hyperledger/fabric-protos';
import { queryCommitted } from '../../network/src/chaincode';
import { ordererSpec } from '../../network/src/nodes';
import { waitFor } from '../../network/src/processes';
import { PEER_ORGS, peerOrg } from '../../network/src/topology';
import { blockContains, chainHeight, channelCapabilities, endorserTransactions, endorsingMsps, readBlock, readBlocks, waitForBlock } from './blocks';
import { gatewayIdentity } from './gateway-keys';
import { ClientPool, type OrgClient, salted, testNetwork } from './harness';
import { orderingLeader, ordererNodes, waitForOrderersInStep } from './ordering';

const utf8 = new TextDecoder();
const runId = randomUUID().slice(0, 8);

describe('network foundation (real Fabric network)', function () {
    const pool = new ClientPool();
    const client = (org: string, user: string, via?: string): OrgClient => pool.connect(org, user, via);
    const closeClients = (): void => pool.closeAll();

    const publicId = `pub-${runId}`;
    const publicValue = `shared fact ${runId}`;
    const privateId = `priv-${runId}`;
    const secret = `financing amount USD 1${runId.replace(/\D/g, '')}.00 ${randomUUID()}`;

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
    });

    after(closeClients);

    it('a record submitted by an exporter through the Exporter peer is endorsed by two organisations, committed, and read back through the Customs peer', async () => {
        const exporter = client('exporter', 'exporter1');
        const commit = await exporter.contract.submitAsync('probe:putRecord', { arguments: [publicId, publicValue] });
        const status = await commit.getStatus();
        assert.equal(status.successful, true, `validation code ${status.code}`);

        const endorsers = endorsingMsps(await readBlock(exporter.network, status.blockNumber), commit.getTransactionId());
        assert.ok(endorsers.includes('ExporterMSP'), `endorsers: ${endorsers.join(', ')}`);
        assert.ok(new Set(endorsers).size >= 2, `the policy needs two organisations; endorsers: ${endorsers.join(', ')}`);

        const customs = client('customs', 'customs-officer1');
        await waitForBlock(customs.network, status.blockNumber);
        const record = JSON.parse(utf8.decode(await customs.contract.evaluateTransaction('probe:getRecord', publicId))) as Record<string, unknown>;
        assert.equal(record.value, publicValue);
        assert.deepEqual(record.writtenBy && (record.writtenBy as Record<string, string>).mspId, 'ExporterMSP');
        assert.equal(record.txId, commit.getTransactionId());
    });

    it('a single organisation cannot write shared state alone: endorsement by the Exporter peer only fails validation', async () => {
        const exporter = client('exporter', 'exporter1');
        const proposal = exporter.contract.newProposal('probe:putRecord', { arguments: [`alone-${runId}`, 'one org only'], endorsingOrganizations: ['ExporterMSP'] });
        const transaction = await proposal.endorse();
        const status = await (await transaction.submit()).getStatus();
        assert.equal(status.successful, false);
        assert.equal(status.code, 10); // ENDORSEMENT_POLICY_FAILURE
        await assert.rejects(exporter.contract.evaluateTransaction('probe:getRecord', `alone-${runId}`), /NOT_FOUND/);
    });

    it('a user certificate issued by the Customs CA carries the role attribute, and the chaincode reads it', async () => {
        const customsOrg = peerOrg('customs');
        const user = gatewayIdentity(testNetwork.layout, 'customs', 'customs-officer1');
        const certificate = new X509Certificate(user.certificatePem);
        assert.ok(certificate.checkIssued(new X509Certificate(fs.readFileSync(testNetwork.layout.caCert(customsOrg)))), 'issued by the Customs CA');
        // Fabric CA writes attributes as JSON into certificate extension 1.2.3.4.5.6.7.8.1.
        assert.match(certificate.raw.toString('latin1'), /"role":"customs_officer"/);

        const customs = client('customs', 'customs-officer1');
        const who = JSON.parse(utf8.decode(await customs.contract.evaluateTransaction('probe:whoAmI'))) as Record<string, string>;
        assert.equal(who.mspId, 'CustomsMSP');
        assert.equal(who.role, 'customs_officer');
        assert.match(who.id ?? '', /CN=customs-officer1/);
    });

    it('a private value in the Exporter+Bank collection is readable through the Bank peer, refused through the Customs peer, and in no block', async () => {
        const exporter = client('exporter', 'exporter1');
        const commit = await exporter.contract.submitAsync('probe:putPrivate', {
            arguments: ['ExporterBankCollection', privateId],
            transientData: salted({ value: secret }),
        });
        const status = await commit.getStatus();
        assert.equal(status.successful, true, `validation code ${status.code}`);

        const bank = client('bank', 'trade-finance-officer1');
        await waitForBlock(bank.network, status.blockNumber);
        const stored = JSON.parse(utf8.decode(await bank.contract.evaluateTransaction('probe:getPrivate', 'ExporterBankCollection', privateId))) as Record<string, string>;
        assert.equal(stored.value, secret);

        const customs = client('customs', 'customs-officer1');
        await assert.rejects(customs.contract.evaluateTransaction('probe:getPrivate', 'ExporterBankCollection', privateId), /FORBIDDEN/);

        const height = await chainHeight(exporter.network);
        assert.ok(height > status.blockNumber, 'the private write is within the scanned blocks');
        const blocks = await readBlocks(exporter.network, height);
        assert.equal(blocks.length, Number(height));
        assert.ok(blocks.some((b) => blockContains(b, publicValue)), 'the scan finds a public value, so it can find the secret');
        assert.deepEqual(blocks.filter((b) => blockContains(b, secret)).map((b) => b.getHeader()?.getNumber()), []);
        for (const node of ordererNodes()) {
            const files = listFiles(testNetwork.layout.ordererDataDir(node));
            assert.ok(files.length > 0);
            for (const file of files) {
                assert.equal(fs.readFileSync(file).includes(Buffer.from(secret)), false, `${file} holds the secret`);
            }
        }
    });

    it('channel V3_0: each transaction reaches the ledger once (no DUPLICATE_TXID), and private-data transactions commit without the private-data pull stall', async () => {
        const exporter = client('exporter', 'exporter1');
        const [genesis] = await readBlocks(exporter.network, 1n);
        assert.ok(genesis && channelCapabilities(genesis).includes('V3_0'), 'the channel runs with the V3_0 capability');

        // Public and private writes at once, so that several share a block, as under load.
        const commits = await Promise.all(Array.from({ length: 4 }, (_, i) => [
            exporter.contract.submitAsync('probe:putRecord', { arguments: [`once-${runId}-${i}`, `public ${i}`] }),
            exporter.contract.submitAsync('probe:putPrivate', {
                arguments: ['ExporterCustomsBankCollection', `once-private-${runId}-${i}`], transientData: salted({ value: `private ${i}` }),
            }),
        ]).flat());
        for (const commit of commits) {
            assert.equal((await commit.getStatus()).successful, true);
        }

        const transactions = endorserTransactions(await readBlocks(exporter.network, await chainHeight(exporter.network)));
        for (const commit of commits) {
            const copies = transactions.filter((t) => t.txId === commit.getTransactionId());
            assert.deepEqual(copies.map((t) => t.code), [peer.TxValidationCode.VALID], `${commit.getTransactionId()} is on the ledger once, valid`);
        }
        assert.deepEqual(transactions.filter((t) => t.code === peer.TxValidationCode.DUPLICATE_TXID), [], 'no transaction reached the orderers twice');
        assert.equal(new Set(transactions.map((t) => t.txId)).size, transactions.length);
        // A peer that misses private data at commit waits for pullRetryThreshold (60 s), then logs this and commits
        // without it; the duplicates of the 2023 snapshot caused exactly that.
        for (const org of PEER_ORGS) {
            const log = fs.readFileSync(testNetwork.supervisor.logFile(`peer0.${org.key}`), 'utf8');
            assert.doesNotMatch(log, /Could not fetch \(or mark to reconcile later\)/, `peer0.${org.key} committed a block without its private data`);
        }
    });

    it('deploy of a changed chaincode commits the next sequence and keeps the ledger', async () => {
        const before = await queryCommitted(testNetwork.config, testNetwork.layout, peerOrg('exporter'));
        assert.ok(before);
        // Any change to what the chaincode servers run changes the definition's version, as an edited contract does.
        const marker = path.join(testNetwork.layout.chaincodeDir, 'dist', 'redeploy-test-marker.js');
        fs.writeFileSync(marker, `// ${runId}\n`);
        try {
            await testNetwork.deploy();
        } finally {
            fs.rmSync(marker);
        }
        const after = await queryCommitted(testNetwork.config, testNetwork.layout, peerOrg('exporter'));
        assert.equal(after?.sequence, before.sequence + 1);
        assert.notEqual(after?.version, before.version);

        const customs = client('customs', 'customs-supervisor1');
        const record = JSON.parse(utf8.decode(await customs.contract.evaluateTransaction('probe:getRecord', publicId))) as Record<string, string>;
        assert.equal(record.value, publicValue);
        const commit = await client('exporter', 'exporter1').contract.submitAsync('probe:putRecord', { arguments: [`after-deploy-${runId}`, 'served by the new package'] });
        assert.equal((await commit.getStatus()).successful, true);
    });

    it('with the ordering leader killed (SIGKILL) transactions still commit; restarted, it catches up', async () => {
        const leader = await orderingLeader();
        testNetwork.supervisor.kill(leader.name);
        await waitFor('the killed orderer to exit', async () => testNetwork.supervisor.pid(leader.name) === undefined, 10_000);

        const exporter = client('exporter', 'exporter1');
        let attempt = 0;
        const write = async (): Promise<boolean> => {
            const commit = await exporter.contract.submitAsync('probe:putRecord', { arguments: [`during-outage-${runId}-${attempt++}`, `written with ${leader.name} down`] });
            return (await commit.getStatus()).successful;
        };
        // Until the others have chosen a new leader (Raft election, BFT view change) the orderers refuse writes, so a
        // client retries; then writes commit as before.
        await waitFor('a write to commit under a new ordering leader', write, 60_000);
        for (let i = 0; i < 2; i++) {
            assert.equal(await write(), true);
        }
        const height = await chainHeight(exporter.network);

        await testNetwork.supervisor.ensure(ordererSpec(testNetwork.config, testNetwork.layout, leader));
        const caughtUp = await waitForOrderersInStep(`${leader.name} to catch up`);
        assert.ok(caughtUp >= Number(height), 'the restarted orderer has the blocks written while it was down');
    });

    it('up on a half-up network repairs it: a killed peer and a killed chaincode server come back', async () => {
        testNetwork.supervisor.kill('peer0.carrier');
        testNetwork.supervisor.kill('chaincode.bank');
        await waitFor('the killed processes to exit', async () =>
            testNetwork.supervisor.pid('peer0.carrier') === undefined && testNetwork.supervisor.pid('chaincode.bank') === undefined, 10_000);
        assert.ok((await testNetwork.status()).some((s) => !s.healthy));

        await testNetwork.up();

        const statuses = await testNetwork.status();
        assert.deepEqual(statuses.filter((s) => !s.healthy).map((s) => s.name), []);
        const bank = client('bank', 'trade-finance-approver1');
        const stored = JSON.parse(utf8.decode(await bank.contract.evaluateTransaction('probe:getPrivate', 'ExporterBankCollection', privateId))) as Record<string, string>;
        assert.equal(stored.value, secret);
    });

    it('stop everything and start again: what was written before is still there', async () => {
        closeClients();
        await testNetwork.stop();
        assert.deepEqual(testNetwork.supervisor.running(), []);

        await testNetwork.up();

        const carrier = client('carrier', 'carrier-agent1');
        const record = JSON.parse(utf8.decode(await carrier.contract.evaluateTransaction('probe:getRecord', publicId))) as Record<string, string>;
        assert.equal(record.value, publicValue);
        const bank = client('bank', 'trade-finance-officer1');
        const stored = JSON.parse(utf8.decode(await bank.contract.evaluateTransaction('probe:getPrivate', 'ExporterBankCollection', privateId))) as Record<string, string>;
        assert.equal(stored.value, secret);
        // And the restarted network still takes writes.
        const commit = await client('exporter', 'forwarder1').contract.submitAsync('probe:putRecord', { arguments: [`after-restart-${runId}`, 'still writable'] });
        assert.equal((await commit.getStatus()).successful, true);
    });

    it('npm stop leaves no Fabric or chaincode process running', async () => {
        closeClients();
        const pids = [...PEER_ORGS.flatMap((o) => [`peer0.${o.key}`, `ca.${o.key}`, `chaincode.${o.key}`]), ...ordererNodes().map((n) => n.name)]
            .map((name) => testNetwork.supervisor.pid(name));
        assert.equal(pids.filter((p) => p === undefined).length, 0, 'everything ran before the stop');

        await promisify(execFile)('bash', [path.join(testNetwork.config.repoDir, 'scripts', 'tradedocs.sh'), 'stop'], {
            env: {
                ...process.env,
                TRADEDOCS_RUN_DIR: testNetwork.config.runDir,
                TRADEDOCS_BASE_PORT: String(testNetwork.config.basePort),
                TRADEDOCS_FABRIC_DIR: testNetwork.config.fabricDir,
            },
        });

        assert.deepEqual(testNetwork.supervisor.running(), []);
        // The stopped processes were children of this test process: wait until it has reaped them.
        await waitFor('the stopped processes to disappear', async () => pids.every((pid) => pid !== undefined && !fs.existsSync(`/proc/${pid}`)), 10_000);
    });
});

function listFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? listFiles(full) : [full];
    });
}
