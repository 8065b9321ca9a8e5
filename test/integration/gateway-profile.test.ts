/**
 * A gateway that knows its network only through its connection profile, against the real network: it runs on a
 * "host" with Node only (PATH without Fabric binaries, no network manager settings), revocations wait for the
 * organisation admin's channel update (publisher `none`) and are seen through, and wrong profiles are refused in one
 * line naming the field.
 */
import * as assert from 'node:assert/strict';
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KeyBox } from '../../gateway/src/people/key-box';
import type { GatewayProfile } from '../../gateway/src/profile';
import type { UserRecord } from '../../gateway/src/people/user-store';
import { gatewayProfile } from '../../network/src/gateway-profile';
import { GATEWAY_REGISTRAR, gatewayRegistrarSecretFile } from '../../network/src/identities';
import { waitFor } from '../../network/src/processes';
import { peerOrg } from '../../network/src/topology';
import { connectIdentity, testNetwork } from './harness';

const repoDir = path.resolve(__dirname, '..', '..');
const run = randomUUID().slice(0, 8);
const exporter = peerOrg('exporter');

interface Solo {
    readonly dir: string;
    readonly url: string;
    readonly profileFile: string;
    readonly kekFile: string;
}

/** A profile for an extra exporter gateway with its own data directory, key and port, from the dev generator. */
function soloProfile(name: string, change: (p: GatewayProfile) => void = () => undefined): Solo {
    const dir = path.join(testNetwork.config.runDir, 'solo', `${name}-${run}`);
    fs.mkdirSync(path.join(dir, 'secrets'), { recursive: true, mode: 0o700 });
    const kekFile = path.join(dir, 'secrets', 'kek');
    fs.writeFileSync(kekFile, randomBytes(32), { mode: 0o600 });
    const port = testNetwork.config.gatewayBasePort + 9;
    const profile = gatewayProfile(testNetwork.config, testNetwork.layout, exporter, { name: GATEWAY_REGISTRAR, secretFile: gatewayRegistrarSecretFile(testNetwork.layout, exporter) });
    const custom: GatewayProfile = {
        ...profile,
        listen: { host: '127.0.0.1', port },
        dataDir: path.join(dir, 'data'),
        keyEncryptionKey: { file: kekFile },
        demoUsers: { enabled: true, users: [{ name: `solo-${name}-${run}`, role: 'exporter' }] },
        revocation: { publisher: 'none' },
    };
    change(custom);
    const profileFile = path.join(dir, 'profile.json');
    fs.writeFileSync(profileFile, JSON.stringify(custom, null, 2));
    return { dir, url: `http://127.0.0.1:${port}`, profileFile, kekFile };
}

/** The environment of a host with Node only: no Fabric binaries on PATH, no TRADEDOCS_FABRIC_DIR, no run directory. */
function nodeOnlyEnv(profileFile: string): NodeJS.ProcessEnv {
    return { PATH: '/usr/bin:/bin', HOME: '/nonexistent', TRADEDOCS_GATEWAY_PROFILE: profileFile, TRADEDOCS_GATEWAY_STARTUP_WAIT_MS: '0' };
}

function gatewayArgs(): string[] {
    return ['--import', 'tsx', path.join('gateway', 'src', 'main.ts')];
}

/** Starts a gateway that must fail: its exit code and stderr. */
function failingStart(profileFile: string): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, gatewayArgs(), { cwd: repoDir, env: nodeOnlyEnv(profileFile), timeout: 60_000 }, (error, _stdout, stderr) => {
            resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr });
        });
    });
}

