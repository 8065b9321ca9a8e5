/** Middleware that runs before every route: request id and request log, metrics, security headers. */
import type { NextFunction, Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Lifecycle } from './lifecycle';
import type { Metrics } from './metrics';
import type { RequestLocals } from './pipeline';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives each request an id (the caller's X-Request-Id when it is well-formed), a child logger carrying it, and one
 * log line plus metrics when the response is finished. Never logs headers or bodies.
 */
export function requestContext(logger: Logger, metrics: Metrics) {
    return (req: Request, res: Response, next: NextFunction): void => {
        const incoming = req.get('X-Request-Id');
        const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        const locals = res.locals as RequestLocals;
        locals.requestId = requestId;
        locals.log = logger.child({ requestId });
        res.set('X-Request-Id', requestId);
        const started = process.hrtime.bigint();
        res.on('finish', () => {
            const seconds = Number(process.hrtime.bigint() - started) / 1e9;
            const route = locals.route ?? 'unmatched';
            metrics.httpRequest(req.method, route, res.statusCode, seconds);
            locals.log.info({
                method: req.method, route, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1000),
                user: locals.user, code: locals.problemCode,
            }, 'request');
        });
        next();
    };
}

/**
 * Security headers set by hand (no helmet): the API serves JSON, so everything else is denied; /docs has its own
 * policy allowing its inline style. HSTS is left to the TLS-terminating proxy in front of the gateway.
 */
export function securityHeaders(lifecycle: Lifecycle) {
    return (_req: Request, res: Response, next: NextFunction): void => {
        res.set({
            'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
            'X-Content-Type-Options': 'nosniff',
            'X-Frame-Options': 'DENY',
            'Referrer-Policy': 'no-referrer',
            'Cross-Origin-Opener-Policy': 'same-origin',
            'Cross-Origin-Resource-Policy': 'same-origin',
            'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
            'Cache-Control': 'no-store',
        });
        if (!lifecycle.accepting) {
            // Draining: ask keep-alive clients to reconnect, which reaches another instance or the restarted one.
            res.set('Connection', 'close');
        }
        next();
    };
}

export const DOCS_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";
