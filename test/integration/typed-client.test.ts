/**
 * A client generated from the contract alone runs the complete trade flow on the real network: openapi-fetch over the
 * types `npm run contract` generated from /openapi.json (test/contract/openapi.ts), with no request or response type
 * written here. `tsc` checks every body sent and every field read against the contract; each success answer is also
 * validated at run time against the schema /openapi.json publishes for it, so a server answering something its
 * contract does not say fails here.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import { compileAnswerCheck } from '../../gateway/src/http/validation';
import { waitFor } from '../../network/src/processes';
import type { components, paths } from '../contract/openapi';
import { gatewayUrl, initialPassword } from './gateway-client';
import { testNetwork } from './harness';

const run = randomUUID().slice(0, 8);
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const SHIPPED = day(-2);
const INVOICE_DATE = day(-5);

type Api = Client<paths>;
type OpenApi = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>; components: object };

/** Validates each JSON success answer against the schema /openapi.json gives its operation and status. */
function conformance(spec: OpenApi): Middleware {
    const compiled = new Map<string, (answer: unknown) => string | undefined>();
    return {
        async onResponse({ request, response, schemaPath }) {
            const content = spec.paths[schemaPath]?.[request.method.toLowerCase()]?.responses[String(response.status)]?.content;
            const schema = content?.['application/json']?.schema;
            if (response.status >= 300 || !schema) {
                return undefined;
            }
            const id = `${request.method} ${schemaPath} ${response.status}`;
            let check = compiled.get(id);
            if (!check) {
                check = compileAnswerCheck(schema, spec.components);
                compiled.set(id, check);
            }
            const problems = check(await response.clone().json());
            assert.equal(problems, undefined, `${id} answered outside its contract`);
            return undefined;
        },
    };
}

/** `ok(await api.GET(...), 200)`: the answer's status and its typed body. */
function ok<T>(result: { data?: T; error?: unknown; response: Response }, status: number): T {
    assert.equal(result.response.status, status, `expected ${status}, got ${result.response.status}: ${JSON.stringify(result.error)}`);
    assert.ok(result.data !== undefined);
    return result.data;
}

/** `refused(await api.POST(...), 422, 'FAILED_PRECONDITION')`: a problem answer, typed as the contract's Problem. */
function refused(result: { error?: components['schemas']['Problem']; response: Response }, status: number, code?: components['schemas']['Problem']['code']): void {
    assert.equal(result.response.status, status, JSON.stringify(result.error));
    assert.equal(result.error?.status, status);
    if (code) {
        assert.equal(result.error?.code, code);
    }
}

const pdf = (text: string): Blob => new Blob([`%PDF-1.7\n${text}\n%%EOF\n`], { type: 'application/pdf' });

/** Multipart as the contract describes it: the text fields and the file part. */
function multipart(body: Record<string, string | Blob>): FormData {
    const form = new FormData();
    for (const [name, value] of Object.entries(body)) {
        if (value instanceof Blob) {
            form.set(name, value, `${String(body.documentId ?? 'file')}.pdf`);
        } else {
            form.set(name, value);
        }
    }
    return form;
}

