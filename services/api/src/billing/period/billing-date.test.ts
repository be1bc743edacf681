import { describe, expect, it } from 'vitest';
import { nextBillingDate, previousBillingDate, type BillingPeriodUnit } from './billing-date.ts';

const t = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('nextBillingDate: where a billing period starting at `from` ends', () => {
  it.each<[string, string, string, BillingPeriodUnit, number, string, string]>([
    // [case, from, anchor, unit, count, zone, next]
    // Month ends: an anchor on the 31st gives Feb 28 (29 in a leap year), then Mar 31, Apr 30.
    ['anniversary MONTHLY from Jan 31', '2025-01-31T10:00:00Z', '2025-01-31T10:00:00Z', 'MONTHLY', 1, 'UTC', '2025-02-28T10:00:00.000Z'],
    ['… then from Feb 28 back to the 31st', '2025-02-28T10:00:00Z', '2025-01-31T10:00:00Z', 'MONTHLY', 1, 'UTC', '2025-03-31T10:00:00.000Z'],
    ['… then Apr 30', '2025-03-31T10:00:00Z', '2025-01-31T10:00:00Z', 'MONTHLY', 1, 'UTC', '2025-04-30T10:00:00.000Z'],
    ['MONTHLY from Jan 31 in a leap year', '2024-01-31T00:00:00Z', '2024-01-31T00:00:00Z', 'MONTHLY', 1, 'UTC', '2024-02-29T00:00:00.000Z'],
    ['every 3 months on the 31st', '2025-01-31T00:00:00Z', '2025-01-31T00:00:00Z', 'MONTHLY', 3, 'UTC', '2025-04-30T00:00:00.000Z'],
    // Calendar billing: the anchor is the next 1st; the first period is short.
    ['calendar MONTHLY, first period Apr 15 09:30 → May 1', '2025-04-15T09:30:00Z', '2025-05-01T00:00:00Z', 'MONTHLY', 1, 'UTC', '2025-05-01T00:00:00.000Z'],
    ['calendar MONTHLY, then May 1 → Jun 1', '2025-05-01T00:00:00Z', '2025-05-01T00:00:00Z', 'MONTHLY', 1, 'UTC', '2025-06-01T00:00:00.000Z'],
    // An explicit anchor later in the month: a short first period ending on the anchor's day.
    ['billing_anchor Jan 25, start Jan 10 → Jan 25', '2025-01-10T00:00:00Z', '2025-01-25T00:00:00Z', 'MONTHLY', 1, 'UTC', '2025-01-25T00:00:00.000Z'],
    ['… then Jan 25 → Feb 25', '2025-01-25T00:00:00Z', '2025-01-25T00:00:00Z', 'MONTHLY', 1, 'UTC', '2025-02-25T00:00:00.000Z'],
    // In the customer's zone: local midnight in Kolkata is 18:30Z the day before.
    ['calendar MONTHLY in Asia/Kolkata', '2025-04-15T09:30:00Z', '2025-04-30T18:30:00Z', 'MONTHLY', 1, 'Asia/Kolkata', '2025-04-30T18:30:00.000Z'],
    ['… then to 1 June 00:00 IST', '2025-04-30T18:30:00Z', '2025-04-30T18:30:00Z', 'MONTHLY', 1, 'Asia/Kolkata', '2025-05-31T18:30:00.000Z'],
    // Across DST the local time holds: Mar 1 00:00 CET → Apr 1 00:00 CEST.
    ['MONTHLY in Berlin across the spring change', '2025-02-28T23:00:00Z', '2025-02-28T23:00:00Z', 'MONTHLY', 1, 'Europe/Berlin', '2025-03-31T22:00:00.000Z'],
    // 02:30 on Mar 30 does not exist in Berlin: read with the offset before the change, as PostgreSQL does.
    ['an anchor time that the spring change skips', '2025-02-28T01:30:00Z', '2025-01-30T01:30:00Z', 'MONTHLY', 1, 'Europe/Berlin', '2025-03-30T01:30:00.000Z'],
    // QUARTERLY and HALF_YEARLY: 3 and 6 months on the anchor's day; a start before the anchor ends at it.
    ['anniversary QUARTERLY from Jan 31', '2025-01-31T00:00:00Z', '2025-01-31T00:00:00Z', 'QUARTERLY', 1, 'UTC', '2025-04-30T00:00:00.000Z'],
    ['… then Jul 31', '2025-04-30T00:00:00Z', '2025-01-31T00:00:00Z', 'QUARTERLY', 1, 'UTC', '2025-07-31T00:00:00.000Z'],
    ['calendar QUARTERLY, Feb 15 → Apr 1 (not May 1)', '2025-02-15T12:00:00Z', '2025-04-01T00:00:00Z', 'QUARTERLY', 1, 'UTC', '2025-04-01T00:00:00.000Z'],
    ['calendar QUARTERLY, then Apr 1 → Jul 1', '2025-04-01T00:00:00Z', '2025-04-01T00:00:00Z', 'QUARTERLY', 1, 'UTC', '2025-07-01T00:00:00.000Z'],
    ['calendar HALF_YEARLY, Aug 20 → Jan 1', '2025-08-20T00:00:00Z', '2026-01-01T00:00:00Z', 'HALF_YEARLY', 1, 'UTC', '2026-01-01T00:00:00.000Z'],
    ['calendar HALF_YEARLY, then Jan 1 → Jul 1', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 'HALF_YEARLY', 1, 'UTC', '2026-07-01T00:00:00.000Z'],
    // ANNUAL: the anchor's month and day; Feb 29 gives Feb 28 in other years, Feb 29 again in leap ones.
    ['ANNUAL from Feb 29', '2024-02-29T00:00:00Z', '2024-02-29T00:00:00Z', 'ANNUAL', 1, 'UTC', '2025-02-28T00:00:00.000Z'],
    ['… then 2026 Feb 28', '2025-02-28T00:00:00Z', '2024-02-29T00:00:00Z', 'ANNUAL', 1, 'UTC', '2026-02-28T00:00:00.000Z'],
    ['… and Feb 29 in 2028', '2027-02-28T00:00:00Z', '2024-02-29T00:00:00Z', 'ANNUAL', 1, 'UTC', '2028-02-29T00:00:00.000Z'],
    ['calendar ANNUAL, Apr 15 → Jan 1', '2025-04-15T00:00:00Z', '2026-01-01T00:00:00Z', 'ANNUAL', 1, 'UTC', '2026-01-01T00:00:00.000Z'],
    ['every 2 years', '2025-06-10T08:00:00Z', '2025-06-10T08:00:00Z', 'ANNUAL', 2, 'UTC', '2027-06-10T08:00:00.000Z'],
    // DAILY: N days later at the anchor's clock time; calendar DAILY ends at the next midnight.
    ['anniversary DAILY', '2025-03-10T08:00:00Z', '2025-03-10T08:00:00Z', 'DAILY', 1, 'UTC', '2025-03-11T08:00:00.000Z'],
    ['every 10 days, across a month', '2025-03-25T08:00:00Z', '2025-03-25T08:00:00Z', 'DAILY', 10, 'UTC', '2025-04-04T08:00:00.000Z'],
    ['calendar DAILY, 09:30 → next midnight', '2025-04-15T09:30:00Z', '2025-04-16T00:00:00Z', 'DAILY', 1, 'UTC', '2025-04-16T00:00:00.000Z'],
    ['DAILY in Berlin over the 23-hour day', '2025-03-29T23:00:00Z', '2025-03-28T23:00:00Z', 'DAILY', 1, 'Europe/Berlin', '2025-03-30T22:00:00.000Z'],
    // WEEKLY: the next day on the anchor's weekday (N weeks on from that weekday itself).
    ['anniversary WEEKLY from a Wednesday', '2025-01-01T12:00:00Z', '2025-01-01T12:00:00Z', 'WEEKLY', 1, 'UTC', '2025-01-08T12:00:00.000Z'],
    ['every 2 weeks', '2025-01-01T12:00:00Z', '2025-01-01T12:00:00Z', 'WEEKLY', 2, 'UTC', '2025-01-15T12:00:00.000Z'],
    ['calendar WEEKLY, Wednesday → Monday', '2025-01-01T09:30:00Z', '2025-01-06T00:00:00Z', 'WEEKLY', 1, 'UTC', '2025-01-06T00:00:00.000Z'],
    ['calendar WEEKLY every 2 weeks, Wednesday → the Monday after next', '2025-01-01T09:30:00Z', '2025-01-06T00:00:00Z', 'WEEKLY', 2, 'UTC', '2025-01-13T00:00:00.000Z'],
  ])('%s', (_case, from, anchor, unit, count, zone, next) => {
    expect(iso(nextBillingDate(t(from), t(anchor), unit, count, zone))).toBe(next);
  });

  it('stops at the subscription end date', () => {
    expect(iso(nextBillingDate(t('2025-01-15T00:00:00Z'), t('2025-01-15T00:00:00Z'), 'MONTHLY', 1, 'UTC', t('2025-02-01T00:00:00Z')))).toBe('2025-02-01T00:00:00.000Z');
    expect(iso(nextBillingDate(t('2025-01-15T00:00:00Z'), t('2025-01-15T00:00:00Z'), 'MONTHLY', 1, 'UTC', t('2025-06-01T00:00:00Z')))).toBe('2025-02-15T00:00:00.000Z');
  });

  it('refuses a count below 1', () => {
    expect(() => nextBillingDate(t('2025-01-01T00:00:00Z'), t('2025-01-01T00:00:00Z'), 'MONTHLY', 0, 'UTC')).toThrow(RangeError);
    expect(() => nextBillingDate(t('2025-01-01T00:00:00Z'), t('2025-01-01T00:00:00Z'), 'MONTHLY', 1.5, 'UTC')).toThrow(RangeError);
  });
});

