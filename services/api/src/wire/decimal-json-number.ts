import { formatDecimal, type ExactDecimal } from '../billing/money/index.ts';

/**
 * An exact decimal as a JSON number, where FlexPrice's wire has a number (usage `value`): the
 * nearest double. Any decimal of up to 15 significant digits comes back from JSON.stringify as the
 * same digits (`1`, not `0.9999999999999999`); send the exact text beside it as a string. Beyond
 * the double range, the largest finite double.
 */
export function toJsonNumber(value: ExactDecimal): number {
  const n = Number(formatDecimal(value));
  if (Number.isFinite(n)) return n;
  return n > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
}
