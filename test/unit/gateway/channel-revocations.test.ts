import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type CertificateCheck, ChannelRevocations, commandPublisher, manualPublisher } from '../../../gateway/src/people/channel-revocations';
import { type Harness, harness } from './fakes';

const ADMIN = { name: 'admin', role: 'admin', org: 'exporter' };

describe('gateway channel revocations: publisher and the peer\'s word', () => {
    let h: Harness;
    let peerRefuses: Set<string>;
    let checks: string[];
    const revocations = (publisher = manualPublisher): ChannelRevocations => new ChannelRevocations({
        store: h.store, keyBox: h.keyBox, mspId: 'ExporterMSP', publisher, log: () => undefined,
        check: async (identity): Promise<CertificateCheck> => {
            checks.push(identity.certificatePem);
            return [...peerRefuses].some((name) => identity.certificatePem.includes(name)) ? 'refused' : 'accepted';
        },
    });
    beforeEach(async () => {
        h = await harness();
        peerRefuses = new Set();
        checks = [];
    });
    afterEach(() => fs.rmSync(h.dir, { recursive: true, force: true }));

    it('a revocation stays pending while the peer accepts the certificate, and is done (key deleted) once it refuses it', async () => {
        const r = revocations();
        await h.accounts.revoke('exporter1', ADMIN);
        await r.checkPending();
        assert.deepEqual(r.status().pending.map((p) => p.name), ['exporter1']);
        assert.equal(h.accounts.get('exporter1').channelRevocation, 'pending');
        peerRefuses.add('exporter1');
        await r.checkPending();
        assert.deepEqual(r.status().pending, []);
        assert.equal(h.accounts.get('exporter1').channelRevocation, 'done');
        assert.equal(h.store.get('exporter1')?.sealedKey, undefined, 'a key that can sign nothing is not kept');
        assert.equal(checks.length, 2, 'only pending revocations are checked');
    });

    it('a revocation the CA has not done yet is not asked about', async () => {
        const r = revocations();
        h.ca.failRevoke = new Error('CA down');
        await assert.rejects(h.accounts.revoke('exporter1', ADMIN));
        await r.checkPending();
        assert.deepEqual([r.status().pending, checks], [[], []]);
    });

    it('the command publisher runs the profile\'s command with only the environment it is given, and reports its exit', async () => {
        const out = path.join(h.dir, 'ran');
        const ok = commandPublisher(['/bin/sh', '-c', `printf '%s' "$ORG-$TRADEDOCS_GATEWAY_TOKEN_SECRET" > ${out}`], { ORG: 'exporter' }, 10_000);
        process.env.TRADEDOCS_GATEWAY_TOKEN_SECRET = 'must-not-leak';
        try {
            const r = revocations(ok);
            await r.requestPublish();
            assert.equal(fs.readFileSync(out, 'utf8'), 'exporter-');
            assert.equal(r.status().lastPublish?.outcome, 'ok');
        } finally {
            delete process.env.TRADEDOCS_GATEWAY_TOKEN_SECRET;
        }
        const failing = revocations(commandPublisher(['/bin/sh', '-c', 'echo "orderer said no: secret detail" >&2; exit 3'], {}, 10_000));
        await failing.requestPublish();
        const last = failing.status().lastPublish;
        assert.equal(last?.outcome, 'failed');
        assert.match(last?.detail ?? '', /exited with 3 \(see the gateway log\)/);
        assert.doesNotMatch(last?.detail ?? '', /secret detail/, 'the command\'s output stays in the log');
    });

    it('requests during a publisher run cause exactly one more run', async () => {
        let runs = 0;
        let release: () => void = () => undefined;
        const slow = { kind: 'command' as const, publish: () => { runs++; return new Promise<void>((resolve) => { release = resolve; }); } };
        const r = revocations(slow);
        const first = r.requestPublish();
        void r.requestPublish();
        void r.requestPublish();
        release();
        // The second run starts once the first has finished and checked the channel.
        while (runs < 2) {
            await new Promise((resolve) => setImmediate(resolve));
        }
        release();
        await first;
        assert.equal(runs, 2);
    });
});
