/**
 * Decimal-string arithmetic on scaled bigints. Amounts and weights travel as strings and are never turned into
 * floats, so every endorser computes the same total to the last digit.
 */
const SCALE = 6;
const FACTOR = 10n ** BigInt(SCALE);

/** Parses a validated non-negative decimal string ("12", "12.5") into units of 10^-6. */
export function toUnits(value: string): bigint {
    const [whole = '0', frac = ''] = value.split('.');
    return BigInt(whole) * FACTOR + BigInt((frac + '0'.repeat(SCALE)).slice(0, SCALE));
}

/** Formats units back into the shortest decimal string. */
export function fromUnits(units: bigint): string {
    const whole = units / FACTOR;
    const frac = (units % FACTOR).toString().padStart(SCALE, '0').replace(/0+$/, '');
    return frac ? `${whole}.${frac}` : whole.toString();
}

/** Sum of decimal strings, as a decimal string. */
export function sumDecimals(values: readonly string[]): string {
    return fromUnits(values.reduce((acc, v) => acc + toUnits(v), 0n));
}

/** -1, 0 or 1 as a < b, a = b, a > b. */
export function compareDecimals(a: string, b: string): number {
    const d = toUnits(a) - toUnits(b);
    return d < 0n ? -1 : d > 0n ? 1 : 0;
}
