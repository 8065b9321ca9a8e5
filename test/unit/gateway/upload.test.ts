import { Type } from '@sinclair/typebox';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import request from 'supertest';
import { createApp } from '../../../gateway/src/app';
import { defineOperation } from '../../../gateway/src/http/operation';
import type { ReceivedFile } from '../../../gateway/src/http/upload';
import { fileNameProblem, sniffMediaType } from '../../../gateway/src/http/upload';
import { type Harness, harness } from './fakes';

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(200, 0x20)]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);

describe('gateway uploads (multipart, hashed while streaming)', () => {
    let h: Harness;
    let app: ReturnType<typeof createApp>;
    let token: string;
    const received: { file: ReceivedFile | undefined; body: unknown }[] = [];

    before(async () => {
        const operation = defineOperation({
            method: 'post', path: '/api/v1/files', operationId: 'uploadFile', tags: ['test'], access: 'user', summary: 'test upload',
            upload: { allowedTypes: ['application/pdf'] },
            body: Type.Object({ title: Type.String({ minLength: 1 }) }, { additionalProperties: false }),
            responses: { 201: { description: 'stored' } },
            async handle({ upload, body }) {
                received.push({ file: upload, body });
                return { status: 201, body: { sha256: upload?.sha256, size: upload?.size } };
            },
        });
        h = await harness({ resources: [operation] });
        app = createApp(h.deps);
        token = (await h.accounts.login('exporter1', h.password('exporter1'))).token;
    });

    after(() => fs.rmSync(h.dir, { recursive: true, force: true }));

    const post = () => request(app).post('/api/v1/files').set('Authorization', `Bearer ${token}`);

    it('sniff identifies documents by their first bytes, not their name', () => {
        assert.equal(sniffMediaType(PDF), 'application/pdf');
        assert.equal(sniffMediaType(PNG), 'image/png');
        assert.equal(sniffMediaType(Buffer.from('hello')), undefined);
    });

    it('upload of an allowed file gives the handler its bytes, size, SHA-256 and validated fields', async () => {
        const res = await post().field('title', 'invoice').attach('file', PDF, { filename: 'inv.pdf', contentType: 'application/pdf' }).expect(201);
        const sha256 = createHash('sha256').update(PDF).digest('hex');
        assert.deepEqual(res.body, { sha256, size: PDF.length });
        const last = received.at(-1)!;
        assert.deepEqual(last.body, { title: 'invoice' });
        assert.equal(last.file?.filename, 'inv.pdf');
        assert.ok(last.file?.content.equals(PDF));
    });

    it('upload over the limit answers 413 and does not reach the handler', async () => {
        const before = received.length;
        const big = Buffer.concat([PDF, Buffer.alloc(2048, 0x20)]);
        const res = await post().field('title', 'big').attach('file', big, { filename: 'big.pdf', contentType: 'application/pdf' }).expect(413);
        assert.equal(res.body.code, 'PAYLOAD_TOO_LARGE');
        assert.equal(received.length, before);
    });

    it('upload of exactly the limit is received whole; one byte more answers 413', async () => {
        const exact = Buffer.concat([PDF, Buffer.alloc(1024 - PDF.length, 0x20)]);
        const res = await post().field('title', 'exact').attach('file', exact, { filename: 'exact.pdf', contentType: 'application/pdf' }).expect(201);
        assert.deepEqual(res.body, { sha256: createHash('sha256').update(exact).digest('hex'), size: 1024 });
        await post().field('title', 'over').attach('file', Buffer.concat([exact, Buffer.from(' ')]), { filename: 'over.pdf', contentType: 'application/pdf' }).expect(413);
    });

    it('upload whose bytes contradict the declared type, or are not allowed, answers 415', async () => {
        const disguised = await post().field('title', 'x').attach('file', PNG, { filename: 'x.pdf', contentType: 'application/pdf' }).expect(415);
        assert.match(disguised.body.detail, /not one of application\/pdf/);
        const mislabelled = await post().field('title', 'x').attach('file', PDF, { filename: 'x.png', contentType: 'image/png' }).expect(415);
        assert.match(mislabelled.body.detail, /declared image\/png but its content is application\/pdf/);
    });

    it('upload of an empty file, or under a name with directories or control characters, answers 400 and does not reach the handler', async () => {
        const before = received.length;
        const empty = await post().field('title', 'x').attach('file', Buffer.alloc(0), { filename: 'empty.pdf', contentType: 'application/pdf' }).expect(400);
        assert.match(empty.body.detail, /empty/);
        for (const filename of ['x\u0007.pdf', 'x\u202Efdp.pdf']) {
            const res = await post().field('title', 'x').attach('file', PDF, { filename, contentType: 'application/pdf' }).expect(400);
            assert.equal(res.body.code, 'INVALID_ARGUMENT', filename);
        }
        assert.equal(received.length, before);
        // The test client strips directories from names itself; the check is applied to names as sent.
        for (const filename of ['../../etc/passwd.pdf', '..\\win.pdf', 'a/b.pdf', '..', 'x'.repeat(256)]) {
            assert.ok(fileNameProblem(filename), filename);
        }
        assert.equal(fileNameProblem('Packliste – März.pdf'), undefined);
    });

    it('a UTF-8 file name arrives as sent', async () => {
        await post().field('title', 'x').attach('file', PDF, { filename: 'Packliste – März 株式会社.pdf', contentType: 'application/pdf' }).expect(201);
        assert.equal(received.at(-1)?.file?.filename, 'Packliste – März 株式会社.pdf');
    });

    it('upload without a file, with JSON instead of multipart, or with a bad field answers 4xx', async () => {
        await post().field('title', 'x').expect(400);
        await post().send({ title: 'x' }).expect(415);
        const bad = await post().field('title', 'x').field('extra', 'y').attach('file', PDF, { filename: 'a.pdf', contentType: 'application/pdf' }).expect(400);
        assert.match(bad.body.detail, /unknown field extra/);
    });

    it('upload with a reused Idempotency-Key: same file replays, another file is refused with 422', async () => {
        const before = received.length;
        const send = (content: Buffer) => post().set('Idempotency-Key', 'up-1').field('title', 'doc').attach('file', content, { filename: 'a.pdf', contentType: 'application/pdf' });
        await send(PDF).expect(201);
        const replay = await send(PDF).expect(201);
        assert.equal(replay.headers['idempotent-replayed'], 'true');
        await send(Buffer.concat([PDF, Buffer.from('v2')])).expect(422);
        assert.equal(received.length, before + 1);
    });

    it('openapi describes an upload as multipart/form-data with its fields and the file, its accepted types as the part\'s encoding', async () => {
        const res = await request(app).get('/openapi.json').expect(200);
        const { schema, encoding } = res.body.paths['/api/v1/files'].post.requestBody.content['multipart/form-data'];
        assert.deepEqual(schema.required, ['title', 'file']);
        assert.equal(schema.properties.file.format, 'binary');
        assert.deepEqual(encoding, { file: { contentType: 'application/pdf' } });
    });
});
