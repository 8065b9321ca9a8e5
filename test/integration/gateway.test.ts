/**
 * The four organisations' REST gateways, as `npm start` runs them, against the real network: people log in with
 * their own CA-issued identities, and each gateway serves only its own organisation.
 */
import * as assert from 'node:assert/strict';
import { PEER_ORGS, demoUsers } from '../../network/src/topology';
import { api, login } from './gateway-client';
import { testNetwork } from './harness';

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

    it('a user registered by the admin through the CA can transact; once revoked, the user is refused', async () => {
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

        assert.equal((await api('customs', 'POST', `/api/v1/users/${name}/revoke`, { token: admin })).status, 200);
        assert.equal((await api('customs', 'GET', '/api/v1/me', { token })).status, 401);
        assert.equal((await api('customs', 'POST', '/api/v1/auth/login', { json: { name, password } })).status, 401);
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
