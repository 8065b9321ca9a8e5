/**
 * The gateway's one configuration loader. What the gateway is and where its organisation's peer and CA are comes
 * from the connection profile (profile.ts, `TRADEDOCS_GATEWAY_PROFILE`); per-process tuning (limits, log level,
 * listen address) from `TRADEDOCS_GATEWAY_*` variables. Everything is read and checked here, once, at start-up: every
 * missing or wrong field and variable is collected and reported together in one line, and the process exits.
 * Reachability (peer, CA, MSP) is checked next, by startup-checks.ts.
 */
import Ajv, { type ErrorObject } from 'ajv';
import { X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { LIMITS } from '../../chaincode/src/validation';
import { type GatewayProfile, GatewayProfileSchema } from './profile';

/** The organisation a gateway serves. */
export interface OrgIdentity {
    /** Short name (`exporter`): token claims, logs. */
    readonly key: string;
    readonly name: string;
    readonly mspId: string;
    readonly roles: readonly string[];
}

export type RevocationPublisherConfig =
    | { readonly publisher: 'none' }
    | { readonly publisher: 'command'; readonly command: readonly string[]; readonly environment: Readonly<Record<string, string>>; readonly timeoutMs: number };

/** Everything the gateway needs to know about where it runs; see the configuration table in the README. */
export interface GatewayConfig {
    readonly profileFile: string;
    readonly org: OrgIdentity;
    readonly host: string;
    readonly port: number;
    /** The gateway's own state: users, sealed keys, idempotency records. */
    readonly dataDir: string;
    readonly logLevel: string;
    readonly channel: string;
    readonly chaincode: string;
    readonly peer: Readonly<{ endpoint: string; tlsRootPem: Buffer; hostAlias: string | undefined; concurrencyLimit: number | undefined }>;
    readonly ca: Readonly<{ url: string; caName: string; tlsRootPem: string; registrarName: string; registrarSecret: string }>;
    readonly grpc: Readonly<{ maxReceiveMessageBytes: number; maxSendMessageBytes: number }>;
    /** Seals people's private keys and idempotency records; kept outside the data directory. */
    readonly keyEncryptionKey: Buffer;
    /** Created on first start when the profile enables demo users; empty otherwise. */
    readonly demoUsers: readonly { readonly name: string; readonly role: string }[];
    readonly publicVerifier: string;
    readonly revocation: RevocationPublisherConfig;
    /** Explicit token secret; when absent a random one is kept in the data directory. */
    readonly tokenSecret: string | undefined;
    readonly tokenTtlSeconds: number;
    readonly uploadLimitBytes: number;
    readonly jsonLimitBytes: number;
    readonly peerConcurrency: number;
    readonly peerQueue: number;
    /** Commit-status waits at once (each holds a peer slot); further ones wait here, they are never refused. */
    readonly commitWaits: number;
    readonly mvccRetries: number;
    /** Requests per minute per user (per client address before login). */
    readonly rateLimitPerMinute: number;
    readonly shutdownGraceMs: number;
    /** Open Server-Sent Events streams: per gateway and per user (429 above). */
    readonly eventStreams: number;
    readonly eventStreamsPerUser: number;
    /** How many blocks a resuming stream may replay (Last-Event-ID further back is refused). */
    readonly eventReplayBlocks: number;
    /** A certificate is renewed this many days before it expires (or at two thirds of its life, if sooner). */
    readonly certificateRenewDays: number;
    /** How long start-up keeps trying to reach the peer and CA before it gives up. */
    readonly startupWaitMs: number;
    /** Express "trust proxy": which proxies' X-Forwarded-For to believe for the client address; false: none. */
    readonly trustProxy: string | false;
}

/** A configuration that cannot run: every problem found, each naming its field or variable. */
export class ConfigError extends Error {
    constructor(readonly source: string, readonly problems: readonly string[]) {
        // One line, whatever the problems contain: operators grep logs for it, and supervisors show the last line.
        super(`${source}: ${problems.join('; ').replace(/\s*\n\s*/g, ' ')}`);
        this.name = 'ConfigError';
    }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const MIB = 1024 * 1024;
/** The peer stream carrying chaincode events and the readiness probe: peer slots besides calls and commit waits. */
export const OTHER_PEER_SLOTS = 2;

const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
ajv.addKeyword({ keyword: 'expected', schemaType: 'string' });
const validateProfile = ajv.compile<GatewayProfile>(GatewayProfileSchema);

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
    const profileVariable = env.TRADEDOCS_GATEWAY_PROFILE;
    if (!profileVariable) {
        throw new ConfigError('gateway configuration', ['TRADEDOCS_GATEWAY_PROFILE: required (the path of the gateway connection profile, YAML or JSON)']);
    }
    const profileFile = path.resolve(profileVariable);
    const profile = readProfile(profileFile);
    const problems: string[] = [];
    const vars = new EnvReader(env, problems);
    const tuning = {
        logLevel: vars.choice('TRADEDOCS_GATEWAY_LOG_LEVEL', LOG_LEVELS, 'info'),
        tokenSecret: vars.secret('TRADEDOCS_GATEWAY_TOKEN_SECRET', 32),
        tokenTtlSeconds: vars.integer('TRADEDOCS_GATEWAY_TOKEN_TTL', 900, 60, 24 * 3600),
        // The chaincode's limit is the one source: a larger upload would pass here only to be refused by every peer.
        uploadLimitBytes: vars.integer('TRADEDOCS_GATEWAY_UPLOAD_LIMIT', LIMITS.transientBytes, 1, LIMITS.transientBytes),
        jsonLimitBytes: vars.integer('TRADEDOCS_GATEWAY_JSON_LIMIT', MIB, 1024, 64 * MIB),
        peerConcurrency: vars.integer('TRADEDOCS_GATEWAY_PEER_CONCURRENCY', 32, 1, 10_000),
        peerQueue: vars.integer('TRADEDOCS_GATEWAY_PEER_QUEUE', 256, 0, 100_000),
        commitWaits: vars.integer('TRADEDOCS_GATEWAY_COMMIT_WAITS', 128, 1, 10_000),
        mvccRetries: vars.integer('TRADEDOCS_GATEWAY_MVCC_RETRIES', 3, 0, 20),
        rateLimitPerMinute: vars.integer('TRADEDOCS_GATEWAY_RATE_LIMIT', 600, 1, 1_000_000),
        shutdownGraceMs: vars.integer('TRADEDOCS_GATEWAY_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
        eventStreams: vars.integer('TRADEDOCS_GATEWAY_EVENT_STREAMS', 200, 1, 100_000),
        eventStreamsPerUser: vars.integer('TRADEDOCS_GATEWAY_EVENT_STREAMS_PER_USER', 5, 1, 10_000),
        eventReplayBlocks: vars.integer('TRADEDOCS_GATEWAY_EVENT_REPLAY_BLOCKS', 10_000, 0, 10_000_000),
        certificateRenewDays: vars.integer('TRADEDOCS_GATEWAY_CERT_RENEW_DAYS', 30, 1, 3650),
        startupWaitMs: vars.integer('TRADEDOCS_GATEWAY_STARTUP_WAIT_MS', 20_000, 0, 600_000),
        trustProxy: env.TRADEDOCS_GATEWAY_TRUST_PROXY ? env.TRADEDOCS_GATEWAY_TRUST_PROXY : false as const,
    };
    const host = env.TRADEDOCS_GATEWAY_HOST || profile?.listen?.host || '127.0.0.1';
    const port = vars.integer('TRADEDOCS_GATEWAY_PORT', profile?.listen?.port ?? 3000, 0, 65535);
    if (!profile.ok) {
        throw new ConfigError(`gateway profile ${profileFile}`, [...profile.problems, ...problems]);
    }
    const p = profile.value;
    const files = new FileReader(path.dirname(profileFile), problems);
    const dataDir = files.resolve(p.dataDir);
    const config: GatewayConfig = {
        profileFile,
        org: { key: p.organisation.id, name: p.organisation.name, mspId: p.organisation.mspId, roles: p.organisation.roles },
        host,
        port,
        dataDir,
        channel: p.channel,
        chaincode: p.chaincode,
        peer: {
            endpoint: p.peer.endpoint,
            tlsRootPem: Buffer.from(files.certificate('peer.tlsRootCertFile', p.peer.tlsRootCertFile)),
            hostAlias: p.peer.hostAlias,
            concurrencyLimit: p.peer.concurrencyLimit,
        },
        ca: {
            url: p.ca.url,
            caName: p.ca.caName,
            tlsRootPem: files.certificate('ca.tlsRootCertFile', p.ca.tlsRootCertFile),
            registrarName: p.ca.registrar.name,
            registrarSecret: files.secret('ca.registrar.secretFile', p.ca.registrar.secretFile, undefined).toString('utf8').trim(),
        },
        grpc: p.grpc,
        keyEncryptionKey: keyEncryptionKey(p.keyEncryptionKey, files, env, dataDir, problems),
        demoUsers: demoUsers(p, problems),
        publicVerifier: publicVerifier(p, problems),
        revocation: revocation(p.revocation, problems),
        ...tuning,
    };
    checkBudgets(config, problems);
    if (problems.length > 0) {
        throw new ConfigError(`gateway profile ${profileFile}`, problems);
    }
    return config;
}

type ProfileRead = { ok: true; value: GatewayProfile; listen?: GatewayProfile['listen'] } | { ok: false; problems: string[]; listen?: undefined };

function readProfile(file: string): ProfileRead {
    let text: string;
    try {
        text = fs.readFileSync(file, 'utf8');
    } catch (err) {
        return { ok: false, problems: [`TRADEDOCS_GATEWAY_PROFILE: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'})`] };
    }
    let value: unknown;
    try {
        value = parseYaml(text);
    } catch (err) {
        return { ok: false, problems: [`not valid YAML or JSON: ${(err as Error).message.split('\n')[0]}`] };
    }
    if (!validateProfile(value)) {
        return { ok: false, problems: describeSchemaErrors(validateProfile.errors ?? []) };
    }
    return { ok: true, value, listen: value.listen };
}

/** Ajv's errors as `field: problem`, one per field, in the profile's own dotted names. */
function describeSchemaErrors(errors: readonly ErrorObject[]): string[] {
    const out = new Map<string, string>();
    for (const error of errors) {
        const at = error.instancePath.slice(1).replace(/\//g, '.');
        const join = (name: string): string => (at ? `${at}.${name}` : name);
        if (error.keyword === 'required') {
            out.set(join(String((error.params as { missingProperty: string }).missingProperty)), 'required');
        } else if (error.keyword === 'additionalProperties') {
            out.set(join(String((error.params as { additionalProperty: string }).additionalProperty)), 'unknown field');
        } else if (error.keyword === 'pattern') {
            const expected = (error.parentSchema as { expected?: string } | undefined)?.expected;
            out.set(at, `must be ${expected ?? `like ${String((error.params as { pattern: string }).pattern)}`}`);
        } else if (error.keyword === 'const' && at === 'version') {
            out.set(at, 'must be 1');
        } else if (!out.has(at || 'profile')) {
            out.set(at || 'profile', error.message ?? 'is not valid');
        }
    }
    return [...out].map(([field, problem]) => `${field}: ${problem}`);
}

/** Reads files the profile names, relative to the profile, collecting problems under the field's name. */
class FileReader {
    constructor(private readonly base: string, private readonly problems: string[]) {}

    resolve(file: string): string {
        return path.resolve(this.base, file);
    }

    /** A PEM certificate file; expired or not-yet-valid certificates are refused. */
    certificate(field: string, file: string): string {
        const pem = this.read(field, file);
        if (pem === undefined) {
            return '';
        }
        const text = pem.toString('utf8');
        try {
            const certificate = new X509Certificate(text);
            const now = Date.now();
            if (Date.parse(certificate.validTo) < now) {
                this.problems.push(`${field}: the certificate in ${this.resolve(file)} expired on ${new Date(certificate.validTo).toISOString()}`);
            }
        } catch {
            this.problems.push(`${field}: ${this.resolve(file)} is not a PEM certificate`);
        }
        return text;
    }

    /** A secret file: only its owner may read it (mode 600 or stricter); `bytes`, when given, is its exact size. */
    secret(field: string, file: string, bytes: number | undefined): Buffer {
        const content = this.read(field, file);
        if (content === undefined) {
            return Buffer.alloc(0);
        }
        const resolved = this.resolve(file);
        const mode = fs.statSync(resolved).mode & 0o777;
        if ((mode & 0o077) !== 0) {
            this.problems.push(`${field}: ${resolved} is readable by group or others (mode ${mode.toString(8)}): chmod 600 it, and consider the secret leaked`);
        }
        if (bytes !== undefined && content.length !== bytes) {
            this.problems.push(`${field}: ${resolved} holds ${content.length} bytes, expected ${bytes}`);
        } else if (content.length === 0) {
            this.problems.push(`${field}: ${resolved} is empty`);
        }
        return content;
    }

    private read(field: string, file: string): Buffer | undefined {
        const resolved = this.resolve(file);
        try {
            return fs.readFileSync(resolved);
        } catch (err) {
            const code = (err as NodeJS.ErrnoException).code;
            this.problems.push(`${field}: ${code === 'ENOENT' ? `${resolved} does not exist` : `cannot read ${resolved} (${code ?? 'error'})`}`);
            return undefined;
        }
    }
}

function keyEncryptionKey(spec: GatewayProfile['keyEncryptionKey'], files: FileReader, env: NodeJS.ProcessEnv, dataDir: string, problems: string[]): Buffer {
    if ((spec.file === undefined) === (spec.env === undefined)) {
        problems.push('keyEncryptionKey: give exactly one of file or env');
        return Buffer.alloc(0);
    }
    if (spec.env !== undefined) {
        const key = Buffer.from(env[spec.env] ?? '', 'base64');
        if (key.length !== 32) {
            problems.push(`keyEncryptionKey.env: ${spec.env} must hold 32 bytes, base64 (it holds ${key.length})`);
        }
        return key;
    }
    const file = files.resolve(spec.file!);
    const relative = path.relative(dataDir, file);
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) {
        // Whoever copies the data directory (a backup, a stolen disk image) must not get the key with the keys.
        problems.push(`keyEncryptionKey.file: ${file} is inside dataDir; keep the key that seals the keys elsewhere`);
    }
    return files.secret('keyEncryptionKey.file', spec.file!, 32);
}

function demoUsers(profile: GatewayProfile, problems: string[]): { name: string; role: string }[] {
    const users = profile.demoUsers.users ?? [];
    if (!profile.demoUsers.enabled) {
        return [];
    }
    if (users.length === 0) {
        problems.push('demoUsers.users: required when demoUsers.enabled is true');
    }
    const seen = new Set<string>(['admin']);
    users.forEach((user, i) => {
        if (!profile.organisation.roles.includes(user.role)) {
            problems.push(`demoUsers.users.${i}.role: ${user.role} is not one of organisation.roles (${profile.organisation.roles.join(', ')})`);
        }
        if (seen.has(user.name)) {
            problems.push(`demoUsers.users.${i}.name: ${user.name} is ${user.name === 'admin' ? 'the administrator\'s name' : 'listed twice'}`);
        }
        seen.add(user.name);
    });
    return users;
}

function publicVerifier(profile: GatewayProfile, problems: string[]): string {
    const verifier = profile.publicVerifier ?? (profile.demoUsers.enabled ? profile.demoUsers.users?.[0]?.name : undefined);
    if (verifier === undefined) {
        problems.push('publicVerifier: required when there are no demo users (the person whose identity signs public certificate verification)');
    }
    return verifier ?? '';
}

function revocation(spec: GatewayProfile['revocation'], problems: string[]): RevocationPublisherConfig {
    if (spec.publisher === 'none') {
        if (spec.command !== undefined) {
            problems.push('revocation.command: only with publisher: command');
        }
        return { publisher: 'none' };
    }
    if (!spec.command) {
        problems.push('revocation.command: required with publisher: command (the organisation admin\'s command that publishes the CA\'s revocation list)');
    }
    return { publisher: 'command', command: spec.command ?? [], environment: spec.environment ?? {}, timeoutMs: (spec.timeoutSeconds ?? 300) * 1000 };
}

/** Limits that only make sense together. */
function checkBudgets(config: GatewayConfig, problems: string[]): void {
    // A document comes back from the peer base64 inside a JSON answer, and goes to it base64 in the transient map.
    const needed = Math.ceil(config.uploadLimitBytes / 3) * 4 + MIB;
    for (const field of ['maxReceiveMessageBytes', 'maxSendMessageBytes'] as const) {
        if (config.grpc[field] < needed) {
            problems.push(`grpc.${field}: ${config.grpc[field]} is too small for documents of ${config.uploadLimitBytes} bytes (TRADEDOCS_GATEWAY_UPLOAD_LIMIT): at least ${needed}`);
        }
    }
    const limit = config.peer.concurrencyLimit;
    const slots = config.peerConcurrency + config.commitWaits + OTHER_PEER_SLOTS;
    if (limit !== undefined && slots > limit) {
        problems.push(`TRADEDOCS_GATEWAY_PEER_CONCURRENCY + TRADEDOCS_GATEWAY_COMMIT_WAITS + ${OTHER_PEER_SLOTS} = ${slots} exceeds peer.concurrencyLimit ${limit}: the peer would refuse this gateway's own calls`);
    }
}

/** Reads `TRADEDOCS_GATEWAY_*` tuning variables, collecting problems instead of stopping at the first. */
class EnvReader {
    constructor(private readonly env: NodeJS.ProcessEnv, private readonly problems: string[]) {}

    integer(name: string, fallback: number, min: number, max: number): number {
        const raw = this.env[name];
        if (raw === undefined || raw === '') {
            return fallback;
        }
        const value = Number(raw);
        if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < min || value > max) {
            this.problems.push(`${name}=${raw.slice(0, 40)}: must be a whole number from ${min} to ${max}`);
            return fallback;
        }
        return value;
    }

    choice(name: string, choices: readonly string[], fallback: string): string {
        const raw = this.env[name] || fallback;
        if (!choices.includes(raw)) {
            this.problems.push(`${name}=${raw.slice(0, 40)}: must be one of ${choices.join(', ')}`);
            return fallback;
        }
        return raw;
    }

    secret(name: string, minLength: number): string | undefined {
        const raw = this.env[name] || undefined;
        if (raw !== undefined && raw.length < minLength) {
            this.problems.push(`${name}: must be at least ${minLength} characters`);
        }
        return raw;
    }
}
