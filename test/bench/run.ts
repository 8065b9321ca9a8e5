/**
 * npm run bench: the same workloads through the REST gateway (HTTP) and straight through @hyperledger/fabric-gateway,
 * side by side on one network, with the same identity, peer and concurrency. Writes a JSON result and the Markdown
 * tables of BENCHMARKS.md, and keeps every run's JSON in test/bench/history/.
 */
import * as grpc from '@grpc/grpc-js';
import { type Contract, connect } from '@hyperledger/fabric-gateway';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../../network/src/config';
import { Network } from '../../network/src/network';
import { peerEndpoint } from '../../network/src/bundle';
import { CHAINCODE_NAME, CHANNEL, PEER_ORGS, gatewayPort, orderingService, peerOrg } from '../../network/src/topology';
import { COMMERCIAL, SHIPMENT } from '../unit/chaincode/fixtures';
import { newSigner } from '../../gateway/src/fabric/signer';
import { gatewayIdentity } from '../integration/gateway-keys';
import { type Summary, runLoad, summarise } from './load';
import { type CpuBudget, PROCESS_KINDS, type ProcessUsage, cpuBudget, watchProcesses } from './procstat';

const repoDir = path.resolve(__dirname, '..', '..');
const basePort = Number(process.env.TRADEDOCS_BENCH_BASE_PORT ?? 19000);
const benchConfig = loadConfig(process.env, { runDir: path.join(repoDir, '.run', 'bench'), basePort, gatewayBasePort: basePort + 400 });
// The four founders, as in every run of the history: the supervisor `npm start` admits would add a committing peer's
// CPU to each write and break the comparison with earlier runs.
const network = new Network({ ...benchConfig, localOrgs: [...orderingService(benchConfig.ordererType).orgs, ...PEER_ORGS].map((o) => o.key) },
    (line) => process.stderr.write(`[network] ${line}\n`));
const exporter = peerOrg('exporter');
const USER = 'exporter1';
const runTag = Date.now().toString(36);
/** How busy the machine was before the bench started (other work skews every number). */
const LOAD_BEFORE = os.loadavg();
const DURATION_MS = Number(process.env.TRADEDOCS_BENCH_SECONDS ?? 10) * 1000;
const CONCURRENCY = Number(process.env.TRADEDOCS_BENCH_CONCURRENCY ?? 8);
/** Writer counts of the sweep; TRADEDOCS_BENCH_SWEEP=1,4,16 overrides. */
const SWEEP = (process.env.TRADEDOCS_BENCH_SWEEP ?? '1,2,4,8,16,32').split(',').map((n) => {
    const level = Number(n);
    if (!Number.isInteger(level) || level < 1) {
        throw new Error(`TRADEDOCS_BENCH_SWEEP: ${n} is not a number of writers`);
    }
    return level;
});
const WORKLOADS = ['open', 'register', 'dossier', 'upload', 'mixed', 'sweep'] as const;
/** TRADEDOCS_BENCH_WORKLOADS=dossier,upload runs only those (comma-separated; default all), to measure one change. */
const SELECTED = new Set((process.env.TRADEDOCS_BENCH_WORKLOADS ?? WORKLOADS.join(',')).split(',').map((w) => w.trim()));
for (const name of SELECTED) {
    if (!(WORKLOADS as readonly string[]).includes(name)) {
        throw new Error(`TRADEDOCS_BENCH_WORKLOADS: unknown workload ${name}; known: ${WORKLOADS.join(', ')}`);
    }
}
const selected = (name: typeof WORKLOADS[number]): boolean => SELECTED.has(name);

/** One way of reaching the ledger: the REST gateway or the Fabric client directly. */
interface Driver {
    readonly name: 'rest' | 'direct';
    openShipment(id: string): Promise<void>;
    registerDocument(shipmentId: string, documentId: string, content: Buffer): Promise<void>;
    readDossier(shipmentId: string): Promise<void>;
}

function shipmentBody(id: string): { shipment: object; commercial: object } {
    return { shipment: { ...SHIPMENT, exporterReference: `PO-${id}` }, commercial: COMMERCIAL };
}

function pdf(size: number): Buffer {
    const bytes = randomBytes(size);
    bytes.write('%PDF-1.7\n', 0, 'latin1');
    return bytes;
}

