import { describe, expect, it } from 'vitest';
import { billingAnchor, calendarBillingAnchor } from './billing-anchor.ts';
import type { BillingPeriodUnit } from './billing-date.ts';

const t = (iso: string) => new Date(iso);
const iso = (d: Date) => d.toISOString();

describe('calendarBillingAnchor: the first calendar boundary after the start, at local midnight', () => {
  it.each<[string, BillingPeriodUnit, string, string]>([
    // [start, unit, zone, anchor]
    ['2025-04-15T09:30:00Z', 'DAILY', 'UTC', '2025-04-16T00:00:00.000Z'],
    ['2025-04-15T00:00:00Z', 'DAILY', 'UTC', '2025-04-16T00:00:00.000Z'], // on a boundary: the next one
    ['2025-04-15T09:30:00Z', 'WEEKLY', 'UTC', '2025-04-21T00:00:00.000Z'], // Tuesday → Monday
    ['2025-04-14T00:00:00Z', 'WEEKLY', 'UTC', '2025-04-21T00:00:00.000Z'], // a Monday → the next Monday
    ['2025-04-20T23:59:59Z', 'WEEKLY', 'UTC', '2025-04-21T00:00:00.000Z'], // Sunday night → Monday
    ['2025-04-15T09:30:00Z', 'MONTHLY', 'UTC', '2025-05-01T00:00:00.000Z'], // the reference's example
    ['2025-12-15T00:00:00Z', 'MONTHLY', 'UTC', '2026-01-01T00:00:00.000Z'],
    ['2025-02-15T00:00:00Z', 'QUARTERLY', 'UTC', '2025-04-01T00:00:00.000Z'],
    ['2025-04-01T00:00:00Z', 'QUARTERLY', 'UTC', '2025-07-01T00:00:00.000Z'],
    ['2025-11-30T00:00:00Z', 'QUARTERLY', 'UTC', '2026-01-01T00:00:00.000Z'],
    ['2025-03-10T00:00:00Z', 'HALF_YEARLY', 'UTC', '2025-07-01T00:00:00.000Z'],
    ['2025-08-20T00:00:00Z', 'HALF_YEARLY', 'UTC', '2026-01-01T00:00:00.000Z'],
    ['2025-04-15T00:00:00Z', 'ANNUAL', 'UTC', '2026-01-01T00:00:00.000Z'],
    // In the customer's zone: 00:00 IST is 18:30Z the day before.
    ['2025-04-15T09:30:00Z', 'MONTHLY', 'Asia/Kolkata', '2025-04-30T18:30:00.000Z'],
    ['2025-04-30T20:00:00Z', 'MONTHLY', 'Asia/Kolkata', '2025-05-31T18:30:00.000Z'], // already May 1 01:30 in Kolkata
    ['2025-03-15T12:00:00Z', 'MONTHLY', 'America/New_York', '2025-04-01T04:00:00.000Z'], // EDT, UTC−4
    ['2025-03-29T12:00:00Z', 'DAILY', 'Europe/Berlin', '2025-03-29T23:00:00.000Z'],
  ])('%s %s in %s → %s', (start, unit, zone, anchor) => {
    expect(iso(calendarBillingAnchor(t(start), unit, zone))).toBe(anchor);
  });
});

describe('billingAnchor: which anchor a subscription follows', () => {
  const start = t('2025-04-15T09:30:00Z');
  it('anniversary: the start', () => {
    expect(iso(billingAnchor('anniversary', start, 'MONTHLY', 'UTC'))).toBe('2025-04-15T09:30:00.000Z');
  });
  it('calendar: the first calendar boundary after the start', () => {
    expect(iso(billingAnchor('calendar', start, 'MONTHLY', 'UTC'))).toBe('2025-05-01T00:00:00.000Z');
  });
  it('an explicit billing anchor wins either way', () => {
    expect(iso(billingAnchor('anniversary', start, 'MONTHLY', 'UTC', t('2025-04-25T00:00:00Z')))).toBe('2025-04-25T00:00:00.000Z');
    expect(iso(billingAnchor('calendar', start, 'MONTHLY', 'UTC', t('2025-04-25T00:00:00Z')))).toBe('2025-04-25T00:00:00.000Z');
  });
});
