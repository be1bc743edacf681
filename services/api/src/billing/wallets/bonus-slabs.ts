import { DateTime } from 'luxon';
import { ExactDecimal } from '../money/index.ts';

export const bonusValueTypes = ['flat', 'percentage'] as const;
export type BonusValueType = (typeof bonusValueTypes)[number];
export const bonusExpiryUnits = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
export type BonusExpiryUnit = (typeof bonusExpiryUnits)[number];

/**
 * One bracket of the bonus-credit slabs: a purchase of at least `threshold` credits earns `bonus`
 * (a flat number of credits, or a percentage of the credits bought), expiring `expiry` after the
 * purchase when set. Values are decimal strings.
 */
export type BonusSlab = {
  threshold: string;
  bonus: { type: BonusValueType; value: string };
  expiry: { duration: number; unit: BonusExpiryUnit } | null;
};

/** What a purchase earns: the bonus credits and when they expire (null: never). */
export type EarnedBonus = { credits: ExactDecimal; expiryDate: Date | null };

const luxonUnit = { DAY: 'days', WEEK: 'weeks', MONTH: 'months', YEAR: 'years' } as const;

/**
 * The bonus a purchase of `credits` earns under `slabs` (sorted by threshold, highest first — the
 * highest bracket the purchase reaches wins), bought at `now`; null when it reaches none. A flat
 * bonus is its value; a percentage one `credits × value ÷ 100`, exact (never rounded: credits keep
 * every decimal, as FlexPrice's do). The expiry is `now` plus the slab's duration in UTC (a month
 * from 31 January is 28 or 29 February).
 */
export function bonusForPurchase(slabs: readonly BonusSlab[], credits: ExactDecimal, now: Date): EarnedBonus | null {
  const slab = slabs.find((s) => credits.gte(new ExactDecimal(s.threshold)));
  if (!slab) return null;
  const value = new ExactDecimal(slab.bonus.value);
  const bonus = slab.bonus.type === 'flat' ? value : credits.times(value).div(100);
  const expiryDate = slab.expiry ? DateTime.fromJSDate(now, { zone: 'utc' }).plus({ [luxonUnit[slab.expiry.unit]]: slab.expiry.duration }).toJSDate() : null;
  return { credits: bonus, expiryDate };
}
