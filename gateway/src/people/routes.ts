/** The people endpoints: login, who am I, and the administrator's user management. */
import type { Ledger } from '../fabric/ledger';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import type { Accounts } from './accounts';
import { LoginRequest, LoginResponse, MeResponse, RegisterRequest, UserList, UserParams, UserSchema } from './schemas';

export interface PeopleRouteDeps {
    readonly accounts: Pick<Accounts, 'login' | 'get' | 'list' | 'register' | 'revoke'>;
    readonly ledger: Pick<Ledger, 'evaluate'>;
    readonly mspId: string;
}

export function peopleOperations(deps: PeopleRouteDeps): AnyOperation[] {
    return [
        defineOperation({
            method: 'post', path: '/api/v1/auth/login', operationId: 'login', tags: ['auth'], access: 'public',
            summary: 'Exchange user name and password for a short-lived bearer token',
            body: LoginRequest,
            responses: { 200: { description: 'Token issued', schema: LoginResponse } },
            async handle({ body }) {
                const session = await deps.accounts.login(body.name, body.password);
                return { status: 200, body: { token: session.token, tokenType: 'Bearer', expiresAt: session.expiresAt, user: session.user } };
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/me', operationId: 'me', tags: ['auth'], access: 'user',
            summary: 'The caller, and who the chaincode sees when they sign (probe:whoAmI)',
            responses: { 200: { description: 'The caller', schema: MeResponse } },
            async handle(context) {
                const caller = callerOf(context);
                const user = deps.accounts.get(caller.name);
                const ledger = user.ledgerIdentity
                    ? JSON.parse(Buffer.from(await deps.ledger.evaluate(caller.name, 'probe:whoAmI')).toString('utf8')) as unknown
                    : null;
                return { status: 200, body: { name: user.name, role: user.role, org: caller.org, mspId: deps.mspId, ledger } };
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/users', operationId: 'listUsers', tags: ['users'], access: 'admin',
            summary: 'Every account of the organisation, revoked ones included',
            responses: { 200: { description: 'Accounts', schema: UserList } },
            async handle() {
                return { status: 200, body: { users: deps.accounts.list() } };
            },
        }),
        defineOperation({
            method: 'post', path: '/api/v1/users', operationId: 'registerUser', tags: ['users'], access: 'admin',
            summary: 'Register a person: the Fabric CA issues their identity with the role attribute',
            body: RegisterRequest,
            responses: { 201: { description: 'Registered and enrolled', schema: UserSchema } },
            async handle({ body }) {
                const user = await deps.accounts.register(body.name, body.role, body.password);
                return { status: 201, body: user, headers: { Location: `/api/v1/users/${encodeURIComponent(user.name)}` } };
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/users/{name}', operationId: 'getUser', tags: ['users'], access: 'admin',
            summary: 'One account',
            params: UserParams,
            responses: { 200: { description: 'The account', schema: UserSchema } },
            async handle({ params }) {
                return { status: 200, body: deps.accounts.get(params.name) };
            },
        }),
        defineOperation({
            method: 'post', path: '/api/v1/users/{name}/revoke', operationId: 'revokeUser', tags: ['users'], access: 'admin',
            summary: 'Revoke an account here and its identity at the Fabric CA; repeating it completes a revocation the CA missed',
            params: UserParams,
            responses: { 200: { description: 'Revoked', schema: UserSchema } },
            async handle(context) {
                return { status: 200, body: await deps.accounts.revoke(context.params.name, callerOf(context)) };
            },
        }),
    ];
}
