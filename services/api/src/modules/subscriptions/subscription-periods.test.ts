import { describe, expect, it } from 'vitest';
import { addDays, periodFrom, startingSchedule, type ScheduleInput } from './subscription-periods.ts';

const t = (iso: string) => new Date(iso);
const base: ScheduleInput = { cycle: 'anniversary', unit: 'MONTHLY', count: 1, timezone: 'UTC', start: t('2025-01-31T10:00:00Z'), end: null, requestedAnchor: null, trialDays: 0 };

/** The ends of the first `n` periods of a schedule, as ISO strings. */
function periodEnds(input: ScheduleInput, n: number): string[] {
  const start = startingSchedule(input);
  const ends = [start.currentPeriod.end];
  let current = start.currentPeriod;
  while (ends.length < n && (!input.end || current.end < input.end)) {
    current = periodFrom(current.end, { anchor: start.billingAnchor, unit: input.unit, count: input.count, timezone: input.timezone, end: input.end });
    ends.push(current.end);
  }
  return ends.map((d) => d.toISOString());
}

describe('a subscription’s periods (FlexPrice’s worked examples)', () => {
  it('anniversary monthly from Jan 31 10:00: Feb 28, Mar 31, Apr 30 — the month end clamps and comes back', () => {
    expect(periodEnds(base, 3)).toEqual(['2025-02-28T10:00:00.000Z', '2025-03-31T10:00:00.000Z', '2025-04-30T10:00:00.000Z']);
  });

  it('calendar monthly from Apr 15 09:30: a short first period to May 1 00:00, then May 1 → Jun 1', () => {
    const input = { ...base, cycle: 'calendar' as const, start: t('2025-04-15T09:30:00Z') };
    const s = startingSchedule(input);
    expect(s.billingAnchor.toISOString()).toBe('2025-05-01T00:00:00.000Z');
    expect(s.currentPeriod).toEqual({ start: t('2025-04-15T09:30:00Z'), end: t('2025-05-01T00:00:00Z') });
    expect(periodEnds(input, 2)).toEqual(['2025-05-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z']);
  });

  it('anniversary monthly with billing_anchor Jan 25 and start Jan 10: Jan 10 → Jan 25 (short), then Jan 25 → Feb 25', () => {
    const input = { ...base, start: t('2025-01-10T00:00:00Z'), requestedAnchor: t('2025-01-25T00:00:00Z') };
    expect(periodEnds(input, 3)).toEqual(['2025-01-25T00:00:00.000Z', '2025-02-25T00:00:00.000Z', '2025-03-25T00:00:00.000Z']);
  });

  it('a customer in Asia/Kolkata on calendar monthly billing: boundaries at local midnight, 18:30Z the day before', () => {
    const input = { ...base, cycle: 'calendar' as const, timezone: 'Asia/Kolkata', start: t('2025-03-10T06:00:00Z') };
    expect(startingSchedule(input).billingAnchor.toISOString()).toBe('2025-03-31T18:30:00.000Z');
    expect(periodEnds(input, 3)).toEqual(['2025-03-31T18:30:00.000Z', '2025-04-30T18:30:00.000Z', '2025-05-31T18:30:00.000Z']);
  });

  it('an end date clips the period it falls in, and no period follows', () => {
    const input = { ...base, start: t('2025-01-01T00:00:00Z'), end: t('2025-02-15T00:00:00Z') };
    expect(periodEnds(input, 5)).toEqual(['2025-02-01T00:00:00.000Z', '2025-02-15T00:00:00.000Z']);
  });

  it('calendar quarterly from Feb 10: to Apr 1, then quarter by quarter; calendar annual from Jun 1 2025: to Jan 1 2026', () => {
    expect(periodEnds({ ...base, cycle: 'calendar', unit: 'QUARTERLY', start: t('2025-02-10T00:00:00Z') }, 3)).toEqual([
      '2025-04-01T00:00:00.000Z',
      '2025-07-01T00:00:00.000Z',
      '2025-10-01T00:00:00.000Z',
    ]);
    expect(periodEnds({ ...base, cycle: 'calendar', unit: 'ANNUAL', start: t('2025-06-01T00:00:00Z') }, 2)).toEqual(['2026-01-01T00:00:00.000Z', '2027-01-01T00:00:00.000Z']);
  });

  it('a 14-day trial is the first period; the end date clips it', () => {
    const input = { ...base, start: t('2025-01-01T00:00:00Z'), trialDays: 14 };
    expect(startingSchedule(input)).toMatchObject({ trial: { start: t('2025-01-01T00:00:00Z'), end: t('2025-01-15T00:00:00Z') }, currentPeriod: { end: t('2025-01-15T00:00:00Z') } });
    expect(startingSchedule({ ...input, end: t('2025-01-10T00:00:00Z') }).trial?.end).toEqual(t('2025-01-10T00:00:00Z'));
  });

  it('trial days are calendar days in the customer’s zone: across a DST change the local time stays', () => {
    expect(addDays(t('2025-03-29T09:00:00Z'), 2, 'Europe/Berlin').toISOString()).toBe('2025-03-31T08:00:00.000Z');
  });
});
