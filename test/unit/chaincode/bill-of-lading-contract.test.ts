import './quiet-logs';
import assert from 'node:assert/strict';
import type { Context } from 'fabric-contract-api';
import { common, msp } from '@hyperledger/fabric-protos';
import { KeyEndorsementPolicy } from 'fabric-shim';
import { BillOfLadingContract, GENESIS_HASH, TransferLogEntry, holderPolicyOrgs, verifyChain } from '../../../chaincode/src/bill-of-lading-contract';
import { rejectsWith } from './expect-error';
import { BANK_APPROVER, BANK_OFFICER, CARRIER, CUSTOMS, EXPORTER, FORWARDER, Identity, Ledger, compositeKey } from './fake-context';
import { billOfLadingJson, uid } from './fixtures';
import { openShipment } from './scenario';

const bls = new BillOfLadingContract();

type Bl = Record<string, unknown> & { holderMspId: string; transportDocumentStatus: string; version: number };

async function run(ledger: Ledger, who: Identity, fn: (ctx: Context) => Promise<string>): Promise<Bl> {
    return JSON.parse(await ledger.invoke(who, fn)) as Bl;
}

function policyOrgs(ledger: Ledger, tdr: string): string[] {
    const ep = ledger.validationParameters.get(compositeKey('billOfLading', [tdr]));
    assert.ok(ep, 'no key-level endorsement policy on the B/L key');
    return new KeyEndorsementPolicy(ep).listOrgs().sort();
}

async function issued(ledger: Ledger, overrides: Record<string, unknown> = {}): Promise<{ tdr: string; shipmentId: string }> {
    const shipmentId = uid('SHP');
    const tdr = uid('BOLU');
    await openShipment(ledger, shipmentId);
    await run(ledger, CARRIER, (ctx) => bls.issueBillOfLading(ctx, tdr, shipmentId, billOfLadingJson(overrides)));
    return { tdr, shipmentId };
}

async function getBl(ledger: Ledger, tdr: string): Promise<Bl> {
    return run(ledger, CUSTOMS, (ctx) => bls.getBillOfLading(ctx, tdr));
}

/** Every principal of the key policy as `MSP.role`, and how many of them must sign. */
function policyPrincipals(ledger: Ledger, tdr: string): { n: number; principals: string[] } {
    const ep = ledger.validationParameters.get(compositeKey('billOfLading', [tdr]));
    assert.ok(ep);
    const envelope = common.SignaturePolicyEnvelope.deserializeBinary(ep);
    const roles = Object.fromEntries(Object.entries(msp.MSPRole.MSPRoleType).map(([name, value]) => [value, name]));
    const principals = envelope.getIdentitiesList().map((p) => {
        const role = msp.MSPRole.deserializeBinary(p.getPrincipal_asU8());
        return `${role.getMspIdentifier()}.${roles[role.getRole()] ?? '?'}`;
    });
    return { n: envelope.getRule()?.getNOutOf()?.getN() ?? 0, principals: principals.sort() };
}

