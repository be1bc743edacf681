import { describe, expect, it } from 'vitest';
import { billingAnchor, type BillingCycle } from './billing-anchor.ts';
import type { BillingPeriodUnit } from './billing-date.ts';
import { billingPeriodAt, firstBillingPeriod, nextBillingPeriod, type BillingSchedule } from './billing-periods.ts';
import type { Period } from './period.ts';

const t = (iso: string) => new Date(iso);
const show = (p: Period | undefined) => (p ? [p.start.toISOString(), p.end.toISOString()] : undefined);

/** The first `n` periods of a schedule. */
function periods(schedule: BillingSchedule, n: number): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let current: Period | undefined = firstBillingPeriod(schedule);
  while (current && out.length < n) {
    out.push(show(current) as [string, string]);
    current = nextBillingPeriod(current, schedule);
  }
  return out;
}

/** A schedule of single `unit`s from `start` in `timezone`, anchored as `cycle` (and a requested anchor, if any) places it. */
function scheduleOf(cycle: BillingCycle, unit: BillingPeriodUnit, start: string, timezone = 'UTC', requestedAnchor?: string): BillingSchedule {
  const from = t(start);
  return { unit, count: 1, anchor: billingAnchor(cycle, from, unit, timezone, requestedAnchor ? t(requestedAnchor) : null), timezone, start: from };
}

const anniversaryJan31 = scheduleOf('anniversary', 'MONTHLY', '2025-01-31T10:00:00Z');

describe('billing periods, worked examples', () => {
  it('anniversary MONTHLY from Jan 31: Feb 28, Mar 31, Apr 30', () => {
    expect(periods(anniversaryJan31, 3)).toEqual([
      ['2025-01-31T10:00:00.000Z', '2025-02-28T10:00:00.000Z'],
      ['2025-02-28T10:00:00.000Z', '2025-03-31T10:00:00.000Z'],
      ['2025-03-31T10:00:00.000Z', '2025-04-30T10:00:00.000Z'],
    ]);
  });

  it('calendar MONTHLY from Apr 15 09:30: a partial first period to May 1, then whole months', () => {
    expect(periods(scheduleOf('calendar', 'MONTHLY', '2025-04-15T09:30:00Z'), 3)).toEqual([
      ['2025-04-15T09:30:00.000Z', '2025-05-01T00:00:00.000Z'],
      ['2025-05-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'],
      ['2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z'],
    ]);
  });

  it('calendar MONTHLY for a customer in Asia/Kolkata: boundaries at 00:00 IST (18:30Z)', () => {
    expect(periods(scheduleOf('calendar', 'MONTHLY', '2025-04-15T09:30:00Z', 'Asia/Kolkata'), 2)).toEqual([
      ['2025-04-15T09:30:00.000Z', '2025-04-30T18:30:00.000Z'],
      ['2025-04-30T18:30:00.000Z', '2025-05-31T18:30:00.000Z'],
    ]);
  });

  it('anniversary with billing_anchor Jan 25, started Jan 10: a short first period', () => {
    expect(periods(scheduleOf('anniversary', 'MONTHLY', '2025-01-10T00:00:00Z', 'UTC', '2025-01-25T00:00:00Z'), 2)).toEqual([
      ['2025-01-10T00:00:00.000Z', '2025-01-25T00:00:00.000Z'],
      ['2025-01-25T00:00:00.000Z', '2025-02-25T00:00:00.000Z'],
    ]);
  });

  it('calendar QUARTERLY from Feb 15: to Apr 1, then Jul 1, Oct 1', () => {
    expect(periods(scheduleOf('calendar', 'QUARTERLY', '2025-02-15T00:00:00Z'), 3).map(([, end]) => end)).toEqual(['2025-04-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z', '2025-10-01T00:00:00.000Z']);
  });

  it('clips the last period to the end date, and has none after it', () => {
    const schedule = { ...anniversaryJan31, end: t('2025-03-15T00:00:00Z') };
    expect(periods(schedule, 5)).toEqual([
      ['2025-01-31T10:00:00.000Z', '2025-02-28T10:00:00.000Z'],
      ['2025-02-28T10:00:00.000Z', '2025-03-15T00:00:00.000Z'],
    ]);
  });
});

describe('billingPeriodAt: the period holding an instant', () => {
  it.each<[string, [string, string] | undefined]>([
    ['2025-01-31T10:00:00Z', ['2025-01-31T10:00:00.000Z', '2025-02-28T10:00:00.000Z']], // the start
    ['2025-02-28T09:59:59.999Z', ['2025-01-31T10:00:00.000Z', '2025-02-28T10:00:00.000Z']],
    ['2025-02-28T10:00:00Z', ['2025-02-28T10:00:00.000Z', '2025-03-31T10:00:00.000Z']], // a boundary starts the next period
    ['2025-03-15T00:00:00Z', ['2025-02-28T10:00:00.000Z', '2025-03-31T10:00:00.000Z']],
    ['2026-01-15T00:00:00Z', ['2025-12-31T10:00:00.000Z', '2026-01-31T10:00:00.000Z']],
    ['2025-01-31T09:59:59Z', undefined], // before the start
  ])('%s → %j', (at, expected) => {
    expect(show(billingPeriodAt(t(at), anniversaryJan31))).toEqual(expected);
  });

  it('has no period from the end date on', () => {
    const schedule = { ...anniversaryJan31, end: t('2025-03-15T00:00:00Z') };
    expect(show(billingPeriodAt(t('2025-03-14T23:59:59Z'), schedule))).toEqual(['2025-02-28T10:00:00.000Z', '2025-03-15T00:00:00.000Z']);
    expect(billingPeriodAt(t('2025-03-15T00:00:00Z'), schedule)).toBeUndefined();
  });
});
