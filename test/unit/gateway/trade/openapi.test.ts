import * as assert from 'node:assert/strict';
import request from 'supertest';
import { PERMISSIONS } from '../../../../chaincode/src/permissions';
import { statusOf } from '../../../../gateway/src/errors';
import { compileValidator } from '../../../../gateway/src/http/validation';
import { tradeOperations } from '../../../../gateway/src/trade';
import { OPERATION_ACTIONS } from '../../../../gateway/src/trade/permissions';
import { ScriptedLedger, type TradeHarness, tradeHarness } from './trade-fakes';

type Json = Record<string, unknown>;
interface OpenApiOperation {
    operationId: string; security: unknown[]; 'x-roles': string[]; 'x-problems': { code: string; status: number }[];
    parameters?: { name: string; in: string; required: boolean }[];
    requestBody?: { content: Record<string, { schema: Json; encoding?: Record<string, { contentType: string }>; example?: unknown }> };
    responses: Record<string, { content?: Record<string, { schema: Json; example?: unknown }> }>;
}
interface OpenApi { paths: Record<string, Record<string, OpenApiOperation>>; components: { schemas: Record<string, Json> } }

describe('trade gateway: published contract', () => {
    let t: TradeHarness;
    let spec: OpenApi;
    const operations = tradeOperations({ ledger: new ScriptedLedger(), publicVerifier: 'nobody' });
    const published = (o: { path: string; method: string }) => spec.paths[o.path]![o.method]!;
    before(async function () {
        this.timeout(20_000);
        t = await tradeHarness();
        spec = (await request(t.app).get('/openapi.json').expect(200)).body as OpenApi;
    });

    it('every trade operation has a unique operationId and appears in /openapi.json with its method', () => {
        assert.equal(new Set(operations.map((o) => o.operationId)).size, operations.length);
        for (const o of operations) {
            assert.equal(spec.paths[o.path]?.[o.method]?.operationId, o.operationId, `${o.method} ${o.path}`);
        }
        assert.deepEqual(spec.paths['/api/v1/public/certificates/{certificateNumber}']?.['get']?.security, []);
    });

    it('each trade operation lists as x-roles exactly the permission table\'s rows for its actions, and the table names no other operation', () => {
        assert.deepEqual(Object.keys(OPERATION_ACTIONS).sort(), operations.map((o) => o.operationId).sort());
        for (const o of operations) {
            const actions = OPERATION_ACTIONS[o.operationId]!;
            const expected = o.access === 'public' ? ['anyone'] : [...PERMISSIONS[actions[0]!]];
            assert.deepEqual(published(o)['x-roles'], expected, o.operationId);
        }
        assert.deepEqual(published({ path: '/api/v1/financing/{financingId}/approve', method: 'post' })['x-roles'], ['BankMSP/trade_finance_approver']);
    });

    it('each operation lists its problem codes with the statuses of the one error mapping, and a response per status', () => {
        for (const [path, methods] of Object.entries(spec.paths)) {
            for (const [method, op] of Object.entries(methods)) {
                assert.ok(op['x-problems'].length > 0, `${method} ${path}`);
                for (const { code, status } of op['x-problems']) {
                    assert.equal(status, statusOf(code as never), `${method} ${path} ${code}`);
                    assert.ok(op.responses[String(status)]?.content?.['application/problem+json'], `${method} ${path} documents ${status}`);
                }
            }
        }
        const codes = (p: string, m: string) => published({ path: p, method: m })['x-problems'].map((x) => x.code);
        assert.ok(codes('/api/v1/shipments', 'post').includes('CONFLICT') && codes('/api/v1/shipments', 'post').includes('COMMIT_STATUS_UNKNOWN'));
        assert.ok(!codes('/api/v1/shipments/{shipmentId}', 'get').includes('COMMIT_STATUS_UNKNOWN'), 'a read never has an unknown commit');
        assert.ok(!codes('/api/v1/public/documents/{sha256}', 'get').includes('UNAUTHENTICATED'));
        assert.ok(codes('/api/v1/events', 'get').includes('STREAM_LIMIT'));
        assert.ok((spec.components.schemas.Problem!.properties as Record<string, Json>).code!.enum);
    });

    it('every JSON answer of a trade operation has a full schema: named properties, no open "any record"', () => {
        const open = (schema: Json): boolean => schema.additionalProperties === true
            || (schema.type === 'object' && !schema.properties && !schema.additionalProperties);
        const resolve = (schema: Json): Json => (typeof schema.$ref === 'string' ? spec.components.schemas[schema.$ref.split('/').pop()!]! : schema);
        for (const o of operations) {
            for (const [status, response] of Object.entries(published(o).responses)) {
                const schema = response.content?.['application/json']?.schema;
                if (schema && Number(status) < 300) {
                    const items = resolve(schema.type === 'array' ? schema.items as Json : schema);
                    assert.ok(!open(items) && (items.properties || items.anyOf), `${o.operationId} ${status}: ${JSON.stringify(items).slice(0, 120)}`);
                }
            }
        }
        const status = (resolve(published({ path: '/api/v1/financing/{financingId}', method: 'get' }).responses['200']!.content!['application/json']!.schema).properties as Record<string, Json>).status!;
        assert.deepEqual(status.enum, ['REQUESTED', 'UNDER_EXAMINATION', 'APPROVED', 'REJECTED', 'RELEASED', 'WITHDRAWN']);
    });

    it('the upload defines DocumentFields, encodes the accepted file types as its part\'s content types, and the event data is a schema', () => {
        const upload = published({ path: '/api/v1/shipments/{shipmentId}/documents', method: 'post' }).requestBody!.content['multipart/form-data']!;
        assert.equal(upload.encoding!.file!.contentType, 'application/pdf, image/png, image/jpeg, image/tiff, application/xml');
        const fields = (upload.schema.properties as Record<string, Json>).fields!;
        assert.deepEqual(fields.contentSchema, { $ref: '#/components/schemas/DocumentFields' });
        const documentFields = spec.components.schemas.DocumentFields!;
        assert.equal(Object.keys(documentFields.properties as Json).length, 19);
        assert.equal(documentFields.required, undefined, 'every key optional');
        assert.ok(spec.components.schemas.TradeEvent);
    });

    it('limit of the shipment list is optional (default 20); path parameters are required', () => {
        const list = published({ path: '/api/v1/shipments', method: 'get' });
        assert.equal(list.parameters!.find((p) => p.name === 'limit')!.required, false);
        assert.ok(published({ path: '/api/v1/shipments/{shipmentId}', method: 'get' }).parameters!.every((p) => p.in !== 'path' || p.required));
    });

    it('the main operations carry examples, and each request example is valid against the operation\'s own schema', () => {
        const main = ['openShipment', 'registerDocument', 'issueBillOfLading', 'lodgeDeclaration', 'applyForCertificate', 'requestFinancing'];
        for (const o of operations.filter((x) => x.example)) {
            const content = published(o).requestBody!.content;
            const example = (content['application/json'] ?? content['multipart/form-data'])!.example as Json;
            assert.ok(example, o.operationId);
            if (o.body) {
                // An upload's example shows the file too; the schema holds the text fields.
                const fields = Object.fromEntries(Object.entries(example).filter(([name]) => !o.upload || name !== 'file'));
                compileValidator(o.body, 'body')(fields);
            }
        }
        assert.deepEqual(main.filter((id) => !operations.find((o) => o.operationId === id)?.example), []);
        assert.ok(published({ path: '/api/v1/shipments', method: 'post' }).responses['201']!.content!['application/json']!.example);
    });
});