describe('BillOfLadingContract', () => {
    let ledger: Ledger;
    beforeEach(() => { ledger = new Ledger(); });

    describe('key-level endorsement policy', () => {
        it('names the holder and the carrier, and never one organisation alone', () => {
            assert.deepEqual(holderPolicyOrgs({ holderMspId: 'ExporterMSP', carrierMspId: 'CarrierMSP' }), ['CarrierMSP', 'ExporterMSP']);
            assert.deepEqual(holderPolicyOrgs({ holderMspId: 'BankMSP', carrierMspId: 'CarrierMSP' }), ['BankMSP', 'CarrierMSP']);
            // After a surrender the carrier holds: the organisation that surrendered stays in the policy.
            assert.deepEqual(holderPolicyOrgs({ holderMspId: 'CarrierMSP', carrierMspId: 'CarrierMSP', surrenderedByMspId: 'BankMSP' }), ['BankMSP', 'CarrierMSP']);
            // Nobody surrendered it (never reached by the contract): still two, the shipper's peer with the carrier's.
            assert.deepEqual(holderPolicyOrgs({ holderMspId: 'CarrierMSP', carrierMspId: 'CarrierMSP' }), ['CarrierMSP', 'ExporterMSP']);
        });

        it('requires every named organisation\'s peer (PEER role): a client certificate of the organisation does not satisfy it', async () => {
            const { tdr } = await issued(ledger);
            assert.deepEqual(policyPrincipals(ledger, tdr), { n: 2, principals: ['CarrierMSP.PEER', 'ExporterMSP.PEER'] });
            await run(ledger, EXPORTER, (ctx) => bls.surrenderForDelivery(ctx, tdr));
            await run(ledger, CARRIER, (ctx) => bls.acceptSurrender(ctx, tdr));
            assert.deepEqual(policyPrincipals(ledger, tdr), { n: 2, principals: ['CarrierMSP.PEER', 'ExporterMSP.PEER'] });
        });
    });

    describe('issue', () => {
        it('by the carrier: ISSUED, first holder the shipper, ISSUE logged, holder and carrier must endorse, shipment SHIPPED', async () => {
            const { tdr, shipmentId } = await issued(ledger);
            const bl = await getBl(ledger, tdr);
            assert.equal(bl.transportDocumentStatus, 'ISSUED');
            assert.equal(bl.holderMspId, 'ExporterMSP');
            assert.equal(bl['issueDate'], '2026-03-02');
            assert.deepEqual(policyOrgs(ledger, tdr), ['CarrierMSP', 'ExporterMSP']);
            const log = JSON.parse(await ledger.invoke(BANK_OFFICER, (ctx) => bls.getTransferLog(ctx, tdr))) as { entries: TransferLogEntry[]; intact: boolean };
            assert.deepEqual(log.entries.map((e) => [e.seq, e.action, e.fromMspId, e.toMspId, e.previousHash]), [[1, 'ISSUE', 'CarrierMSP', 'ExporterMSP', GENESIS_HASH]]);
            assert.equal(log.intact, true);
            assert.equal(ledger.getJson(compositeKey('shipment', [shipmentId]))?.['status'], 'SHIPPED');
            assert.deepEqual(ledger.events.at(-1)?.payload, { type: 'BillOfLadingIssued', record: 'billOfLading', id: tdr, shipmentId, status: 'ISSUED', txId: 'tx2' });
        });

        it('by anyone but the carrier is refused', async () => {
            const shipmentId = uid('SHP');
            await openShipment(ledger, shipmentId);
            for (const who of [EXPORTER, CUSTOMS, BANK_OFFICER]) {
                await rejectsWith(ledger.invoke(who, (ctx) => bls.issueBillOfLading(ctx, uid('B'), shipmentId, billOfLadingJson())), 'FORBIDDEN', 'bl.issue');
            }
        });

        it('twice with one reference is ALREADY_EXISTS; on an unknown shipment NOT_FOUND', async () => {
            const { tdr, shipmentId } = await issued(ledger);
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => bls.issueBillOfLading(ctx, tdr, shipmentId, billOfLadingJson())), 'ALREADY_EXISTS', `bill of lading ${tdr} exists`);
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => bls.issueBillOfLading(ctx, uid('B'), 'NOPE', billOfLadingJson())), 'NOT_FOUND', 'shipment NOPE');
        });

        const bad: [string, Record<string, unknown>, string][] = [
            ['a to-order sea waybill', { transportDocumentTypeCode: 'SWB' }, 'isToOrder must be false for a sea waybill'],
            ['a straight B/L without consignee', { isToOrder: false }, 'consignee is required when isToOrder is false'],
            ['an unknown document type', { transportDocumentTypeCode: 'AWB' }, 'transportDocumentTypeCode must be one of BOL, SWB'],
            ['a bad carrier code', { carrierCode: 'bolu1' }, 'carrierCode must be a 2 to 4 letter carrier code'],
            ['a bad port', { portOfDischarge: 'HAMBURG' }, 'portOfDischarge'],
            ['a bad on-board date', { shippedOnBoardDate: '2026-02-30' }, 'shippedOnBoardDate must be a real calendar date'],
            ['a bad container number', { equipmentReferences: ['MSCU12'] }, 'equipmentReferences[0]'],
            ['no consignment items', { consignmentItems: [] }, 'consignmentItems must be a list'],
            ['both an on-board and a received-for-shipment date', { receivedForShipmentDate: '2026-02-28' }, 'exactly one of shippedOnBoardDate'],
            ['neither date', { shippedOnBoardDate: undefined }, 'exactly one of shippedOnBoardDate'],
            ['an on-board date after the issue date', { shippedOnBoardDate: '2026-03-04' }, 'shippedOnBoardDate 2026-03-04 is after the issue date 2026-03-02'],
            ['a bad place of delivery', { placeOfDelivery: 'Hamburg' }, 'placeOfDelivery'],
        ];
        for (const [what, overrides, message] of bad) {
            it(`with ${what} is refused`, async () => {
                const shipmentId = uid('SHP');
                await openShipment(ledger, shipmentId);
                await rejectsWith(ledger.invoke(CARRIER, (ctx) => bls.issueBillOfLading(ctx, uid('B'), shipmentId, billOfLadingJson(overrides))), 'INVALID_ARGUMENT', message);
            });
        }
    });

    describe('issued content', () => {
        it('a received-for-shipment B/L with places of receipt and delivery; the checksum is of the content stated', async () => {
            const { tdr } = await issued(ledger, { shippedOnBoardDate: undefined, receivedForShipmentDate: '2026-03-01', placeOfReceipt: 'CNCTU', placeOfDelivery: 'DEBER' });
            const bl = await getBl(ledger, tdr);
            assert.deepEqual([bl['receivedForShipmentDate'], bl['shippedOnBoardDate'], bl['placeOfReceipt'], bl['placeOfDelivery']], ['2026-03-01', undefined, 'CNCTU', 'DEBER']);
            const other = await issued(ledger);
            assert.match(String(bl['documentChecksum']), /^[0-9a-f]{64}$/);
            assert.notEqual(bl['documentChecksum'], (await getBl(ledger, other.tdr))['documentChecksum']);
            // One more day of grace than the issue date: the carrier states local dates, the issue date is UTC.
            await issued(ledger, { shippedOnBoardDate: '2026-03-03' });
        });

        it('every transfer log entry carries the checksum of the version it transferred; an amendment changes it', async () => {
            const { tdr } = await issued(ledger);
            const v1 = String((await getBl(ledger, tdr))['documentChecksum']);
            await run(ledger, EXPORTER, (ctx) => bls.surrenderForAmendment(ctx, tdr));
            await run(ledger, CARRIER, (ctx) => bls.acceptSurrender(ctx, tdr));
            // Received for shipment, now shipped: the amendment restates the content, dropping what it does not state.
            const amended = await run(ledger, CARRIER, (ctx) => bls.amendBillOfLading(ctx, tdr, billOfLadingJson({ notifyParty: undefined })));
            assert.equal(amended['notifyParty'], undefined);
            const v2 = String(amended['documentChecksum']);
            assert.notEqual(v2, v1);
            const log = JSON.parse(await ledger.invoke(CUSTOMS, (ctx) => bls.getTransferLog(ctx, tdr))) as { entries: TransferLogEntry[]; intact: boolean };
            assert.deepEqual(log.entries.map((e) => [e.action, e.documentChecksum]), [['ISSUE', v1], ['SURRENDER_FOR_AMENDMENT', v1], ['SACC', v1], ['ISSUE', v2]]);
            assert.equal(log.intact, true);
            const [first, ...rest] = log.entries;
            assert.ok(first);
            assert.equal(verifyChain([{ ...first, documentChecksum: v2 }, ...rest]), false, 'the checksum is inside the hash chain');
        });
    });

    describe('draft and approval (DCSA "approve draft transport document")', () => {
        async function drafted(overrides: Record<string, unknown> = {}): Promise<{ tdr: string; shipmentId: string; checksum: string }> {
            const shipmentId = uid('SHP');
            const tdr = uid('BOLU');
            await openShipment(ledger, shipmentId);
            const d = await run(ledger, CARRIER, (ctx) => bls.draftBillOfLading(ctx, tdr, shipmentId, billOfLadingJson(overrides)));
            return { tdr, shipmentId, checksum: String(d['documentChecksum']) };
        }

        it('the carrier drafts, the shipper approves that checksum, the carrier issues exactly the approved content', async () => {
            const { tdr, shipmentId, checksum } = await drafted();
            const draft = await run(ledger, BANK_OFFICER, (ctx) => bls.getBillOfLadingDraft(ctx, tdr));
            assert.deepEqual([draft['draftStatus'], draft['revision'], draft['shipperMspId']], ['DRAFT', 1, 'ExporterMSP']);
            assert.equal(ledger.getJson(compositeKey('billOfLading', [tdr])), undefined, 'a draft is not a B/L: nobody holds anything');
            // Approval and issue need the shipper's and the carrier's peers: no other pair can forge an approval.
            const ep = ledger.validationParameters.get(compositeKey('billOfLadingDraft', [tdr]));
            assert.ok(ep, 'no key-level endorsement policy on the draft key');
            assert.deepEqual(new KeyEndorsementPolicy(ep).listOrgs().sort(), ['CarrierMSP', 'ExporterMSP']);
            const approved = await run(ledger, FORWARDER, (ctx) => bls.approveDraft(ctx, tdr, checksum));
            assert.equal(approved['draftStatus'], 'APPROVED');
            assert.deepEqual((await run(ledger, CARRIER, (ctx) => bls.getBillOfLadingDraft(ctx, tdr)))['allowedActions'], ['reviseDraft', 'issueBillOfLading']);
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => bls.issueBillOfLading(ctx, tdr, shipmentId, billOfLadingJson({ vesselName: 'Other' }))),
                'FAILED_PRECONDITION', 'differs from the draft the shipper approved');
            const bl = await run(ledger, CARRIER, (ctx) => bls.issueBillOfLading(ctx, tdr, shipmentId, billOfLadingJson()));
            assert.deepEqual([bl.transportDocumentStatus, bl['documentChecksum']], ['ISSUED', checksum]);
            assert.equal((await run(ledger, CARRIER, (ctx) => bls.getBillOfLadingDraft(ctx, tdr)))['draftStatus'], 'ISSUED');
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => bls.draftBillOfLading(ctx, tdr, shipmentId, billOfLadingJson())), 'ALREADY_EXISTS', `bill of lading ${tdr} exists`);
        });

        it('a draft the shipper has not approved cannot be issued; a revision needs a new approval of its own checksum', async () => {
            const { tdr, shipmentId, checksum } = await drafted();
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => bls.issueBillOfLading(ctx, tdr, shipmentId, billOfLadingJson())), 'FAILED_PRECONDITION', 'must be APPROVED');
            await run(ledger, EXPORTER, (ctx) => bls.approveDraft(ctx, tdr, checksum));
            const revised = await run(ledger, CARRIER, (ctx) => bls.draftBillOfLading(ctx, tdr, shipmentId, billOfLadingJson({ vesselName: 'Blue Dawn' })));
            assert.deepEqual([revised['draftStatus'], revised['revision']], ['DRAFT', 2]);
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => bls.issueBillOfLading(ctx, tdr, shipmentId, billOfLadingJson({ vesselName: 'Blue Dawn' }))), 'FAILED_PRECONDITION', 'must be APPROVED');
            // The shipper's approval of what it reviewed earlier does not approve the revision.
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => bls.approveDraft(ctx, tdr, checksum)), 'FAILED_PRECONDITION', 'is now revision 2');
            await run(ledger, EXPORTER, (ctx) => bls.approveDraft(ctx, tdr, String(revised['documentChecksum'])));
            const bl = await run(ledger, CARRIER, (ctx) => bls.issueBillOfLading(ctx, tdr, shipmentId, billOfLadingJson({ vesselName: 'Blue Dawn' })));
            assert.equal(bl['vesselName'], 'Blue Dawn');
        });

        it('only the carrier drafts and only the shipper approves', async () => {
            const { tdr, shipmentId, checksum } = await drafted();
            for (const who of [EXPORTER, CUSTOMS, BANK_OFFICER]) {
                await rejectsWith(ledger.invoke(who, (ctx) => bls.draftBillOfLading(ctx, tdr, shipmentId, billOfLadingJson())), 'FORBIDDEN', 'bl.draft');
            }
            for (const who of [CARRIER, CUSTOMS, BANK_APPROVER]) {
                await rejectsWith(ledger.invoke(who, (ctx) => bls.approveDraft(ctx, tdr, checksum)), 'FORBIDDEN', 'bl.approveDraft');
            }
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => bls.approveDraft(ctx, tdr, 'abc')), 'INVALID_ARGUMENT', 'documentChecksum');
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => bls.approveDraft(ctx, uid('NONE'), checksum)), 'NOT_FOUND', 'bill of lading draft');
            assert.equal((await run(ledger, CUSTOMS, (ctx) => bls.getBillOfLadingDraft(ctx, tdr)))['draftStatus'], 'DRAFT');
        });
    });

    describe('exclusive control', () => {
        it('the holder transfers to the bank; the exporter then can no longer act; policy follows the holder', async () => {
            const { tdr } = await issued(ledger);
            const bl = await run(ledger, FORWARDER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'BankMSP'));
            assert.equal(bl.holderMspId, 'BankMSP');
            assert.deepEqual(policyOrgs(ledger, tdr), ['BankMSP', 'CarrierMSP']);
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'BankMSP')), 'FORBIDDEN', 'only the holder BankMSP controls');
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => bls.surrenderForDelivery(ctx, tdr)), 'FORBIDDEN', 'only the holder BankMSP controls');
            const back = await run(ledger, BANK_APPROVER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'ExporterMSP'));
            assert.equal(back.holderMspId, 'ExporterMSP');
            assert.deepEqual(policyOrgs(ledger, tdr), ['CarrierMSP', 'ExporterMSP']);
        });

        it('a non-holder organisation cannot transfer, even with a permitted role', async () => {
            const { tdr } = await issued(ledger);
            await rejectsWith(ledger.invoke(BANK_OFFICER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'BankMSP')), 'FORBIDDEN', 'only the holder ExporterMSP');
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'BankMSP')), 'FORBIDDEN', 'bl.transfer');
            await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => bls.surrenderForDelivery(ctx, tdr)), 'FORBIDDEN', 'bl.surrender');
        });

        it('transfer only to a holder organisation other than the current one', async () => {
            const { tdr } = await issued(ledger);
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'CustomsMSP')), 'INVALID_ARGUMENT', 'toMspId must be one of ExporterMSP, BankMSP');
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'ExporterMSP')), 'INVALID_ARGUMENT', 'already holds');
        });

        it('a sea waybill cannot change hands', async () => {
            const { tdr } = await issued(ledger, { transportDocumentTypeCode: 'SWB', isToOrder: false, consignee: { name: 'Hamburg Wear GmbH', country: 'DE' } });
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'BankMSP')), 'FAILED_PRECONDITION', 'sea waybill');
        });

        it('endorse: the holder of a to-order B/L names the endorsee, who becomes holder', async () => {
            const { tdr } = await issued(ledger);
            const bl = await run(ledger, EXPORTER, (ctx) => bls.endorseBillOfLading(ctx, tdr, JSON.stringify({ mspId: 'BankMSP', name: 'First Trade Bank' })));
            assert.deepEqual(bl['endorsee'], { mspId: 'BankMSP', name: 'First Trade Bank' });
            assert.equal(bl.holderMspId, 'BankMSP');
            assert.deepEqual(policyOrgs(ledger, tdr), ['BankMSP', 'CarrierMSP']);
        });

        it('endorse of a straight B/L is refused', async () => {
            const { tdr } = await issued(ledger, { isToOrder: false, consignee: { name: 'Hamburg Wear GmbH', country: 'DE' } });
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => bls.endorseBillOfLading(ctx, tdr, JSON.stringify({ mspId: 'BankMSP', name: 'B' }))), 'FAILED_PRECONDITION', 'isToOrder is false');
        });
    });

    describe('surrender', () => {
        it('for delivery: holder surrenders, carrier accepts (SACC): terminal, shipment DELIVERED, nothing moves after', async () => {
            const { tdr, shipmentId } = await issued(ledger);
            await run(ledger, EXPORTER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'BankMSP'));
            const pending = await run(ledger, BANK_OFFICER, (ctx) => bls.surrenderForDelivery(ctx, tdr));
            assert.equal(pending.transportDocumentStatus, 'PENDING_SURRENDER_FOR_DELIVERY');
            assert.equal(pending.holderMspId, 'CarrierMSP');
            assert.equal(pending['surrenderedByMspId'], 'BankMSP');
            const done = await run(ledger, CARRIER, (ctx) => bls.acceptSurrender(ctx, tdr));
            assert.equal(done.transportDocumentStatus, 'SURRENDER_FOR_DELIVERY');
            assert.equal(ledger.getJson(compositeKey('shipment', [shipmentId]))?.['status'], 'DELIVERED');
            for (const [who, fn] of [
                [BANK_OFFICER, (c: Context) => bls.transferBillOfLading(c, tdr, 'ExporterMSP')],
                [CARRIER, (c: Context) => bls.acceptSurrender(c, tdr)],
                [CARRIER, (c: Context) => bls.rejectSurrender(c, tdr, 'x')],
                [CARRIER, (c: Context) => bls.voidBillOfLading(c, tdr, 'x')],
                [CARRIER, (c: Context) => bls.amendBillOfLading(c, tdr, billOfLadingJson())],
            ] as [Identity, (c: Context) => Promise<string>][]) {
                await assert.rejects(ledger.invoke(who, fn), /^ContractError: (FORBIDDEN|FAILED_PRECONDITION): /);
            }
            assert.equal((await getBl(ledger, tdr)).transportDocumentStatus, 'SURRENDER_FOR_DELIVERY');
        });

        it('rejected (SREJ): back to ISSUED with the party that surrendered', async () => {
            const { tdr } = await issued(ledger);
            await run(ledger, EXPORTER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'BankMSP'));
            await run(ledger, BANK_OFFICER, (ctx) => bls.surrenderForDelivery(ctx, tdr));
            const back = await run(ledger, CARRIER, (ctx) => bls.rejectSurrender(ctx, tdr, 'not the consignee'));
            assert.equal(back.transportDocumentStatus, 'ISSUED');
            assert.equal(back.holderMspId, 'BankMSP');
            assert.equal(back['surrenderedByMspId'], undefined);
            assert.deepEqual(policyOrgs(ledger, tdr), ['BankMSP', 'CarrierMSP']);
        });

        it('for amendment: accepted, then the carrier issues version 2 to the party that surrendered; version 1 is kept', async () => {
            const { tdr } = await issued(ledger);
            await run(ledger, EXPORTER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'BankMSP'));
            await run(ledger, BANK_APPROVER, (ctx) => bls.surrenderForAmendment(ctx, tdr));
            const accepted = await run(ledger, CARRIER, (ctx) => bls.acceptSurrender(ctx, tdr));
            assert.equal(accepted.transportDocumentStatus, 'SURRENDER_FOR_AMENDMENT');
            ledger.now = new Date('2026-03-04T08:00:00Z');
            const amended = await run(ledger, CARRIER, (ctx) => bls.amendBillOfLading(ctx, tdr, billOfLadingJson({ vesselName: 'Blue Dawn' })));
            assert.deepEqual([amended.version, amended.transportDocumentStatus, amended.holderMspId, amended['vesselName'], amended['issueDate']], [2, 'ISSUED', 'BankMSP', 'Blue Dawn', '2026-03-04']);
            assert.equal(ledger.getJson(compositeKey('billOfLadingVersion', [tdr, '000001']))?.['vesselName'], 'Blue Horizon');
            const log = JSON.parse(await ledger.invoke(CUSTOMS, (ctx) => bls.getTransferLog(ctx, tdr))) as { entries: TransferLogEntry[]; intact: boolean };
            assert.deepEqual(log.entries.map((e) => e.action), ['ISSUE', 'TRANSFER', 'SURRENDER_FOR_AMENDMENT', 'SACC', 'ISSUE']);
            assert.equal(log.intact, true);
            assert.deepEqual(ledger.events.slice(-3).map((e) => e.name), ['BillOfLadingSurrenderedForAmendment', 'BillOfLadingSurrenderAccepted', 'BillOfLadingAmended']);
        });

        it('only the issuing carrier accepts or rejects; the holder cannot', async () => {
            const { tdr } = await issued(ledger);
            await run(ledger, EXPORTER, (ctx) => bls.surrenderForDelivery(ctx, tdr));
            await rejectsWith(ledger.invoke(EXPORTER, (ctx) => bls.acceptSurrender(ctx, tdr)), 'FORBIDDEN', 'bl.acceptSurrender');
            await rejectsWith(ledger.invoke(BANK_OFFICER, (ctx) => bls.rejectSurrender(ctx, tdr, 'x')), 'FORBIDDEN', 'bl.rejectSurrender');
        });
    });

    describe('void', () => {
        it('the carrier cannot void a B/L its holder controls (UK ETDA 2023 s.2(2)(c)), even one that never moved', async () => {
            const { tdr } = await issued(ledger);
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => bls.voidBillOfLading(ctx, tdr, 'issued in error')), 'FAILED_PRECONDITION', 'must be SURRENDER_FOR_AMENDMENT');
            await run(ledger, EXPORTER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'BankMSP'));
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => bls.voidBillOfLading(ctx, tdr, 'x')), 'FAILED_PRECONDITION', 'must be SURRENDER_FOR_AMENDMENT');
            assert.equal((await getBl(ledger, tdr)).holderMspId, 'BankMSP');
        });

        it('a B/L its holder surrendered for amendment can be voided instead of amended; VOID is terminal', async () => {
            const { tdr } = await issued(ledger);
            await run(ledger, EXPORTER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'BankMSP'));
            await run(ledger, BANK_APPROVER, (ctx) => bls.surrenderForAmendment(ctx, tdr));
            await run(ledger, CARRIER, (ctx) => bls.acceptSurrender(ctx, tdr));
            const bl = await run(ledger, CARRIER, (ctx) => bls.voidBillOfLading(ctx, tdr, 'replaced'));
            assert.equal(bl.transportDocumentStatus, 'VOID');
            // The carrier holds it now; the bank, which gave it up, must endorse too: never one organisation alone.
            assert.deepEqual(policyOrgs(ledger, tdr), ['BankMSP', 'CarrierMSP']);
            await rejectsWith(ledger.invoke(BANK_OFFICER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'ExporterMSP')), 'FORBIDDEN', 'only the holder CarrierMSP');
            await rejectsWith(ledger.invoke(CARRIER, (ctx) => bls.voidBillOfLading(ctx, tdr, 'again')), 'FAILED_PRECONDITION', 'is VOID');
        });
    });

    describe('state transition table (every action from every status)', () => {
        type Step = [Identity, (c: Context, tdr: string) => Promise<string>];
        const reach: Record<string, Step[]> = {
            ISSUED: [],
            PENDING_SURRENDER_FOR_DELIVERY: [[EXPORTER, (c, t) => bls.surrenderForDelivery(c, t)]],
            SURRENDER_FOR_DELIVERY: [[EXPORTER, (c, t) => bls.surrenderForDelivery(c, t)], [CARRIER, (c, t) => bls.acceptSurrender(c, t)]],
            PENDING_SURRENDER_FOR_AMENDMENT: [[EXPORTER, (c, t) => bls.surrenderForAmendment(c, t)]],
            SURRENDER_FOR_AMENDMENT: [[EXPORTER, (c, t) => bls.surrenderForAmendment(c, t)], [CARRIER, (c, t) => bls.acceptSurrender(c, t)]],
            VOID: [[EXPORTER, (c, t) => bls.surrenderForAmendment(c, t)], [CARRIER, (c, t) => bls.acceptSurrender(c, t)], [CARRIER, (c, t) => bls.voidBillOfLading(c, t, 'x')]],
        };
        // Holder actions are tried by the party that would hold the B/L if it were ISSUED (the exporter).
        const actions: Record<string, [Identity, (c: Context, tdr: string) => Promise<string>, string]> = {
            TRANSFER: [EXPORTER, (c, t) => bls.transferBillOfLading(c, t, 'BankMSP'), 'ISSUED'],
            ENDORSE: [EXPORTER, (c, t) => bls.endorseBillOfLading(c, t, JSON.stringify({ mspId: 'BankMSP', name: 'B' })), 'ISSUED'],
            SURRENDER_FOR_DELIVERY: [EXPORTER, (c, t) => bls.surrenderForDelivery(c, t), 'ISSUED'],
            SURRENDER_FOR_AMENDMENT: [EXPORTER, (c, t) => bls.surrenderForAmendment(c, t), 'ISSUED'],
            SACC: [CARRIER, (c, t) => bls.acceptSurrender(c, t), 'PENDING_SURRENDER_FOR_DELIVERY PENDING_SURRENDER_FOR_AMENDMENT'],
            SREJ: [CARRIER, (c, t) => bls.rejectSurrender(c, t, 'x'), 'PENDING_SURRENDER_FOR_DELIVERY PENDING_SURRENDER_FOR_AMENDMENT'],
            AMEND: [CARRIER, (c, t) => bls.amendBillOfLading(c, t, billOfLadingJson()), 'SURRENDER_FOR_AMENDMENT'],
            VOID: [CARRIER, (c, t) => bls.voidBillOfLading(c, t, 'x'), 'SURRENDER_FOR_AMENDMENT'],
        };
        for (const [status, steps] of Object.entries(reach)) {
            for (const [action, [who, fn, allowedFrom]] of Object.entries(actions)) {
                const allowed = allowedFrom.split(' ').includes(status);
                it(`${action} from ${status} is ${allowed ? 'allowed' : 'refused'}`, async () => {
                    const { tdr } = await issued(ledger);
                    for (const [stepWho, step] of steps) {
                        await ledger.invoke(stepWho, (c) => step(c, tdr));
                    }
                    assert.equal((await getBl(ledger, tdr)).transportDocumentStatus, status);
                    const before = (await getBl(ledger, tdr)).transferLogLength;
                    if (allowed) {
                        await ledger.invoke(who, (c) => fn(c, tdr));
                        assert.equal((await getBl(ledger, tdr)).transferLogLength, Number(before) + 1);
                    } else {
                        await assert.rejects(ledger.invoke(who, (c) => fn(c, tdr)), /^ContractError: (FORBIDDEN|FAILED_PRECONDITION): /);
                        assert.equal((await getBl(ledger, tdr)).transportDocumentStatus, status);
                    }
                });
            }
        }
    });

    describe('transfer log', () => {
        it('chains each entry to the previous hash, and verifyChain detects tampering', async () => {
            const { tdr } = await issued(ledger);
            await run(ledger, EXPORTER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'BankMSP'));
            await run(ledger, BANK_OFFICER, (ctx) => bls.transferBillOfLading(ctx, tdr, 'ExporterMSP'));
            const log = JSON.parse(await ledger.invoke(CUSTOMS, (ctx) => bls.getTransferLog(ctx, tdr))) as { entries: TransferLogEntry[]; intact: boolean };
            const [a, b, c] = log.entries;
            assert.ok(a && b && c);
            assert.equal(b.previousHash, a.hash);
            assert.equal(c.previousHash, b.hash);
            assert.equal((await getBl(ledger, tdr))['transferLogHead'], c.hash);
            assert.equal(verifyChain(log.entries), true);
            assert.equal(verifyChain([a, { ...b, toMspId: 'CustomsMSP' }, c]), false);
            assert.equal(verifyChain([a, c]), false);
        });

        it('each action emits exactly one event naming the new status', async () => {
            const { tdr } = await issued(ledger);
            const before = ledger.events.length;
            await run(ledger, EXPORTER, (ctx) => bls.surrenderForDelivery(ctx, tdr));
            assert.equal(ledger.events.length, before + 1);
            assert.equal(ledger.events.at(-1)?.payload['status'], 'PENDING_SURRENDER_FOR_DELIVERY');
        });
    });
});
