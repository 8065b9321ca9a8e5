import './quiet-logs';
import assert from 'node:assert/strict';
import type { Context } from 'fabric-contract-api';
import { CertificateContract } from '../../../chaincode/src/certificate-contract';
import { rejectsWith } from './expect-error';
import { BANK_OFFICER, CARRIER, CUSTOMS, EXPORTER, Identity, InvokeOptions, Ledger, SUPERVISOR, compositeKey } from './fake-context';
import { DOC_HASH, certificateDetailsJson, uid } from './fixtures';
import { openShipment } from './scenario';

const certificates = new CertificateContract();

async function call(ledger: Ledger, who: Identity, fn: (ctx: Context) => Promise<string>, options?: InvokeOptions): Promise<Record<string, unknown>> {
    return JSON.parse(await ledger.invoke(who, fn, options)) as Record<string, unknown>;
}

function application(overrides: Record<string, unknown> = {}): string {
    return JSON.stringify({ certificateType: 'PREFERENTIAL', countryOfOrigin: 'CN', originCriterion: 'CTH', documentSha256: DOC_HASH, ...overrides });
}

async function applied(ledger: Ledger): Promise<{ id: string; shipmentId: string }> {
    const shipmentId = uid('SHP');
    const id = uid('COA');
    await openShipment(ledger, shipmentId);
    await call(ledger, EXPORTER, (ctx) => certificates.applyForCertificate(ctx, id, shipmentId, application()), { transient: { certificate: certificateDetailsJson() } });
    return { id, shipmentId };
}

