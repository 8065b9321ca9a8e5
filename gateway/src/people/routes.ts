/** The people endpoints: login, who am I, passwords, and the administrator's user management. */
import type { Ledger } from '../fabric/ledger';
import { type AnyOperation, callerOf, defineOperation } from '../http/operation';
import type { Accounts } from './accounts';
import type { ChannelRevocations } from './channel-revocations';
import {
    LoginRequest, LoginResponse, MeResponse, PasswordChangeRequest, PasswordChangeResponse, PasswordResetResponse, RegisterRequest,
    RevocationStatusSchema, UserList, UserParams, UserSchema,
} from './schemas';

export interface PeopleRouteDeps {
    readonly accounts: Pick<Accounts, 'login' | 'get' | 'list' | 'register' | 'revoke' | 'changePassword' | 'resetPassword' | 'renew'>;
    readonly ledger: Pick<Ledger, 'evaluate'>;
    readonly mspId: string;
    readonly revocations?: Pick<ChannelRevocations, 'status' | 'requestPublish'>;
}

export function peopleOperations(deps: PeopleRouteDeps): AnyOperation[] {
    const operations = [
        defineOperation({
            method: 'post', path: '/api/v1/auth/login', operationId: 'login', tags: ['auth'], access: 'public',
            summary: 'Exchange user name and password for a short-lived bearer token. Wrong passwords slow down further tries from the same address for the same name (429 with Retry-After); other addresses are not affected',
            body: LoginRequest,
            responses: { 200: { description: 'Token issued', schema: LoginResponse } },
            async handle({ body, clientAddress }) {
                const session = await deps.accounts.login(body.name, body.password, clientAddress);
                return { status: 200, body: { token: session.token, tokenType: 'Bearer', expiresAt: session.expiresAt, user: session.user } };
            },
        }),
        defineOperation({
            method: 'get', path: '/api/v1/me', operationId: 'me', tags: ['auth'], access: 'user', duringPasswordChange: true,
            summary: 'The caller, and who the chaincode sees when they sign (caller:whoAmI)',
            responses: { 200: { description: 'The caller', schema: MeResponse } },
            async handle(context) {
                const caller = callerOf(context);
                const user = deps.accounts.get(caller.name);
                const ledger = user.ledgerIdentity && !caller.mustChangePassword
                    ? JSON.parse(Buffer.from(await deps.ledger.evaluate(caller.name, 'caller:whoAmI')).toString('utf8')) as unknown
                    : null;
                return { status: 200, body: { name: user.name, role: user.role, org: caller.org, mspId: deps.mspId, ledger } };
            },
        }),
        defineOperation({
            method: 'post', path: '/api/v1/me/password', operationId: 'changePassword', tags: ['auth'], access: 'user', duringPasswordChange: true,
            summary: 'Change your own password (with the current one); every other session ends and a new token is returned',
            body: PasswordChangeRequest,
            responses: { 200: { description: 'Changed', schema: PasswordChangeResponse } },
            async handle(context) {
                const session = await deps.accounts.changePassword(callerOf(context).name, context.body.currentPassword, context.body.newPassword, context.clientAddress);
                return { status: 200, body: { token: session.token, tokenType: 'Bearer', expiresAt: session.expiresAt } };
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
            summary: 'Revoke an account here and its identity at the Fabric CA (repeating it completes a revocation the CA missed); the channel\'s revocation list follows through the revocation publisher (channelRevocation: pending until the peer refuses the certificate)',
            params: UserParams,
            responses: { 200: { description: 'Revoked', schema: UserSchema } },
            async handle(context) {
                return { status: 200, body: await deps.accounts.revoke(context.params.name, callerOf(context)) };
            },
        }),
        defineOperation({
            method: 'post', path: '/api/v1/users/{name}/password-reset', operationId: 'resetPassword', tags: ['users'], access: 'admin',
            summary: 'Give a person a temporary password (shown once, valid 72 h) that only allows choosing a new one; their sessions end',
            params: UserParams,
            responses: { 200: { description: 'Reset', schema: PasswordResetResponse } },
            async handle(context) {
                return { status: 200, body: await deps.accounts.resetPassword(context.params.name, callerOf(context)), headers: { 'Cache-Control': 'no-store' } };
            },
        }),
        defineOperation({
            method: 'post', path: '/api/v1/users/{name}/certificate-renewal', operationId: 'renewCertificate', tags: ['users'], access: 'admin',
            summary: 'Renew a person\'s certificate and key now (re-enrolment at the CA); the gateway also does this by itself before expiry',
            params: UserParams,
            responses: { 200: { description: 'Renewed', schema: UserSchema } },
            async handle({ params }) {
                return { status: 200, body: await deps.accounts.renew(params.name) };
            },
        }),
    ];
    const revocations = deps.revocations;
    if (revocations) {
        operations.push(
            defineOperation({
                method: 'get', path: '/api/v1/admin/revocations', operationId: 'revocationStatus', tags: ['users'], access: 'admin',
                summary: 'Revocations the channel does not carry yet (peers still accept those certificates) and the publisher\'s last run',
                responses: { 200: { description: 'Status', schema: RevocationStatusSchema } },
                async handle() {
                    return { status: 200, body: revocations.status() };
                },
            }),
            defineOperation({
                method: 'post', path: '/api/v1/admin/revocations/publish', operationId: 'publishRevocations', tags: ['users'], access: 'admin',
                summary: 'Run the revocation publisher again (publisher none: only re-check whether the channel carries the list), and wait for the outcome',
                responses: { 200: { description: 'Status after the run', schema: RevocationStatusSchema } },
                async handle() {
                    await revocations.requestPublish();
                    return { status: 200, body: revocations.status() };
                },
            }),
        );
    }
    return operations;
}
