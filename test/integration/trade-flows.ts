/**
 * The complete trade flow across the four organisations' REST gateways, each step by a person of the right role:
 * shared by the integration suite (one machine) and the hosts suite (each organisation on a host of its own).
 */
import * as assert from 'node:assert/strict';
import {
    BILL_OF_LADING, CERTIFICATE_DETAILS, COMMERCIAL, DECLARATION_DETAILS, INVOICE_FIELDS, PACKING_LIST_FIELDS, SHIPMENT,
} from '../unit/chaincode/fixtures';
import { waitFor } from '../../network/src/processes';
import { type ApiResponse, api, login, upload } from './gateway-client';

export type Json = Record<string, unknown>;

const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const SHIPPED = day(-2);
const INVOICE_DATE = day(-5);

export function expectStatus(res: ApiResponse, status: number): Json {
    assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Json;
}

export function expectProblem(res: ApiResponse, status: number, code?: string): Json {
    assert.equal(res.status, status, JSON.stringify(res.body));
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    const problem = res.body as Json;
    assert.equal(problem.status, status);
    if (code) {
        assert.equal(problem.code, code);
    }
    assert.doesNotMatch(JSON.stringify(problem), /127\.0\.0\.1|10\.77\.0\.|\bat .*\.ts:\d+/, 'no peer address or stack trace');
    return problem;
}

export const pdf = (text: string): Buffer => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);

/** The record ids one run of the flow uses, unique per `run`. */
export function flowIds(run: string) {
    return {
        shipment: `SHP-${run}`, invoice: `INV-${run}`, packingList: `PL-${run}`, tdr: `BOLU${run}`,
        declaration: `DEC-${run}`, certificate: `COA-${run}`, certificateNumber: `CN-${run}`, financing: `FIN-${run}`,
    };
}

export type FlowIds = ReturnType<typeof flowIds>;

/** The people of the flow, logged in at their own organisation's gateway: user name → bearer token. */
export async function loginFlowPeople(): Promise<(user: string) => string> {
    const tokens: Record<string, string> = {};
    for (const [org, user] of [['exporter', 'exporter1'], ['carrier', 'carrier-agent1'], ['customs', 'customs-officer1'], ['customs', 'customs-supervisor1'],
        ['bank', 'trade-finance-officer1'], ['bank', 'trade-finance-approver1']] as const) {
        tokens[user] = await login(org, user);
    }
    return (user) => tokens[user] ?? assert.fail(`${user} is not logged in`);
}

/**
 * shipment → documents → declaration → B/L → customs release → CoO → financing examined, discrepancy fixed, approved
 * by a second user, funds released; the dossier and history agree.
 */
export async function runTradeFlow(run: string, ids: FlowIds, as: (user: string) => string): Promise<void> {
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
        // Each organisation's peer gets the block from the orderers on its own: customs acts once its peer has it.
        await waitFor('the Customs peer to have the application', async () => (await api('customs', 'GET', `/api/v1/certificates/${ids.certificate}`, { token: as('customs-officer1') })).status === 200, 30_000);
        expectStatus(await api('customs', 'POST', `/api/v1/certificates/${ids.certificate}/issue`, { token: as('customs-officer1'), json: { certificateNumber: ids.certificateNumber } }), 200);
        await waitFor('the Carrier peer to have the issued certificate', async () => (await api('carrier', 'GET', `/api/v1/public/certificates/${ids.certificateNumber}`)).status === 200, 30_000);
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

        // The dossier finds every record of the shipment itself (the chaincode's indexes): no id is named. The release
        // committed on the Bank's peer; the Exporter's peer, which answers the exporter, commits that block a moment later.
        let dossier: Json = {};
        const only = (name: string): Json => {
            const list = dossier[name] as Json[];
            assert.equal(list.length, 1, `one of ${name}`);
            return list[0]!;
        };
        const part = (name: string): Json => only(name).record as Json;
        await waitFor('the Exporter peer to commit the release', async () => {
            dossier = expectStatus(await api('exporter', 'GET', `/api/v1/shipments/${ids.shipment}/dossier`, { token: exporter }), 200);
            return part('financings').status === 'RELEASED';
        }, 30_000);
        assert.deepEqual(part('financings').allowedActions, [], 'nothing is left to do on a released financing');
        assert.equal(part('declarations').status, 'RELEASED');
        assert.equal(part('certificates').status, 'ISSUED');
        assert.equal(part('billsOfLading').holderMspId, 'BankMSP');
        assert.ok(only('financings').terms, 'the exporter sees the financing terms');
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
}
