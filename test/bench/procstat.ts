/** CPU and memory of processes, read from /proc: CPU as a share of one core over an interval, peak resident memory. */
import * as fs from 'node:fs';

const CLOCK_TICKS = 100; // USER_HZ on Linux

interface Sample { readonly ticks: number; readonly rssKiB: number }

function sample(pid: number): Sample | undefined {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        // Fields after the command name (which may hold spaces) start after the last ')'.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
        const rss = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
        return { ticks, rssKiB: Number(rss?.[1] ?? 0) };
    } catch {
        return undefined;
    }
}

export interface ProcessUsage {
    readonly name: string;
    readonly cpuPercent: number;
    /** CPU time (user + system) spent over the window, in milliseconds. */
    readonly cpuMs: number;
    readonly rssMiB: number;
}

/** Samples the named pids every 500 ms until `stop` is called; returns CPU % (of one core) and peak RSS per process. */
export function watchProcesses(pids: ReadonlyMap<string, number>): { stop(): ProcessUsage[] } {
    const first = new Map<string, Sample>();
    const peak = new Map<string, number>();
    const t0 = performance.now();
    const tick = (): void => {
        for (const [name, pid] of pids) {
            const s = sample(pid);
            if (s) {
                if (!first.has(name)) {
                    first.set(name, s);
                }
                peak.set(name, Math.max(peak.get(name) ?? 0, s.rssKiB));
            }
        }
    };
    tick();
    const timer = setInterval(tick, 500);
    return {
        stop(): ProcessUsage[] {
            clearInterval(timer);
            tick();
            const seconds = (performance.now() - t0) / 1000;
            return [...pids].map(([name, pid]) => {
                const end = sample(pid);
                const start = first.get(name);
                const cpuSeconds = end && start ? (end.ticks - start.ticks) / CLOCK_TICKS : Number.NaN;
                return { name, cpuPercent: Math.round((cpuSeconds / seconds) * 100), cpuMs: Math.round(cpuSeconds * 1000), rssMiB: Math.round((peak.get(name) ?? 0) / 1024) };
            });
        },
    };
}

/** The kinds of process a transaction costs CPU in; a process's kind is the first part of its name. */
export const PROCESS_KINDS = ['gateway', 'chaincode', 'peer', 'orderer', 'ca', 'load-generator'] as const;
export type ProcessKind = (typeof PROCESS_KINDS)[number];

export function processKind(name: string): ProcessKind {
    const kind = PROCESS_KINDS.find((k) => name.startsWith(k));
    if (!kind) {
        throw new Error(`no process kind for ${name}`);
    }
    return kind;
}

export interface CpuBudget {
    /** CPU milliseconds per completed operation, by kind of process, and in all. */
    readonly perOperationMs: Readonly<Record<ProcessKind, number>> & { readonly total: number };
    /** Operations per second this machine's cores could complete at that cost: cores × 1000 / total. */
    readonly ceilingPerSecond: number;
}

/** What one completed operation cost each kind of process over a measured window. */
export function cpuBudget(usage: readonly ProcessUsage[], operations: number, cores: number): CpuBudget {
    const sums = Object.fromEntries(PROCESS_KINDS.map((k) => [k, 0])) as Record<ProcessKind, number>;
    for (const p of usage) {
        if (Number.isFinite(p.cpuMs)) {
            sums[processKind(p.name)] += p.cpuMs;
        }
    }
    const per = (ms: number): number => (operations > 0 ? Math.round((ms / operations) * 10) / 10 : Number.NaN);
    const perOperationMs = { ...Object.fromEntries(PROCESS_KINDS.map((k) => [k, per(sums[k])])), total: per(Object.values(sums).reduce((a, b) => a + b, 0)) } as CpuBudget['perOperationMs'];
    return { perOperationMs, ceilingPerSecond: Math.round((cores * 1000) / perOperationMs.total * 10) / 10 };
}
