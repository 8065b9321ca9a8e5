/** Who is signed in: the bearer token in sessionStorage (gone when the tab closes) and the answer of GET /api/v1/me. */

const TOKEN_KEY = 'tradedocs.token';

export interface Me {
    name: string;
    role: string;
    org: string;
    mspId: string;
}

let current: Me | undefined;

export function token(): string | undefined {
    return sessionStorage.getItem(TOKEN_KEY) ?? undefined;
}

export function saveToken(value: string): void {
    sessionStorage.setItem(TOKEN_KEY, value);
}

export function me(): Me | undefined {
    return current;
}

export function setMe(value: Me | undefined): void {
    current = value;
}

export function clearSession(): void {
    sessionStorage.removeItem(TOKEN_KEY);
    current = undefined;
}

/** The role's work area, used to pick the home page and which actions to offer. */
export type Area = 'exporter' | 'carrier' | 'customs' | 'bank' | 'supervisor' | 'other';

export function areaOf(user: Me | undefined): Area {
    switch (user?.mspId) {
        case 'ExporterMSP': return 'exporter';
        case 'CarrierMSP': return 'carrier';
        case 'CustomsMSP': return 'customs';
        case 'BankMSP': return 'bank';
        case 'SupervisorMSP': return 'supervisor';
        default: return 'other';
    }
}

export function hasRole(...roles: string[]): boolean {
    return current !== undefined && roles.includes(current.role);
}
