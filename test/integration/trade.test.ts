/**
 * The trade chaincode on the real network: who can read which document's content, exclusive control of the
 * electronic bill of lading and the shipper's approval of its draft enforced at validation, and no private value in
 * any block.
 */
import { createHash, randomUUID } from 'node:crypto';
import * as assert from 'node:assert/strict';
import { BILL_OF_LADING, COMMERCIAL, SHIPMENT } from '../unit/chaincode/fixtures';
import { blockContains, chainHeight, readBlocks, waitForBlock } from './blocks';
import { type OrgClient, connectAs, salted, testNetwork } from './harness';

const utf8 = new TextDecoder();
const runId = randomUUID().slice(0, 8);

/** Issue 3's table: which organisations may read each document type's content. */
const READERS: Record<string, readonly string[]> = {
    commercialInvoice: ['exporter', 'customs', 'bank'],
    packingList: ['exporter', 'carrier', 'customs', 'bank'],
    billOfLading: ['exporter', 'carrier', 'customs', 'bank'],
    certificateOfOrigin: ['exporter', 'customs', 'bank'],
    customsDeclaration: ['exporter', 'customs'],
    insuranceCertificate: ['exporter', 'customs', 'bank'],
    financingRequest: ['exporter', 'bank'],
};
const USERS: Record<string, string> = {
    exporter: 'exporter1', carrier: 'carrier-agent1', customs: 'customs-officer1', bank: 'trade-finance-officer1',
};

