import './quiet-logs';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { DocumentContract } from '../../../chaincode/src/document-contract';
import { COLLECTION_BY_TYPE, DOCUMENT_TYPES, DocumentType } from '../../../chaincode/src/documents';
import { rejectsWith } from './expect-error';
import { BANK_APPROVER, BANK_OFFICER, CARRIER, CUSTOMS, EXPORTER, Identity, Ledger, compositeKey } from './fake-context';
import { uid } from './fixtures';
import { openShipment, shipments } from './scenario';

const documents = new DocumentContract();

function hash(bytes: Buffer): string {
    return createHash('sha256').update(bytes).digest('hex');
}

async function register(ledger: Ledger, who: Identity, documentId: string, shipmentId: string, docType: DocumentType,
    bytes: Buffer, fields?: Record<string, unknown>, peerMspId?: string): Promise<Record<string, unknown>> {
    const meta = JSON.stringify({ docType, sha256: hash(bytes), size: bytes.length, mediaType: 'application/pdf', fileName: `${documentId}.pdf` });
    const transient: Record<string, string | Buffer> = { content: bytes };
    if (fields) {
        transient['fields'] = JSON.stringify(fields);
    }
    return JSON.parse(await ledger.invoke(who, (ctx) => documents.registerDocument(ctx, documentId, shipmentId, meta),
        { transient, ...(peerMspId ? { peerMspId } : {}) })) as Record<string, unknown>;
}

const READERS: Record<DocumentType, string[]> = {
    commercialInvoice: ['ExporterMSP', 'CustomsMSP', 'BankMSP'],
    packingList: ['ExporterMSP', 'CarrierMSP', 'CustomsMSP', 'BankMSP'],
    billOfLading: ['ExporterMSP', 'CarrierMSP', 'CustomsMSP', 'BankMSP'],
    certificateOfOrigin: ['ExporterMSP', 'CustomsMSP', 'BankMSP'],
    customsDeclaration: ['ExporterMSP', 'CustomsMSP'],
    insuranceCertificate: ['ExporterMSP', 'CustomsMSP', 'BankMSP'],
    financingRequest: ['ExporterMSP', 'BankMSP'],
    other: ['ExporterMSP', 'CustomsMSP', 'BankMSP'],
};
const BY_MSP: Record<string, Identity> = { ExporterMSP: EXPORTER, CarrierMSP: CARRIER, CustomsMSP: CUSTOMS, BankMSP: BANK_OFFICER };

