/**
 * Shipments: open (public facts on the channel, prices only in transient `commercial`), read, list by status or
 * party with cursors (the chaincode's bookmark), the commercial view for the organisations allowed, cancel.
 */
import { Type } from '@sinclair/typebox';
import { ApiError } from '../errors';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import { SHIPMENT_STATUSES } from '../../../chaincode/src/lifecycle';
import { type TradeDeps, ok, query, submit, transient, written } from './chaincode';
import { Cursor, Limit, readPage } from './queues';
import {
    Amount, Country, Currency, HsCode, Id, Label, Incoterm, Locode, Money, Party, PositiveInt, ShortText, idParams, requireMoney, writeResponse,
} from './schemas';
import { CommercialSchema, ShipmentPageSchema, ShipmentSchema, ShipmentViewSchema } from './records';

const GoodsLine = Type.Object({
    lineNo: Type.Integer({ minimum: 1, maximum: 9999 }),
    description: Label(512),
    hsCode: HsCode,
    quantity: PositiveInt,
    unitOfMeasure: Label(16),
    packages: PositiveInt,
    packageType: Label(32),
    grossWeightKg: Amount,
    netWeightKg: Amount,
}, { additionalProperties: false });

// A unit price may be finer than the currency's minor unit (0.0045 USD a piece); a line's value is money.
const CommercialLine = Type.Object({ lineNo: Type.Integer({ minimum: 1, maximum: 9999 }), unitPrice: Amount, value: Money }, { additionalProperties: false });

const OpenShipmentBody = Type.Object({
    shipmentId: Id,
    exporterReference: ShortText,
    exporter: Party,
    consignee: Party,
    notifyParty: Type.Optional(Party),
    carrier: Type.Object({ mspId: Type.Literal('CarrierMSP'), name: ShortText }, { additionalProperties: false }),
    bank: Type.Object({ mspId: Type.Literal('BankMSP'), name: ShortText }, { additionalProperties: false }),
    incoterm: Incoterm,
    currency: Currency,
    portOfLoading: Locode,
    portOfDischarge: Locode,
    countryOfOrigin: Country,
    countryOfDestination: Country,
    goods: Type.Array(GoodsLine, { minItems: 1, maxItems: 200 }),
    commercial: Type.Object({
        lines: Type.Array(CommercialLine, { minItems: 1, maxItems: 200 }),
        totalValue: Money,
        currency: Type.Optional(Currency),
    }, { additionalProperties: false, description: 'Prices and total: sent only as transient data, never written to a block' }),
}, { additionalProperties: false });

const ListQuery = Type.Object({
    status: Type.Optional(Type.Union(SHIPMENT_STATUSES.map((s) => Type.Literal(s)))),
    party: Type.Optional(Type.Union([Type.Literal('ExporterMSP'), Type.Literal('CarrierMSP'), Type.Literal('BankMSP')], { description: 'Organisation taking part' })),
    limit: Type.Optional(Limit),
    cursor: Type.Optional(Cursor),
}, { additionalProperties: false });

const ShipmentRecord = ShipmentSchema;
const Params = idParams('shipmentId');

export function shipmentOperations(deps: TradeDeps): AnyOperation[] {
    return [
        defineOperation({
            method: 'post', path: '/api/v1/shipments', operationId: 'openShipment', tags: ['shipments'], access: 'user',
            summary: 'Open a shipment (exporter, forwarder); commercial values travel as transient data only',
            body: OpenShipmentBody,
            responses: writeResponse(201, 'Opened', ShipmentRecord),
            async handle(context) {
                const { shipmentId, commercial, ...shipment } = context.body;
                commercial.lines.forEach((line, i) => requireMoney(`commercial.lines.${i}.value`, line.value, shipment.currency));
                requireMoney('commercial.totalValue', commercial.totalValue, shipment.currency);
                const result = await submit(deps, callerOf(context).name, 'shipment:openShipment', {
                    arguments: [shipmentId, JSON.stringify(shipment)],
                    transientData: transient({ commercial }),
                });
                return written(result, 201, `/api/v1/shipments/${encodeURIComponent(shipmentId)}`);
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/shipments', operationId: 'listShipments', tags: ['shipments'], access: 'user',
            summary: 'One page of shipments by status or by party (exactly one of them); follow nextCursor for the next page',
            query: ListQuery,
            responses: { 200: { description: 'A page', schema: ShipmentPageSchema } },
            async handle(context) {
                const { status, party, cursor } = context.query;
                const limit = context.query.limit ?? Limit.default;
                if ((status === undefined) === (party === undefined)) {
                    throw new ApiError('INVALID_ARGUMENT', 'query must name exactly one of status or party');
                }
                const [fn, filter] = status !== undefined ? ['shipment:queryShipmentsByStatus', status] : ['shipment:queryShipmentsByParty', party!];
                return ok(await readPage(deps, callerOf(context).name, fn, filter, limit, cursor));
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/shipments/{shipmentId}', operationId: 'getShipment', tags: ['shipments'], access: 'user',
            summary: 'A shipment\'s public facts (every member)',
            params: Params,
            responses: { 200: { description: 'The shipment', schema: ShipmentViewSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'shipment:getShipment', [context.params.shipmentId]));
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/shipments/{shipmentId}/commercial', operationId: 'getShipmentCommercial', tags: ['shipments'], access: 'user',
            summary: 'Prices and total (exporter, customs, bank; the carrier is refused)',
            params: Params,
            responses: { 200: { description: 'Commercial values', schema: CommercialSchema } },
            async handle(context) {
                return ok(await query(deps, callerOf(context).name, 'shipment:getShipmentCommercial', [context.params.shipmentId]));
            },
        }),
        defineOperation({
            method: 'post', path: '/api/v1/shipments/{shipmentId}/cancel', operationId: 'cancelShipment', tags: ['shipments'], access: 'user',
            summary: 'Cancel a shipment that has not shipped (exporter, forwarder)',
            params: Params,
            responses: writeResponse(200, 'Cancelled', ShipmentRecord),
            async handle(context) {
                return written(await submit(deps, callerOf(context).name, 'shipment:cancelShipment', { arguments: [context.params.shipmentId] }));
            },
        }),
    ];
}
