/**
 * Export declarations (WCO data model, UK CDS statuses). The declaration's details (parties, items, customs values)
 * travel only in transient `declaration`; customs' risk notes only in transient `riskNote` (no id in the arguments
 * either: which declaration customs finds risky is its own intelligence).
 */
import { Type } from '@sinclair/typebox';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { type TradeDeps, ok, query, submit, transient, written } from './chaincode';
import { step } from './step';
import {
    Amount, ContainerNumber, Country, Currency, HsCode, Id, Label, Incoterm, Party, PositiveInt, ReasonBody, ShortText, Text, idParams, record, writeResponse,
} from './schemas';

const DeclarationItem = Type.Object({
    itemNo: Type.Integer({ minimum: 1, maximum: 999 }),
    hsCode: HsCode,
    description: Text,
    countryOfOrigin: Country,
    preferentialOriginClaim: Type.Optional(Label(16)),
    customsValue: Amount,
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
    noteId: Id,
    riskLevel: Type.Union([Type.Literal('LOW'), Type.Literal('MEDIUM'), Type.Literal('HIGH')]),
    text: Label(4000),
}, { additionalProperties: false });

const DeclarationRecord = record('A declaration (public part)', { declarationId: Id, status: Type.String() });
const Params = idParams('declarationId');
const base = '/api/v1/declarations';

export function declarationOperations(deps: TradeDeps): AnyOperation[] {
    const at = (path: string, operationId: string, summary: string, fn: string) => ({
        path: `${base}/{declarationId}/${path}`, param: 'declarationId', operationId, summary, tags: ['declarations'], fn, response: DeclarationRecord,
    });

    return [
        defineOperation({
            method: 'post', path: base, operationId: 'lodgeDeclaration', tags: ['declarations'], access: 'user',
            summary: 'Lodge an export declaration (exporter, forwarder); details travel as transient data only',
            body: LodgeBody,
            responses: writeResponse(201, 'Lodged', DeclarationRecord),
            async handle(context) {
                const { declarationId, shipmentId, declarationType, lrn, details } = context.body;
                const result = await submit(deps, callerOf(context).name, 'declaration:lodgeDeclaration', {
                    arguments: [declarationId, shipmentId, JSON.stringify({ declarationType, lrn })],
                    transientData: transient({ declaration: details }),
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
                    arguments: [context.params.declarationId], transientData: transient({ declaration: context.body.details }),
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
            summary: 'Record a risk note (customs only); everything travels as transient data and no event is emitted',
            params: Params, body: RiskNoteBody,
            responses: writeResponse(201, 'Recorded', record('The note\'s ids', { declarationId: Id, noteId: Id })),
            async handle(context) {
                const riskNote = { declarationId: context.params.declarationId, ...context.body };
                const result = await submit(deps, callerOf(context).name, 'declaration:addRiskNote', { transientData: transient({ riskNote }) });
                return written(result, 201, `${base}/${encodeURIComponent(riskNote.declarationId)}/risk-notes/${encodeURIComponent(riskNote.noteId)}`);
            },
        }),
        defineOperation({
            method: 'get', path: `${base}/{declarationId}/risk-notes/{noteId}`, operationId: 'getRiskNote', tags: ['declarations'], access: 'user',
            summary: 'One risk note (customs only)',
            params: Type.Object({ declarationId: Id, noteId: Id }, { additionalProperties: false }),
            responses: { 200: { description: 'The note', schema: record('A risk note') } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'declaration:getRiskNote', [context.params.declarationId, context.params.noteId]));
            },
        }),
        defineOperation({
            method: 'get', path: `${base}/{declarationId}`, operationId: 'getDeclaration', tags: ['declarations'], access: 'user',
            summary: 'A declaration\'s public part: status, LRN, MRN, summary (every member)',
            params: Params,
            responses: { 200: { description: 'The declaration', schema: DeclarationRecord } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'declaration:getDeclaration', [context.params.declarationId]));
            },
        }),
        defineOperation({
            method: 'get', path: `${base}/{declarationId}/versions/{version}/details`, operationId: 'getDeclarationDetails', tags: ['declarations'], access: 'user',
            summary: 'The private details of one version (exporter, customs)',
            params: Type.Object({ declarationId: Id, version: Type.Integer({ minimum: 1, maximum: 999_999 }) }, { additionalProperties: false }),
            responses: { 200: { description: 'The details', schema: record('Declaration details') } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'declaration:getDeclarationDetails', [context.params.declarationId, String(context.params.version)]));
            },
        }),
    ];
}
