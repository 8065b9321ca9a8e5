/**
 * The process's serving state, shared by the readiness probe, open event streams and graceful shutdown: on SIGTERM
 * readiness turns false, event streams end (clients reconnect elsewhere with Last-Event-ID) and responses ask
 * clients to close their connections.
 */
export class Lifecycle {
    private draining = false;
    private readonly streams = new Set<() => void>();

    get accepting(): boolean {
        return !this.draining;
    }

    /** Registers a way to end an open stream; returns the function that unregisters it. */
    track(stop: () => void): () => void {
        this.streams.add(stop);
        return () => this.streams.delete(stop);
    }

    get openStreams(): number {
        return this.streams.size;
    }

    beginShutdown(): void {
        this.draining = true;
        for (const stop of [...this.streams]) {
            stop();
        }
    }
}
