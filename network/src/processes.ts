/**
 * Supervision of the network's long-running processes: started detached with their own log file, recorded by pid,
 * recognised by a marker in their environment (so a reused pid is never mistaken for ours), stopped by pid.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface ProcessSpec {
    /** Unique within a network, e.g. `peer0.exporter`. Names the log and pid files. */
    readonly name: string;
    readonly command: string;
    readonly args: readonly string[];
    readonly env: Readonly<Record<string, string>>;
    readonly cwd?: string;
    /** Resolves true once the process serves requests. */
    readonly healthy: () => Promise<boolean>;
}

const MARKER = 'TRADEDOCS_PROCESS';

export class Supervisor {
    /** `repairAfterMs`: how long a running process may stay unhealthy before `ensure` restarts it. */
    constructor(private readonly runDir: string, private readonly repairAfterMs = 15_000) {}

    private get pidsDir(): string { return path.join(this.runDir, 'pids'); }
    private get logsDir(): string { return path.join(this.runDir, 'logs'); }
    private marker(name: string): string { return `${this.runDir}#${name}`; }
    logFile(name: string): string { return path.join(this.logsDir, `${name}.log`); }

    /** The pid of the named process if it runs, else undefined. */
    pid(name: string): number | undefined {
        const file = path.join(this.pidsDir, `${name}.pid`);
        if (!fs.existsSync(file)) {
            return undefined;
        }
        const pid = Number(fs.readFileSync(file, 'utf8').trim());
        return Number.isInteger(pid) && this.isOurs(pid, name) ? pid : undefined;
    }

    /** Starts the process unless it already runs; waits until it is healthy. */
    async ensure(spec: ProcessSpec, timeoutMs = 60_000): Promise<'started' | 'running' | 'restarted'> {
        let outcome: 'started' | 'restarted' = 'started';
        if (this.pid(spec.name) !== undefined) {
            try {
                await waitFor(`${spec.name} to become healthy`, spec.healthy, this.repairAfterMs);
                return 'running';
            } catch {
                // Running but not serving (hung, or started with other settings): repair by restarting it.
                await this.stop(spec.name);
                outcome = 'restarted';
            }
        }
        fs.mkdirSync(this.pidsDir, { recursive: true });
        fs.mkdirSync(this.logsDir, { recursive: true });
        const log = fs.openSync(this.logFile(spec.name), 'a');
        // The log is appended across runs: a banner shows where this run's lines begin.
        fs.writeSync(log, `==== ${new Date().toISOString()} starting ${spec.name}\n`);
        const child = spawn(spec.command, spec.args, {
            cwd: spec.cwd,
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...spec.env, [MARKER]: this.marker(spec.name) },
            detached: true,
            stdio: ['ignore', log, log],
        });
        fs.closeSync(log);
        if (child.pid === undefined) {
            throw new Error(`could not start ${spec.name} (${spec.command})`);
        }
        let exit = 'still running';
        child.once('exit', (code, signal) => { exit = signal === null ? `exit code ${code}` : `signal ${signal}`; });
        child.unref();
        fs.writeFileSync(path.join(this.pidsDir, `${spec.name}.pid`), `${child.pid}\n`);
        await waitFor(`${spec.name} to become healthy`, async () => {
            if (this.pid(spec.name) === undefined) {
                throw new Error(`${spec.name} (pid ${child.pid}) exited during start-up (${exit}); last lines of ${this.logFile(spec.name)}:\n${this.tail(spec.name)}`);
            }
            return spec.healthy();
        }, timeoutMs, () => this.tail(spec.name));
        return outcome;
    }

    /** SIGTERM, then SIGKILL after the grace period; also finds our processes whose pid file was lost. */
    async stop(name: string, graceMs = 10_000): Promise<boolean> {
        const pids = new Set<number>(this.findByMarker(this.marker(name)));
        const recorded = this.pid(name);
        if (recorded !== undefined) {
            pids.add(recorded);
        }
        for (const pid of pids) {
            signal(pid, 'SIGTERM');
        }
        const deadline = Date.now() + graceMs;
        while ([...pids].some(alive) && Date.now() < deadline) {
            await delay(100);
        }
        for (const pid of pids) {
            if (alive(pid)) {
                signal(pid, 'SIGKILL');
            }
        }
        while ([...pids].some(alive)) {
            await delay(50);
        }
        fs.rmSync(path.join(this.pidsDir, `${name}.pid`), { force: true });
        return pids.size > 0;
    }

    /** SIGKILL without grace: for fault tests. */
    kill(name: string): void {
        const pid = this.pid(name);
        if (pid === undefined) {
            throw new Error(`${name} is not running`);
        }
        signal(pid, 'SIGKILL');
    }

    /** Names of every process of this network that runs now, found by marker. */
    running(): string[] {
        const prefix = `${this.runDir}#`;
        return this.findByMarker(prefix, true).map((pid) => readMarker(pid)?.slice(prefix.length) ?? String(pid));
    }

    tail(name: string, lines = 15): string {
        try {
            return fs.readFileSync(this.logFile(name), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
        } catch {
            return '(no log)';
        }
    }

    private isOurs(pid: number, name: string): boolean {
        return readMarker(pid) === this.marker(name);
    }

    private findByMarker(marker: string, prefix = false): number[] {
        const found: number[] = [];
        for (const entry of fs.readdirSync('/proc')) {
            const pid = Number(entry);
            if (!Number.isInteger(pid)) {
                continue;
            }
            const value = readMarker(pid);
            if (value !== undefined && (prefix ? value.startsWith(marker) : value === marker)) {
                found.push(pid);
            }
        }
        return found;
    }
}

function readMarker(pid: number): string | undefined {
    try {
        const environ = fs.readFileSync(`/proc/${pid}/environ`, 'utf8');
        const entry = environ.split('\0').find((e) => e.startsWith(`${MARKER}=`));
        return entry?.slice(MARKER.length + 1);
    } catch {
        return undefined; // gone, or not ours to read
    }
}

function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
        // A zombie still answers signal 0; it is dead for our purposes.
        return !fs.readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z ');
    } catch {
        return false;
    }
}

function signal(pid: number, sig: NodeJS.Signals): void {
    try {
        process.kill(pid, sig);
    } catch {
        // already gone
    }
}

export function delay(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls `check` until it resolves true, with a bound; the error names what was awaited and the last failure.
 * A check that throws is retried, unless the thrown error says the process died.
 */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, context?: () => string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (let interval = 100; ; interval = Math.min(interval * 2, 1000)) {
        try {
            if (await check()) {
                return;
            }
        } catch (err) {
            last = err instanceof Error ? err.message : String(err);
            if (last.includes('exited during start-up')) {
                throw err;
            }
        }
        if (Date.now() >= deadline) {
            const detail = [last && `last error: ${last}`, context?.()].filter(Boolean).join('\n');
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${detail ? `\n${detail}` : ''}`);
        }
        await delay(interval);
    }
}
