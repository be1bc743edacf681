import { billingAnchor, firstBillingPeriod, nextBillingDate, type BillingCycle, type BillingPeriodUnit, type Period } from '../../billing/period/index.ts';
import { DateTime } from 'luxon';

/** What decides where a new subscription's periods fall. */
export type ScheduleInput = {
  cycle: BillingCycle;
  unit: BillingPeriodUnit;
  count: number;
  timezone: string;
  start: Date;
  end: Date | null;
  /** An explicit billing anchor (anniversary only). */
  requestedAnchor: Date | null;
  /** 0: no trial. */
  trialDays: number;
};

/** Where a subscription stands when it starts: its anchor, its current period and its trial. */
export type StartingSchedule = { billingAnchor: Date; currentPeriod: Period; trial: Period | null };

/** `days` calendar days after `at` on the wall clock of `timezone` (the same local time of day). */
export function addDays(at: Date, days: number, timezone: string): Date {
  return DateTime.fromJSDate(at, { zone: timezone }).plus({ days }).toJSDate();
}

/**
 * A new subscription's schedule, as FlexPrice sets it (docs/flexprice-compatibility.md#subscriptions):
 * the anchor is the explicit billing anchor, else the start (anniversary) or the first calendar
 * boundary after it in the customer's zone (calendar); the current period is the first billing period
 * from the start (short when the anchor cuts it), clipped to the end date. A trial of N days runs from
 * the start to N calendar days later and is the current period until it ends.
 */
export function startingSchedule(input: ScheduleInput): StartingSchedule {
  const anchor = billingAnchor(input.cycle, input.start, input.unit, input.timezone, input.requestedAnchor);
  if (input.trialDays > 0) {
    const trialEnd = addDays(input.start, input.trialDays, input.timezone);
    const clipped = input.end && input.end < trialEnd ? input.end : trialEnd;
    const trial = { start: input.start, end: clipped };
    return { billingAnchor: anchor, currentPeriod: trial, trial };
  }
  const currentPeriod = firstBillingPeriod({ unit: input.unit, count: input.count, anchor, timezone: input.timezone, start: input.start, end: input.end });
  return { billingAnchor: anchor, currentPeriod, trial: null };
}

/** What decides a running subscription's next period. */
export type RunningSchedule = { anchor: Date; unit: BillingPeriodUnit; count: number; timezone: string; end: Date | null };

/** The period after one ending at `from`: to the next billing date, clipped to the end. */
export function periodFrom(from: Date, s: RunningSchedule): Period {
  return { start: from, end: nextBillingDate(from, s.anchor, s.unit, s.count, s.timezone, s.end) };
}
