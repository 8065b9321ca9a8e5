/**
 * Rules that two tiers need, compared: what the gateway calls exists in the chaincode, the private data collections
 * are the same in the network's definition, the chaincode and the unit tests' fake peer, and every organisation's
 * roles are the permission table's. A change to one side without the other fails here.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { COLLECTION_MEMBERS } from '../../chaincode/src/collections';
import { ERROR_CODES } from '../../chaincode/src/errors';
import { MACHINES } from '../../chaincode/src/lifecycle';
import { ROLES_BY_MSP } from '../../chaincode/src/permissions';
import { TRANSACTIONS } from '../../chaincode/src/transactions';
import { CHAINCODE_ERROR_CODES } from '../../gateway/src/errors';
import { ALL_PEER_ORGS } from '../../network/src/topology';
import { FAKE_COLLECTION_MEMBERS } from './chaincode/fake-context';

const repo = path.resolve(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? sourceFiles(full) : e.name.endsWith('.ts') ? [full] : [];
    });
}

/**
 * `<contract>:<transaction>` of every transaction the production chaincode registers: the trade contracts' table
 * (the probe contract is served only to the network and fault suites' test networks).
 */
function registered(): Set<string> {
    const names = new Set<string>();
    for (const [cls, spec] of TRANSACTIONS) {
        Object.keys(spec.transactions).forEach((fn) => names.add(`${new cls().getName()}:${fn}`));
    }
    return names;
}

/** Sorted members per collection, for comparison. */
function normalise(members: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
    return Object.fromEntries(Object.keys(members).sort().map((name) => [name, [...(members[name] ?? [])].sort()]));
}

describe('drift between tiers', () => {
    it('every transaction the gateway names is registered by the chaincode', () => {
        const known = registered();
        const used = new Set<string>();
        for (const file of sourceFiles(path.join(repo, 'gateway', 'src'))) {
            for (const [, name, contract] of fs.readFileSync(file, 'utf8').matchAll(/'(([a-z][A-Za-z]*):[a-z][A-Za-z]*)'/g)) {
                // Module specifiers and "host:port" are not transactions.
                if (contract !== 'node' && contract !== 'host') {
                    used.add(name!);
                }
            }
        }
        assert.ok(used.size > 50, `found the gateway's transactions (${used.size})`);
        assert.deepEqual([...used].filter((name) => !known.has(name)).sort(), []);
    });

    it('every transaction of the status machines is a registered transaction', () => {
        const fns = new Set([...registered()].map((n) => n.split(':')[1]));
        for (const [kind, machine] of Object.entries(MACHINES)) {
            assert.deepEqual(Object.keys(machine).filter((fn) => !fns.has(fn)), [], kind);
        }
    });

    it('the gateway knows exactly the chaincode\'s error codes', () => {
        assert.deepEqual([...CHAINCODE_ERROR_CODES].sort(), [...ERROR_CODES].sort());
    });

    it('the collections and their members are the same in collections_config.json, the chaincode and the unit-test fake', () => {
        const config = JSON.parse(fs.readFileSync(path.join(repo, 'network', 'collections_config.json'), 'utf8')) as { name: string; policy: string }[];
        const fromConfig = Object.fromEntries(config.map((c) => [c.name, [...c.policy.matchAll(/'(\w+)\.member'/g)].map((m) => m[1]!)]));
        assert.deepEqual(normalise(COLLECTION_MEMBERS), normalise(fromConfig));
        assert.deepEqual(normalise(FAKE_COLLECTION_MEMBERS), normalise(fromConfig));
    });

    it('each organisation\'s roles (what its CA issues) are the permission table\'s roles for it', () => {
        const fromNetwork = Object.fromEntries(ALL_PEER_ORGS.map((org) => [org.mspId, [...org.roles].sort()]));
        const fromTable = Object.fromEntries(Object.entries(ROLES_BY_MSP).map(([msp, roles]) => [msp, [...roles].sort()]));
        assert.deepEqual(fromTable, fromNetwork);
    });
});