function directDriver(): Driver & { close(): void } {
    const identity = gatewayIdentity(network.layout, exporter.key, USER);
    const client = new grpc.Client(peerEndpoint(network.layout, exporter), grpc.credentials.createSsl(fs.readFileSync(network.layout.tlsCa(exporter))), {
        'grpc.ssl_target_name_override': 'localhost',
    });
    const gateway = connect({
        client,
        identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificatePem) },
        // The signer the gateway uses, so that the comparison measures the REST layer, not two ways of signing.
        ...newSigner(identity.privateKeyPem),
    });
    const contract: Contract = gateway.getNetwork(CHANNEL).getContract(CHAINCODE_NAME);
    const submit = async (fn: string, args: string[], transientData?: Record<string, Uint8Array | string>): Promise<void> => {
        // With a salt, as the gateway sends one (the chaincode refuses a private write without).
        const commit = await contract.submitAsync(fn, { arguments: args, transientData: transientData && { ...transientData, salt: randomBytes(32).toString('hex') } });
        const status = await commit.getStatus();
        if (!status.successful) {
            throw new Error(`${fn} ${commit.getTransactionId()} invalid: code ${status.code}`);
        }
    };
    return {
        name: 'direct',
        async openShipment(id) {
            const { shipment, commercial } = shipmentBody(id);
            await submit('shipment:openShipment', [id, JSON.stringify(shipment)], { commercial: JSON.stringify(commercial) });
        },
        async registerDocument(shipmentId, documentId, content) {
            const meta = { docType: 'commercialInvoice', sha256: createHash('sha256').update(content).digest('hex'), size: content.length, mediaType: 'application/pdf', fileName: `${documentId}.pdf` };
            await submit('document:registerDocument', [documentId, shipmentId, JSON.stringify(meta)], { content });
        },
        async readDossier(shipmentId) {
            // The same chaincode reads the gateway's dossier makes for a shipment with documents and nothing else, in
            // the same order: shipment, document list and commercial part at once, then each document.
            const list = async (): Promise<void> => {
                const heads = JSON.parse(Buffer.from(await contract.evaluateTransaction('document:listShipmentDocuments', shipmentId)).toString()) as { documentId: string }[];
                await Promise.all(heads.map((h) => contract.evaluateTransaction('document:getDocument', h.documentId)));
            };
            await Promise.all([
                contract.evaluateTransaction('shipment:getShipment', shipmentId),
                contract.evaluateTransaction('shipment:getShipmentCommercial', shipmentId),
                list(),
            ]);
        },
        close() {
            gateway.close();
            client.close();
        },
    };
}

async function restDriver(): Promise<Driver> {
    const url = `http://127.0.0.1:${gatewayPort(network.config.gatewayBasePort, exporter)}`;
    const passwords = fs.readFileSync(path.join(network.config.runDir, 'gateway', exporter.key, 'initial-passwords'), 'utf8');
    const password = passwords.split('\n').map((l) => l.split('\t')).find((f) => f[0] === USER)?.[2] ?? '';
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: USER, password }) });
    if (login.status !== 200) {
        throw new Error(`login answered ${login.status}`);
    }
    let token = ((await login.json()) as { token: string }).token;
    const tokenAt = Date.now();
    const headers = async (): Promise<Record<string, string>> => {
        if (Date.now() - tokenAt > 10 * 60_000) {
            token = ((await (await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: USER, password }) })).json()) as { token: string }).token;
        }
        return { authorization: `Bearer ${token}` };
    };
    const expect = async (res: Response, status: number): Promise<void> => {
        const body = await res.text();
        if (res.status !== status) {
            throw new Error(`HTTP ${res.status}: ${body.slice(0, 200)}`);
        }
    };
    return {
        name: 'rest',
        async openShipment(id) {
            const { shipment, commercial } = shipmentBody(id);
            // Writes carry an Idempotency-Key as the portal's do, so the journal's durable write is measured too.
            const res = await fetch(`${url}/api/v1/shipments`, {
                method: 'POST', headers: { ...(await headers()), 'content-type': 'application/json', 'idempotency-key': `open-${id}` },
                body: JSON.stringify({ shipmentId: id, ...shipment, commercial }),
            });
            await expect(res, 201);
        },
        async registerDocument(shipmentId, documentId, content) {
            const form = new FormData();
            form.set('documentId', documentId);
            form.set('docType', 'commercialInvoice');
            form.set('file', new Blob([new Uint8Array(content)], { type: 'application/pdf' }), `${documentId}.pdf`);
            const res = await fetch(`${url}/api/v1/shipments/${shipmentId}/documents`, {
                method: 'POST', headers: { ...(await headers()), 'idempotency-key': `doc-${documentId}` }, body: form,
            });
            await expect(res, 201);
        },
        async readDossier(shipmentId) {
            await expect(await fetch(`${url}/api/v1/shipments/${shipmentId}/dossier`, { headers: await headers() }), 200);
        },
    };
}