describe('a client generated from /openapi.json runs the complete trade flow (real Fabric network)', function () {
    const as: Record<string, Api> = {};
    const person = (user: string): Api => as[user] ?? assert.fail(`${user} is not logged in`);

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        const spec = await (await fetch(`${gatewayUrl('exporter')}/openapi.json`)).json() as OpenApi;
        for (const [org, user] of [['exporter', 'exporter1'], ['carrier', 'carrier-agent1'], ['customs', 'customs-officer1'], ['customs', 'customs-supervisor1'],
            ['bank', 'trade-finance-officer1'], ['bank', 'trade-finance-approver1']] as const) {
            const anonymous = createClient<paths>({ baseUrl: gatewayUrl(org) });
            const { token } = ok(await anonymous.POST('/api/v1/auth/login', { body: { name: user, password: initialPassword(org, user) } }), 200);
            const client = createClient<paths>({ baseUrl: gatewayUrl(org), headers: { authorization: `Bearer ${token}` } });
            client.use(conformance(spec));
            as[user] = client;
        }
    });

    it('shipment → documents → declaration → B/L → release → CoO → financing examined, corrected, approved by a second person, funds released; dossier and history', async function () {
        this.timeout(600_000);
        const ids = {
            shipment: `SHP-TC-${run}`, invoice: `INV-TC-${run}`, packingList: `PL-TC-${run}`, tdr: `BOLU${run}TC`,
            declaration: `DEC-TC-${run}`, certificate: `COA-TC-${run}`, certificateNumber: `CN-TC-${run}`, financing: `FIN-TC-${run}`,
        };
        const exporter = person('exporter1');
        const seller = { name: 'Chengdu Panda Textiles Co', country: 'CN' } as const;
        const buyer = { name: 'Hamburg Wear GmbH', country: 'DE' } as const;

        const opened = ok(await exporter.POST('/api/v1/shipments', {
            body: {
                shipmentId: ids.shipment, exporterReference: `PO-${run}`, exporter: seller, consignee: buyer,
                carrier: { mspId: 'CarrierMSP', name: 'Blue Ocean Lines' }, bank: { mspId: 'BankMSP', name: 'First Trade Bank' },
                incoterm: 'FOB', currency: 'USD', portOfLoading: 'CNCTU', portOfDischarge: 'DEHAM', countryOfOrigin: 'CN', countryOfDestination: 'DE',
                goods: [{ lineNo: 1, description: 'Cotton T-shirts', hsCode: '610910', quantity: 2000, unitOfMeasure: 'PCS', packages: 120, packageType: 'CT', grossWeightKg: '1200.5', netWeightKg: '1100' }],
                commercial: { lines: [{ lineNo: 1, unitPrice: '4.50', value: '9000.00' }], totalValue: '9000.00' },
            },
        }), 201);
        assert.equal(opened.status, 'OPEN');

        const invoiceFields: components['schemas']['DocumentFields'] = {
            documentNumber: ids.invoice, documentDate: INVOICE_DATE, seller, buyer, goodsDescription: 'Cotton T-shirts', hsCodes: ['610910'],
            quantity: 2000, packages: 120, grossWeightKg: '1200.5', portOfLoading: 'CNCTU', portOfDischarge: 'DEHAM', shipmentDate: SHIPPED, totalAmount: '9000.00', currency: 'USD',
        };
        // Planted discrepancy: the packing list says 100 packages where the invoice and B/L say 120.
        const packingFields: components['schemas']['DocumentFields'] = { ...invoiceFields, documentNumber: ids.packingList, totalAmount: undefined, currency: undefined, packages: 100 };
        const register = (documentId: string, docType: 'commercialInvoice' | 'packingList', fields: components['schemas']['DocumentFields'], text: string) => exporter.POST('/api/v1/shipments/{shipmentId}/documents', {
            params: { path: { shipmentId: ids.shipment } },
            body: { documentId, docType, fields: JSON.stringify(fields), file: pdf(text) },
            bodySerializer: multipart,
        });
        const invoice = ok(await register(ids.invoice, 'commercialInvoice', invoiceFields, `invoice ${run}`), 201);
        assert.deepEqual([invoice.version, invoice.status, invoice.docType], [1, 'CURRENT', 'commercialInvoice']);
        ok(await register(ids.packingList, 'packingList', packingFields, `packing list ${run}`), 201);

        ok(await exporter.POST('/api/v1/declarations', {
            body: {
                declarationId: ids.declaration, shipmentId: ids.shipment, declarationType: 'EX', lrn: `LRN-${run}`,
                details: {
                    declarant: seller, exporter: seller, consignee: buyer, countryOfDestination: 'DE', incoterm: 'FOB', currency: 'USD',
                    items: [{ itemNo: 1, hsCode: '61091000', description: 'Cotton T-shirts', countryOfOrigin: 'CN', customsValue: '9000.00', grossMassKg: '1200.5', netMassKg: '1100', packages: 120 }],
                },
            },
        }), 201);

        const issued = ok(await person('carrier-agent1').POST('/api/v1/bills-of-lading', {
            body: {
                transportDocumentReference: ids.tdr, shipmentId: ids.shipment, transportDocumentTypeCode: 'BOL', isToOrder: true, shipper: seller,
                carrierCode: 'BOLU', portOfLoading: 'CNCTU', portOfDischarge: 'DEHAM', vesselName: 'Blue Horizon', carrierExportVoyageNumber: '042W', shippedOnBoardDate: SHIPPED,
                consignmentItems: [{ descriptionOfGoods: 'Cotton T-shirts', hsCodes: ['610910'], numberOfPackages: 120, packageCode: 'CT', grossWeightKg: '1200.5' }],
            },
        }), 201);
        assert.deepEqual([issued.holderMspId, issued.transportDocumentStatus], ['ExporterMSP', 'ISSUED']);

        const declarationPath = { params: { path: { declarationId: ids.declaration } } };
        ok(await person('customs-officer1').POST('/api/v1/declarations/{declarationId}/accept', { ...declarationPath, body: { mrn: `26CN${run.toUpperCase().replace(/[^A-Z0-9]/g, '0')}0000TC` } }), 200);
        const released = ok(await person('customs-supervisor1').POST('/api/v1/declarations/{declarationId}/release', declarationPath), 200);
        assert.equal(released.status, 'RELEASED');

        ok(await exporter.POST('/api/v1/certificates', {
            body: {
                applicationId: ids.certificate, shipmentId: ids.shipment, certificateType: 'NON_PREFERENTIAL', countryOfOrigin: 'CN', documentSha256: 'a'.repeat(64),
                details: {
                    exporter: seller, consignee: buyer, portOfLoading: 'CNCTU', portOfDischarge: 'DEHAM',
                    items: [{ marks: 'HWG/HAM/1-120', packages: 120, description: 'Cotton T-shirts', hsCode: '610910', quantity: 2000, grossWeightKg: '1200.5', invoiceNumber: ids.invoice, invoiceDate: INVOICE_DATE }],
                },
            },
        }), 201);
        ok(await person('customs-officer1').POST('/api/v1/certificates/{applicationId}/issue', { params: { path: { applicationId: ids.certificate } }, body: { certificateNumber: ids.certificateNumber } }), 200);
        const anyone = createClient<paths>({ baseUrl: gatewayUrl('carrier') });
        // Each gateway reads through its own organisation's peer, which may commit a block a moment after the writer's.
        await waitFor('the carrier\'s peer to have the certificate', async () => (await anyone.GET('/api/v1/public/certificates/{certificateNumber}', {
            params: { path: { certificateNumber: ids.certificateNumber } },
        })).response.status === 200, 30_000);
        const verified = ok(await anyone.GET('/api/v1/public/certificates/{certificateNumber}', { params: { path: { certificateNumber: ids.certificateNumber } } }), 200);
        assert.equal(verified.status, 'ISSUED');

        const transferred = ok(await exporter.POST('/api/v1/bills-of-lading/{transportDocumentReference}/transfer', {
            params: { path: { transportDocumentReference: ids.tdr } }, body: { toMspId: 'BankMSP' },
        }), 200);
        assert.equal(transferred.holderMspId, 'BankMSP');

        const requested = ok(await exporter.POST('/api/v1/financing', {
            body: {
                financingId: ids.financing, shipmentId: ids.shipment, financingType: 'DOCUMENTARY_CREDIT', transportDocumentReference: ids.tdr,
                declarationId: ids.declaration, certificateApplicationId: ids.certificate, documentIds: { commercialInvoice: ids.invoice, packingList: ids.packingList },
                requiresBlHeldByBank: true, requiresCertificateOfOrigin: true,
                terms: { amount: '9000.00', currency: 'USD', tenorDays: 90, expiryDate: day(60), creditReference: `LC-${run}` },
            },
        }), 201);
        assert.equal(requested.status, 'REQUESTED');

        const financingPath = { params: { path: { financingId: ids.financing } } };
        const officer = person('trade-finance-officer1');
        const approver = person('trade-finance-approver1');
        ok(await officer.POST('/api/v1/financing/{financingId}/examine', financingPath), 200);
        const report = ok(await officer.GET('/api/v1/financing/{financingId}/examination-report', financingPath), 200);
        assert.ok(report.discrepancies.some((d) => d.field === 'packages'), `the planted discrepancy is found: ${JSON.stringify(report.discrepancies)}`);
        refused(await approver.POST('/api/v1/financing/{financingId}/approve', { ...financingPath, body: { waiveDiscrepancies: false } }), 422, 'FAILED_PRECONDITION');

        const corrected = ok(await register(ids.packingList, 'packingList', { ...packingFields, packages: 120 }, `packing list v2 ${run}`), 201);
        assert.equal(corrected.version, 2);
        ok(await officer.POST('/api/v1/financing/{financingId}/examine', financingPath), 200);
        const clean = ok(await officer.GET('/api/v1/financing/{financingId}/examination-report', financingPath), 200);
        assert.deepEqual([clean.discrepancies, clean.compliant], [[], true]);

        refused(await officer.POST('/api/v1/financing/{financingId}/approve', { ...financingPath, body: { waiveDiscrepancies: false } }), 403, 'FORBIDDEN');
        assert.equal(ok(await approver.POST('/api/v1/financing/{financingId}/approve', { ...financingPath, body: { waiveDiscrepancies: false } }), 200).status, 'APPROVED');
        assert.equal(ok(await approver.POST('/api/v1/financing/{financingId}/release', financingPath), 200).status, 'RELEASED');

        for (const [reader, label] of [[exporter, 'exporter'], [person('customs-officer1'), 'customs']] as const) {
            await waitFor(`the ${label}'s peer to have the release`, async () => (await reader.GET('/api/v1/financing/{financingId}', financingPath)).data?.status === 'RELEASED', 30_000);
        }
        const dossier = ok(await exporter.GET('/api/v1/shipments/{shipmentId}/dossier', { params: { path: { shipmentId: ids.shipment } } }), 200);
        assert.deepEqual(dossier.financings.map((f) => [f.record.financingId, f.record.status, f.terms?.amount]), [[ids.financing, 'RELEASED', '9000.00']]);
        assert.deepEqual(dossier.declarations.map((d) => d.record.status), ['RELEASED']);
        assert.deepEqual(dossier.certificates.map((c) => c.record.status), ['ISSUED']);
        assert.deepEqual(dossier.billsOfLading.map((b) => b.record.holderMspId), ['BankMSP']);
        // The bank holds the B/L now: the exporter may neither transfer, endorse nor surrender it.
        assert.deepEqual(dossier.billsOfLading[0]!.record.allowedActions, []);
        assert.equal(dossier.documents.length, 2);
        assert.equal(dossier.commercial?.totalValue, '9000.00');

        const history = ok(await person('customs-officer1').GET('/api/v1/financing/{id}/history', { params: { path: { id: ids.financing } } }), 200);
        assert.deepEqual(history.entries.map((e) => (e.record as { status?: string } | null)?.status),
            ['REQUESTED', 'UNDER_EXAMINATION', 'UNDER_EXAMINATION', 'APPROVED', 'RELEASED'], 'commit order');
        assert.ok(history.entries.some((e) => e.by?.role === 'trade_finance_approver'));

        const page = ok(await exporter.GET('/api/v1/shipments', { params: { query: { party: 'BankMSP' } } }), 200);
        assert.ok(page.items.length > 0, 'limit is optional');
    });
});
