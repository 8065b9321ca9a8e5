/** A gateway profile on disk for the config and start-up tests: certificates (openssl), secrets, the YAML file. */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stringify } from 'yaml';
import type { GatewayProfile } from '../../../gateway/src/profile';

export interface TlsPair {
    readonly certFile: string;
    readonly keyFile: string;
}

/** A self-signed P-256 certificate for `name` (a stand-in TLS root and server certificate). */
export function selfSigned(dir: string, name: string, sans = `DNS:${name},IP:127.0.0.1`): TlsPair {
    const certFile = path.join(dir, `${name}.crt`);
    const keyFile = path.join(dir, `${name}.key`);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile, '-out', certFile,
        '-days', '3650', '-subj', `/CN=${name}`, '-addext', `subjectAltName=${sans}`], { stdio: 'ignore' });
    return { certFile, keyFile };
}

/** A profile as loose JSON: tests write wrong shapes on purpose (a string for a number, unknown fields). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LooseProfile = Record<string, any>;

export interface ProfileFixture {
    readonly dir: string;
    readonly file: string;
    readonly profile: GatewayProfile;
    readonly peerTls: TlsPair;
    /** Rewrites the profile file with `change` applied to a copy of the valid one. */
    write(change?: (p: LooseProfile) => void): string;
}

/** A valid profile (relative paths, as an operator would write it) with every file it names. */
export function profileFixture(dir: string): ProfileFixture {
    const secrets = path.join(dir, 'secrets');
    fs.mkdirSync(secrets, { mode: 0o700 });
    const peerTls = selfSigned(dir, 'peer0.test');
    fs.writeFileSync(path.join(secrets, 'registrar'), 'registrar-secret\n', { mode: 0o600 });
    fs.writeFileSync(path.join(secrets, 'kek'), randomBytes(32), { mode: 0o600 });
    const profile: GatewayProfile = {
        version: 1,
        organisation: { id: 'exporter', name: 'Exporter', mspId: 'ExporterMSP', roles: ['exporter', 'forwarder'] },
        listen: { host: '127.0.0.1', port: 3101 },
        peer: { endpoint: '127.0.0.1:7200', tlsRootCertFile: 'peer0.test.crt', hostAlias: 'peer0.test', concurrencyLimit: 500 },
        channel: 'trade',
        chaincode: 'tradedocs',
        ca: { url: 'https://127.0.0.1:7300', caName: 'ca-exporter', tlsRootCertFile: 'peer0.test.crt', registrar: { name: 'gateway-registrar', secretFile: 'secrets/registrar' } },
        grpc: { maxReceiveMessageBytes: 48 * 1024 * 1024, maxSendMessageBytes: 48 * 1024 * 1024 },
        dataDir: 'data',
        keyEncryptionKey: { file: 'secrets/kek' },
        demoUsers: { enabled: true, users: [{ name: 'exporter1', role: 'exporter' }] },
        revocation: { publisher: 'none' },
    };
    const file = path.join(dir, 'profile.yaml');
    const write = (change?: (p: LooseProfile) => void): string => {
        const copy = structuredClone(profile) as LooseProfile;
        change?.(copy);
        fs.writeFileSync(file, stringify(copy));
        return file;
    };
    write();
    return { dir, file, profile, peerTls, write };
}
