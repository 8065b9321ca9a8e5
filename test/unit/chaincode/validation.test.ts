import './quiet-logs';
import assert from 'node:assert/strict';
import { compareDecimals, fromUnits, sumDecimals, toUnits } from '../../../chaincode/src/decimal';
import * as v from '../../../chaincode/src/validation';
import { rejectsWith } from './expect-error';

function refuses(fn: () => unknown, detail: string): Promise<void> {
    return rejectsWith(Promise.resolve().then(fn), 'INVALID_ARGUMENT', detail);
}

describe('validation', () => {
    it('hsCode accepts 6 to 10 digits and refuses other shapes, naming the field', async () => {
        assert.equal(v.hsCode('f', '610910'), '610910');
        assert.equal(v.hsCode('f', '6110110000'), '6110110000');
        for (const bad of ['61091', '61091000000', '6109.10', 'ABCDEF', 610910]) {
            await refuses(() => v.hsCode('goods[0].hsCode', bad), 'goods[0].hsCode must be an HS code of 6 to 10 digits');
        }
    });

    it('country, currency and UN/LOCODE check their ISO shapes', async () => {
        assert.equal(v.country('c', 'CN'), 'CN');
        assert.equal(v.currency('c', 'EUR'), 'EUR');
        assert.equal(v.locode('p', 'DEHAM'), 'DEHAM');
        assert.equal(v.locode('p', 'CNCTU'), 'CNCTU');
        await refuses(() => v.country('exporter.country', 'chn'), 'exporter.country must be an ISO 3166-1 alpha-2');
        await refuses(() => v.currency('currency', 'usd'), 'currency must be an ISO 4217');
        await refuses(() => v.currency('currency', 'USDT'), 'currency must be an ISO 4217');
        await refuses(() => v.locode('portOfLoading', 'HAM'), 'portOfLoading must be a 5-character UN/LOCODE');
        await refuses(() => v.locode('portOfLoading', 'DEHA1'), 'UN/LOCODE');
    });

    it('country and currency are ISO codes from the lists, not just the shape: ZZ, XK, XXX, QQQ, gold are refused', async () => {
        for (const code of ['ZZ', 'XK', 'QQ', 'AA']) {
            await refuses(() => v.country('consignee.country', code), 'consignee.country must be an ISO 3166-1 alpha-2');
        }
        for (const code of ['XXX', 'QQQ', 'XAU', 'XTS', 'ABC']) {
            await refuses(() => v.currency('currency', code), 'currency must be an ISO 4217');
        }
        await refuses(() => v.locode('portOfLoading', 'ZZHAM'), 'first two letters are an ISO 3166-1 country');
        for (const code of ['JPY', 'KWD', 'CLF', 'XOF', 'CHF']) {
            assert.equal(v.currency('currency', code), code);
        }
    });

    it('money has no more decimals than the currency\'s ISO 4217 minor unit', async () => {
        assert.equal(v.money('amount', '184500.00', 'USD'), '184500.00');
        assert.equal(v.money('amount', '184500', 'USD'), '184500');
        assert.equal(v.money('amount', '1.005', 'KWD'), '1.005');
        assert.equal(v.money('amount', '10000', 'JPY'), '10000');
        await refuses(() => v.money('terms.amount', '184500.001', 'USD'), 'terms.amount must have at most 2 decimals for USD');
        await refuses(() => v.money('terms.amount', '10000.5', 'JPY'), 'terms.amount must be a whole number of JPY');
        await refuses(() => v.money('terms.amount', '1.0001', 'KWD'), 'at most 3 decimals for KWD');
        await refuses(() => v.money('terms.amount', '0.00', 'USD'), 'must be greater than zero');
    });

    it('incoterm accepts exactly the eleven Incoterms 2020 rules', async () => {
        for (const rule of ['EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF']) {
            assert.equal(v.incoterm('incoterm', rule), rule);
        }
        await refuses(() => v.incoterm('incoterm', 'DAT'), 'incoterm must be one of EXW');
        await refuses(() => v.incoterm('incoterm', 'fob'), 'incoterm must be one of');
    });

    it('amount takes positive decimal strings only, never numbers or zero', async () => {
        assert.equal(v.amount('a', '0.01'), '0.01');
        assert.equal(v.amount('a', '123456789012345.123456'), '123456789012345.123456');
        for (const bad of [100, '-1', '0', '0.00', '01', '1.', '1e3', '1.1234567', '1,000', '1234567890123456']) {
            await refuses(() => v.amount('totalValue', bad), 'totalValue must');
        }
    });

    it('isoDate refuses impossible dates and other formats', async () => {
        assert.equal(v.isoDate('d', '2024-02-29'), '2024-02-29');
        await refuses(() => v.isoDate('issueDate', '2025-02-29'), 'issueDate must be a real calendar date');
        await refuses(() => v.isoDate('issueDate', '2025-13-01'), 'issueDate must be a real calendar date');
        await refuses(() => v.isoDate('issueDate', '01/02/2025'), 'issueDate must be an ISO 8601 date');
    });

    it('ids are bounded and shaped; text is bounded; lists are bounded and non-empty', async () => {
        assert.equal(v.id('id', 'SHP-2026.01_a'), 'SHP-2026.01_a');
        await refuses(() => v.id('shipmentId', 'a'.repeat(65)), 'shipmentId must be 1 to 64');
        await refuses(() => v.id('shipmentId', 'has space'), 'shipmentId must be 1 to 64');
        await refuses(() => v.id('shipmentId', '-lead'), 'shipmentId must be 1 to 64');
        await refuses(() => v.text('description', 'x'.repeat(513)), 'description must be a non-empty string of at most 512');
        await refuses(() => v.text('description', ''), 'description must be a non-empty string');
        await refuses(() => v.text('description', '   '), 'description must contain a visible character');
        await refuses(() => v.list('goods', [], v.hsCode), 'goods must be a list of 1 to 200 items');
        await refuses(() => v.list('goods', new Array(201).fill('610910'), v.hsCode), 'goods must be a list of 1 to 200 items');
        await refuses(() => v.list('codes', ['610910', 'x'], v.hsCode), 'codes[1] must be an HS code');
    });

    it('text made only of invisible characters (zero-width space, joiners, word joiner, BOM, Hangul filler, tags) is refused', async () => {
        for (const blank of ['\u200B', '\u200B\u200D\u200C', '\u2060\uFEFF', ' \u00A0\u3000', '\u3164', '\u{E0041}\u{E0042}', '\u2800', '\uFE0F\u034F']) {
            await refuses(() => v.text('exporter.name', blank), 'exporter.name must contain a visible character');
        }
        for (const fine of ['\u200BA', 'Zoë', '👨\u200D👩\u200D👧', '\u0301']) {
            assert.equal(v.text('exporter.name', fine), fine);
        }
    });

    it('text refuses control characters and bidirectional overrides, and keeps any script, tabs and line breaks', async () => {
        for (const hostile of ['NUL\u0000', 'bell\u0007', 'esc \u001b[31m', 'C1 \u0085', 'invoice \u202Efdp.exe', 'isolate \u2066x\u2069', 'DEL\u007f']) {
            await refuses(() => v.text('remarks', hostile), 'remarks must not contain control characters');
        }
        for (const fine of ['Müller GmbH, Straße 5', 'ООО «Ромашка»', '株式会社', 'line one\nline two\tend', "O'Brien; DROP TABLE x; <script>"]) {
            assert.equal(v.text('remarks', fine), fine);
        }
    });

    it('positiveInt, bool, sha256 and container numbers check their shapes', async () => {
        assert.equal(v.positiveInt('n', 3), 3);
        await refuses(() => v.positiveInt('packages', 0), 'packages must be a whole number from 1');
        await refuses(() => v.positiveInt('packages', 1.5), 'packages must be a whole number');
        await refuses(() => v.positiveInt('packages', '3'), 'packages must be a whole number');
        await refuses(() => v.bool('isToOrder', 'true'), 'isToOrder must be true or false');
        await refuses(() => v.sha256Hex('sha256', 'ABC'), 'sha256 must be a SHA-256 digest');
        assert.equal(v.containerNumber('c', 'MSCU1234567'), 'MSCU1234567');
        await refuses(() => v.containerNumber('equipment[0]', 'MSC1234567'), 'equipment[0] must be an ISO 6346');
    });

    it('parseObject refuses invalid JSON, non-objects and oversized input', async () => {
        await refuses(() => v.parseObject('shipmentJson', '{'), 'shipmentJson must be valid JSON');
        await refuses(() => v.parseObject('shipmentJson', '[1]'), 'shipmentJson must be a JSON object');
        await refuses(() => v.parseObject('shipmentJson', `"${'x'.repeat(300 * 1024)}"`), 'shipmentJson must be at most');
    });

    it('requireUnique names the repeated value', async () => {
        await refuses(() => v.requireUnique('goods[].lineNo', ['1', '2', '1']), 'goods[].lineNo must not repeat 1');
    });
});

describe('decimal arithmetic', () => {
    it('adds and compares decimal strings exactly', () => {
        assert.equal(sumDecimals(['0.1', '0.2']), '0.3');
        assert.equal(sumDecimals(['9000.00', '10000']), '19000');
        assert.equal(compareDecimals('100.0', '100'), 0);
        assert.equal(compareDecimals('99.999999', '100'), -1);
        assert.equal(compareDecimals('100.000001', '100'), 1);
        assert.equal(fromUnits(toUnits('123456789012345.123456')), '123456789012345.123456');
    });
});
