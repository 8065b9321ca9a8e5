/**
 * /openapi.json (OpenAPI 3.1) generated from the operations themselves, so the published contract is the one that
 * validates requests; and /docs, a self-contained page listing the operations (no CDN, no scripts). Each operation
 * also states who may call it (`x-roles`) and the problem codes it can answer, with their statuses from the one error
 * mapping (errors.ts).
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { type ErrorCode, errorCodes, statusOf } from '../errors';
import type { AnyOperation } from './operation';

/** RFC 9457 problem body as the gateway sends it. */
export const ProblemSchema = Type.Object({
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.Unsafe<ErrorCode>({ type: 'string', enum: errorCodes().map((c) => c.code), description: 'Stable error code; x-problems on each operation lists those it answers' }),
    transactionId: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
});

/**
 * The problem codes an operation can answer, from what it is: every one may fail inside (500) or be rate limited;
 * one that needs a login may meet a missing token or a pending password change; input means INVALID_ARGUMENT; a POST
 * takes an Idempotency-Key; the ledger may refuse, not find, be busy or unreachable; a write may conflict, find the
 * record in the wrong state or end with an unknown or invalid commit.
 */
export function problemCodes(operation: AnyOperation): ErrorCode[] {
    const codes = new Set<ErrorCode>(['INTERNAL', 'RATE_LIMITED']);
    const add = (...more: ErrorCode[]) => more.forEach((c) => codes.add(c));
    if (operation.access !== 'public') {
        add('UNAUTHENTICATED', ...(operation.duringPasswordChange ? [] : ['PASSWORD_CHANGE_REQUIRED' as const]));
    }
    if (operation.access === 'admin') {
        add('FORBIDDEN');
    }
    if (operation.params || operation.query || operation.body || operation.upload) {
        add('INVALID_ARGUMENT');
    }
    if (operation.body || operation.upload) {
        add('PAYLOAD_TOO_LARGE', 'UNSUPPORTED_MEDIA_TYPE');
    }
    if (operation.method === 'post') {
        add('IDEMPOTENCY_KEY_REUSED', 'IDEMPOTENCY_IN_FLIGHT', 'SATURATED');
    }
    if (operation.ledger) {
        add('FORBIDDEN', 'NOT_FOUND', 'SATURATED', 'PEER_BUSY', 'UNAVAILABLE');
    }
    if (operation.ledger === 'write') {
        add('ALREADY_EXISTS', 'CONFLICT', 'FAILED_PRECONDITION', 'COMMIT_STATUS_UNKNOWN', 'TRANSACTION_INVALID');
    }
    add(...(operation.problems ?? []));
    const order = errorCodes().map((c) => c.code);
    return [...codes].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** Who may call an operation: its permission-table rows, or what its access level says. */
function rolesOf(operation: AnyOperation): readonly string[] {
    if (operation.roles) {
        return operation.roles;
    }
    return operation.access === 'public' ? ['anyone'] : operation.access === 'admin' ? ['admin'] : ['any person of the organisation'];
}

/** One response per problem status, naming its codes; the body is the Problem schema. */
function problemResponses(codes: readonly ErrorCode[]): Record<string, unknown> {
    const byStatus = new Map<number, ErrorCode[]>();
    for (const code of codes) {
        byStatus.set(statusOf(code), [...(byStatus.get(statusOf(code)) ?? []), code]);
    }
    return Object.fromEntries([...byStatus].map(([status, list]) => [String(status), {
        description: `Problem (RFC 9457): ${list.join(', ')}`,
        ...(status === 429 || status === 503 ? { headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } } } : {}),
        content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    }]));
}

export interface ApiInfo {
    readonly title: string;
    readonly version: string;
    readonly description: string;
}

/** The key naming a schema to publish once in components/schemas and refer to by $ref. */
export const COMPONENT = 'x-component';

/**
 * TypeBox schemas are JSON Schema already; the round trip drops TypeBox's symbol-keyed metadata. With `components`,
 * every named part (COMPONENT) goes there once and is replaced by a $ref.
 */
