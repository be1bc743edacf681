import { formatDecimal, parseExactDecimal, roundToCurrency, type ExactDecimal } from '../money/index.ts';
import { pricingError } from './errors.ts';

/**
 * Reads a decimal string (`"12.5"`, `"0.00015"`, `"1e15"`) of a price, quantity or coupon field;
 * anything else — a JS number included, since a float may already have lost digits — is refused
 * naming `field`.
 */
export function readDecimal(value: unknown, field: string): ExactDecimal {
  const d = parseExactDecimal(value);
  if (d === undefined) throw pricingError('invalid_decimal', field, `must be a decimal string (e.g. "0.001"), got ${JSON.stringify(value)}`);
  return d;
}

/** `roundToCurrency` for decimal strings: `roundAmount("2.675", "usd")` → `"2.68"`. */
export function roundAmount(amount: string, currency: string): string {
  return formatDecimal(roundToCurrency(readDecimal(amount, 'amount'), currency));
}
