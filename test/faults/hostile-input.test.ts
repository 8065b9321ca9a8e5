/**
 * Hand-written hostile input against the real REST gateways, beyond the bad-input classes of the integration suite
 * (malformed JSON, missing and unknown fields, wrong types, text declared as PDF, oversize file, forged token):
 * huge and deeply nested JSON, very long strings, control and bidi characters, script and SQL fragments, path
 * separators in file names, files that lie about their type, an empty file, another organisation's people.
 * Each is refused with a 4xx problem, writes nothing, and the gateway keeps serving.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { demoUsers, peerOrg } from '../../network/src/topology';
import { COMMERCIAL, SHIPMENT } from '../unit/chaincode/fixtures';
import { type ApiResponse, api, gatewayUrl, initialPassword, login } from '../integration/gateway-client';
import { connectAs, salted, testNetwork } from '../integration/harness';

const run = randomUUID().slice(0, 8);
type Json = Record<string, unknown>;

function expectProblem(res: ApiResponse, status: number, code?: string): Json {
    assert.equal(res.status, status, JSON.stringify(res.body).slice(0, 500));
    assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    const problem = res.body as Json;
    assert.equal(problem.status, status);
    assert.equal(typeof problem.detail, 'string');
    if (code) {
        assert.equal(problem.code, code);
    }
    assert.doesNotMatch(JSON.stringify(problem), /127\.0\.0\.1|\bat .*\.[jt]s:\d+|RangeError|stack/, 'no address or stack trace');
    return problem;
}

/** A raw request, for bodies `api()` cannot express (not JSON, or JSON too big to build as an object). */
async function raw(org: string, method: string, urlPath: string, token: string | undefined, body: string | FormData | undefined, headers: Record<string, string> = {}): Promise<ApiResponse> {
    const res = await fetch(`${gatewayUrl(org)}${urlPath}`, {
        method, body, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
        parsed = JSON.parse(text);
    } catch {
        // keep the text
    }
    return { status: res.status, headers: res.headers, body: parsed };
}

function uploadForm(documentId: string, content: Uint8Array<ArrayBuffer>, fileName: string, mediaType = 'application/pdf'): FormData {
    const form = new FormData();
    form.set('documentId', documentId);
    form.set('docType', 'packingList');
    form.set('file', new Blob([content], { type: mediaType }), fileName);
    return form;
}

const pdf = (text: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`));

describe('hostile input against the REST gateways (real Fabric network)', function () {
    const shipmentId = `SHP-HOSTILE-${run}`;
    let exporter = '';

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        exporter = await login('exporter', 'exporter1');
        const opened = await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId, ...SHIPMENT, commercial: COMMERCIAL } });
        assert.equal(opened.status, 201, JSON.stringify(opened.body));
    });

    /** The gateway still answers a normal read and a normal write after the hostile request. */
    async function stillServes(): Promise<void> {
        assert.equal((await api('exporter', 'GET', `/api/v1/shipments/${shipmentId}`, { token: exporter })).status, 200);
    }

    async function notWritten(id: string): Promise<void> {
        expectProblem(await api('exporter', 'GET', `/api/v1/shipments/${id}`, { token: exporter }), 404, 'NOT_FOUND');
    }

    it('a 2 MiB JSON body is refused with 413 before it is parsed; nothing is written', async () => {
        const id = `SHP-HUGE-${run}`;
        const body = JSON.stringify({ shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL, exporterReference: 'x'.repeat(2 * 1024 * 1024) });
        expectProblem(await raw('exporter', 'POST', '/api/v1/shipments', exporter, body, { 'content-type': 'application/json' }), 413, 'PAYLOAD_TOO_LARGE');
        await notWritten(id);
        await stillServes();
    });

    it('JSON nested 100 000 levels deep is refused with 400, with or without an Idempotency-Key; nothing is written', async () => {
        const id = `SHP-DEEP-${run}`;
        const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
        const body = `{"shipmentId":"${id}","goods":${deep}}`;
        expectProblem(await raw('exporter', 'POST', '/api/v1/shipments', exporter, body, { 'content-type': 'application/json' }), 400, 'INVALID_ARGUMENT');
        // The Idempotency-Key path fingerprints the body before validating it: it must not recurse to a stack overflow.
        expectProblem(await raw('exporter', 'POST', '/api/v1/shipments', exporter, body, { 'content-type': 'application/json', 'Idempotency-Key': `deep-${run}` }), 400, 'INVALID_ARGUMENT');
        expectProblem(await raw('exporter', 'POST', '/api/v1/shipments', exporter, `{"shipmentId":"${id}","surprise":${deep}}`, { 'content-type': 'application/json', 'Idempotency-Key': `deep2-${run}` }), 400, 'INVALID_ARGUMENT');
        await notWritten(id);
        await stillServes();
    });

    it('very long strings in a body field, a path id, a login name and an Idempotency-Key are refused with 400', async () => {
        const id = `SHP-LONG-${run}`;
        const long = 'A'.repeat(100_000);
        const problem = expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL, exporterReference: long } }), 400, 'INVALID_ARGUMENT');
        assert.match(String(problem.detail), /exporterReference/, 'the problem names the field');
        assert.ok(JSON.stringify(problem).length < 2000, 'the problem does not echo the input');
        expectProblem(await api('exporter', 'GET', `/api/v1/shipments/${'S'.repeat(4000)}`, { token: exporter }), 400, 'INVALID_ARGUMENT');
        expectProblem(await api('exporter', 'POST', '/api/v1/auth/login', { json: { name: 'e'.repeat(10_000), password: 'p'.repeat(10_000) } }), 400, 'INVALID_ARGUMENT');
        expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL }, headers: { 'Idempotency-Key': 'k'.repeat(4000) } }), 400);
        await notWritten(id);
        await stillServes();
    });

    it('a request line longer than the HTTP server takes is refused with 431 and a problem body; the gateway keeps serving', async () => {
        // Node's HTTP parser refuses this before Express runs; the gateway's clientError handler still answers a problem.
        const res = await fetch(`${gatewayUrl('exporter')}/api/v1/shipments/${'S'.repeat(40_000)}`, { headers: { authorization: `Bearer ${exporter}` } });
        assert.equal(res.status, 431);
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.equal(((await res.json()) as { code: string }).code, 'HEADERS_TOO_LARGE');
        await stillServes();
    });

    it('control characters and bidi overrides in text fields are refused with 400; text in any script is kept exactly', async () => {
        const hostile = ['NUL\u0000byte', 'bell\u0007', 'escape \u001b[31mred', 'C1 \u0085 next line', 'invoice \u202Efdp.exe', 'isolate \u2066x\u2069', 'DEL\u007f'];
        for (const [i, text] of hostile.entries()) {
            const id = `SHP-CTL-${run}-${i}`;
            const problem = expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL, exporterReference: text } }), 400, 'INVALID_ARGUMENT');
            assert.match(String(problem.detail), /exporterReference/);
            expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL, consignee: { name: text, country: 'DE' } } }), 400, 'INVALID_ARGUMENT');
            await notWritten(id);
        }
        // Homoglyph ids (Cyrillic S, H, P) are not ids.
        expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: `\u0405\u041d\u0420-${run}`, ...SHIPMENT, commercial: COMMERCIAL } }), 400, 'INVALID_ARGUMENT');

        // Mixed scripts, combining marks and emoji are ordinary trade text: stored and returned byte for byte.
        const id = `SHP-UNI-${run}`;
        const name = 'Müller & Søn 株式会社 Ωμέγα ООО «Ромашка» שלום e\u0301 🚢';
        const opened = await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL, consignee: { name, country: 'DE' } } });
        assert.equal(opened.status, 201, JSON.stringify(opened.body));
        const read = await api('carrier', 'GET', `/api/v1/shipments/${id}`, { token: await login('carrier', 'carrier-agent1') });
        assert.equal(((read.body as Json).consignee as Json).name, name);
    });

    it('codes that only match a pattern (XXX, QQQ, ZZ), money finer than its currency (184500.001 USD, cents of JPY) and names of invisible characters only: 400 at the gateway, INVALID_ARGUMENT from the chaincode to a member who bypasses the gateway; nothing is written', async () => {
        const twoLines = (value: string, total: string) => ({ lines: [COMMERCIAL.lines[0], { lineNo: 2, unitPrice: '20', value }], totalValue: total });
        const cases: [string, Json, RegExp][] = [
            ['currency XXX (no currency)', { currency: 'XXX' }, /currency/],
            ['currency QQQ (not assigned)', { currency: 'QQQ' }, /currency/],
            ['country ZZ (user-assigned)', { countryOfDestination: 'ZZ' }, /countryOfDestination/],
            ['port in country ZZ', { portOfDischarge: 'ZZHAM' }, /portOfDischarge/],
            ['a total of 184500.001 USD', { commercial: twoLines('175500.001', '184500.001') }, /value|totalValue/],
            ['cents of JPY', { currency: 'JPY', commercial: twoLines('10000.50', '19000.50') }, /value|totalValue|JPY/],
            ['a consignee named with zero-width space and joiner only', { consignee: { name: '\u200B\u200D', country: 'DE' } }, /consignee\.name/],
            ['an exporter named with word joiner, BOM and Hangul filler only', { exporter: { name: '\u2060\uFEFF\u3164', country: 'CN' } }, /exporter\.name/],
        ];
        const direct = connectAs('exporter', 'exporter1');
        try {
            for (const [i, [name, override, field]] of cases.entries()) {
                const id = `SHP-CODE-${run}-${i}`;
                const { commercial, ...shipment } = { ...SHIPMENT, commercial: COMMERCIAL, ...override } as Json;
                const problem = expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: id, ...shipment, commercial } }), 400, 'INVALID_ARGUMENT');
                assert.match(String(problem.detail), field, name);
                // The same input sent by the member straight to its peer, with its own key: the chaincode refuses it too.
                await assert.rejects(direct.contract.submitAsync('shipment:openShipment', {
                    arguments: [id, JSON.stringify(shipment)], transientData: salted({ commercial: JSON.stringify(commercial) }),
                }), (err: Error & { details?: { message: string }[] }) => {
                    const messages = (err.details ?? []).map((d) => d.message).join(' ');
                    assert.match(messages, /INVALID_ARGUMENT/, `${name}: ${err.message} ${messages}`);
                    assert.match(messages, field, name);
                    return true;
                });
                await notWritten(id);
            }
        } finally {
            direct.close();
        }
        await stillServes();
    });

    it('script and SQL fragments: refused where an id is expected; in free text stored as inert data and served as JSON with nosniff', async () => {
        for (const id of [`SHP-1';DROP TABLE shipments;--`, '<script>alert(1)</script>', '../../etc/passwd', 'SHP-1" OR "1"="1']) {
            expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL } }), 400, 'INVALID_ARGUMENT');
            expectProblem(await api('exporter', 'GET', `/api/v1/shipments/${encodeURIComponent(id)}`, { token: exporter }), 400, 'INVALID_ARGUMENT');
        }
        const id = `SHP-XSS-${run}`;
        const reference = `<script>alert('x')</script>'; DROP TABLE shipments; --`;
        assert.equal((await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL, exporterReference: reference } })).status, 201);
        const read = await api('exporter', 'GET', `/api/v1/shipments/${id}`, { token: exporter });
        assert.equal((read.body as Json).exporterReference, reference, 'kept verbatim: nothing interprets it');
        assert.match(read.headers.get('content-type') ?? '', /^application\/json/);
        assert.equal(read.headers.get('x-content-type-options'), 'nosniff');
        await stillServes();
    });

    it('file names with path separators or control characters are refused with 400 and nothing is registered', async () => {
        const names = ['../../etc/passwd.pdf', '..\\..\\windows\\win.pdf', '/etc/shadow.pdf', 'a/b.pdf', '..', 'x\u0000.pdf', 'invoice\u202Efdp.exe'];
        for (const [i, name] of names.entries()) {
            const documentId = `DOC-PATH-${run}-${i}`;
            expectProblem(await raw('exporter', 'POST', `/api/v1/shipments/${shipmentId}/documents`, exporter, uploadForm(documentId, pdf(`path ${i}`), name)), 400, 'INVALID_ARGUMENT');
            expectProblem(await api('exporter', 'GET', `/api/v1/documents/${documentId}`, { token: exporter }), 404, 'NOT_FOUND');
        }
        const documentId = `DOC-NAME-${run}`;
        const ok = await raw('exporter', 'POST', `/api/v1/shipments/${shipmentId}/documents`, exporter, uploadForm(documentId, pdf('fine'), 'Packing list – März.pdf'));
        assert.equal(ok.status, 201, JSON.stringify(ok.body));
    });

    it('files that lie about their type and an empty file are refused (415, 400) and nothing is registered', async () => {
        const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
        const elf = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0]);
        const cases: [string, Uint8Array<ArrayBuffer>, string, string, number][] = [
            ['png-as-pdf', png, 'scan.pdf', 'application/pdf', 415],
            ['elf-as-pdf', elf, 'invoice.pdf', 'application/pdf', 415],
            ['html-as-pdf', new Uint8Array(Buffer.from('<html><script>alert(1)</script></html>')), 'invoice.pdf', 'application/pdf', 415],
            ['pdf-as-png', pdf('declared png'), 'image.png', 'image/png', 415],
            ['pdf-as-html', pdf('declared html'), 'page.pdf', 'text/html', 415],
            ['empty', new Uint8Array(0), 'empty.pdf', 'application/pdf', 400],
        ];
        for (const [label, content, name, mediaType, status] of cases) {
            const documentId = `DOC-${label}-${run}`;
            expectProblem(await raw('exporter', 'POST', `/api/v1/shipments/${shipmentId}/documents`, exporter, uploadForm(documentId, content, name, mediaType)), status);
            expectProblem(await api('exporter', 'GET', `/api/v1/documents/${documentId}`, { token: exporter }), 404, 'NOT_FOUND');
        }
        const form = new FormData();
        form.set('file', new Blob([new Uint8Array(0)], { type: 'application/pdf' }), 'empty.pdf');
        expectProblem(await raw('exporter', 'POST', '/api/v1/documents/verify', exporter, form), 400, 'INVALID_ARGUMENT');
        await stillServes();
    });

    it('each gateway serves only its own organisation: other organisations\' people cannot log in, their tokens cannot write', async () => {
        for (const org of ['carrier', 'customs', 'bank']) {
            for (const { name } of demoUsers(peerOrg('exporter'))) {
                // The right password, at the wrong gateway.
                expectProblem(await api(org, 'POST', '/api/v1/auth/login', { json: { name, password: initialPassword('exporter', name) } }), 401, 'UNAUTHENTICATED');
            }
            const id = `SHP-XORG-${org}-${run}`;
            expectProblem(await api(org, 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL } }), 401, 'UNAUTHENTICATED');
            await notWritten(id);
        }
        // The exporter admin's token administers nobody elsewhere.
        const admin = await login('exporter', 'admin');
        expectProblem(await api('bank', 'GET', '/api/v1/users', { token: admin }), 401, 'UNAUTHENTICATED');
        expectProblem(await api('bank', 'POST', '/api/v1/users/trade-finance-approver1/revoke', { token: admin }), 401, 'UNAUTHENTICATED');
        assert.equal((await api('bank', 'GET', '/api/v1/me', { token: await login('bank', 'trade-finance-approver1') })).status, 200);
        await stillServes();
    });
});
