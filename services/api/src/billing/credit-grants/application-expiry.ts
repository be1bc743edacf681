import { DateTime } from 'luxon';
import { billingPeriodAt, type BillingPeriodUnit } from '../period/index.ts';
import { lastInstant } from './grant-schedule.ts';

export const creditGrantExpiryTypes = ['NEVER', 'DURATION', 'BILLING_CYCLE'] as const;
export type CreditGrantExpiryType = (typeof creditGrantExpiryTypes)[number];
export const creditGrantExpiryUnits = ['DAY', 'WEEK', 'MONTH', 'YEAR'] as const;
export type CreditGrantExpiryUnit = (typeof creditGrantExpiryUnits)[number];

export type ExpiryRule =
  | { type: 'NEVER' }
  | { type: 'DURATION'; duration: number; unit: CreditGrantExpiryUnit }
  | { type: 'BILLING_CYCLE' };

/** What BILLING_CYCLE expiry reads of the subscription: its billing schedule and its trial. */
export type SubscriptionCycles = {
  startDate: Date;
  endDate: Date | null;
  trialEnd: Date | null;
  billingAnchor: Date;
  unit: BillingPeriodUnit;
  count: number;
  timezone: string;
};

const luxonUnit = { DAY: 'days', WEEK: 'weeks', MONTH: 'months', YEAR: 'years' } as const;

/**
 * The subscription billing period holding `at`: the trial window while `at` is in the trial, else
 * the period of the schedule that starts at the trial's end (its anchor from then on) or at the
 * start. Undefined before the start or from the end on.
 */
export function subscriptionPeriodAt(at: Date, sub: SubscriptionCycles): { start: Date; end: Date } | undefined {
  if (sub.trialEnd && at < sub.trialEnd) {
    if (at < sub.startDate) return undefined;
    return { start: sub.startDate, end: sub.endDate && sub.endDate < sub.trialEnd ? sub.endDate : sub.trialEnd };
  }
  const start = sub.trialEnd ?? sub.startDate;
  const anchor = sub.trialEnd ?? sub.billingAnchor;
  return billingPeriodAt(at, { start, anchor, unit: sub.unit, count: sub.count, timezone: sub.timezone, end: sub.endDate });
}

/**
 * When the credits of an application whose grant period starts at `periodStart` expire, or null
 * (never): NEVER → null; DURATION → `periodStart` plus N days, weeks, months or years on the
 * subscription's wall clock (a month from Jan 31 is Feb 28/29); BILLING_CYCLE → the end of the
 * subscription billing period holding `periodStart` (the subscription's end when past its last period).
 * An expiry after the year 9999 is the last instant of that year.
 */
export function applicationExpiry(rule: ExpiryRule, periodStart: Date, sub: SubscriptionCycles): Date | null {
  const expiry = expiryOf(rule, periodStart, sub);
  return expiry && (expiry > lastInstant || Number.isNaN(expiry.getTime())) ? lastInstant : expiry;
}

function expiryOf(rule: ExpiryRule, periodStart: Date, sub: SubscriptionCycles): Date | null {
  switch (rule.type) {
    case 'NEVER':
      return null;
    case 'DURATION':
      return DateTime.fromJSDate(periodStart, { zone: sub.timezone }).plus({ [luxonUnit[rule.unit]]: rule.duration }).toJSDate();
    case 'BILLING_CYCLE':
      return subscriptionPeriodAt(periodStart, sub)?.end ?? sub.endDate ?? periodStart;
  }
}
