import { ExactDecimal, formatDecimal } from '../billing/money/index.ts';

/**
 * A stored numeric (read back as a string, perhaps with trailing zeros: `"12.500"`) as its
 * canonical wire text: plain notation, trailing zeros trimmed, never `-0` (`"12.5"`).
 */
export function canonicalDecimal(value: string | number): string {
  return formatDecimal(new ExactDecimal(value));
}
