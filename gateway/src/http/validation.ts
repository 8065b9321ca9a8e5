/**
 * Request validation with Ajv 8 against the operations' TypeBox schemas (the same schemas /openapi.json publishes).
 * Bodies are checked as sent; path and query strings are coerced to the declared types, as HTTP carries only text.
 */
import type { TSchema } from '@sinclair/typebox';
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { hasVisibleCharacter } from '../../../chaincode/src/characters';
import { ApiError } from '../errors';

/**
 * Format of free text that must show something: not only spaces or invisible characters (zero-width space and
 * joiners, word joiner, BOM, Hangul fillers, ...). The same rule as the chaincode's, from the same module.
 */
export const VISIBLE_TEXT = 'visible-text';

/** What a failed format means, in words (Ajv would say 'must match format "visible-text"'). */
const FORMAT_MESSAGES: Readonly<Record<string, string>> = {
    [VISIBLE_TEXT]: 'must contain a visible character, not only spaces or invisible characters such as zero-width spaces',
};

function newAjv(coerceTypes: boolean): Ajv {
    const ajv = new Ajv({ coerceTypes, useDefaults: coerceTypes, allErrors: false, strict: true });
    addFormats(ajv);
    ajv.addFormat(VISIBLE_TEXT, { type: 'string', validate: hasVisibleCharacter });
    return ajv;
}

const bodies = newAjv(false);
const strings = newAjv(true);

export type Validator = (value: unknown) => unknown;

/** Compiles once; the returned function throws INVALID_ARGUMENT naming the first offending field. */
export function compileValidator(schema: TSchema, where: 'body' | 'path' | 'query'): Validator {
    const validate: ValidateFunction = (where === 'body' ? bodies : strings).compile(schema);
    return (value) => {
        if (!validate(value)) {
            throw new ApiError('INVALID_ARGUMENT', describe(where, validate.errors?.[0]));
        }
        return value;
    };
}

/**
 * Checks an answer against a response schema as /openapi.json publishes it, its `#/components/schemas/...` references
 * resolved in `components`: how a client (the typed-client integration test) holds the server to its contract. Not
 * strict, as published schemas carry annotations (examples, x-component) Ajv does not know. Returns the problems, or
 * undefined when the answer conforms.
 */
export function compileAnswerCheck(schema: object, components: object): (answer: unknown) => string | undefined {
    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addFormat(VISIBLE_TEXT, { type: 'string', validate: hasVisibleCharacter });
    const validate = ajv.compile({ ...schema, components });
    return (answer) => (validate(answer) ? undefined : ajv.errorsText(validate.errors));
}

function describe(where: string, error: ErrorObject | undefined): string {
    if (!error) {
        return `the ${where} is not valid`;
    }
    const field = error.instancePath ? `${where} field ${error.instancePath.slice(1).replace(/\//g, '.')}` : where;
    if (error.keyword === 'additionalProperties') {
        return `${field} has an unknown field ${String((error.params as { additionalProperty: string }).additionalProperty)}`;
    }
    if (error.keyword === 'format') {
        const message = FORMAT_MESSAGES[String((error.params as { format: string }).format)];
        if (message) {
            return `${field} ${message}`;
        }
    }
    if (error.keyword === 'required') {
        return `${field} is missing required field ${String((error.params as { missingProperty: string }).missingProperty)}`;
    }
    return `${field} ${error.message ?? 'is not valid'}`;
}
