/**
 * tradedocs network command line: `up`, `stop`, `status`, `deploy`, `wipe`, `logs NAME`.
 * Called by scripts/tradedocs.sh, which first installs dependencies and builds Fabric when missing.
 */
import { loadConfig } from './config';
import { Network } from './network';
import * as path from 'node:path';
import { PEER_ORGS, caPorts, demoUsers, gatewayPort, ordererPorts, peerPorts } from './topology';

const USAGE = `usage: tradedocs <command>
  up       start every missing process, join the channel, deploy the chaincode (repairs a half-up network)
  stop     stop every process; ledgers and identities are kept
  status   what is up and what is down
  deploy   rebuild and redeploy the chaincode (new sequence when it changed), keeping the ledger
  wipe     stop and delete all state of this network
  logs N   print the log of process N (e.g. peer0.exporter, orderer1, ca.bank, chaincode.customs)`;

function info(line: string): void {
    process.stderr.write(`\x1b[0;32m[network]\x1b[0m ${line}\n`);
}

async function main(argv: string[]): Promise<number> {
    const [command, arg] = argv;
    if (!command || command === 'help' || command === '--help') {
        process.stdout.write(`${USAGE}\n`);
        return command ? 0 : 2;
    }
    const network = new Network(loadConfig(), info);
    switch (command) {
    case 'up':
        await network.up();
        printEndpoints(network);
        return 0;
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

function printEndpoints(network: Network): void {
    const { basePort, runDir } = network.config;
    const { ordering } = network.layout;
    const lines = [`run directory: ${runDir}`, `ordering: ${ordering.type === 'raft' ? 'Raft' : 'SmartBFT'}, ${ordering.nodes.length} orderers`];
    for (const node of ordering.nodes) {
        const p = ordererPorts(basePort, node.index);
        lines.push(`${node.name} (${node.org.mspId}): 127.0.0.1:${p.listen} (admin ${p.admin}, operations ${p.operations})`);
    }
    for (const org of PEER_ORGS) {
        const p = peerPorts(basePort, org);
        const ca = caPorts(basePort, org);
        lines.push(`${org.mspId}: peer 127.0.0.1:${p.listen} (operations ${p.operations}), chaincode server ${p.chaincodeServer}, CA https://127.0.0.1:${ca.listen}`);
        lines.push(`  gateway and portal: http://127.0.0.1:${gatewayPort(network.config.gatewayBasePort, org)}/  (API docs /docs)`);
        lines.push(`  users: ${demoUsers(org).map((u) => `${u.name} (${u.role})`).join(', ')}, admin`);
        lines.push(`  passwords: ${path.join(runDir, 'gateway', org.key, 'initial-passwords')}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
    process.stderr.write(`\x1b[0;31m[network] ${err instanceof Error ? err.message : String(err)}\x1b[0m\n`);
    process.exitCode = 1;
});
