import { Decimal } from 'decimal.js';
import { pricingError } from './errors.ts';

/**
 * The pricing engine's own decimal: a clone, so nobody's global `Decimal.set` can change its
 * behaviour. Wire decimals are at most 20 digits before and 20 after the point (40 significant,
 * see `src/decimal/decimal-input.ts`); the longest product the engine forms is quantity × unit
 * amount × conversion rate, ≤ 120 significant digits. A precision of 200 therefore keeps every
 * product and sum exact; the only inexact operation, division, is done digit-exact in
 * `divideRounded` (or as an integer division for packages). Rounding mode ROUND_HALF_UP is
 * decimal.js's "half away from zero", the rounding FlexPrice applies (§1.8).
 */
export const MoneyDecimal = Decimal.clone({
  precision: 200,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});
export type MoneyDecimal = InstanceType<typeof MoneyDecimal>;

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

/** Plain or exponent notation, the same grammar the API accepts for decimals. */
const decimalText = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

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

/** Canonical text: plain notation, trailing zeros trimmed (`"12.5"`, `"100"`), never `"-0"`. */
export function formatDecimal(value: MoneyDecimal): string {
  return value.isZero() ? '0' : value.toFixed();
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

/**
 * `dividend ÷ divisor` rounded half away from zero to `places` decimals, computed exactly: the
 * scaled dividend is divided to an integer and the remainder decides the last digit, so a
 * non-terminating quotient (÷ 3, ÷ a conversion rate) is rounded once, never twice.
 */
export function divideRounded(dividend: MoneyDecimal, divisor: MoneyDecimal, places: number): MoneyDecimal {
  if (divisor.isZero()) throw new RangeError('division by zero');
  const scaled = dividend.abs().times(new MoneyDecimal(10).pow(places));
  const d = divisor.abs();
  let quotient = scaled.divToInt(d);
  const remainder = scaled.minus(quotient.times(d));
  if (remainder.times(2).gte(d)) quotient = quotient.plus(1);
  const magnitude = quotient.div(new MoneyDecimal(10).pow(places));
  return dividend.isNegative() !== divisor.isNegative() && !magnitude.isZero() ? magnitude.negated() : magnitude;
}
