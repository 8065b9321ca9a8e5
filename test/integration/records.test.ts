/**
 * The chaincode's record layer on the real network: the dossier is one ledger read that finds a shipment's records
 * by the chaincode's indexes, a status queue pages with the peer's bookmarks, and private data a member's peer has
 * not received yet is a retryable 503, never a dossier or examination with gaps.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { inspect } from 'node:util';
import { peerSpec } from '../../network/src/nodes';
import { waitFor } from '../../network/src/processes';
import { peerOrg } from '../../network/src/topology';
import { COMMERCIAL, DECLARATION_DETAILS, INVOICE_FIELDS, SHIPMENT } from '../unit/chaincode/fixtures';
import { chainHeight } from './blocks';
import { api, upload } from './gateway-client';
import { toProblem } from '../../gateway/src/errors';
import { translateFabricError } from '../../gateway/src/fabric/translate';
import { ClientPool, testNetwork } from './harness';
import { type Json, expectProblem, expectStatus, loginFlowPeople, pdf } from './trade-flows';

const run = randomUUID().slice(0, 8);
const utf8 = new TextDecoder();

describe('record layer on the real network: indexes, queues, dossier, private data not yet on a peer', function () {
    let as: (user: string) => string = () => assert.fail('not logged in yet');
    const pool = new ClientPool();

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        as = await loginFlowPeople();
    });

    after(() => pool.closeAll());

    async function openShipment(shipmentId: string): Promise<void> {
        expectStatus(await api('exporter', 'POST', '/api/v1/shipments', { token: as('exporter1'), json: { shipmentId, ...SHIPMENT, commercial: COMMERCIAL } }), 201);
    }

    it('the dossier is one chaincode read that finds every declaration by index, with allowedActions per caller; a status queue pages past its first page', async () => {
        const shipmentId = `SHP-R-${run}`;
        await openShipment(shipmentId);
        const declarationIds = [0, 1, 2].map((i) => `DEC-R-${run}-${i}`);
        for (const [i, declarationId] of declarationIds.entries()) {
            expectStatus(await api('exporter', 'POST', '/api/v1/declarations', {
                token: as('exporter1'), json: { declarationId, shipmentId, declarationType: 'EX', lrn: `LRN-R-${run}-${i}`, details: DECLARATION_DETAILS },
            }), 201);
        }
        // Customs' peer gets the exporter's blocks on its own: the officer looks once the last declaration is there.
        await waitFor('the Customs peer to have the last declaration', async () =>
            (await api('customs', 'GET', `/api/v1/declarations/${declarationIds[2]}`, { token: as('customs-officer1') })).status === 200, 30_000);
        const officer = expectStatus(await api('customs', 'GET', `/api/v1/shipments/${shipmentId}/dossier`, { token: as('customs-officer1') }), 200);
        const found = (officer.declarations as { record: Json; details: Json | null }[]);
        assert.deepEqual(found.map((d) => d.record.declarationId).sort(), declarationIds);
        assert.ok(found.every((d) => d.details !== null && (d.record.allowedActions as string[]).includes('acceptDeclaration')));
        assert.deepEqual((officer.shipment as Json).allowedActions, ['registerDocument'], 'customs may add its own papers, nothing else');
        await waitFor('the Carrier peer to have the last declaration', async () =>
            (await api('carrier', 'GET', `/api/v1/declarations/${declarationIds[2]}`, { token: as('carrier-agent1') })).status === 200, 30_000);
        const carrier = expectStatus(await api('carrier', 'GET', `/api/v1/shipments/${shipmentId}/dossier`, { token: as('carrier-agent1') }), 200);
        assert.equal((carrier.declarations as unknown[]).length, declarationIds.length);
        assert.ok((carrier.declarations as { details: unknown }[]).every((d) => d.details === null), 'the carrier sees no declaration details');
        assert.deepEqual(((carrier.declarations as { record: Json }[])[0]!.record.allowedActions), []);
        assert.deepEqual((carrier.shipment as Json).allowedActions, ['registerDocument', 'issueBillOfLading']);

        // The customs queue of LODGED declarations, two at a time: every one of ours appears, each once.
        const customs = pool.connect('customs', 'customs-officer1');
        const seen: string[] = [];
        let bookmark = '';
        for (let pages = 0; pages < 1000; pages++) {
            const page = JSON.parse(utf8.decode(await customs.contract.evaluateTransaction('declaration:queryDeclarationsByStatus', 'LODGED', '2', bookmark))) as { records: Json[]; bookmark: string };
            seen.push(...page.records.map((r) => String(r.declarationId)));
            if (page.records.length < 2 || page.bookmark === '') {
                break;
            }
            bookmark = page.bookmark;
        }
        assert.deepEqual(seen.filter((id) => declarationIds.includes(id)).sort(), declarationIds);
        assert.equal(new Set(seen).size, seen.length, 'no declaration twice across pages');
    });

    it('a member peer that missed the private data: its chaincode answers UNAVAILABLE, never "states nothing", and the gateway 503 with Retry-After until the peer has reconciled', async () => {
        const shipmentId = `SHP-U-${run}`;
        const invoiceId = `INV-U-${run}`;
        const spec = (org: string) => peerSpec(testNetwork.config, testNetwork.layout, peerOrg(org));
        const officer = as('trade-finance-officer1');
        const dossierPath = `/api/v1/shipments/${shipmentId}/dossier`;
        await testNetwork.supervisor.stop(spec('bank').name);
        try {
            // Until gossip declares the peer dead, an endorser may still pick it to hand the private data to.
            for (const org of ['exporter', 'customs']) {
                await waitFor(`the ${org} peer to see the Bank peer gone`, async () =>
                    !(await testNetwork.discoverPeers(peerOrg(org))).some((p) => p.MSPID === 'BankMSP'), 60_000);
            }
            // Exporter and Customs endorse and keep the commercial values and the invoice (ExporterCustomsBankCollection).
            await openShipment(shipmentId);
            expectStatus(await upload('exporter', as('exporter1'), shipmentId, invoiceId, 'commercialInvoice', pdf(`invoice ${run}`), INVOICE_FIELDS), 201);
            const height = await chainHeight(pool.connect('exporter', 'exporter1').network);

            // The Bank peer comes back with "reconciliation not done yet" made to last: a real peer first tries to pull
            // missing private data from other members while it commits (up to pvtData.pullRetryThreshold) and then
            // reconciles in the background (every reconcileSleepInterval). A threshold of 0 skips the pull and
            // reconciliation off keeps the data missing: the window every restarted member peer has, held open.
            const bankPeer = spec('bank');
            await testNetwork.supervisor.ensure({
                ...bankPeer,
                env: { ...bankPeer.env, CORE_PEER_GOSSIP_PVTDATA_PULLRETRYTHRESHOLD: '0s', CORE_PEER_GOSSIP_PVTDATA_RECONCILIATIONENABLED: 'false' },
            });
            const bank = pool.connect('bank', 'trade-finance-officer1');
            await waitFor('peer0.bank to catch up on blocks', async () => (await chainHeight(bank.network)) >= height, 60_000);

            // On the Bank peer itself the chaincode refuses with the retryable code, which the gateway maps to 503.
            const onBankPeer = bank.contract.evaluate('dossier:getDossier', { arguments: [shipmentId], endorsingOrganizations: ['BankMSP'] });
            const refused = await onBankPeer.then(() => assert.fail('the Bank peer answered without the private data'), (err: unknown) => err);
            const mapped = toProblem(translateFabricError(refused));
            assert.equal(mapped.status, 503, inspect(refused, { depth: 4 }));
            assert.equal(mapped.problem.code, 'UNAVAILABLE');
            assert.match(mapped.problem.detail, /not yet on this peer/);
            assert.equal(mapped.headers['Retry-After'], '10');

            // Through the Bank gateway (which evaluates on its own organisation's peer): 503, retry later.
            await waitFor('the Bank gateway to reach its peer again', async () => (await api('bank', 'GET', `/api/v1/shipments/${shipmentId}`, { token: officer })).status === 200, 30_000);
            for (const path of [dossierPath, `/api/v1/documents/${invoiceId}/versions/1/content`, `/api/v1/shipments/${shipmentId}/commercial`]) {
                const res = await api('bank', 'GET', path, { token: officer });
                const problem = expectProblem(res, 503, 'UNAVAILABLE');
                assert.match(String(problem.detail), /not yet on this peer/, path);
                assert.equal(res.headers.get('retry-after'), '10', path);
            }
            // The carrier is no member of that collection: its dossier never depended on the missing values.
            const carrier = expectStatus(await api('carrier', 'GET', dossierPath, { token: as('carrier-agent1') }), 200);
            assert.equal(carrier.commercial, null);
        } finally {
            // Back to the network's own settings: the Bank peer reconciles within its 10 s interval.
            pool.closeAll();
            await testNetwork.supervisor.stop(spec('bank').name);
            await testNetwork.supervisor.ensure(spec('bank'));
        }
        const bank = pool.connect('bank', 'trade-finance-officer1');
        await waitFor('peer0.bank to reconcile the private data it missed', async () => {
            const dossier = JSON.parse(utf8.decode(await bank.contract.evaluate('dossier:getDossier', { arguments: [shipmentId], endorsingOrganizations: ['BankMSP'] }))) as Json;
            return (dossier.commercial as Json | null)?.totalValue === COMMERCIAL.totalValue;
        }, 120_000);
        const served = expectStatus(await api('bank', 'GET', dossierPath, { token: as('trade-finance-officer1') }), 200);
        const invoice = (served.documents as Json[]).find((d) => d.documentId === invoiceId);
        assert.equal((invoice?.fields as Json).documentNumber, INVOICE_FIELDS.documentNumber, 'the invoice states what it states, not nothing');
    });
});
