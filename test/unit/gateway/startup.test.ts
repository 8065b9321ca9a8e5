/**
 * The gateway starting from a profile alone: on a "host" with Node and no Fabric (PATH without Fabric binaries, no
 * TRADEDOCS_FABRIC_DIR or network manager settings), and with wrong profiles, each refused in one line naming the
 * field. The same checks against the real network are in test/integration/gateway-profile.test.ts.
 */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { ConfigError, loadGatewayConfig } from '../../../gateway/src/config';
import { ApiError } from '../../../gateway/src/errors';
import { checkStartup } from '../../../gateway/src/startup-checks';
import { tempDir } from './fakes';
import { type ProfileFixture, profileFixture, selfSigned } from './profile-fixtures';

const repoDir = path.resolve(__dirname, '..', '..', '..');

/** Runs gateway/src/main.ts with nothing but the profile and a PATH without Fabric binaries. */
function startGateway(profileFile: string): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve) => {
        execFile(process.execPath, ['--import', 'tsx', path.join('gateway', 'src', 'main.ts')], {
            cwd: repoDir,
            env: { PATH: '/usr/bin:/bin', HOME: '/nonexistent', TRADEDOCS_GATEWAY_PROFILE: profileFile, TRADEDOCS_GATEWAY_STARTUP_WAIT_MS: '0' },
            timeout: 30_000,
        }, (error, _stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stderr }));
    });
}

