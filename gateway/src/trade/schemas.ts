/**
 * Building blocks of the trade resources' schemas, in the formats the trade domain uses (ISO 3166, ISO 4217,
 * UN/LOCODE, HS, decimal strings). They reject malformed input before anything is submitted; the chaincode still
 * checks everything (it is the authority). Code lists and text rules come from the chaincode's own modules, so the
 * two tiers cannot disagree (test/unit/codes-drift.test.ts compares them on every input that matters).
 */
import { type TSchema, Type } from '@sinclair/typebox';
import { FORBIDDEN_CLASS } from '../../../chaincode/src/characters';
import { COUNTRY_CODES, CURRENCY_MINOR_UNITS, minorUnitProblem } from '../../../chaincode/src/codes';
import { ApiError } from '../errors';
import { VISIBLE_TEXT } from '../http/validation';

export const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: '1 to 64 letters, digits, dots, dashes, underscores' });

/**
 * Free text of 1 to `max` characters: none of the control or bidirectional-override characters, and at least one
 * visible character (not only spaces or zero-width characters). Any script is welcome.
 */
export function Label(max: number, description?: string) {
    return Type.String({
        minLength: 1, maxLength: max, pattern: `^[^${FORBIDDEN_CLASS}]*$`, format: VISIBLE_TEXT,
        ...(description ? { description } : {}),
    });
}

export const ShortText = Label(120);
export const Text = Label(512);
const COUNTRIES = [...COUNTRY_CODES].sort();
export const Country = Type.Unsafe<string>({ type: 'string', enum: COUNTRIES, description: 'ISO 3166-1 alpha-2 (officially assigned codes)' });
export const Currency = Type.Unsafe<string>({ type: 'string', enum: [...CURRENCY_MINOR_UNITS.keys()].sort(), description: 'ISO 4217 currency' });
export const Locode = Type.String({ pattern: `^(?:${COUNTRIES.join('|')})[A-Z2-9]{3}$`, description: 'UN/LOCODE: an ISO 3166-1 country and 3 letters or digits 2-9' });
export const HsCode = Type.String({ pattern: '^\\d{6,10}$', description: 'HS code, 6 to 10 digits' });
export const Amount = Type.String({ pattern: '^(0|[1-9]\\d{0,14})(\\.\\d{1,6})?$', description: 'Decimal string, never a float, e.g. "1250.00"' });
/** An amount of money: as Amount, with no more decimals than its currency's ISO 4217 minor unit (checked by `requireMoney`). */
export const Money = Type.String({ pattern: Amount.pattern, description: 'Decimal string of money, never a float, with no more decimals than the currency\'s ISO 4217 minor unit (USD 2, JPY 0, KWD 3)' });

/** Refuses an amount with more decimals than `currency` has: a rule across two fields, which a schema cannot state. */
export function requireMoney(field: string, amount: string, currency: string): void {
    const problem = minorUnitProblem(amount, currency);
    if (problem !== undefined) {
        throw new ApiError('INVALID_ARGUMENT', `body field ${field} ${problem}`);
    }
}
export const IsoDate = Type.String({ format: 'date', description: 'ISO 8601 date (YYYY-MM-DD)' });
export const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lowercase hex' });
export const PositiveInt = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });
export const ContainerNumber = Type.String({ pattern: '^[A-Z]{3}[UJZ]\\d{7}$', description: 'ISO 6346 container number' });
export const Incoterm = Type.Union(['EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF'].map((t) => Type.Literal(t)), { description: 'Incoterms 2020' });
export const HolderMsp = Type.Union([Type.Literal('ExporterMSP'), Type.Literal('BankMSP')], { description: 'Organisations that may hold a B/L' });

export const Party = Type.Object({ name: ShortText, country: Country }, { additionalProperties: false });

/** `{reason}` bodies of refusals, voids and revocations. */
export const ReasonBody = Type.Object({ reason: Text }, { additionalProperties: false });

/** Path parameters made of one id. */
export function idParams<K extends string>(name: K) {
    return Type.Object({ [name]: Id } as { [P in K]: typeof Id }, { additionalProperties: false });
}

/** The response declaration of a write. */
export function writeResponse(status: 200 | 201, description: string, schema: TSchema) {
    return { [status]: { description: `${description}; X-Transaction-Id names the transaction`, schema } };
}
