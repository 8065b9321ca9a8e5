/**
 * Input validation. Structured input arrives as JSON strings (the contract API only types strings), so each field
 * is checked here and an error names it by path: `INVALID_ARGUMENT: goods[2].hsCode must be 6 to 10 digits`.
 */
import { FORBIDDEN_CLASS, hasVisibleCharacter } from './characters';
import { COUNTRY_CODES, CURRENCY_MINOR_UNITS, minorUnitProblem } from './codes';
import { ContractError } from './errors';

export const LIMITS = {
    id: 64,
    shortText: 120,
    text: 512,
    list: 200,
    /**
     * The largest transient value, i.e. the largest document: also the gateway's upload limit (gateway/src/config.ts).
     * Its bytes are stored base64 in JSON and pushed to another member before endorsement ends, at about 1 s per MiB
     * on a busy two-core machine; 16 MiB keeps that well inside the 30 s endorsement timeouts (24 MiB took 24 s warm
     * and failed cold).
     */
    transientBytes: 16 * 1024 * 1024,
    json: 256 * 1024,
} as const;

export const INCOTERMS_2020 = ['EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF'] as const;

/** A plain JSON object, read field by field. */
export type Json = Record<string, unknown>;

function invalid(field: string, rule: string): ContractError {
    return new ContractError('INVALID_ARGUMENT', `${field} ${rule}`);
}

/** Parses a JSON object argument; `field` names the argument in errors. */
export function parseObject(field: string, text: string): Json {
    if (text.length > LIMITS.json) {
        throw invalid(field, `must be at most ${LIMITS.json} characters`);
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        throw invalid(field, 'must be valid JSON');
    }
    return asObject(field, value);
}

export function asObject(field: string, value: unknown): Json {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        throw invalid(field, 'must be a JSON object');
    }
    return value as Json;
}

/** Client-chosen identifier: the ledger has no shared counters, so ids come from the caller and are checked. */
export function id(field: string, value: unknown): string {
    if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(value)) {
        throw invalid(field, 'must be 1 to 64 letters, digits, dots, dashes or underscores, starting with a letter or digit');
    }
    return value;
}

/** Checked here as well as in the gateway (from the same definitions), because clients may call the chaincode directly. */
const FORBIDDEN_IN_TEXT = new RegExp(`[${FORBIDDEN_CLASS}]`);

export function text(field: string, value: unknown, max: number = LIMITS.text): string {
    if (typeof value !== 'string' || value.length === 0 || value.length > max) {
        throw invalid(field, `must be a non-empty string of at most ${max} characters`);
    }
    if (FORBIDDEN_IN_TEXT.test(value)) {
        throw invalid(field, 'must not contain control characters or bidirectional overrides');
    }
    if (!hasVisibleCharacter(value)) {
        throw invalid(field, 'must contain a visible character, not only spaces or invisible characters such as zero-width spaces');
    }
    return value;
}

export function optionalText(field: string, value: unknown, max: number = LIMITS.text): string | undefined {
    return value === undefined ? undefined : text(field, value, max);
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
        throw invalid(field, `must be one of ${allowed.join(', ')}`);
    }
    return value as T;
}

function pattern(field: string, value: unknown, re: RegExp, rule: string): string {
    if (typeof value !== 'string' || !re.test(value)) {
        throw invalid(field, rule);
    }
    return value;
}

/** HS code: 6 digits (the international part), up to 10 with national extensions. */
export const hsCode = (field: string, v: unknown): string => pattern(field, v, /^\d{6,10}$/, 'must be an HS code of 6 to 10 digits');
/** An officially assigned ISO 3166-1 alpha-2 code (codes.ts). */
export function country(field: string, value: unknown): string {
    if (typeof value !== 'string' || !COUNTRY_CODES.has(value)) {
        throw invalid(field, 'must be an ISO 3166-1 alpha-2 country code');
    }
    return value;
}

/** An ISO 4217 currency code of money (codes.ts). */
export function currency(field: string, value: unknown): string {
    if (typeof value !== 'string' || !CURRENCY_MINOR_UNITS.has(value)) {
        throw invalid(field, 'must be an ISO 4217 currency code');
    }
    return value;
}