function plain(schema: TSchema, components?: Record<string, unknown>): unknown {
    const json: unknown = JSON.parse(JSON.stringify(schema));
    return components ? hoist(json, components) : json;
}

function hoist(value: unknown, components: Record<string, unknown>): unknown {
    if (Array.isArray(value)) {
        return value.map((v) => hoist(v, components));
    }
    if (value === null || typeof value !== 'object') {
        return value;
    }
    const { [COMPONENT]: name, ...rest } = value as Record<string, unknown>;
    const inner = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, hoist(v, components)]));
    if (typeof name !== 'string') {
        return inner;
    }
    const known = components[name];
    if (known !== undefined && JSON.stringify(known) !== JSON.stringify(inner)) {
        throw new Error(`two different schemas are both named ${name}`);
    }
    components[name] = inner;
    return { $ref: `#/components/schemas/${name}` };
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

/**
 * JSON, or for uploads multipart/form-data: the text fields of `body` plus the binary `file`, whose accepted media
 * types are its part's encoding (OpenAPI 3.1 Encoding Object: a comma-separated list of media types).
 */
function requestBody(operation: AnyOperation): Record<string, unknown> {
    const examples = operation.example?.request === undefined ? {} : { example: operation.example.request };
    if (operation.upload) {
        const fields = (operation.body ? plain(operation.body) : { type: 'object', properties: {} }) as { properties?: object; required?: string[] };
        const schema = {
            type: 'object',
            properties: { ...fields.properties, file: { type: 'string', format: 'binary', description: `One file: ${operation.upload.allowedTypes.join(', ')} (checked against its bytes)` } },
            required: [...(fields.required ?? []), 'file'],
        };
        const encoding = { file: { contentType: operation.upload.allowedTypes.join(', ') } };
        return { requestBody: { required: true, content: { 'multipart/form-data': { schema, encoding, ...examples } } } };
    }
    return operation.body ? { requestBody: { required: true, content: { 'application/json': { schema: plain(operation.body), ...examples } } } } : {};
}

export function buildOpenApi(operations: readonly AnyOperation[], info: ApiInfo): Record<string, unknown> {
    const paths: Record<string, Record<string, unknown>> = {};
    const components: Record<string, unknown> = {};
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
        const codes = problemCodes(operation);
        const responses: Record<string, unknown> = problemResponses(codes);
        for (const [status, spec] of Object.entries(operation.responses)) {
            const example = operation.example?.response !== undefined && Number(status) < 300 ? { example: operation.example.response } : {};
            responses[status] = {
                description: spec.description,
                ...(spec.schema ? { content: { [spec.contentType ?? 'application/json']: { schema: plain(spec.schema, components), ...example } } } : {}),
            };
        }
        responses.default = { description: 'Problem (RFC 9457)', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } };
        for (const [name, schema] of Object.entries(operation.components ?? {})) {
            const published = plain(schema, components) as { $ref?: string };
            if (published.$ref !== `#/components/schemas/${name}`) {
                components[name] = published;
            }
        }
        paths[operation.path] ??= {};
        paths[operation.path]![operation.method] = {
            operationId: operation.operationId,
            summary: operation.summary,
            tags: operation.tags,
            security: operation.access === 'public' ? [] : [{ bearer: [] }],
            'x-roles': rolesOf(operation),
            'x-problems': codes.map((code) => ({ code, status: statusOf(code) })),
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
            schemas: { Problem: plain(ProblemSchema), ...components },
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
        + `<td>${escapeHtml(rolesOf(op).join(', '))}</td><td>${escapeHtml(op.summary)}</td></tr>`).join('\n');
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(info.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.4rem;text-align:left}</style>
</head><body><h1>${escapeHtml(info.title)}</h1><p>${escapeHtml(info.description)}</p>
<p>Machine-readable contract: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code>.</p>
<table><thead><tr><th>method</th><th>path</th><th>who</th><th>summary</th></tr></thead><tbody>
${rows}
</tbody></table></body></html>
`;
}
