/**
 * createApp(deps) builds the Express app without listening: main.ts gives it real dependencies, tests give fakes
 * and listen on port 0. Resources are lists of operations (see http/operation.ts) passed in `resources`.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { ApiError } from './errors';
import { type EventFilter, deliverAll } from './events/feed';
import type { EventSource } from './events/hub';
import { eventOperations } from './events/routes';
import type { Ledger } from './fabric/ledger';
import { IdempotencyStore } from './http/idempotency';
import { Lifecycle } from './http/lifecycle';
import { Metrics } from './http/metrics';
import { requestContext, securityHeaders } from './http/middleware';
import type { ApiInfo } from './http/openapi';
import type { AnyOperation } from './http/operation';
import { type RequestLocals, mountOperation, problemResponse } from './http/pipeline';
import { RateLimiter } from './http/rate-limit';
import { type ReadinessChecks, opsOperations } from './ops/routes';
import type { Accounts } from './people/accounts';
import type { ChannelRevocations } from './people/channel-revocations';
import { peopleOperations } from './people/routes';

export interface AppDeps {
    readonly org: Readonly<{ key: string; name: string; mspId: string }>;
    readonly logger: Logger;
    readonly accounts: Pick<Accounts, 'authenticate' | 'login' | 'get' | 'list' | 'register' | 'revoke' | 'changePassword' | 'resetPassword' | 'renew'>;
    readonly ledger: Pick<Ledger, 'evaluate'>;
    /** Chaincode events for SSE clients (the event hub). */
    readonly events: EventSource;
    readonly revocations?: Pick<ChannelRevocations, 'status' | 'requestPublish'>;
    readonly checks: ReadinessChecks;
    readonly jsonLimitBytes: number;
    readonly uploadLimitBytes: number;
    readonly rateLimitPerMinute: number;
    readonly metrics?: Metrics;
    readonly lifecycle?: Lifecycle;
    readonly idempotency?: IdempotencyStore;
    readonly eventFilter?: EventFilter;
    /** The organisation's web portal (gateway/portal/dist, built by Vite), served at / on the API's origin. */
    readonly portalDir?: string;
    /** Domain resources, each a list of operations. */
    readonly resources?: readonly AnyOperation[];
    /** Express "trust proxy" (which proxies' X-Forwarded-For gives the client address); default: none. */
    readonly trustProxy?: string | false;
    readonly now?: () => number;
}

/** The portal loads only its own bundled files and shows documents inline from blob: URLs. */
const PORTAL_CSP = "default-src 'self'; img-src 'self' blob: data:; frame-src blob:; object-src blob:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

export function createApp(deps: AppDeps): Express {
    const metrics = deps.metrics ?? new Metrics();
    const lifecycle = deps.lifecycle ?? new Lifecycle();
    const pipeline = {
        accounts: deps.accounts,
        metrics,
        lifecycle,
        uploadLimitBytes: deps.uploadLimitBytes,
        rateLimiter: new RateLimiter(deps.rateLimitPerMinute, deps.now),
        idempotency: deps.idempotency ?? new IdempotencyStore({ now: deps.now }),
    };
    const info: ApiInfo = {
        title: `tradedocs gateway — ${deps.org.name}`,
        version: '1',
        description: `REST gateway of ${deps.org.name} (${deps.org.mspId}) to the tradedocs ledger. Every transaction is signed by the calling person's own Fabric identity.`,
    };
    const operations: AnyOperation[] = [];
    operations.push(
        ...opsOperations({ checks: deps.checks, lifecycle, metrics, info, operations: () => operations }),
        ...peopleOperations({ accounts: deps.accounts, ledger: deps.ledger, mspId: deps.org.mspId, revocations: deps.revocations }),
        ...eventOperations({ events: deps.events, filter: deps.eventFilter ?? deliverAll }),
        ...(deps.resources ?? []),
    );

    const app = express();
    app.disable('x-powered-by');
    // Behind no proxy by default: req.ip is the socket address, which keys the pre-login rate limit and the login
    // throttle. Behind a reverse proxy, every client would share its address unless the proxy is trusted.
    app.set('trust proxy', deps.trustProxy ?? false);
    app.use(requestContext(deps.logger, metrics));
    app.use(securityHeaders(lifecycle));
    app.use(express.json({ limit: deps.jsonLimitBytes, strict: true }));
    const router = express.Router({ strict: true, caseSensitive: true });
    for (const operation of operations) {
        mountOperation(router, operation, pipeline);
    }
    app.use(router);
    if (deps.portalDir) {
        app.use(express.static(deps.portalDir, { index: 'index.html', setHeaders: (res) => res.set('Content-Security-Policy', PORTAL_CSP) }));
    }
    app.use((req: Request) => {
        throw new ApiError('NOT_FOUND', `no operation ${req.method} ${req.path}; see /openapi.json`);
    });
    // Errors raised outside operations (malformed or oversize JSON, unknown routes) get the same problem answers.
    app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
        if (res.headersSent) {
            next(err);
            return;
        }
        const response = problemResponse(err, res.locals as RequestLocals, metrics);
        res.status(response.status).set(response.headers).send(response.body);
    });
    return app;
}