async function call(base: string, method: string, urlPath: string, token?: string, json?: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${base}${urlPath}`, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
        body: json === undefined ? undefined : JSON.stringify(json),
    });
    return { status: res.status, body: await res.json() as Record<string, unknown> };
}

function initialPassword(solo: Solo, user: string): string {
    const line = fs.readFileSync(path.join(solo.dir, 'data', 'initial-passwords'), 'utf8').split('\n').find((l) => l.startsWith(`${user}\t`));
    return line?.split('\t')[2] ?? assert.fail(`no initial password for ${user}`);
}

describe('a gateway started from its connection profile alone (real Fabric network)', function () {
    this.timeout(240_000);
    let child: ChildProcess | undefined;

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
    });

    after(() => {
        child?.kill('SIGTERM');
    });

    it('runs on a host with Node only, and a revocation waits for the organisation admin\'s channel update, which it then sees', async () => {
        assert.ok(!fs.existsSync('/usr/bin/peer') && !fs.existsSync('/bin/peer'), 'no Fabric binary on the host\'s PATH');
        const solo = soloProfile('node');
        const user = `solo-node-${run}`;
        let output = '';
        child = spawn(process.execPath, gatewayArgs(), { cwd: repoDir, env: nodeOnlyEnv(solo.profileFile), stdio: ['ignore', 'pipe', 'pipe'] });
        child.stdout?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
        child.stderr?.on('data', (chunk: Buffer) => { output += chunk.toString(); });
        await waitFor('the Node-only gateway to be ready', async () => (await call(solo.url, 'GET', '/readyz').catch(() => ({ status: 0 }))).status === 200, 60_000, () => output.slice(-2000));

        const token = (await call(solo.url, 'POST', '/api/v1/auth/login', undefined, { name: user, password: initialPassword(solo, user) })).body.token as string;
        const ledger = (await call(solo.url, 'GET', '/api/v1/me', token)).body.ledger as { mspId: string; role: string };
        assert.deepEqual({ mspId: ledger.mspId, role: ledger.role }, { mspId: 'ExporterMSP', role: 'exporter' }, 'the chaincode sees the person\'s organisation and role');

        // The person's key, as someone who took it from the gateway's store would use it, straight at the peer.
        const record = (JSON.parse(fs.readFileSync(path.join(solo.dir, 'data', 'users.json'), 'utf8')) as { users: UserRecord[] }).users.find((u) => u.name === user);
        assert.ok(record?.certificatePem && record.sealedKey);
        const direct = connectIdentity({ mspId: 'ExporterMSP', certificatePem: record.certificatePem, privateKeyPem: new KeyBox(fs.readFileSync(solo.kekFile)).open(record.sealedKey, user) }, 'exporter');
        const peerAccepts = async (): Promise<boolean> => direct.network.getContract('qscc').evaluateTransaction('GetChainInfo', 'trade').then(() => true, () => false);
        try {
            assert.equal(await peerAccepts(), true);
            const admin = (await call(solo.url, 'POST', '/api/v1/auth/login', undefined, { name: 'admin', password: initialPassword(solo, 'admin') })).body.token as string;
            const revoked = await call(solo.url, 'POST', `/api/v1/users/${user}/revoke`, admin);
            assert.equal(revoked.body.channelRevocation, 'pending');
            assert.equal((await call(solo.url, 'GET', '/api/v1/me', token)).status, 401, 'the gateway refuses the person at once');
            const ready = await call(solo.url, 'GET', '/readyz');
            assert.equal(ready.status, 200, 'a pending channel update does not fail readiness');
            assert.deepEqual((ready.body.details as { revocation: unknown }).revocation, { publisher: 'none', channelUpdatePending: 1 });
            assert.deepEqual(((await call(solo.url, 'GET', '/api/v1/admin/revocations', admin)).body.pending as { name: string }[]).map((p) => p.name), [user]);
            assert.equal(await peerAccepts(), true, 'without the admin\'s channel update the peers still accept the certificate');

            // The organisation's admin publishes with the network tooling (npm run org -- publish-crl --org exporter).
            await new Promise<void>((resolve, reject) => execFile(process.execPath, [path.join(repoDir, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(repoDir, 'network', 'src', 'cli.ts'), 'org', 'publish-crl', '--org', 'exporter'], {
                cwd: repoDir,
                env: { ...process.env, TRADEDOCS_RUN_DIR: testNetwork.config.runDir, TRADEDOCS_BASE_PORT: String(testNetwork.config.basePort), TRADEDOCS_GATEWAY_BASE_PORT: String(testNetwork.config.gatewayBasePort) },
            }, (err) => (err ? reject(err) : resolve())));
            await waitFor('the gateway to see the channel refuse the certificate', async () => {
                const status = await call(solo.url, 'POST', '/api/v1/admin/revocations/publish', admin);
                return (status.body.pending as unknown[]).length === 0;
            }, 30_000);
            assert.equal((await call(solo.url, 'GET', `/api/v1/users/${user}`, admin)).body.channelRevocation, 'done');
            assert.equal(await peerAccepts(), false, 'the peer refuses the revoked certificate');
            assert.deepEqual(((await call(solo.url, 'GET', '/readyz')).body.details as { revocation: unknown }).revocation, { publisher: 'none', channelUpdatePending: 0 });
        } finally {
            direct.close();
            child.kill('SIGTERM');
            child = undefined;
        }
    });

    it('wrong profiles (wrong MSP, unreachable peer, missing or foreign TLS root, unknown host alias, the CA\'s bootstrap admin as registrar) exit 1 with one line naming the field', async () => {
        const carrier = peerOrg('carrier');
        const cases: [string, (p: GatewayProfile) => void, RegExp][] = [
            ['wrong MSP', (p) => { p.organisation.mspId = 'CarrierMSP'; }, /organisation\.mspId: the peer refuses identities of CarrierMSP issued by the CA at ca\.url/],
            ['unreachable peer', (p) => { p.peer.endpoint = `127.0.0.1:${testNetwork.config.basePort + 299}`; }, /peer\.endpoint: 127\.0\.0\.1:\d+ is not reachable \(ECONNREFUSED\)/],
            ['missing TLS root', (p) => { delete (p.peer as Partial<GatewayProfile['peer']>).tlsRootCertFile; }, /peer\.tlsRootCertFile: required/],
            ['another organisation\'s TLS root', (p) => { p.peer.tlsRootCertFile = testNetwork.layout.tlsCa(carrier); }, /peer\.tlsRootCertFile: the TLS certificate .* presents is not issued by this root/],
            ['unknown host alias', (p) => { p.peer.hostAlias = testNetwork.layout.peerName(carrier); }, /peer\.hostAlias: the peer's TLS certificate is not issued for that name/],
            ['bootstrap admin as registrar', (p) => { p.ca.registrar = { name: 'admin', secretFile: path.join(testNetwork.layout.secretsDir(exporter), 'ca-exporter-bootstrap') }; },
                /ca\.registrar: admin does not have exactly a gateway's CA powers \(hf\.Registrar\.Roles=\*/],
        ];
        for (const [what, change, expected] of cases) {
            const solo = soloProfile(what.replace(/[^a-z]+/gi, '-').toLowerCase(), change);
            const { code, stderr } = await failingStart(solo.profileFile);
            assert.equal(code, 1, `${what}: exit code (${stderr})`);
            assert.equal(stderr.trim().split('\n').length, 1, `${what}: one line (${stderr})`);
            assert.match(stderr, expected, what);
        }
    });
});
