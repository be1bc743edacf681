import { divideRounded, ExactDecimal, formatDecimal } from '../../decimal/exact-decimal.ts';

/** Usage quantities are exact decimals (see `ExactDecimal`); division rounds once, in `divide`. */
export const Quantity = ExactDecimal;
export type Quantity = ExactDecimal;

export const zero = new Quantity(0);

/** Decimal places kept by quotients (AVG, WEIGHTED_SUM); rounding is half away from zero. */
export const quotientScale = 20;

/** `dividend / divisor` rounded half away from zero to `scale` decimal places, exactly. */
export const divide = (dividend: Quantity, divisor: Quantity, scale = quotientScale): Quantity => divideRounded(dividend, divisor, scale);

/** The canonical text of a quantity: plain notation, no trailing zeros, `0` rather than `-0`. */
export const toDecimalString = (q: Quantity): string => formatDecimal(q);

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
