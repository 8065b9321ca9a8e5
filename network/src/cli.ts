/**
 * tradedocs network command line: `up`, `org init`, `org publish-crl`, `channel add-org`, `stop`, `status`, `deploy`,
 * `wipe`, `logs NAME`. Called by scripts/tradedocs.sh, which first installs dependencies and builds Fabric when missing
 * (and by each dev gateway's revocation publisher, see gateway-profile.ts).
 */
import { loadConfig } from './config';
import { currentRevocationList } from './identities';
import { Network } from './network';
import * as path from 'node:path';
import { publishRevocationList } from './revocation';
import { caPorts, demoUsers, gatewayPort, ordererPorts, peerOrg, peerPorts } from './topology';

const USAGE = `usage: tradedocs <command> [--org KEY]... [--listen ADDRESS]
  up        every step this host can take for its organisations: CA, identities and bundle; the channel (when the
            ordering admin is here and every bundle is in bundles/); orderers, peers, channel joins; chaincode
            installed and approved (committed once a majority approved); chaincode servers and gateways.
            Repairs a half-up network.
  org init  only each organisation's CA, its identities and its bundle (bundles/<org>.json, to hand to the others)
  org publish-crl --org ORG
            as ORG's admin: put ORG's CA revocation list (fetched from the CA itself) into ORG's MSP on the channel,
            so peers and orderers refuse revoked certificates; ORG's gateway asks for it after each revocation
  channel add-org KEY
            as this host's member organisations: admit organisation KEY (e.g. supervisor) to the running channel from
            its bundle — propose the update, sign it with each local member's admin, submit once a majority signed
            (else hand channel/updates/add-KEY.pb to the next member's host and run this there)
  stop      stop every process; ledgers and identities are kept
  status    what is up and what is down
  deploy    rebuild and redeploy the chaincode (new sequence when it changed), keeping the ledger
  wipe      stop and delete all state of this network
  logs N    print the log of process N (e.g. peer0.exporter, orderer1, ca.bank, chaincode.customs)
options:
  --org KEY         run only this organisation's part on this host (repeatable; default: every organisation;
                    same as TRADEDOCS_ORGS=exporter,carrier)
  --listen ADDRESS  the address this host's nodes bind, advertise and name in their certificates
                    (default 127.0.0.1; same as TRADEDOCS_LISTEN)`;

function info(line: string): void {
    process.stderr.write(`\x1b[0;32m[network]\x1b[0m ${line}\n`);
}

/** Splits `--org` and `--listen` off the arguments into environment overrides; the rest are the command's. */
function parseArguments(argv: readonly string[]): { words: string[]; env: Record<string, string> } {
    const words: string[] = [];
    const orgs: string[] = [];
    const env: Record<string, string> = {};
    for (let i = 0; i < argv.length; i++) {
        const word = argv[i] as string;
        if (word === '--org' || word === '--listen') {
            const value = argv[++i];
            if (value === undefined) {
                throw new Error(`${word} needs a value`);
            }
            if (word === '--org') {
                orgs.push(value);
            } else {
                env.TRADEDOCS_LISTEN = value;
            }
        } else {
            words.push(word);
        }
    }
    if (orgs.length > 0) {
        env.TRADEDOCS_ORGS = orgs.join(',');
    }
    return { words, env };
}

