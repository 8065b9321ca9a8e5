import './quiet-logs';
import assert from 'node:assert/strict';
import { TRANSACTIONS, tradeContracts } from '../../../chaincode/src/transactions';

const metadata = Reflect as unknown as { getMetadata(key: string, target: object): unknown };

describe('transaction registration (what fabric-contract-api publishes)', () => {
    const contracts = tradeContracts();

    it('registers every trade contract', () => {
        assert.deepEqual(contracts, [...TRANSACTIONS.keys()]);
    });

    for (const [cls, spec] of TRANSACTIONS) {
        describe(cls.name, () => {
            it('publishes exactly the public methods of the class, each with a parameter per argument', () => {
                const methods = Object.getOwnPropertyNames(cls.prototype).filter((n) => n !== 'constructor').sort();
                assert.deepEqual(Object.keys(spec.transactions).sort(), methods);
                for (const [name, [, params]] of Object.entries(spec.transactions)) {
                    const fn = (cls.prototype as unknown as Record<string, (...a: unknown[]) => unknown>)[name];
                    assert.equal(fn?.length, params.length + 1, `${name} takes ctx plus ${params.length} parameters`);
                }
            });

            it('declares every parameter as a string schema, with submit/evaluate tags', () => {
                const published = metadata.getMetadata('fabric:transactions', cls.prototype) as { name: string; tag: string[]; parameters: { name: string; schema: { type: string } }[] }[];
                assert.deepEqual(published.map((t) => t.name).sort(), Object.keys(spec.transactions).sort());
                for (const t of published) {
                    const [submit, params] = spec.transactions[t.name] ?? [false, []];
                    assert.equal(t.parameters.length, params.length, t.name);
                    for (const p of t.parameters) {
                        assert.equal(p.schema.type, 'string', `${t.name}(${p.name})`);
                    }
                    assert.equal(t.tag.includes('SUBMIT'), submit, `${t.name} submit tag`);
                }
            });
        });
    }
});
