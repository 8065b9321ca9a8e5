/**
 * Security properties of the running system: private values written through the gateways (amounts, file contents,
 * customs risk notes) are in no block, no log and no error body; every Fabric endpoint refuses plaintext and speaks
 * TLS; no process log or error body holds a private key, a certificate or a password; tokens expire.
 */
import * as assert from 'node:assert/strict';
import { X509Certificate, createHmac, randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import * as tls from 'node:tls';
import { PEER_ORGS, caPorts, ordererPorts, peerPorts } from '../../network/src/topology';
import { COMMERCIAL, DECLARATION_DETAILS, SHIPMENT } from '../unit/chaincode/fixtures';
import { blockContains, chainHeight, exposures, readBlocks, transactions } from '../integration/blocks';
import { type ApiResponse, api, gatewayUrl, login } from '../integration/gateway-client';
import { connectAs, testNetwork } from '../integration/harness';
import { ordererNodes } from '../integration/ordering';

const run = randomUUID().slice(0, 8);
type Json = Record<string, unknown>;

/** What a plaintext client gets back from `port` within a short time: the first bytes, or nothing. */
function plaintextAnswer(port: number): Promise<Buffer> {
    return new Promise((resolve) => {
        const chunks: Buffer[] = [];
        const socket = net.connect(port, '127.0.0.1', () => {
            // An HTTP/1.1 request, then the HTTP/2 preface gRPC clients open with: both in the clear.
            socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nPRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
        });
        const done = (): void => { socket.destroy(); resolve(Buffer.concat(chunks)); };
        socket.setTimeout(3_000, done);
        socket.on('data', (chunk: Buffer) => chunks.push(chunk));
        socket.on('end', done);
        socket.on('error', done);
        socket.on('close', done);
    });
}

/** Whether `port` answers a TLS ClientHello with TLS (a handshake, or a TLS alert such as "certificate required"). */
function speaksTls(port: number): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = tls.connect({ port, host: '127.0.0.1', servername: 'localhost', rejectUnauthorized: false, ALPNProtocols: ['h2', 'http/1.1'] });
        const finish = (result: boolean): void => { socket.destroy(); resolve(result); };
        socket.setTimeout(5_000, () => finish(false));
        socket.on('secureConnect', () => finish(true));
        socket.on('error', (err: NodeJS.ErrnoException) => finish(/^ERR_SSL_(TLSV1_ALERT|TLSV13_ALERT|SSLV3_ALERT)/.test(err.code ?? '')));
    });
}