describe('CertificateContract', () => {
    let ledger: Ledger;
    beforeEach(() => { ledger = new Ledger(); });

    it('apply: APPLIED, details in ExporterCustomsBankCollection (not the carrier), one event', async () => {
        const { id, shipmentId } = await applied(ledger);
        const c = await call(ledger, CARRIER, (ctx) => certificates.getCertificate(ctx, id));
        assert.deepEqual([c['status'], c['certificateType'], c['originCriterion']], ['APPLIED', 'PREFERENTIAL', 'CTH']);
        assert.ok(ledger.getPrivateJson('ExporterCustomsBankCollection', compositeKey('certificateDetails', [id])));
        assert.equal((await call(ledger, BANK_OFFICER, (ctx) => certificates.getCertificateDetails(ctx, id)))['portOfLoading'], 'CNSHA');
        await rejectsWith(ledger.invoke(CARRIER, (ctx) => certificates.getCertificateDetails(ctx, id)), 'FORBIDDEN', 'CarrierMSP is not a member');
        assert.deepEqual(ledger.events.at(-1)?.payload, { type: 'CertificateApplied', record: 'certificate', id, shipmentId, status: 'APPLIED', txId: 'tx2' });
    });

    it('apply validates the origin claim and the details', async () => {
        const shipmentId = uid('SHP');
        await openShipment(ledger, shipmentId);
        const apply = (app: string, details = certificateDetailsJson()) => ledger.invoke(EXPORTER, (ctx) => certificates.applyForCertificate(ctx, uid('COA'), shipmentId, app), { transient: { certificate: details } });
        await rejectsWith(apply(application({ originCriterion: 'XX' })), 'INVALID_ARGUMENT', 'originCriterion must be one of WO');
        await rejectsWith(apply(application({ certificateType: 'NON_PREFERENTIAL' })), 'INVALID_ARGUMENT', 'originCriterion applies only to a PREFERENTIAL');
        await rejectsWith(apply(application({ countryOfOrigin: 'China' })), 'INVALID_ARGUMENT', 'countryOfOrigin');
        await rejectsWith(apply(application({ documentSha256: 'nope' })), 'INVALID_ARGUMENT', 'documentSha256');
        await rejectsWith(apply(application(), certificateDetailsJson({ items: [{ marks: 'm', packages: 1, description: 'd', hsCode: '61091000', quantity: 1, grossWeightKg: '1', invoiceNumber: 'I', invoiceDate: '2026-01-01' }] })), 'INVALID_ARGUMENT', 'certificate.items[0].hsCode must be the 6-digit HS code');
        assert.equal(JSON.parse(await apply(application({ certificateType: 'NON_PREFERENTIAL', originCriterion: undefined })) as string)['status'], 'APPLIED');
    });

    it('apply by anyone but the exporter is refused', async () => {
        const shipmentId = uid('SHP');
        await openShipment(ledger, shipmentId);
        for (const who of [CUSTOMS, CARRIER, BANK_OFFICER]) {
            await rejectsWith(ledger.invoke(who, (ctx) => certificates.applyForCertificate(ctx, uid('COA'), shipmentId, application()), { transient: { certificate: certificateDetailsJson() } }), 'FORBIDDEN', 'certificate.apply');
        }
    });

    it('issue with a number; verification by number gives issuer, status, dates and hash only', async () => {
        const { id } = await applied(ledger);
        ledger.now = new Date('2026-03-05T12:00:00Z');
        const issued = await call(ledger, CUSTOMS, (ctx) => certificates.issueCertificate(ctx, id, 'CCPIT-2026-000123'));
        assert.deepEqual([issued['status'], issued['issueDate'], issued['issuer']], ['ISSUED', '2026-03-05', { mspId: 'CustomsMSP', role: 'customs_officer' }]);
        const verified = await call(ledger, CARRIER, (ctx) => certificates.verifyCertificate(ctx, 'CCPIT-2026-000123'));
        assert.deepEqual(verified, { certificateNumber: 'CCPIT-2026-000123', status: 'ISSUED', issuer: { mspId: 'CustomsMSP', role: 'customs_officer' }, issueDate: '2026-03-05', documentSha256: DOC_HASH });
        await rejectsWith(ledger.invoke(CARRIER, (ctx) => certificates.verifyCertificate(ctx, 'FAKE-1')), 'NOT_FOUND', 'certificateNumber FAKE-1 was never issued');
    });

    it('a certificate number cannot be issued twice', async () => {
        const a = await applied(ledger);
        const b = await applied(ledger);
        await call(ledger, CUSTOMS, (ctx) => certificates.issueCertificate(ctx, a.id, 'NUM-1'));
        await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => certificates.issueCertificate(ctx, b.id, 'NUM-1')), 'ALREADY_EXISTS', 'certificateNumber NUM-1 is already issued');
    });

    it('revoke by a supervisor: verification then says REVOKED with the date', async () => {
        const { id } = await applied(ledger);
        await call(ledger, CUSTOMS, (ctx) => certificates.issueCertificate(ctx, id, 'NUM-2'));
        await rejectsWith(ledger.invoke(CUSTOMS, (ctx) => certificates.revokeCertificate(ctx, id, 'origin not proven')), 'FORBIDDEN', 'certificate.revoke');
        ledger.now = new Date('2026-04-01T00:00:00Z');
        await call(ledger, SUPERVISOR, (ctx) => certificates.revokeCertificate(ctx, id, 'origin not proven'));
        const verified = await call(ledger, EXPORTER, (ctx) => certificates.verifyCertificate(ctx, 'NUM-2'));
        assert.deepEqual([verified['status'], verified['revokedAt']], ['REVOKED', '2026-04-01T00:00:00.000Z']);
    });

    describe('state transition table', () => {
        type Step = [Identity, (ctx: Context, id: string) => Promise<string>];
        const A: Record<string, Step> = {
            issue: [CUSTOMS, (c, id) => certificates.issueCertificate(c, id, `N-${id}`)],
            reject: [CUSTOMS, (c, id) => certificates.rejectCertificate(c, id, 'not originating')],
            revoke: [SUPERVISOR, (c, id) => certificates.revokeCertificate(c, id, 'fraud')],
        };
        const reach: Record<string, string[]> = { APPLIED: [], ISSUED: ['issue'], REJECTED: ['reject'], REVOKED: ['issue', 'revoke'] };
        const allowedFrom: Record<string, string> = { issue: 'APPLIED', reject: 'APPLIED', revoke: 'ISSUED' };
        const result: Record<string, string> = { issue: 'ISSUED', reject: 'REJECTED', revoke: 'REVOKED' };
        for (const [status, path] of Object.entries(reach)) {
            for (const [action, [who, fn]] of Object.entries(A)) {
                const allowed = allowedFrom[action] === status;
                it(`${action} from ${status} is ${allowed ? 'allowed' : 'refused'}`, async () => {
                    const { id } = await applied(ledger);
                    for (const step of path) {
                        const [sWho, sFn] = A[step] as Step;
                        await ledger.invoke(sWho, (c) => sFn(c, id));
                    }
                    const get = async () => (await call(ledger, CUSTOMS, (c) => certificates.getCertificate(c, id)))['status'];
                    assert.equal(await get(), status);
                    if (allowed) {
                        await ledger.invoke(who, (c) => fn(c, id));
                        assert.equal(await get(), result[action]);
                    } else {
                        await rejectsWith(ledger.invoke(who, (c) => fn(c, id)), 'FAILED_PRECONDITION', `is ${status}, must be`);
                    }
                });
            }
        }
    });
});
