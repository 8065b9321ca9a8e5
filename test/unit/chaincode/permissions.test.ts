import './quiet-logs';
import assert from 'node:assert/strict';
import { ContractError } from '../../../chaincode/src/errors';
import { ALL_GRANTEES, Action, PERMISSIONS, authorize, isAllowed } from '../../../chaincode/src/permissions';
import { rejectsWith } from './expect-error';
import { Ledger } from './fake-context';

/** The table as the domain states it, written out independently, so a change to the table must be deliberate. */
const EXPECTED: Record<Action, string[]> = {
    'shipment.open': ['exporter', 'forwarder'],
    'shipment.cancel': ['exporter', 'forwarder'],
    'shipment.read': ['*'],
    'shipment.readCommercial': ['exporter', 'forwarder', 'customs_officer', 'customs_supervisor', 'trade_finance_officer', 'trade_finance_approver'],
    'document.register': ['exporter', 'forwarder', 'carrier_agent', 'customs_officer', 'customs_supervisor', 'trade_finance_officer'],
    'document.revoke': ['exporter', 'forwarder', 'carrier_agent', 'customs_officer', 'customs_supervisor', 'trade_finance_officer'],
    'document.read': ['*'],
    'bl.draft': ['carrier_agent'],
    'bl.approveDraft': ['exporter', 'forwarder'],
    'bl.issue': ['carrier_agent'],
    'bl.amend': ['carrier_agent'],
    'bl.void': ['carrier_agent'],
    'bl.acceptSurrender': ['carrier_agent'],
    'bl.rejectSurrender': ['carrier_agent'],
    'bl.transfer': ['exporter', 'forwarder', 'trade_finance_officer', 'trade_finance_approver'],
    'bl.endorse': ['exporter', 'forwarder', 'trade_finance_officer', 'trade_finance_approver'],
    'bl.surrender': ['exporter', 'forwarder', 'trade_finance_officer', 'trade_finance_approver'],
    'bl.read': ['*'],
    'declaration.lodge': ['exporter', 'forwarder'],
    'declaration.amend': ['exporter', 'forwarder'],
    'declaration.cancel': ['exporter', 'forwarder'],
    'declaration.provideDocuments': ['exporter', 'forwarder'],
    'declaration.accept': ['customs_officer', 'customs_supervisor'],
    'declaration.control': ['customs_officer', 'customs_supervisor'],
    'declaration.requestDocuments': ['customs_officer', 'customs_supervisor'],
    'declaration.release': ['customs_supervisor'],
    'declaration.reject': ['customs_supervisor'],
    'declaration.riskNote': ['customs_officer', 'customs_supervisor'],
    'declaration.read': ['*'],
    'certificate.apply': ['exporter', 'forwarder'],
    'certificate.issue': ['customs_officer', 'customs_supervisor'],
    'certificate.reject': ['customs_officer', 'customs_supervisor'],
    'certificate.revoke': ['customs_supervisor'],
    'certificate.read': ['*'],
    'financing.request': ['exporter', 'forwarder'],
    'financing.withdraw': ['exporter', 'forwarder'],
    'financing.examine': ['trade_finance_officer'],
    'financing.approve': ['trade_finance_approver'],
    'financing.reject': ['trade_finance_approver'],
    'financing.release': ['trade_finance_approver'],
    'financing.read': ['*'],
    'financing.readTerms': ['exporter', 'forwarder', 'trade_finance_officer', 'trade_finance_approver'],
    'record.history': ['*'],
    'risk.recordAttempt': ['exporter', 'forwarder', 'trade_finance_officer', 'trade_finance_approver'],
    'risk.assessFinancing': ['exporter', 'forwarder', 'trade_finance_officer', 'trade_finance_approver'],
    'risk.read': ['*'],
    'risk.acknowledge': ['supervisor_analyst', 'supervisor_officer'],
    'risk.close': ['supervisor_officer'],
};

async function tryAuthorize(mspId: string, role: string | undefined, action: Action): Promise<unknown> {
    const ledger = new Ledger();
    return ledger.invoke({ mspId, role, name: 'u' }, async (ctx) => authorize(ctx, action));
}

describe('permissions: role × action table', () => {
    it('has exactly the actions the domain names', () => {
        assert.deepEqual(Object.keys(PERMISSIONS).sort(), Object.keys(EXPECTED).sort());
    });

    for (const action of Object.keys(EXPECTED) as Action[]) {
        for (const grantee of ALL_GRANTEES) {
            const [mspId = '', role = ''] = grantee.split('/');
            const expected = EXPECTED[action];
            const allowed = expected.includes('*') || expected.includes(role);
            it(`${action} by ${grantee} is ${allowed ? 'allowed' : 'refused with FORBIDDEN'}`, async () => {
                assert.equal(isAllowed(grantee, action), allowed);
                if (allowed) {
                    assert.deepEqual(await tryAuthorize(mspId, role, action), { mspId, role, id: `x509::/C=US/O=${mspId}/CN=u::/C=US/O=${mspId}/CN=ca.${mspId}` });
                } else {
                    await assert.rejects(tryAuthorize(mspId, role, action), (e: Error) => e instanceof ContractError
                        && e.message === `FORBIDDEN: ${action}: role ${role} of ${mspId} may not perform this action`);
                }
            });
        }
    }

    it('the trade supervisor is read-only on shared state: its roles are granted reads and alert status, nothing else', () => {
        const granted = (Object.keys(PERMISSIONS) as Action[])
            .filter((a) => isAllowed('SupervisorMSP/supervisor_analyst', a) || isAllowed('SupervisorMSP/supervisor_officer', a));
        assert.deepEqual(granted.sort(), [
            'bl.read', 'certificate.read', 'declaration.read', 'document.read', 'financing.read', 'record.history',
            'risk.acknowledge', 'risk.close', 'risk.read', 'shipment.read',
        ]);
    });

    it('a certificate without a role attribute is refused', async () => {
        await rejectsWith(tryAuthorize('ExporterMSP', undefined, 'shipment.read'), 'FORBIDDEN', 'shipment.read: the caller certificate carries no role attribute');
    });

    it('a role claimed in another organisation\'s certificate is refused', async () => {
        await rejectsWith(tryAuthorize('ExporterMSP', 'customs_supervisor', 'declaration.release'), 'FORBIDDEN', 'role customs_supervisor is not a role of ExporterMSP');
        await rejectsWith(tryAuthorize('CarrierMSP', 'exporter', 'shipment.open'), 'FORBIDDEN', 'not a role of CarrierMSP');
    });

    it('an organisation outside the channel is refused', async () => {
        await rejectsWith(tryAuthorize('ImporterMSP', 'exporter', 'shipment.read'), 'FORBIDDEN', 'not a role of ImporterMSP');
    });
});
