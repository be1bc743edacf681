import { ExactDecimal, formatDecimal } from '../money/index.ts';
import { prorate } from '../period/index.ts';
import { priceCost, type RatedPrice } from '../pricing/index.ts';
import type { PlannedFixedLine } from './invoice-composition.ts';

export type FixedChargeAmount = {
  /** The line amount: the price's cost for the quantity × the line's share, rounded once to the currency. */
  amount: string;
  /** The price's cost for the quantity over a whole period, exact (before the share). */
  periodAmount: string;
};

/**
 * The amount of a planned fixed line (docs/flexprice-compatibility.md#invoices): the price's exact
 * cost for the line's quantity (`amount × quantity` for FLAT_FEE), multiplied by the line's share
 * (1, a time ratio, the calendar first-period coefficient, or 0 at trial start) and rounded once,
 * half away from zero, to the currency's precision. $31 active 22 of 31 days → $22.
 */
export function fixedChargeAmount(line: PlannedFixedLine, price: RatedPrice): FixedChargeAmount {
  const cost = new ExactDecimal(priceCost(price, line.quantity).exactAmount);
  return { amount: formatDecimal(prorate(cost, line.share, price.precision)), periodAmount: formatDecimal(cost) };
}
