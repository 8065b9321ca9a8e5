/**
 * Requests Node's HTTP parser refuses before Express sees them (an oversize request line or headers, a malformed
 * request) still get a problem body from the one error mapping, instead of Node's bare status line.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import { ApiError, toProblem } from '../errors';

export function answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void {
    // The client went away, or an answer is already on its way: nothing useful can be written.
    if (err.code === 'ECONNRESET' || !socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
        socket.destroy();
        return;
    }
    const error = err.code === 'HPE_HEADER_OVERFLOW'
        ? new ApiError('HEADERS_TOO_LARGE', 'the request line and headers are larger than the gateway accepts')
        : new ApiError('INVALID_ARGUMENT', 'the request is not well-formed HTTP');
    const { status, problem } = toProblem(error);
    const body = JSON.stringify(problem);
    socket.end(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\nContent-Type: application/problem+json\r\n`
        + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}
