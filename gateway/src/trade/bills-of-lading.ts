/**
 * Electronic bills of lading (DCSA eBL 3.0 / PINT): draft and the shipper's approval, issue, transfer, endorse,
 * surrender, accept or reject a surrender, amend, void, read, transfer log.
 *
 * Endorsers are left to the peer gateway. A B/L key carries a state-based policy (its holder's and carrier's peers,
 * never one organisation); the endorsing peer puts that policy into the transaction's chaincode interest and the peer
 * gateway plans the endorsements from it (test/integration/endorsement.test.ts checks every B/L action in the
 * blocks). A holder change in the same block that moves the policy under a transaction is retried where read
 * conflicts are (fabric/fabric-ledger.ts).
 */
import { Type } from '@sinclair/typebox';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { TRANSPORT_DOCUMENT_STATUSES } from '../../../chaincode/src/lifecycle';
import { type TradeDeps, ok, query, submit, written } from './chaincode';
import { queueOperation } from './queues';
import { moveBillOfLadingWatched } from './risk';
import {
    Amount, ContainerNumber, HolderMsp, HsCode, Id, Label, IsoDate, Locode, Party, PositiveInt, ReasonBody, Sha256, ShortText, Text, idParams, writeResponse,
} from './schemas';
import { BillOfLadingDraftViewSchema, BillOfLadingSchema, BillOfLadingViewSchema, TransferLogSchema } from './records';

const ConsignmentItem = Type.Object({
    descriptionOfGoods: Text,
    hsCodes: Type.Array(HsCode, { minItems: 1, maxItems: 20 }),
    numberOfPackages: PositiveInt,
    packageCode: Label(8),
    grossWeightKg: Amount,
}, { additionalProperties: false });

/** What the carrier states on a B/L (issue and amendment). */
const BillOfLadingContent = {
    transportDocumentTypeCode: Type.Union([Type.Literal('BOL'), Type.Literal('SWB')]),
    isToOrder: Type.Boolean(),
    shipper: Party,
    consignee: Type.Optional(Party),
    notifyParty: Type.Optional(Party),
    carrierCode: Type.String({ pattern: '^[A-Z]{2,4}$', description: 'SCAC' }),
    placeOfReceipt: Type.Optional(Locode),
    portOfLoading: Locode,
    portOfDischarge: Locode,
    placeOfDelivery: Type.Optional(Locode),
    vesselName: Label(64),
    carrierExportVoyageNumber: Label(32),
    shippedOnBoardDate: Type.Optional({ ...IsoDate, description: 'A shipped B/L: the on-board date. Exactly one of this and receivedForShipmentDate' }),
    receivedForShipmentDate: Type.Optional({ ...IsoDate, description: 'A received-for-shipment B/L: the date the carrier took charge of the goods' }),
    consignmentItems: Type.Array(ConsignmentItem, { minItems: 1, maxItems: 100 }),
    equipmentReferences: Type.Optional(Type.Array(ContainerNumber, { minItems: 1, maxItems: 100 })),
    clauses: Type.Optional(Type.Array(Text, { minItems: 1, maxItems: 20 })),
    documentSha256: Type.Optional(Sha256),
};

const IssueBody = Type.Object({ transportDocumentReference: Id, shipmentId: Id, ...BillOfLadingContent }, { additionalProperties: false });
const AmendBody = Type.Object(BillOfLadingContent, { additionalProperties: false });
const ApproveDraftBody = Type.Object({ documentChecksum: Sha256 }, { additionalProperties: false, description: 'The checksum of the draft revision the shipper reviewed' });
const TransferBody = Type.Object({ toMspId: HolderMsp }, { additionalProperties: false });
const EndorseBody = Type.Object({ mspId: HolderMsp, name: ShortText }, { additionalProperties: false, description: 'The endorsee' });
const SurrenderBody = Type.Object({ purpose: Type.Union([Type.Literal('DELIVERY'), Type.Literal('AMENDMENT')]) }, { additionalProperties: false });

const BillOfLadingRecord = BillOfLadingSchema;
const Params = idParams('transportDocumentReference');
const base = '/api/v1/bills-of-lading';

type Action = Readonly<{ path: string; operationId: string; summary: string; fn: string }>;

