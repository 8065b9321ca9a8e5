/**
 * Node and admin key material, made once by cryptogen. User identities are not made here: each organisation's
 * Fabric CA issues them (identities.ts), signing with the CA key pair cryptogen made, so both kinds share one MSP.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { run } from './exec';
import type { Layout } from './layout';
import { PEER_ORGS, type OrderingService } from './topology';

const SANS = ['127.0.0.1', 'localhost'];

export function cryptoConfig(ordering: OrderingService): object {
    return {
        OrdererOrgs: ordering.orgs.map((org) => ({
            Name: org.name,
            Domain: org.domain,
            EnableNodeOUs: true,
            Specs: ordering.nodes.filter((n) => n.org === org).map((n) => ({ Hostname: n.name, SANS })),
        })),
        PeerOrgs: PEER_ORGS.map((org) => ({
            Name: org.name,
            Domain: org.domain,
            EnableNodeOUs: true,
            // `ca` and `chaincode` are TLS server identities for the org's Fabric CA and chaincode server; `ccclient`
            // is the peer's client identity towards its chaincode server (kept apart from the peer's own TLS key).
            Specs: ['peer0', 'ca', 'chaincode', 'ccclient'].map((Hostname) => ({ Hostname, SANS })),
            Users: { Count: 0 },
        })),
    };
}

/** Generates crypto material unless it exists. Returns true when it was generated now. */
export async function ensureCrypto(layout: Layout): Promise<boolean> {
    if (fs.existsSync(path.join(layout.cryptoDir, '.complete'))) {
        return false;
    }
    fs.rmSync(layout.cryptoDir, { recursive: true, force: true });
    fs.mkdirSync(layout.cryptoDir, { recursive: true });
    const configFile = path.join(layout.runDir, 'crypto-config.yaml');
    fs.writeFileSync(configFile, stringify(cryptoConfig(layout.ordering)));
    await run(layout.bin('cryptogen'), ['generate', '--config', configFile, '--output', layout.cryptoDir]);
    // Private keys readable by the owner only.
    for (const file of walk(layout.cryptoDir)) {
        if (file.endsWith('_sk') || file.endsWith('.key')) {
            fs.chmodSync(file, 0o600);
        }
    }
    fs.writeFileSync(path.join(layout.cryptoDir, '.complete'), '');
    return true;
}

function* walk(dir: string): Generator<string> {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            yield* walk(full);
        } else {
            yield full;
        }
    }
}
