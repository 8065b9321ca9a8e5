/**
 * Risk monitoring on the real network: every rule raised by a scenario through the organisations' gateways and seen
 * by the supervisor's gateway, and a near miss next to it that must raise nothing; alert status on the ledger; what
 * the concerned organisation and an unconcerned one see.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { BILL_OF_LADING, CERTIFICATE_DETAILS, COMMERCIAL, DECLARATION_DETAILS, INVOICE_FIELDS, PACKING_LIST_FIELDS, SHIPMENT } from '../unit/chaincode/fixtures';
import { waitFor } from '../../network/src/processes';
import { api, gatewayUrl, initialPassword, login, upload } from './gateway-client';
import { ensureSupervisor, testNetwork } from './harness';
import { expectProblem, expectStatus, pdf } from './trade-flows';

const run = randomUUID().slice(0, 8);
const ARTIFACTS = path.join(__dirname, 'artifacts');
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

interface Alert { alertId: string; rule: string; status: string; shipmentIds: string[]; exporters: string[]; concerns: string[]; citations: { record: string; id: string; txId: string }[]; reason?: string }

describe('risk monitoring: each rule raised through the gateways, near misses not (real Fabric network)', function () {
    let as: (user: string) => string;

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        await ensureSupervisor();
        const tokens: Record<string, string> = {};
        for (const [org, user] of [['exporter', 'exporter1'], ['carrier', 'carrier-agent1'], ['customs', 'customs-officer1'], ['customs', 'customs-supervisor1'],
            ['bank', 'trade-finance-officer1'], ['supervisor', 'supervisor-analyst1'], ['supervisor', 'supervisor-officer1']] as const) {
            tokens[user] = await login(org, user);
        }
        as = (user) => tokens[user] ?? assert.fail(`${user} is not logged in`);
    });

    /**
     * Waits until `user`'s gateway reads `urlPath` (and `ok` holds): each gateway reads through its own organisation's
     * peer, which may commit a block a moment after the peer that answered the write.
     */
    async function seen(org: string, user: string, urlPath: string, ok: (body: Record<string, unknown>) => boolean = () => true): Promise<void> {
        await waitFor(`${org} to read ${urlPath}`, async () => {
            const res = await api(org, 'GET', urlPath, { token: as(user) });
            return res.status === 200 && ok(res.body as Record<string, unknown>);
        }, 30_000);
    }

    let marks = 0;
    /**
     * Every write answered so far is on the peers of the supervisor and of the concerned organisations: a marker
     * written after them is read there (peers commit blocks in order).
     */
    async function caughtUp(): Promise<void> {
        const marker = `SHP-RMK-${run}-${++marks}`;
        expectStatus(await api('exporter', 'POST', '/api/v1/shipments', { token: as('exporter1'), json: { shipmentId: marker, ...SHIPMENT, commercial: COMMERCIAL } }), 201);
        for (const [org, user] of [['supervisor', 'supervisor-analyst1'], ['bank', 'trade-finance-officer1'], ['carrier', 'carrier-agent1']] as const) {
            await seen(org, user, `/api/v1/shipments/${marker}`);
        }
    }

    /** The supervisor's view of the alerts of `shipmentId` (optionally of one rule), once it has every write so far. */
    async function alertsOf(shipmentId: string, rule?: string, org = 'supervisor', user = 'supervisor-analyst1'): Promise<Alert[]> {
        await caughtUp();
        const query = new URLSearchParams({ shipmentId, ...(rule ? { rule } : {}) });
        return (expectStatus(await api(org, 'GET', `/api/v1/risk/alerts?${query}`, { token: as(user) }), 200) as { alerts: Alert[] }).alerts;
    }

    /**
     * A shipment ready for financing: invoice (total 19000.00 USD) and packing list, a lodged declaration, an issued
     * B/L held by the exporter. `name` is the exporter's company on the shipment (the per-exporter key of the rules).
     */
    async function prepare(tag: string, exporterName = SHIPMENT.exporter.name): Promise<{ shipment: string; invoice: string; packingList: string; tdr: string; declaration: string }> {
        const ids = { shipment: `SHP-R${tag}-${run}`, invoice: `INV-R${tag}-${run}`, packingList: `PL-R${tag}-${run}`, tdr: `BOLUR${tag}${run}`, declaration: `DEC-R${tag}-${run}` };
        const exporter = as('exporter1');
        expectStatus(await api('exporter', 'POST', '/api/v1/shipments', {
            token: exporter, json: { shipmentId: ids.shipment, ...SHIPMENT, exporter: { ...SHIPMENT.exporter, name: exporterName }, commercial: COMMERCIAL },
        }), 201);
        expectStatus(await upload('exporter', exporter, ids.shipment, ids.invoice, 'commercialInvoice', pdf(`invoice ${tag} ${run}`), { ...INVOICE_FIELDS, documentNumber: ids.invoice }), 201);
        expectStatus(await upload('exporter', exporter, ids.shipment, ids.packingList, 'packingList', pdf(`packing list ${tag} ${run}`), PACKING_LIST_FIELDS), 201);
        expectStatus(await api('exporter', 'POST', '/api/v1/declarations', {
            token: exporter, json: { declarationId: ids.declaration, shipmentId: ids.shipment, declarationType: 'EX', lrn: `LRN-R${tag}-${run}`, details: DECLARATION_DETAILS },
        }), 201);
        await seen('carrier', 'carrier-agent1', `/api/v1/shipments/${ids.shipment}`);
        expectStatus(await api('carrier', 'POST', '/api/v1/bills-of-lading', {
            token: as('carrier-agent1'), json: { transportDocumentReference: ids.tdr, shipmentId: ids.shipment, ...BILL_OF_LADING },
        }), 201);
        await seen('exporter', 'exporter1', `/api/v1/bills-of-lading/${ids.tdr}`);
        await seen('bank', 'trade-finance-officer1', `/api/v1/bills-of-lading/${ids.tdr}`);
        return ids;
    }

    function financing(ids: { shipment: string; invoice: string; packingList: string; tdr: string; declaration: string }, financingId: string, amount: string) {
        return api('exporter', 'POST', '/api/v1/financing', {
            token: as('exporter1'), json: {
                financingId, shipmentId: ids.shipment, financingType: 'RECEIVABLES_FINANCING', transportDocumentReference: ids.tdr,
                declarationId: ids.declaration, documentIds: { commercialInvoice: ids.invoice, packingList: ids.packingList },
                requiresBlHeldByBank: false, requiresCertificateOfOrigin: false,
                terms: { amount, currency: 'USD', tenorDays: 90, expiryDate: day(60) },
            },
        });
    }

    it('DOUBLE_FINANCING: a refused second financing of a B/L is recorded and raised, citing the live financing and the refused transaction; after a withdrawal a new financing is no alert', async () => {
        const ids = await prepare('DF');
        const first = expectStatus(await financing(ids, `FIN-RDF1-${run}`, '10000.00'), 201);
        const refused = expectProblem(await financing(ids, `FIN-RDF2-${run}`, '9000.00'), 409, 'CONFLICT');
        const refusedTx = refused.transactionId as string;
        assert.match(refusedTx, /^[0-9a-f]{64}$/);
        const [alert, ...more] = await alertsOf(ids.shipment, 'DOUBLE_FINANCING');
        assert.ok(alert, 'the refused attempt raised an alert');
        assert.deepEqual(more, []);
        assert.equal(alert.status, 'OPEN');
        assert.deepEqual(alert.exporters, [`${SHIPMENT.exporter.name} (${SHIPMENT.exporter.country})`]);
        assert.ok(alert.citations.some((c) => c.record === 'financing' && c.id === first.financingId), JSON.stringify(alert.citations));
        assert.ok(alert.citations.some((c) => c.txId === refusedTx), 'the refused proposal is cited by its transaction id');
        // The organisations concerned see it too; the carrier, not concerned, does not.
        assert.equal((await alertsOf(ids.shipment, 'DOUBLE_FINANCING', 'bank', 'trade-finance-officer1')).length, 1);
        assert.deepEqual(await alertsOf(ids.shipment, 'DOUBLE_FINANCING', 'carrier', 'carrier-agent1'), []);

        const near = await prepare('DFN');
        expectStatus(await financing(near, `FIN-RDFN1-${run}`, '10000.00'), 201);
        expectStatus(await api('exporter', 'POST', `/api/v1/financing/FIN-RDFN1-${run}/withdraw`, { token: as('exporter1') }), 200);
        expectStatus(await financing(near, `FIN-RDFN2-${run}`, '10000.00'), 201);
        assert.deepEqual(await alertsOf(near.shipment), [], 'a financing after the first ended is no double financing');
    });

    it('DUPLICATE_FILE: the same bytes on two shipments are raised with both uploads cited; different files of the same name are not', async () => {
        const a = await prepare('DUA');
        const b = await prepare('DUB');
        const bytes = pdf(`one survey report ${run}`);
        expectStatus(await upload('exporter', as('exporter1'), a.shipment, `SUR-RDUA-${run}`, 'other', bytes), 201);
        expectStatus(await upload('exporter', as('exporter1'), b.shipment, `SUR-RDUB-${run}`, 'other', bytes), 201);
        const [alert] = await alertsOf(a.shipment, 'DUPLICATE_FILE');
        assert.ok(alert, 'raised');
        assert.deepEqual(alert.shipmentIds, [a.shipment, b.shipment].sort());
        assert.deepEqual(alert.citations.map((c) => c.id).sort(), [`SUR-RDUA-${run} v1`, `SUR-RDUB-${run} v1`]);
        assert.ok(alert.citations.every((c) => /^[0-9a-f]{64}$/.test(c.txId)));

        const c = await prepare('DUC');
        const d = await prepare('DUD');
        expectStatus(await upload('exporter', as('exporter1'), c.shipment, `SUR-RDUC-${run}`, 'other', pdf(`survey C ${run}`), undefined, 'application/pdf', {}, 'survey.pdf'), 201);
        expectStatus(await upload('exporter', as('exporter1'), d.shipment, `SUR-RDUD-${run}`, 'other', pdf(`survey D ${run}`), undefined, 'application/pdf', {}, 'survey.pdf'), 201);
        assert.deepEqual(await alertsOf(c.shipment, 'DUPLICATE_FILE'), []);
        assert.deepEqual(await alertsOf(d.shipment, 'DUPLICATE_FILE'), []);
    });

    it('OVER_FINANCING: an amount above the invoice total is raised from the members\' comparison, no amount on the alert; the invoice total itself is not', async () => {
        const over = await prepare('OF');
        const res = await financing(over, `FIN-ROF-${run}`, '19000.01');
        expectStatus(res, 201);
        assert.match(res.headers.get('x-risk-assessment') ?? '', /^[0-9a-f]{64}$/, 'assessed right after the request');
        const [alert] = await alertsOf(over.shipment, 'OVER_FINANCING');
        assert.ok(alert, 'raised');
        assert.ok(alert.citations.some((c) => c.record === 'document' && c.id === `${over.invoice} v1`));
        assert.doesNotMatch(JSON.stringify(alert), /19000/, 'neither the amount nor the invoice total is on the alert');

        const exact = await prepare('OFN');
        const ok = await financing(exact, `FIN-ROFN-${run}`, '19000.00');
        expectStatus(ok, 201);
        assert.match(ok.headers.get('x-risk-assessment') ?? '', /^[0-9a-f]{64}$/);
        assert.deepEqual(await alertsOf(exact.shipment), []);
    });

    it('BL_AFTER_END: a transfer of a B/L surrendered for delivery is refused, recorded and raised; a transfer refused for another reason is not', async () => {
        const ids = await prepare('BL');
        expectStatus(await api('exporter', 'POST', `/api/v1/bills-of-lading/${ids.tdr}/surrender`, { token: as('exporter1'), json: { purpose: 'DELIVERY' } }), 200);
        await seen('carrier', 'carrier-agent1', `/api/v1/bills-of-lading/${ids.tdr}`, (bl) => bl.transportDocumentStatus === 'PENDING_SURRENDER_FOR_DELIVERY');
        expectStatus(await api('carrier', 'POST', `/api/v1/bills-of-lading/${ids.tdr}/surrender/accept`, { token: as('carrier-agent1') }), 200);
        await seen('exporter', 'exporter1', `/api/v1/bills-of-lading/${ids.tdr}`, (bl) => bl.transportDocumentStatus === 'SURRENDER_FOR_DELIVERY');
        const refused = expectProblem(await api('exporter', 'POST', `/api/v1/bills-of-lading/${ids.tdr}/transfer`, { token: as('exporter1'), json: { toMspId: 'BankMSP' } }), 403, 'FORBIDDEN');
        const [alert] = await alertsOf(ids.shipment, 'BL_AFTER_END');
        assert.ok(alert, 'raised');
        assert.ok(alert.citations.some((c) => c.txId === refused.transactionId));
        assert.ok(alert.concerns.includes('CarrierMSP') && alert.concerns.includes('ExporterMSP'), JSON.stringify(alert.concerns));

        // The bank tries to move a live B/L the exporter holds: refused (not the holder), but nothing spent was passed on.
        const near = await prepare('BLN');
        await seen('bank', 'trade-finance-officer1', `/api/v1/bills-of-lading/${near.tdr}`);
        expectProblem(await api('bank', 'POST', `/api/v1/bills-of-lading/${near.tdr}/transfer`, { token: as('trade-finance-officer1'), json: { toMspId: 'ExporterMSP' } }), 403, 'FORBIDDEN');
        assert.deepEqual(await alertsOf(near.shipment), []);
    });

    it('REVOKED_COO: an exporter whose certificate of origin was revoked is raised per exporter; a rejected application is not', async () => {
        const revokedExporter = `Revoked Origin Trading ${run}`;
        const ids = await prepare('CO', revokedExporter);
        const coo = await applyCertificate(ids.shipment, `COA-RCO-${run}`);
        await seen('customs', 'customs-officer1', `/api/v1/certificates/${coo}`);
        expectStatus(await api('customs', 'POST', `/api/v1/certificates/${coo}/issue`, { token: as('customs-officer1'), json: { certificateNumber: `CN-RCO-${run}` } }), 200);
        expectStatus(await api('customs', 'POST', `/api/v1/certificates/${coo}/revoke`, { token: as('customs-supervisor1'), json: { reason: 'origin not substantiated' } }), 200);
        const exporterKey = `${revokedExporter} (${SHIPMENT.exporter.country})`;
        await caughtUp();
        const perExporter = (expectStatus(await api('supervisor', 'GET', `/api/v1/risk/alerts?${new URLSearchParams({ exporter: exporterKey })}`, { token: as('supervisor-analyst1') }), 200) as { alerts: Alert[] }).alerts;
        assert.deepEqual(perExporter.map((a) => a.rule), ['REVOKED_COO']);
        assert.ok(perExporter[0]!.citations.some((c) => c.record === 'certificate' && c.id === coo));

        const rejectedExporter = `Rejected Origin Trading ${run}`;
        const near = await prepare('CON', rejectedExporter);
        const rejected = await applyCertificate(near.shipment, `COA-RCON-${run}`);
        await seen('customs', 'customs-officer1', `/api/v1/certificates/${rejected}`);
        expectStatus(await api('customs', 'POST', `/api/v1/certificates/${rejected}/reject`, { token: as('customs-officer1'), json: { reason: 'incomplete application' } }), 200);
        await caughtUp();
        const none = (expectStatus(await api('supervisor', 'GET', `/api/v1/risk/alerts?${new URLSearchParams({ exporter: `${rejectedExporter} (${SHIPMENT.exporter.country})` })}`, { token: as('supervisor-analyst1') }), 200) as { alerts: Alert[] }).alerts;
        assert.deepEqual(none, []);
    });

    it('alert status lives on the ledger: an analyst acknowledges, only an officer closes with a reason; the supervisor writes no trade record', async () => {
        const ids = await prepare('ST');
        expectStatus(await financing(ids, `FIN-RST-${run}`, '20000.00'), 201);
        const [alert] = await alertsOf(ids.shipment, 'OVER_FINANCING');
        assert.ok(alert);
        const acknowledged = expectStatus(await api('supervisor', 'POST', `/api/v1/risk/alerts/${alert.alertId}/acknowledge`, { token: as('supervisor-analyst1') }), 200);
        assert.equal(acknowledged.status, 'ACKNOWLEDGED');
        expectProblem(await api('supervisor', 'POST', `/api/v1/risk/alerts/${alert.alertId}/close`, { token: as('supervisor-analyst1'), json: { reason: 'explained' } }), 403, 'FORBIDDEN');
        const closed = expectStatus(await api('supervisor', 'POST', `/api/v1/risk/alerts/${alert.alertId}/close`, { token: as('supervisor-officer1'), json: { reason: 'credit line covers freight and insurance' } }), 200);
        assert.equal(closed.status, 'CLOSED');
        const read = expectStatus(await api('supervisor', 'GET', `/api/v1/risk/alerts/${alert.alertId}`, { token: as('supervisor-analyst1') }), 200) as unknown as Alert;
        assert.equal(read.status, 'CLOSED');
        assert.equal(read.reason, 'credit line covers freight and insurance');
        assert.deepEqual((read as unknown as { changes: { status: string }[] }).changes.map((c) => c.status), ['ACKNOWLEDGED', 'CLOSED']);
        // Least privilege: shared state is read-only to the supervisor, and it is in no commercial collection.
        expectProblem(await api('supervisor', 'POST', '/api/v1/shipments', { token: as('supervisor-officer1'), json: { shipmentId: `SHP-RSV-${run}`, ...SHIPMENT, commercial: COMMERCIAL } }), 403, 'FORBIDDEN');
        expectProblem(await api('supervisor', 'GET', `/api/v1/shipments/${ids.shipment}/commercial`, { token: as('supervisor-analyst1') }), 403, 'FORBIDDEN');
        expectProblem(await api('supervisor', 'GET', `/api/v1/financing/FIN-RST-${run}/terms`, { token: as('supervisor-analyst1') }), 403, 'FORBIDDEN');
        assert.equal(expectStatus(await api('supervisor', 'GET', `/api/v1/shipments/${ids.shipment}`, { token: as('supervisor-analyst1') }), 200).shipmentId, ids.shipment);
    });

    it('the supervisor\'s dashboard in Chromium: the alerts above with their charts, filtered by rule and by exporter; an officer closes one with a reason', async function () {
        this.timeout(180_000);
        const chromiumPath = process.env.TRADEDOCS_CHROMIUM ?? '/usr/bin/chromium';
        assert.ok(fs.existsSync(chromiumPath), `no Chromium at ${chromiumPath} (apt-get install chromium, or set TRADEDOCS_CHROMIUM)`);
        const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
        const errors: string[] = [];
        try {
            const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 }, baseURL: gatewayUrl('supervisor') })).newPage();
            page.setDefaultTimeout(45_000);
            // A CSP violation (an inline style or script of the chart library) would be a console error.
            page.on('console', (msg) => { if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) { errors.push(msg.text()); } });
            page.on('pageerror', (err) => errors.push(err.message));
            await page.goto('/#/login');
            await page.getByLabel('User name').fill('supervisor-officer1');
            await page.getByLabel('Password').fill(initialPassword('supervisor', 'supervisor-officer1'));
            await page.getByRole('button', { name: 'Sign in' }).click();
            await page.getByRole('heading', { name: 'Risk alerts' }).waitFor();
            const cards = page.getByTestId('alert');
            await cards.first().waitFor();
            for (const rule of ['DOUBLE_FINANCING', 'DUPLICATE_FILE', 'OVER_FINANCING', 'BL_AFTER_END', 'REVOKED_COO']) {
                assert.ok(await page.locator(`[data-rule="${rule}"]`).count() >= 1, `a ${rule} alert is on the dashboard`);
            }
            // The charts are drawn on their canvases (Chart.js sets their size once it rendered).
            for (const id of ['chart-rules', 'chart-exporters']) {
                assert.ok(Number(await page.getByTestId(id).getAttribute('height')) > 0, `${id} is drawn`);
            }
            await page.getByLabel('Rule', { exact: true }).selectOption('REVOKED_COO');
            assert.equal(await page.locator('[data-testid="alert"]:not([data-rule="REVOKED_COO"])').count(), 0, 'the rule filter leaves only its alerts');
            await page.getByLabel('Rule', { exact: true }).selectOption('');
            const exporterKey = `Revoked Origin Trading ${run} (${SHIPMENT.exporter.country})`;
            await page.getByLabel('Exporter', { exact: true }).selectOption(exporterKey);
            assert.equal(await cards.count(), 1, 'the per-exporter view');
            await page.screenshot({ path: path.join(ARTIFACTS, 'supervisor-dashboard.png'), fullPage: true });
            const card = cards.first();
            await card.getByLabel('Reason').fill('origin re-verified with the issuing chamber');
            await card.getByRole('button', { name: 'Close' }).click();
            await page.getByText('Closed: origin re-verified with the issuing chamber').waitFor();
        } finally {
            await browser.close();
        }
        assert.deepEqual(errors, [], 'the dashboard logged errors in the browser console');
    });

    async function applyCertificate(shipmentId: string, applicationId: string): Promise<string> {
        expectStatus(await api('exporter', 'POST', '/api/v1/certificates', {
            token: as('exporter1'), json: { applicationId, shipmentId, certificateType: 'NON_PREFERENTIAL', countryOfOrigin: 'CN', documentSha256: 'b'.repeat(64), details: CERTIFICATE_DETAILS },
        }), 201);
        return applicationId;
    }
});
