import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadGatewayConfig } from '../../../gateway/src/config';
import { tempDir } from './fakes';

describe('gateway configuration', () => {
    let fabricDir: string;
    const base = (): NodeJS.ProcessEnv => ({ TRADEDOCS_FABRIC_DIR: fabricDir, TRADEDOCS_RUN_DIR: '/tmp/run', TRADEDOCS_BASE_PORT: '27000' });

    before(() => {
        fabricDir = tempDir();
        fs.mkdirSync(path.join(fabricDir, 'bin'));
        fs.writeFileSync(path.join(fabricDir, 'bin', 'peer'), '');
    });

    after(() => fs.rmSync(fabricDir, { recursive: true, force: true }));

    it('config, for each organisation, defaults the HTTP port to 3001-3004', () => {
        const ports = ['exporter', 'carrier', 'customs', 'bank'].map((org) => loadGatewayConfig({ ...base(), TRADEDOCS_ORG: org }).port);
        assert.deepEqual(ports, [3001, 3002, 3003, 3004]);
    });

    it('config derives peer, CA and TLS files from the run directory and base port, as the network manager lays them out', () => {
        const config = loadGatewayConfig({ ...base(), TRADEDOCS_ORG: 'customs' });
        assert.equal(config.peer.address, '127.0.0.1:27220');
        assert.equal(config.ca.url, 'https://127.0.0.1:27320');
        assert.equal(config.ca.caName, 'ca-customs');
        assert.equal(config.peer.tlsCaFile, '/tmp/run/bundles/customs/msp/tlscacerts/tlsca.pem');
        assert.equal(config.ca.registrarSecretFile, '/tmp/run/orgs/customs/secrets/ca-customs-bootstrap');
        assert.equal(config.dataDir, '/tmp/run/gateway/customs');
        assert.equal(config.org.mspId, 'CustomsMSP');
    });

    it('config defaults: 25 MB uploads, 15 minute tokens, bounded peer concurrency and queue', () => {
        const config = loadGatewayConfig({ ...base(), TRADEDOCS_ORG: 'bank' });
        assert.equal(config.uploadLimitBytes, 25 * 1024 * 1024);
        assert.equal(config.tokenTtlSeconds, 900);
        assert.equal(config.peerConcurrency, 32);
        assert.equal(config.peerQueue, 256);
        assert.equal(config.mvccRetries, 3);
        assert.equal(config.tokenSecret, undefined);
    });

    it('config takes every tunable from its variable', () => {
        const config = loadGatewayConfig({
            ...base(), TRADEDOCS_ORG: 'carrier', TRADEDOCS_GATEWAY_PORT: '0', TRADEDOCS_GATEWAY_UPLOAD_LIMIT: '1000',
            TRADEDOCS_GATEWAY_PEER_CONCURRENCY: '4', TRADEDOCS_GATEWAY_RATE_LIMIT: '5', TRADEDOCS_GATEWAY_DATA_DIR: '/tmp/gw',
            TRADEDOCS_GATEWAY_TOKEN_SECRET: 'x'.repeat(32),
        });
        assert.deepEqual([config.port, config.uploadLimitBytes, config.peerConcurrency, config.rateLimitPerMinute, config.dataDir, config.tokenSecret],
            [0, 1000, 4, 5, '/tmp/gw', 'x'.repeat(32)]);
    });

    it('config with a missing or unknown organisation fails, naming TRADEDOCS_ORG and the choices', () => {
        assert.throws(() => loadGatewayConfig(base()), /TRADEDOCS_ORG=.*exporter, carrier, customs, bank/);
        assert.throws(() => loadGatewayConfig({ ...base(), TRADEDOCS_ORG: 'ExporterMSP' }), /TRADEDOCS_ORG=ExporterMSP/);
    });

    it('config with a malformed or out-of-range number fails, naming the variable', () => {
        const cases: [string, string][] = [
            ['TRADEDOCS_GATEWAY_PORT', '70000'], ['TRADEDOCS_GATEWAY_PORT', '30a'], ['TRADEDOCS_GATEWAY_UPLOAD_LIMIT', '-1'],
            ['TRADEDOCS_GATEWAY_PEER_CONCURRENCY', '0'], ['TRADEDOCS_GATEWAY_TOKEN_TTL', '1.5'], ['TRADEDOCS_BASE_PORT', '80'],
        ];
        for (const [name, value] of cases) {
            assert.throws(() => loadGatewayConfig({ ...base(), TRADEDOCS_ORG: 'exporter', [name]: value }), new RegExp(`${name}=`), `${name}=${value}`);
        }
    });

    it('config refuses a short token secret and an unknown log level', () => {
        assert.throws(() => loadGatewayConfig({ ...base(), TRADEDOCS_ORG: 'exporter', TRADEDOCS_GATEWAY_TOKEN_SECRET: 'short' }), /TRADEDOCS_GATEWAY_TOKEN_SECRET/);
        assert.throws(() => loadGatewayConfig({ ...base(), TRADEDOCS_ORG: 'exporter', TRADEDOCS_GATEWAY_LOG_LEVEL: 'loud' }), /TRADEDOCS_GATEWAY_LOG_LEVEL=loud/);
    });
});
