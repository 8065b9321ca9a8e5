/**
 * Work queues: one page of the records in a status (or, for B/Ls, held by an organisation), read from the
 * chaincode's status indexes and followed with the peer's bookmark as an opaque cursor. The statuses come from the
 * chaincode's status machines (chaincode/src/lifecycle.ts), so both tiers accept the same ones.
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { ApiError } from '../errors';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { type TradeDeps, ok, query } from './chaincode';

/** A page as the chaincode answers it (chaincode ledger.ts `Page`). */
interface Page { records: unknown[]; fetchedRecordsCount: number; bookmark: string }

export const Limit = Type.Integer({ minimum: 1, maximum: 100, default: 20 });
export const Cursor = Type.String({ minLength: 1, maxLength: 1024, description: 'nextCursor of the previous page' });

export function pageSchema(item: TSchema) {
    return Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()], { description: 'null on the last page' }) });
}

/** One page from a chaincode query `fn(filter, pageSize, bookmark)`. */
export async function readPage(deps: TradeDeps, user: string, fn: string, filter: string, limit: number, cursor: string | undefined): Promise<{ items: unknown[]; nextCursor: string | null }> {
    const page = await query<Page>(deps, user, fn, [filter, String(limit), cursor ?? '']);
    // A short page is the last one; the peer still returns a bookmark then, which would only yield nothing.
    const more = page.fetchedRecordsCount >= limit && page.bookmark !== '';
    return { items: page.records, nextCursor: more ? page.bookmark : null };
}

const literals = (values: readonly string[], description: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });

export interface QueueSpec {
    readonly path: string;
    readonly operationId: string;
    readonly tag: string;
    readonly summary: string;
    readonly item: TSchema;
    readonly status: { readonly values: readonly string[]; readonly fn: string };
    /** A second way to list (B/Ls by holder); then exactly one of `status` and `holder` is named. */
    readonly holder?: { readonly values: readonly string[]; readonly fn: string };
}

export function queueOperation(deps: TradeDeps, spec: QueueSpec): AnyOperation {
    const Query = Type.Object({
        status: Type.Optional(literals(spec.status.values, 'Records in this status')),
        ...(spec.holder ? { holder: Type.Optional(literals(spec.holder.values, 'Records this organisation holds now')) } : {}),
        limit: Type.Optional(Limit),
        cursor: Type.Optional(Cursor),
    }, { additionalProperties: false });
    return defineOperation({
        method: 'get', path: spec.path, operationId: spec.operationId, tags: [spec.tag], access: 'user', summary: spec.summary,
        query: Query,
        responses: { 200: { description: 'A page', schema: pageSchema(spec.item) } },
        async handle(context) {
            const q = context.query as { status?: string; holder?: string; limit?: number; cursor?: string };
            if (spec.holder ? (q.status === undefined) === (q.holder === undefined) : q.status === undefined) {
                throw new ApiError('INVALID_ARGUMENT', spec.holder ? 'query must name exactly one of status or holder' : 'query must name a status');
            }
            const [fn, filter] = q.status !== undefined ? [spec.status.fn, q.status] : [spec.holder!.fn, q.holder!];
            return ok(await readPage(deps, callerOf(context).name, fn, filter, q.limit ?? Limit.default, q.cursor));
        },
    });
}
