/**
 * The live event stream (GET /api/v1/events, Server-Sent Events), read with fetch so the bearer token travels in a
 * header (EventSource cannot send one). It starts at the next block (the API cannot replay from the first block:
 * a Last-Event-ID must name a real event), reconnects with the last id it saw so nothing is lost or repeated, and
 */
import { token } from './session';
import type { TradeEvent } from './types';


export interface RecordState {
    record: string;
    id: string;
    shipmentId: string;
    status: string;
    lastEvent: TradeEvent;
}

type Listener = (event: TradeEvent | undefined) => void;

class Feed {
    readonly events: TradeEvent[] = [];
    readonly records = new Map<string, RecordState>();
    private readonly listeners = new Set<Listener>();
    private controller: AbortController | undefined;
    private lastId: string | undefined;
    private retryMs = 1000;
    connected = false;

    start(): void {
        this.stop();
        this.events.length = 0;
        this.records.clear();
        this.lastId = undefined;
        void this.run();
    }

    stop(): void {
        this.controller?.abort();
        this.controller = undefined;
        this.connected = false;
    }

    subscribe(listener: Listener): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    /** Records of one type (e.g. 'declaration'), newest event first. */
    ofType(record: string): RecordState[] {
        return [...this.records.values()].filter((r) => r.record === record).reverse();
    }

    /** The newest record of a type on a shipment. */
    latest(shipmentId: string, record: string): RecordState | undefined {
        let found: RecordState | undefined;
        for (const r of this.records.values()) {
            if (r.shipmentId === shipmentId && r.record === record) {
                found = r;
            }
        }
        return found;
    }

    forShipment(shipmentId: string): TradeEvent[] {
        return this.events.filter((e) => e.payload.shipmentId === shipmentId);
    }

    private notify(event: TradeEvent | undefined): void {
        for (const l of this.listeners) {
            l(event);
        }
    }

    private accept(event: TradeEvent): void {
        this.events.push(event);
        const p = event.payload;
        if (p.record && p.id) {
            const key = `${p.record}/${p.id}`;
            // Delete and re-insert, so map order is "last changed last".
            this.records.delete(key);
            this.records.set(key, { record: p.record, id: p.id, shipmentId: p.shipmentId ?? '', status: p.status ?? '', lastEvent: event });
        }
        this.notify(event);
    }

    private async run(): Promise<void> {
        const controller = new AbortController();
        this.controller = controller;
        while (!controller.signal.aborted && token()) {
            try {
                const headers: Record<string, string> = { Authorization: `Bearer ${token() ?? ''}`, Accept: 'text/event-stream' };
                if (this.lastId) {
                    headers['Last-Event-ID'] = this.lastId;
                }
                const res = await fetch('/api/v1/events', { headers, signal: controller.signal });
                if (!res.ok || !res.body) {
                    throw new Error(`events answered ${res.status}`);
                }
                this.connected = true;
                this.retryMs = 1000;
                this.notify(undefined);
                await this.read(res.body, controller.signal);
            } catch {
                if (controller.signal.aborted) {
                    return;
                }
            }
            this.connected = false;
            this.notify(undefined);
            await new Promise((r) => setTimeout(r, this.retryMs));
            this.retryMs = Math.min(this.retryMs * 2, 15_000);
        }
    }

    private async read(body: ReadableStream<Uint8Array>, signal: AbortSignal): Promise<void> {
        const reader = body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        while (!signal.aborted) {
            const { value, done } = await reader.read();
            if (done) {
                return;
            }
            buffer += decoder.decode(value, { stream: true }).replace(/\r\n?/g, '\n');
            let end: number;
            while ((end = buffer.indexOf('\n\n')) >= 0) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                this.dispatch(block);
            }
        }
    }

    private dispatch(block: string): void {
        let id: string | undefined;
        const data: string[] = [];
        for (const line of block.split('\n')) {
            if (line.startsWith('id:')) {
                id = line.slice(3).trim();
            } else if (line.startsWith('data:')) {
                data.push(line.slice(5).trimStart());
            }
        }
        if (data.length === 0) {
            return; // a keep-alive comment
        }
        try {
            const event = JSON.parse(data.join('\n')) as TradeEvent;
            if (id) {
                this.lastId = id;
            }
            this.accept(event);
        } catch {
            // not an event we understand: skip it
        }
    }
}

export const feed = new Feed();
