import { divideRounded, ExactDecimal } from '../money/index.ts';
import { durationMs, intersection, type Period } from './period.ts';

/**
 * An exact share of a period: `numerator / denominator`, both whole milliseconds. Kept as a
 * fraction, not a decimal, because most shares do not terminate (15 days of 31); `prorate`
 * multiplies first and divides once, so an amount is rounded exactly once.
 */
export type Fraction = { numerator: ExactDecimal; denominator: ExactDecimal };

const oneSecond = 1_000;

/**
 * The time-ratio rule: the share of `whole` that `part` covers (the instants they have in common
 * ÷ the length of `whole`). A fixed charge active for only part of an invoice window is charged
 * this share of its amount: active Jan 10 → Feb 1 of Jan 1 → Feb 1 is 22/31. An empty `whole`
 * has no share to give: 0.
 */
export function periodShare(whole: Period, part: Period): Fraction {
  const common = intersection(whole, part);
  const length = durationMs(whole);
  if (length === 0) return { numerator: new ExactDecimal(0), denominator: new ExactDecimal(1) };
  return { numerator: new ExactDecimal(common ? durationMs(common) : 0), denominator: new ExactDecimal(length) };
}

/**
 * FlexPrice's proration coefficient for a change at `at` inside `current`: the unused part of the
 * period, counted in time up to one second before its end,
 *
 *   (end − 1 s − at) ÷ (end − 1 s − start)
 *
 * so a change at the very start gives 1 and one in the period's last second gives 0 (a change
 * after that, too: the remainder is never negative). A $30 month switched exactly halfway through
 * a 30-day period: (15 days − 1 s) ÷ (30 days − 1 s) of $30 = $14.99999…, $15.00 once rounded.
 * Refuses (RangeError) a period of one second or less, which has nothing to prorate.
 */
export function prorationCoefficient(current: Period, at: Date): Fraction {
  const last = current.end.getTime() - oneSecond;
  const length = last - current.start.getTime();
  if (length <= 0) throw new RangeError('a period of one second or less cannot be prorated');
  return { numerator: new ExactDecimal(Math.max(0, last - at.getTime())), denominator: new ExactDecimal(length) };
}

/** `amount × fraction`, rounded once, half away from zero, to `places` decimals (a currency's precision). */
export function prorate(amount: ExactDecimal, share: Fraction, places: number): ExactDecimal {
  return divideRounded(amount.times(share.numerator), share.denominator, places);
}

/** The fraction as a decimal rounded to `places` (20 unless said): for display, never for money. */
export function fractionValue(share: Fraction, places = 20): ExactDecimal {
  return divideRounded(share.numerator, share.denominator, places);
}