async function main(argv: string[]): Promise<number> {
    const { words, env } = parseArguments(argv);
    const [command, arg] = words;
    if (!command || command === 'help' || command === '--help') {
        process.stdout.write(`${USAGE}\n`);
        return command ? 0 : 2;
    }
    // Processes this command starts (gateways) inherit the host's choice of organisations and address.
    Object.assign(process.env, env);
    const network = new Network(loadConfig(), info);
    switch (command) {
    case 'up':
        await network.up();
        printEndpoints(network);
        return 0;
    case 'org':
        if (arg === 'publish-crl') {
            return publishCrl(network, env.TRADEDOCS_ORGS);
        }
        if (arg !== 'init') {
            process.stderr.write(`unknown org command ${arg ?? ''}\n${USAGE}\n`);
            return 2;
        }
        await network.initOrgs();
        for (const org of network.localOrgs()) {
            info(`${org.mspId}: bundle ${network.layout.bundleFile(org)}`);
        }
        return 0;
    case 'channel': {
        const newcomer = words[2];
        if (arg !== 'add-org' || !newcomer) {
            process.stderr.write(`usage: channel add-org KEY\n${USAGE}\n`);
            return 2;
        }
        await network.admit(peerOrg(newcomer));
        return 0;
    }
    case 'stop':
        await network.stop();
        info('stopped');
        return 0;
    case 'deploy':
        await network.deploy();
        return 0;
    case 'wipe':
        await network.wipe();
        return 0;
    case 'status': {
        const statuses = await network.status();
        for (const s of statuses) {
            process.stdout.write(`${s.name.padEnd(18)} ${s.healthy ? 'up  ' : 'DOWN'} ${s.pid ?? '-'}\n`);
        }
        return statuses.every((s) => s.healthy) ? 0 : 1;
    }
    case 'logs':
        if (!arg) {
            process.stderr.write('logs needs a process name\n');
            return 2;
        }
        process.stdout.write(`${network.supervisor.tail(arg, 200)}\n`);
        return 0;
    default:
        process.stderr.write(`unknown command ${command}\n${USAGE}\n`);
        return 2;
    }
}

/** `org publish-crl --org ORG`: the organisation admin's channel update, with the organisation's own keys. */
async function publishCrl(network: Network, orgs: string | undefined): Promise<number> {
    const targets = network.localPeerOrgs();
    if (!orgs || targets.length !== 1) {
        process.stderr.write('org publish-crl needs exactly one --org ORG (a peer organisation)\n');
        return 2;
    }
    const org = targets[0]!;
    const crl = await currentRevocationList(network.config, network.layout, org);
    const changed = await publishRevocationList(network.config, network.layout, org, crl);
    info(changed ? `${org.mspId}: the channel carries the CA's current revocation list` : `${org.mspId}: the channel already carried this revocation list`);
    return 0;
}

/** What runs on this host and where. */
function printEndpoints(network: Network): void {
    const { basePort, runDir, listenAddress: host } = network.config;
    const { ordering } = network.layout;
    const lines = [`run directory: ${runDir}`, `ordering: ${ordering.type === 'raft' ? 'Raft' : 'SmartBFT'}, ${ordering.nodes.length} orderers`];
    for (const node of network.localOrderers()) {
        const p = ordererPorts(basePort, node.index);
        lines.push(`${node.name} (${node.org.mspId}): ${host}:${p.listen} (admin ${p.admin}, operations ${p.operations})`);
    }
    for (const org of network.localOrgs().filter((o) => o.kind === 'orderer')) {
        lines.push(`${org.mspId}: CA https://${host}:${caPorts(basePort, org).listen}`);
    }
    for (const org of [...network.localPeerOrgs(), ...network.joiningHosts().flatMap((host) => host.localPeerOrgs())]) {
        const p = peerPorts(basePort, org);
        const ca = caPorts(basePort, org);
        lines.push(`${org.mspId}: peer ${host}:${p.listen} (operations ${p.operations}), chaincode server ${p.chaincodeServer}, CA https://${host}:${ca.listen}`);
        lines.push(`  gateway and portal: http://${host}:${gatewayPort(network.config.gatewayBasePort, org)}/  (API docs /docs)`);
        lines.push(`  users: ${demoUsers(org).map((u) => `${u.name} (${u.role})`).join(', ')}, admin`);
        lines.push(`  passwords: ${path.join(runDir, 'gateway', org.key, 'initial-passwords')}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
    process.stderr.write(`\x1b[0;31m[network] ${err instanceof Error ? err.message : String(err)}\x1b[0m\n`);
    process.exitCode = 1;
});
