import * as assert from 'node:assert/strict';
import { cpuBudget, processKind } from '../bench/procstat';

describe('bench CPU budget', () => {
    it('processKind maps every process name of a network to its kind', () => {
        assert.deepEqual(['gateway.exporter', 'chaincode.bank', 'peer0.customs', 'orderer3', 'ca.orderer0', 'ca.carrier', 'load-generator'].map(processKind),
            ['gateway', 'chaincode', 'peer', 'orderer', 'ca', 'ca', 'load-generator']);
        assert.throws(() => processKind('mystery'), /no process kind/);
    });

    it('cpuBudget divides each kind\'s CPU time by the completed operations and derives the ceiling on the cores', () => {
        const usage = [
            { name: 'gateway.exporter', cpuPercent: 0, cpuMs: 1200, rssMiB: 0 },
            { name: 'peer0.exporter', cpuPercent: 0, cpuMs: 900, rssMiB: 0 },
            { name: 'peer0.bank', cpuPercent: 0, cpuMs: 900, rssMiB: 0 },
            { name: 'load-generator', cpuPercent: 0, cpuMs: 200, rssMiB: 0 },
        ];
        const budget = cpuBudget(usage, 100, 2);
        assert.equal(budget.perOperationMs.gateway, 12);
        assert.equal(budget.perOperationMs.peer, 18);
        assert.equal(budget.perOperationMs.orderer, 0);
        assert.equal(budget.perOperationMs.total, 32);
        assert.equal(budget.ceilingPerSecond, 62.5);
    });
});