interface WorkloadResult { workload: string; driver: string; concurrency: number; summary: Summary; processes: ProcessUsage[]; cpuBudget: CpuBudget }

/** Every process of the bench network (CAs, orderers, peers, chaincode servers, gateways) and the load generator. */
function pids(): Map<string, number> {
    const map = new Map<string, number>();
    for (const name of network.supervisor.running()) {
        const pid = network.supervisor.pid(name);
        if (pid !== undefined) {
            map.set(name, pid);
        }
    }
    map.set('load-generator', process.pid);
    return map;
}

async function measure(workload: string, driver: Driver, concurrency: number, op: (seq: number) => Promise<void>, maxOperations = Number.MAX_SAFE_INTEGER, durationMs = DURATION_MS): Promise<WorkloadResult> {
    const watch = watchProcesses(pids());
    const result = await runLoad({ concurrency, durationMs, maxOperations }, op);
    const summary = summarise(result);
    process.stderr.write(`${workload.padEnd(22)} ${driver.name.padEnd(6)} c=${String(concurrency).padEnd(3)} ${summary.tps} tps, p50 ${summary.p50} ms, p95 ${summary.p95} ms, failed ${summary.failed}${summary.errors.length ? ` (${summary.errors[0]})` : ''}\n`);
    const processes = watch.stop();
    return { workload, driver: driver.name, concurrency, summary, processes, cpuBudget: cpuBudget(processes, summary.ok, os.cpus().length) };
}

async function main(): Promise<void> {
    // A fresh ledger each run, so runs compare (the history keeps them).
    await network.wipe();
    await network.up();
    const direct = directDriver();
    const rest = await restDriver();
    const drivers: Driver[] = [rest, direct];
    const results: WorkloadResult[] = [];
    const small = pdf(100 * 1024);
    const large = pdf(5 * 1024 * 1024);
    try {
        for (const driver of drivers) {
            // Warm-up: connections, chaincode JIT, gateway caches.
            await runLoad({ concurrency: 2, durationMs: 3000, maxOperations: 20 }, (i) => driver.openShipment(`W-${runTag}-${driver.name}-${i}`));
        }
        // Documents are registered on one shipment per driver; the dossier is read from another with two documents,
        // so both drivers read the same amount whatever the write workloads added.
        const shipments = new Map<string, string>();
        const dossiers = new Map<string, string>();
        for (const driver of drivers) {
            const id = `B-${runTag}-${driver.name}`;
            await driver.openShipment(id);
            shipments.set(driver.name, id);
            const dossier = `R-${runTag}-${driver.name}`;
            await driver.openShipment(dossier);
            await driver.registerDocument(dossier, `RI-${runTag}-${driver.name}`, small);
            await driver.registerDocument(dossier, `RP-${runTag}-${driver.name}`, pdf(20 * 1024));
            dossiers.set(driver.name, dossier);
        }
        // Alternate the drivers per workload so neither always runs on a warmer or fuller ledger.
        for (const driver of selected('open') ? drivers : []) {
            results.push(await measure('open shipment', driver, CONCURRENCY, (i) => driver.openShipment(`S-${runTag}-${driver.name}-${i}`)));
        }
        for (const driver of selected('register') ? [...drivers].reverse() : []) {
            results.push(await measure('register 100 KB doc', driver, CONCURRENCY, (i) => driver.registerDocument(shipments.get(driver.name) ?? '', `D-${runTag}-${driver.name}-${i}`, small)));
        }
        for (const driver of selected('dossier') ? drivers : []) {
            results.push(await measure('read dossier', driver, CONCURRENCY, () => driver.readDossier(dossiers.get(driver.name) ?? '')));
        }
        for (const driver of selected('upload') ? [...drivers].reverse() : []) {
            results.push(await measure('upload 5 MB doc', driver, 1, (i) => driver.registerDocument(shipments.get(driver.name) ?? '', `L-${runTag}-${driver.name}-${i}`, large), 10, 60_000));
        }
        for (const driver of selected('mixed') ? drivers : []) {
            results.push(await measure('mixed flow', driver, CONCURRENCY, async (i) => {
                const id = `M-${runTag}-${driver.name}-${i}`;
                await driver.openShipment(id);
                await driver.registerDocument(id, `MD-${runTag}-${driver.name}-${i}`, small);
                await driver.readDossier(id);
            }));
        }
        for (const concurrency of selected('sweep') ? SWEEP : []) {
            for (const driver of drivers) {
                results.push(await measure('sweep: open shipment', driver, concurrency, (i) => driver.openShipment(`K-${runTag}-${driver.name}-${concurrency}-${i}`), Number.MAX_SAFE_INTEGER, 8000));
            }
        }
    } finally {
        direct.close();
    }
    report(results);
}