describe('DocumentContract', () => {
    let ledger: Ledger;
    let shipmentId: string;
    beforeEach(async () => {
        ledger = new Ledger();
        shipmentId = uid('SHP');
        await openShipment(ledger, shipmentId);
    });

    describe('content goes to the collection whose members may read the type (issue 3 table)', () => {
        for (const docType of DOCUMENT_TYPES) {
            it(`${docType}: stored in ${COLLECTION_BY_TYPE[docType]}, readable by ${READERS[docType].join(', ')} only`, async () => {
                const id = uid('DOC');
                const bytes = Buffer.from(`${docType} bytes`);
                await register(ledger, EXPORTER, id, shipmentId, docType, bytes);
                const k = compositeKey('documentContent', [id, '000001']);
                assert.equal(ledger.getPrivateJson(COLLECTION_BY_TYPE[docType], k)?.['contentBase64'], bytes.toString('base64'));
                for (const msp of Object.keys(BY_MSP)) {
                    const who = BY_MSP[msp] as Identity;
                    const read = ledger.invoke(who, (ctx) => documents.getDocumentContent(ctx, id, '1'));
                    if (READERS[docType].includes(msp)) {
                        assert.equal((JSON.parse(await read) as Record<string, unknown>)['sha256'], hash(bytes));
                    } else {
                        await rejectsWith(read, 'FORBIDDEN', `${msp} is not a member of ${COLLECTION_BY_TYPE[docType]}`);
                    }
                }
                for (const written of ledger.publicWrites) {
                    assert.ok(!written.includes(bytes.toString('base64')), 'file bytes on the channel');
                }
            });
        }
    });

    it('registers public metadata with uploader organisation and person, and one event', async () => {
        const id = uid('INV');
        const record = await register(ledger, EXPORTER, id, shipmentId, 'commercialInvoice', Buffer.from('invoice v1'));
        assert.equal(record['version'], 1);
        assert.equal(record['status'], 'CURRENT');
        assert.equal(record['size'], 10);
        assert.equal((record['uploadedBy'] as Record<string, string>)['mspId'], 'ExporterMSP');
        assert.match((record['uploadedBy'] as Record<string, string>)['id'] ?? '', /CN=alice/);
        assert.deepEqual(ledger.events.at(-1)?.payload, { type: 'DocumentRegistered', record: 'document', id, shipmentId, status: 'CURRENT', txId: 'tx2' });
    });

    it('stores validated structured fields with the content', async () => {
        const id = uid('INV');
        const fields = { documentNumber: 'INV-7', packages: 120, hsCodes: ['610910'], totalAmount: '19000.00', currency: 'USD', portOfLoading: 'CNSHA' };
        await register(ledger, EXPORTER, id, shipmentId, 'commercialInvoice', Buffer.from('inv'), fields);
        const content = JSON.parse(await ledger.invoke(BANK_APPROVER, (ctx) => documents.getDocumentContent(ctx, id, '1'))) as Record<string, unknown>;
        assert.deepEqual(content['fields'], fields);
    });

    it('refuses unknown or malformed structured fields, naming them', async () => {
        await rejectsWith(register(ledger, EXPORTER, uid('INV'), shipmentId, 'commercialInvoice', Buffer.from('a'), { pakages: 1 }), 'INVALID_ARGUMENT', 'fields.pakages is not a known document field');
        await rejectsWith(register(ledger, EXPORTER, uid('INV'), shipmentId, 'commercialInvoice', Buffer.from('b'), { totalAmount: 19000 }), 'INVALID_ARGUMENT', 'fields.totalAmount');
        await rejectsWith(register(ledger, EXPORTER, uid('INV'), shipmentId, 'commercialInvoice', Buffer.from('c'), { hsCodes: ['61'] }), 'INVALID_ARGUMENT', 'fields.hsCodes[0]');
    });

    it('a new version supersedes the old one, which is kept', async () => {
        const id = uid('INV');
        await register(ledger, EXPORTER, id, shipmentId, 'commercialInvoice', Buffer.from('v1'));
        const v2 = await register(ledger, EXPORTER, id, shipmentId, 'commercialInvoice', Buffer.from('v2'));
        assert.equal(v2['version'], 2);
        const doc = JSON.parse(await ledger.invoke(CARRIER, (ctx) => documents.getDocument(ctx, id))) as { currentVersion: number; versions: { version: number; status: string }[] };
        assert.equal(doc.currentVersion, 2);
        assert.deepEqual(doc.versions.map((x) => [x.version, x.status]), [[1, 'SUPERSEDED'], [2, 'CURRENT']]);
        const old = JSON.parse(await ledger.invoke(CUSTOMS, (ctx) => documents.getDocumentContent(ctx, id, '1'))) as Record<string, unknown>;
        assert.equal(old['contentBase64'], Buffer.from('v1').toString('base64'));
    });

    it('verify by hash or bytes says which document, which version and whether current, superseded or revoked', async () => {
        const id = uid('INV');
        await register(ledger, EXPORTER, id, shipmentId, 'commercialInvoice', Buffer.from('v1'));
        await register(ledger, EXPORTER, id, shipmentId, 'commercialInvoice', Buffer.from('v2'));
        await ledger.invoke(EXPORTER, (ctx) => documents.revokeDocument(ctx, id, '2', 'issued in error'));
        const v1 = JSON.parse(await ledger.invoke(CARRIER, (ctx) => documents.verifyDocumentHash(ctx, hash(Buffer.from('v1'))))) as { matches: { documentId: string; version: number; status: string }[] };
        assert.deepEqual(v1.matches.map((m) => [m.documentId, m.version, m.status]), [[id, 1, 'SUPERSEDED']]);
        const v2 = JSON.parse(await ledger.invoke(CARRIER, (ctx) => documents.verifyDocumentBytes(ctx), { transient: { content: Buffer.from('v2') } })) as { matches: { version: number; status: string; revocationReason: string }[] };
        assert.deepEqual(v2.matches.map((m) => [m.version, m.status, m.revocationReason]), [[2, 'REVOKED', 'issued in error']]);
        const none = JSON.parse(await ledger.invoke(CARRIER, (ctx) => documents.verifyDocumentHash(ctx, hash(Buffer.from('forged'))))) as { matches: unknown[] };
        assert.deepEqual(none.matches, []);
        await rejectsWith(ledger.invoke(CARRIER, (ctx) => documents.verifyDocumentHash(ctx, 'xyz')), 'INVALID_ARGUMENT', 'sha256');
    });

    it('public verification answers registered or not, and per version only type, version, status and registration time', async () => {
        const id = uid('INV');
        await register(ledger, EXPORTER, id, shipmentId, 'commercialInvoice', Buffer.from('public-v1'));
        await ledger.invoke(EXPORTER, (ctx) => documents.revokeDocument(ctx, id, '1', 'confidential reason'));
        const found = JSON.parse(await ledger.invoke(BANK_OFFICER, (ctx) => documents.verifyDocumentRegistration(ctx, hash(Buffer.from('public-v1')))));
        assert.deepEqual(found, {
            sha256: hash(Buffer.from('public-v1')), registered: true,
            matches: [{ docType: 'commercialInvoice', version: 1, status: 'REVOKED', registeredAt: '2026-03-02T09:00:00.000Z' }],
        });
        const none = JSON.parse(await ledger.invoke(BANK_OFFICER, (ctx) => documents.verifyDocumentRegistration(ctx, hash(Buffer.from('never')))));
        assert.deepEqual(none, { sha256: hash(Buffer.from('never')), registered: false, matches: [] });
    });

    it('a version registered after a revoked one leaves the revoked one REVOKED', async () => {
        const id = uid('INV');
        await register(ledger, EXPORTER, id, shipmentId, 'commercialInvoice', Buffer.from('v1'));
        await ledger.invoke(EXPORTER, (ctx) => documents.revokeDocument(ctx, id, '1', 'wrong buyer'));
        await register(ledger, EXPORTER, id, shipmentId, 'commercialInvoice', Buffer.from('v2'));
        const doc = JSON.parse(await ledger.invoke(CARRIER, (ctx) => documents.getDocument(ctx, id))) as { versions: { status: string }[] };
        assert.deepEqual(doc.versions.map((x) => x.status), ['REVOKED', 'CURRENT']);
    });

    it('refuses bytes that do not match the declared hash or size', async () => {
        const meta = (sha: string, size: number) => JSON.stringify({ docType: 'packingList', sha256: sha, size, mediaType: 'application/pdf' });
        const bytes = Buffer.from('packing');
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => documents.registerDocument(ctx, uid('PL'), shipmentId, meta(hash(Buffer.from('other')), bytes.length)), { transient: { content: bytes } }), 'INVALID_ARGUMENT', 'sha256 does not match');
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => documents.registerDocument(ctx, uid('PL'), shipmentId, meta(hash(bytes), 99)), { transient: { content: bytes } }), 'INVALID_ARGUMENT', 'size 99 does not match');
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => documents.registerDocument(ctx, uid('PL'), shipmentId, meta(hash(bytes), 7))), 'INVALID_ARGUMENT', 'transient content is required');
    });

    it('refuses the same bytes twice for one document', async () => {
        const id = uid('PL');
        await register(ledger, EXPORTER, id, shipmentId, 'packingList', Buffer.from('same'));
        await rejectsWith(register(ledger, EXPORTER, id, shipmentId, 'packingList', Buffer.from('same')), 'ALREADY_EXISTS');
    });

    it('refuses an organisation outside the type\'s collection (the carrier cannot register an invoice)', async () => {
        await rejectsWith(register(ledger, CARRIER, uid('INV'), shipmentId, 'commercialInvoice', Buffer.from('x')), 'FORBIDDEN', 'CarrierMSP is not a member of ExporterCustomsBankCollection');
        await rejectsWith(register(ledger, BANK_OFFICER, uid('CD'), shipmentId, 'customsDeclaration', Buffer.from('x')), 'FORBIDDEN', 'BankMSP is not a member of ExporterCustomsCollection');
    });

    it('lets the carrier register a bill-of-lading document and refuses the approver (maker registers)', async () => {
        assert.equal((await register(ledger, CARRIER, uid('BLD'), shipmentId, 'billOfLading', Buffer.from('bl')))['status'], 'CURRENT');
        await rejectsWith(register(ledger, BANK_APPROVER, uid('FR'), shipmentId, 'financingRequest', Buffer.from('x')), 'FORBIDDEN', 'document.register');
    });

    it('writes private content only through a peer of the type\'s collection', async () => {
        await rejectsWith(register(ledger, EXPORTER, uid('INV'), shipmentId, 'commercialInvoice', Buffer.from('x'), undefined, 'CarrierMSP'), 'FORBIDDEN', "member's peer, not CarrierMSP");
        assert.equal((await register(ledger, EXPORTER, uid('INV'), shipmentId, 'commercialInvoice', Buffer.from('y'), undefined, 'BankMSP'))['status'], 'CURRENT');
    });

    it('only the first uploader\'s organisation may add versions; type and shipment are fixed', async () => {
        const id = uid('PL');
        await register(ledger, EXPORTER, id, shipmentId, 'packingList', Buffer.from('pl1'));
        await rejectsWith(register(ledger, CARRIER, id, shipmentId, 'packingList', Buffer.from('pl2')), 'FORBIDDEN', 'only ExporterMSP may register new versions');
        await rejectsWith(register(ledger, EXPORTER, id, shipmentId, 'commercialInvoice', Buffer.from('pl3')), 'CONFLICT', 'is a packingList');
    });

    it('refuses documents on an unknown or cancelled shipment', async () => {
        await rejectsWith(register(ledger, EXPORTER, uid('INV'), 'NOPE', 'commercialInvoice', Buffer.from('x')), 'NOT_FOUND', 'shipment NOPE');
        await ledger.invoke(EXPORTER, (ctx) => shipments.cancelShipment(ctx, shipmentId));
        await rejectsWith(register(ledger, EXPORTER, uid('INV'), shipmentId, 'commercialInvoice', Buffer.from('x')), 'FAILED_PRECONDITION', 'CANCELLED');
    });

    it('revoke: only the uploader organisation, once, on an existing version', async () => {
        const id = uid('INV');
        await register(ledger, EXPORTER, id, shipmentId, 'commercialInvoice', Buffer.from('x'));
        await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => documents.revokeDocument(ctx, id, '1', 'r')), 'FORBIDDEN', 'only ExporterMSP may revoke');
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => documents.revokeDocument(ctx, id, '2', 'r')), 'NOT_FOUND', 'version 2');
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => documents.revokeDocument(ctx, id, 'one', 'r')), 'INVALID_ARGUMENT', 'version must be');
        await ledger.invoke(EXPORTER, (ctx) => documents.revokeDocument(ctx, id, '1', 'r'));
        assert.equal(ledger.events.at(-1)?.payload['status'], 'REVOKED');
        await rejectsWith(ledger.invoke(EXPORTER, (ctx) => documents.revokeDocument(ctx, id, '1', 'r')), 'FAILED_PRECONDITION', 'already REVOKED');
    });

    it('lists the documents of a shipment', async () => {
        await register(ledger, EXPORTER, 'D-A', shipmentId, 'commercialInvoice', Buffer.from('a'));
        await register(ledger, CARRIER, 'D-B', shipmentId, 'billOfLading', Buffer.from('b'));
        const heads = JSON.parse(await ledger.invoke(CUSTOMS, (ctx) => documents.listShipmentDocuments(ctx, shipmentId))) as { documentId: string; docType: string }[];
        assert.deepEqual(heads.map((h) => [h.documentId, h.docType]), [['D-A', 'commercialInvoice'], ['D-B', 'billOfLading']]);
    });

    it('getDocument of an unknown id is NOT_FOUND', async () => {
        await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => documents.getDocument(ctx, 'NOPE')), 'NOT_FOUND', 'document NOPE');
    });
});
