/**
 * The complete trade flow across the four organisations' REST gateways, each step by a person of the right role,
 * on the real network; then refusals, hostile input and an event stream that survives a gateway restart.
 */
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { gatewaySpec } from '../../network/src/nodes';
import { peerOrg } from '../../network/src/topology';
import { COMMERCIAL, SHIPMENT } from '../unit/chaincode/fixtures';
import { api, gatewayUrl, login, upload } from './gateway-client';
import { connectAs, salted, testNetwork } from './harness';
import { type Json, expectProblem, expectStatus, flowIds, loginFlowPeople, pdf, runTradeFlow } from './trade-flows';

const run = randomUUID().slice(0, 8);

describe('trade flow across the four gateways (real Fabric network)', function () {
    const ids = flowIds(run);
    let as: (user: string) => string = () => assert.fail('not logged in yet');

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
        as = await loginFlowPeople();
    });

    it('shipment → documents → declaration → B/L → customs release → CoO → financing examined, discrepancy fixed, approved by a second user, funds released', async () => {
        await runTradeFlow(run, ids, as);
    });

    it('the carrier gateway never serves invoice content, and the carrier dossier hides the commercial values', async () => {
        const carrier = as('carrier-agent1');
        expectProblem(await api('carrier', 'GET', `/api/v1/documents/${ids.invoice}/versions/1/content`, { token: carrier }), 403, 'FORBIDDEN');
        const dossier = expectStatus(await api('carrier', 'GET', `/api/v1/shipments/${ids.shipment}/dossier`, { token: carrier }), 200);
        assert.equal(dossier.commercial, null);
        assert.ok((dossier.hidden as string[]).includes('commercial'));
        const content = await fetch(`${gatewayUrl('customs')}/api/v1/documents/${ids.invoice}/versions/1/content`, { headers: { authorization: `Bearer ${as('customs-officer1')}` } });
        assert.equal(content.status, 200);
        assert.match(Buffer.from(await content.arrayBuffer()).toString(), new RegExp(`invoice ${run}`));
    });

    it('roles refused by the role × action table get 403 and nothing is written', async () => {
        const reason = { reason: 'not mine to decide' };
        const refused: [string, string, string, Json | undefined][] = [
            ['carrier', 'carrier-agent1', '/api/v1/shipments', { shipmentId: `SHP-X-${run}`, ...SHIPMENT, commercial: COMMERCIAL }],
            ['customs', 'customs-officer1', `/api/v1/declarations/${ids.declaration}/cancel`, reason],
            ['bank', 'trade-finance-officer1', `/api/v1/certificates/${ids.certificate}/revoke`, reason],
            ['exporter', 'exporter1', `/api/v1/financing/${ids.financing}/examine`, undefined],
            ['customs', 'customs-officer1', `/api/v1/bills-of-lading/${ids.tdr}/void`, reason],
        ];
        for (const [org, user, path, json] of refused) {
            expectProblem(await api(org, 'POST', path, { token: as(user), json }), 403, 'FORBIDDEN');
        }
        expectProblem(await api('exporter', 'GET', `/api/v1/shipments/SHP-X-${run}`, { token: as('exporter1') }), 404, 'NOT_FOUND');
        const declaration = expectStatus(await api('exporter', 'GET', `/api/v1/declarations/${ids.declaration}`, { token: as('exporter1') }), 200);
        assert.equal(declaration.status, 'RELEASED');
        const certificate = expectStatus(await api('exporter', 'GET', `/api/v1/certificates/${ids.certificate}`, { token: as('exporter1') }), 200);
        assert.equal(certificate.status, 'ISSUED');
    });

    it('bad input of every class gets a 4xx problem and writes nothing; the next normal request works', async () => {
        const exporter = as('exporter1');
        const id = `SHP-BAD-${run}`;
        const good = { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL };
        const raw = await fetch(`${gatewayUrl('exporter')}/api/v1/shipments`, { method: 'POST', headers: { authorization: `Bearer ${exporter}`, 'content-type': 'application/json' }, body: '{"shipmentId": "x",' });
        assert.equal(raw.status, 400);
        const missing: Json = { ...good };
        delete missing.commercial;
        expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: missing }), 400);
        expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { ...good, surprise: true } }), 400);
        expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { ...good, goods: 'many' } }), 400);
        expectProblem(await upload('exporter', exporter, ids.shipment, `DOC-TXT-${run}`, 'commercialInvoice', Buffer.from('plain text, not a PDF')), 415);
        expectProblem(await upload('exporter', exporter, ids.shipment, `DOC-BIG-${run}`, 'commercialInvoice', pdf('x'.repeat(26 * 1024 * 1024))), 413);
        expectProblem(await api('exporter', 'GET', `/api/v1/shipments/NOPE-${run}`, { token: exporter }), 404, 'NOT_FOUND');
        const [header, payload, signature] = exporter.split('.');
        const forged = [header, payload, `${signature?.slice(0, -2) ?? ''}xx`].join('.');
        expectProblem(await api('exporter', 'GET', '/api/v1/me', { token: forged }), 401);
        expectProblem(await api('exporter', 'GET', '/api/v1/me', { token: 'not-a-token' }), 401);

        const key = `key-${run}`;
        const first = expectStatus(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: good, headers: { 'Idempotency-Key': key } }), 201);
        const replay = await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: good, headers: { 'Idempotency-Key': key } });
        assert.equal(replay.status, 201);
        assert.equal(replay.headers.get('idempotent-replayed'), 'true');
        assert.deepEqual(replay.body, first);
        expectProblem(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { ...good, shipmentId: `${id}-2` }, headers: { 'Idempotency-Key': key } }), 422);
        expectProblem(await api('exporter', 'GET', `/api/v1/shipments/${id}-2`, { token: exporter }), 404);
        const docs = expectStatus(await api('exporter', 'GET', `/api/v1/shipments/${ids.shipment}/documents`, { token: exporter }), 200);
        assert.ok(!JSON.stringify(docs).includes(`DOC-TXT-${run}`) && !JSON.stringify(docs).includes(`DOC-BIG-${run}`), 'rejected uploads wrote nothing');
    });

    it('a client streaming events through a gateway that restarts resumes with Last-Event-ID and misses or repeats nothing', async () => {
        const seen: string[] = [];
        const before = [`EV-${run}-1`, `EV-${run}-2`];
        const whileDown = [`EV-${run}-3`, `EV-${run}-4`];
        const after = [`EV-${run}-5`];
        let lastEventId = '';
        /** Reads the stream until `done` says so; returns when the server ends the stream or `done` holds. */
        const stream = async (token: string, from: string, done: () => boolean, whileOpen?: () => Promise<void>): Promise<void> => {
            const controller = new AbortController();
            const res = await fetch(`${gatewayUrl('exporter')}/api/v1/events`, { headers: { authorization: `Bearer ${token}`, ...(from ? { 'Last-Event-ID': from } : {}) }, signal: controller.signal });
            assert.equal(res.status, 200);
            const reader = res.body?.getReader();
            assert.ok(reader);
            const acting = whileOpen?.();
            let buffer = '';
            try {
                while (!done()) {
                    const { value, done: ended } = await reader.read().catch(() => ({ value: undefined, done: true }));
                    if (ended || !value) {
                        break;
                    }
                    buffer += Buffer.from(value).toString();
                    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
                        const message = buffer.slice(0, end);
                        buffer = buffer.slice(end + 2);
                        const id = /^id: (.*)$/m.exec(message)?.[1];
                        const data = message.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
                        if (id && data) {
                            lastEventId = id;
                            const record = (JSON.parse(data) as { payload?: Json }).payload ?? {};
                            if (typeof record.id === 'string' && record.id.startsWith(`EV-${run}`)) {
                                seen.push(record.id);
                            }
                        }
                    }
                }
            } finally {
                controller.abort();
                await acting;
            }
        };
        const openViaGateway = async (id: string): Promise<void> => {
            expectStatus(await api('exporter', 'POST', '/api/v1/shipments', { token: as('exporter1'), json: { shipmentId: id, ...SHIPMENT, commercial: COMMERCIAL } }), 201);
        };
        const spec = gatewaySpec(testNetwork.config, testNetwork.layout, peerOrg('exporter'));

        // Streaming while shipments are opened; then the gateway stops under the open stream.
        await stream(as('exporter1'), '', () => before.every((id) => seen.includes(id)), async () => {
            for (const id of before) {
                await openViaGateway(id);
            }
        });
        const resumeFrom = lastEventId;
        await testNetwork.supervisor.stop(spec.name);

        // While it is down, the exporter's systems keep writing through the Fabric client directly.
        const direct = connectAs('exporter', 'exporter1');
        try {
            for (const id of whileDown) {
                const commit = await direct.contract.submitAsync('shipment:openShipment', { arguments: [id, JSON.stringify(SHIPMENT)], transientData: salted({ commercial: JSON.stringify(COMMERCIAL) }) });
                assert.equal((await commit.getStatus()).successful, true);
            }
        } finally {
            direct.close();
        }

        await testNetwork.supervisor.ensure(spec);
        await stream(await login('exporter', 'exporter1'), resumeFrom, () => [...whileDown, ...after].every((id) => seen.includes(id)), async () => {
            for (const id of after) {
                await openViaGateway(id);
            }
        });
        assert.deepEqual(seen, [...before, ...whileDown, ...after], 'every event once, in order');
    });
});
