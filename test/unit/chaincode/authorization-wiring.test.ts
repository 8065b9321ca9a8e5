import './quiet-logs';
import assert from 'node:assert/strict';
import type { Context } from 'fabric-contract-api';
import { ContractError } from '../../../chaincode/src/errors';
import { ALL_GRANTEES, Action, isAllowed } from '../../../chaincode/src/permissions';
import { TRANSACTIONS } from '../../../chaincode/src/transactions';
import { CallerContract } from '../../../chaincode/src/caller-contract';
import { Ledger } from './fake-context';

/** The action each transaction must check first. Written out so that a transaction wired to the wrong row fails. */
const ACTION_OF: Record<string, Action> = {
    openShipment: 'shipment.open', cancelShipment: 'shipment.cancel', getShipment: 'shipment.read',
    getShipmentCommercial: 'shipment.readCommercial', queryShipmentsByStatus: 'shipment.read', queryShipmentsByParty: 'shipment.read',
    getHistory: 'record.history',
    registerDocument: 'document.register', revokeDocument: 'document.revoke', getDocument: 'document.read',
    listShipmentDocuments: 'document.read', getDocumentContent: 'document.read', verifyDocumentHash: 'document.read', verifyDocumentRegistration: 'document.read', verifyDocumentBytes: 'document.read',
    draftBillOfLading: 'bl.draft', approveDraft: 'bl.approveDraft', getBillOfLadingDraft: 'bl.read',
    issueBillOfLading: 'bl.issue', transferBillOfLading: 'bl.transfer', endorseBillOfLading: 'bl.endorse',
    surrenderForDelivery: 'bl.surrender', surrenderForAmendment: 'bl.surrender', acceptSurrender: 'bl.acceptSurrender',
    rejectSurrender: 'bl.rejectSurrender', amendBillOfLading: 'bl.amend', voidBillOfLading: 'bl.void', getBillOfLading: 'bl.read', getTransferLog: 'bl.read',
    lodgeDeclaration: 'declaration.lodge', acceptDeclaration: 'declaration.accept', placeUnderControl: 'declaration.control',
    requestAdditionalDocuments: 'declaration.requestDocuments', provideAdditionalDocuments: 'declaration.provideDocuments',
    releaseDeclaration: 'declaration.release', rejectDeclaration: 'declaration.reject', amendDeclaration: 'declaration.amend',
    cancelDeclaration: 'declaration.cancel', addRiskNote: 'declaration.riskNote', getDeclaration: 'declaration.read',
    getDeclarationDetails: 'declaration.read', getRiskNote: 'declaration.riskNote',
    applyForCertificate: 'certificate.apply', issueCertificate: 'certificate.issue', rejectCertificate: 'certificate.reject',
    revokeCertificate: 'certificate.revoke', verifyCertificate: 'certificate.read', getCertificate: 'certificate.read', getCertificateDetails: 'certificate.read',
    requestFinancing: 'financing.request', examineFinancing: 'financing.examine', approveFinancing: 'financing.approve',
    rejectFinancing: 'financing.reject', releaseFunds: 'financing.release', withdrawFinancing: 'financing.withdraw',
    getFinancing: 'financing.read', getFinancingTerms: 'financing.readTerms', getExaminationReport: 'financing.readTerms',
    listBillsOfLadingByShipment: 'bl.read', queryBillsOfLadingByStatus: 'bl.read', queryBillsOfLadingByHolder: 'bl.read',
    listDeclarationsByShipment: 'declaration.read', queryDeclarationsByStatus: 'declaration.read',
    listCertificatesByShipment: 'certificate.read', queryCertificatesByStatus: 'certificate.read',
    listFinancingsByShipment: 'financing.read', queryFinancingsByStatus: 'financing.read',
    getDossier: 'shipment.read',
    recordRefusedAttempt: 'risk.recordAttempt', assessFinancing: 'risk.assessFinancing', listAlerts: 'risk.read', getAlert: 'risk.read',
    acknowledgeAlert: 'risk.acknowledge', closeAlert: 'risk.close',
};

/** Transactions the table does not guard, and why: each still refuses a certificate without a valid role. */
const UNGUARDED: Record<string, string> = { whoAmI: 'answers only what the caller\'s own certificate says' };

describe('every transaction checks the role × action table first', () => {
    it('caller:whoAmI answers the caller\'s organisation, role and identity; a certificate without a role, or with another organisation\'s role, is refused', async () => {
        const contract = new CallerContract();
        const who = JSON.parse(await new Ledger().invoke({ mspId: 'CustomsMSP', role: 'customs_officer', name: 'olga' }, (ctx) => contract.whoAmI(ctx))) as Record<string, string>;
        assert.deepEqual([who['mspId'], who['role']], ['CustomsMSP', 'customs_officer']);
        assert.match(String(who['id']), /CN=olga/);
        await assert.rejects(new Ledger().invoke({ mspId: 'ExporterMSP', name: 'u' }, (ctx) => contract.whoAmI(ctx)), /FORBIDDEN: caller.whoAmI: the caller certificate carries no role attribute/);
        await assert.rejects(new Ledger().invoke({ mspId: 'ExporterMSP', role: 'customs_officer', name: 'u' }, (ctx) => contract.whoAmI(ctx)), /FORBIDDEN: caller.whoAmI: role customs_officer is not a role of ExporterMSP/);
    });

    for (const [cls, spec] of TRANSACTIONS) {
        const contract = new cls() as unknown as Record<string, (ctx: Context, ...args: string[]) => Promise<string>>;
        for (const [name, [, params]] of Object.entries(spec.transactions).filter(([n]) => !(n in UNGUARDED))) {
            const action = ACTION_OF[name];
            it(`${cls.name}.${name} is mapped to an action`, () => {
                assert.ok(action, `no expected action for ${name}`);
            });
            if (!action) {
                continue;
            }
            const args = params.map(() => 'x');
            it(`${name}: a certificate without role is refused before anything else`, async () => {
                await assert.rejects(new Ledger().invoke({ mspId: 'ExporterMSP', name: 'u' }, (ctx) => contract[name]!(ctx, ...args)),
                    (e: Error) => e instanceof ContractError && e.message === `FORBIDDEN: ${action}: the caller certificate carries no role attribute`);
            });
            for (const grantee of ALL_GRANTEES) {
                const [mspId = '', role = ''] = grantee.split('/');
                const allowed = isAllowed(grantee, action);
                it(`${name} by ${grantee}: ${allowed ? 'passes the table' : `FORBIDDEN by ${action}`}`, async () => {
                    let error: unknown;
                    try {
                        await new Ledger().invoke({ mspId, role, name: 'u' }, (ctx) => contract[name]!(ctx, ...args));
                    } catch (e) {
                        error = e;
                    }
                    const refusedByTable = error instanceof ContractError && error.message.startsWith(`FORBIDDEN: ${action}: role ${role} of ${mspId}`);
                    assert.equal(refusedByTable, !allowed, String(error));
                });
            }
        }
    }
});
