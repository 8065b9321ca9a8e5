import './quiet-logs';
import { checkPrivateWritePeer } from '../../../chaincode/src/ledger';
import { rejectsWith } from './expect-error';

const check = (...args: Parameters<typeof checkPrivateWritePeer>) => Promise.resolve().then(() => checkPrivateWritePeer(...args));

describe('private write peer rule', () => {
    it('any member peer may endorse; a non-member peer or caller is refused', async () => {
        await check('ExporterMSP', 'CustomsMSP', 'ExporterCustomsCollection');
        await check('ExporterMSP', 'ExporterMSP', 'ExporterCustomsCollection');
        await rejectsWith(check('ExporterMSP', 'BankMSP', 'ExporterCustomsCollection'), 'FORBIDDEN', "member's peer, not BankMSP");
        await rejectsWith(check('CarrierMSP', 'CarrierMSP', 'ExporterCustomsCollection'), 'FORBIDDEN', 'CarrierMSP is not a member of ExporterCustomsCollection');
    });

    it('an unknown collection is refused', async () => {
        await rejectsWith(check('ExporterMSP', 'ExporterMSP', 'SecretCollection'), 'FORBIDDEN', 'not a member of SecretCollection');
    });
});