/** UN/LOCODE: an ISO 3166-1 country and a location of 3 letters or digits 2-9. */
export function locode(field: string, value: unknown): string {
    const v = pattern(field, value, /^[A-Z]{2}[A-Z2-9]{3}$/, 'must be a 5-character UN/LOCODE');
    if (!COUNTRY_CODES.has(v.slice(0, 2))) {
        throw invalid(field, 'must be a UN/LOCODE whose first two letters are an ISO 3166-1 country code');
    }
    return v;
}
export const incoterm = (field: string, v: unknown): string => oneOf(field, v, INCOTERMS_2020);
export const sha256Hex = (field: string, v: unknown): string => pattern(field, v, /^[0-9a-f]{64}$/, 'must be a SHA-256 digest in lowercase hex');
/** Standard Carrier Alpha Code shape (2 to 4 capital letters). */
export const carrierCode = (field: string, v: unknown): string => pattern(field, v, /^[A-Z]{2,4}$/, 'must be a 2 to 4 letter carrier code (SCAC)');
/** WCO export declaration type: EX, optionally followed by an additional letter (EXA, EXD, ...). */
export const exportDeclarationType = (field: string, v: unknown): string => pattern(field, v, /^EX[A-Z]?$/, 'must be an export declaration type (EX, optionally with a letter such as EXA)');
/** ISO 6346 container number shape: owner code, category, serial and check digit. */
export const containerNumber = (field: string, v: unknown): string => pattern(field, v, /^[A-Z]{3}[UJZ]\d{7}$/, 'must be an ISO 6346 container number');

/** A positive amount as a decimal string: at most 15 integer and 6 fraction digits, never a float. */
export function amount(field: string, value: unknown): string {
    const v = pattern(field, value, /^(0|[1-9]\d{0,14})(\.\d{1,6})?$/, 'must be a decimal string such as "1250.00"');
    if (/^0(\.0+)?$/.test(v)) {
        throw invalid(field, 'must be greater than zero');
    }
    return v;
}

/** A positive amount of money in `currencyCode`: no more decimals than the currency's minor unit. */
export function money(field: string, value: unknown, currencyCode: string): string {
    const v = amount(field, value);
    const problem = minorUnitProblem(v, currencyCode);
    if (problem !== undefined) {
        throw invalid(field, problem);
    }
    return v;
}

/** A positive whole number (quantities, packages, days). */
export function positiveInt(field: string, value: unknown, max = 1_000_000_000): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
        throw invalid(field, `must be a whole number from 1 to ${max}`);
    }
    return value;
}

/** ISO 8601 calendar date (YYYY-MM-DD) that exists. */
export function isoDate(field: string, value: unknown): string {
    const v = pattern(field, value, /^\d{4}-\d{2}-\d{2}$/, 'must be an ISO 8601 date (YYYY-MM-DD)');
    const d = new Date(`${v}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== v) {
        throw invalid(field, 'must be a real calendar date');
    }
    return v;
}

export function bool(field: string, value: unknown): boolean {
    if (typeof value !== 'boolean') {
        throw invalid(field, 'must be true or false');
    }
    return value;
}

/** A bounded, non-empty list whose items are each checked by `item`. */
export function list<T>(field: string, value: unknown, item: (f: string, v: unknown) => T, max: number = LIMITS.list): T[] {
    if (!Array.isArray(value) || value.length === 0 || value.length > max) {
        throw invalid(field, `must be a list of 1 to ${max} items`);
    }
    return value.map((v, i) => item(`${field}[${i}]`, v));
}

export function optionalList<T>(field: string, value: unknown, item: (f: string, v: unknown) => T, max: number = LIMITS.list): T[] {
    return value === undefined ? [] : list(field, value, item, max);
}

/** A party named in a document (not necessarily a channel member). */
export interface Party { name: string; country: string }

export function party(field: string, value: unknown): Party {
    const o = asObject(field, value);
    return { name: text(`${field}.name`, o['name'], LIMITS.shortText), country: country(`${field}.country`, o['country']) };
}

export function requireUnique(field: string, values: readonly string[]): void {
    const seen = new Set<string>();
    for (const v of values) {
        if (seen.has(v)) {
            throw invalid(field, `must not repeat ${v}`);
        }
        seen.add(v);
    }
}
