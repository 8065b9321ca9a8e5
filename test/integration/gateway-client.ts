/** HTTP client for the test network's REST gateways: logs people in with their first-start passwords. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { gatewayPort, peerOrg } from '../../network/src/topology';
import { testNetwork } from './harness';

/** Where each organisation's gateway is and where it keeps its first-start passwords; the test network's by default. */
export interface GatewayDirectory {
    url(orgKey: string): string;
    passwordsFile(orgKey: string): string;
}

const testNetworkGateways: GatewayDirectory = {
    url: (orgKey) => `http://127.0.0.1:${gatewayPort(testNetwork.config.gatewayBasePort, peerOrg(orgKey))}`,
    passwordsFile: (orgKey) => path.join(testNetwork.config.runDir, 'gateway', orgKey, 'initial-passwords'),
};
let gateways = testNetworkGateways;

/** Points every helper here at other gateways (the hosts suite: one per test host); undefined goes back. */
export function useGateways(directory: GatewayDirectory | undefined): void {
    gateways = directory ?? testNetworkGateways;
}

export function gatewayUrl(orgKey: string): string {
    return gateways.url(orgKey);
}

/** The password the gateway gave `user` on first start (gateway data directory, mode 600). */
export function initialPassword(orgKey: string, user: string): string {
    const file = gateways.passwordsFile(orgKey);
    const line = fs.readFileSync(file, 'utf8').split('\n').find((l) => l.split('\t')[0] === user);
    const password = line?.split('\t')[2];
    if (!password) {
        throw new Error(`no initial password for ${user} in ${file}`);
    }
    return password;
}

export interface ApiResponse { status: number; headers: Headers; body: unknown }

export async function api(orgKey: string, method: string, urlPath: string, options: { token?: string; json?: unknown; headers?: Record<string, string> } = {}): Promise<ApiResponse> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) {
        headers.authorization = `Bearer ${options.token}`;
    }
    if (options.json !== undefined) {
        headers['content-type'] = 'application/json';
    }
    const res = await fetch(`${gatewayUrl(orgKey)}${urlPath}`, { method, headers, body: options.json === undefined ? undefined : JSON.stringify(options.json) });
    const text = await res.text();
    let body: unknown = text;
    try {
        body = JSON.parse(text);
    } catch {
        // not JSON: keep the text
    }
    return { status: res.status, headers: res.headers, body };
}

export async function login(orgKey: string, user: string): Promise<string> {
    const res = await api(orgKey, 'POST', '/api/v1/auth/login', { json: { name: user, password: initialPassword(orgKey, user) } });
    if (res.status !== 200) {
        throw new Error(`login of ${user} at ${orgKey} answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    return (res.body as { token: string }).token;
}

/** Uploads a document as multipart form data, as the portal does. */
export async function upload(org: string, token: string, shipmentId: string, documentId: string, docType: string, content: Buffer, fields?: Record<string, unknown>, mediaType = 'application/pdf', headers: Record<string, string> = {}, fileName = `${documentId}.pdf`): Promise<ApiResponse> {
    const form = new FormData();
    form.set('documentId', documentId);
    form.set('docType', docType);
    if (fields) {
        form.set('fields', JSON.stringify(fields));
    }
    form.set('file', new Blob([new Uint8Array(content)], { type: mediaType }), fileName);
    const res = await fetch(`${gatewayUrl(org)}/api/v1/shipments/${shipmentId}/documents`, { method: 'POST', headers: { authorization: `Bearer ${token}`, ...headers }, body: form });
    const text = await res.text();
    let body: unknown = text;
    try {
        body = JSON.parse(text);
    } catch {
        // keep text
    }
    return { status: res.status, headers: res.headers, body };
}
