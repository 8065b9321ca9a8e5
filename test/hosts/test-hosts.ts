/**
 * The project's own test hosts: one Linux network namespace per host, each with one address on a private bridge
 * (10.77.0.0/24, the bridge itself 10.77.0.1 in the test's own namespace). Every namespace, link and the bridge are
 * named `tdh-*` and removed again, also after a failure (the test's after hook, and scripts/test-hosts.sh's trap).
 * Needs root (CI and sessions run as root). Only these addresses and loopback are ever a target.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const PREFIX = 'tdh-';
const BRIDGE = `${PREFIX}br`;
const SUBNET = '10.77.0';

export interface TestHost {
    /** Short name: the namespace is `tdh-<name>`, its link on the bridge too. */
    readonly name: string;
    readonly namespace: string;
    readonly address: string;
}

async function ip(...args: string[]): Promise<string> {
    const { stdout } = await exec('ip', args);
    return stdout;
}

/** Hosts named `names`, at 10.77.0.10, .11, ... in that order. */
export function planHosts(names: readonly string[]): TestHost[] {
    return names.map((name, i) => ({ name, namespace: `${PREFIX}${name}`, address: `${SUBNET}.${10 + i}` }));
}

/** Creates the bridge and every host: namespace, veth pair (`tdh-<name>` on the bridge, `eth0` inside), address, loopback. */
export async function createHosts(hosts: readonly TestHost[]): Promise<void> {
    await removeHosts();
    await ip('link', 'add', BRIDGE, 'type', 'bridge');
    await ip('addr', 'add', `${SUBNET}.1/24`, 'dev', BRIDGE);
    await ip('link', 'set', BRIDGE, 'up');
    for (const host of hosts) {
        const inner = `${PREFIX}${host.name.slice(0, 6)}-i`;
        await ip('netns', 'add', host.namespace);
        await ip('link', 'add', linkName(host), 'type', 'veth', 'peer', 'name', inner);
        await ip('link', 'set', inner, 'netns', host.namespace);
        await ip('-n', host.namespace, 'link', 'set', inner, 'name', 'eth0');
        await ip('-n', host.namespace, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
        await ip('-n', host.namespace, 'link', 'set', 'eth0', 'up');
        await ip('-n', host.namespace, 'link', 'set', 'lo', 'up');
        await ip('link', 'set', linkName(host), 'master', BRIDGE);
        await ip('link', 'set', linkName(host), 'up');
    }
}

/** Removes every `tdh-*` namespace and link. Safe to call when there are none. */
export async function removeHosts(): Promise<void> {
    for (const namespace of (await ip('netns', 'list')).split('\n').map((l) => l.split(' ')[0] ?? '').filter((n) => n.startsWith(PREFIX))) {
        await ip('netns', 'delete', namespace);
    }
    for (const link of (await ip('-o', 'link', 'show')).split('\n').map((l) => l.split(': ')[1]?.split('@')[0] ?? '').filter((n) => n.startsWith(PREFIX))) {
        await ip('link', 'delete', link).catch(() => undefined); // a veth goes with its peer
    }
}

function linkName(host: TestHost): string {
    return `${PREFIX}${host.name}`.slice(0, 15);
}

/** Cuts the host off the network (its link on the bridge down), as a failed uplink would. */
export async function cutLink(host: TestHost): Promise<void> {
    await ip('link', 'set', linkName(host), 'down');
}

export async function restoreLink(host: TestHost): Promise<void> {
    await ip('link', 'set', linkName(host), 'up');
}

/** The command line that runs `command` inside the host's namespace. */
export function inHost(host: TestHost, command: string, args: readonly string[]): { command: string; args: string[] } {
    return { command: 'ip', args: ['netns', 'exec', host.namespace, command, ...args] };
}
