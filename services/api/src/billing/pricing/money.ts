import { decimalText, divideRounded, ExactDecimal, formatDecimal } from '../../decimal/exact-decimal.ts';
import { pricingError } from './errors.ts';

/**
 * The pricing engine's decimal is Tally's one exact decimal (`src/decimal/exact-decimal.ts`):
 * products and sums are exact, division is rounded once by `divideRounded`, and rounding is half
 * away from zero, as FlexPrice applies it (§1.8).
 */
export const MoneyDecimal = ExactDecimal;
export type MoneyDecimal = ExactDecimal;
export { divideRounded, formatDecimal };

export const zero = new MoneyDecimal(0);

/**
 * Decimal places of each currency's minor unit, as FlexPrice's `CURRENCY_CONFIG` lists them
 * (§1.8); every other currency, known or not, has 2.
 */
const currencyPrecisions: Readonly<Record<string, number>> = {
  jpy: 0,
  vnd: 0,
  krw: 0,
  clp: 0,
  kwd: 3,
  clf: 4,
};
export const defaultCurrencyPrecision = 2;

/** Decimal places allowed in an amount of `currency` (case-insensitive): 2 unless listed. */
export function currencyPrecision(currency: string): number {
  return currencyPrecisions[currency.toLowerCase()] ?? defaultCurrencyPrecision;
}

/**
 * Reads a decimal string (`"12.5"`, `"0.00015"`, `"1e15"`) into a MoneyDecimal; anything else —
 * a JS number included, since a float may already have lost digits — is refused naming `field`.
 */
export function readDecimal(value: unknown, field: string): MoneyDecimal {
  const d = parseDecimalText(value);
  if (d === undefined) throw pricingError('invalid_decimal', field, `must be a decimal string (e.g. "0.001"), got ${JSON.stringify(value)}`);
  return d;
}

/** `readDecimal` without the throw: `undefined` when `value` is not a decimal string. */
export function parseDecimalText(value: unknown): MoneyDecimal | undefined {
  if (typeof value !== 'string' || !decimalText.test(value.trim())) return undefined;
  const d = new MoneyDecimal(value.trim());
  return d.isZero() ? zero : d; // "-0" reads as 0
}

/**
 * Rounds to the currency's precision, half away from zero. The engine calls this exactly once per
 * line: on a price's cost (`priceCost`), a bucketed total (`bucketedCost`), a custom-unit line's
 * fiat amount (`customUnitCost`), a coupon's discount (`couponDiscount`). Intermediate values —
 * tier amounts, bucket costs, converted unit prices — stay exact.
 */
export function roundToCurrency(value: MoneyDecimal, currency: string): MoneyDecimal {
  return value.toDecimalPlaces(currencyPrecision(currency), MoneyDecimal.ROUND_HALF_UP);
}

/** `roundToCurrency` for decimal strings: `roundAmount("2.675", "usd")` → `"2.68"`. */
export function roundAmount(amount: string, currency: string): string {
  return formatDecimal(roundToCurrency(readDecimal(amount, 'amount'), currency));
}

/** True when `value` has no more decimal places than `currency` allows. */
export function fitsCurrency(value: MoneyDecimal, currency: string): boolean {
  return value.decimalPlaces() <= currencyPrecision(currency);
}
