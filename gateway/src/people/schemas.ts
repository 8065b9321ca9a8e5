/** Request and response schemas of the people endpoints (login, me, user administration). */
import { Type } from '@sinclair/typebox';

export const UserName = Type.String({ pattern: '^[a-z0-9][a-z0-9._-]{0,62}$', description: 'Lower-case letters, digits, dots, dashes, underscores' });
export const Password = Type.String({ minLength: 12, maxLength: 128 });

export const LoginRequest = Type.Object({
    name: UserName,
    password: Type.String({ minLength: 1, maxLength: 128 }),
}, { additionalProperties: false });

export const UserSchema = Type.Object({
    name: Type.String(),
    role: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    revokedAt: Type.Optional(Type.String({ format: 'date-time' })),
    ledgerIdentity: Type.Boolean({ description: 'Whether the account signs ledger transactions (false for the administrator)' }),
});

export const LoginResponse = Type.Object({
    token: Type.String(),
    tokenType: Type.Literal('Bearer'),
    expiresAt: Type.String({ format: 'date-time' }),
    user: UserSchema,
});

export const MeResponse = Type.Object({
    name: Type.String(),
    role: Type.String(),
    org: Type.String(),
    mspId: Type.String(),
    ledger: Type.Union([
        Type.Object({ mspId: Type.String(), role: Type.String(), id: Type.String() }),
        Type.Null(),
    ], { description: 'Who the chaincode sees (probe:whoAmI); null for the administrator' }),
});

export const RegisterRequest = Type.Object({
    name: UserName,
    role: Type.String({ description: 'One of the organisation\'s roles' }),
    password: Password,
}, { additionalProperties: false });

export const UserParams = Type.Object({ name: UserName });

export const UserList = Type.Object({ users: Type.Array(UserSchema) });
