/**
 * The rules both tiers apply — ISO 4217 currencies and their minor units, ISO 3166-1 countries, UN/LOCODE country
 * prefixes, visible free text without control characters — live once (chaincode/src/codes.ts, characters.ts). This
 * test fails when the gateway's request schemas and the chaincode's validation drift apart: each input is judged by
 * both, and they must agree.
 */
import assert from 'node:assert/strict';
import { CURRENCY_MINOR_UNITS } from '../../chaincode/src/codes';
import * as v from '../../chaincode/src/validation';
import { ApiError } from '../../gateway/src/errors';
import { compileValidator } from '../../gateway/src/http/validation';
import { Country, Currency, Label, Locode, Money, requireMoney } from '../../gateway/src/trade/schemas';

function accepts(check: () => unknown): boolean {
    try {
        check();
        return true;
    } catch (err) {
        if (err instanceof ApiError || (err instanceof Error && err.message.startsWith('INVALID_ARGUMENT'))) {
            return false;
        }
        throw err;
    }
}

function disagreements(inputs: Iterable<string>, edge: (x: string) => unknown, chaincode: (x: string) => unknown): string[] {
    const out: string[] = [];
    for (const input of inputs) {
        const [a, b] = [accepts(() => edge(input)), accepts(() => chaincode(input))];
        if (a !== b) {
            out.push(`${JSON.stringify(input)}: gateway ${a ? 'accepts' : 'refuses'}, chaincode ${b ? 'accepts' : 'refuses'}`);
        }
    }
    return out;
}

function* letters(n: number, prefix = ''): Generator<string> {
    if (n === 0) {
        yield prefix;
        return;
    }
    for (let c = 65; c <= 90; c++) {
        yield* letters(n - 1, prefix + String.fromCharCode(c));
    }
}

describe('gateway and chaincode agree (no drift between the tiers)', () => {
    it('on every two-letter country code and every three-letter currency code', () => {
        const country = compileValidator(Country, 'body');
        const currency = compileValidator(Currency, 'body');
        assert.deepEqual(disagreements(letters(2), country, (x) => v.country('c', x)), []);
        assert.deepEqual(disagreements(letters(3), currency, (x) => v.currency('c', x)), []);
        assert.equal([...letters(3)].filter((x) => accepts(() => currency(x))).length, CURRENCY_MINOR_UNITS.size);
    });

    it('on UN/LOCODEs with every two-letter prefix', () => {
        const locode = compileValidator(Locode, 'body');
        assert.deepEqual(disagreements([...letters(2)].map((p) => `${p}HAM`), locode, (x) => v.locode('p', x)), []);
    });

    it('on amounts of every currency with 0 to 6 decimals', () => {
        const money = compileValidator(Money, 'body');
        const amounts = ['184500', '184500.5', '184500.05', '184500.005', '184500.0005', '184500.00005', '184500.000005'];
        for (const code of CURRENCY_MINOR_UNITS.keys()) {
            assert.deepEqual(disagreements(amounts, (x) => { money(x); requireMoney('amount', x, code); }, (x) => v.money('amount', x, code)), [], code);
        }
    });

    it('on free text made of every code point of the BMP and of planes 1 and 14 (alone, and after a letter)', () => {
        const label = compileValidator(Label(16), 'body');
        const inputs: string[] = [];
        for (const [from, to] of [[0, 0xFFFF], [0x10000, 0x1FFFF], [0xE0000, 0xEFFFF]] as const) {
            for (let cp = from; cp <= to; cp++) {
                if (cp < 0xD800 || cp > 0xDFFF) {
                    const ch = String.fromCodePoint(cp);
                    inputs.push(ch, `${ch}${ch}`, `A${ch}`);
                }
            }
        }
        assert.deepEqual(disagreements(inputs, label, (x) => v.text('t', x, 16)), []);
    });
});