describe('security of the running system (real Fabric network)', function () {
    const secrets: string[] = [];
    const problems: ApiResponse[] = [];
    const shipmentId = `SHP-SEC-${run}`;

    before(async function () {
        this.timeout(900_000);
        await testNetwork.up();
    });

    it('private values written through the gateways (amounts, file contents, risk notes) appear in no block', async () => {
        const exporter = await login('exporter', 'exporter1');
        const officer = await login('customs', 'customs-officer1');
        const unique = Number.parseInt(run.slice(0, 6), 16);
        const lineValue = `${700_000 + unique}.37`;
        const totalValue = `${709_000 + unique}.37`;
        secrets.push(lineValue, totalValue);
        const commercial = { lines: [{ lineNo: 1, unitPrice: '4.50', value: '9000.00' }, { lineNo: 2, unitPrice: '20', value: lineValue }], totalValue };
        assert.equal((await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId, ...SHIPMENT, commercial } })).status, 201);

        const content = `%PDF-1.7\nconfidential invoice ${randomUUID()}\n%%EOF\n`;
        secrets.push(content.split('\n')[1]!);
        const form = new FormData();
        form.set('documentId', `DOC-SEC-${run}`);
        form.set('docType', 'commercialInvoice');
        form.set('file', new Blob([Buffer.from(content)], { type: 'application/pdf' }), 'invoice.pdf');
        const uploaded = await fetch(`${gatewayUrl('exporter')}/api/v1/shipments/${shipmentId}/documents`, { method: 'POST', headers: { authorization: `Bearer ${exporter}` }, body: form });
        assert.equal(uploaded.status, 201, await uploaded.text());

        const declarationId = `DEC-SEC-${run}`;
        const customsValue = `${810_000 + unique}.11`;
        secrets.push(customsValue);
        const details = { ...DECLARATION_DETAILS, items: DECLARATION_DETAILS.items.map((item, i) => (i === 0 ? { ...item, customsValue } : item)) };
        assert.equal((await api('exporter', 'POST', '/api/v1/declarations', { token: exporter, json: { declarationId, shipmentId, declarationType: 'EX', lrn: `LRN-SEC-${run}`, details } })).status, 201);
        const note = `suspected undervaluation, informant ${randomUUID()}`;
        secrets.push(note);
        const noted = await api('customs', 'POST', `/api/v1/declarations/${declarationId}/risk-notes`, { token: officer, json: { riskLevel: 'HIGH', text: note } });
        assert.equal(noted.status, 201, JSON.stringify(noted.body));
        const noteId = String((noted.body as Json).noteId);

        // Error bodies that come near the secrets: a duplicate with the same commercial values, a wrong total.
        problems.push(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId, ...SHIPMENT, commercial } }));
        problems.push(await api('exporter', 'POST', '/api/v1/shipments', { token: exporter, json: { shipmentId: `${shipmentId}-X`, ...SHIPMENT, commercial: { ...commercial, totalValue: lineValue } } }));
        problems.push(await api('carrier', 'GET', `/api/v1/shipments/${shipmentId}/commercial`, { token: await login('carrier', 'carrier-agent1') }));
        problems.push(await api('bank', 'GET', `/api/v1/declarations/${declarationId}/risk-notes/${noteId}`, { token: await login('bank', 'trade-finance-officer1') }));
        for (const p of problems) {
            assert.ok(p.status >= 400 && p.status < 500, `a refusal: ${p.status} ${JSON.stringify(p.body)}`);
        }

        const customs = connectAs('customs', 'customs-officer1');
        try {
            const blocks = await readBlocks(customs.network, await chainHeight(customs.network));
            assert.ok(blocks.some((b) => blockContains(b, shipmentId)) && blocks.some((b) => blockContains(b, declarationId)), 'the scan finds public facts, so it can find secrets');
            const txs = transactions(blocks);
            for (const secret of secrets) {
                assert.deepEqual(blocks.filter((b) => blockContains(b, secret)).map((b) => b.getHeader()?.getNumber()), [], `blocks holding "${secret.slice(0, 30)}"`);
                // Decoded too: arguments, read sets, write-set keys and values, answers, events.
                assert.deepEqual(txs.flatMap((t) => exposures(t, secret).map((where) => `${t.txId}: ${where}`)), [], `"${secret.slice(0, 30)}" in a transaction`);
            }
        } finally {
            customs.close();
        }
        // The owners still read them: the scan looked for values that exist.
        assert.equal(((await api('customs', 'GET', `/api/v1/shipments/${shipmentId}/commercial`, { token: officer })).body as Json).totalValue, totalValue);
    });

    it('every Fabric endpoint (peers, orderers incl. admin and operations, CAs, chaincode servers) refuses plaintext and speaks TLS', async function () {
        this.timeout(120_000);
        const endpoints: [string, number][] = [];
        for (const { name, index } of ordererNodes()) {
            const p = ordererPorts(testNetwork.config.basePort, index);
            endpoints.push([name, p.listen], [`${name} admin`, p.admin], [`${name} operations`, p.operations]);
        }
        for (const org of PEER_ORGS) {
            const p = peerPorts(testNetwork.config.basePort, org);
            const ca = caPorts(testNetwork.config.basePort, org);
            endpoints.push([`peer0.${org.key}`, p.listen], [`peer0.${org.key} chaincode callbacks`, p.chaincode], [`peer0.${org.key} operations`, p.operations],
                [`chaincode.${org.key}`, p.chaincodeServer], [`ca.${org.key}`, ca.listen], [`ca.${org.key} operations`, ca.operations]);
        }
        const failures: string[] = [];
        for (const [name, port] of endpoints) {
            const answer = await plaintextAnswer(port);
            const text = answer.toString('latin1');
            // Go's TLS servers answer a plaintext HTTP request with a fixed 400 that says so; that is a refusal.
            const served = /^HTTP\/\d(\.\d)? [0-9]{3}/.test(text) && !/HTTP request to an HTTPS server/.test(text);
            // An HTTP/2 SETTINGS frame in the clear (type 0x04 at offset 3) would mean the gRPC server took plaintext.
            const http2 = answer.length >= 9 && answer[3] === 0x04 && answer[0] === 0;
            if (served || http2) {
                failures.push(`${name} (:${port}) answered plaintext: ${JSON.stringify(text.slice(0, 80))}`);
            }
            if (!(await speaksTls(port))) {
                failures.push(`${name} (:${port}) did not answer a TLS ClientHello with TLS`);
            }
        }
        assert.deepEqual(failures, [], `${endpoints.length} endpoints checked`);
    });

    it('no process log and no error body holds a private key, a certificate, a password, a bearer token or a private value', async () => {
        assert.ok(secrets.length >= 4, 'runs after the test that wrote the private values');
        const runDir = testNetwork.config.runDir;
        const passwords = PEER_ORGS.flatMap((org) => fs.readFileSync(path.join(runDir, 'gateway', org.key, 'initial-passwords'), 'utf8')
            .split('\n').map((line) => line.split('\t')[2]).filter((p): p is string => Boolean(p)));
        // Each organisation's CA bootstrap passwords, its identities' and its gateway registrar's enrolment secrets.
        const secretDirs = fs.readdirSync(path.join(runDir, 'orgs')).map((org) => path.join(runDir, 'orgs', org, 'secrets'));
        const secretFiles = secretDirs.flatMap((dir) => fs.readdirSync(dir).map((f) => path.join(dir, f)));
        const registrarSecrets = secretFiles.filter((f) => !f.endsWith('.kek')).map((f) => fs.readFileSync(f, 'utf8').trim()).filter((s) => s.length >= 8);
        // The gateways' key-encryption keys (binary), as they would appear if printed.
        const keyEncryptionKeys = secretFiles.filter((f) => f.endsWith('.kek')).flatMap((f) => {
            const key = fs.readFileSync(f);
            return [key.toString('base64'), key.toString('hex')];
        });
        const token = await login('bank', 'trade-finance-approver1');
        // A failed login: the password tried must not be echoed or logged either.
        const wrongPassword = `wrong-${randomUUID()}`;
        problems.push(await api('bank', 'POST', '/api/v1/auth/login', { json: { name: 'trade-finance-approver1', password: wrongPassword } }));
        assert.equal(problems.at(-1)?.status, 401);
        const needles: [string, string][] = [
            ...passwords.map((p): [string, string] => ['a demo password', p]),
            ...registrarSecrets.map((s): [string, string] => ['a CA registrar secret', s]),
            ...keyEncryptionKeys.map((k): [string, string] => ['a gateway key-encryption key', k]),
            ...secrets.map((s): [string, string] => [`the private value "${s.slice(0, 20)}"`, s]),
            ['a bearer token', token.split('.')[2]!],
            ['a password tried at login', wrongPassword],
        ];
        const patterns: [string, RegExp][] = [['a private key', /PRIVATE KEY-----/]];
        assert.ok(passwords.length >= 11 && registrarSecrets.length >= 2 * secretDirs.length && keyEncryptionKeys.length === 2 * PEER_ORGS.length,
            `found the passwords (${passwords.length}), CA secrets (${registrarSecrets.length}) and key-encryption keys (${keyEncryptionKeys.length / 2})`);

        const logDir = path.join(runDir, 'logs');
        const logs = fs.readdirSync(logDir).filter((f) => f.endsWith('.log'));
        assert.ok(logs.length >= 19, `every process's log: ${logs.join(', ')}`);
        const findings: string[] = [];
        const scan = (where: string, text: string): void => {
            for (const [label, needle] of needles) {
                if (text.includes(needle)) {
                    findings.push(`${where} holds ${label}`);
                }
            }
            for (const [label, pattern] of patterns) {
                if (pattern.test(text)) {
                    findings.push(`${where} holds ${label}`);
                }
            }
            // Nodes' certificates are on the channel for every member anyway (consenters, endorsers in every block);
            // a person's certificate (client or admin) names them and stays out of logs.
            for (const pem of text.replace(/\\n/g, '\n').match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? []) {
                const subject = ((): string | undefined => {
                    try {
                        return new X509Certificate(pem).subject;
                    } catch {
                        return undefined;
                    }
                })();
                if (subject === undefined || !/^OU=(peer|orderer)$/m.test(subject)) {
                    findings.push(`${where} holds a certificate of ${subject?.split('\n').find((l) => l.startsWith('CN=')) ?? 'an unreadable subject'}`);
                }
            }
        };
        for (const file of logs) {
            scan(`logs/${file}`, fs.readFileSync(path.join(logDir, file), 'latin1'));
        }
        for (const [i, p] of problems.entries()) {
            assert.match(p.headers.get('content-type') ?? '', /application\/problem\+json/);
            scan(`error body ${i} (${p.status})`, JSON.stringify(p.body));
        }
        assert.deepEqual(findings, []);
    });

    it('a correctly signed token past its expiry is refused; the same token unexpired is accepted', async () => {
        // Signed with the gateway's own key, so only the expiry differs between the two.
        const key = fs.readFileSync(path.join(testNetwork.config.runDir, 'gateway', 'exporter', 'token-signing.key'));
        const sign = (exp: number): string => {
            const now = Math.floor(Date.now() / 1000);
            const body = `v1.${Buffer.from(JSON.stringify({ org: 'exporter', sub: 'exporter1', role: 'exporter', iat: now - 1000, exp })).toString('base64url')}`;
            return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
        };
        const now = Math.floor(Date.now() / 1000);
        assert.equal((await api('exporter', 'GET', '/api/v1/me', { token: sign(now + 60) })).status, 200, 'the forged-but-valid control token is accepted');
        const expired = await api('exporter', 'GET', '/api/v1/me', { token: sign(now - 1) });
        assert.equal(expired.status, 401);
        assert.match(String((expired.body as Json).detail), /expired/);
        assert.equal((await api('exporter', 'POST', '/api/v1/shipments', { token: sign(now - 1), json: { shipmentId: `SHP-EXP-${run}`, ...SHIPMENT, commercial: COMMERCIAL } })).status, 401);
        assert.equal((await api('exporter', 'GET', `/api/v1/shipments/SHP-EXP-${run}`, { token: sign(now + 60) })).status, 404, 'nothing was written');
    });
});
