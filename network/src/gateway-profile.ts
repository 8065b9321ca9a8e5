/**
 * The connection profile of each organisation's dev gateway, generated from the network's topology and layout:
 * what a real organisation's operators would write by hand for their gateway (see gateway/src/profile.ts for the
 * format). Also makes what the profile points at: the gateway's scoped CA registrar and its key-encryption key, kept
 * in secrets/, apart from the gateway's data directory that holds the sealed keys.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { type GatewayProfile, PROFILE_VERSION } from '../../gateway/src/profile';
import type { NetworkConfig } from './config';
import { ensureGatewayRegistrar } from './identities';
import type { Layout } from './layout';
import { caName } from './org-ca';
import { CHAINCODE_NAME, CHANNEL, type PeerOrg, caPorts, demoUsers, gatewayPort, peerPorts } from './topology';

/**
 * Room for the largest document (the chaincode's LIMITS.transientBytes, 16 MiB), base64 inside JSON, with headroom; the
 * gateway refuses to start with limits too small for its upload limit.
 */
const GRPC_MESSAGE_BYTES = 48 * 1024 * 1024;

/** The profile of `org`'s gateway as the dev network runs it. */
export function gatewayProfile(config: NetworkConfig, layout: Layout, org: PeerOrg, registrar: { name: string; secretFile: string }): GatewayProfile {
    return {
        version: PROFILE_VERSION,
        organisation: { id: org.key, name: org.name, mspId: org.mspId, roles: [...org.roles] },
        listen: { host: config.listenAddress, port: gatewayPort(config.gatewayBasePort, org) },
        // The address is an IP; the peer's TLS certificate names the peer's host, which the alias says to expect.
        peer: {
            endpoint: `${config.listenAddress}:${peerPorts(config.basePort, org).listen}`, tlsRootCertFile: layout.tlsCa(org), hostAlias: layout.peerName(org),
            concurrencyLimit: config.peerGatewayConcurrency,
        },
        channel: CHANNEL,
        chaincode: CHAINCODE_NAME,
        // The organisation's identity CA (people's certificates); its endpoint's TLS certificate is from the org's TLS CA.
        ca: {
            url: `https://${config.listenAddress}:${caPorts(config.basePort, org).listen}`,
            caName: caName(org, 'identity'),
            tlsRootCertFile: layout.tlsCa(org),
            registrar,
        },
        grpc: { maxReceiveMessageBytes: GRPC_MESSAGE_BYTES, maxSendMessageBytes: GRPC_MESSAGE_BYTES },
        dataDir: layout.gatewayDataDir(org),
        keyEncryptionKey: { file: layout.gatewayKeyFile(org) },
        demoUsers: { enabled: true, users: demoUsers(org) },
        // The organisation admin's command of the network tooling, run by the gateway after each revocation: it takes
        // the list from the CA itself and signs the channel update with the admin's MSP, which the gateway never sees.
        revocation: {
            publisher: 'command',
            command: [process.execPath, path.join(config.repoDir, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(config.repoDir, 'network', 'src', 'cli.ts'),
                'org', 'publish-crl', '--org', org.key],
            environment: {
                TRADEDOCS_FABRIC_DIR: config.fabricDir,
                TRADEDOCS_RUN_DIR: config.runDir,
                TRADEDOCS_BASE_PORT: String(config.basePort),
                TRADEDOCS_GATEWAY_BASE_PORT: String(config.gatewayBasePort),
                TRADEDOCS_ORDERER_TYPE: config.ordererType,
                TRADEDOCS_LISTEN: config.listenAddress,
            },
            timeoutSeconds: 120,
        },
    };
}

/**
 * Writes `org`'s gateway profile (registering the gateway's registrar and creating its key-encryption key first,
 * when missing) and returns its path. What older versions left behind is put right: a key-encryption key inside the
 * data directory is moved out (existing sealed keys still open), plaintext demo-user keys are deleted.
 */
export async function ensureGatewayProfile(config: NetworkConfig, layout: Layout, org: PeerOrg): Promise<string> {
    const registrar = await ensureGatewayRegistrar(config, layout, org);
    const keyFile = layout.gatewayKeyFile(org);
    if (!fs.existsSync(keyFile)) {
        fs.mkdirSync(path.dirname(keyFile), { recursive: true, mode: 0o700 });
        const legacy = path.join(layout.gatewayDataDir(org), 'key-encryption.key');
        if (fs.existsSync(legacy)) {
            fs.renameSync(legacy, keyFile);
        } else {
            fs.writeFileSync(keyFile, randomBytes(32), { mode: 0o600, flag: 'wx' });
        }
    }
    // Older versions enrolled demo users here, keys in plaintext; their gateway imported them. Not kept.
    for (const { name } of demoUsers(org)) {
        fs.rmSync(path.join(layout.orgHome(org), 'users', name), { recursive: true, force: true });
    }
    const file = layout.gatewayProfileFile(org);
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    const header = `# ${org.name}'s gateway connection profile, generated by the network manager (network/src/gateway-profile.ts).\n`;
    fs.writeFileSync(file, header + stringify(gatewayProfile(config, layout, org, registrar)), { mode: 0o600 });
    return file;
}
