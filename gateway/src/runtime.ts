/**
 * Builds the gateway's real dependencies from its configuration: secrets, user store, CA client, the one peer
 * connection and the ledger, the start-up checks, first-start accounts, and the background work (event hub,
 * certificate renewal, channel revocations). main.ts wires them to the app and the process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import type { AppDeps } from './app';
import type { GatewayConfig } from './config';
import { EventHub } from './events/hub';
import { FabricLedger, SERVICE_IDENTITY, createPeerClient } from './fabric/fabric-ledger';
import type { PeerProbe } from './fabric/ledger';
import { ConcurrencyLimiter } from './fabric/limiter';
import { IdempotencyStore } from './http/idempotency';
import { Lifecycle } from './http/lifecycle';
import { Metrics } from './http/metrics';
import { Accounts } from './people/accounts';
import { FabricCa } from './people/ca';
import { ChannelRevocations, commandPublisher, manualPublisher } from './people/channel-revocations';
import { KeyBox } from './people/key-box';
import { LoginThrottle } from './people/login-throttle';
import { CertificateRenewal } from './people/renewal';
import { loadOrCreateSecret } from './people/secrets';
import { TokenIssuer } from './people/tokens';
import { UserStore } from './people/user-store';
import { type StartupFacts, chaincodeState, checkStartup } from './startup-checks';
import { tradeEventFilter, tradeOperations } from './trade';

export interface Runtime {
    readonly deps: AppDeps;
    readonly lifecycle: Lifecycle;
    readonly ledger: FabricLedger;
    readonly idempotency: IdempotencyStore;
    /** Accounts created by this start (their passwords are in initialPasswordsFile). */
    readonly created: readonly string[];
    readonly initialPasswordsFile: string;
    /** Ends the background work (event stream, renewal and revocation checks) and the peer connection. */
    stop(): void;
}

/** How long one peer probe answers every readiness request (load balancers poll often). */
const PROBE_CACHE_MS = 1_000;

