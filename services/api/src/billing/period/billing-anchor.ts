import type { BillingPeriodUnit } from './billing-date.ts';
import { clockOf } from './zone-clock.ts';

/**
 * How a subscription's periods are aligned: `anniversary` (FlexPrice's default) to its start or an
 * explicit billing anchor; `calendar` to calendar boundaries, the first period running from the
 * start to the first boundary.
 */
export const billingCycles = ['anniversary', 'calendar'] as const;
export type BillingCycle = (typeof billingCycles)[number];

/**
 * The first calendar boundary after `start`, at local midnight in `timezone` (the customer's):
 * DAILY the next midnight, WEEKLY the next Monday, MONTHLY the 1st of the next month, QUARTERLY
 * the first day of the next quarter (Jan, Apr, Jul, Oct), HALF_YEARLY the next Jan 1 or Jul 1,
 * ANNUAL the next Jan 1. Always strictly after `start`: a start on a boundary gets the next one.
 */
export function calendarBillingAnchor(start: Date, unit: BillingPeriodUnit, timezone: string): Date {
  const clock = clockOf(timezone);
  const day = clock.wall(start.getTime()).startOf('day');
  const month = day.set({ day: 1 });
  const next = (months: number) => month.set({ month: Math.floor((month.month - 1) / months) * months + 1 }).plus({ months });
  switch (unit) {
    case 'DAILY':
      return new Date(clock.instant(day.plus({ days: 1 })));
    case 'WEEKLY':
      // luxon's weekday: Monday 1 … Sunday 7; from a Monday the next Monday is a week on.
      return new Date(clock.instant(day.plus({ days: 8 - day.weekday })));
    case 'MONTHLY':
      return new Date(clock.instant(next(1)));
    case 'QUARTERLY':
      return new Date(clock.instant(next(3)));
    case 'HALF_YEARLY':
      return new Date(clock.instant(next(6)));
    case 'ANNUAL':
      return new Date(clock.instant(next(12)));
  }
}

/**
 * The anchor a subscription's periods follow, as FlexPrice chooses it: an explicit billing anchor
 * when one is given; otherwise the start (anniversary) or the first calendar boundary after it
 * (calendar).
 */
export function billingAnchor(cycle: BillingCycle, start: Date, unit: BillingPeriodUnit, timezone: string, requested?: Date | null): Date {
  if (requested) return requested;
  return cycle === 'calendar' ? calendarBillingAnchor(start, unit, timezone) : start;
}
