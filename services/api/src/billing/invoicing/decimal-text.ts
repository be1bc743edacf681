import { parseExactDecimal, type ExactDecimal } from '../money/index.ts';

/**
 * The decimal strings invoicing reads (amounts, quantities, rates) come from Tally's own records,
 * already validated at the API's edge; one that is not a decimal is a programming error, so it is
 * refused with a RangeError naming the field rather than a 400.
 */
export function decimalOf(text: string, field: string): ExactDecimal {
  const d = parseExactDecimal(text);
  if (d === undefined) throw new RangeError(`${field} must be a decimal string, got ${JSON.stringify(text)}`);
  return d;
}

/** A decimal ≥ 0. */
export function nonNegativeOf(text: string, field: string): ExactDecimal {
  const d = decimalOf(text, field);
  if (d.isNegative()) throw new RangeError(`${field} must be ≥ 0, got ${text}`);
  return d;
}

/** An amount already rounded to `places` decimals (a line amount, a payment): ≥ 0 unless `signed`. */
export function moneyOf(text: string, field: string, places: number, signed = false): ExactDecimal {
  const d = signed ? decimalOf(text, field) : nonNegativeOf(text, field);
  if (d.decimalPlaces() > places) throw new RangeError(`${field} ${text} has more than ${places} decimal places`);
  return d;
}
