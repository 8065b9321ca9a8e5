import * as assert from 'node:assert/strict';
import request from 'supertest';
import { ChaincodeError } from '../../../../gateway/src/errors';
import { type TradeHarness, tradeHarness, uid } from './trade-fakes';

const DETAILS = {
    declarant: { name: 'Chengdu Panda Textiles Co', country: 'CN' },
    exporter: { name: 'Chengdu Panda Textiles Co', country: 'CN' },
    consignee: { name: 'Hamburg Wear GmbH', country: 'DE' },
    countryOfDestination: 'DE',
    incoterm: 'FOB',
    currency: 'USD',
    items: [{ itemNo: 1, hsCode: '61091000', description: 'Cotton T-shirts', countryOfOrigin: 'CN', customsValue: '9000.00', grossMassKg: '1200.5', netMassKg: '1100', packages: 100 }],
};

describe('trade gateway: declarations', () => {
    let t: TradeHarness;
    before(async function () {
        this.timeout(20_000);
        t = await tradeHarness();
    });

    const post = (path: string, body?: object) => {
        const r = request(t.app).post(`/api/v1/declarations${path}`).set('Authorization', t.auth);
        return body === undefined ? r : r.send(body);
    };

    it('lodge sends type and LRN as arguments and the details only in transient declaration', async () => {
        const declarationId = uid('DEC');
        const res = await post('', { declarationId, shipmentId: 'SHP-1', declarationType: 'EX', lrn: 'LRN-1', details: DETAILS }).expect(201);
        assert.equal(res.headers.location, `/api/v1/declarations/${declarationId}`);
        const call = t.ledger.submissions.at(-1)!;
        assert.equal(call.fn, 'declaration:lodgeDeclaration');
        assert.deepEqual(call.args, [declarationId, 'SHP-1', JSON.stringify({ declarationType: 'EX', lrn: 'LRN-1' })]);
        assert.deepEqual(Object.keys(call.options?.transientData ?? {}).sort(), ['declaration', 'salt']);
        assert.deepEqual(JSON.parse(String(call.options?.transientData?.['declaration'])), DETAILS);
        assert.match(String(call.options?.transientData?.['salt']), /^[0-9a-f]{64}$/, 'a fresh 256-bit salt for the private values');
    });

    it('lodge with a bad declaration type or an item without HS code answers 400 and submits nothing', async () => {
        const before = t.ledger.submissions.length;
        await post('', { declarationId: uid('DEC'), shipmentId: 'SHP-1', declarationType: 'IM', lrn: 'LRN-2', details: DETAILS }).expect(400);
        const withoutHsCode = { ...DETAILS.items[0], hsCode: undefined };
        await post('', { declarationId: uid('DEC'), shipmentId: 'SHP-1', declarationType: 'EX', lrn: 'LRN-3', details: { ...DETAILS, items: [withoutHsCode] } }).expect(400);
        assert.equal(t.ledger.submissions.length, before);
    });

    it('amend sends the new details in transient declaration only', async () => {
        await post('/DEC-1/amend', { details: DETAILS }).expect(200);
        const call = t.ledger.submissions.at(-1)!;
        assert.deepEqual([call.fn, call.args], ['declaration:amendDeclaration', ['DEC-1']]);
        assert.deepEqual(Object.keys(call.options?.transientData ?? {}).sort(), ['declaration', 'salt']);
    });

    it('customs decisions and exporter answers pass their arguments in the chaincode\'s order', async () => {
        const steps: [string, object | undefined, string, string[]][] = [
            ['accept', { mrn: '26DE12345678901234' }, 'declaration:acceptDeclaration', ['DEC-1', '26DE12345678901234']],
            ['control', { controlType: 'PHYSICAL' }, 'declaration:placeUnderControl', ['DEC-1', 'PHYSICAL']],
            ['request-documents', { documents: ['Packing list'] }, 'declaration:requestAdditionalDocuments', ['DEC-1', '{"documents":["Packing list"]}']],
            ['provide-documents', { documentIds: ['DOC-1'] }, 'declaration:provideAdditionalDocuments', ['DEC-1', '["DOC-1"]']],
            ['release', undefined, 'declaration:releaseDeclaration', ['DEC-1']],
            ['reject', { reason: 'misdeclared goods' }, 'declaration:rejectDeclaration', ['DEC-1', 'misdeclared goods']],
            ['cancel', { reason: 'order cancelled' }, 'declaration:cancelDeclaration', ['DEC-1', 'order cancelled']],
        ];
        for (const [path, body, fn, args] of steps) {
            await post(`/DEC-1/${path}`, body).expect(200);
            assert.deepEqual(t.ledger.submissions.at(-1)?.fn, fn);
            assert.deepEqual(t.ledger.submissions.at(-1)?.args, args, path);
        }
    });

    it('accept with a malformed MRN answers 400 and submits nothing', async () => {
        const before = t.ledger.submissions.length;
        await post('/DEC-1/accept', { mrn: 'MRN-1' }).expect(400);
        assert.equal(t.ledger.submissions.length, before);
    });

    it('a risk note travels only in transient riskNote under a random id, after checking the declaration exists; no argument names it', async () => {
        t.ledger.on('declaration:addRiskNote', Buffer.alloc(0));
        const res = await post('/DEC-1/risk-notes', { riskLevel: 'HIGH', text: 'undervaluation suspected' }).expect(201);
        const noteId = String(res.body.noteId);
        assert.match(noteId, /^[0-9a-f]{32}$/);
        assert.deepEqual(res.body, { declarationId: 'DEC-1', noteId });
        assert.equal(res.headers.location, `/api/v1/declarations/DEC-1/risk-notes/${noteId}`);
        assert.deepEqual(t.ledger.evaluations.at(-1), { user: 'exporter1', fn: 'declaration:getDeclaration', args: ['DEC-1'] });
        const call = t.ledger.submissions.at(-1)!;
        assert.deepEqual([call.fn, call.args], ['declaration:addRiskNote', []]);
        assert.deepEqual(JSON.parse(String(call.options?.transientData?.['riskNote'])), { declarationId: 'DEC-1', noteId, riskLevel: 'HIGH', text: 'undervaluation suspected' });
        const again = await post('/DEC-1/risk-notes', { riskLevel: 'LOW', text: 'second look' }).expect(201);
        assert.notEqual(again.body.noteId, noteId);
        // A client-chosen id would be guessable from the key's hash in the block: the field is not accepted.
        await post('/DEC-1/risk-notes', { noteId: 'N1', riskLevel: 'HIGH', text: 'x' }).expect(400);
    });

    it('a risk note on a declaration that does not exist answers 404 and submits nothing', async () => {
        t.ledger.on('declaration:getDeclaration', () => { throw new ChaincodeError('NOT_FOUND', 'declaration DEC-404 does not exist'); });
        const before = t.ledger.submissions.length;
        await post('/DEC-404/risk-notes', { riskLevel: 'HIGH', text: 'x' }).expect(404);
        assert.equal(t.ledger.submissions.length, before);
        t.ledger.on('declaration:getDeclaration', {});
    });

    it('release refused by the chaincode (an officer, not a supervisor) answers 403', async () => {
        t.ledger.forbid('declaration:releaseDeclaration');
        assert.equal((await post('/DEC-1/release').expect(403)).body.code, 'FORBIDDEN');
    });

    it('reads: the public part, the details of a version, a risk note', async () => {
        await request(t.app).get('/api/v1/declarations/DEC-1').set('Authorization', t.auth).expect(200);
        assert.deepEqual(t.ledger.evaluations.at(-1)?.fn, 'declaration:getDeclaration');
        await request(t.app).get('/api/v1/declarations/DEC-1/versions/2/details').set('Authorization', t.auth).expect(200);
        assert.deepEqual(t.ledger.evaluations.at(-1)?.args, ['DEC-1', '2']);
        t.ledger.forbid('declaration:getRiskNote');
        await request(t.app).get('/api/v1/declarations/DEC-1/risk-notes/N1').set('Authorization', t.auth).expect(403);
    });
});
