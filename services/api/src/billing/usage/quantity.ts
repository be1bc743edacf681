import { Decimal as DecimalJs } from 'decimal.js';

/**
 * Usage quantities are exact decimals. Sums, products and maxima keep every digit (the precision
 * only caps what a result may hold); the one inexact operation, division, goes through `divide`,
 * which rounds once, to a named scale.
 */
export const Quantity = DecimalJs.clone({ precision: 1_000, rounding: DecimalJs.ROUND_HALF_UP, toExpNeg: -9e15, toExpPos: 9e15 });
export type Quantity = InstanceType<typeof Quantity>;

export const zero = new Quantity(0);

/** Decimal places kept by quotients (AVG, WEIGHTED_SUM); rounding is half away from zero. */
export const quotientScale = 20;

/**
 * `dividend / divisor` rounded half away from zero to `scale` decimal places, exactly: the integer
 * quotient of the scaled dividend is computed digit by digit, then the remainder decides the last
 * digit, so a non-terminating quotient is never rounded twice.
 */
export function divide(dividend: Quantity, divisor: Quantity, scale = quotientScale): Quantity {
  if (divisor.isZero()) throw new RangeError('division by zero');
  const scaled = dividend.abs().times(new Quantity(10).pow(scale));
  const d = divisor.abs();
  let q = scaled.divToInt(d);
  const remainder = scaled.minus(q.times(d));
  if (remainder.times(2).gte(d)) q = q.plus(1);
  const magnitude = q.div(new Quantity(10).pow(scale));
  return dividend.isNegative() !== divisor.isNegative() && !magnitude.isZero() ? magnitude.negated() : magnitude;
}

/** The canonical text of a quantity: plain notation, no trailing zeros, `0` rather than `-0`. */
export function toDecimalString(q: Quantity): string {
  return q.isZero() ? '0' : q.toFixed();
}

/**
 * A quantity as a JSON number: the nearest double. Any decimal of up to 15 significant digits comes
 * back from JSON.stringify as the same digits (`1`, not `0.9999999999999999`); the exact text is
 * always available beside it as a string. Beyond the double range, the largest finite double.
 */
export function toJsonNumber(q: Quantity): number {
  const n = Number(toDecimalString(q));
  if (Number.isFinite(n)) return n;
  return n > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
}
