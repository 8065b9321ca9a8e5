/**
 * Start-up checks that need the network: the profile can be well-formed and still point at the wrong peer, carry the
 * wrong TLS root or name an MSP the peer does not know. Each is found here, before the gateway listens, and reported
 * as one line naming the profile field to fix. Connection failures are retried for a while (the peer may be
 * starting); everything else fails at once.
 */
import * as net from 'node:net';
import * as tls from 'node:tls';
import { type GatewayConfig, ConfigError } from './config';
import { ApiError } from './errors';
import { isCreatorRefusal } from './fabric/translate';

/** What the checks need from the gateway's CA client and ledger. */
export interface StartupParts {
    readonly ca: { serviceIdentity(): Promise<unknown>; registrarScopeProblems(): Promise<string[]> };
    readonly ledger: { chainHeight(user: string): Promise<bigint>; chaincodeSequence(user: string): Promise<bigint> };
    /** The ledger's name for the service identity (the registrar's enrolment). */
    readonly signer: string;
}

export interface StartupFacts {
    readonly height: bigint;
    /** The chaincode's committed definition, or why there is none (yet): not fatal, see checkStartup. */
    readonly chaincode: { readonly sequence: bigint } | { readonly problem: string };
}

/** Runs every check; throws a ConfigError naming the field at the first that fails. */
export async function checkStartup(config: GatewayConfig, parts: StartupParts): Promise<StartupFacts> {
    const deadline = Date.now() + config.startupWaitMs;
    const fail = (problem: string): never => {
        throw new ConfigError(`gateway profile ${config.profileFile}`, [problem]);
    };
    const [peerHost, peerPort] = splitEndpoint(config.peer.endpoint);
    await retrying(deadline, () => tlsProbe(peerHost, peerPort, config.peer.tlsRootPem, config.peer.hostAlias)).catch((err: unknown) => fail(tlsProblem('peer', config.peer.endpoint, err, true)));
    const caUrl = new URL(config.ca.url);
    await retrying(deadline, () => tlsProbe(caUrl.hostname, Number(caUrl.port || 443), config.ca.tlsRootPem, undefined)).catch((err: unknown) => fail(tlsProblem('ca', config.ca.url, err, false)));

    await retrying(deadline, () => parts.ca.serviceIdentity()).catch((err: unknown) => fail(enrolmentProblem(config, err)));
    const scope = await parts.ca.registrarScopeProblems().catch((err: unknown) => fail(`ca.registrar: cannot read ${config.ca.registrarName}'s own attributes at the CA (${causeText(err).slice(0, 120)}): a gateway registrar needs hf.Registrar.Roles=client`));
    if (scope.length > 0) {
        fail(`ca.registrar: ${config.ca.registrarName} does not have exactly a gateway's CA powers (${scope.join(', ')}): register a scoped registrar (hf.Registrar.Roles=client, hf.Registrar.Attributes=role, hf.Revoker=true, hf.GenCRL=true), not the CA's bootstrap admin`);
    }

    const height = await retrying(deadline, () => parts.ledger.chainHeight(parts.signer)).catch((err: unknown) => fail(peerProblem(config, err)));
    return { height, chaincode: await chaincodeState(config, parts) };
}

/**
 * Whether the chaincode is defined on the channel. An organisation's gateway may well start before the chaincode is
 * committed (it waits for a majority's approvals), so this is reported, not fatal: a misspelt name looks the same.
 */
export async function chaincodeState(config: GatewayConfig, parts: Pick<StartupParts, 'ledger' | 'signer'>): Promise<StartupFacts['chaincode']> {
    try {
        return { sequence: await parts.ledger.chaincodeSequence(parts.signer) };
    } catch (err) {
        const text = causeText(err);
        return {
            problem: /not defined|not found|does not exist/i.test(text)
                ? `chaincode: ${config.chaincode} is not defined on channel ${config.channel} (not committed yet, or misspelt)`
                : `chaincode: cannot read the definition of ${config.chaincode} (${text.slice(0, 160)})`,
        };
    }
}

function splitEndpoint(endpoint: string): [string, number] {
    const index = endpoint.lastIndexOf(':');
    return [endpoint.slice(0, index), Number(endpoint.slice(index + 1))];
}

/** Connects with TLS to `host:port`, verifying the certificate against `root` and the expected name. */
export function tlsProbe(host: string, port: number, root: Buffer | string, alias: string | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
        const servername = alias ?? (net.isIP(host) ? undefined : host);
        const socket = tls.connect({ host, port, ca: root, ALPNProtocols: ['h2', 'http/1.1'], ...(servername ? { servername } : {}) }, () => {
            socket.end();
            resolve();
        });
        socket.setTimeout(3_000, () => socket.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })));
        socket.on('error', reject);
    });
}

