import type { DateTime } from 'luxon';
import { clockOf, type ZoneClock } from './zone-clock.ts';

/** FlexPrice's recurring billing periods (a price's `billing_period` other than ONETIME). */
export const billingPeriodUnits = ['DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'ANNUAL'] as const;
export type BillingPeriodUnit = (typeof billingPeriodUnits)[number];

/** Months in one period of a month-based unit. */
const monthsPer: Partial<Record<BillingPeriodUnit, number>> = { MONTHLY: 1, QUARTERLY: 3, HALF_YEARLY: 6, ANNUAL: 12 };

/** The anchor's local fields: its day, month and weekday mark the boundaries, its clock time their time of day. */
type AnchorWall = { month: number; day: number; weekday: number; hour: number; minute: number; second: number; millisecond: number };

function anchorWall(clock: ZoneClock, anchor: Date): AnchorWall {
  const w = clock.wall(anchor.getTime());
  return { month: w.month, day: w.day, weekday: w.weekday, hour: w.hour, minute: w.minute, second: w.second, millisecond: w.millisecond };
}

/** A local date at the anchor's clock time, the day clamped to the month's length (31 → Feb 28/29 → Mar 31). */
function atAnchorTime(date: DateTime, anchor: AnchorWall, day = date.day): DateTime {
  const first = date.set({ day: 1 });
  return first.set({ day: Math.min(day, first.daysInMonth ?? 28), hour: anchor.hour, minute: anchor.minute, second: anchor.second, millisecond: anchor.millisecond });
}

function checkCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`a billing period count must be a whole number ≥ 1, got ${count}`);
}

/**
 * The end of the billing period that starts at `from` (and the start of the next), FlexPrice's
 * rules computed on the wall clock of `timezone` (the customer's), so a monthly period ends at the
 * same local time whatever DST does in between:
 *
 * - DAILY: `count` days after `from`'s local date, at the anchor's clock time.
 * - WEEKLY: the next local date on the anchor's weekday (`count` weeks on when `from` is on it
 *   already; `count − 1` more weeks otherwise), at the anchor's clock time.
 * - MONTHLY, QUARTERLY, HALF_YEARLY: `from`'s month plus `count` × 1, 3 or 6 months, on the
 *   anchor's day clamped to that month's length (an anchor on the 31st gives Feb 28/29, then
 *   Mar 31), at the anchor's clock time. A first period shorter than that ends at the anchor: for
 *   MONTHLY when `from`'s day comes before the anchor's day (in `from`'s month), for QUARTERLY and
 *   HALF_YEARLY when `from` is before the anchor itself.
 * - ANNUAL: `count` years after `from`'s year, in the anchor's month, on its day (Feb 29 gives
 *   Feb 28 in other years), at its clock time.
 *
 * `end` (a subscription's end date) caps the result. A local time that does not exist (clocks
 * going forward) or exists twice is read as PostgreSQL reads it, as usage windows are.
 */
export function nextBillingDate(from: Date, anchor: Date, unit: BillingPeriodUnit, count: number, timezone: string, end?: Date | null): Date {
  checkCount(count);
  const clock = clockOf(timezone);
  const a = anchorWall(clock, anchor);
  const local = clock.wall(from.getTime());
  let next: number;
  switch (unit) {
    case 'DAILY':
      next = clock.instant(atAnchorTime(local.plus({ days: count }), a));
      break;
    case 'WEEKLY': {
      const ahead = (a.weekday - local.weekday + 7) % 7;
      next = clock.instant(atAnchorTime(local.plus({ days: ahead === 0 ? count * 7 : ahead + (count - 1) * 7 }), a));
      break;
    }
    case 'ANNUAL':
      next = clock.instant(atAnchorTime(local.set({ day: 1 }).set({ year: local.year + count, month: a.month }), a, a.day));
      break;
    default: {
      const thisMonth = atAnchorTime(local, a, a.day);
      if (unit === 'MONTHLY' && local.day < thisMonth.day) next = clock.instant(thisMonth);
      else if (unit !== 'MONTHLY' && from < anchor) next = anchor.getTime();
      else next = clock.instant(atAnchorTime(local.set({ day: 1 }).plus({ months: count * (monthsPer[unit] as number) }), a, a.day));
    }
  }
  return end && next > end.getTime() ? end : new Date(next);
}

/**
 * The billing date one period before `anchor`: the start of the full period that ends at the
 * anchor. FlexPrice measures the first, partial period of calendar billing against it (a calendar
 * monthly subscription started Apr 16 with anchor May 1 prorates against Apr 1 → May 1). Days and
 * weeks step back on the wall clock; months and years land on the anchor's day, clamped.
 */
export function previousBillingDate(anchor: Date, unit: BillingPeriodUnit, count: number, timezone: string): Date {
  checkCount(count);
  const clock = clockOf(timezone);
  const a = anchorWall(clock, anchor);
  const local = clock.wall(anchor.getTime());
  switch (unit) {
    case 'DAILY':
      return new Date(clock.instant(local.minus({ days: count })));
    case 'WEEKLY':
      return new Date(clock.instant(local.minus({ days: 7 * count })));
    default:
      return new Date(clock.instant(atAnchorTime(local.set({ day: 1 }).minus({ months: count * (monthsPer[unit] as number) }), a, a.day)));
  }
}
