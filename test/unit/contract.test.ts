/**
 * The committed client types (test/contract/openapi.ts) are what openapi-typescript makes of the /openapi.json the
 * gateway serves now: a server change that alters the contract fails here until `npm run contract` regenerates them,
 * and then `tsc` fails wherever the typed client no longer fits.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { CONTRACT_FILE, contractDocument, generateContractTypes } from '../../scripts/contract';

describe('published contract and its generated client types', () => {
    it('the committed test/contract/openapi.ts equals a fresh generation from /openapi.json (else: npm run contract)', async function () {
        this.timeout(60_000);
        const fresh = await generateContractTypes(await contractDocument());
        assert.ok(fresh === fs.readFileSync(CONTRACT_FILE, 'utf8'), 'test/contract/openapi.ts is stale: run npm run contract and commit it');
    });
});
