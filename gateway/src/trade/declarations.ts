/**
 * Export declarations (WCO data model, UK CDS statuses). The declaration's details (parties, items, customs values)
 * travel only in transient `declaration`; customs' risk notes only in transient `riskNote`. Which declaration customs
 * finds risky is its own intelligence, and every member reads the blocks: no argument, answer or event names it, the
 * transaction reads no public key, and the note's id is drawn here at random (its key's hash is in the block).
 */
import { type Static, Type } from '@sinclair/typebox';
import { randomBytes } from 'node:crypto';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { DECLARATION_STATUSES } from '../../../chaincode/src/lifecycle';
import { type TradeDeps, ok, query, submit, submitQuietly, transient, written } from './chaincode';
import { queueOperation } from './queues';
import { step } from './step';
import {
    Amount, ContainerNumber, Country, Currency, HsCode, Id, Label, Incoterm, Money, Party, PositiveInt, ReasonBody, ShortText, Text, idParams,
    requireMoney, writeResponse,
} from './schemas';
import { DeclarationDetailsSchema, DeclarationSchema, DeclarationViewSchema, RiskNoteSchema } from './records';

const DeclarationItem = Type.Object({
    itemNo: Type.Integer({ minimum: 1, maximum: 999 }),
    hsCode: HsCode,
    description: Text,
    countryOfOrigin: Country,
    preferentialOriginClaim: Type.Optional(Label(16)),
    customsValue: Money,
    grossMassKg: Amount,
    netMassKg: Amount,
    packages: PositiveInt,
    containerNumbers: Type.Optional(Type.Array(ContainerNumber, { minItems: 1, maxItems: 50 })),
}, { additionalProperties: false });

/** The private details (chaincode declaration-contract.ts `details`). */
const DeclarationDetails = Type.Object({
    declarant: Party,
    exporter: Party,
    consignee: Party,
    countryOfDestination: Country,
    incoterm: Incoterm,
    currency: Currency,
    transportDocumentReference: Type.Optional(Id),
    supportingDocumentIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 50 })),
    items: Type.Array(DeclarationItem, { minItems: 1, maxItems: 999 }),
}, { additionalProperties: false, description: 'Sent only as transient data' });

const LodgeBody = Type.Object({
    declarationId: Id,
    shipmentId: Id,
    declarationType: Type.String({ pattern: '^EX[A-Z]?$', description: 'EX, optionally with a letter (EXA, EXD, ...)' }),
    lrn: Id,
    details: DeclarationDetails,
}, { additionalProperties: false });

const AmendBody = Type.Object({ details: DeclarationDetails }, { additionalProperties: false });
const AcceptBody = Type.Object({ mrn: Type.String({ pattern: '^[0-9]{2}[A-Z]{2}[A-Z0-9]{14}$', description: 'Movement Reference Number' }) }, { additionalProperties: false });
const ControlBody = Type.Object({ controlType: Type.Union([Type.Literal('DOCUMENTARY'), Type.Literal('PHYSICAL')]) }, { additionalProperties: false });
const RequestDocumentsBody = Type.Object({ documents: Type.Array(ShortText, { minItems: 1, maxItems: 20, description: 'What customs asks for' }) }, { additionalProperties: false });
const ProvideDocumentsBody = Type.Object({ documentIds: Type.Array(Id, { minItems: 1, maxItems: 20 }) }, { additionalProperties: false });
const RiskNoteBody = Type.Object({
    riskLevel: Type.Union([Type.Literal('LOW'), Type.Literal('MEDIUM'), Type.Literal('HIGH')]),
    text: Label(4000),
}, { additionalProperties: false });

type Details = Static<typeof DeclarationDetails>;

/** Customs values are money in the declaration's currency. */
function checkDetails(details: Details): Details {
    details.items.forEach((item, i) => requireMoney(`details.items.${i}.customsValue`, item.customsValue, details.currency));
    return details;
}

const DeclarationRecord = DeclarationSchema;
const Params = idParams('declarationId');
const base = '/api/v1/declarations';

