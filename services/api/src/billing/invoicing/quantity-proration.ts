import { ExactDecimal, formatDecimal } from '../money/index.ts';
import { prorate, prorationCoefficient, type Fraction, type Period } from '../period/index.ts';
import { priceCost, type RatedPrice } from '../pricing/index.ts';

export type QuantityProrationInput = {
  price: RatedPrice;
  /** The quantity before the change: '0' for a line item added. */
  from: string;
  /** The quantity after it: '0' for a line item ended. */
  to: string;
  /** The current period the ADVANCE charge covers. */
  period: Period;
  /** When the change takes effect. */
  at: Date;
};

export type QuantityProration = {
  /** Signed: positive is a charge for the rest of the period, negative a credit (before any cap). */
  amount: string;
  coefficient: Fraction;
};

/**
 * What a change of a FIXED ADVANCE line item's quantity is worth for the rest of the current period
 * (docs/flexprice-compatibility.md#proration): (cost(to) − cost(from)) × FlexPrice's second-based
 * coefficient (end − 1 s − at) ÷ (end − 1 s − start), rounded once to the currency. $10 a seat,
 * 2 → 5 seats halfway through a 30-day period → +15.00; 5 → 2 → −15.00.
 */
export function quantityProration(input: QuantityProrationInput): QuantityProration {
  const cost = (q: string) => new ExactDecimal(priceCost(input.price, q).exactAmount);
  const difference = cost(input.to).minus(cost(input.from));
  const coefficient = prorationCoefficient(input.period, input.at);
  return { amount: formatDecimal(prorate(difference, coefficient, input.price.precision)), coefficient };
}
