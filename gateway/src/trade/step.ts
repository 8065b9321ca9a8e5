/**
 * The most common trade operation: POST `<record>/{id}/<action>`, whose transaction takes the record id and then
 * arguments drawn from a validated body. Declared once here so each resource lists its steps as data.
 */
import type { Static, TSchema, TUnknown } from '@sinclair/typebox';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { type TradeDeps, submit, written } from './chaincode';
import { idParams, writeResponse } from './schemas';

export interface StepSpec<B extends TSchema> {
    /** Path template with exactly one parameter, `param`. */
    readonly path: string;
    readonly param: string;
    readonly operationId: string;
    readonly summary: string;
    readonly tags: readonly string[];
    /** `<contract>:<fn>`. */
    readonly fn: string;
    readonly body?: B;
    /** Arguments after the record id. */
    readonly args?: (body: Static<B>) => string[];
    readonly response: TSchema;
}

export function step<B extends TSchema = TUnknown>(deps: TradeDeps, spec: StepSpec<B>): AnyOperation {
    return defineOperation({
        method: 'post', path: spec.path, operationId: spec.operationId, tags: spec.tags, access: 'user', summary: spec.summary,
        params: idParams(spec.param), body: spec.body,
        responses: writeResponse(200, 'Changed', spec.response),
        async handle(context) {
            const id = context.params[spec.param]!;
            const args = [id, ...(spec.args?.(context.body) ?? [])];
            return written(await submit(deps, callerOf(context).name, spec.fn, { arguments: args }));
        },
    });
}
