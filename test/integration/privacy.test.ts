/**
 * What a channel member learns from the blocks it receives (every member receives all of them), attacked on the
 * real network: a dictionary search for a financing amount against its hashes in the block and the public record;
 * a customs risk note's traces (arguments, read and write sets, answer, event, key hash); every event against the
 * public state its transaction wrote; and what an anonymous caller learns from public document verification.
 */
import * as assert from 'node:assert/strict';
import { hash, randomUUID } from 'node:crypto';
import { BILL_OF_LADING, COMMERCIAL, DECLARATION_DETAILS, INVOICE_FIELDS, PACKING_LIST_FIELDS, SHIPMENT } from '../unit/chaincode/fixtures';
import { RECORD_TYPES } from '../../chaincode/src/keys';
import { type TransactionView, blockContains, chainHeight, compositeKey, exposures, readBlocks, transactions } from './blocks';
import { type ApiResponse, api, login, upload } from './gateway-client';
import { ClientPool, testNetwork } from './harness';

const run = randomUUID().slice(0, 8);
const day = (offset: number): string => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const pdf = (text: string): Buffer => Buffer.from(`%PDF-1.7\n${text}\n%%EOF\n`);
const sha256 = (data: string | Buffer): string => hash('sha256', data);
type Json = Record<string, unknown>;

