import * as assert from 'node:assert/strict';
import type { UserView } from '../../../gateway/src/people/accounts';
import { CertificateRenewal } from '../../../gateway/src/people/renewal';

const DAY = 24 * 3600 * 1000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function person(name: string, issuedDaysAfterT0: number, lifetimeDays: number, revoked = false): UserView {
    return {
        name, role: 'exporter', createdAt: new Date(T0).toISOString(), ledgerIdentity: true,
        certificateIssuedAt: new Date(T0 + issuedDaysAfterT0 * DAY).toISOString(),
        certificateExpiresAt: new Date(T0 + (issuedDaysAfterT0 + lifetimeDays) * DAY).toISOString(),
        ...(revoked ? { revokedAt: new Date(T0).toISOString() } : {}),
    };
}

describe('gateway certificate renewal', () => {
    let now: number;
    let people: UserView[];
    let renewed: string[];
    let failing: Set<string>;
    const renewal = (): CertificateRenewal => new CertificateRenewal({
        accounts: {
            list: () => people,
            renew: async (name) => {
                if (failing.has(name)) {
                    throw new Error('CA down');
                }
                renewed.push(name);
                const index = people.findIndex((p) => p.name === name);
                people[index] = person(name, (now - T0) / DAY, 365);
                return people[index]!;
            },
        },
        renewDays: 30,
        log: () => undefined,
        now: () => now,
    });
    beforeEach(() => {
        renewed = [];
        failing = new Set();
    });

    it('renewal renews a one-year certificate 30 days before expiry, not earlier, and not revoked people', async () => {
        people = [person('ana', 0, 365), person('ben', 0, 365, true)];
        const r = renewal();
        now = T0 + 334 * DAY;
        await r.renewDue();
        assert.deepEqual(renewed, []);
        now = T0 + 335 * DAY;
        await r.renewDue();
        assert.deepEqual(renewed, ['ana']);
        await r.renewDue();
        assert.deepEqual(renewed, ['ana'], 'the new certificate is not due');
    });

    it('renewal of a short-lived certificate starts at two thirds of its life', async () => {
        people = [person('ana', 0, 30)];
        const r = renewal();
        now = T0 + 19 * DAY;
        await r.renewDue();
        assert.deepEqual(renewed, []);
        now = T0 + 20 * DAY;
        await r.renewDue();
        assert.deepEqual(renewed, ['ana']);
    });

    it('renewal that fails is retried at the next check and reported; expired certificates are reported as expired', async () => {
        people = [person('ana', 0, 365), person('ben', 0, 365)];
        failing.add('ana');
        const r = renewal();
        now = T0 + 340 * DAY;
        await r.renewDue();
        assert.deepEqual(renewed, ['ben']);
        assert.deepEqual({ ...r.status(), lastFailure: r.status().lastFailure?.name }, {
            expired: [], renewalDue: ['ana'], nextExpiry: new Date(T0 + 365 * DAY).toISOString(), lastFailure: 'ana',
        });
        now = T0 + 366 * DAY;
        assert.deepEqual(r.status().expired, ['ana']);
        failing.clear();
        await r.renewDue();
        assert.deepEqual(renewed, ['ben', 'ana']);
    });
});
