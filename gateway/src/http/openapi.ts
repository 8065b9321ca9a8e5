/**
 * /openapi.json (OpenAPI 3.1) generated from the operations themselves, so the published contract is the one that
 * validates requests; and /docs, a self-contained page listing the operations (no CDN, no scripts).
 */
import { type TSchema, Type } from '@sinclair/typebox';
import type { AnyOperation } from './operation';

/** RFC 9457 problem body as the gateway sends it. */
export const ProblemSchema = Type.Object({
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String({ description: 'Stable error code, e.g. NOT_FOUND, FORBIDDEN, CONFLICT' }),
    transactionId: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
});

export interface ApiInfo {
    readonly title: string;
    readonly version: string;
    readonly description: string;
}

/** TypeBox schemas are JSON Schema already; the round trip drops TypeBox's symbol-keyed metadata. */
function plain(schema: TSchema): unknown {
    return JSON.parse(JSON.stringify(schema));
}

function pathParameters(operation: AnyOperation, where: 'path' | 'query'): unknown[] {
    const schema = where === 'path' ? operation.params : operation.query;
    const properties = (schema?.properties ?? {}) as Record<string, TSchema>;
    const required = new Set<string>((schema?.required as string[] | undefined) ?? []);
    return Object.entries(properties).map(([name, property]) => ({
        name, in: where, required: where === 'path' || required.has(name), schema: plain(property),
        ...(property.description ? { description: property.description } : {}),
    }));
}

/** JSON, or for uploads multipart/form-data: the text fields of `body` plus the binary `file`. */
function requestBody(operation: AnyOperation): Record<string, unknown> {
    if (operation.upload) {
        const fields = (operation.body ? plain(operation.body) : { type: 'object', properties: {} }) as { properties?: object; required?: string[] };
        const schema = {
            type: 'object',
            properties: { ...fields.properties, file: { type: 'string', contentMediaType: operation.upload.allowedTypes.join(', ') } },
            required: [...(fields.required ?? []), 'file'],
        };
        return { requestBody: { required: true, content: { 'multipart/form-data': { schema } } } };
    }
    return operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: plain(operation.body) } } } } : {};
}

export function buildOpenApi(operations: readonly AnyOperation[], info: ApiInfo): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const operation of operations) {
        const parameters = [
            ...pathParameters(operation, 'path'),
            ...pathParameters(operation, 'query'),
            ...(operation.headers ?? []).map((h) => ({ name: h.name, in: 'header', required: false, description: h.description, schema: { type: 'string' } })),
            ...(operation.method === 'post'
                ? [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 255 },
                    description: 'Same key and body: the original response is returned and nothing runs twice. Same key, other body: 422.' }]
                : []),
        ];
        const responses: Record<string, unknown> = {};
        for (const [status, spec] of Object.entries(operation.responses)) {
            responses[status] = {
                description: spec.description,
                ...(spec.schema ? { content: { [spec.contentType ?? 'application/json']: { schema: plain(spec.schema) } } } : {}),
            };
        }
        responses.default = { description: 'Problem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
        paths[operation.path] ??= {};
        paths[operation.path]![operation.method] = {
            operationId: operation.operationId,
            summary: operation.summary,
            tags: operation.tags,
            security: operation.access === 'public' ? [] : [{ bearer: [] }],
            ...(parameters.length > 0 ? { parameters } : {}),
            ...requestBody(operation),
            responses,
        };
    }
    return {
        openapi: '3.1.0',
        info,
        paths,
        components: {
            schemas: { Problem: plain(ProblemSchema) },
            securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Token from POST /api/v1/auth/login' } },
        },
    };
}

function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A plain page listing every operation; the machine-readable contract is /openapi.json. */
export function docsPage(operations: readonly AnyOperation[], info: ApiInfo): string {
    const rows = operations.map((op) => `<tr><td><code>${op.method.toUpperCase()}</code></td><td><code>${escapeHtml(op.path)}</code></td>`
        + `<td>${escapeHtml(op.access)}</td><td>${escapeHtml(op.summary)}</td></tr>`).join('\n');
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}</style>
</head><body><h1>${escapeHtml(info.title)}</h1><p>${escapeHtml(info.description)}</p>
<p>Machine-readable contract: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code>.</p>
<table><thead><tr><th>method</th><th>path</th><th>access</th><th>summary</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}