describe('previousBillingDate: the start of the full period ending at the anchor', () => {
  it.each<[string, string, BillingPeriodUnit, number, string, string]>([
    // [case, anchor, unit, count, zone, previous]
    ['calendar MONTHLY anchor May 1 → Apr 1 (a start on Apr 16 prorates against it)', '2025-05-01T00:00:00Z', 'MONTHLY', 1, 'UTC', '2025-04-01T00:00:00.000Z'],
    ['an anchor on Mar 31 → Feb 28', '2025-03-31T00:00:00Z', 'MONTHLY', 1, 'UTC', '2025-02-28T00:00:00.000Z'],
    ['QUARTERLY Apr 1 → Jan 1', '2025-04-01T00:00:00Z', 'QUARTERLY', 1, 'UTC', '2025-01-01T00:00:00.000Z'],
    ['HALF_YEARLY Jan 1 → Jul 1 the year before', '2026-01-01T00:00:00Z', 'HALF_YEARLY', 1, 'UTC', '2025-07-01T00:00:00.000Z'],
    ['ANNUAL Feb 29 → Feb 28', '2024-02-29T00:00:00Z', 'ANNUAL', 1, 'UTC', '2023-02-28T00:00:00.000Z'],
    ['WEEKLY Monday → the Monday before', '2025-01-13T00:00:00Z', 'WEEKLY', 1, 'UTC', '2025-01-06T00:00:00.000Z'],
    ['every 3 days', '2025-03-02T06:00:00Z', 'DAILY', 3, 'UTC', '2025-02-27T06:00:00.000Z'],
    ['1 May 00:00 IST → 1 April 00:00 IST', '2025-04-30T18:30:00Z', 'MONTHLY', 1, 'Asia/Kolkata', '2025-03-31T18:30:00.000Z'],
    ['1 Apr 00:00 CEST → 1 Mar 00:00 CET', '2025-03-31T22:00:00Z', 'MONTHLY', 1, 'Europe/Berlin', '2025-02-28T23:00:00.000Z'],
  ])('%s', (_case, anchor, unit, count, zone, previous) => {
    expect(iso(previousBillingDate(t(anchor), unit, count, zone))).toBe(previous);
  });
});
