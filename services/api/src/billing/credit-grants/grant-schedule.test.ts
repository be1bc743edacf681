import { describe, expect, it } from 'vitest';
import { grantPeriodFrom, nextGrantPeriod, type GrantSchedule } from './grant-schedule.ts';

const d = (iso: string) => new Date(iso);
const monthly = (start: string, timezone = 'UTC', count = 1): GrantSchedule => ({ cadence: 'RECURRING', start: d(start), anchor: d(start), unit: 'MONTHLY', count, timezone });

/** The starts of the first `n` applications of a schedule. */
function starts(schedule: GrantSchedule, n: number, until: Date | null = null): string[] {
  const out: string[] = [];
  let current: { start: Date; end: Date | null } | undefined = grantPeriodFrom(schedule.start, schedule);
  while (current && out.length < n) {
    out.push(current.start.toISOString());
    current = nextGrantPeriod(current, schedule, until);
  }
  return out;
}

describe('grant periods', () => {
  it('a monthly grant from 1 January falls on the 1st of every month', () => {
    expect(starts(monthly('2025-01-01T00:00:00Z'), 4)).toEqual(['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z']);
    expect(grantPeriodFrom(d('2025-01-01T00:00:00Z'), monthly('2025-01-01T00:00:00Z'))).toEqual({ start: d('2025-01-01T00:00:00Z'), end: d('2025-02-01T00:00:00Z') });
  });

  it('an anchor on the 31st gives Feb 28, then Mar 31 (clamped, not drifting)', () => {
    expect(starts(monthly('2025-01-31T10:00:00Z'), 4)).toEqual(['2025-01-31T10:00:00.000Z', '2025-02-28T10:00:00.000Z', '2025-03-31T10:00:00.000Z', '2025-04-30T10:00:00.000Z']);
  });

  it('counts period_count periods: every 3 months, every 2 weeks, every day, yearly', () => {
    expect(starts(monthly('2025-01-15T00:00:00Z', 'UTC', 3), 3)).toEqual(['2025-01-15T00:00:00.000Z', '2025-04-15T00:00:00.000Z', '2025-07-15T00:00:00.000Z']);
    const weekly: GrantSchedule = { cadence: 'RECURRING', start: d('2025-01-06T00:00:00Z'), anchor: d('2025-01-06T00:00:00Z'), unit: 'WEEKLY', count: 2, timezone: 'UTC' };
    expect(starts(weekly, 3)).toEqual(['2025-01-06T00:00:00.000Z', '2025-01-20T00:00:00.000Z', '2025-02-03T00:00:00.000Z']);
    const daily: GrantSchedule = { ...weekly, unit: 'DAILY', count: 1 };
    expect(starts(daily, 3)).toEqual(['2025-01-06T00:00:00.000Z', '2025-01-07T00:00:00.000Z', '2025-01-08T00:00:00.000Z']);
    const annual: GrantSchedule = { ...weekly, start: d('2024-02-29T00:00:00Z'), anchor: d('2024-02-29T00:00:00Z'), unit: 'ANNUAL', count: 1 };
    expect(starts(annual, 3)).toEqual(['2024-02-29T00:00:00.000Z', '2025-02-28T00:00:00.000Z', '2026-02-28T00:00:00.000Z']);
  });

  it('keeps local midnight in the customer’s zone across DST (New York: 05:00Z in winter, 04:00Z in summer)', () => {
    expect(starts(monthly('2025-02-01T05:00:00Z', 'America/New_York'), 3)).toEqual(['2025-02-01T05:00:00.000Z', '2025-03-01T05:00:00.000Z', '2025-04-01T04:00:00.000Z']);
  });

  it('stops before the grant or subscription end: no application starts at or after it', () => {
    expect(starts(monthly('2025-01-01T00:00:00Z'), 10, d('2025-03-01T00:00:00Z'))).toEqual(['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']);
    expect(starts(monthly('2025-01-01T00:00:00Z'), 10, d('2025-03-01T00:00:01Z'))).toEqual(['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z']);
  });

  it('a period that would end after the year 9999 is open-ended: no next application', () => {
    const far = monthly('9999-12-15T00:00:00Z');
    expect(grantPeriodFrom(far.start, far)).toEqual({ start: far.start, end: null });
    expect(starts(far, 3)).toEqual(['9999-12-15T00:00:00.000Z']);
  });

  it('a ONETIME grant has one open-ended application', () => {
    const once: GrantSchedule = { cadence: 'ONETIME', start: d('2025-01-10T00:00:00Z'), anchor: d('2025-01-10T00:00:00Z'), unit: null, count: null, timezone: 'UTC' };
    expect(grantPeriodFrom(once.start, once)).toEqual({ start: once.start, end: null });
    expect(starts(once, 5)).toEqual(['2025-01-10T00:00:00.000Z']);
  });
});
