import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import request from 'supertest';
import { type TradeHarness, tradeHarness, uid } from './trade-fakes';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from('invoice INV-7 '.repeat(20))]);
const SHA = createHash('sha256').update(PDF).digest('hex');
const FIELDS = { documentNumber: 'INV-7', totalAmount: '19000.00', currency: 'USD', hsCodes: ['610910'] };

describe('trade gateway: documents', () => {
    let t: TradeHarness;
    before(async function () {
        this.timeout(20_000);
        t = await tradeHarness();
    });

    const upload = (shipmentId: string) => request(t.app).post(`/api/v1/shipments/${shipmentId}/documents`).set('Authorization', t.auth);

    it('upload submits document:registerDocument with hash, size and media type as arguments, bytes and fields only in transient data', async () => {
        const documentId = uid('DOC');
        t.ledger.on('document:registerDocument', (args) => ({ documentId: args[0], version: 1, sha256: SHA, status: 'CURRENT' }));
        const res = await upload('SHP-1').field('documentId', documentId).field('docType', 'commercialInvoice').field('fields', JSON.stringify(FIELDS))
            .attach('file', PDF, { filename: 'invoice.pdf', contentType: 'application/pdf' }).expect(201);
        assert.equal(res.body.version, 1);
        assert.equal(res.headers.location, `/api/v1/documents/${documentId}`);
        const call = t.ledger.submissions.at(-1)!;
        assert.equal(call.fn, 'document:registerDocument');
        assert.deepEqual(call.args.slice(0, 2), [documentId, 'SHP-1']);
        assert.deepEqual(JSON.parse(call.args[2]!), { docType: 'commercialInvoice', sha256: SHA, size: PDF.length, mediaType: 'application/pdf', fileName: 'invoice.pdf' });
        assert.deepEqual(Object.keys(call.options?.transientData ?? {}).sort(), ['content', 'fields', 'salt']);
        assert.match(String(call.options?.transientData?.['salt']), /^[0-9a-f]{64}$/, 'a fresh 256-bit salt for the private values');
        assert.ok(Buffer.from(call.options!.transientData!['content']!).equals(PDF));
        assert.deepEqual(JSON.parse(String(call.options!.transientData!['fields'])), FIELDS);
        assert.doesNotMatch(call.args.join(' '), /INV-7/);
    });

    it('upload of a new version is the same request with the same documentId; without fields, no fields are sent', async () => {
        const documentId = uid('DOC');
        await upload('SHP-1').field('documentId', documentId).field('docType', 'packingList').attach('file', PDF, { filename: 'pl.pdf', contentType: 'application/pdf' }).expect(201);
        await upload('SHP-1').field('documentId', documentId).field('docType', 'packingList').attach('file', Buffer.concat([PDF, Buffer.from('v2')]), { filename: 'pl.pdf', contentType: 'application/pdf' }).expect(201);
        const [first, second] = t.ledger.submissions.slice(-2);
        assert.equal(first?.args[0], documentId);
        assert.equal(second?.args[0], documentId);
        assert.notEqual(JSON.parse(first!.args[2]!).sha256, JSON.parse(second!.args[2]!).sha256);
        assert.deepEqual(Object.keys(second?.options?.transientData ?? {}).sort(), ['content', 'salt']);
    });

    for (const [name, fields, status] of [
        ['fields that are not JSON', '{oops', 400],
        ['fields with an unknown name', JSON.stringify({ colour: 'red' }), 400],
        ['fields with a float amount', JSON.stringify({ totalAmount: 19000 }), 400],
    ] as const) {
        it(`upload with ${name} answers ${status} and submits nothing`, async () => {
            const before = t.ledger.submissions.length;
            const res = await upload('SHP-1').field('documentId', uid('DOC')).field('docType', 'commercialInvoice').field('fields', fields)
                .attach('file', PDF, { filename: 'i.pdf', contentType: 'application/pdf' }).expect(status);
            assert.equal(res.body.code, 'INVALID_ARGUMENT');
            assert.match(res.body.detail, /fields/);
            assert.equal(t.ledger.submissions.length, before);
        });
    }

    it('upload with an unknown docType, a file whose bytes are not its declared type, or over the limit is refused and submits nothing', async () => {
        const before = t.ledger.submissions.length;
        await upload('SHP-1').field('documentId', uid('DOC')).field('docType', 'selfie').attach('file', PDF, { filename: 'i.pdf', contentType: 'application/pdf' }).expect(400);
        await upload('SHP-1').field('documentId', uid('DOC')).field('docType', 'other').attach('file', Buffer.from('MZ not a pdf'), { filename: 'i.pdf', contentType: 'application/pdf' }).expect(415);
        await upload('SHP-1').field('documentId', uid('DOC')).field('docType', 'other').attach('file', Buffer.concat([PDF, Buffer.alloc(8192)]), { filename: 'i.pdf', contentType: 'application/pdf' }).expect(413);
        assert.equal(t.ledger.submissions.length, before);
    });

    it('download, when the chaincode lets the organisation read the type, answers the bytes with their media type and digest', async () => {
        t.ledger.on('document:getDocumentContent', { documentId: 'D1', version: 2, sha256: SHA, mediaType: 'application/pdf', contentBase64: PDF.toString('base64'), fields: {} });
        const res = await request(t.app).get('/api/v1/documents/D1/versions/2/content').set('Authorization', t.auth).buffer(true)
            .parse((r, done) => { const chunks: Buffer[] = []; r.on('data', (c: Buffer) => chunks.push(c)); r.on('end', () => done(null, Buffer.concat(chunks))); }).expect(200);
        assert.ok((res.body as Buffer).equals(PDF));
        assert.match(res.headers['content-type'] ?? '', /^application\/pdf/);
        assert.equal(res.headers['repr-digest'], `sha-256=:${createHash('sha256').update(PDF).digest('base64')}:`);
        assert.deepEqual(t.ledger.evaluations.at(-1), { user: 'exporter1', fn: 'document:getDocumentContent', args: ['D1', '2'] });
    });

    it('download, when the organisation may not read the type, answers the 403 problem and no bytes', async () => {
        t.ledger.forbid('document:getDocumentContent');
        const res = await request(t.app).get('/api/v1/documents/D1/versions/1/content').set('Authorization', t.auth).expect(403);
        assert.match(res.headers['content-type'] ?? '', /^application\/problem\+json/);
        assert.equal(res.body.code, 'FORBIDDEN');
        assert.doesNotMatch(res.text, /PDF/);
    });

    it('download, when the stored bytes do not match their hash, serves nothing', async () => {
        t.ledger.on('document:getDocumentContent', { sha256: 'b'.repeat(64), mediaType: 'application/pdf', contentBase64: PDF.toString('base64') });
        await request(t.app).get('/api/v1/documents/D1/versions/1/content').set('Authorization', t.auth).expect(500);
    });

    it('download with a version that is not a positive number answers 400', async () => {
        await request(t.app).get('/api/v1/documents/D1/versions/zero/content').set('Authorization', t.auth).expect(400);
    });

    it('get answers the head and versions from document:getDocument', async () => {
        t.ledger.on('document:getDocument', { documentId: 'D1', currentVersion: 2, versions: [{ version: 1 }, { version: 2 }] });
        const res = await request(t.app).get('/api/v1/documents/D1').set('Authorization', t.auth).expect(200);
        assert.equal(res.body.versions.length, 2);
    });

    it('public verification by hash needs no token, signs as the verifier identity, asks only for what anyone may know, and refuses a malformed hash unasked', async () => {
        const answer = { sha256: SHA, registered: true, matches: [{ docType: 'commercialInvoice', version: 2, status: 'CURRENT', registeredAt: '2026-03-02T09:00:00.000Z' }] };
        t.ledger.on('document:verifyDocumentRegistration', answer);
        const res = await request(t.app).get(`/api/v1/public/documents/${SHA}`).expect(200);
        assert.deepEqual(res.body, answer);
        assert.deepEqual(t.ledger.evaluations.at(-1), { user: 'exporter1', fn: 'document:verifyDocumentRegistration', args: [SHA] });
        const before = t.ledger.evaluations.length;
        await request(t.app).get('/api/v1/public/documents/not-a-hash').expect(400);
        assert.equal(t.ledger.evaluations.length, before);
    });

    it('verify by hash and by upload both ask document:verifyDocumentHash with the digest; the uploaded bytes are not sent', async () => {
        t.ledger.on('document:verifyDocumentHash', (args) => ({ sha256: args[0], matches: [] }));
        const byHash = await request(t.app).get(`/api/v1/documents/verify?sha256=${SHA}`).set('Authorization', t.auth).expect(200);
        assert.deepEqual(byHash.body, { sha256: SHA, matches: [] });
        const byUpload = await request(t.app).post('/api/v1/documents/verify').set('Authorization', t.auth).attach('file', PDF, { filename: 'x.pdf', contentType: 'application/pdf' }).expect(200);
        assert.equal(byUpload.body.sha256, SHA);
        assert.deepEqual(t.ledger.evaluations.at(-1), { user: 'exporter1', fn: 'document:verifyDocumentHash', args: [SHA] });
        await request(t.app).get('/api/v1/documents/verify?sha256=ABC').set('Authorization', t.auth).expect(400);
    });

    it('revoke submits document:revokeDocument with id, version and reason; without a reason answers 400', async () => {
        await request(t.app).post('/api/v1/documents/D1/versions/2/revoke').set('Authorization', t.auth).send({ reason: 'issued in error' }).expect(200);
        assert.deepEqual(t.ledger.submissions.at(-1)?.args, ['D1', '2', 'issued in error']);
        const before = t.ledger.submissions.length;
        await request(t.app).post('/api/v1/documents/D1/versions/2/revoke').set('Authorization', t.auth).send({}).expect(400);
        assert.equal(t.ledger.submissions.length, before);
    });

    it('list of a shipment\'s documents reads document:listShipmentDocuments', async () => {
        t.ledger.on('document:listShipmentDocuments', [{ documentId: 'D1' }]);
        const res = await request(t.app).get('/api/v1/shipments/SHP-1/documents').set('Authorization', t.auth).expect(200);
        assert.deepEqual(res.body, [{ documentId: 'D1' }]);
    });
});
