/**
 * Who the chaincode sees when a person signs: organisation, role and X.509 identity (the gateway's GET /me). Not
 * guarded by the permission table, since it reveals only the caller's own certificate; a certificate without a role,
 * or with a role its organisation does not issue, is still refused.
 */
import { Context, Contract } from 'fabric-contract-api';
import { canonicalJson } from './json';
import { identify } from './permissions';

export class CallerContract extends Contract {
    constructor() {
        super('caller');
    }

    public async whoAmI(ctx: Context): Promise<string> {
        return canonicalJson(identify(ctx, 'caller.whoAmI'));
    }
}
