/**
 * Electronic bills of lading (DCSA eBL 3.0 / PINT): issue, transfer, endorse, surrender, accept or reject a
 * surrender, amend, void, read, transfer log.
 *
 * Every write after issue goes to the peers the B/L key's state-based endorsement policy names (holder organisation
 * AND carrier). The peer gateway's discovery only knows the chaincode-level policy, so left to itself it may pick
 * two organisations that do not include the holder, and the transaction would fail validation. The B/L is read
 * first and the endorsers passed explicitly.
 */
import { Type } from '@sinclair/typebox';
import { ApiError } from '../errors';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { type TradeDeps, ok, query, submit, written } from './chaincode';
import {
    Amount, ContainerNumber, HolderMsp, HsCode, Id, Label, IsoDate, Locode, Party, PositiveInt, ReasonBody, Sha256, ShortText, Text, idParams, record, writeResponse,
} from './schemas';

/** The B/L fields the endorsement rule needs. */
interface BillOfLadingKeys { holderMspId: string; carrierMspId: string; surrenderedByMspId?: string }

/** Another organisation to satisfy the chaincode-level OutOf(2) policy when holder and carrier are the same. */
const FALLBACK_ENDORSER = 'ExporterMSP';

/**
 * The organisations that must endorse the next change of a B/L: its holder and its carrier (the key-level policy).
 * After a surrender the carrier is also the holder, and one organisation cannot satisfy the chaincode-level
 * OutOf(2) policy on the other keys the transaction writes (log entry, shipment); the organisation that surrendered
 * (or, failing that, the shipper's) is added.
 */
export function blEndorsers(bl: BillOfLadingKeys): string[] {
    const orgs = new Set([bl.holderMspId, bl.carrierMspId]);
    if (orgs.size < 2) {
        orgs.add(bl.surrenderedByMspId !== undefined && !orgs.has(bl.surrenderedByMspId) ? bl.surrenderedByMspId : FALLBACK_ENDORSER);
    }
    return [...orgs];
}

/** Re-endorsements after the B/L's key policy moved under a transaction. */
const POLICY_RETRIES = 2;

function isPolicyFailure(err: unknown): err is ApiError {
    return err instanceof ApiError && err.code === 'TRANSACTION_INVALID' && err.detail.includes('(ENDORSEMENT_POLICY_FAILURE)');
}

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
    portOfLoading: Locode,
    portOfDischarge: Locode,
    vesselName: Label(64),
    carrierExportVoyageNumber: Label(32),
    shippedOnBoardDate: IsoDate,
    consignmentItems: Type.Array(ConsignmentItem, { minItems: 1, maxItems: 100 }),
    equipmentReferences: Type.Optional(Type.Array(ContainerNumber, { minItems: 1, maxItems: 100 })),
    clauses: Type.Optional(Type.Array(Text, { minItems: 1, maxItems: 20 })),
    documentSha256: Type.Optional(Sha256),
};

const IssueBody = Type.Object({ transportDocumentReference: Id, shipmentId: Id, ...BillOfLadingContent }, { additionalProperties: false });
const AmendBody = Type.Object(BillOfLadingContent, { additionalProperties: false });
const TransferBody = Type.Object({ toMspId: HolderMsp }, { additionalProperties: false });
const EndorseBody = Type.Object({ mspId: HolderMsp, name: ShortText }, { additionalProperties: false, description: 'The endorsee' });
const SurrenderBody = Type.Object({ purpose: Type.Union([Type.Literal('DELIVERY'), Type.Literal('AMENDMENT')]) }, { additionalProperties: false });

const BillOfLadingRecord = record('A bill of lading', { transportDocumentReference: Id, transportDocumentStatus: Type.String(), holderMspId: Type.String() });
const TransferLog = record('The transfer log, oldest first, and whether its hash chain is intact', { entries: Type.Array(record('A transfer log entry')), intact: Type.Boolean() });
const Params = idParams('transportDocumentReference');
const base = '/api/v1/bills-of-lading';

type Action = Readonly<{ path: string; operationId: string; summary: string; fn: string }>;

export function billOfLadingOperations(deps: TradeDeps): AnyOperation[] {
    /** Reads the B/L as the caller, then submits `fn` endorsed by the organisations its key policy requires. */
    async function change(user: string, tdr: string, fn: string, args: readonly string[] = []) {
        const read = (): Promise<BillOfLadingKeys> => query<BillOfLadingKeys>(deps, user, 'billOfLading:getBillOfLading', [tdr]);
        let bl = await read();
        for (let attempt = 0; ; attempt++) {
            try {
                return await submit(deps, user, fn, { arguments: [tdr, ...args], endorsingOrganizations: blEndorsers(bl) });
            } catch (err) {
                // A concurrent change of holder in the same block moves the key's policy under this transaction:
                // the peers invalidate it for its endorsements, not as an MVCC conflict. Nothing was written; when the
                // B/L did change, endorse again on its new state (the contract then judges that state).
                if (!isPolicyFailure(err)) {
                    throw err;
                }
                const now = await read();
                if (JSON.stringify(now) === JSON.stringify(bl)) {
                    throw err;
                }
                if (attempt >= POLICY_RETRIES) {
                    throw new ApiError('CONFLICT', `bill of lading ${tdr} changed hands concurrently; retry the request`, { transactionId: err.transactionId });
                }
                bl = now;
            }
        }
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
        defineOperation({
            method: 'post', path: base, operationId: 'issueBillOfLading', tags: ['bills of lading'], access: 'user',
            summary: 'Issue a B/L for a shipment (the shipment\'s carrier); the shipper\'s organisation becomes the holder',
            body: IssueBody,
            responses: writeResponse(201, 'Issued', BillOfLadingRecord),
            async handle(context) {
                const { transportDocumentReference, shipmentId, ...content } = context.body;
                // No key policy exists before issue: discovery's choice under the chaincode policy is the right one.
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
                return written(await change(callerOf(context).name, context.params.transportDocumentReference, 'billOfLading:transferBillOfLading', [context.body.toMspId]));
            },
        }),
        defineOperation({
            method: 'post', path: `${base}/{transportDocumentReference}/endorse`, operationId: 'endorseBillOfLading', tags: ['bills of lading'], access: 'user',
            summary: 'The holder of a to-order B/L endorses it to a named endorsee, who becomes the holder',
            params: Params, body: EndorseBody,
            responses: writeResponse(200, 'Endorsed', BillOfLadingRecord),
            async handle(context) {
                return written(await change(callerOf(context).name, context.params.transportDocumentReference, 'billOfLading:endorseBillOfLading', [JSON.stringify(context.body)]));
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
        simple({ path: 'void', operationId: 'voidBillOfLading', summary: 'The carrier voids a B/L it controls (terminal)', fn: 'billOfLading:voidBillOfLading' }, true),
        defineOperation({
            method: 'get', path: `${base}/{transportDocumentReference}`, operationId: 'getBillOfLading', tags: ['bills of lading'], access: 'user',
            summary: 'A bill of lading (every member)',
            params: Params,
            responses: { 200: { description: 'The B/L', schema: BillOfLadingRecord } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'billOfLading:getBillOfLading', [context.params.transportDocumentReference]));
            },
        }),
        defineOperation({
            method: 'get', path: `${base}/{transportDocumentReference}/transfer-log`, operationId: 'getTransferLog', tags: ['bills of lading'], access: 'user',
            summary: 'The hash-chained transfer log and whether it is intact',
            params: Params,
            responses: { 200: { description: 'The log', schema: TransferLog } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'billOfLading:getTransferLog', [context.params.transportDocumentReference]));
            },
        }),
    ];
}