function ok(res: ApiResponse, status = 201): Json {
    assert.equal(res.status, status, `expected ${status}, got ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Json;
}

/** Every cent from 0.01 to 100 000.00 as the canonical two-decimal string; `test` returns true to stop. */
function everyCent(test: (amount: string) => boolean): string | undefined {
    for (let cents = 1; cents <= 10_000_000; cents++) {
        const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        if (test(amount)) {
            return amount;
        }
    }
    return undefined;
}

describe('privacy against a member reading the blocks (real Fabric network)', function () {
    const tokens: Record<string, string> = {};
    const pool = new ClientPool();
    const secrets: string[] = [];
    const ids = { shipment: `SHP-PV-${run}`, invoice: `INV-PV-${run}`, packingList: `PL-PV-${run}`, tdr: `BL-PV-${run}`, declaration: `DEC-PV-${run}`, financing: `FIN-PV-${run}` };
    let everything: TransactionView[] = [];
    /** The blocks as the carrier's peer delivers them: the carrier is in none of the collections attacked here. */
    const carrierView = async (): Promise<TransactionView[]> => {
        const carrier = pool.connect('carrier', 'carrier-agent1');
        everything = transactions(await readBlocks(carrier.network, await chainHeight(carrier.network)));
        return everything;
    };
    const txOf = (txs: TransactionView[], res: ApiResponse): TransactionView => {
        const txId = res.headers.get('x-transaction-id') ?? assert.fail('no transaction id');
        return txs.find((t) => t.txId === txId) ?? assert.fail(`${txId} is not in the blocks`);
    };

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        for (const [org, user] of [['exporter', 'exporter1'], ['carrier', 'carrier-agent1'], ['customs', 'customs-officer1'], ['bank', 'trade-finance-officer1']] as const) {
            tokens[user] = await login(org, user);
        }
        const exporter = tokens['exporter1'];
        ok(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: ids.shipment, ...SHIPMENT, commercial: COMMERCIAL } }));
        ok(await upload('exporter', exporter!, ids.shipment, ids.invoice, 'commercialInvoice', pdf(`invoice ${run}`), INVOICE_FIELDS));
        ok(await upload('exporter', exporter!, ids.shipment, ids.packingList, 'packingList', pdf(`packing list ${run}`), PACKING_LIST_FIELDS));
        ok(await api('carrier', 'POST', '/api/v1/bills-of-lading', { token: tokens['carrier-agent1'], json: { transportDocumentReference: ids.tdr, shipmentId: ids.shipment, ...BILL_OF_LADING } }));
        ok(await api('exporter', 'POST', '/api/v1/declarations', {
            token: exporter, json: { declarationId: ids.declaration, shipmentId: ids.shipment, declarationType: 'EX', lrn: `LRN-PV-${run}`, details: DECLARATION_DETAILS },
        }));
    });

    after(() => pool.closeAll());

    it('financing terms: every cent from 0.01 to 100 000.00 USD at the known tenor and expiry matches neither the block\'s private-write hash nor the public termsHash; the same search finds the amount in the unsalted value', async function () {
        this.timeout(300_000);
        const cents = Number.parseInt(run.slice(0, 6), 16) % 9_000_000 + 1_000_000;
        const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
        const terms = { amount, currency: 'USD', tenorDays: 90, expiryDate: day(60) };
        secrets.push(amount);
        const requested = await api('exporter', 'POST', '/api/v1/financing', {
            token: tokens['exporter1'], json: {
                financingId: ids.financing, shipmentId: ids.shipment, financingType: 'RECEIVABLES_FINANCING', transportDocumentReference: ids.tdr,
                declarationId: ids.declaration, documentIds: { commercialInvoice: ids.invoice, packingList: ids.packingList },
                requiresBlHeldByBank: false, requiresCertificateOfOrigin: false, terms,
            },
        });
        ok(requested);

        // The attacker's material: the transaction as its own peer delivered it.
        const tx = txOf(await carrierView(), requested);
        const publicRecord = tx.namespaces.flatMap((ns) => ns.writes).find((w) => w.key === compositeKey('financing', [ids.financing]))
            ?? assert.fail('the public financing record is in the write set');
        const termsHash = String((JSON.parse(publicRecord.value.toString('utf8')) as Json).termsHash);
        const privateWrites = tx.namespaces.flatMap((ns) => ns.collections).filter((c) => c.collection === 'ExporterBankCollection').flatMap((c) => c.writes);
        assert.equal(privateWrites.length, 1, 'the terms are the one private write');
        const blockHash = privateWrites[0]!.valueHash;
        assert.equal(termsHash, blockHash, 'the public hash is the hash Fabric put in the block');

        // What the bank (a member) reads: the value as stored, salt inside.
        const stored = ok(await api('bank', 'GET', `/api/v1/financing/${ids.financing}/terms`, { token: tokens['trade-finance-officer1'] }), 200);
        assert.match(String(stored.salt), /^[0-9a-f]{64}$/);
        const canonical = (value: Json): string => JSON.stringify(Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k]])));
        assert.equal(sha256(canonical(stored)), blockHash, 'the block holds the hash of the salted bytes');
        const unsalted = { ...stored };
        delete unsalted.salt;
        const unsaltedHash = sha256(canonical(unsalted));

        // The dictionary: everything but the amount is known or guessed (id public, currency, tenor, expiry).
        const prefix = '{"amount":"';
        const suffix = `","currency":"USD","expiryDate":"${terms.expiryDate}","financingId":"${ids.financing}","tenorDays":90}`;
        assert.equal(`${prefix}${amount}${suffix}`, canonical(unsalted), 'the dictionary speaks the stored format');
        const started = Date.now();
        const inBlock = everyCent((a) => {
            const h = hash('sha256', `${prefix}${a}${suffix}`);
            return h === blockHash || h === termsHash;
        });
        const seconds = (Date.now() - started) / 1000;
        assert.equal(inBlock, undefined, 'a candidate amount matched the salted hash');
        assert.equal(everyCent((a) => hash('sha256', `${prefix}${a}${suffix}`) === unsaltedHash), amount, 'control: the unsalted value is found');
        process.stderr.write(`      [privacy] 10 000 000 candidate amounts tried against the block in ${seconds.toFixed(1)} s: no match; the unsalted control matched ${amount}\n`);
    });

    it('a customs risk note leaves no argument, public read or write, answer or event naming its declaration, and a key hash no one can match to it', async () => {
        const text = `undervaluation suspected, source ${randomUUID()}`;
        secrets.push(text);
        const noted = await api('customs', 'POST', `/api/v1/declarations/${ids.declaration}/risk-notes`, { token: tokens['customs-officer1'], json: { riskLevel: 'HIGH', text } });
        const body = ok(noted);
        const noteId = String(body.noteId);
        assert.match(noteId, /^[0-9a-f]{32}$/, '128 random bits');
        const tx = txOf(await carrierView(), noted);
        assert.equal(tx.valid, true);
        assert.deepEqual(tx.args, ['declaration:addRiskNote'], 'no argument');
        for (const needle of [ids.declaration, ids.shipment, noteId, text]) {
            assert.deepEqual(exposures(tx, needle), [], `"${needle}" in clear`);
        }
        const tradedocs = tx.namespaces.find((ns) => ns.namespace === 'tradedocs') ?? assert.fail('the chaincode namespace');
        assert.deepEqual([tradedocs.reads, tradedocs.rangeQueries, tradedocs.writes, tradedocs.metadataWrites], [[], [], [], []], 'no public key read or written');
        assert.equal(tx.response.payload.length, 0, 'no answer');
        assert.equal(tx.event, undefined, 'no event');
        assert.deepEqual(tradedocs.collections.map((c) => [c.collection, c.readKeyHashes.length, c.writes.length]), [['CustomsCollection', 0, 1]]);
        const keyHash = tradedocs.collections[0]!.writes[0]!.keyHash;
        assert.equal(keyHash, sha256(compositeKey('riskNote', [ids.declaration, noteId])), 'the key hash is this note\'s');
        // Guessing needs the 128-bit note id: the usual guesses for the declaration do not match.
        for (const guess of ['1', 'N1', 'NOTE-1', '0'.repeat(32), ids.declaration]) {
            assert.notEqual(keyHash, sha256(compositeKey('riskNote', [ids.declaration, guess])));
        }
        // Customs reads it back.
        assert.equal(ok(await api('customs', 'GET', `/api/v1/declarations/${ids.declaration}/risk-notes/${noteId}`, { token: tokens['customs-officer1'] }), 200).text, text);
    });

    it('every chaincode event in every block carries only what the public state its transaction wrote shows every member', async () => {
        const txs = everything.length > 0 ? everything : await carrierView();
        const withEvents = txs.filter((t) => t.valid && t.event);
        assert.ok(withEvents.length >= 5, `events found: ${withEvents.length}`);
        const problems: string[] = [];
        for (const tx of withEvents) {
            const payload = JSON.parse(tx.event!.payload.toString('utf8')) as Json;
            const written = tx.namespaces.flatMap((ns) => ns.writes).filter((w) => !w.isDelete)
                .flatMap((w) => (w.value[0] === 0x7b ? [{ key: w.key, value: JSON.parse(w.value.toString('utf8')) as Json }] : []));
            if (tx.event!.name === 'ProbeRecordWritten') {
                const record = written.find((w) => w.key === compositeKey('probe', [String(payload.id)]));
                if (Object.keys(payload).sort().join() !== 'id,txId' || record?.value.txId !== payload.txId) {
                    problems.push(`${tx.txId} probe event ${JSON.stringify(payload)}`);
                }
                continue;
            }
            const keys = Object.keys(payload).sort().join();
            if (keys !== 'id,record,shipmentId,status,txId,type' || payload.type !== tx.event!.name || payload.txId !== tx.txId) {
                problems.push(`${tx.txId} ${tx.event!.name}: fields ${keys}`);
                continue;
            }
            // The public record the event speaks of, as this transaction wrote it (a document's status is its version's).
            const recordType = String(payload.record);
            const candidates = recordType === 'document'
                ? written.filter((w) => w.key.startsWith(`\u0000documentVersion\u0000${String(payload.id)}\u0000`))
                : written.filter((w) => w.key === compositeKey((RECORD_TYPES as readonly string[]).includes(recordType) ? recordType : '?', [String(payload.id)]));
            // A B/L names its status in DCSA's words.
            const statusOf = (record: Json): unknown => record.status ?? record.transportDocumentStatus;
            if (!candidates.some((w) => statusOf(w.value) === payload.status && w.value.shipmentId === payload.shipmentId)) {
                problems.push(`${tx.txId} ${tx.event!.name}: ${JSON.stringify(payload)} is not the public state written`);
            }
        }
        assert.deepEqual(problems, [], `${withEvents.length} events checked`);
    });

    it('no private value of this file stands in clear anywhere in any transaction, nor anywhere in the raw blocks', async () => {
        assert.ok(secrets.length >= 2, 'runs after the tests that wrote them');
        const carrier = pool.connect('carrier', 'carrier-agent1');
        const blocks = await readBlocks(carrier.network, await chainHeight(carrier.network));
        const txs = transactions(blocks);
        assert.ok(txs.some((t) => exposures(t, ids.financing).length > 0), 'the scan finds public facts, so it can find secrets');
        for (const secret of [...secrets, ...COMMERCIAL.lines.map((l) => `"unitPrice":"${l.unitPrice}"`), `"totalValue":"${COMMERCIAL.totalValue}"`]) {
            assert.deepEqual(txs.flatMap((t) => exposures(t, secret).map((where) => `${t.txId}: ${where}`)), [], `"${secret}"`);
            assert.deepEqual(blocks.filter((b) => blockContains(b, secret)).map((b) => b.getHeader()?.getNumber()), [], `raw blocks holding "${secret}"`);
        }
    });

    it('public document verification tells an anonymous caller only: registered or not, type, version, status, registration time', async () => {
        const content = pdf(`public check ${run}`);
        const documentId = `DOC-PV-${run}`;
        ok(await upload('exporter', tokens['exporter1']!, ids.shipment, documentId, 'commercialInvoice', content, undefined, 'application/pdf'));
        ok(await api('exporter', 'POST', `/api/v1/documents/${documentId}/versions/1/revoke`, { token: tokens['exporter1'], json: { reason: `confidential reason ${run}` } }), 200);
        const answer = ok(await api('carrier', 'GET', `/api/v1/public/documents/${sha256(content)}`), 200);
        assert.deepEqual(Object.keys(answer).sort(), ['matches', 'registered', 'sha256']);
        assert.equal(answer.registered, true);
        const [match, ...more] = answer.matches as Json[];
        assert.deepEqual(more, []);
        assert.deepEqual(Object.keys(match ?? {}).sort(), ['docType', 'registeredAt', 'status', 'version']);
        assert.deepEqual([match?.docType, match?.version, match?.status], ['commercialInvoice', 1, 'REVOKED']);
        assert.ok(Math.abs(Date.parse(String(match?.registeredAt)) - Date.now()) < 10 * 60_000, 'a registration time');
        for (const hidden of [ids.shipment, documentId, 'CN=', 'x509', `confidential reason ${run}`, '.pdf', 'ExporterMSP']) {
            assert.ok(!JSON.stringify(answer).includes(hidden), `the anonymous answer shows ${hidden}`);
        }
        const none = ok(await api('carrier', 'GET', `/api/v1/public/documents/${sha256('never registered')}`), 200);
        assert.deepEqual(none, { sha256: sha256('never registered'), registered: false, matches: [] });
    });
});
