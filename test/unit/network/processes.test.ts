import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Supervisor, waitFor } from '../../../network/src/processes';

describe('process supervision', () => {
    let runDir: string;
    let supervisor: Supervisor;
    const sleeper = (name: string, healthy: () => Promise<boolean> = async () => true) =>
        ({ name, command: 'sleep', args: ['300'], env: {}, healthy });

    beforeEach(() => {
        runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tradedocs-supervisor-'));
        supervisor = new Supervisor(runDir, 500);
    });

    afterEach(async () => {
        for (const name of supervisor.running()) {
            await supervisor.stop(name);
        }
        fs.rmSync(runDir, { recursive: true, force: true });
    });

    it('starts a process once, records its pid and log, and finds it running', async () => {
        assert.equal(await supervisor.ensure(sleeper('one')), 'started');
        const pid = supervisor.pid('one');
        assert.ok(pid);
        assert.ok(fs.existsSync(supervisor.logFile('one')));
        assert.equal(await supervisor.ensure(sleeper('one')), 'running');
        assert.equal(supervisor.pid('one'), pid);
        assert.deepEqual(supervisor.running(), ['one']);
    });

    it('stop ends the process and leaves nothing of this run directory running', async () => {
        await supervisor.ensure(sleeper('a'));
        await supervisor.ensure(sleeper('b'));
        const pid = supervisor.pid('a');
        assert.equal(await supervisor.stop('a'), true);
        assert.equal(supervisor.pid('a'), undefined);
        await waitFor('the stopped process to be reaped', async () => !fs.existsSync(`/proc/${pid}`), 5000);
        assert.deepEqual(supervisor.running(), ['b']);
        assert.equal(await supervisor.stop('a'), false);
    });

    it('a recorded pid that belongs to another process is not taken for ours', async () => {
        fs.mkdirSync(path.join(runDir, 'pids'), { recursive: true });
        fs.writeFileSync(path.join(runDir, 'pids', 'x.pid'), `${process.pid}\n`);
        assert.equal(supervisor.pid('x'), undefined);
    });

    it('a running but unhealthy process is restarted by ensure', async () => {
        await supervisor.ensure(sleeper('sick'));
        const first = supervisor.pid('sick');
        let calls = 0;
        // Unhealthy through the repair window, healthy after the restart.
        const outcome = await supervisor.ensure(sleeper('sick', async () => supervisor.pid('sick') !== first || (calls++, false)));
        assert.equal(outcome, 'restarted');
        assert.notEqual(supervisor.pid('sick'), first);
        assert.ok(calls > 0);
    });

    it('a process that exits during start-up is reported with its exit status and this run\'s log', async () => {
        await assert.rejects(
            supervisor.ensure({ name: 'crash', command: 'sh', args: ['-c', 'echo boom; exit 3'], env: {}, healthy: async () => false }),
            /crash \(pid \d+\) exited during start-up \(exit code 3\)[\s\S]*==== \S+ starting crash\nboom/,
        );
    });
});
