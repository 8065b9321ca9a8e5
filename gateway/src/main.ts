/**
 * Entry point of one organisation's gateway:
 * `TRADEDOCS_GATEWAY_PROFILE=profile.yaml node --import tsx gateway/src/main.ts` — Node and this repository's
 * dependencies are all it needs on its host (no Fabric binaries, no network manager). Loads the configuration and
 * checks the peer and CA (failing fast, one line naming the field), builds the dependencies, listens, and on
 * SIGTERM/SIGINT stops accepting, ends event streams, drains requests in flight and closes the peer connection.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createApp } from './app';
import { loadGatewayConfig } from './config';
import { answerClientError } from './http/client-errors';
import { createLogger } from './http/logger';
import { buildRuntime } from './runtime';

async function main(): Promise<void> {
    const config = loadGatewayConfig();
    const logger = createLogger(config.logLevel);
    const runtime = await buildRuntime(config, logger);
    const server = createApp(runtime.deps).listen(config.port, config.host);
    server.on('clientError', answerClientError);
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const url = `http://${config.host}:${port}`;
    logger.info({ url, org: config.org.key, created: runtime.created, initialPasswordsFile: runtime.initialPasswordsFile }, 'gateway listening');
    // The one human-readable line, on stderr so stdout stays pure JSON logs.
    process.stderr.write(`tradedocs gateway ${config.org.key}: ${url} (initial passwords: ${runtime.initialPasswordsFile})\n`);

    let stopping = false;
    const shutdown = (signal: string): void => {
        if (stopping) {
            return;
        }
        stopping = true;
        logger.info({ signal, openStreams: runtime.lifecycle.openStreams }, 'shutting down: draining');
        runtime.lifecycle.beginShutdown();
        const force = setTimeout(() => server.closeAllConnections(), config.shutdownGraceMs);
        force.unref();
        server.close(() => {
            clearTimeout(force);
            runtime.stop();
            void runtime.idempotency.flush().then(() => logger.info('stopped'));
        });
        server.closeIdleConnections();
    };
    process.once('SIGTERM', () => shutdown('SIGTERM'));
    process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
    // One line: what a supervisor or an operator reads first.
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`tradedocs gateway: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    process.exit(1);
});