export async function buildRuntime(config: GatewayConfig, logger: Logger): Promise<Runtime> {
    const { org } = config;
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const keyBox = new KeyBox(config.keyEncryptionKey);
    const tokenSecret = config.tokenSecret !== undefined
        ? Buffer.from(config.tokenSecret)
        : loadOrCreateSecret(path.join(config.dataDir, 'token-signing.key'), 32);
    const store = new UserStore(path.join(config.dataDir, 'users.json'));
    const ca = new FabricCa({ ...config.ca, mspId: org.mspId });
    const initialPasswordsFile = path.join(config.dataDir, 'initial-passwords');
    const accounts = new Accounts({
        org, store, keyBox, ca, initialPasswordsFile,
        tokens: new TokenIssuer(tokenSecret, org.key, config.tokenTtlSeconds),
        throttle: new LoginThrottle(),
    });

    const metrics = new Metrics();
    const lifecycle = new Lifecycle();
    const limiter = new ConcurrencyLimiter(config.peerConcurrency, config.peerQueue);
    const commitWaits = new ConcurrencyLimiter(config.commitWaits, Number.POSITIVE_INFINITY);
    metrics.gauge('tradedocs_fabric_calls_active', 'Ledger calls in progress', () => limiter.load.active);
    metrics.gauge('tradedocs_fabric_calls_queued', 'Ledger calls waiting for a slot', () => limiter.load.queued);
    metrics.gauge('tradedocs_fabric_commit_waits_active', 'Commit-status waits in progress', () => commitWaits.load.active);
    metrics.gauge('tradedocs_event_streams_open', 'Open Server-Sent Events streams', () => lifecycle.openStreams);
    const ledger = new FabricLedger({
        client: createPeerClient({ endpoint: config.peer.endpoint, tlsRootPem: config.peer.tlsRootPem, hostAlias: config.peer.hostAlias, ...config.grpc }),
        channel: config.channel,
        chaincode: config.chaincode,
        // The gateway's own reads (events, blocks, probes) sign as the registrar's enrolment: a role-less client.
        identities: (user) => (user === SERVICE_IDENTITY ? ca.serviceIdentity() : accounts.identity(user)),
        limiter,
        commitWaits,
        mvccRetries: config.mvccRetries,
        observe: (kind, fn, outcome, seconds) => metrics.fabricCall(kind, fn, outcome, seconds),
    });
    let chaincode: StartupFacts['chaincode'];
    try {
        const facts = await checkStartup(config, { ca, ledger, signer: SERVICE_IDENTITY });
        chaincode = facts.chaincode;
        logger.info({ height: facts.height.toString(), chaincode: 'sequence' in chaincode ? chaincode.sequence.toString() : chaincode.problem }, 'peer, CA and channel checked');
    } catch (err) {
        ledger.close();
        throw err;
    }
    const created = await accounts.bootstrap(config.demoUsers);

    const log = (level: 'info' | 'warn', message: string, detail?: Record<string, unknown>): void => logger[level](detail ?? {}, message);
    const revocations = new ChannelRevocations({
        store, keyBox, mspId: org.mspId, log,
        publisher: config.revocation.publisher === 'command'
            ? commandPublisher(config.revocation.command, config.revocation.environment, config.revocation.timeoutMs)
            : manualPublisher,
        check: (identity) => ledger.checkIdentity(identity),
    });
    const renewal = new CertificateRenewal({ accounts, renewDays: config.certificateRenewDays, log });
    accounts.onRevoked((name) => ledger.forget(name));
    accounts.onKeyChanged((name) => ledger.forget(name));
    accounts.onCaRevoked(() => void revocations.requestPublish());
    const hub = new EventHub({
        ledger, signer: SERVICE_IDENTITY, chaincode: config.chaincode,
        maxStreams: config.eventStreams, maxStreamsPerUser: config.eventStreamsPerUser, maxReplayBlocks: config.eventReplayBlocks,
        onUpstreamError: (err) => logger.warn({ err }, 'the peer event stream failed; reconnecting'),
    });
    metrics.gauge('tradedocs_event_upstream_connected', 'Whether the one peer chaincode-events stream is open', () => (hub.status().upstream === 'connected' ? 1 : 0));
    const idempotency = new IdempotencyStore({
        dir: path.join(config.dataDir, 'idempotency'),
        box: keyBox,
        onWriteError: (err) => logger.error({ err }, 'could not write an idempotency record'),
    });

    hub.start();
    renewal.start();
    revocations.start();
    const probe = cachedProbe(() => ledger.probe());
    return {
        deps: {
            org, logger, accounts, ledger, metrics, lifecycle, idempotency, revocations,
            events: hub,
            jsonLimitBytes: config.jsonLimitBytes,
            uploadLimitBytes: config.uploadLimitBytes,
            rateLimitPerMinute: config.rateLimitPerMinute,
            trustProxy: config.trustProxy,
            resources: tradeOperations({ ledger, publicVerifier: config.publicVerifier }),
            portalDir: portalDir(),
            eventFilter: tradeEventFilter(org.mspId),
            checks: async () => {
                const peer = await probe();
                if (!('sequence' in chaincode) && peer.state === 'ok') {
                    // Asked again until it is defined (committed after this gateway started, typically).
                    chaincode = await chaincodeState(config, { ledger, signer: SERVICE_IDENTITY });
                }
                const certificates = renewal.status();
                const revocation = revocations.status();
                return {
                    checks: { peer: peer.state === 'ok', certificates: certificates.expired.length === 0 },
                    // Counts, not names: /readyz is public.
                    details: {
                        peer: peer.state === 'ok' ? { state: 'ok', height: peer.height.toString() } : peer,
                        chaincode: 'sequence' in chaincode ? { state: 'defined', sequence: chaincode.sequence.toString() } : { state: 'not defined', reason: chaincode.problem },
                        events: hub.status(),
                        certificates: {
                            expired: certificates.expired.length, renewalDue: certificates.renewalDue.length,
                            ...(certificates.nextExpiry ? { nextExpiry: certificates.nextExpiry } : {}),
                        },
                        revocation: { publisher: revocation.publisher, channelUpdatePending: revocation.pending.length },
                    },
                };
            },
        },
        lifecycle,
        ledger,
        idempotency,
        created,
        initialPasswordsFile,
        stop: () => {
            hub.close();
            renewal.stop();
            revocations.stop();
            ledger.close();
        },
    };
}

/** One probe at a time, its answer reused for a second. */
function cachedProbe(probe: () => Promise<PeerProbe>): () => Promise<PeerProbe> {
    let last: { at: number; result: Promise<PeerProbe> } | undefined;
    return () => {
        if (!last || Date.now() - last.at > PROBE_CACHE_MS) {
            last = { at: Date.now(), result: probe() };
        }
        return last.result;
    };
}

/** The built portal (`vite build`, see scripts/build-portal.sh), when there is one. */
function portalDir(): string | undefined {
    const dir = path.resolve(__dirname, '..', 'portal', 'dist');
    return fs.existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}
