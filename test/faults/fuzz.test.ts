/**
 * Schema-driven fuzzing of the four REST gateways with schemathesis (installed by scripts/ensure-schemathesis.sh,
 * outside the repository): every gateway's own /openapi.json, as every role's demo user and as the organisation's
 * administrator, a bounded number of cases per operation. Checks: no 5xx, every response's status code, content type
 * and body conform to the published contract.
 */
import * as assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PEER_ORGS, type PeerOrg, demoUsers } from '../../network/src/topology';
import { api, gatewayUrl, login } from '../integration/gateway-client';
import { testNetwork } from '../integration/harness';

const repoDir = path.resolve(__dirname, '..', '..');
const CHECKS = 'not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance';

interface FuzzRun { org: string; user: string; cases: number; seconds: number; exitCode: number; output: string }

function runFuzzer(bin: string, org: PeerOrg, user: string, token: string, extraArgs: readonly string[]): Promise<FuzzRun> {
    // Its own working directory under the run directory: schemathesis writes its example database and reports there.
    const cwd = path.join(testNetwork.config.runDir, 'fuzz', `${org.key}-${user}`);
    fs.mkdirSync(cwd, { recursive: true });
    const args = [
        'run', `${gatewayUrl(org.key)}/openapi.json`,
        '--header', `Authorization: Bearer ${token}`,
        '--checks', CHECKS,
        // The event stream never ends by itself; its contract is tested in the integration suite.
        '--exclude-path', '/api/v1/events',
        '--request-timeout', '30',
        '--no-color',
        ...extraArgs,
    ];
    const started = Date.now();
    return new Promise((resolve) => {
        execFile(bin, args, { cwd, timeout: 200_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
            const output = `${stdout}${stderr}`;
            const exitCode = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
            const cases = Number(/(\d+) generated/.exec(output)?.[1] ?? 0);
            resolve({ org: org.key, user, cases, seconds: (Date.now() - started) / 1000, exitCode, output });
        });
    });
}

describe('schema-driven fuzzing of the REST gateways (schemathesis, real Fabric network)', function () {
    let bin = '';

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        // Idempotent: a no-op once the venv is in the cache (scripts/test-faults.sh installs it before mocha starts).
        bin = execFileSync('bash', [path.join(repoDir, 'scripts', 'ensure-schemathesis.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
        assert.ok(fs.existsSync(bin), `schemathesis at ${bin}`);
    });

    it('every gateway, as every role and as its admin: no 5xx, every response conforms to /openapi.json', async function () {
        this.timeout(400_000);
        const started = Date.now();
        // Organisations in parallel, their users one after another; the administrator last, since it manages people.
        const perOrg = await Promise.all(PEER_ORGS.map(async (org) => {
            const runs: FuzzRun[] = [];
            for (const [index, { name }] of demoUsers(org).entries()) {
                // Role users: the trade and read operations (user administration answers them 403 only).
                // Fewer cases for the second role of an organisation: most requests die in the same validation.
                // Not changePassword: it would only answer 401 (the fuzzer does not know the password), and each
                // wrong current password slows that user's logins from this address (the login throttle).
                runs.push(await runFuzzer(bin, org, name, await login(org.key, name), [
                    '--exclude-tag', 'users', '--exclude-operation-id', 'changePassword', '--phases', 'examples,fuzzing,stateful', '--max-examples', index === 0 ? '5' : '3',
                ]));
            }
            // The administrator: people operations. Not revokeUser and resetPassword: the fuzzer learns the demo
            // users' names from GET /users and would revoke them or reset their passwords (both paths have their own
            // integration tests); not changePassword (see above); not publishRevocations, which runs the organisation
            // admin's channel update each time (it has its own integration test).
            runs.push(await runFuzzer(bin, org, 'admin', await login(org.key, 'admin'), [
                '--include-tag-regex', '^(users|auth)$', '--exclude-operation-id', 'revokeUser', '--exclude-operation-id', 'resetPassword',
                '--exclude-operation-id', 'changePassword', '--exclude-operation-id', 'publishRevocations',
                '--phases', 'examples,coverage,fuzzing,stateful', '--max-examples', '10',
            ]));
            return runs;
        }));
        const runs = perOrg.flat();
        const total = runs.reduce((sum, r) => sum + r.cases, 0);
        process.stderr.write(`      [fuzz] ${total} cases in ${((Date.now() - started) / 1000).toFixed(0)} s: ${runs.map((r) => `${r.org}/${r.user} ${r.cases} (${r.seconds.toFixed(0)} s)`).join(', ')}\n`);
        for (const r of runs) {
            assert.equal(r.exitCode, 0, `schemathesis as ${r.user} at the ${r.org} gateway found problems:\n${r.output.slice(-6000)}`);
            assert.ok(r.cases > 0, `schemathesis ran no case as ${r.user} at ${r.org}:\n${r.output.slice(-2000)}`);
        }

        // The fuzzing left every gateway serving its people.
        for (const org of PEER_ORGS) {
            for (const { name } of demoUsers(org)) {
                assert.equal((await api(org.key, 'GET', '/api/v1/me', { token: await login(org.key, name) })).status, 200, `${name} at ${org.key}`);
            }
        }
    });
});
