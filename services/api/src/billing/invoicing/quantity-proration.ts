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
  /** When the line item ends, if inside the period: the difference is worth only the time up to then. */
  until?: Date | null;
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
 * 2 → 5 seats halfway through a 30-day period → +15.00; 5 → 2 → −15.00. A line item ending inside the
 * period (`until`) is worth the time from `at` to its end: the coefficient at `at` less the one at `until`.
 */
export function quantityProration(input: QuantityProrationInput): QuantityProration {
  const cost = (q: string) => new ExactDecimal(priceCost(input.price, q).exactAmount);
  const difference = cost(input.to).minus(cost(input.from));
  const from = prorationCoefficient(input.period, input.at);
  const coefficient = input.until && input.until < input.period.end ? { numerator: ExactDecimal.max(from.numerator.minus(prorationCoefficient(input.period, input.until).numerator), new ExactDecimal(0)), denominator: from.denominator } : from;
  return { amount: formatDecimal(prorate(difference, coefficient, input.price.precision)), coefficient };
}
