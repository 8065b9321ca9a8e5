/**
 * Short-lived bearer tokens: `v1.<claims>.<signature>`, claims as base64url JSON, signature HMAC-SHA256 over
 * `v1.<claims>`. Stateless, so revocation is enforced by the user lookup on every request, not by the token.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ApiError } from '../errors';

export interface TokenClaims {
    /** The organisation whose gateway issued the token; other gateways refuse it. */
    readonly org: string;
    readonly sub: string;
    readonly role: string;
    /** The account's session version when issued; a password change or reset moves it on (absent: 0). */
    readonly ver?: number;
    /** Issued at and expiry, seconds since the epoch. */
    readonly iat: number;
    readonly exp: number;
}

const PREFIX = 'v1';

export class TokenIssuer {
    constructor(
        private readonly secret: Buffer,
        private readonly org: string,
        private readonly ttlSeconds: number,
        private readonly now: () => number = Date.now,
    ) {}

    issue(user: string, role: string, version = 0): { token: string; expiresAt: string } {
        const iat = Math.floor(this.now() / 1000);
        const claims: TokenClaims = { org: this.org, sub: user, role, ...(version ? { ver: version } : {}), iat, exp: iat + this.ttlSeconds };
        const body = `${PREFIX}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
        return { token: `${body}.${this.sign(body)}`, expiresAt: new Date(claims.exp * 1000).toISOString() };
    }

    /** The claims of a valid, unexpired token of this organisation; anything else is UNAUTHENTICATED. */
    verify(token: string): TokenClaims {
        const parts = token.split('.');
        if (parts.length !== 3 || parts[0] !== PREFIX) {
            throw unauthenticated('the bearer token is malformed');
        }
        const body = `${parts[0]}.${parts[1]}`;
        const expected = Buffer.from(this.sign(body));
        const actual = Buffer.from(parts[2]!);
        if (actual.length !== expected.length || !timingSafeEqual(actual, expected)) {
            throw unauthenticated('the bearer token signature is not valid');
        }
        const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as TokenClaims;
        if (claims.org !== this.org) {
            throw unauthenticated('the bearer token was issued for another organisation');
        }
        if (typeof claims.exp !== 'number' || claims.exp * 1000 <= this.now()) {
            throw unauthenticated('the bearer token has expired');
        }
        return claims;
    }

    private sign(body: string): string {
        return createHmac('sha256', this.secret).update(body).digest('base64url');
    }
}

function unauthenticated(detail: string): ApiError {
    return new ApiError('UNAUTHENTICATED', detail);
}
