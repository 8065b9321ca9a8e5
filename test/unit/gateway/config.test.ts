import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadGatewayConfig } from '../../../gateway/src/config';
import { LIMITS } from '../../../chaincode/src/validation';
import { loadConfig as loadNetworkConfig } from '../../../network/src/config';
import { gatewayProfile } from '../../../network/src/gateway-profile';
import { Layout } from '../../../network/src/layout';
import { PEER_ORGS } from '../../../network/src/topology';
import { tempDir } from './fakes';
import { type ProfileFixture, profileFixture } from './profile-fixtures';

/** The one line a wrong configuration produces. */
function problemLine(env: NodeJS.ProcessEnv): string {
    try {
        loadGatewayConfig(env);
    } catch (err) {
        assert.ok(err instanceof ConfigError, String(err));
        assert.doesNotMatch(err.message, /\n/, 'one line');
        return err.message;
    }
    assert.fail('the configuration was accepted');
}

describe('gateway configuration: the connection profile', () => {
    let f: ProfileFixture;
    const env = (extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ TRADEDOCS_GATEWAY_PROFILE: f.file, ...extra });
    beforeEach(() => { f = profileFixture(tempDir()); });
    afterEach(() => fs.rmSync(f.dir, { recursive: true, force: true }));

    it('profile, valid, gives the organisation, peer, CA and files, with paths relative to the profile', () => {
        const config = loadGatewayConfig(env());
        assert.deepEqual(config.org, { key: 'exporter', name: 'Exporter', mspId: 'ExporterMSP', roles: ['exporter', 'forwarder'] });
        assert.equal(config.peer.endpoint, '127.0.0.1:7200');
        assert.equal(config.peer.hostAlias, 'peer0.test');
        assert.equal(config.peer.tlsRootPem.toString(), fs.readFileSync(f.peerTls.certFile, 'utf8'));
        assert.equal(config.ca.registrarSecret, 'registrar-secret');
        assert.equal(config.dataDir, path.join(f.dir, 'data'));
        assert.equal(config.keyEncryptionKey.length, 32);
        assert.deepEqual(config.demoUsers, [{ name: 'exporter1', role: 'exporter' }]);
        assert.equal(config.publicVerifier, 'exporter1', 'the first demo user by default');
        assert.deepEqual(config.revocation, { publisher: 'none' });
        assert.deepEqual([config.host, config.port], ['127.0.0.1', 3101]);
    });

    it('profile in JSON is read the same as YAML', () => {
        fs.writeFileSync(f.file, JSON.stringify(f.profile));
        assert.equal(loadGatewayConfig(env()).org.mspId, 'ExporterMSP');
    });

    it('config defaults: uploads up to the chaincode\'s limit, 15 minute tokens, bounded peer concurrency, commit waits and event streams', () => {
        const config = loadGatewayConfig(env());
        assert.deepEqual([config.uploadLimitBytes, config.tokenTtlSeconds, config.peerConcurrency, config.peerQueue, config.commitWaits, config.mvccRetries],
            [LIMITS.transientBytes, 900, 32, 256, 128, 3]);
        assert.deepEqual([config.eventStreams, config.eventStreamsPerUser, config.certificateRenewDays, config.trustProxy], [200, 5, 30, false]);
        assert.equal(config.tokenSecret, undefined);
    });

    it('config takes per-process tuning from TRADEDOCS_GATEWAY_* variables, the listen address included', () => {
        const config = loadGatewayConfig(env({
            TRADEDOCS_GATEWAY_PORT: '0', TRADEDOCS_GATEWAY_HOST: '0.0.0.0', TRADEDOCS_GATEWAY_UPLOAD_LIMIT: '1000',
            TRADEDOCS_GATEWAY_PEER_CONCURRENCY: '4', TRADEDOCS_GATEWAY_RATE_LIMIT: '5', TRADEDOCS_GATEWAY_TOKEN_SECRET: 'x'.repeat(32),
            TRADEDOCS_GATEWAY_EVENT_STREAMS_PER_USER: '2', TRADEDOCS_GATEWAY_TRUST_PROXY: 'loopback',
        }));
        assert.deepEqual([config.port, config.host, config.uploadLimitBytes, config.peerConcurrency, config.rateLimitPerMinute, config.tokenSecret, config.eventStreamsPerUser, config.trustProxy],
            [0, '0.0.0.0', 1000, 4, 5, 'x'.repeat(32), 2, 'loopback']);
    });

    it('config without TRADEDOCS_GATEWAY_PROFILE, or with a file that is not there, says so in one line', () => {
        assert.match(problemLine({}), /TRADEDOCS_GATEWAY_PROFILE: required/);
        assert.match(problemLine({ TRADEDOCS_GATEWAY_PROFILE: path.join(f.dir, 'nope.yaml') }), /TRADEDOCS_GATEWAY_PROFILE: cannot read .*nope\.yaml \(ENOENT\)/);
        fs.writeFileSync(f.file, 'peer: [unclosed');
        assert.match(problemLine(env()), /not valid YAML or JSON/);
    });

    it('profile missing its TLS root names the field; every other wrong field and variable is named in the same line', () => {
        f.write((p) => {
            delete p.peer.tlsRootCertFile;
            delete p.channel;
            p.peer.endpoint = 'no-port';
            p.ca.url = 'http://127.0.0.1:7300';
            p.peer.tlsRootCrtFile = 'typo.pem';
            p.grpc.maxReceiveMessageBytes = 'big';
        });
        const line = problemLine(env({ TRADEDOCS_GATEWAY_PEER_CONCURRENCY: '0', TRADEDOCS_GATEWAY_LOG_LEVEL: 'loud' }));
        for (const expected of [
            /peer\.tlsRootCertFile: required/, /channel: required/, /peer\.endpoint: must be host:port/, /ca\.url: must be an https URL/,
            /peer\.tlsRootCrtFile: unknown field/, /grpc\.maxReceiveMessageBytes: must be integer/,
            /TRADEDOCS_GATEWAY_PEER_CONCURRENCY=0: must be a whole number/, /TRADEDOCS_GATEWAY_LOG_LEVEL=loud: must be one of/,
        ]) {
            assert.match(line, expected);
        }
    });

    it('profile whose files are missing, not certificates or readable by others names each field', () => {
        f.write((p) => {
            p.peer.tlsRootCertFile = 'missing.pem';
            p.ca.tlsRootCertFile = 'secrets/registrar';
        });
        fs.chmodSync(path.join(f.dir, 'secrets', 'kek'), 0o644);
        fs.chmodSync(path.join(f.dir, 'secrets', 'registrar'), 0o640);
        const line = problemLine(env());
        assert.match(line, /peer\.tlsRootCertFile: .*missing\.pem does not exist/);
        assert.match(line, /ca\.tlsRootCertFile: .*registrar is not a PEM certificate/);
        assert.match(line, /keyEncryptionKey\.file: .*kek is readable by group or others \(mode 644\): chmod 600/);
        assert.match(line, /ca\.registrar\.secretFile: .*registrar is readable by group or others \(mode 640\)/);
    });

    it('key-encryption key inside the data directory, of the wrong size, or given twice is refused', () => {
        fs.mkdirSync(path.join(f.dir, 'data'));
        fs.writeFileSync(path.join(f.dir, 'data', 'kek'), Buffer.alloc(32), { mode: 0o600 });
        f.write((p) => { p.keyEncryptionKey.file = 'data/kek'; });
        assert.match(problemLine(env()), /keyEncryptionKey\.file: .*is inside dataDir/);
        fs.writeFileSync(path.join(f.dir, 'secrets', 'short'), Buffer.alloc(16), { mode: 0o600 });
        f.write((p) => { p.keyEncryptionKey.file = 'secrets/short'; });
        assert.match(problemLine(env()), /keyEncryptionKey\.file: .*holds 16 bytes, expected 32/);
        f.write((p) => { p.keyEncryptionKey = { file: 'secrets/kek', env: 'KEK' }; });
        assert.match(problemLine(env()), /keyEncryptionKey: give exactly one of file or env/);
    });

    it('key-encryption key from an environment variable (base64 of 32 bytes)', () => {
        f.write((p) => { p.keyEncryptionKey = { env: 'GATEWAY_KEK' }; });
        assert.equal(loadGatewayConfig(env({ GATEWAY_KEK: Buffer.alloc(32, 5).toString('base64') })).keyEncryptionKey.equals(Buffer.alloc(32, 5)), true);
        assert.match(problemLine(env({ GATEWAY_KEK: 'c2hvcnQ=' })), /keyEncryptionKey\.env: GATEWAY_KEK must hold 32 bytes/);
    });

    it('gRPC limits too small for the largest document, and peer slots beyond the peer\'s limit, are refused', () => {
        f.write((p) => { p.grpc.maxReceiveMessageBytes = 4 * 1024 * 1024; });
        assert.match(problemLine(env()), new RegExp(`grpc\\.maxReceiveMessageBytes: 4194304 is too small for documents of ${LIMITS.transientBytes} bytes .* at least ${Math.ceil(LIMITS.transientBytes / 3) * 4 + 1024 * 1024}`));
        assert.equal(loadGatewayConfig(env({ TRADEDOCS_GATEWAY_UPLOAD_LIMIT: String(2 * 1024 * 1024) })).uploadLimitBytes, 2 * 1024 * 1024);
        // One upload limit, the chaincode's: the gateway may take less, never more (a larger file every peer refuses).
        assert.match(problemLine(env({ TRADEDOCS_GATEWAY_UPLOAD_LIMIT: String(LIMITS.transientBytes + 1) })), new RegExp(`TRADEDOCS_GATEWAY_UPLOAD_LIMIT=\\d+: must be a whole number from 1 to ${LIMITS.transientBytes}`));
        f.write((p) => { p.peer.concurrencyLimit = 100; });
        assert.match(problemLine(env()), /TRADEDOCS_GATEWAY_PEER_CONCURRENCY \+ TRADEDOCS_GATEWAY_COMMIT_WAITS \+ 2 = 162 exceeds peer\.concurrencyLimit 100/);
    });

    it('demo users with a role the organisation does not have, no demo users without a public verifier, a command publisher without a command', () => {
        f.write((p) => { p.demoUsers.users.push({ name: 'officer1', role: 'customs_officer' }, { name: 'admin', role: 'exporter' }); });
        const line = problemLine(env());
        assert.match(line, /demoUsers\.users\.1\.role: customs_officer is not one of organisation\.roles/);
        assert.match(line, /demoUsers\.users\.2\.name: admin is the administrator's name/);
        f.write((p) => { p.demoUsers = { enabled: false }; });
        assert.match(problemLine(env()), /publicVerifier: required when there are no demo users/);
        f.write((p) => { p.demoUsers = { enabled: false }; p.publicVerifier = 'verifier1'; });
        assert.deepEqual(loadGatewayConfig(env()).demoUsers, []);
        f.write((p) => { p.revocation = { publisher: 'command' }; });
        assert.match(problemLine(env()), /revocation\.command: required with publisher: command/);
    });

    it('the network manager\'s generated dev profile is valid for the gateway\'s loader, for every organisation', () => {
        const run = tempDir();
        try {
            const fabricDir = path.join(run, 'fabric');
            fs.mkdirSync(path.join(fabricDir, 'bin'), { recursive: true });
            fs.writeFileSync(path.join(fabricDir, 'bin', 'peer'), '');
            const network = loadNetworkConfig({}, { runDir: path.join(run, 'run'), basePort: 27000, fabricDir, gatewayBasePort: 27400 });
            const layout = new Layout(network);
            for (const org of PEER_ORGS) {
                fs.mkdirSync(path.dirname(layout.tlsCa(org)), { recursive: true });
                fs.copyFileSync(f.peerTls.certFile, layout.tlsCa(org));
                fs.mkdirSync(path.dirname(layout.gatewayKeyFile(org)), { recursive: true });
                fs.writeFileSync(layout.gatewayKeyFile(org), Buffer.alloc(32), { mode: 0o600 });
                const secretFile = path.join(run, `${org.key}-registrar`);
                fs.writeFileSync(secretFile, 'secret', { mode: 0o600 });
                const file = path.join(run, `${org.key}.json`);
                fs.writeFileSync(file, JSON.stringify(gatewayProfile(network, layout, org, { name: 'gateway-registrar', secretFile })));
                const config = loadGatewayConfig({ TRADEDOCS_GATEWAY_PROFILE: file });
                assert.equal(config.org.mspId, org.mspId);
                assert.equal(config.revocation.publisher, 'command');
            }
        } finally {
            fs.rmSync(run, { recursive: true, force: true });
        }
    });
});
