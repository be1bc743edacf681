import { describe, expect, it } from 'vitest';
import { applicationExpiry, subscriptionPeriodAt, type SubscriptionCycles } from './application-expiry.ts';

const d = (iso: string) => new Date(iso);
const sub: SubscriptionCycles = { startDate: d('2025-01-01T00:00:00Z'), endDate: null, trialEnd: null, billingAnchor: d('2025-01-01T00:00:00Z'), unit: 'MONTHLY', count: 1, timezone: 'UTC' };
const iso = (x: Date | null) => x?.toISOString() ?? null;

describe('application expiry', () => {
  it('NEVER: no expiry', () => {
    expect(applicationExpiry({ type: 'NEVER' }, d('2025-01-01T00:00:00Z'), sub)).toBeNull();
  });

  it('BILLING_CYCLE: the end of the billing period holding the period start (Jan 1 → Feb 1, Feb 1 → Mar 1)', () => {
    expect(iso(applicationExpiry({ type: 'BILLING_CYCLE' }, d('2025-01-01T00:00:00Z'), sub))).toBe('2025-02-01T00:00:00.000Z');
    expect(iso(applicationExpiry({ type: 'BILLING_CYCLE' }, d('2025-02-01T00:00:00Z'), sub))).toBe('2025-03-01T00:00:00.000Z');
    expect(iso(applicationExpiry({ type: 'BILLING_CYCLE' }, d('2025-02-14T12:00:00Z'), sub))).toBe('2025-03-01T00:00:00.000Z');
  });

  it('BILLING_CYCLE on a calendar subscription started mid-month: the short first period ends at the anchor', () => {
    const calendar = { ...sub, startDate: d('2025-04-15T09:30:00Z'), billingAnchor: d('2025-05-01T00:00:00Z') };
    expect(iso(applicationExpiry({ type: 'BILLING_CYCLE' }, d('2025-04-15T09:30:00Z'), calendar))).toBe('2025-05-01T00:00:00.000Z');
    expect(iso(applicationExpiry({ type: 'BILLING_CYCLE' }, d('2025-05-01T00:00:00Z'), calendar))).toBe('2025-06-01T00:00:00.000Z');
  });

  it('BILLING_CYCLE in a trial: the trial’s end; after it, periods from the trial end', () => {
    const trial = { ...sub, trialEnd: d('2025-01-15T00:00:00Z') };
    expect(iso(applicationExpiry({ type: 'BILLING_CYCLE' }, d('2025-01-01T00:00:00Z'), trial))).toBe('2025-01-15T00:00:00.000Z');
    expect(iso(applicationExpiry({ type: 'BILLING_CYCLE' }, d('2025-02-01T00:00:00Z'), trial))).toBe('2025-02-15T00:00:00.000Z');
    expect(subscriptionPeriodAt(d('2024-12-31T00:00:00Z'), trial)).toBeUndefined();
  });

  it('BILLING_CYCLE clips to the subscription’s end date', () => {
    const ending = { ...sub, endDate: d('2025-02-10T00:00:00Z') };
    expect(iso(applicationExpiry({ type: 'BILLING_CYCLE' }, d('2025-02-01T00:00:00Z'), ending))).toBe('2025-02-10T00:00:00.000Z');
  });

  it('caps an expiry past the year 9999 at its last instant', () => {
    expect(iso(applicationExpiry({ type: 'DURATION', duration: 10000, unit: 'YEAR' }, d('2025-01-01T00:00:00Z'), sub))).toBe('9999-12-31T23:59:59.999Z');
  });

  it('DURATION: calendar units from the period start on the subscription’s wall clock', () => {
    const start = d('2025-01-31T00:00:00Z');
    expect(iso(applicationExpiry({ type: 'DURATION', duration: 10, unit: 'DAY' }, start, sub))).toBe('2025-02-10T00:00:00.000Z');
    expect(iso(applicationExpiry({ type: 'DURATION', duration: 2, unit: 'WEEK' }, start, sub))).toBe('2025-02-14T00:00:00.000Z');
    expect(iso(applicationExpiry({ type: 'DURATION', duration: 1, unit: 'MONTH' }, start, sub))).toBe('2025-02-28T00:00:00.000Z'); // Jan 31 + 1 month, clamped
    expect(iso(applicationExpiry({ type: 'DURATION', duration: 1, unit: 'YEAR' }, d('2024-02-29T00:00:00Z'), sub))).toBe('2025-02-28T00:00:00.000Z');
    // Local midnight in New York stays local midnight across the March DST change.
    const ny = { ...sub, timezone: 'America/New_York' };
    expect(iso(applicationExpiry({ type: 'DURATION', duration: 1, unit: 'MONTH' }, d('2025-02-15T05:00:00Z'), ny))).toBe('2025-03-15T04:00:00.000Z');
  });
});
