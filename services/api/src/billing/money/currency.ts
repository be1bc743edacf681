import { ExactDecimal } from './exact-decimal.ts';

/**
 * Decimal places of each currency's minor unit, as FlexPrice's currency table lists them; every
 * other currency, known or not, has 2.
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

/** Rounds to `places` decimals, half away from zero (2.675 → 2.68, −2.675 → −2.68). */
export function roundToPlaces(value: ExactDecimal, places: number): ExactDecimal {
  return value.toDecimalPlaces(places, ExactDecimal.ROUND_HALF_UP);
}

/**
 * Rounds to the currency's precision, half away from zero. Billing rounds once per line (a
 * price's cost, a bucketed total, a custom-unit line's fiat amount, a coupon's discount);
 * intermediate values — tier amounts, bucket costs, converted unit prices — stay exact.
 */
export function roundToCurrency(value: ExactDecimal, currency: string): ExactDecimal {
  return roundToPlaces(value, currencyPrecision(currency));
}

/** True when `value` has no more decimal places than `currency` allows. */
export function fitsCurrency(value: ExactDecimal, currency: string): boolean {
  return value.decimalPlaces() <= currencyPrecision(currency);
}
