import './quiet-logs';
import assert from 'node:assert/strict';
import { COMMERCIAL_COLLECTION } from '../../../chaincode/src/shipment-contract';
import { rejectsWith } from './expect-error';
import { BANK_APPROVER, CARRIER, CUSTOMS, EXPORTER, FORWARDER, Ledger, compositeKey } from './fake-context';
import { COMMERCIAL, commercialJson, shipmentJson, uid } from './fixtures';
import { openShipment, shipments } from './scenario';

describe('ShipmentContract', () => {
    let ledger: Ledger;
    beforeEach(() => { ledger = new Ledger(); });

    describe('openShipment', () => {
        it('by the exporter, stores public facts on the channel and prices only in ExporterCustomsBankCollection', async () => {
            const id = uid('SHP');
            const shipment = await openShipment(ledger, id);
            assert.equal(shipment['status'], 'OPEN');
            assert.equal((shipment['openedBy'] as Record<string, unknown>)['mspId'], 'ExporterMSP');
            assert.equal((shipment['openedBy'] as Record<string, unknown>)['at'], '2026-03-02T09:00:00.000Z');
            const stored = ledger.getPrivateJson(COMMERCIAL_COLLECTION, compositeKey('shipmentCommercial', [id]));
            assert.match(String(stored?.['salt']), /^[0-9a-f]{64}$/);
            assert.deepEqual({ ...stored, salt: undefined }, { shipmentId: id, currency: 'USD', lines: COMMERCIAL.lines, totalValue: '19000.00', salt: undefined });
            for (const written of ledger.publicWrites) {
                assert.ok(!written.includes('19000') && !written.includes('unitPrice'), `private value on the channel: ${written}`);
            }
            assert.match(String(shipment['commercialHash']), /^[0-9a-f]{64}$/);
        });

        it('emits exactly one event with identifiers and status, no private value', async () => {
            const id = uid('SHP');
            await openShipment(ledger, id);
            assert.deepEqual(ledger.events, [{ name: 'ShipmentOpened', payload: { type: 'ShipmentOpened', record: 'shipment', id, shipmentId: id, status: 'OPEN', txId: 'tx1' } }]);
        });

        it('writes identical bytes whatever the key order of the input (deterministic JSON)', async () => {
            const a = new Ledger();
            const b = new Ledger();
            // Every endorser gets the same transient map, salt included.
            const transient = { commercial: commercialJson(), salt: 'ab'.repeat(32) };
            await a.invoke(EXPORTER, (ctx) => shipments.openShipment(ctx, 'SHP-X', shipmentJson()), { transient });
            const reversed = JSON.stringify(Object.fromEntries(Object.entries(JSON.parse(shipmentJson()) as object).reverse()));
            await b.invoke(EXPORTER, (ctx) => shipments.openShipment(ctx, 'SHP-X', reversed), { transient });
            assert.deepEqual([...a.state.entries()], [...b.state.entries()]);
            assert.deepEqual([...(a.privateData.get(COMMERCIAL_COLLECTION) ?? [])], [...(b.privateData.get(COMMERCIAL_COLLECTION) ?? [])]);
        });

        it('by a forwarder is allowed', async () => {
            assert.equal((await openShipment(ledger, uid('SHP'), FORWARDER))['status'], 'OPEN');
        });

        it('by the carrier, customs or the bank is refused', async () => {
            for (const who of [CARRIER, CUSTOMS, BANK_APPROVER]) {
                await rejectsWith(openShipment(ledger, uid('SHP'), who), 'FORBIDDEN', 'shipment.open');
            }
        });

        it('twice with the same id is refused with ALREADY_EXISTS', async () => {
            const id = uid('SHP');
            await openShipment(ledger, id);
            await rejectsWith(openShipment(ledger, id), 'ALREADY_EXISTS', `shipment ${id} exists`);
        });

        it('through a peer outside ExporterCustomsBankCollection is refused', async () => {
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => shipments.openShipment(ctx, uid('SHP'), shipmentJson()),
                { transient: { commercial: commercialJson() }, peerMspId: 'CarrierMSP' }), 'FORBIDDEN', "must be written through a member's peer, not CarrierMSP");
            assert.equal(ledger.state.size, 0);
        });

        it('without transient commercial values is refused, naming the transient field', async () => {
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => shipments.openShipment(ctx, uid('SHP'), shipmentJson())),
                'INVALID_ARGUMENT', 'transient commercial is required');
        });

        it('with a total that is not the sum of the lines is refused', async () => {
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => shipments.openShipment(ctx, uid('SHP'), shipmentJson()),
                { transient: { commercial: commercialJson({ totalValue: '19000.01' }) } }), 'INVALID_ARGUMENT', 'commercial.totalValue must equal');
        });

        it('with line values or a total finer than the currency\'s minor unit, or a currency that is not money, is refused', async () => {
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => shipments.openShipment(ctx, uid('SHP'), shipmentJson()),
                { transient: { commercial: commercialJson({ lines: [{ lineNo: 1, unitPrice: '4.5', value: '9000.001' }, COMMERCIAL.lines[1]], totalValue: '19000.001' }) } }),
            'INVALID_ARGUMENT', 'commercial.lines[0].value must have at most 2 decimals for USD');
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => shipments.openShipment(ctx, uid('SHP'), shipmentJson({ currency: 'XXX' })),
                { transient: { commercial: commercialJson() } }), 'INVALID_ARGUMENT', 'currency must be an ISO 4217');
            // Unit prices may be finer than a cent.
            const fine = { lines: [{ lineNo: 1, unitPrice: '4.5025', value: '9005.00' }, COMMERCIAL.lines[1]], totalValue: '19005.00' };
            await ledger.invoke(EXPORTER, (ctx) => shipments.openShipment(ctx, uid('SHP'), shipmentJson()), { transient: { commercial: JSON.stringify(fine) } });
        });

        it('with prices for other lines than the goods is refused', async () => {
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => shipments.openShipment(ctx, uid('SHP'), shipmentJson()),
                { transient: { commercial: commercialJson({ lines: [COMMERCIAL.lines[0]] }) } }), 'INVALID_ARGUMENT', 'commercial.lines must price exactly the goods lines 1,2');
        });

        const bad: [string, Record<string, unknown>, string][] = [
            ['a bad HS code', { goods: [{ lineNo: 1, description: 'x', hsCode: '6109', quantity: 1, unitOfMeasure: 'PCS', packages: 1, packageType: 'CT', grossWeightKg: '1', netWeightKg: '1' }] }, 'goods[0].hsCode'],
            ['a net weight above gross', { goods: [{ lineNo: 1, description: 'x', hsCode: '610910', quantity: 1, unitOfMeasure: 'PCS', packages: 1, packageType: 'CT', grossWeightKg: '1', netWeightKg: '2' }] }, 'goods[0].netWeightKg must not exceed grossWeightKg'],
            ['a port that is not a UN/LOCODE', { portOfDischarge: 'Hamburg' }, 'portOfDischarge'],
            ['an unknown Incoterm', { incoterm: 'DAT' }, 'incoterm'],
            ['a currency in lowercase', { currency: 'usd' }, 'currency'],
            ['a carrier that is not CarrierMSP', { carrier: { mspId: 'BankMSP', name: 'x' } }, 'carrier.mspId must be CarrierMSP'],
            ['a consignee country of 3 letters', { consignee: { name: 'x', country: 'DEU' } }, 'consignee.country'],
            ['repeated goods line numbers', { goods: [{ lineNo: 1, description: 'x', hsCode: '610910', quantity: 1, unitOfMeasure: 'PCS', packages: 1, packageType: 'CT', grossWeightKg: '1', netWeightKg: '1' }, { lineNo: 1, description: 'y', hsCode: '610910', quantity: 1, unitOfMeasure: 'PCS', packages: 1, packageType: 'CT', grossWeightKg: '1', netWeightKg: '1' }] }, 'goods[].lineNo must not repeat 1'],
        ];
        for (const [what, overrides, field] of bad) {
            it(`with ${what} is refused naming ${field}`, async () => {
                await rejectsWith(openShipment(ledger, uid('SHP'), EXPORTER, overrides), 'INVALID_ARGUMENT', field);
            });
        }
    });

    describe('cancelShipment', () => {
        it('an OPEN shipment by the exporter becomes CANCELLED and leaves the OPEN index', async () => {
            const id = uid('SHP');
            await openShipment(ledger, id);
            const out = JSON.parse(await ledger.invoke(EXPORTER, (ctx) => shipments.cancelShipment(ctx, id))) as Record<string, unknown>;
            assert.equal(out['status'], 'CANCELLED');
            const open = JSON.parse(await ledger.invoke(CUSTOMS, (ctx) => shipments.queryShipmentsByStatus(ctx, 'OPEN', '10', ''))) as { records: unknown[] };
            assert.equal(open.records.length, 0);
            assert.equal(ledger.events.at(-1)?.name, 'ShipmentCancelled');
        });

        it('a CANCELLED shipment cannot be cancelled again', async () => {
            const id = uid('SHP');
            await openShipment(ledger, id);
            await ledger.invoke(EXPORTER, (ctx) => shipments.cancelShipment(ctx, id));
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => shipments.cancelShipment(ctx, id)), 'FAILED_PRECONDITION', 'is CANCELLED');
        });

        it('an unknown shipment is NOT_FOUND', async () => {
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => shipments.cancelShipment(ctx, 'NOPE')), 'NOT_FOUND', 'shipment NOPE does not exist');
        });

        it('by the carrier is refused', async () => {
            const id = uid('SHP');
            await openShipment(ledger, id);
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => shipments.cancelShipment(ctx, id)), 'FORBIDDEN');
        });
    });

    describe('reads', () => {
        it('getShipmentCommercial is readable by customs and the bank, refused to the carrier', async () => {
            const id = uid('SHP');
            await openShipment(ledger, id);
            for (const who of [CUSTOMS, BANK_APPROVER, EXPORTER]) {
                const values = JSON.parse(await ledger.invoke(who, (ctx) => shipments.getShipmentCommercial(ctx, id))) as Record<string, unknown>;
                assert.equal(values['totalValue'], '19000.00');
            }
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => shipments.getShipmentCommercial(ctx, id)), 'FORBIDDEN', 'shipment.readCommercial');
        });

        it('queryShipmentsByStatus pages with bookmarks until the last page', async () => {
            for (const id of ['P-1', 'P-2', 'P-3', 'P-4', 'P-5']) {
                await openShipment(ledger, id);
            }
            const seen: string[] = [];
            let bookmark = '';
            let pages = 0;
            do {
                const page = JSON.parse(await ledger.invoke(CARRIER, (ctx) => shipments.queryShipmentsByStatus(ctx, 'OPEN', '2', bookmark))) as { records: { shipmentId: string }[]; bookmark: string; fetchedRecordsCount: number };
                seen.push(...page.records.map((r) => r.shipmentId));
                assert.equal(page.fetchedRecordsCount, page.records.length);
                bookmark = page.bookmark;
                pages += 1;
            } while (bookmark !== '');
            assert.deepEqual(seen, ['P-1', 'P-2', 'P-3', 'P-4', 'P-5']);
            assert.equal(pages, 3);
        });

        it('queryShipmentsByParty lists the shipments a carrier or bank takes part in', async () => {
            await openShipment(ledger, 'Q-1');
            await openShipment(ledger, 'Q-2');
            const page = JSON.parse(await ledger.invoke(BANK_APPROVER, (ctx) => shipments.queryShipmentsByParty(ctx, 'BankMSP', '10', ''))) as { records: { shipmentId: string }[] };
            assert.deepEqual(page.records.map((r) => r.shipmentId), ['Q-1', 'Q-2']);
            const none = JSON.parse(await ledger.invoke(BANK_APPROVER, (ctx) => shipments.queryShipmentsByParty(ctx, 'CarrierMSP', '10', ''))) as { records: unknown[] };
            assert.equal(none.records.length, 2);
        });

        it('queries validate status, party and page size', async () => {
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => shipments.queryShipmentsByStatus(ctx, 'LOST', '10', '')), 'INVALID_ARGUMENT', 'status must be one of');
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => shipments.queryShipmentsByStatus(ctx, 'OPEN', '0', '')), 'INVALID_ARGUMENT', 'pageSize');
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => shipments.queryShipmentsByStatus(ctx, 'OPEN', '101', '')), 'INVALID_ARGUMENT', 'pageSize');
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => shipments.queryShipmentsByParty(ctx, 'CustomsMSP', '10', '')), 'INVALID_ARGUMENT', 'mspId must be one of');
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => shipments.queryShipmentsByStatus(ctx, 'OPEN', '10', 'x'.repeat(1025))), 'INVALID_ARGUMENT', 'bookmark must be at most 1024');
        });

        it('getHistory returns every version with who, when and transaction id', async () => {
            const id = uid('SHP');
            await openShipment(ledger, id);
            ledger.now = new Date('2026-03-03T10:00:00Z');
            await ledger.invoke(FORWARDER, (ctx) => shipments.cancelShipment(ctx, id));
            const entries = JSON.parse(await ledger.invoke(CARRIER, (ctx) => shipments.getHistory(ctx, 'shipment', id))) as { txId: string; timestamp: string; value: { status: string; updatedBy: { role: string; txId: string } } }[];
            assert.deepEqual(entries.map((e) => [e.txId, e.timestamp, e.value.status, e.value.updatedBy.role]), [
                ['tx1', '2026-03-02T09:00:00.000Z', 'OPEN', 'exporter'],
                ['tx2', '2026-03-03T10:00:00.000Z', 'CANCELLED', 'forwarder'],
            ]);
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => shipments.getHistory(ctx, 'invoice', id)), 'INVALID_ARGUMENT', 'record must be one of');
        });

        it('getHistory, when a later transaction carries an earlier client timestamp, keeps the ledger\'s commit order', async () => {
            const id = uid('SHP');
            await openShipment(ledger, id);
            // The canceller's clock is a day behind the opener's: the timestamps say otherwise, the ledger does not.
            ledger.now = new Date('2026-03-01T08:00:00Z');
            await ledger.invoke(FORWARDER, (ctx) => shipments.cancelShipment(ctx, id));
            const entries = JSON.parse(await ledger.invoke(CARRIER, (ctx) => shipments.getHistory(ctx, 'shipment', id))) as { txId: string; value: { status: string } }[];
            assert.deepEqual(entries.map((e) => [e.txId, e.value.status]), [['tx1', 'OPEN'], ['tx2', 'CANCELLED']]);
        });
    });
});
