/**
 * Mounts operations on Express: authentication, access check, rate limit, Idempotency-Key, validation, the handler,
 * and the answer (JSON, text, Server-Sent Events or a problem). Every operation goes through the same steps in the
 * same order; handlers only see validated input and the caller.
 */
import type { Request, Response, Router } from 'express';
import type { Logger } from 'pino';
import { ApiError, toProblem } from '../errors';
import type { Accounts, Principal } from '../people/accounts';
import { ADMIN_ROLE } from '../people/user-store';
import { type TransactionJournal, withJournal } from '../fabric/journal';
import { type IdempotencyStore, type StoredResponse, fingerprint } from './idempotency';
import type { Lifecycle } from './lifecycle';
import type { Metrics } from './metrics';
import { type AnyOperation, type OperationContext, expressPath, isStream } from './operation';
import type { RateLimiter } from './rate-limit';
import { writeSse } from './sse';
import { type ReceivedFile, receiveUpload } from './upload';
import { type Validator, compileValidator } from './validation';

export interface PipelineDeps {
    readonly accounts: Pick<Accounts, 'authenticate'>;
    readonly rateLimiter: RateLimiter;
    readonly idempotency: IdempotencyStore;
    readonly metrics: Metrics;
    readonly lifecycle: Lifecycle;
    readonly uploadLimitBytes: number;
}

/** Per-request values the request-id middleware puts in res.locals. */
export interface RequestLocals {
    requestId: string;
    log: Logger;
    route?: string;
    problemCode?: string;
    user?: string;
}

export function mountOperation(router: Router, operation: AnyOperation, deps: PipelineDeps): void {
    const validators: { body?: Validator; params?: Validator; query?: Validator } = {
        body: operation.body && compileValidator(operation.body, 'body'),
        params: operation.params && compileValidator(operation.params, 'path'),
        query: operation.query && compileValidator(operation.query, 'query'),
    };
    router[operation.method](expressPath(operation.path), async (req: Request, res: Response) => {
        const locals = res.locals as RequestLocals;
        locals.route = operation.path;
        let claim: { scope: string; key: string; journal: TransactionJournal } | undefined;
        try {
            const principal = authenticate(req, operation, deps);
            locals.user = principal?.name;
            deps.rateLimiter.take(principal ? `user:${principal.name}` : `ip:${req.ip ?? 'unknown'}`);
            let input: unknown = req.body;
            let upload: ReceivedFile | undefined;
            if (operation.upload) {
                const received = await receiveUpload(req, deps.uploadLimitBytes, operation.upload.allowedTypes);
                input = received.fields;
                upload = received.file;
            } else if (operation.body && !req.is('application/json')) {
                throw new ApiError('UNSUPPORTED_MEDIA_TYPE', 'the request body must be application/json');
            }
            // Validated before the Idempotency-Key step: only input of the declared, bounded shape is fingerprinted.
            const context: OperationContext<unknown, unknown, unknown> = {
                body: validators.body ? validators.body(input) : undefined,
                // Copies: Express 5's req.query is a getter, and coercion writes into the object it validates.
                params: validators.params ? validators.params({ ...req.params }) : undefined,
                query: validators.query ? validators.query({ ...(req.query as object) }) : undefined,
                principal,
                upload,
                header: (name) => req.get(name),
                clientAddress: req.ip ?? req.socket.remoteAddress ?? 'unknown',
                requestId: locals.requestId,
                log: locals.log,
            };
            const key = operation.method === 'post' ? req.get('Idempotency-Key') : undefined;
            if (key !== undefined) {
                const scope = principal?.name ?? 'anonymous';
                // A file counts by its hash: the same bytes under the same key are the same request.
                const print = fingerprint(req.method, req.path, upload
                    ? { fields: context.body, file: { sha256: upload.sha256, filename: upload.filename, mediaType: upload.mediaType } }
                    : context.body);
                const decision = deps.idempotency.begin(scope, key, print);
                if (decision.kind === 'replay') {
                    send(res, decision.response, true);
                    return;
                }
                claim = { scope, key, journal: decision.journal };
            }
            const reply = claim ? await withJournal(claim.journal, () => operation.handle(context)) : await operation.handle(context);
            if (isStream(reply)) {
                if (claim) {
                    deps.idempotency.release(claim.scope, claim.key);
                }
                await writeSse(res, reply, deps.lifecycle, locals.requestId);
                return;
            }
            const stored: StoredResponse = {
                status: reply.status,
                headers: { 'Content-Type': reply.contentType ?? 'application/json; charset=utf-8', ...reply.headers },
                body: reply.body === undefined ? '' : Buffer.isBuffer(reply.body) ? reply.body
                    : reply.contentType ? String(reply.body) : JSON.stringify(reply.body),
            };
            if (claim) {
                keep(deps.idempotency, claim, stored, reply.status >= 500);
            }
            send(res, stored, false);
        } catch (err) {
            const { response, retryable } = problemAnswer(err, locals, deps.metrics);
            if (claim) {
                keep(deps.idempotency, claim, response, retryable);
            }
            send(res, response, false);
        }
    });
}

/**
 * Only a final answer is kept for its Idempotency-Key. A retryable one (any 5xx, a 429, a conflict the gateway gave up
 * retrying) releases the key, so the same request runs again; transactions it already submitted stay journaled, and the
 * retry finishes them instead of writing again.
 */
function keep(store: IdempotencyStore, claim: { scope: string; key: string }, response: StoredResponse, retryable: boolean): void {
    if (retryable) {
        store.release(claim.scope, claim.key);
    } else {
        store.complete(claim.scope, claim.key, response);
    }
}

function authenticate(req: Request, operation: AnyOperation, deps: PipelineDeps): Principal | undefined {
    const header = req.get('Authorization');
    if (header === undefined) {
        if (operation.access !== 'public') {
            throw new ApiError('UNAUTHENTICATED', 'send a bearer token (POST /api/v1/auth/login)');
        }
        return undefined;
    }
    const match = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
    if (!match) {
        throw new ApiError('UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"');
    }
    const principal = deps.accounts.authenticate(match[1]!);
    if (principal.mustChangePassword && !operation.duringPasswordChange) {
        throw new ApiError('PASSWORD_CHANGE_REQUIRED', 'your password was reset: choose a new one (POST /api/v1/me/password) before anything else');
    }
    if (operation.access === 'admin' && principal.role !== ADMIN_ROLE) {
        throw new ApiError('FORBIDDEN', 'only the organisation administrator may do this');
    }
    return principal;
}

/** The problem answer for `err`, logged (with the stack, server-side only, for 5xx) and counted. */
export function problemResponse(err: unknown, locals: RequestLocals, metrics: Metrics): StoredResponse {
    return problemAnswer(err, locals, metrics).response;
}

function problemAnswer(err: unknown, locals: RequestLocals, metrics: Metrics): { response: StoredResponse; retryable: boolean } {
    const { status, problem, headers, retryable } = toProblem(err, locals.requestId);
    locals.problemCode = problem.code;
    metrics.error(problem.code);
    if (status >= 500) {
        locals.log.error({ err, code: problem.code, transactionId: problem.transactionId }, 'request failed');
    }
    return { response: { status, headers: { ...headers, 'Content-Type': 'application/problem+json' }, body: JSON.stringify(problem) }, retryable };
}

function send(res: Response, response: StoredResponse, replayed: boolean): void {
    res.status(response.status).set(response.headers);
    if (replayed) {
        res.set('Idempotent-Replayed', 'true');
    }
    res.send(response.body);
}
