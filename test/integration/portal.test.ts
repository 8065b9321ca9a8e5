/**
 * The organisation portals in a real browser (Debian's Chromium, headless, driven by playwright-core) against the
 * real network: the whole flow across the four portals, from opening a shipment to funds released, then the public
 * verification page and a record's history. Every step asserts something the person would see; screenshots go to
 * test/integration/artifacts/.
 *
 * The portals are the gateways themselves (each serves gateway/portal/dist at /). To run this file against portals
 * served elsewhere (e.g. `vite preview` in front of a development network), set TRADEDOCS_PORTAL_URLS to
 * "exporter=http://…,carrier=http://…,customs=http://…,bank=http://…" and TRADEDOCS_PORTAL_PASSWORDS to the
 * directory holding <org>/initial-passwords; the test network is then not started.
 */
import * as assert from 'node:assert/strict';
import { createHash, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright-core';
import { COMMERCIAL, SHIPMENT } from '../unit/chaincode/fixtures';
import { api, gatewayUrl, initialPassword, login } from './gateway-client';
import { testNetwork } from './harness';

const ARTIFACTS = path.join(__dirname, 'artifacts');
const CHROMIUM = process.env.TRADEDOCS_CHROMIUM ?? '/usr/bin/chromium';
const runId = randomUUID().slice(0, 8).toUpperCase();
const shipmentId = `SHP-${runId}`;
/** Long enough for a ledger commit seen through the portal's reload. */
const LEDGER_MS = 45_000;

const overrides = new Map((process.env.TRADEDOCS_PORTAL_URLS ?? '').split(',').filter(Boolean).map((pair) => pair.split('=') as [string, string]));

function portalUrl(org: string): string {
    return overrides.get(org) ?? gatewayUrl(org);
}

function password(org: string, user: string): string {
    const dir = process.env.TRADEDOCS_PORTAL_PASSWORDS;
    if (!dir) {
        return initialPassword(org, user);
    }
    const line = fs.readFileSync(path.join(dir, org, 'initial-passwords'), 'utf8').split('\n').find((l) => l.split('\t')[0] === user);
    return line?.split('\t')[2] ?? '';
}

/** A one-page PDF with a line of text, unique per run (so its hash is new on the ledger). */
function pdf(title: string): Buffer {
    const text = `${title} ${runId}`;
    const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
    const objects = [
        '<< /Type /Catalog /Pages 2 0 R >>',
        '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
        '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
        `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
        '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    ];
    let body = '%PDF-1.4\n';
    const offsets: number[] = [];
    objects.forEach((o, i) => {
        offsets.push(body.length);
        body += `${i + 1} 0 obj\n${o}\nendobj\n`;
    });
    const xref = body.length;
    body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
    body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
    return Buffer.from(body, 'latin1');
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
const invoice = { name: `invoice-${runId}.pdf`, mimeType: 'application/pdf', buffer: pdf('Commercial invoice') };
const packingList = { name: `packing-list-${runId}.pdf`, mimeType: 'application/pdf', buffer: pdf('Packing list') };

describe('organisation portals in a browser (real network, Chromium)', function () {
    let browser: Browser;
    const contexts: BrowserContext[] = [];
    /** Console errors per page (a CSP violation is one): none may appear. */
    const consoleErrors: string[] = [];
    let exporterPage: Page;
    let certificateNumber = '';

    before(async function () {
        this.timeout(900_000);
        if (overrides.size === 0) {
            await testNetwork.up();
        }
        fs.mkdirSync(ARTIFACTS, { recursive: true });
        assert.ok(fs.existsSync(CHROMIUM), `no Chromium at ${CHROMIUM} (apt-get install chromium, or set TRADEDOCS_CHROMIUM)`);
        const home = await fetch(`${portalUrl('exporter')}/`);
        assert.match(home.headers.get('content-type') ?? '', /text\/html/,
            'the gateway does not serve the portal at /: build it (npx vite build --config gateway/portal/vite.config.ts) and pass portalDir');
        browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
                '--disable-component-update', '--disable-sync'],
        });
    });

    after(async function () {
        this.timeout(60_000);
        for (const c of contexts) {
            await c.close().catch(() => undefined);
        }
        await browser?.close();
    });

    /** The page a step worked on last: on failure, its screenshot shows what the person saw. */
    let lastPage: Page | undefined;

    afterEach(async function () {
        if (this.currentTest?.state === 'failed' && lastPage) {
            await lastPage.screenshot({ path: path.join(ARTIFACTS, `failed-${this.currentTest.title.replace(/[^A-Za-z0-9]+/g, '-').slice(0, 60)}.png`), fullPage: true }).catch(() => undefined);
        }
        assert.deepEqual(consoleErrors.splice(0), [], 'the portal logged errors in the browser console');
    });

    async function openPortal(org: string, width = 1280): Promise<Page> {
        const context = await browser.newContext({ viewport: { width, height: 900 }, baseURL: portalUrl(org) });
        contexts.push(context);
        const page = await context.newPage();
        page.setDefaultTimeout(LEDGER_MS);
        lastPage = page;
        page.on('console', (msg) => {
            // A refused request (e.g. an unknown certificate number) logs "Failed to load resource": that is the answer, not a fault.
            if (msg.type() === 'error' && !msg.text().startsWith('Failed to load resource')) {
                consoleErrors.push(`${org}: ${msg.text()}`);
            }
        });
        page.on('pageerror', (err) => consoleErrors.push(`${org}: ${err.message}`));
        return page;
    }

    async function signIn(org: string, user: string): Promise<Page> {
        const page = await openPortal(org);
        await page.goto('/#/login');
        await page.getByLabel('User name').fill(user);
        await page.getByLabel('Password').fill(password(org, user));
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByTestId('whoami').filter({ hasText: user }).waitFor();
        return page;
    }

    async function shot(page: Page, name: string): Promise<void> {
        await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
    }

    /** Waits until `locator` shows `text`, and returns what it shows. */
    async function sees(locator: Locator, text: string | RegExp): Promise<string> {
        await locator.filter({ hasText: text }).first().waitFor();
        return (await locator.first().textContent()) ?? '';
    }

    /**
     * Clicks the link `name` in the work-queue table `testId`, following "Show more" (the next cursor) until the link
     * is on the page; while the record is not on the ledger yet, the queue reloads on its event.
     */
    async function fromQueue(page: Page, testId: string, name: string): Promise<void> {
        const table = page.getByTestId(testId);
        const link = table.getByRole('link', { name, exact: true });
        for (let pages = 0; (await link.count()) === 0; pages++) {
            assert.ok(pages < 60, `${name} is not in ${testId} after ${pages} more pages`);
            const more = page.getByTestId(`${testId}-more`);
            if (await more.isVisible()) {
                const rows = await table.locator('tbody tr').count();
                await more.click();
                await table.locator('tbody tr').nth(rows).waitFor();
            } else {
                await link.first().waitFor();
            }
        }
        await link.first().click();
    }

    async function openDossier(page: Page): Promise<void> {
        await page.goto(`/#/shipments/${shipmentId}`);
        await page.getByTestId('summary').waitFor();
    }

    it('the sign-in page explains a wrong password in plain words', async () => {
        const page = await openPortal('exporter');
        await page.goto('/');
        await page.getByLabel('User name').fill('exporter1');
        await page.getByLabel('Password').fill('not-the-password');
        await page.getByRole('button', { name: 'Sign in' }).click();
        assert.match(await sees(page.getByRole('alert'), 'Sign-in failed.'), /user name or password is wrong/i);
        await shot(page, '01-login-refused');
    });

    it('after an administrator\'s password reset, signing in asks for a new password before anything else', async () => {
        const call = async (urlPath: string, token?: string, json?: unknown): Promise<Record<string, string>> => {
            const res = await fetch(`${portalUrl('bank')}${urlPath}`, {
                method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: JSON.stringify(json ?? {}),
            });
            assert.ok(res.ok, `${urlPath} answered ${res.status}`);
            return await res.json() as Record<string, string>;
        };
        const admin = (await call('/api/v1/auth/login', undefined, { name: 'admin', password: password('bank', 'admin') })).token;
        const name = `reset-${Date.now().toString(36)}`;
        await call('/api/v1/users', admin, { name, role: 'trade_finance_officer', password: 'the first password' });
        const { temporaryPassword } = await call(`/api/v1/users/${name}/password-reset`, admin);
        const page = await openPortal('bank');
        await page.goto('/#/login');
        await page.getByLabel('User name').fill(name);
        await page.getByLabel('Password').fill(temporaryPassword!);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByTestId('new-password-form').getByLabel('New password').fill('chosen in the portal');
        await page.getByRole('button', { name: 'Set password' }).click();
        await page.getByTestId('whoami').filter({ hasText: name }).waitFor();
    });

    it('exporter: opens a shipment with a validated form', async () => {
        exporterPage = await signIn('exporter', 'exporter1');
        const page = exporterPage;
        await page.getByRole('link', { name: 'Open a shipment' }).first().click();
        await page.getByRole('button', { name: 'Open shipment' }).click();
        await sees(page.locator('.field-error'), 'Fill this in.');
        await page.getByLabel('Shipment id').fill(shipmentId);
        await page.getByLabel('Your reference (order number)').fill(`PO-${runId}`);
        await page.getByLabel('Exporter (seller)').fill('Chengdu Panda Textiles Co');
        await page.getByLabel('Exporter country').fill('CN');
        await page.getByLabel('Consignee (buyer)').fill('Hamburg Wear GmbH');
        await page.getByLabel('Consignee country').fill('DE');
        await page.getByLabel('Carrier (on CarrierMSP)').fill('Blue Ocean Lines');
        await page.getByLabel('Bank (on BankMSP)').fill('First Trade Bank');
        await page.getByLabel('Port of loading').fill('cnsha');
        await page.getByLabel('Port of discharge').fill('DEHAM');
        await page.getByLabel('Country of origin').fill('CN');
        await page.getByLabel('Country of destination').fill('DE');
        await page.getByLabel('Description of goods').fill('Cotton T-shirts');
        await page.getByLabel('HS code').fill('610910');
        await page.getByLabel('Quantity').fill('2000');
        await page.getByLabel('Packages').fill('100');
        await page.getByLabel('Gross weight (kg)').fill('1200.5');
        await page.getByLabel('Net weight (kg)').fill('1100');
        await page.getByLabel('Unit price').fill('4.50');
        assert.equal(await page.getByTestId('shipment-total').textContent(), '9000.00');
        await page.getByRole('button', { name: 'Open shipment' }).click();
        // A lower-case UN/LOCODE is refused next to its input, before anything is sent.
        await sees(page.locator('.field-error'), 'UN/LOCODE');
        await page.getByLabel('Port of loading').fill('CNSHA');
        await shot(page, '02-exporter-open-shipment');
        await page.getByRole('button', { name: 'Open shipment' }).click();
        await page.waitForURL(`**/#/shipments/${shipmentId}`);
        await sees(page.getByRole('heading', { level: 1 }), 'open');
        await sees(page.getByTestId('summary'), '9000.00 USD');
    });

    it('exporter: uploads several documents with progress, each showing its SHA-256', async () => {
        const page = exporterPage;
        await page.locator('input[type=file]').first().setInputFiles([invoice, packingList]);
        const rows = page.locator('.upload-row');
        assert.equal(await rows.count(), 2);
        assert.equal(await rows.nth(0).getByLabel('Document type').inputValue(), 'commercialInvoice');
        assert.equal(await rows.nth(1).getByLabel('Document type').inputValue(), 'packingList');
        await page.getByRole('button', { name: 'Upload all' }).click();
        await sees(page.getByRole('status').filter({ hasText: 'file' }), 'Every file is registered.');
        const hashes = await page.getByTestId('upload-sha256').allTextContents();
        assert.deepEqual(hashes, [sha256(invoice.buffer), sha256(packingList.buffer)]);
        assert.equal(await rows.nth(0).locator('progress').getAttribute('value'), '100');
        await sees(page.getByTestId('documents-table'), sha256(packingList.buffer));
        await shot(page, '03-exporter-documents-uploaded');
    });

    it('exporter: lodges the export declaration, prefilled from the shipment', async () => {
        const page = exporterPage;
        lastPage = page;
        const form = page.getByTestId('lodge-declaration');
        // Both uploads are on the ledger and offered as supporting documents.
        await form.getByLabel(`PL-${shipmentId}-2 (packingList)`).waitFor();
        assert.equal(await form.getByLabel(`INV-${shipmentId}-1 (commercialInvoice)`).isChecked(), true);
        assert.equal(await form.getByLabel('Customs value').inputValue(), '9000.00');
        await form.getByRole('button', { name: 'Lodge declaration' }).click();
        await sees(page.getByTestId('declaration-status'), 'lodged');
        await sees(page.getByTestId('flash'), `Declaration DEC-${shipmentId} lodged`);
    });

    it('carrier: the 50th of 50 shipments opened in a row is in its work queue, 20 a page, reached with Show more', async () => {
        const exporter = await login('exporter', 'exporter1');
        const ids = Array.from({ length: 50 }, (_, i) => `SHP-Q${runId}-${String(i + 1).padStart(2, '0')}`);
        for (let i = 0; i < ids.length; i += 10) {
            await Promise.all(ids.slice(i, i + 10).map(async (id) => {
                const res = await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL } });
                assert.equal(res.status, 201, JSON.stringify(res.body));
            }));
        }
        const page = await signIn('carrier', 'carrier-agent1');
        await page.goto('/#/queue');
        const waiting = page.getByTestId('queue-waiting');
        await waiting.waitFor();
        assert.equal(await waiting.locator('tbody tr').count(), 20, 'one page of 20');
        await fromQueue(page, 'queue-waiting', ids.at(-1)!);
        await page.getByTestId('summary').waitFor();
        assert.match(page.url(), new RegExp(`#/shipments/${ids.at(-1)!}$`));
    });

    it('carrier: finds the shipment in its queue and issues the B/L prefilled from it', async () => {
        const page = await signIn('carrier', 'carrier-agent1');
        await page.goto('/#/queue');
        await fromQueue(page, 'queue-waiting', shipmentId);
        const form = page.getByTestId('issue-bl');
        assert.equal(await form.getByLabel('Port of loading').inputValue(), 'CNSHA');
        await form.getByLabel('Carrier code').fill('BOLU');
        await form.getByLabel('Vessel').fill('Blue Horizon');
        await form.getByLabel('Voyage').fill('042W');
        // The goods go via Rotterdam: the bank will find the port differs from the invoice's.
        await form.getByLabel('Port of discharge').fill('NLRTM');
        await form.getByLabel(/Container numbers/).fill('MSCU1234567');
        await shot(page, '04-carrier-issue-bl');
        await form.getByRole('button', { name: 'Issue bill of lading' }).click();
        await sees(page.getByTestId('bill-of-lading-status'), 'issued');
        assert.equal(await page.getByTestId('bl-holder').textContent(), 'ExporterMSP');
        await sees(page.getByTestId('transfer-log'), 'ISSUE');
        await shot(page, '05-carrier-bl-issued');
    });

    it('customs: views the invoice inline, accepts the declaration from the work queue with an MRN; a supervisor releases it', async () => {
        const officer = await signIn('customs', 'customs-officer1');
        await fromQueue(officer, 'queue-declarations-LODGED', `DEC-${shipmentId}`);
        await officer.getByTestId('declaration').waitFor();
        // The invoice opens inline, from a blob: URL the portal's CSP allows.
        await officer.getByRole('button', { name: `View INV-${shipmentId}-1 version 1` }).click();
        assert.match((await officer.locator('object.doc-pdf').getAttribute('data')) ?? '', /^blob:/);
        await shot(officer, '06-customs-dossier');
        await officer.getByRole('button', { name: 'Close' }).click();
        await officer.locator('object.doc-pdf').waitFor({ state: 'detached' });
        const mrn = await officer.getByLabel('MRN').inputValue();
        assert.match(mrn, /^[0-9]{2}[A-Z]{2}[A-Z0-9]{14}$/);
        await officer.getByRole('button', { name: 'Accept declaration' }).click();
        await sees(officer.getByTestId('declaration-status'), 'accepted');
        assert.equal(await officer.getByTestId('declaration-mrn').textContent(), mrn);
        // An officer may not release: the portal says who can.
        await sees(officer.getByTestId('declaration'), 'decided by a customs supervisor');

        const supervisor = await signIn('customs', 'customs-supervisor1');
        await openDossier(supervisor);
        await supervisor.getByRole('button', { name: 'Release for export' }).click();
        await sees(supervisor.getByTestId('declaration-status'), 'released');
        // The exporter's open dossier follows the live stream.
        await exporterPage.locator('.timeline-item.live[data-record="declaration"][data-status="RELEASED"]').waitFor();
        await sees(exporterPage.getByTestId('declaration-status'), 'released');
    });

    it('exporter applies for a certificate of origin; customs issues it', async () => {
        const page = exporterPage;
        lastPage = page;
        const form = page.getByTestId('apply-certificate');
        await form.getByLabel('Invoice number').fill(`INV-${runId}`);
        await form.getByRole('button', { name: 'Apply for certificate' }).click();
        await sees(page.getByTestId('certificate-status'), 'applied');

        const officer = await signIn('customs', 'customs-officer1');
        await officer.goto('/#/queue');
        await fromQueue(officer, 'queue-certificates-APPLIED', `COO-${shipmentId}`);
        certificateNumber = await officer.getByLabel('Certificate number').inputValue();
        await officer.getByRole('button', { name: 'Issue certificate' }).click();
        await sees(officer.getByTestId('certificate-status'), 'issued');
        assert.equal(await officer.getByTestId('certificate-number').textContent(), certificateNumber);
        await shot(officer, '07-customs-certificate-issued');
        await sees(page.getByTestId('certificate-status'), 'issued');
    });

    it('exporter requests financing against the B/L, declaration and certificate', async () => {
        const page = exporterPage;
        lastPage = page;
        const form = page.getByTestId('request-financing');
        assert.equal(await form.getByLabel('Amount').inputValue(), '9000.00');
        await form.getByRole('button', { name: 'Request financing' }).click();
        await sees(page.getByTestId('financing-status'), 'requested');
        await shot(page, '08-exporter-dossier-financing-requested');
    });

    it('bank: an officer examines; the report shows the discrepancy side by side', async () => {
        const page = await signIn('bank', 'trade-finance-officer1');
        await fromQueue(page, 'queue-financing-REQUESTED', `FIN-${shipmentId}`);
        await page.getByRole('button', { name: 'Examine documents' }).click();
        await sees(page.getByTestId('financing-status'), 'under examination');
        const report = page.getByTestId('examination-report');
        await sees(report, 'discrepanc');
        const discrepancy = report.locator('.discrepancy').filter({ hasText: 'portOfDischarge' });
        const sides = await discrepancy.locator('.side').allTextContents();
        assert.ok(sides.some((s) => s.includes('DEHAM')) && sides.some((s) => s.includes('NLRTM')), `sides: ${sides.join(' | ')}`);
        // The officer who examined cannot approve: the approver's form is not offered to this role.
        assert.equal(await page.getByRole('button', { name: 'Approve financing' }).count(), 0);
        await shot(page, '09-bank-examination-report');
    });

    it('bank: a second user approves (waiving the discrepancy) and releases the funds', async () => {
        const page = await signIn('bank', 'trade-finance-approver1');
        await openDossier(page);
        await page.getByRole('button', { name: 'Approve financing' }).click();
        await sees(page.getByTestId('financing-approve').locator('.field-error'), 'Tick this box to go on.');
        await page.getByLabel(/Waive the/).check();
        await page.getByRole('button', { name: 'Approve financing' }).click();
        await sees(page.getByTestId('financing-status'), 'approved');
        await page.getByRole('button', { name: 'Release funds' }).click();
        await sees(page.getByTestId('financing-status'), 'released');
        await shot(page, '10-bank-funds-released');
        await exporterPage.locator('.timeline-item.live[data-record="financing"][data-status="RELEASED"]').waitFor();
        await sees(exporterPage.getByTestId('financing-status'), 'released');
        await shot(exporterPage, '11-exporter-dossier-complete');
    });

    it('anyone, without signing in: verifies the certificate by number and a dropped file against the ledger', async () => {
        const page = await openPortal('customs');
        await page.goto('/#/verify');
        await page.getByLabel('Certificate number').fill(`NO-SUCH-${runId}`);
        await page.getByRole('button', { name: 'Verify certificate' }).click();
        await sees(page.getByTestId('verify-certificate').getByRole('alert'), 'does not exist');
        await page.getByLabel('Certificate number').fill(certificateNumber);
        await page.getByRole('button', { name: 'Verify certificate' }).click();
        await sees(page.getByTestId('certificate-result'), `Certificate ${certificateNumber} is valid.`);
        await page.locator('input[type=file]').setInputFiles(invoice);
        assert.equal(await sees(page.getByTestId('verify-sha256'), /[0-9a-f]{64}/), sha256(invoice.buffer));
        await sees(page.getByTestId('document-result'), 'Registered: 1 matching version');
        await shot(page, '12-public-verification');
    });

    it('a signed-in member verifies a file against the ledger', async () => {
        const page = exporterPage;
        lastPage = page;
        await page.goto('/#/verify');
        await page.locator('input[type=file]').setInputFiles(packingList);
        await sees(page.getByTestId('document-result'), 'Registered: 1 matching version');
    });

    it('everyone: the history of a record says who, when and in which transaction', async () => {
        const page = exporterPage;
        lastPage = page;
        await openDossier(page);
        await page.getByRole('link', { name: `History of DEC-${shipmentId}` }).click();
        const history = page.getByTestId('history');
        await sees(history, 'customs supervisor');
        assert.equal(await history.locator('tbody tr').count(), 3);
        assert.match((await history.locator('tbody tr').first().textContent()) ?? '', /exporter1 · exporter · ExporterMSP/);
        await shot(page, '13-history');
    });

    it('the dossier fits a 360 px wide screen', async () => {
        const page = await openPortal('exporter', 360);
        await page.goto('/');
        await page.getByLabel('User name').fill('exporter1');
        await page.getByLabel('Password').fill(password('exporter', 'exporter1'));
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByTestId('whoami').waitFor();
        await openDossier(page);
        await page.getByTestId('financing-status').filter({ hasText: 'released' }).waitFor();
        const width = Number(await page.evaluate('document.documentElement.scrollWidth'));
        assert.ok(width <= 360, `the page is ${width} px wide at a 360 px viewport`);
        await shot(page, '14-exporter-dossier-360px');
    });
});
