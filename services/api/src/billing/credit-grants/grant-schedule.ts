import { nextBillingDate, type BillingPeriodUnit } from '../period/index.ts';
import type { Period } from '../period/index.ts';

/** The last instant a date-time of the API (and the database) can carry: years run to 9999. */
export const lastInstant = new Date(Date.UTC(9999, 11, 31, 23, 59, 59, 999));

export const creditGrantCadences = ['ONETIME', 'RECURRING'] as const;
export type CreditGrantCadence = (typeof creditGrantCadences)[number];

/** What decides when a grant's applications fall: its first instant, its periods and its end. */
export type GrantSchedule = {
  cadence: CreditGrantCadence;
  /** The first application (the grant's `start_date`). */
  start: Date;
  /** What periods are counted from (`credit_grant_anchor`); the start by default. */
  anchor: Date;
  /** RECURRING only: every `count` `unit`s. */
  unit: BillingPeriodUnit | null;
  count: number | null;
  /** The subscription's (its customer's) time zone: periods end at the anchor's local time. */
  timezone: string;
};

/**
 * The grant period an application starting at `start` covers: [start, next boundary) for a
 * RECURRING grant — `count` × `unit` on the wall clock of the time zone, aligned to the anchor as
 * billing periods are (an anchor on the 31st gives Feb 28, then Mar 31) — and [start, ∞) (no end)
 * for a ONETIME grant — and for a period that would end after the year 9999 (it has no next).
 */
export function grantPeriodFrom(start: Date, schedule: GrantSchedule): { start: Date; end: Date | null } {
  if (schedule.cadence === 'ONETIME' || !schedule.unit || !schedule.count) return { start, end: null };
  const end = nextBillingDate(start, schedule.anchor, schedule.unit, schedule.count, schedule.timezone);
  return { start, end: end > lastInstant || Number.isNaN(end.getTime()) ? null : end };
}

/**
 * The application after one covering `current`, or undefined: a ONETIME grant has none, and none
 * starts at or after `until` (the earlier of the grant's and the subscription's end dates).
 */
export function nextGrantPeriod(current: { start: Date; end: Date | null }, schedule: GrantSchedule, until: Date | null): Period | undefined {
  if (schedule.cadence === 'ONETIME' || current.end === null) return undefined;
  if (until && current.end >= until) return undefined;
  const next = grantPeriodFrom(current.end, schedule);
  return next.end ? { start: next.start, end: next.end } : undefined;
}
