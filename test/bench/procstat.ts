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

export interface ProcessUsage { readonly name: string; readonly cpuPercent: number; readonly rssMiB: number }

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
                const cpu = end && start ? ((end.ticks - start.ticks) / CLOCK_TICKS / seconds) * 100 : Number.NaN;
                return { name, cpuPercent: Math.round(cpu), rssMiB: Math.round((peak.get(name) ?? 0) / 1024) };
            });
        },
    };
}
