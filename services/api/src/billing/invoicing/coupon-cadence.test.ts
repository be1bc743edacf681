import { describe, expect, it } from 'vitest';
import type { Period } from '../period/index.ts';
import { couponApplies, repeatedCouponEndDate, type CouponApplicability, type CouponPeriodUnit } from './coupon-cadence.ts';

const t = (iso: string) => new Date(`${iso}T00:00:00Z`);
const p = (start: string, end: string): Period => ({ start: t(start), end: t(end) });
const monthly: CouponPeriodUnit = { unit: 'MONTHLY', count: 1, timezone: 'UTC' };
const jan = p('2026-01-01', '2026-02-01');
const feb = p('2026-02-01', '2026-03-01');
const mar = p('2026-03-01', '2026-04-01');
const apr = p('2026-04-01', '2026-05-01');

describe('repeatedCouponEndDate: start + N billing periods − 1 s', () => {
  it.each<[string, string, number, CouponPeriodUnit, string]>([
    ['3 monthly periods from Jan 1', '2026-01-01T00:00:00Z', 3, monthly, '2026-03-31T23:59:59.000Z'],
    ['1 monthly period from Jan 31 (month-end clamps)', '2026-01-31T10:00:00Z', 1, monthly, '2026-02-28T09:59:59.000Z'],
    ['2 periods of MONTHLY × 3', '2026-01-15T00:00:00Z', 2, { unit: 'MONTHLY', count: 3, timezone: 'UTC' }, '2026-07-14T23:59:59.000Z'],
    ['2 weekly periods', '2026-01-07T00:00:00Z', 2, { unit: 'WEEKLY', count: 1, timezone: 'UTC' }, '2026-01-20T23:59:59.000Z'],
    ['1 annual period in Kolkata', '2026-01-01T18:30:00Z', 1, { unit: 'ANNUAL', count: 1, timezone: 'Asia/Kolkata' }, '2027-01-01T18:29:59.000Z'],
  ])('%s', (_case, start, n, unit, end) => {
    expect(repeatedCouponEndDate(new Date(start), n, unit).toISOString()).toBe(end);
  });

  it('refuses a duration of 0', () => {
    expect(() => repeatedCouponEndDate(t('2026-01-01'), 0, monthly)).toThrow(RangeError);
  });
});

describe('couponApplies: the documented cadence, decided from dates and earlier applications', () => {
  const base = { association: { startDate: t('2026-01-01') }, subscriptionPeriod: monthly };
  it.each<[string, Omit<CouponApplicability, 'subscriptionPeriod'>, boolean]>([
    ['once: the first invoice of the association', { ...base, cadence: 'once', invoicePeriod: jan, priorApplications: 0 }, true],
    ['once: never a second time', { ...base, cadence: 'once', invoicePeriod: feb, priorApplications: 1 }, false],
    ['once: not before the association starts', { cadence: 'once', association: { startDate: t('2026-03-15') }, invoicePeriod: jan, priorApplications: 0 }, false],
    ['forever: every invoice while active', { ...base, cadence: 'forever', invoicePeriod: p('2030-06-01', '2030-07-01'), priorApplications: 53 }, true],
    ['forever: not after the association ended', { cadence: 'forever', association: { startDate: t('2026-01-01'), endDate: t('2026-02-15') }, invoicePeriod: mar, priorApplications: 2 }, false],
    ['forever: an association ending inside the period still applies', { cadence: 'forever', association: { startDate: t('2026-01-01'), endDate: t('2026-02-15') }, invoicePeriod: feb, priorApplications: 2 }, true],
    ['an association starting exactly at the period end applies (it covers the ADVANCE charges billed then)', { cadence: 'forever', association: { startDate: t('2026-02-01') }, invoicePeriod: jan, priorApplications: 0 }, true],
    ['repeated × 3 from Jan 1: March’s invoice', { ...base, cadence: 'repeated', durationInPeriods: 3, invoicePeriod: mar, priorApplications: 5 }, true],
    ['repeated × 3 from Jan 1: not April’s (ended Mar 31 23:59:59), whatever was counted', { ...base, cadence: 'repeated', durationInPeriods: 3, invoicePeriod: apr, priorApplications: 0 }, false],
    ['repeated with an explicit end date uses it', { cadence: 'repeated', durationInPeriods: 3, association: { startDate: t('2026-01-01'), endDate: t('2026-04-10') }, invoicePeriod: apr, priorApplications: 3 }, true],
  ])('%s', (_case, input, applies) => {
    expect(couponApplies({ subscriptionPeriod: monthly, ...input })).toBe(applies);
  });

  it('refuses a repeated coupon with neither an end date nor a duration', () => {
    expect(() => couponApplies({ cadence: 'repeated', association: { startDate: t('2026-01-01') }, invoicePeriod: jan, priorApplications: 0 })).toThrow(RangeError);
  });
});
