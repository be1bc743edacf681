import { Decimal } from 'decimal.js';

/**
 * The one exact decimal of Tally's arithmetic (usage quantities and money): a decimal.js clone, so
 * nobody's global `Decimal.set` changes it. The precision only caps what a result may hold — wire
 * decimals have at most 40 significant digits and the longest product formed (quantity × amount ×
 * rate) stays far below 1,000 — so sums, products and maxima are exact; the one inexact operation,
 * division, goes through `divideRounded`. ROUND_HALF_UP is decimal.js's "half away from zero".
 */
export const ExactDecimal = Decimal.clone({ precision: 1_000, rounding: Decimal.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });
export type ExactDecimal = InstanceType<typeof ExactDecimal>;

export const zero = new ExactDecimal(0);

/** Plain or exponent notation, as FlexPrice's decimal parser reads strings. */
export const decimalText = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A decimal string (`"12.5"`, `"0.00015"`, `"1e15"`, surrounding spaces ignored) as an exact
 * decimal; `undefined` for anything else — a JS number included, since a float may already have
 * lost digits. `"-0"` reads as 0.
 */
export function parseExactDecimal(value: unknown): ExactDecimal | undefined {
  if (typeof value !== 'string' || !decimalText.test(value.trim())) return undefined;
  const d = new ExactDecimal(value.trim());
  return d.isZero() ? zero : d;
}

/** Canonical text: plain notation, trailing zeros trimmed (`"12.5"`, `"100"`), never `"-0"`. */
export function formatDecimal(value: Decimal): string {
  return value.isZero() ? '0' : value.toFixed();
}

/**
 * `dividend ÷ divisor` rounded half away from zero to `places` decimals, computed exactly: the
 * scaled dividend is divided to an integer and the remainder decides the last digit, so a
 * non-terminating quotient (÷ 3, ÷ a conversion rate) is rounded once, never twice.
 */
export function divideRounded(dividend: ExactDecimal, divisor: ExactDecimal, places: number): ExactDecimal {
  if (divisor.isZero()) throw new RangeError('division by zero');
  const scaled = dividend.abs().times(new ExactDecimal(10).pow(places));
  const d = divisor.abs();
  let quotient = scaled.divToInt(d);
  const remainder = scaled.minus(quotient.times(d));
  if (remainder.times(2).gte(d)) quotient = quotient.plus(1);
  const magnitude = quotient.div(new ExactDecimal(10).pow(places));
  return dividend.isNegative() !== divisor.isNegative() && !magnitude.isZero() ? magnitude.negated() : magnitude;
}
