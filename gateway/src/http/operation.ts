/**
 * An HTTP operation as a small declarative module: method, path, who may call it, the TypeBox schemas of its input
 * and output, and a handler that receives validated input and returns a reply. The same declaration drives routing,
 * validation and /openapi.json, so resources are added as lists of operations and nothing else.
 */
import type { Static, TSchema, TUnknown } from '@sinclair/typebox';
import type { Logger } from 'pino';
import type { ErrorCode } from '../errors';
import type { Principal } from '../people/accounts';
import type { ReceivedFile } from './upload';

/** `public`: anyone; `user`: any live account; `admin`: the organisation's gateway administrator. */
export type Access = 'public' | 'user' | 'admin';

export interface OperationContext<B, P, Q> {
    readonly body: B;
    readonly params: P;
    readonly query: Q;
    /** The caller, when a valid bearer token was sent (always, unless access is `public`). */
    readonly principal: Principal | undefined;
    /** The file of an operation declared with `upload` (its text fields are the body). */
    readonly upload: ReceivedFile | undefined;
    readonly header: (name: string) => string | undefined;
    /** The client's address (the socket's, or the first untrusted hop behind TRADEDOCS_GATEWAY_TRUST_PROXY). */
    readonly clientAddress: string;
    readonly requestId: string;
    readonly log: Logger;
}

/** A JSON answer; with contentType, text, or bytes when body is a Buffer. */
export interface BodyReply {
    readonly status: number;
    readonly body?: unknown;
    readonly contentType?: string;
    readonly headers?: Readonly<Record<string, string>>;
}

/** One Server-Sent Event. */
export interface SseMessage {
    readonly id?: string;
    readonly event?: string;
    readonly data: string;
}

/** A Server-Sent Events answer: the web layer writes `stream` until it ends or the client leaves, then calls close(). */
export interface StreamReply {
    readonly stream: AsyncIterable<SseMessage>;
    close(): void;
}

export type Reply = BodyReply | StreamReply;

export interface ResponseSpec {
    readonly description: string;
    readonly schema?: TSchema;
    /** Defaults to application/json. */
    readonly contentType?: string;
}

export interface Operation<B extends TSchema = TUnknown, P extends TSchema = TUnknown, Q extends TSchema = TUnknown> {
    readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
    /** OpenAPI-style template, e.g. `/api/v1/users/{name}`. */
    readonly path: string;
    readonly operationId: string;
    readonly summary: string;
    readonly tags: readonly string[];
    readonly access: Access;
    /** Callable while the caller's password is a temporary one from a reset (everything else answers 403). */
    readonly duringPasswordChange?: true;
    /** JSON body schema; with `upload`, the schema of the multipart text fields. */
    readonly body?: B;
    /** Takes multipart/form-data with one file of these media types (checked against the bytes). */
    readonly upload?: Readonly<{ allowedTypes: readonly string[] }>;
    readonly params?: P;
    readonly query?: Q;
    /** Request headers the operation reads, documented as parameters. */
    readonly headers?: readonly { name: string; description: string }[];
    readonly responses: Readonly<Record<number, ResponseSpec>>;
    /** Who may call it, as `MSP/role` rows of the chaincode's permission table (trade operations; see trade/permissions.ts). */
    readonly roles?: readonly string[];
    /** Whether it reads or writes the ledger: decides the ledger's problem codes in /openapi.json. */
    readonly ledger?: 'read' | 'write';
    /** Problem codes of its own, beyond those its kind implies (see http/openapi.ts problemCodes). */
    readonly problems?: readonly ErrorCode[];
    /** Schemas its schemas refer to as `#/components/schemas/<name>`, published there. */
    readonly components?: Readonly<Record<string, TSchema>>;
    /** A request body and a response body for /openapi.json, valid against the schemas (checked by a unit test). */
    readonly example?: Readonly<{ request?: unknown; response?: unknown }>;
    handle(context: OperationContext<Static<B>, Static<P>, Static<Q>>): Promise<Reply>;
}

/** Any operation, its input types erased: what the router and the OpenAPI generator take. */
export type AnyOperation = Operation<TSchema, TSchema, TSchema>;

/** Declares an operation with its handler's input typed from its schemas. */
export function defineOperation<B extends TSchema = TUnknown, P extends TSchema = TUnknown, Q extends TSchema = TUnknown>(
    operation: Operation<B, P, Q>,
): AnyOperation {
    return operation as unknown as AnyOperation;
}

export function isStream(reply: Reply): reply is StreamReply {
    return 'stream' in reply;
}

/** `/api/v1/users/{name}` → `/api/v1/users/:name` for Express. */
export function expressPath(path: string): string {
    return path.replace(/\{([A-Za-z0-9_]+)\}/g, ':$1');
}

/** The caller of an operation whose access is not `public` (the pipeline has already required one). */
export function callerOf(context: Pick<OperationContext<unknown, unknown, unknown>, 'principal'>): Principal {
    if (!context.principal) {
        throw new Error('operation declared public reads its caller');
    }
    return context.principal;
}
