/**
 * The four organisations' REST gateways, as `npm start` runs them, against the real network: people log in with
 * their own CA-issued identities, and each gateway serves only its own organisation.
 */
import * as assert from 'node:assert/strict';
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
                assert.match(utf8.decode(await client.contract.evaluateTransaction('probe:whoAmI')), /CustomsMSP/);
            }
            assert.equal((await api('customs', 'POST', `/api/v1/users/${name}/revoke`, { token: admin })).status, 200);
            assert.equal((await api('customs', 'GET', '/api/v1/me', { token })).status, 401);
            assert.equal((await api('customs', 'POST', '/api/v1/auth/login', { json: { name, password } })).status, 401);
            // The revocation list is in the channel configuration: each peer refuses the certificate once it has
            // committed that configuration block.
            for (const client of direct) {
                await waitFor('the peer to refuse the revoked certificate', async () => {
                    try {
                        await client.contract.evaluateTransaction('probe:whoAmI');
                        return false;
                    } catch {
                        return true;
                    }
                }, 30_000);
            }
            const colleague = connectAs('customs', 'customs-officer1');
            assert.match(utf8.decode(await colleague.contract.evaluateTransaction('probe:whoAmI')), /CustomsMSP/, 'other people of the organisation are not affected');
            colleague.close();
        } finally {
            direct.forEach((c) => c.close());
        }
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
