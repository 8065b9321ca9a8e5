import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_BASE_PORT, loadConfig } from '../../../network/src/config';
import { Layout } from '../../../network/src/layout';
import { chaincodeSpec } from '../../../network/src/nodes';
import { PEER_ORGS } from '../../../network/src/topology';

describe('network configuration', () => {
    let fabricDir: string;

    before(() => {
        fabricDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tradedocs-config-'));
        fs.mkdirSync(path.join(fabricDir, 'bin'));
        fs.writeFileSync(path.join(fabricDir, 'bin', 'peer'), '');
    });

    after(() => fs.rmSync(fabricDir, { recursive: true, force: true }));

    it('defaults to base port 7000 and the .run/dev directory of the repository', () => {
        const config = loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir });
        assert.equal(config.basePort, DEFAULT_BASE_PORT);
        assert.equal(config.runDir, path.join(config.repoDir, '.run', 'dev'));
    });

    it('takes the run directory and base port from the environment', () => {
        const config = loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir, TRADEDOCS_RUN_DIR: '/tmp/x', TRADEDOCS_BASE_PORT: '20000' });
        assert.equal(config.runDir, '/tmp/x');
        assert.equal(config.basePort, 20000);
    });

    it('a bad base port is refused, naming the variable', () => {
        for (const bad of ['abc', '80', '65500', '7000.5']) {
            assert.throws(() => loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir, TRADEDOCS_BASE_PORT: bad }), /TRADEDOCS_BASE_PORT/);
        }
    });

    it('block timeout and the peer gateway\'s concurrency limit default to 250 ms and 500, and are checked when set', () => {
        const defaults = loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir });
        assert.equal(defaults.batchTimeoutMs, 250);
        assert.equal(defaults.peerGatewayConcurrency, 500);
        const tuned = loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir, TRADEDOCS_BATCH_TIMEOUT_MS: '1000', TRADEDOCS_PEER_GATEWAY_CONCURRENCY: '16' });
        assert.equal(tuned.batchTimeoutMs, 1000);
        assert.equal(tuned.peerGatewayConcurrency, 16);
        for (const bad of ['0', '10', '1.5', 'fast', '20000']) {
            assert.throws(() => loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir, TRADEDOCS_BATCH_TIMEOUT_MS: bad }), /TRADEDOCS_BATCH_TIMEOUT_MS=/);
        }
        assert.throws(() => loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir, TRADEDOCS_PEER_GATEWAY_CONCURRENCY: '0' }), /TRADEDOCS_PEER_GATEWAY_CONCURRENCY=0 must be/);
    });

    it('ordering is Raft unless TRADEDOCS_ORDERER_TYPE says bft; anything else is refused, naming the variable', () => {
        assert.equal(loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir }).ordererType, 'raft');
        assert.equal(loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir, TRADEDOCS_ORDERER_TYPE: 'bft' }).ordererType, 'bft');
        for (const bad of ['BFT', 'solo', 'kafka', 'etcdraft']) {
            assert.throws(() => loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir, TRADEDOCS_ORDERER_TYPE: bad }), /TRADEDOCS_ORDERER_TYPE=.* must be one of raft, bft/);
        }
    });

    it('the chaincode servers serve the probe contract only when TRADEDOCS_CHAINCODE_PROBE=on (test networks): npm start\'s do not', () => {
        const production = loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir });
        assert.equal(production.chaincodeProbe, false);
        const env = (config: typeof production) => chaincodeSpec(config, new Layout(config), PEER_ORGS[0]!, 'tradedocs:1').env;
        assert.equal(env(production)['TRADEDOCS_CHAINCODE_PROBE'], undefined);
        const test = loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir, TRADEDOCS_CHAINCODE_PROBE: 'on' });
        assert.equal(env(test)['TRADEDOCS_CHAINCODE_PROBE'], 'on');
        assert.throws(() => loadConfig({ TRADEDOCS_FABRIC_DIR: fabricDir, TRADEDOCS_CHAINCODE_PROBE: 'yes' }), /TRADEDOCS_CHAINCODE_PROBE=yes must be on or off/);
    });

    it('a missing or empty Fabric directory is refused with what to run', () => {
        assert.throws(() => loadConfig({}), /TRADEDOCS_FABRIC_DIR is not set.*build-fabric/);
        assert.throws(() => loadConfig({ TRADEDOCS_FABRIC_DIR: os.tmpdir() }), /holds no bin\/peer/);
    });
});
