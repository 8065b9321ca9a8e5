/** Health probes over TLS: operations endpoints, the CA API and plain TCP for chaincode servers. */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import * as tls from 'node:tls';

/** A client certificate for endpoints that require one (operations /metrics). */
export interface ClientTls { readonly certFile: string; readonly keyFile: string }

/** GET over HTTPS trusting only `caFile`; resolves the status code and body. */
export function httpsGet(url: string, caFile: string, client?: ClientTls, timeoutMs = 3000): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const credentials = client ? { cert: fs.readFileSync(client.certFile), key: fs.readFileSync(client.keyFile) } : {};
        const req = https.get(url, { ca: fs.readFileSync(caFile), timeout: timeoutMs, ...credentials }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => { body += chunk; });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('timeout', () => req.destroy(new Error(`${url} timed out`)));
        req.on('error', reject);
    });
}

/** Plain HTTP GET on loopback (the gateways' own health endpoints). */
export function httpGet(url: string, timeoutMs = 3000): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const req = http.get(url, { timeout: timeoutMs }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (chunk: string) => { body += chunk; });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('timeout', () => req.destroy(new Error(`${url} timed out`)));
        req.on('error', reject);
    });
}

/** Fabric's /healthz answers 200 once every registered checker is OK. */
export async function healthz(hostPort: string, caFile: string): Promise<boolean> {
    const { status } = await httpsGet(`https://${hostPort}/healthz`, caFile);
    return status === 200;
}

export function tcpOpen(host: string, port: number, timeoutMs = 2000): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = net.connect({ host, port });
        const done = (ok: boolean): void => { socket.destroy(); resolve(ok); };
        socket.setTimeout(timeoutMs, () => done(false));
        socket.once('connect', () => done(true));
        socket.once('error', () => done(false));
    });
}

/**
 * A TLS handshake with a gRPC listener (ALPN h2) completes: the server is serving, not only bound. A liveness probe,
 * so the chain is checked against `caFile` but not the name (the caller dialled the address itself).
 */
export function tlsServing(host: string, port: number, caFile: string, timeoutMs = 2000): Promise<boolean> {
    return new Promise((resolve) => {
        const socket = tls.connect({ host, port, ca: fs.readFileSync(caFile), ALPNProtocols: ['h2'], checkServerIdentity: () => undefined });
        const done = (ok: boolean): void => { socket.destroy(); resolve(ok); };
        socket.setTimeout(timeoutMs, () => done(false));
        socket.once('secureConnect', () => done(socket.authorized));
        socket.once('error', () => done(false));
    });
}
