import * as assert from 'node:assert/strict';
import { MAX_ORDERERS, PEER_ORGS, caPorts, demoUsers, gatewayPort, orderingService, ordererPorts, peerPorts } from '../../../network/src/topology';

function allPorts(base: number): number[] {
    return [
        ...Array.from({ length: MAX_ORDERERS }, (_, i) => Object.values(ordererPorts(base, i))),
        ...PEER_ORGS.map((o) => Object.values(peerPorts(base, o))),
        ...PEER_ORGS.map((o) => Object.values(caPorts(base, o))),
        // Test networks put their gateways at base + 400 (test/integration/harness.ts).
        ...PEER_ORGS.map((o) => [gatewayPort(base + 400, o)]),
    ].flat();
}

describe('topology', () => {
    it('ports, derived from one base, are all distinct', () => {
        const ports = allPorts(7000);
        assert.equal(new Set(ports).size, ports.length);
        assert.equal(ports.length, 4 * 3 + 4 * 4 + 4 * 2 + 4);
    });

    it('the default network (base 7000) and the test network (base 17000) share no port', () => {
        const dev = new Set(allPorts(7000));
        assert.deepEqual(allPorts(17000).filter((p) => dev.has(p)), []);
    });

    it('Raft runs three orderers of one ordering organisation; SmartBFT four, each of its own organisation', () => {
        const raft = orderingService('raft');
        assert.deepEqual(raft.nodes.map((n) => `${n.name}/${n.org.mspId}`), ['orderer0/OrdererMSP', 'orderer1/OrdererMSP', 'orderer2/OrdererMSP']);
        const bft = orderingService('bft');
        assert.deepEqual(bft.nodes.map((n) => `${n.name}/${n.org.mspId}`), ['orderer0/Orderer0MSP', 'orderer1/Orderer1MSP', 'orderer2/Orderer2MSP', 'orderer3/Orderer3MSP']);
        assert.equal(new Set(bft.orgs.map((o) => o.domain)).size, 4);
        assert.equal(raft.quorum, 2, 'Raft: a majority of three');
        assert.equal(bft.quorum, 3, 'SmartBFT, n = 4, f = 1: ceil((4 + 1 + 1) / 2)');
        for (const service of [raft, bft]) {
            assert.ok(service.nodes.length <= MAX_ORDERERS);
        }
    });

    it('the default gateways listen on 3001 (exporter) to 3004 (bank)', () => {
        assert.deepEqual(PEER_ORGS.map((o) => gatewayPort(3000, o)), [3001, 3002, 3003, 3004]);
    });

    it('each organisation gets a demo user for each of its roles, named after the role', () => {
        assert.deepEqual(demoUsers(PEER_ORGS[2]!), [
            { name: 'customs-officer1', role: 'customs_officer' },
            { name: 'customs-supervisor1', role: 'customs_supervisor' },
        ]);
        assert.deepEqual(PEER_ORGS.flatMap((o) => o.roles).sort(), [
            'carrier_agent', 'customs_officer', 'customs_supervisor', 'exporter', 'forwarder', 'trade_finance_approver', 'trade_finance_officer',
        ]);
    });
});
