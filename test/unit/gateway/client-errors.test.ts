import * as assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { answerClientError } from '../../../gateway/src/http/client-errors';

/** Sends raw bytes and returns everything the server answered before closing. */
async function rawExchange(port: number, request: string): Promise<string> {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.write(request);
    await once(socket, 'close');
    return Buffer.concat(chunks).toString();
}

describe('gateway answers to requests the HTTP parser refuses', () => {
    const server = createServer((_req, res) => res.end('ok'));
    server.on('clientError', answerClientError);
    let port = 0;
    before(async () => {
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
        port = (server.address() as AddressInfo).port;
    });
    after(() => server.close());

    it('an oversize request line gets 431 with a problem body', async () => {
        const answer = await rawExchange(port, `GET /${'x'.repeat(40_000)} HTTP/1.1\r\nHost: a\r\n\r\n`);
        assert.match(answer, /^HTTP\/1\.1 431 /);
        assert.match(answer, /Content-Type: application\/problem\+json/);
        const problem = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as { status: number; code: string };
        assert.deepEqual([problem.status, problem.code], [431, 'HEADERS_TOO_LARGE']);
    });

    it('a malformed request gets 400 with a problem body', async () => {
        const answer = await rawExchange(port, 'NOT HTTP AT ALL\r\n\r\n');
        assert.match(answer, /^HTTP\/1\.1 400 /);
        assert.match(answer, /"code":"INVALID_ARGUMENT"/);
    });
});
