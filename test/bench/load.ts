/** A closed-loop load generator: `concurrency` workers each run one operation after another until the budget ends. */

export interface LoadOptions {
    readonly concurrency: number;
    /** Stop starting operations after this long. */
    readonly durationMs: number;
    /** ...or after this many operations in all, whichever comes first. */
    readonly maxOperations: number;
}

export interface LoadResult {
    readonly ok: number;
    readonly failed: number;
    /** Milliseconds, successful operations only. */
    readonly latencies: readonly number[];
    readonly elapsedMs: number;
    /** The first few distinct failure messages, to tell a bug from a timeout. */
    readonly errors: readonly string[];
}

export async function runLoad(options: LoadOptions, operation: (seq: number) => Promise<void>): Promise<LoadResult> {
    const latencies: number[] = [];
    const errors = new Set<string>();
    let failed = 0;
    let started = 0;
    const begin = performance.now();
    const deadline = begin + options.durationMs;
    const worker = async (): Promise<void> => {
        while (performance.now() < deadline && started < options.maxOperations) {
            const seq = started++;
            const t0 = performance.now();
            try {
                await operation(seq);
                latencies.push(performance.now() - t0);
            } catch (err) {
                failed++;
                if (errors.size < 5) {
                    errors.add(err instanceof Error ? err.message.slice(0, 200) : String(err));
                }
            }
        }
    };
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    return { ok: latencies.length, failed, latencies, elapsedMs: performance.now() - begin, errors: [...errors] };
}

export function percentile(sorted: readonly number[], p: number): number {
    if (sorted.length === 0) {
        return Number.NaN;
    }
    const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[rank] ?? Number.NaN;
}

export interface Summary {
    readonly ok: number;
    readonly failed: number;
    readonly tps: number;
    readonly p50: number;
    readonly p95: number;
    readonly p99: number;
    readonly errors: readonly string[];
}

export function summarise(result: LoadResult): Summary {
    const sorted = [...result.latencies].sort((a, b) => a - b);
    const round = (n: number): number => Math.round(n * 10) / 10;
    return {
        ok: result.ok,
        failed: result.failed,
        tps: round(result.ok / (result.elapsedMs / 1000)),
        p50: round(percentile(sorted, 50)),
        p95: round(percentile(sorted, 95)),
        p99: round(percentile(sorted, 99)),
        errors: result.errors,
    };
}
