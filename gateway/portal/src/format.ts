/** Formatting and decimal arithmetic on amount strings (never floats: amounts are decimal strings on the ledger). */

const SCALE = 6;

function toUnits(amount: string): bigint {
    const [whole = '0', frac = ''] = amount.split('.');
    return BigInt(whole) * 10n ** BigInt(SCALE) + BigInt((frac + '0'.repeat(SCALE)).slice(0, SCALE) || '0');
}

function fromUnits(units: bigint, decimals = 2): string {
    const base = 10n ** BigInt(SCALE);
    const whole = units / base;
    const frac = (units % base).toString().padStart(SCALE, '0');
    const trimmed = frac.replace(/0+$/, '');
    const shown = trimmed.length < decimals ? frac.slice(0, decimals) : trimmed;
    return shown ? `${whole}.${shown}` : whole.toString();
}

export const AMOUNT = /^(0|[1-9]\d{0,14})(\.\d{1,6})?$/;

export function isAmount(s: string): boolean {
    return AMOUNT.test(s);
}

export function addAmounts(values: string[]): string {
    return fromUnits(values.filter(isAmount).reduce((sum, v) => sum + toUnits(v), 0n));
}

/** quantity × unit price, rounded down to 6 decimals. */
export function multiply(quantity: number, unitPrice: string): string {
    return isAmount(unitPrice) ? fromUnits(toUnits(unitPrice) * BigInt(quantity)) : '';
}

export function today(): string {
    return new Date().toISOString().slice(0, 10);
}

export function shortHash(hash: string): string {
    return `${hash.slice(0, 12)}…${hash.slice(-6)}`;
}

/** A random suffix for ids the portal proposes. */
export function randomTag(length = 6): string {
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
    return [...crypto.getRandomValues(new Uint8Array(length))].map((b) => alphabet[b % alphabet.length]).join('');
}