export function billOfLadingOperations(deps: TradeDeps): AnyOperation[] {
    /** Submits `fn` on B/L `tdr` as `user`. */
    function change(user: string, tdr: string, fn: string, args: readonly string[] = []) {
        return submit(deps, user, fn, { arguments: [tdr, ...args] });
    }

    /** A holder or carrier action whose only input is `{reason}` or nothing. */
    function simple(action: Action, withReason: boolean): AnyOperation {
        const common = {
            method: 'post', path: `${base}/{transportDocumentReference}/${action.path}`, operationId: action.operationId, tags: ['bills of lading'],
            access: 'user', summary: action.summary, params: Params, responses: writeResponse(200, 'Changed', BillOfLadingRecord),
        } as const;
        return withReason
            ? defineOperation({
                ...common, body: ReasonBody,
                async handle(context) {
                    return written(await change(callerOf(context).name, context.params.transportDocumentReference, action.fn, [context.body.reason]));
                },
            })
            : defineOperation({
                ...common,
                async handle(context) {
                    return written(await change(callerOf(context).name, context.params.transportDocumentReference, action.fn));
                },
            });
    }

    return [
        queueOperation(deps, {
            path: base, operationId: 'listBillsOfLading', tag: 'bills of lading', item: BillOfLadingViewSchema,
            summary: 'One page of the B/Ls in a status, or held by an organisation (exactly one of them); follow nextCursor for the next page',
            status: { values: TRANSPORT_DOCUMENT_STATUSES, fn: 'billOfLading:queryBillsOfLadingByStatus' },
            holder: { values: ['ExporterMSP', 'BankMSP', 'CarrierMSP'], fn: 'billOfLading:queryBillsOfLadingByHolder' },
        }),
        defineOperation({
            method: 'post', path: `${base}/drafts`, operationId: 'draftBillOfLading', tags: ['bills of lading'], access: 'user',
            summary: 'The carrier drafts a B/L (or revises its draft) for the shipper to approve before issue',
            body: IssueBody,
            responses: writeResponse(201, 'Drafted', BillOfLadingDraftViewSchema),
            async handle(context) {
                const { transportDocumentReference, shipmentId, ...content } = context.body;
                const result = await submit(deps, callerOf(context).name, 'billOfLading:draftBillOfLading', {
                    arguments: [transportDocumentReference, shipmentId, JSON.stringify(content)],
                });
                return written(result, 201, `${base}/drafts/${encodeURIComponent(transportDocumentReference)}`);
            },
        }),
        defineOperation({
            method: 'post', path: `${base}/drafts/{transportDocumentReference}/approve`, operationId: 'approveBillOfLadingDraft', tags: ['bills of lading'], access: 'user',
            summary: 'The shipper approves the draft revision it reviewed (named by its checksum); the carrier may then issue exactly that',
            params: Params, body: ApproveDraftBody,
            responses: writeResponse(200, 'Approved', BillOfLadingDraftViewSchema),
            async handle(context) {
                return written(await change(callerOf(context).name, context.params.transportDocumentReference, 'billOfLading:approveDraft', [context.body.documentChecksum]));
            },
        }),
        defineOperation({
            method: 'get', path: `${base}/drafts/{transportDocumentReference}`, operationId: 'getBillOfLadingDraft', tags: ['bills of lading'], access: 'user',
            summary: 'A B/L draft (every member)',
            params: Params,
            responses: { 200: { description: 'The draft', schema: BillOfLadingDraftViewSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'billOfLading:getBillOfLadingDraft', [context.params.transportDocumentReference]));
            },
        }),
        defineOperation({
            method: 'post', path: base, operationId: 'issueBillOfLading', tags: ['bills of lading'], access: 'user',
            summary: 'Issue a B/L for a shipment (the shipment\'s carrier); the shipper\'s organisation becomes the holder. A drafted B/L is issued only as approved',
            body: IssueBody,
            responses: writeResponse(201, 'Issued', BillOfLadingRecord),
            async handle(context) {
                const { transportDocumentReference, shipmentId, ...content } = context.body;
                const result = await submit(deps, callerOf(context).name, 'billOfLading:issueBillOfLading', {
                    arguments: [transportDocumentReference, shipmentId, JSON.stringify(content)],
                });
                return written(result, 201, `${base}/${encodeURIComponent(transportDocumentReference)}`);
            },
        }),
        defineOperation({
            method: 'post', path: `${base}/{transportDocumentReference}/transfer`, operationId: 'transferBillOfLading', tags: ['bills of lading'], access: 'user',
            summary: 'The holder hands the B/L to another organisation (exporter or bank)',
            params: Params, body: TransferBody,
            responses: writeResponse(200, 'Transferred', BillOfLadingRecord),
            async handle(context) {
                const [user, tdr] = [callerOf(context).name, context.params.transportDocumentReference];
                return written(await moveBillOfLadingWatched(deps, user, context.log, tdr, 'TRANSFER', () => change(user, tdr, 'billOfLading:transferBillOfLading', [context.body.toMspId])));
            },
        }),
        defineOperation({
            method: 'post', path: `${base}/{transportDocumentReference}/endorse`, operationId: 'endorseBillOfLading', tags: ['bills of lading'], access: 'user',
            summary: 'The holder of a to-order B/L endorses it to a named endorsee, who becomes the holder',
            params: Params, body: EndorseBody,
            responses: writeResponse(200, 'Endorsed', BillOfLadingRecord),
            async handle(context) {
                const [user, tdr] = [callerOf(context).name, context.params.transportDocumentReference];
                return written(await moveBillOfLadingWatched(deps, user, context.log, tdr, 'ENDORSE', () => change(user, tdr, 'billOfLading:endorseBillOfLading', [JSON.stringify(context.body)])));
            },
        }),
        defineOperation({
            method: 'post', path: `${base}/{transportDocumentReference}/surrender`, operationId: 'surrenderBillOfLading', tags: ['bills of lading'], access: 'user',
            summary: 'The holder surrenders the B/L to the carrier, for delivery of the goods or for amendment',
            params: Params, body: SurrenderBody,
            responses: writeResponse(200, 'Surrender pending', BillOfLadingRecord),
            async handle(context) {
                const fn = context.body.purpose === 'DELIVERY' ? 'billOfLading:surrenderForDelivery' : 'billOfLading:surrenderForAmendment';
                return written(await change(callerOf(context).name, context.params.transportDocumentReference, fn));
            },
        }),
        simple({ path: 'surrender/accept', operationId: 'acceptSurrender', summary: 'The carrier accepts a pending surrender (SACC)', fn: 'billOfLading:acceptSurrender' }, false),
        simple({ path: 'surrender/reject', operationId: 'rejectSurrender', summary: 'The carrier rejects a pending surrender (SREJ); control returns', fn: 'billOfLading:rejectSurrender' }, true),
        defineOperation({
            method: 'post', path: `${base}/{transportDocumentReference}/amend`, operationId: 'amendBillOfLading', tags: ['bills of lading'], access: 'user',
            summary: 'After a surrender for amendment, the carrier issues the amended version',
            params: Params, body: AmendBody,
            responses: writeResponse(200, 'Amended', BillOfLadingRecord),
            async handle(context) {
                return written(await change(callerOf(context).name, context.params.transportDocumentReference, 'billOfLading:amendBillOfLading', [JSON.stringify(context.body)]));
            },
        }),
        simple({ path: 'void', operationId: 'voidBillOfLading', summary: 'The carrier voids a B/L surrendered to it for amendment (terminal)', fn: 'billOfLading:voidBillOfLading' }, true),
        defineOperation({
            method: 'get', path: `${base}/{transportDocumentReference}`, operationId: 'getBillOfLading', tags: ['bills of lading'], access: 'user',
            summary: 'A bill of lading (every member)',
            params: Params,
            responses: { 200: { description: 'The B/L', schema: BillOfLadingViewSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'billOfLading:getBillOfLading', [context.params.transportDocumentReference]));
            },
        }),
        defineOperation({
            method: 'get', path: `${base}/{transportDocumentReference}/transfer-log`, operationId: 'getTransferLog', tags: ['bills of lading'], access: 'user',
            summary: 'The hash-chained transfer log and whether it is intact',
            params: Params,
            responses: { 200: { description: 'The log', schema: TransferLogSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'billOfLading:getTransferLog', [context.params.transportDocumentReference]));
            },
        }),
    ];
}
