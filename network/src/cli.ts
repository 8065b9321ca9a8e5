/**
 * tradedocs network command line: `up`, `stop`, `status`, `deploy`, `wipe`, `logs NAME`, and the organisation
 * admin's `org publish-crl --org ORG`. Called by scripts/tradedocs.sh, which first installs dependencies and builds
 * Fabric when missing (and by each dev gateway's revocation publisher, see gateway-profile.ts).
 */
import { loadConfig } from './config';
import { currentRevocationList } from './identities';
import { Network } from './network';
import * as path from 'node:path';
import { publishRevocationList } from './revocation';
import { ORDERER_COUNT, PEER_ORGS, caPorts, demoUsers, gatewayPort, ordererPorts, peerOrg, peerPorts } from './topology';

const USAGE = `usage: tradedocs <command>
  up       start every missing process, join the channel, deploy the chaincode (repairs a half-up network)
  stop     stop every process; ledgers and identities are kept
  status   what is up and what is down
  deploy   rebuild and redeploy the chaincode (new sequence when it changed), keeping the ledger
  wipe     stop and delete all state of this network
  logs N   print the log of process N (e.g. peer0.exporter, orderer1, ca.bank, chaincode.customs)
  org publish-crl --org ORG
           as ORG's admin: put ORG's CA revocation list into ORG's MSP on the channel (peers then refuse revoked
           certificates); the list is fetched from the CA itself`;

function info(line: string): void {
    process.stderr.write(`\x1b[0;32m[network]\x1b[0m ${line}\n`);
}

async function main(argv: string[]): Promise<number> {
    const [command, arg, ...rest] = argv;
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
    case 'org':
        return orgCommand(network, arg, rest);
    default:
        process.stderr.write(`unknown command ${command}\n${USAGE}\n`);
        return 2;
    }
}

/** Commands an organisation's admin runs with the organisation's own keys. */
async function orgCommand(network: Network, sub: string | undefined, args: string[]): Promise<number> {
    const orgIndex = args.indexOf('--org');
    const orgKey = orgIndex >= 0 ? args[orgIndex + 1] : undefined;
    if (sub !== 'publish-crl' || !orgKey) {
        process.stderr.write(`usage: org publish-crl --org ORG\n`);
        return 2;
    }
    const org = peerOrg(orgKey);
    const crl = await currentRevocationList(network.config, network.layout, org);
    const changed = await publishRevocationList(network.config, network.layout, org, crl);
    info(changed ? `${org.mspId}: the channel carries the CA's current revocation list` : `${org.mspId}: the channel already carried this revocation list`);
    return 0;
}

function printEndpoints(network: Network): void {
    const { basePort, runDir } = network.config;
    const lines = [`run directory: ${runDir}`];
    for (let i = 0; i < ORDERER_COUNT; i++) {
        const p = ordererPorts(basePort, i);
        lines.push(`orderer${i}: 127.0.0.1:${p.listen} (admin ${p.admin}, operations ${p.operations})`);
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