/** A TLS server with `pair`'s certificate: a stand-in for a peer's TLS endpoint. */
async function tlsServer(pair: { certFile: string; keyFile: string }): Promise<{ port: number; close(): void }> {
    const server = tls.createServer({ cert: fs.readFileSync(pair.certFile), key: fs.readFileSync(pair.keyFile), ALPNProtocols: ['h2'] }, (socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { port: (server.address() as AddressInfo).port, close: () => server.close() };
}

/** Parts whose network calls the test scripts; by default everything answers. */
function parts(overrides: { enrol?: () => Promise<unknown>; scope?: string[]; height?: () => Promise<bigint> } = {}) {
    return {
        ca: { serviceIdentity: overrides.enrol ?? (async () => ({})), registrarScopeProblems: async () => overrides.scope ?? [] },
        ledger: { chainHeight: overrides.height ?? (async () => 5n), chaincodeSequence: async () => 1n },
        signer: '#service',
    };
}

async function startupProblem(f: ProfileFixture, p: ReturnType<typeof parts>): Promise<string> {
    const config = loadGatewayConfig({ TRADEDOCS_GATEWAY_PROFILE: f.file, TRADEDOCS_GATEWAY_STARTUP_WAIT_MS: '0' });
    try {
        await checkStartup(config, p);
    } catch (err) {
        assert.ok(err instanceof ConfigError);
        return err.message;
    }
    assert.fail('start-up checks passed');
}

describe('gateway start-up from a profile', function () {
    this.timeout(60_000);
    let f: ProfileFixture;
    beforeEach(() => { f = profileFixture(tempDir()); });
    afterEach(() => fs.rmSync(f.dir, { recursive: true, force: true }));

    it('gateway/src imports nothing of the network manager: only its own modules, packages, and the rules it shares with the chaincode', () => {
        // chaincode/src holds rules both tiers apply (visible text, ISO codes); it needs no Fabric binary either.
        const allowed = [path.join(repoDir, 'gateway') + path.sep, path.join(repoDir, 'chaincode', 'src') + path.sep];
        const offenders: string[] = [];
        const walk = (dir: string): void => {
            for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
                const file = path.join(dir, entry.name);
                if (entry.isDirectory()) {
                    walk(file);
                } else if (file.endsWith('.ts')) {
                    for (const match of fs.readFileSync(file, 'utf8').matchAll(/(?:from|import\()\s*'(\.[^']*)'/g)) {
                        const target = path.resolve(path.dirname(file), match[1]!);
                        if (!allowed.some((root) => target.startsWith(root))) {
                            offenders.push(`${path.relative(repoDir, file)} imports ${match[1]}`);
                        }
                    }
                }
            }
        };
        walk(path.join(repoDir, 'gateway', 'src'));
        assert.deepEqual(offenders, []);
    });

    it('gateway, on a host without Fabric binaries or network settings, loads its profile and stops at the unreachable peer, in one line naming peer.endpoint', async () => {
        f.write((p) => { p.peer.endpoint = '127.0.0.1:1'; });
        const { code, stderr } = await startGateway(f.file);
        assert.equal(code, 1);
        assert.equal(stderr.trim().split('\n').length, 1, stderr);
        assert.match(stderr, /^tradedocs gateway: gateway profile .*profile\.yaml: peer\.endpoint: 127\.0\.0\.1:1 is not reachable \(ECONNREFUSED\)$/m);
    });

    it('gateway with a profile missing its TLS root exits 1 with one line naming peer.tlsRootCertFile', async () => {
        f.write((p) => { delete p.peer.tlsRootCertFile; });
        const { code, stderr } = await startGateway(f.file);
        assert.equal(code, 1);
        assert.match(stderr.trim(), /^tradedocs gateway: gateway profile .*: peer\.tlsRootCertFile: required$/);
    });

    it('start-up over TLS: the right root passes; another root names peer.tlsRootCertFile; a name the certificate lacks names peer.hostAlias', async () => {
        const server = await tlsServer(f.peerTls);
        try {
            f.write((p) => { p.peer.endpoint = `127.0.0.1:${server.port}`; p.ca.url = `https://127.0.0.1:${server.port}`; p.ca.tlsRootCertFile = 'peer0.test.crt'; });
            const config = loadGatewayConfig({ TRADEDOCS_GATEWAY_PROFILE: f.file });
            assert.deepEqual(await checkStartup(config, parts()), { height: 5n, chaincode: { sequence: 1n } });

            const other = selfSigned(f.dir, 'other.test');
            f.write((p) => { p.peer.endpoint = `127.0.0.1:${server.port}`; p.peer.tlsRootCertFile = path.basename(other.certFile); });
            assert.match(await startupProblem(f, parts()), /peer\.tlsRootCertFile: the TLS certificate 127\.0\.0\.1:\d+ presents is not issued by this root/);

            f.write((p) => { p.peer.endpoint = `127.0.0.1:${server.port}`; p.peer.hostAlias = 'peer0.elsewhere'; });
            assert.match(await startupProblem(f, parts()), /peer\.hostAlias: the peer's TLS certificate is not issued for that name \(.*DNS:peer0\.test/);
        } finally {
            server.close();
        }
    });

    it('start-up names organisation.mspId when the peer refuses the organisation\'s identities, and ca.registrar for a registrar with too many powers', async () => {
        const server = await tlsServer(f.peerTls);
        try {
            f.write((p) => { p.peer.endpoint = `127.0.0.1:${server.port}`; p.ca.url = `https://127.0.0.1:${server.port}`; });
            // What a Fabric 3.1 peer answers to a proposal from an MSP id its certificate does not belong to.
            const refusal = Object.assign(new Error('9 FAILED_PRECONDITION: evaluate call to endorser returned error: error validating proposal: access denied: channel [trade] creator org unknown, creator is malformed'), {
                code: 9, details: [{ address: 'x', mspId: 'ExporterMSP', message: 'error validating proposal: access denied: channel [trade] creator org unknown, creator is malformed' }],
            });
            const wrongMsp = parts({ height: async () => { throw new ApiError('FORBIDDEN', 'refused', { cause: refusal }); } });
            assert.match(await startupProblem(f, wrongMsp), /organisation\.mspId: the peer refuses identities of ExporterMSP issued by the CA at ca\.url \(creator org unknown, creator is malformed\)/);
            assert.match(await startupProblem(f, parts({ scope: ['hf.Registrar.Roles=* where a gateway registrar has client'] })), /ca\.registrar: gateway-registrar does not have exactly a gateway's CA powers \(hf\.Registrar\.Roles=\*/);
            const badSecret = parts({ enrol: async () => { throw new ApiError('INTERNAL', 'refused', { cause: new Error('fabric-ca request enroll failed with errors [[ { code: 20, message: \'Authentication failure\' } ]]') }); } });
            assert.match(await startupProblem(f, badSecret), /ca\.registrar: the CA refused to enrol gateway-registrar \(wrong name or secret in ca\.registrar\.secretFile\)/);
        } finally {
            server.close();
        }
    });
});
