/**
 * The complete trade flow across the four organisations' REST gateways, each step by a person of the right role,
 * on the real network; then refusals, hostile input and an event stream that survives a gateway restart.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { gatewaySpec } from '../../network/src/nodes';
import { peerOrg } from '../../network/src/topology';
import {
    BILL_OF_LADING, CERTIFICATE_DETAILS, COMMERCIAL, DECLARATION_DETAILS, INVOICE_FIELDS, PACKING_LIST_FIELDS, SHIPMENT,
} from '../unit/chaincode/fixtures';
import { type ApiResponse, api, gatewayUrl, login, upload } from './gateway-client';
import { connectAs, salted, testNetwork } from './harness';

const run = randomUUID().slice(0, 8);
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const SHIPPED = day(-2);
const INVOICE_DATE = day(-5);

type Json = Record<string, unknown>;

function expectStatus(res: ApiResponse, status: number): Json {
    assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Json;
}

function expectProblem(res: ApiResponse, status: number, code?: string): Json {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    const problem = res.body as Json;
    assert.equal(problem.status, status);
    if (code) {
        assert.equal(problem.code, code);
    }
    assert.doesNotMatch(JSON.stringify(problem), /127\.0\.0\.1|\bat .*\.ts:\d+/, 'no peer address or stack trace');
    return problem;
}

const pdf = (text: string): Buffer => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);

describe('trade flow across the four gateways (real Fabric network)', function () {
    const ids = {
        shipment: `SHP-${run}`, invoice: `INV-${run}`, packingList: `PL-${run}`, tdr: `BOLU${run}`,
        declaration: `DEC-${run}`, certificate: `COA-${run}`, certificateNumber: `CN-${run}`, financing: `FIN-${run}`,
    };
    const tokens: Record<string, string> = {};
    const as = (user: string): string => tokens[user] ?? assert.fail(`${user} is not logged in`);

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        for (const [org, user] of [['exporter', 'exporter1'], ['carrier', 'carrier-agent1'], ['customs', 'customs-officer1'], ['customs', 'customs-supervisor1'],
            ['bank', 'trade-finance-officer1'], ['bank', 'trade-finance-approver1']] as const) {
            tokens[user] = await login(org, user);
        }
    });

    it('shipment → documents → declaration → B/L → customs release → CoO → financing examined, discrepancy fixed, approved by a second user, funds released', async () => {
        const exporter = as('exporter1');
        const opened = expectStatus(await api('exporter', 'POST', '/api/v1/shipments', {
            token: exporter, json: { shipmentId: ids.shipment, ...SHIPMENT, commercial: COMMERCIAL },
        }), 201);
        assert.equal(opened.status, 'OPEN');

        const invoiceFields = { ...INVOICE_FIELDS, documentNumber: `INV-${run}`, documentDate: INVOICE_DATE, shipmentDate: SHIPPED };
        expectStatus(await upload('exporter', exporter, ids.shipment, ids.invoice, 'commercialInvoice', pdf(`invoice ${run}`), invoiceFields), 201);
        // Planted discrepancy: the packing list says 100 packages where the invoice and B/L say 120.
        const packingFields = { ...PACKING_LIST_FIELDS, documentDate: INVOICE_DATE, shipmentDate: SHIPPED, packages: 100 };
        expectStatus(await upload('exporter', exporter, ids.shipment, ids.packingList, 'packingList', pdf(`packing list ${run}`), packingFields), 201);

        expectStatus(await api('exporter', 'POST', '/api/v1/declarations', {
            token: exporter, json: { declarationId: ids.declaration, shipmentId: ids.shipment, declarationType: 'EX', lrn: `LRN-${run}`, details: DECLARATION_DETAILS },
        }), 201);

        const issued = expectStatus(await api('carrier', 'POST', '/api/v1/bills-of-lading', {
            token: as('carrier-agent1'), json: { transportDocumentReference: ids.tdr, shipmentId: ids.shipment, ...BILL_OF_LADING, shippedOnBoardDate: SHIPPED },
        }), 201);
        assert.equal(issued.holderMspId, 'ExporterMSP');

        expectStatus(await api('customs', 'POST', `/api/v1/declarations/${ids.declaration}/accept`, { token: as('customs-officer1'), json: { mrn: `26CN${run.toUpperCase().replace(/[^A-Z0-9]/g, '0')}000000` } }), 200);
        const released = expectStatus(await api('customs', 'POST', `/api/v1/declarations/${ids.declaration}/release`, { token: as('customs-supervisor1') }), 200);
        assert.equal(released.status, 'RELEASED');

        const certificateDetails = { ...CERTIFICATE_DETAILS, items: CERTIFICATE_DETAILS.items.map((i) => ({ ...i, invoiceNumber: `INV-${run}`, invoiceDate: INVOICE_DATE })) };
        expectStatus(await api('exporter', 'POST', '/api/v1/certificates', {
            token: exporter, json: { applicationId: ids.certificate, shipmentId: ids.shipment, certificateType: 'NON_PREFERENTIAL', countryOfOrigin: 'CN', documentSha256: 'a'.repeat(64), details: certificateDetails },
        }), 201);
        expectStatus(await api('customs', 'POST', `/api/v1/certificates/${ids.certificate}/issue`, { token: as('customs-officer1'), json: { certificateNumber: ids.certificateNumber } }), 200);
        const verified = expectStatus(await api('carrier', 'GET', `/api/v1/public/certificates/${ids.certificateNumber}`), 200);
        assert.equal(verified.status, 'ISSUED');

        // The bank requires to hold the B/L: the exporter, its holder, transfers it.
        const transferred = expectStatus(await api('exporter', 'POST', `/api/v1/bills-of-lading/${ids.tdr}/transfer`, { token: exporter, json: { toMspId: 'BankMSP' } }), 200);
        assert.equal(transferred.holderMspId, 'BankMSP');

        expectStatus(await api('exporter', 'POST', '/api/v1/financing', {
            token: exporter, json: {
                financingId: ids.financing, shipmentId: ids.shipment, financingType: 'DOCUMENTARY_CREDIT', transportDocumentReference: ids.tdr,
                declarationId: ids.declaration, certificateApplicationId: ids.certificate, documentIds: { commercialInvoice: ids.invoice, packingList: ids.packingList },
                requiresBlHeldByBank: true, requiresCertificateOfOrigin: true,
                terms: { amount: '15000.00', currency: 'USD', tenorDays: 90, expiryDate: day(60), creditReference: `LC-${run}` },
            },
        }), 201);

        const officer = as('trade-finance-officer1');
        expectStatus(await api('bank', 'POST', `/api/v1/financing/${ids.financing}/examine`, { token: officer }), 200);
        const report = expectStatus(await api('bank', 'GET', `/api/v1/financing/${ids.financing}/examination-report`, { token: officer }), 200);
        const discrepancies = report.discrepancies as Json[];
        assert.ok(discrepancies.some((d) => d.field === 'packages'), `the planted discrepancy is found: ${JSON.stringify(discrepancies)}`);

        // Approval with an open discrepancy is refused unless waived; the exporter corrects the packing list instead.
        expectProblem(await api('bank', 'POST', `/api/v1/financing/${ids.financing}/approve`, { token: as('trade-finance-approver1'), json: { waiveDiscrepancies: false } }), 422);
        const version2 = expectStatus(await upload('exporter', exporter, ids.shipment, ids.packingList, 'packingList', pdf(`packing list v2 ${run}`), { ...packingFields, packages: 120 }), 201);
        assert.equal(version2.version, 2);
        expectStatus(await api('bank', 'POST', `/api/v1/financing/${ids.financing}/examine`, { token: officer }), 200);
        const clean = expectStatus(await api('bank', 'GET', `/api/v1/financing/${ids.financing}/examination-report`, { token: officer }), 200);
        assert.deepEqual(clean.discrepancies, []);

        // The examiner cannot approve their own examination, even holding the approver role elsewhere: a second user does.
        expectProblem(await api('bank', 'POST', `/api/v1/financing/${ids.financing}/approve`, { token: officer, json: { waiveDiscrepancies: false } }), 403, 'FORBIDDEN');
        const approved = expectStatus(await api('bank', 'POST', `/api/v1/financing/${ids.financing}/approve`, { token: as('trade-finance-approver1'), json: { waiveDiscrepancies: false } }), 200);
        assert.equal(approved.status, 'APPROVED');
        const paid = expectStatus(await api('bank', 'POST', `/api/v1/financing/${ids.financing}/release`, { token: as('trade-finance-approver1') }), 200);
        assert.equal(paid.status, 'RELEASED');

        const dossier = expectStatus(await api('exporter', 'GET', `/api/v1/shipments/${ids.shipment}/dossier?financing=${ids.financing}`, { token: exporter }), 200);
        const part = (name: string): Json => ((dossier[name] as Json | null)?.record ?? {}) as Json;
        assert.equal(part('financing').status, 'RELEASED');
        assert.equal(part('declaration').status, 'RELEASED');
        assert.equal(part('certificate').status, 'ISSUED');
        assert.equal(part('billOfLading').holderMspId, 'BankMSP');
        assert.ok((dossier.financing as Json).terms, 'the exporter sees the financing terms');
        assert.equal((dossier.documents as Json[]).length, 2);
        assert.ok(dossier.commercial, 'the exporter sees the commercial values');

        const history = expectStatus(await api('customs', 'GET', `/api/v1/financing/${ids.financing}/history`, { token: as('customs-officer1') }), 200);
        const entries = history.entries as { transactionId: string; timestamp: string; by: Json }[];
        assert.ok(entries.length >= 5, `request, examine x2, approve, release: ${entries.length}`);
        for (const e of entries) {
            assert.match(e.transactionId, /^[0-9a-f]{64}$/);
            assert.ok(!Number.isNaN(Date.parse(e.timestamp)));
        }
        assert.ok(JSON.stringify(entries.map((e) => e.by)).includes('trade-finance-approver1'), 'history names who approved');
    });

    it('the carrier gateway never serves invoice content, and the carrier dossier hides the commercial values', async () => {
        const carrier = as('carrier-agent1');
        expectProblem(await api('carrier', 'GET', `/api/v1/documents/${ids.invoice}/versions/1/content`, { token: carrier }), 403, 'FORBIDDEN');
        const dossier = expectStatus(await api('carrier', 'GET', `/api/v1/shipments/${ids.shipment}/dossier`, { token: carrier }), 200);
        assert.equal(dossier.commercial, null);
        assert.ok((dossier.hidden as string[]).includes('commercial'));
        const content = await fetch(`${gatewayUrl('customs')}/api/v1/documents/${ids.invoice}/versions/1/content`, { headers: { authorization: `Bearer ${as('customs-officer1')}` } });
        assert.equal(content.status, 200);
        assert.match(Buffer.from(await content.arrayBuffer()).toString(), new RegExp(`invoice ${run}`));
    });

    it('roles refused by the role × action table get 403 and nothing is written', async () => {
        const reason = { reason: 'not mine to decide' };
        const refused: [string, string, string, Json | undefined][] = [
            ['carrier', 'carrier-agent1', '/api/v1/shipments', { shipmentId: `SHP-X-${run}`, ...SHIPMENT, commercial: COMMERCIAL }],
            ['customs', 'customs-officer1', `/api/v1/declarations/${ids.declaration}/cancel`, reason],
            ['bank', 'trade-finance-officer1', `/api/v1/certificates/${ids.certificate}/revoke`, reason],
            ['exporter', 'exporter1', `/api/v1/financing/${ids.financing}/examine`, undefined],
            ['customs', 'customs-officer1', `/api/v1/bills-of-lading/${ids.tdr}/void`, reason],
        ];
        for (const [org, user, path, json] of refused) {
            expectProblem(await api(org, 'POST', path, { token: as(user), json }), 403, 'FORBIDDEN');
        }
        expectProblem(await api('exporter', 'GET', `/api/v1/shipments/SHP-X-${run}`, { token: as('exporter1') }), 404, 'NOT_FOUND');
        const declaration = expectStatus(await api('exporter', 'GET', `/api/v1/declarations/${ids.declaration}`, { token: as('exporter1') }), 200);
        assert.equal(declaration.status, 'RELEASED');
        const certificate = expectStatus(await api('exporter', 'GET', `/api/v1/certificates/${ids.certificate}`, { token: as('exporter1') }), 200);
        assert.equal(certificate.status, 'ISSUED');
    });

    it('bad input of every class gets a 4xx problem and writes nothing; the next normal request works', async () => {
        const exporter = as('exporter1');
        const id = `SHP-BAD-${run}`;
        const good = { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL };
        const raw = await fetch(`${gatewayUrl('exporter')}/api/v1/shipments`, { method: 'POST', headers: { authorization: `Bearer ${exporter}`, 'content-type': 'application/json' }, body: '{"shipmentId": "x",' });
        assert.equal(raw.status, 400);
        const missing: Json = { ...good };
        delete missing.commercial;
        expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: missing }), 400);
        expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { ...good, surprise: true } }), 400);
        expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { ...good, goods: 'many' } }), 400);
        expectProblem(await upload('exporter', exporter, ids.shipment, `DOC-TXT-${run}`, 'commercialInvoice', Buffer.from('plain text, not a PDF')), 415);
        expectProblem(await upload('exporter', exporter, ids.shipment, `DOC-BIG-${run}`, 'commercialInvoice', pdf('x'.repeat(26 * 1024 * 1024))), 413);
        expectProblem(await api('exporter', 'GET', `/api/v1/shipments/NOPE-${run}`, { token: exporter }), 404, 'NOT_FOUND');
        const [header, payload, signature] = exporter.split('.');
        const forged = [header, payload, `${signature?.slice(0, -2) ?? ''}xx`].join('.');
        expectProblem(await api('exporter', 'GET', '/api/v1/me', { token: forged }), 401);
        expectProblem(await api('exporter', 'GET', '/api/v1/me', { token: 'not-a-token' }), 401);

        const key = `key-${run}`;
        const first = expectStatus(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: good, headers: { 'Idempotency-Key': key } }), 201);
        const replay = await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: good, headers: { 'Idempotency-Key': key } });
        assert.equal(replay.status, 201);
        assert.equal(replay.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(replay.body, first);
        expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { ...good, shipmentId: `${id}-2` }, headers: { 'Idempotency-Key': key } }), 422);
        expectProblem(await api('exporter', 'GET', `/api/v1/shipments/${id}-2`, { token: exporter }), 404);
        const docs = expectStatus(await api('exporter', 'GET', `/api/v1/shipments/${ids.shipment}/documents`, { token: exporter }), 200);
        assert.ok(!JSON.stringify(docs).includes(`DOC-TXT-${run}`) && !JSON.stringify(docs).includes(`DOC-BIG-${run}`), 'rejected uploads wrote nothing');
    });

    it('a client streaming events through a gateway that restarts resumes with Last-Event-ID and misses or repeats nothing', async () => {
        const seen: string[] = [];
        const before = [`EV-${run}-1`, `EV-${run}-2`];
        const whileDown = [`EV-${run}-3`, `EV-${run}-4`];
        const after = [`EV-${run}-5`];
        let lastEventId = '';
        /** Reads the stream until `done` says so; returns when the server ends the stream or `done` holds. */
        const stream = async (token: string, from: string, done: () => boolean, whileOpen?: () => Promise<void>): Promise<void> => {
            const controller = new AbortController();
            const res = await fetch(`${gatewayUrl('exporter')}/api/v1/events`, { headers: { authorization: `Bearer ${token}`, ...(from ? { 'Last-Event-ID': from } : {}) }, signal: controller.signal });
            assert.equal(res.status, 200);
            const reader = res.body?.getReader();
            assert.ok(reader);
            const acting = whileOpen?.();
            let buffer = '';
            try {
                while (!done()) {
                    const { value, done: ended } = await reader.read().catch(() => ({ value: undefined, done: true }));
                    if (ended || !value) {
                        break;
                    }
                    buffer += Buffer.from(value).toString();
                    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
                        const message = buffer.slice(0, end);
                        buffer = buffer.slice(end + 2);
                        const id = /^id: (.*)$/m.exec(message)?.[1];
                        const data = message.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
                        if (id && data) {
                            lastEventId = id;
                            const record = (JSON.parse(data) as { payload?: Json }).payload ?? {};
                            if (typeof record.id === 'string' && record.id.startsWith(`EV-${run}`)) {
                                seen.push(record.id);
                            }
                        }
                    }
                }
            } finally {
                controller.abort();
                await acting;
            }
        };
        const openViaGateway = async (id: string): Promise<void> => {
            expectStatus(await api('exporter', 'POST', '/api/v1/shipments', { token: as('exporter1'), json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL } }), 201);
        };
        const spec = gatewaySpec(testNetwork.config, testNetwork.layout, peerOrg('exporter'));

        // Streaming while shipments are opened; then the gateway stops under the open stream.
        await stream(as('exporter1'), '', () => before.every((id) => seen.includes(id)), async () => {
            for (const id of before) {
                await openViaGateway(id);
            }
        });
        const resumeFrom = lastEventId;
        await testNetwork.supervisor.stop(spec.name);

        // While it is down, the exporter's systems keep writing through the Fabric client directly.
        const direct = connectAs('exporter', 'exporter1');
        try {
            for (const id of whileDown) {
                const commit = await direct.contract.submitAsync('shipment:openShipment', { arguments: [id, JSON.stringify(SHIPMENT)], transientData: salted({ commercial: JSON.stringify(COMMERCIAL) }) });
                assert.equal((await commit.getStatus()).successful, true);
            }
        } finally {
            direct.close();
        }

        await testNetwork.supervisor.ensure(spec);
        await stream(await login('exporter', 'exporter1'), resumeFrom, () => [...whileDown, ...after].every((id) => seen.includes(id)), async () => {
            for (const id of after) {
                await openViaGateway(id);
            }
        });
        assert.deepEqual(seen, [...before, ...whileDown, ...after], 'every event once, in order');
    });
});