describe('trade chaincode (real Fabric network)', function () {
    const clients = new Map<string, OrgClient>();
    const as = (org: string): OrgClient => {
        let c = clients.get(org);
        if (!c) {
            c = connectAs(org, USERS[org] ?? '');
            clients.set(org, c);
        }
        return c;
    };
    const secrets: string[] = [];
    const shipmentId = `SHP-${runId}`;

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        const totalValue = `${19000 + Number.parseInt(runId.slice(0, 4), 16)}.00`;
        secrets.push(totalValue);
        const commercial = { ...COMMERCIAL, lines: [{ lineNo: 1, unitPrice: '4.50', value: '9000.00' }, { lineNo: 2, unitPrice: '20', value: (Number(totalValue) - 9000).toFixed(2) }], totalValue };
        const commit = await as('exporter').contract.submitAsync('shipment:openShipment', {
            arguments: [shipmentId, JSON.stringify(SHIPMENT)],
            transientData: salted({ commercial: JSON.stringify(commercial) }),
        });
        assert.equal((await commit.getStatus()).successful, true);
    });

    after(() => clients.forEach((c) => c.close()));

    for (const [docType, readers] of Object.entries(READERS)) {
        it(`${docType} content is readable through exactly ${readers.join(', ')}`, async () => {
            const documentId = `DOC-${runId}-${docType}`;
            const content = Buffer.from(`%PDF-1.7 ${docType} of ${shipmentId} ${randomUUID()}`);
            secrets.push(content.toString());
            const meta = { docType, sha256: createHash('sha256').update(content).digest('hex'), size: content.length, mediaType: 'application/pdf' };
            const commit = await as('exporter').contract.submitAsync('document:registerDocument', {
                arguments: [documentId, shipmentId, JSON.stringify(meta)],
                transientData: salted({ content }),
            });
            const status = await commit.getStatus();
            assert.equal(status.successful, true);

            for (const org of Object.keys(USERS)) {
                await waitForBlock(as(org).network, status.blockNumber);
                const read = as(org).contract.evaluateTransaction('document:getDocumentContent', documentId, '1');
                if (readers.includes(org)) {
                    const stored = JSON.parse(utf8.decode(await read)) as { contentBase64: string };
                    assert.equal(Buffer.from(stored.contentBase64, 'base64').toString(), content.toString(), `${org} reads ${docType}`);
                } else {
                    await assert.rejects(read, /FORBIDDEN/, `${org} must not read ${docType}`);
                }
                // The metadata is visible to every member.
                const head = JSON.parse(utf8.decode(await as(org).contract.evaluateTransaction('document:getDocument', documentId))) as { docType: string; versions: { sha256: string }[] };
                assert.equal(head.docType, docType);
                assert.equal(head.versions[0]?.sha256, meta.sha256);
            }
        });
    }

    it('a bill of lading transfer not endorsed by the holder organisation fails validation; endorsed by holder and carrier, it moves', async () => {
        const tdr = `BL-${runId}`;
        const issue = await as('carrier').contract.submitAsync('billOfLading:issueBillOfLading', { arguments: [tdr, shipmentId, JSON.stringify(BILL_OF_LADING)] });
        const issued = await issue.getStatus();
        assert.equal(issued.successful, true);
        await waitForBlock(as('customs').network, issued.blockNumber);
        const holder = async (): Promise<string> =>
            (JSON.parse(utf8.decode(await as('customs').contract.evaluateTransaction('billOfLading:getBillOfLading', tdr))) as { holderMspId: string }).holderMspId;
        assert.equal(await holder(), 'ExporterMSP');

        // The holder's own user asks, so the contract agrees; but the Exporter peer does not endorse.
        const bypass = await as('exporter').contract.newProposal('billOfLading:transferBillOfLading', {
            arguments: [tdr, 'BankMSP'], endorsingOrganizations: ['CarrierMSP', 'CustomsMSP'],
        }).endorse();
        const status = await (await bypass.submit()).getStatus();
        assert.equal(status.successful, false);
        assert.equal(status.code, 10); // ENDORSEMENT_POLICY_FAILURE: the key-level policy wants the holder
        assert.equal(await holder(), 'ExporterMSP');

        const transfer = await as('exporter').contract.submitAsync('billOfLading:transferBillOfLading', {
            arguments: [tdr, 'BankMSP'], endorsingOrganizations: ['ExporterMSP', 'CarrierMSP'],
        });
        const transferred = await transfer.getStatus();
        assert.equal(transferred.successful, true);
        await waitForBlock(as('customs').network, transferred.blockNumber);
        assert.equal(await holder(), 'BankMSP');

        // The former holder can no longer move it.
        await assert.rejects(as('exporter').contract.submitAsync('billOfLading:transferBillOfLading', {
            arguments: [tdr, 'ExporterMSP'], endorsingOrganizations: ['ExporterMSP', 'CarrierMSP'],
        }), (err: Error & { details?: { message: string }[] }) => (err.details ?? []).some((d) => d.message.includes('FORBIDDEN')));
    });

    it('a B/L draft: an approval not endorsed by the shipper\'s peer fails validation; the approved content is issued, other content is not; the carrier cannot void what the holder controls', async () => {
        const tdr = `BLD-${runId}`;
        const read = async (fn: string): Promise<Record<string, unknown>> =>
            JSON.parse(utf8.decode(await as('customs').contract.evaluateTransaction(fn, tdr))) as Record<string, unknown>;
        const drafted = await (await as('carrier').contract.submitAsync('billOfLading:draftBillOfLading', { arguments: [tdr, shipmentId, JSON.stringify(BILL_OF_LADING)] })).getStatus();
        assert.equal(drafted.successful, true);
        await waitForBlock(as('customs').network, drafted.blockNumber);
        await waitForBlock(as('exporter').network, drafted.blockNumber);
        const draft = await read('billOfLading:getBillOfLadingDraft');
        assert.equal(draft['draftStatus'], 'DRAFT');
        const checksum = String(draft['documentChecksum']);

        // The shipper's own user approves, so the contract agrees; but without the shipper's peer the carrier's peer
        // and any other could have written that approval: the draft key's policy refuses it at validation.
        const forged = await as('exporter').contract.newProposal('billOfLading:approveDraft', {
            arguments: [tdr, checksum], endorsingOrganizations: ['CarrierMSP', 'CustomsMSP'],
        }).endorse();
        const refused = await (await forged.submit()).getStatus();
        assert.deepEqual([refused.successful, refused.code], [false, 10]); // ENDORSEMENT_POLICY_FAILURE
        await waitForBlock(as('customs').network, refused.blockNumber);
        assert.equal((await read('billOfLading:getBillOfLadingDraft'))['draftStatus'], 'DRAFT');

        // The peer gateway picks the endorsers the key policy names.
        const approved = await (await as('exporter').contract.submitAsync('billOfLading:approveDraft', { arguments: [tdr, checksum] })).getStatus();
        assert.equal(approved.successful, true);
        await waitForBlock(as('carrier').network, approved.blockNumber);
        await assert.rejects(as('carrier').contract.submitAsync('billOfLading:issueBillOfLading', { arguments: [tdr, shipmentId, JSON.stringify({ ...BILL_OF_LADING, vesselName: 'Not Reviewed' })] }),
            (err: Error & { details?: { message: string }[] }) => (err.details ?? []).some((d) => d.message.includes('differs from the draft the shipper approved')));
        const issued = await (await as('carrier').contract.submitAsync('billOfLading:issueBillOfLading', { arguments: [tdr, shipmentId, JSON.stringify(BILL_OF_LADING)] })).getStatus();
        assert.equal(issued.successful, true);
        await waitForBlock(as('customs').network, issued.blockNumber);
        const bl = await read('billOfLading:getBillOfLading');
        assert.deepEqual([bl['transportDocumentStatus'], bl['holderMspId'], bl['documentChecksum']], ['ISSUED', 'ExporterMSP', checksum]);
        assert.equal((await read('billOfLading:getBillOfLadingDraft'))['draftStatus'], 'ISSUED');

        await waitForBlock(as('carrier').network, issued.blockNumber);
        await assert.rejects(as('carrier').contract.submitAsync('billOfLading:voidBillOfLading', { arguments: [tdr, 'issued in error'] }),
            (err: Error & { details?: { message: string }[] }) => (err.details ?? []).some((d) => d.message.includes('must be SURRENDER_FOR_AMENDMENT')));
        assert.equal((await read('billOfLading:getBillOfLading'))['transportDocumentStatus'], 'ISSUED');
    });

    it('no private value written by these tests appears in any block', async () => {
        assert.ok(secrets.length >= Object.keys(READERS).length + 1);
        const network = as('customs').network;
        const blocks = await readBlocks(network, await chainHeight(network));
        assert.ok(blocks.some((b) => blockContains(b, shipmentId)), 'the scan finds public facts, so it can find secrets');
        for (const secret of secrets) {
            assert.deepEqual(blocks.filter((b) => blockContains(b, secret)).map((b) => b.getHeader()?.getNumber()), [], `blocks holding ${secret.slice(0, 20)}`);
        }
    });
});
