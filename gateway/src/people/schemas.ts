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
    certificateIssuedAt: Type.Optional(Type.String({ format: 'date-time' })),
    certificateExpiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'Renewed automatically before this' })),
    certificateRenewedAt: Type.Optional(Type.String({ format: 'date-time' })),
    channelRevocation: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('done')], {
        description: 'After revocation: done once the organisation\'s peer refuses the certificate (the channel carries the CA\'s revocation list)',
    })),
    mustChangePassword: Type.Optional(Type.Literal(true, { description: 'The password is a temporary one from a reset' })),
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
    ], { description: 'Who the chaincode sees (caller:whoAmI); null for the administrator' }),
});

export const RegisterRequest = Type.Object({
    name: UserName,
    role: Type.String({ description: 'One of the organisation\'s roles' }),
    password: Password,
}, { additionalProperties: false });

export const UserParams = Type.Object({ name: UserName });

export const PasswordChangeRequest = Type.Object({
    currentPassword: Type.String({ minLength: 1, maxLength: 128 }),
    newPassword: Password,
}, { additionalProperties: false });

export const PasswordChangeResponse = Type.Object({
    token: Type.String({ description: 'A new token; every other session of the account has ended' }),
    tokenType: Type.Literal('Bearer'),
    expiresAt: Type.String({ format: 'date-time' }),
});

export const PasswordResetResponse = Type.Object({
    temporaryPassword: Type.String({ description: 'Shown once. It allows only choosing a new password' }),
    expiresAt: Type.String({ format: 'date-time' }),
});

export const RevocationStatusSchema = Type.Object({
    publisher: Type.Union([Type.Literal('none'), Type.Literal('command')]),
    pending: Type.Array(Type.Object({ name: Type.String(), revokedAt: Type.String() }), {
        description: 'Revoked here and at the CA; the peers still accept the certificate until the channel update is published',
    }),
    lastPublish: Type.Optional(Type.Object({
        at: Type.String({ format: 'date-time' }),
        outcome: Type.Union([Type.Literal('ok'), Type.Literal('failed')]),
        detail: Type.Optional(Type.String()),
    })),
});

export const UserList = Type.Object({ users: Type.Array(UserSchema) });
