/**
 * People's identities as their organisation's gateway keeps them: the certificate, and the key opened with the
 * gateway's key-encryption key. Only the gateway holds people's keys (no plaintext copy exists anywhere); a test that
 * stands in for the organisation's own systems, or for an attacker who took the gateway's files, reads them here.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KeyBox } from '../../gateway/src/people/key-box';
import type { UserRecord } from '../../gateway/src/people/user-store';
import type { Layout } from '../../network/src/layout';
import { peerOrg } from '../../network/src/topology';

export interface StoredIdentity {
    readonly mspId: string;
    readonly certificatePem: string;
    readonly privateKeyPem: string;
}

/** The user's record in the gateway's store (users.json). */
export function gatewayRecord(layout: Layout, orgKey: string, user: string): UserRecord {
    const file = path.join(layout.gatewayDataDir(peerOrg(orgKey)), 'users.json');
    const record = (JSON.parse(fs.readFileSync(file, 'utf8')) as { users: UserRecord[] }).users.find((u) => u.name === user);
    if (!record) {
        throw new Error(`${user} is not in ${file}`);
    }
    return record;
}

export function gatewayIdentity(layout: Layout, orgKey: string, user: string): StoredIdentity {
    const org = peerOrg(orgKey);
    const record = gatewayRecord(layout, orgKey, user);
    if (!record.certificatePem || !record.sealedKey) {
        throw new Error(`${user} has no ledger identity in the ${orgKey} gateway's store`);
    }
    const box = new KeyBox(fs.readFileSync(layout.gatewayKeyFile(org)));
    return { mspId: org.mspId, certificatePem: record.certificatePem, privateKeyPem: box.open(record.sealedKey, user) };
}
