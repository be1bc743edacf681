import { nextBillingDate, type BillingPeriodUnit } from './billing-date.ts';
import type { Period } from './period.ts';

/**
 * What decides a subscription's billing periods: every `count` `unit`s, aligned to `anchor`, on
 * the wall clock of `timezone`, from `start` until `end` (open-ended without one).
 */
export type BillingSchedule = {
  unit: BillingPeriodUnit;
  count: number;
  anchor: Date;
  timezone: string;
  start: Date;
  end?: Date | null;
};

/** [start, first billing date): short when the anchor comes before a full period would end. */
export function firstBillingPeriod(schedule: BillingSchedule): Period {
  const { start, anchor, unit, count, timezone, end } = schedule;
  return { start, end: nextBillingDate(start, anchor, unit, count, timezone, end) };
}

/** The period after `current`, or undefined when `current` reaches the schedule's end. */
export function nextBillingPeriod(current: Period, schedule: BillingSchedule): Period | undefined {
  const { anchor, unit, count, timezone, end } = schedule;
  if (end && current.end >= end) return undefined;
  return { start: current.end, end: nextBillingDate(current.end, anchor, unit, count, timezone, end) };
}

/**
 * The billing period holding `at` (start ≤ at < end), walking the periods from the schedule's
 * start; undefined before the start or from the end on.
 */
export function billingPeriodAt(at: Date, schedule: BillingSchedule): Period | undefined {
  if (at < schedule.start || (schedule.end && at >= schedule.end)) return undefined;
  let current: Period | undefined = firstBillingPeriod(schedule);
  while (current && at >= current.end) current = nextBillingPeriod(current, schedule);
  return current;
}
