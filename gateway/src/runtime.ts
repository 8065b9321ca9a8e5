/**
 * Builds the gateway's real dependencies from its configuration: secrets, user store, CA client, the one peer
 * connection and the ledger, and the first-start accounts. main.ts wires them to the app and the process.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { loadUser, userMsp } from '../../network/src/identities';
import { publishRevocationList } from '../../network/src/revocation';
import { demoUsers } from '../../network/src/topology';
import type { AppDeps } from './app';
import type { GatewayConfig } from './config';
import { FabricLedger, createPeerClient } from './fabric/fabric-ledger';
import { ConcurrencyLimiter } from './fabric/limiter';
import { IdempotencyStore } from './http/idempotency';
import { Lifecycle } from './http/lifecycle';
import { Metrics } from './http/metrics';
import { RateLimiter } from './http/rate-limit';
import { Accounts } from './people/accounts';
import { FabricCa } from './people/ca';
import { KeyBox } from './people/key-box';
import { loadOrCreateSecret } from './people/secrets';
import { TokenIssuer } from './people/tokens';
import { UserStore } from './people/user-store';
import { tradeEventFilter, tradeOperations } from './trade';

/** Per user name; a person mistyping is not hindered, a guesser gets 10 tries a minute whatever their address. */
const LOGIN_ATTEMPTS_PER_MINUTE = 10;

export interface Runtime {
    readonly deps: AppDeps;
    readonly lifecycle: Lifecycle;
    readonly ledger: FabricLedger;
    readonly idempotency: IdempotencyStore;
    /** Accounts created by this start (their passwords are in initialPasswordsFile). */
    readonly created: readonly string[];
    readonly initialPasswordsFile: string;
}

/** Files the network manager creates; missing means the network was never started with this run directory. */
function requireNetworkFile(file: string, what: string): void {
    if (!fs.existsSync(file)) {
        throw new Error(`${what} ${file} does not exist: start the network first (npm start) or check TRADEDOCS_RUN_DIR`);
    }
}

export async function buildRuntime(config: GatewayConfig, logger: Logger): Promise<Runtime> {
    const { org } = config;
    requireNetworkFile(config.peer.tlsCaFile, 'peer TLS root');
    requireNetworkFile(config.ca.registrarSecretFile, 'CA registrar secret');
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    const keyBox = new KeyBox(loadOrCreateSecret(path.join(config.dataDir, 'key-encryption.key'), 32));
    const tokenSecret = config.tokenSecret !== undefined
        ? Buffer.from(config.tokenSecret)
        : loadOrCreateSecret(path.join(config.dataDir, 'token-signing.key'), 32);
    const store = new UserStore(path.join(config.dataDir, 'users.json'));
    let revocations: Promise<void> = Promise.resolve();
    const initialPasswordsFile = path.join(config.dataDir, 'initial-passwords');
    const accounts = new Accounts({
        org,
        store,
        keyBox,
        ca: new FabricCa({ ...config.ca, mspId: org.mspId }),
        tokens: new TokenIssuer(tokenSecret, org.key, config.tokenTtlSeconds),
        existingIdentity: (name) => {
            // The network manager enrols the demo users at `npm start`; reuse them rather than register twice.
            if (!fs.existsSync(path.join(userMsp(config.networkLayout, org, name), 'signcerts', 'cert.pem'))) {
                return undefined;
            }
            const { certificatePem, privateKeyPem } = loadUser(config.networkLayout, org, name);
            return { certificatePem, privateKeyPem };
        },
        initialPasswordsFile,
        loginAttempts: new RateLimiter(LOGIN_ATTEMPTS_PER_MINUTE),
        publishRevocationList: (crl) => {
            // One channel configuration update at a time: two at once would conflict on the MSP's version.
            const next = revocations.catch(() => undefined)
                .then(() => publishRevocationList(config.network, config.networkLayout, org, crl)).then(() => undefined);
            revocations = next;
            return next;
        },
    });
    const created = await accounts.bootstrap(demoUsers(org));

    const metrics = new Metrics();
    const lifecycle = new Lifecycle();
    const limiter = new ConcurrencyLimiter(config.peerConcurrency, config.peerQueue);
    metrics.gauge('tradedocs_fabric_calls_active', 'Ledger calls in progress', () => limiter.load.active);
    metrics.gauge('tradedocs_fabric_calls_queued', 'Ledger calls waiting for a slot', () => limiter.load.queued);
    metrics.gauge('tradedocs_event_streams_open', 'Open Server-Sent Events streams', () => lifecycle.openStreams);
    const ledger = new FabricLedger({
        client: createPeerClient(config.peer.address, fs.readFileSync(config.peer.tlsCaFile)),
        channel: config.channel,
        chaincode: config.chaincode,
        identities: (user) => accounts.identity(user),
        limiter,
        mvccRetries: config.mvccRetries,
        observe: (kind, fn, outcome, seconds) => metrics.fabricCall(kind, fn, outcome, seconds),
    });
    accounts.onRevoked((name) => ledger.forget(name));
    const idempotency = new IdempotencyStore({
        dir: path.join(config.dataDir, 'idempotency'),
        box: keyBox,
        onWriteError: (err) => logger.error({ err }, 'could not write an idempotency record'),
    });
    // Public certificate verification signs with the organisation's first demo person: every role may read
    // certificates, the account exists from the first start, and the query reveals nothing of theirs.
    const publicVerifier = demoUsers(org)[0]?.name;
    if (publicVerifier === undefined) {
        throw new Error(`organisation ${org.key} has no roles, so no identity can sign public certificate verification`);
    }

    return {
        deps: {
            org,
            logger,
            accounts,
            ledger,
            metrics,
            lifecycle,
            idempotency,
            jsonLimitBytes: config.jsonLimitBytes,
            uploadLimitBytes: config.uploadLimitBytes,
            rateLimitPerMinute: config.rateLimitPerMinute,
            resources: tradeOperations({ ledger, publicVerifier }),
            portalDir: portalDir(),
            eventFilter: tradeEventFilter(org.mspId),
            checks: async () => ({
                peer: await ledger.ready(),
                identities: accounts.list().some((u) => u.ledgerIdentity && !u.revokedAt),
            }),
        },
        lifecycle,
        ledger,
        idempotency,
        created,
        initialPasswordsFile,
    };
}

/** The built portal (`vite build`, see scripts/build-portal.sh), when there is one. */
function portalDir(): string | undefined {
    const dir = path.resolve(__dirname, '..', 'portal', 'dist');
    return fs.existsSync(path.join(dir, 'index.html')) ? dir : undefined;
}