function report(results: WorkloadResult[]): void {
    const at = new Date().toISOString();
    const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
    const historyDir = path.join(__dirname, 'history');
    fs.mkdirSync(historyDir, { recursive: true });
    const settings = {
        ordererType: network.config.ordererType, fabric: path.basename(network.config.fabricDir),
        batchTimeoutMs: network.config.batchTimeoutMs, peerGatewayConcurrency: network.config.peerGatewayConcurrency, loadAverage: LOAD_BEFORE,
    };
    fs.writeFileSync(path.join(historyDir, `${at.replace(/[:.]/g, '-')}.json`), `${JSON.stringify({ at, machine, settings, durationMs: DURATION_MS, results }, null, 2)}\n`);

    const rows = ['| workload | driver | concurrency | tx/s | failed | p50 ms | p95 ms | p99 ms | REST/direct tx/s |', '|---|---|---|---|---|---|---|---|---|'];
    for (const r of results) {
        const other = results.find((o) => o.workload === r.workload && o.concurrency === r.concurrency && o.driver === 'direct');
        const ratio = r.driver === 'rest' && other && other.summary.tps > 0 ? (r.summary.tps / other.summary.tps).toFixed(2) : '';
        rows.push(`| ${r.workload} | ${r.driver} | ${r.concurrency} | ${r.summary.tps} | ${r.summary.failed} | ${r.summary.p50} | ${r.summary.p95} | ${r.summary.p99} | ${ratio} |`);
    }
    const usage = ['| workload | driver | ' + [...new Set(results.flatMap((r) => r.processes.map((p) => p.name)))].join(' | ') + ' |'];
    const names = [...new Set(results.flatMap((r) => r.processes.map((p) => p.name)))];
    usage.push(`|---|---|${names.map(() => '---').join('|')}|`);
    for (const r of results.filter((x) => !x.workload.startsWith('sweep'))) {
        usage.push(`| ${r.workload} | ${r.driver} | ${names.map((n) => { const p = r.processes.find((x) => x.name === n); return p ? `${p.cpuPercent}% / ${p.rssMiB} MiB` : ''; }).join(' | ')} |`);
    }
    const budget = [`| workload | driver | writers | ${PROCESS_KINDS.join(' | ')} | total CPU ms | ceiling tx/s |`, `|---|---|---|${PROCESS_KINDS.map(() => '---').join('|')}|---|---|`];
    for (const r of results) {
        const b = r.cpuBudget.perOperationMs;
        budget.push(`| ${r.workload} | ${r.driver} | ${r.concurrency} | ${PROCESS_KINDS.map((k) => b[k]).join(' | ')} | ${b.total} | ${r.cpuBudget.ceilingPerSecond} |`);
    }
    const markdown = [`Run ${at} on ${machine}; ${DURATION_MS / 1000} s per workload, concurrency ${CONCURRENCY} unless stated; `
        + `${settings.fabric}, ${settings.ordererType} ordering, BatchTimeout ${settings.batchTimeoutMs} ms, peer gateway concurrency ${settings.peerGatewayConcurrency}; load average before the run ${settings.loadAverage.map((l) => l.toFixed(2)).join(' ')}.`, '', ...rows, '', 'CPU milliseconds per completed operation, by kind of process (all processes of the kind summed), and the ceiling '
        + `that cost implies on ${os.cpus().length} cores:`, '', ...budget, '', 'CPU (share of one core) / peak resident memory per process:', '', ...usage, ''].join('\n');
    fs.writeFileSync(path.join(historyDir, 'latest.md'), markdown);
    process.stdout.write(`${markdown}\n`);
}

main().then(() => network.stop()).catch(async (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    await network.stop();
    process.exitCode = 1;
});
