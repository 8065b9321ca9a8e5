/**
 * Building blocks of the trade resources' schemas, in the formats the trade domain uses (ISO 3166, ISO 4217,
 * UN/LOCODE, HS, decimal strings). They reject malformed input before anything is submitted; the chaincode still
 * checks everything (it is the authority), so the shapes here mirror chaincode/src/validation.ts and no more.
 */
import { type TSchema, Type } from '@sinclair/typebox';

export const Id = Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$', description: '1 to 64 letters, digits, dots, dashes, underscores' });
/**
 * Characters free text may not hold: C0 controls other than tab, line feed and carriage return, DEL and C1 controls,
 * and the bidirectional embeddings, overrides and isolates that make a printed document read other than it is stored.
 */
const FORBIDDEN = '\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F\\u202A-\\u202E\\u2066-\\u2069';

/** Free text of 1 to `max` characters: at least one visible character, none of FORBIDDEN. Any script is welcome. */
export function Label(max: number, description?: string) {
    return Type.String({
        minLength: 1, maxLength: max, pattern: `^[^${FORBIDDEN}]*[^\\s${FORBIDDEN}][^${FORBIDDEN}]*$`,
        ...(description ? { description } : {}),
    });
}

export const ShortText = Label(120);
export const Text = Label(512);
export const Country = Type.String({ pattern: '^[A-Z]{2}$', description: 'ISO 3166-1 alpha-2' });
export const Currency = Type.String({ pattern: '^[A-Z]{3}$', description: 'ISO 4217' });
export const Locode = Type.String({ pattern: '^[A-Z]{2}[A-Z2-9]{3}$', description: 'UN/LOCODE' });
export const HsCode = Type.String({ pattern: '^\\d{6,10}$', description: 'HS code, 6 to 10 digits' });
export const Amount = Type.String({ pattern: '^(0|[1-9]\\d{0,14})(\\.\\d{1,6})?$', description: 'Decimal string, never a float, e.g. "1250.00"' });
export const IsoDate = Type.String({ format: 'date', description: 'ISO 8601 date (YYYY-MM-DD)' });
export const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$', description: 'SHA-256, lowercase hex' });
export const PositiveInt = Type.Integer({ minimum: 1, maximum: 1_000_000_000 });
export const ContainerNumber = Type.String({ pattern: '^[A-Z]{3}[UJZ]\\d{7}$', description: 'ISO 6346 container number' });
export const Incoterm = Type.Union(['EXW', 'FCA', 'CPT', 'CIP', 'DAP', 'DPU', 'DDP', 'FAS', 'FOB', 'CFR', 'CIF'].map((t) => Type.Literal(t)), { description: 'Incoterms 2020' });
export const HolderMsp = Type.Union([Type.Literal('ExporterMSP'), Type.Literal('BankMSP')], { description: 'Organisations that may hold a B/L' });

export const Party = Type.Object({ name: ShortText, country: Country }, { additionalProperties: false });

/** `{reason}` bodies of refusals, voids and revocations. */
export const ReasonBody = Type.Object({ reason: Text }, { additionalProperties: false });

/** A record as the chaincode answers it; documented loosely because the chaincode owns its shape. */
export function record(description: string, properties: Record<string, TSchema> = {}): TSchema {
    return Type.Object(properties, { description, additionalProperties: true });
}

/** Path parameters made of one id. */
export function idParams<K extends string>(name: K) {
    return Type.Object({ [name]: Id } as { [P in K]: typeof Id }, { additionalProperties: false });
}

/** The response declaration of a write. */
export function writeResponse(status: 200 | 201, description: string, schema: TSchema) {
    return { [status]: { description: `${description}; X-Transaction-Id names the transaction`, schema } };
}
