/** Operational endpoints: liveness, readiness, metrics, the OpenAPI contract and its human-readable page. */
import { Type } from '@sinclair/typebox';
import { type AnyOperation, defineOperation } from '../http/operation';
import type { Lifecycle } from '../http/lifecycle';
import { DOCS_CSP } from '../http/middleware';
import type { Metrics } from '../http/metrics';
import { type ApiInfo, buildOpenApi, docsPage } from '../http/openapi';

/**
 * Named readiness checks (all must pass for 200) and details that inform without failing readiness (a pending
 * channel revocation, certificates due for renewal, the event stream's state).
 */
export type ReadinessChecks = () => Promise<Readonly<{ checks: Readonly<Record<string, boolean>>; details?: Readonly<Record<string, unknown>> }>>;

export interface OpsRouteDeps {
    readonly checks: ReadinessChecks;
    readonly lifecycle: Lifecycle;
    readonly metrics: Metrics;
    readonly info: ApiInfo;
    /** Every operation of the app, this list included, for the contract. */
    readonly operations: () => readonly AnyOperation[];
}

const Readiness = Type.Object({
    status: Type.Union([Type.Literal('ready'), Type.Literal('not ready')]),
    checks: Type.Record(Type.String(), Type.Boolean()),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});

export function opsOperations(deps: OpsRouteDeps): AnyOperation[] {
    let openApi: string | undefined;
    return [
        defineOperation({
            method: 'get', path: '/healthz', operationId: 'health', tags: ['operations'], access: 'public',
            summary: 'The process is alive',
            responses: { 200: { description: 'Alive', schema: Type.Object({ status: Type.Literal('ok') }) } },
            async handle() {
                return { status: 200, body: { status: 'ok' } };
            },
        }),
        defineOperation({
            method: 'get', path: '/readyz', operationId: 'ready', tags: ['operations'], access: 'public',
            summary: 'Ready for traffic: the peer answers (not refusing at its limit), no certificate the gateway signs with has expired, not shutting down; details: pending channel revocations, certificates due, the event stream',
            responses: { 200: { description: 'Ready', schema: Readiness }, 503: { description: 'Not ready', schema: Readiness } },
            async handle() {
                const result = await deps.checks();
                const checks = { ...result.checks, accepting: deps.lifecycle.accepting };
                const ready = Object.values(checks).every(Boolean);
                return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not ready', checks, ...(result.details ? { details: result.details } : {}) } };
            },
        }),
        defineOperation({
            method: 'get', path: '/metrics', operationId: 'metrics', tags: ['operations'], access: 'public',
            summary: 'Prometheus metrics (text exposition format 0.0.4)',
            responses: { 200: { description: 'Metrics', contentType: 'text/plain', schema: Type.String() } },
            async handle() {
                return { status: 200, body: deps.metrics.render(), contentType: 'text/plain; version=0.0.4; charset=utf-8' };
            },
        }),
        defineOperation({
            method: 'get', path: '/openapi.json', operationId: 'openapi', tags: ['operations'], access: 'public',
            summary: 'This API\'s contract, OpenAPI 3.1, generated from the schemas that validate requests',
            responses: { 200: { description: 'OpenAPI document', schema: Type.Object({}, { additionalProperties: true }) } },
            async handle() {
                // Operations are fixed once the app is built, so the document is made once.
                openApi ??= JSON.stringify(buildOpenApi(deps.operations(), deps.info));
                return { status: 200, body: openApi, contentType: 'application/json; charset=utf-8' };
            },
        }),
        defineOperation({
            method: 'get', path: '/docs', operationId: 'docs', tags: ['operations'], access: 'public',
            summary: 'The operations as a page',
            responses: { 200: { description: 'HTML page', contentType: 'text/html', schema: Type.String() } },
            async handle() {
                return { status: 200, body: docsPage(deps.operations(), deps.info), contentType: 'text/html; charset=utf-8', headers: { 'Content-Security-Policy': DOCS_CSP } };
            },
        }),
    ];
}