export function declarationOperations(deps: TradeDeps): AnyOperation[] {
    const at = (path: string, operationId: string, summary: string, fn: string) => ({
        path: `${base}/{declarationId}/${path}`, param: 'declarationId', operationId, summary, tags: ['declarations'], fn, response: DeclarationRecord,
    });

    return [
        queueOperation(deps, {
            path: base, operationId: 'listDeclarations', tag: 'declarations', item: DeclarationViewSchema,
            summary: 'One page of the declarations in a status (customs\' work queue); follow nextCursor for the next page',
            status: { values: DECLARATION_STATUSES, fn: 'declaration:queryDeclarationsByStatus' },
        }),
        defineOperation({
            method: 'post', path: base, operationId: 'lodgeDeclaration', tags: ['declarations'], access: 'user',
            summary: 'Lodge an export declaration (exporter, forwarder); details travel as transient data only',
            body: LodgeBody,
            responses: writeResponse(201, 'Lodged', DeclarationRecord),
            async handle(context) {
                const { declarationId, shipmentId, declarationType, lrn, details } = context.body;
                const result = await submit(deps, callerOf(context).name, 'declaration:lodgeDeclaration', {
                    arguments: [declarationId, shipmentId, JSON.stringify({ declarationType, lrn })],
                    transientData: transient({ declaration: checkDetails(details) }),
                });
                return written(result, 201, `${base}/${encodeURIComponent(declarationId)}`);
            },
        }),
        defineOperation({
            method: 'post', path: `${base}/{declarationId}/amend`, operationId: 'amendDeclaration', tags: ['declarations'], access: 'user',
            summary: 'Amend before release (exporter, forwarder): a new version of the details, to be accepted again',
            params: Params, body: AmendBody,
            responses: writeResponse(200, 'Amended', DeclarationRecord),
            async handle(context) {
                return written(await submit(deps, callerOf(context).name, 'declaration:amendDeclaration', {
                    arguments: [context.params.declarationId], transientData: transient({ declaration: checkDetails(context.body.details) }),
                }));
            },
        }),
        step(deps, { ...at('cancel', 'cancelDeclaration', 'Withdraw before release (exporter, forwarder; terminal)', 'declaration:cancelDeclaration'),
            body: ReasonBody, args: (b) => [b.reason] }),
        step(deps, { ...at('accept', 'acceptDeclaration', 'Accept and assign the MRN (customs)', 'declaration:acceptDeclaration'),
            body: AcceptBody, args: (b) => [b.mrn] }),
        step(deps, { ...at('control', 'placeUnderControl', 'Place under documentary or physical control (customs)', 'declaration:placeUnderControl'),
            body: ControlBody, args: (b) => [b.controlType] }),
        step(deps, { ...at('request-documents', 'requestAdditionalDocuments', 'Ask for more documents during control (customs)', 'declaration:requestAdditionalDocuments'),
            body: RequestDocumentsBody, args: (b) => [JSON.stringify({ documents: b.documents })] }),
        step(deps, { ...at('provide-documents', 'provideAdditionalDocuments', 'Answer with registered documents (exporter, forwarder)', 'declaration:provideAdditionalDocuments'),
            body: ProvideDocumentsBody, args: (b) => [JSON.stringify(b.documentIds)] }),
        step(deps, at('release', 'releaseDeclaration', 'Release the goods for export (customs supervisor)', 'declaration:releaseDeclaration')),
        step(deps, { ...at('reject', 'rejectDeclaration', 'Reject the declaration (customs supervisor; terminal)', 'declaration:rejectDeclaration'),
            body: ReasonBody, args: (b) => [b.reason] }),
        defineOperation({
            method: 'post', path: `${base}/{declarationId}/risk-notes`, operationId: 'addRiskNote', tags: ['declarations'], access: 'user',
            summary: 'Record a risk note (customs only): its id is drawn at random; nothing of it reaches a block in clear',
            params: Params, body: RiskNoteBody,
            responses: writeResponse(201, 'Recorded', Type.Object({ declarationId: Id, noteId: Id }, { description: 'The note\'s ids' })),
            async handle(context) {
                const user = callerOf(context).name;
                const { declarationId } = context.params;
                // Checked here: the chaincode must not read the declaration's key (it would be in clear in the
                // transaction's read set). Declarations are never deleted, so the answer cannot go stale.
                await query(deps, user, 'declaration:getDeclaration', [declarationId]);
                const noteId = randomBytes(16).toString('hex');
                const { transactionId } = await submitQuietly(deps, user, 'declaration:addRiskNote', {
                    transientData: transient({ riskNote: { declarationId, noteId, ...context.body } }),
                });
                return {
                    status: 201, body: { declarationId, noteId },
                    headers: { 'X-Transaction-Id': transactionId, Location: `${base}/${encodeURIComponent(declarationId)}/risk-notes/${noteId}` },
                };
            },
        }),
        defineOperation({
            method: 'get', path: `${base}/{declarationId}/risk-notes/{noteId}`, operationId: 'getRiskNote', tags: ['declarations'], access: 'user',
            summary: 'One risk note (customs only)',
            params: Type.Object({ declarationId: Id, noteId: Id }, { additionalProperties: false }),
            responses: { 200: { description: 'The note', schema: RiskNoteSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'declaration:getRiskNote', [context.params.declarationId, context.params.noteId]));
            },
        }),
        defineOperation({
            method: 'get', path: `${base}/{declarationId}`, operationId: 'getDeclaration', tags: ['declarations'], access: 'user',
            summary: 'A declaration\'s public part: status, LRN, MRN, summary (every member)',
            params: Params,
            responses: { 200: { description: 'The declaration', schema: DeclarationViewSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'declaration:getDeclaration', [context.params.declarationId]));
            },
        }),
        defineOperation({
            method: 'get', path: `${base}/{declarationId}/versions/{version}/details`, operationId: 'getDeclarationDetails', tags: ['declarations'], access: 'user',
            summary: 'The private details of one version (exporter, customs)',
            params: Type.Object({ declarationId: Id, version: Type.Integer({ minimum: 1, maximum: 999_999 }) }, { additionalProperties: false }),
            responses: { 200: { description: 'The details', schema: DeclarationDetailsSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'declaration:getDeclarationDetails', [context.params.declarationId, String(context.params.version)]));
            },
        }),
    ];
}
