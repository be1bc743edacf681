import { Decimal } from 'decimal.js';
import { decimalText, formatDecimal } from '../billing/money/index.ts';

/** Bounds that keep a stored decimal a sane length: digits before and after the point. */
export const maxIntegerDigits = 20;
export const maxFractionDigits = 20;

export type DecimalResult = { value: string } | { problem: string };

/**
 * A decimal given on the wire — a string, or a JSON number as FlexPrice also accepts — as the
 * canonical string Tally stores and returns: plain notation, trailing zeros trimmed (`"1.50"` →
 * `"1.5"`, `1e-3` → `"0.001"`). A JSON number is read through its shortest round-trip text, so
 * `0.1` stays `"0.1"`.
 */
export function parseDecimal(input: string | number, options: { positive?: boolean } = {}): DecimalResult {
  const text = typeof input === 'number' ? String(input) : input.trim();
  if (typeof input === 'number' && !Number.isFinite(input)) return { problem: 'must be a finite number' };
  if (!decimalText.test(text)) return { problem: `'${input}' is not a decimal number (e.g. "0.001")` };
  const d = new Decimal(text);
  if (d.isZero() || d.isNegative()) {
    if (options.positive) return { problem: 'must be greater than 0' };
  }
  if (!d.isZero() && d.e >= maxIntegerDigits) return { problem: `must have at most ${maxIntegerDigits} digits before the decimal point` };
  if (d.decimalPlaces() > maxFractionDigits) return { problem: `must have at most ${maxFractionDigits} digits after the decimal point` };
  // -0 reads as 0: a sign on zero means nothing.
  return { value: formatDecimal(d) };
}

/** Compares two canonical decimal strings: negative, zero or positive as a < b, a = b, a > b. */
export function compareDecimals(a: string, b: string): number {
  return new Decimal(a).comparedTo(new Decimal(b));
}