const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EPIPE']);
const UNTRUSTED = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT',
    'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_SIGNATURE_FAILURE', 'CERT_UNTRUSTED']);

function isUnreachable(err: unknown): boolean {
    const code = (err as NodeJS.ErrnoException | null)?.code;
    if (code && UNREACHABLE.has(code)) {
        return true;
    }
    if (err instanceof ApiError) {
        return err.code === 'UNAVAILABLE' || err.code === 'PEER_BUSY';
    }
    return false;
}

/** Retries `action` while it fails because the other side is not reachable, until `deadline`. */
async function retrying<T>(deadline: number, action: () => Promise<T>): Promise<T> {
    for (;;) {
        try {
            return await action();
        } catch (err) {
            if (!isUnreachable(err) || Date.now() >= deadline) {
                throw err;
            }
            await new Promise((resolve) => setTimeout(resolve, 500));
        }
    }
}

function tlsProblem(field: 'peer' | 'ca', endpoint: string, err: unknown, hasAlias: boolean): string {
    const code = (err as NodeJS.ErrnoException).code ?? 'error';
    const at = field === 'peer' ? 'peer.endpoint' : 'ca.url';
    if (UNREACHABLE.has(code)) {
        return `${at}: ${endpoint} is not reachable (${code})`;
    }
    if (UNTRUSTED.has(code)) {
        return `${field}.tlsRootCertFile: the TLS certificate ${endpoint} presents is not issued by this root (${code})`;
    }
    if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        const reason = (err as Error).message.split(': ').slice(-1)[0] ?? '';
        return hasAlias
            ? `peer.hostAlias: the peer's TLS certificate is not issued for that name (${reason})`
            : `${at}: the TLS certificate ${endpoint} presents does not name this address (${reason})${field === 'peer' ? '; set peer.hostAlias to a name it carries' : ''}`;
    }
    if (code === 'CERT_HAS_EXPIRED') {
        return `${at}: the TLS certificate ${endpoint} presents has expired`;
    }
    return `${at}: TLS to ${endpoint} failed (${code}: ${(err as Error).message.slice(0, 120)})`;
}

function enrolmentProblem(config: GatewayConfig, err: unknown): string {
    const text = causeText(err);
    if (isUnreachable(err)) {
        return `ca.url: ${config.ca.url} is not reachable`;
    }
    if (/does not exist|CA '.*' not found|Invalid CA/i.test(text) || /"code":19|code: 19/.test(text)) {
        return `ca.caName: the CA at ca.url does not serve ${config.ca.caName}`;
    }
    if (/Authentication failure|authorization failure|code: 20|"code":20/i.test(text)) {
        return `ca.registrar: the CA refused to enrol ${config.ca.registrarName} (wrong name or secret in ca.registrar.secretFile)`;
    }
    return `ca.registrar: enrolling ${config.ca.registrarName} failed (${text.slice(0, 160)})`;
}

function peerProblem(config: GatewayConfig, err: unknown): string {
    const text = causeText(err);
    const cause = err instanceof ApiError ? err.cause : err;
    if (cause instanceof Error && isCreatorRefusal(cause)) {
        return `organisation.mspId: the peer refuses identities of ${config.org.mspId} issued by the CA at ca.url (${/creator[^|]*/.exec(text)?.[0]?.trim() ?? 'access denied'}): organisation.mspId, ca.url and peer.endpoint must all be the same organisation's`;
    }
    if (err instanceof ApiError && err.code === 'PEER_BUSY') {
        return `peer.endpoint: the peer at ${config.peer.endpoint} refuses calls at its concurrency limit (peer.limits.concurrency.gatewayService): something else holds its slots`;
    }
    if (/failed to get config for channel|Invalid chain ID|channel .*not found|could not find channel/i.test(text)) {
        return `channel: the peer at peer.endpoint has not joined channel ${config.channel}`;
    }
    if (isUnreachable(err)) {
        return `peer.endpoint: ${config.peer.endpoint} accepts TLS but does not answer Fabric gateway calls (${text.slice(0, 120)})`;
    }
    return `peer.endpoint: the peer refused the gateway's first call (${text.slice(0, 160)})`;
}

/** The underlying library's text (kept as the cause of our errors), with the peers' details. */
function causeText(err: unknown): string {
    const inner = err instanceof ApiError && err.cause !== undefined ? err.cause : err;
    const e = inner as { message?: string; details?: { message?: string }[] } | undefined;
    return [e?.message ?? String(inner), ...(e?.details ?? []).map((d) => d.message ?? '')].filter(Boolean).join(' | ').replace(/\s+/g, ' ');
}
