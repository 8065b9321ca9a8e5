/**
 * The four organisations' REST gateways, as `npm start` runs them, against the real network: people log in with
 * their own CA-issued identities, and each gateway serves only its own organisation.
 */
import * as assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { PEER_ORGS, demoUsers } from '../../network/src/topology';
import { waitFor } from '../../network/src/processes';
import { api, login } from './gateway-client';
import { gatewayIdentity } from './gateway-keys';
import { type OrgClient, connectAs, connectIdentity, testNetwork } from './harness';

const utf8 = new TextDecoder();

/** A person registered through a gateway, connected straight to a peer with the key their gateway keeps sealed. */
function connectWithKey(orgKey: string, name: string, viaOrgKey: string): OrgClient {
    return connectIdentity(gatewayIdentity(testNetwork.layout, orgKey, name), viaOrgKey);
}

describe('REST gateways (real Fabric network)', function () {
    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
    });

    it('every demo user logs in at their own gateway and the ledger sees their organisation and role', async () => {
        for (const org of PEER_ORGS) {
            for (const user of demoUsers(org)) {
                const token = await login(org.key, user.name);
                const me = await api(org.key, 'GET', '/api/v1/me', { token });
                assert.equal(me.status, 200);
                const ledger = (me.body as { ledger: { mspId: string; role: string } }).ledger;
                assert.deepEqual({ mspId: ledger.mspId, role: ledger.role }, { mspId: org.mspId, role: user.role });
            }
        }
    });

    it('a token from the Exporter gateway is refused by the Bank gateway with a problem body', async () => {
        const token = await login('exporter', 'exporter1');
        const res = await api('bank', 'GET', '/api/v1/me', { token });
        assert.equal(res.status, 401);
        assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/);
    });

    it('a user registered by the admin through the CA can transact; once revoked, the user is refused by the gateway, and their certificate by every peer', async () => {
        const admin = await login('customs', 'admin');
        const name = `officer-${Date.now().toString(36)}`;
        const password = `pw-${Date.now()}-long-enough`;
        const created = await api('customs', 'POST', '/api/v1/users', { token: admin, json: { name, role: 'customs_officer', password } });
        assert.equal(created.status, 201, JSON.stringify(created.body));

        const login1 = await api('customs', 'POST', '/api/v1/auth/login', { json: { name, password } });
        assert.equal(login1.status, 200);
        const token = (login1.body as { token: string }).token;
        const me = await api('customs', 'GET', '/api/v1/me', { token });
        assert.equal((me.body as { ledger: { role: string } }).ledger.role, 'customs_officer');

        // Someone holding the person's key (here: read from the gateway's own store) signs at the peers directly.
        const direct = ['customs', 'exporter'].map((via) => connectWithKey('customs', name, via));
        try {
            for (const client of direct) {
                assert.match(utf8.decode(await client.contract.evaluateTransaction('caller:whoAmI')), /CustomsMSP/);
            }
            const revoked = await api('customs', 'POST', `/api/v1/users/${name}/revoke`, { token: admin });
            assert.equal(revoked.status, 200);
            assert.equal((revoked.body as { channelRevocation: string }).channelRevocation, 'pending');
            assert.equal((await api('customs', 'GET', '/api/v1/me', { token })).status, 401);
            assert.equal((await api('customs', 'POST', '/api/v1/auth/login', { json: { name, password } })).status, 401);
            // The revocation list is in the channel configuration: each peer refuses the certificate once it has
            // committed that configuration block.
            for (const client of direct) {
                await waitFor('the peer to refuse the revoked certificate', async () => {
                    try {
                        await client.contract.evaluateTransaction('caller:whoAmI');
                        return false;
                    } catch {
                        return true;
                    }
                }, 30_000);
            }
            // The gateway ran the organisation admin's publisher and saw its own peer refuse the certificate.
            await waitFor('the customs gateway to see the revocation on the channel', async () => {
                const user = await api('customs', 'GET', `/api/v1/users/${name}`, { token: admin });
                return (user.body as { channelRevocation?: string }).channelRevocation === 'done';
            }, 60_000);
            const status = (await api('customs', 'GET', '/api/v1/admin/revocations', { token: admin })).body as { publisher: string; pending: unknown[]; lastPublish: { outcome: string } };
            assert.deepEqual([status.publisher, status.pending, status.lastPublish.outcome], ['command', [], 'ok']);
            const colleague = connectAs('customs', 'customs-officer1');
            assert.match(utf8.decode(await colleague.contract.evaluateTransaction('caller:whoAmI')), /CustomsMSP/, 'other people of the organisation are not affected');
            colleague.close();
        } finally {
            direct.forEach((c) => c.close());
        }
    });

    it('a person\'s certificate is renewed by re-enrolment at the CA: new certificate and key, same role on the ledger, the old key gone', async () => {
        const admin = await login('bank', 'admin');
        const name = `renew-${Date.now().toString(36)}`;
        const password = `pw-${Date.now()}-long-enough`;
        assert.equal((await api('bank', 'POST', '/api/v1/users', { token: admin, json: { name, role: 'trade_finance_officer', password } })).status, 201);
        const before = gatewayIdentity(testNetwork.layout, 'bank', name);
        const renewed = await api('bank', 'POST', `/api/v1/users/${name}/certificate-renewal`, { token: admin });
        assert.equal(renewed.status, 200, JSON.stringify(renewed.body));
        const view = renewed.body as { certificateRenewedAt?: string; certificateExpiresAt: string };
        assert.ok(view.certificateRenewedAt);
        const after = gatewayIdentity(testNetwork.layout, 'bank', name);
        assert.notEqual(new X509Certificate(after.certificatePem).serialNumber, new X509Certificate(before.certificatePem).serialNumber);
        assert.notEqual(after.privateKeyPem, before.privateKeyPem);
        assert.ok(Date.parse(view.certificateExpiresAt) >= Date.parse(new X509Certificate(before.certificatePem).validTo));
        const token = (await api('bank', 'POST', '/api/v1/auth/login', { json: { name, password } }).then((r) => r.body)) as { token: string };
        const me = await api('bank', 'GET', '/api/v1/me', { token: token.token });
        assert.deepEqual((me.body as { ledger: { mspId: string; role: string } }).ledger.role, 'trade_finance_officer', 'the role attribute survives renewal');
        const direct = connectIdentity(after, 'bank');
        try {
            assert.match(utf8.decode(await direct.contract.evaluateTransaction('caller:whoAmI')), /trade_finance_officer/);
        } finally {
            direct.close();
        }
        const ready = (await api('bank', 'GET', '/readyz')).body as { checks: { certificates: boolean }; details: { certificates: { expired: number } } };
        assert.deepEqual([ready.checks.certificates, ready.details.certificates.expired], [true, 0]);
    });

    it('people change their password (other sessions end), and the administrator\'s reset forces a new one before anything else', async () => {
        const admin = await login('carrier', 'admin');
        const name = `pw-${Date.now().toString(36)}`;
        const password = `pw-${Date.now()}-long-enough`;
        assert.equal((await api('carrier', 'POST', '/api/v1/users', { token: admin, json: { name, role: 'carrier_agent', password } })).status, 201);
        const first = ((await api('carrier', 'POST', '/api/v1/auth/login', { json: { name, password } })).body as { token: string }).token;
        const changed = await api('carrier', 'POST', '/api/v1/me/password', { token: first, json: { currentPassword: password, newPassword: 'a brand new passphrase' } });
        assert.equal(changed.status, 200);
        assert.equal((await api('carrier', 'GET', '/api/v1/me', { token: first })).status, 401);
        assert.equal((await api('carrier', 'GET', '/api/v1/me', { token: (changed.body as { token: string }).token })).status, 200);

        const reset = (await api('carrier', 'POST', `/api/v1/users/${name}/password-reset`, { token: admin })).body as { temporaryPassword: string };
        const temporary = ((await api('carrier', 'POST', '/api/v1/auth/login', { json: { name, password: reset.temporaryPassword } })).body as { token: string }).token;
        const refused = await api('carrier', 'GET', '/api/v1/shipments?party=CarrierMSP', { token: temporary });
        assert.equal((refused.body as { code: string }).code, 'PASSWORD_CHANGE_REQUIRED');
        const chosen = await api('carrier', 'POST', '/api/v1/me/password', { token: temporary, json: { currentPassword: reset.temporaryPassword, newPassword: 'chosen after the reset' } });
        assert.equal((await api('carrier', 'GET', '/api/v1/shipments?party=CarrierMSP', { token: (chosen.body as { token: string }).token })).status, 200);
        assert.equal((await api('carrier', 'POST', '/api/v1/auth/login', { json: { name, password: 'a brand new passphrase' } })).status, 401);
    });

    it('health, readiness, metrics and the OpenAPI document are served', async () => {
        assert.equal((await api('carrier', 'GET', '/healthz')).status, 200);
        assert.equal((await api('carrier', 'GET', '/readyz')).status, 200);
        const metrics = await api('carrier', 'GET', '/metrics');
        assert.match(String(metrics.body), /http_request/);
        const openapi = await api('carrier', 'GET', '/openapi.json');
        assert.equal((openapi.body as { openapi: string }).openapi, '3.1.0');
    });
});
