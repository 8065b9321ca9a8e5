/** Runs a short-lived command (cryptogen, peer CLI, ...) and returns its stdout; failures carry its output. */
import { execFile } from 'node:child_process';

export interface RunOptions {
    readonly env?: Readonly<Record<string, string>>;
    readonly cwd?: string;
    readonly timeoutMs?: number;
}

export class CommandError extends Error {
    constructor(readonly command: string, readonly output: string) {
        super(`${command} failed: ${output.trim().split('\n').slice(-8).join('\n')}`);
        this.name = 'CommandError';
    }
}

export function run(command: string, args: readonly string[], options: RunOptions = {}): Promise<string> {
    return new Promise((resolve, reject) => {
        execFile(command, [...args], {
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env },
            cwd: options.cwd,
            timeout: options.timeoutMs ?? 120_000,
            maxBuffer: 64 * 1024 * 1024,
        }, (error, stdout, stderr) => {
            if (error) {
                const name = `${command.split('/').pop() ?? command} ${args.slice(0, 3).join(' ')}`;
                reject(new CommandError(name, `${stderr}\n${stdout}`));
            } else {
                resolve(stdout);
            }
        });
    });
}
