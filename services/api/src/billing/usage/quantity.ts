import { divideRounded, ExactDecimal, formatDecimal } from '../money/index.ts';

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
