import * as assert from 'node:assert/strict';
import type { VisibleEvent } from '../../../../gateway/src/events/feed';
import { EVENT_VISIBILITY, tradeEventFilter } from '../../../../gateway/src/trade/events';

const caller = { name: 'someone', role: 'any', org: 'any' };

function event(record: string): VisibleEvent {
    return { id: '5:tx', name: 'Anything', blockNumber: '5', transactionId: 'tx', payload: { type: 'Anything', record, id: 'R-1', shipmentId: 'SHP-1', status: 'X', txId: 'tx' } };
}

describe('trade gateway: events visibility', () => {
    const expected: Record<string, string[]> = {
        ExporterMSP: ['shipment', 'document', 'billOfLading', 'declaration', 'certificate', 'financing'],
        CarrierMSP: ['shipment', 'document', 'billOfLading'],
        CustomsMSP: ['shipment', 'document', 'billOfLading', 'declaration', 'certificate'],
        BankMSP: ['shipment', 'document', 'billOfLading', 'certificate', 'financing'],
    };
    for (const [mspId, records] of Object.entries(expected)) {
        it(`${mspId} receives events of exactly ${records.join(', ')}`, () => {
            const filter = tradeEventFilter(mspId);
            const seen = Object.keys(EVENT_VISIBILITY).filter((r) => filter(caller, event(r)) !== undefined);
            assert.deepEqual(seen, records);
        });
    }

    it('an event of an unknown record type, or with a payload that is not a trade event, is delivered to no one', () => {
        const filter = tradeEventFilter('ExporterMSP');
        assert.equal(filter(caller, event('secretThing')), undefined);
        assert.equal(filter(caller, { ...event('shipment'), payload: { base64: 'AAAA' } }), undefined);
        assert.equal(filter(caller, { ...event('shipment'), payload: null }), undefined);
    });

    it('a delivered event is passed unchanged', () => {
        const e = event('shipment');
        assert.equal(tradeEventFilter('CarrierMSP')(caller, e), e);
    });
});
