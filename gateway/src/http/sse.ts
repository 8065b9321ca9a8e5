/** Writes a StreamReply as Server-Sent Events, with heartbeats, back-pressure and clean ends on every side. */
import type { Response } from 'express';
import { toProblem } from '../errors';
import type { Lifecycle } from './lifecycle';
import type { SseMessage, StreamReply } from './operation';

const HEARTBEAT_MS = 15_000;

/** One event in wire format; multi-line data becomes several `data:` lines as the SSE format requires. */
export function formatSse(message: SseMessage): string {
    const lines: string[] = [];
    if (message.id !== undefined) {
        lines.push(`id: ${message.id}`);
    }
    if (message.event !== undefined) {
        lines.push(`event: ${message.event}`);
    }
    for (const line of message.data.split(/\r?\n/)) {
        lines.push(`data: ${line}`);
    }
    return `${lines.join('\n')}\n\n`;
}

export async function writeSse(res: Response, reply: StreamReply, lifecycle: Lifecycle, requestId: string): Promise<void> {
    res.status(200).set({
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store',
        'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    let stopped = false;
    const stop = (): void => {
        if (stopped) {
            return;
        }
        stopped = true;
        clearInterval(heartbeat);
        untrack();
        reply.close();
        if (!res.writableEnded) {
            res.end();
        }
    };
    const heartbeat = setInterval(() => res.write(': keepalive\n\n'), HEARTBEAT_MS);
    const untrack = lifecycle.track(stop);
    res.on('close', stop);
    try {
        for await (const message of reply.stream) {
            if (stopped) {
                break;
            }
            if (!res.write(formatSse(message))) {
                await new Promise<void>((resolve) => {
                    res.once('drain', resolve);
                    res.once('close', resolve);
                });
            }
        }
    } catch (err) {
        // A stream closed by us or the client ends with an error from the peer connection: nothing to tell anyone.
        if (!stopped && !res.writableEnded) {
            res.write(formatSse({ event: 'error', data: JSON.stringify(toProblem(err, requestId).problem) }));
        }
    } finally {
        stop();
    }
}
