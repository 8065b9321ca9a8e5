/**
 * ISO 4217 currencies (with their minor units) and ISO 3166-1 alpha-2 countries, taken from maintained packages
 * pinned to exact versions (currency-codes, iso-3166-1), never from the runtime: `Intl` data depends on the Node and
 * ICU build, and every endorser must decide alike. The gateway validates with this same module, so both tiers accept
 * exactly the same codes (test/unit/codes-drift.test.ts checks the two validators against each other).
 */
import { data as currencyData } from 'currency-codes';
import { all as allCountries } from 'iso-3166-1';

/**
 * ISO 4217 lists units that are not money under pseudo-entities named `ZZnn_…`: precious metals (XAU, XAG, XPD,
 * XPT), bond-market units (XBA–XBD), the testing code XTS and "no currency" XXX. No trade amount is in them.
 */
const NOT_MONEY = /^zz\d\d_/i;

/** Currency code → digits after the decimal point (ISO 4217 minor unit): USD 2, JPY 0, KWD 3, CLF 4. */
export const CURRENCY_MINOR_UNITS: ReadonlyMap<string, number> = new Map(currencyData
    .filter((c) => c.countries.some((entity) => !NOT_MONEY.test(entity)))
    .map((c) => [c.code, c.digits]));

/** Officially assigned ISO 3166-1 alpha-2 codes (user-assigned ones such as ZZ or XK are not). */
export const COUNTRY_CODES: ReadonlySet<string> = new Set(allCountries().map((c) => c.alpha2));

/**
 * Why `amount` cannot be an amount of `currency`, or undefined when it can: a money amount has no more decimals than
 * the currency's minor unit ("184500.001 USD" is not an amount anyone can pay). `amount` is a valid decimal string.
 */
export function minorUnitProblem(amount: string, currency: string): string | undefined {
    const digits = CURRENCY_MINOR_UNITS.get(currency);
    if (digits === undefined) {
        return `cannot be checked: ${currency} is not an ISO 4217 currency`;
    }
    const decimals = amount.split('.')[1]?.length ?? 0;
    if (decimals <= digits) {
        return undefined;
    }
    return digits === 0
        ? `must be a whole number of ${currency} (ISO 4217 minor unit 0)`
        : `must have at most ${digits} decimals for ${currency} (ISO 4217 minor unit)`;
}
