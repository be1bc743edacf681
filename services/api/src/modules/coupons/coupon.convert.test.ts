import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.ts';
import { normalizeCouponCode, fromCreateCouponRequest, fromUpdateCouponRequest } from './coupon.convert.ts';

type Body = Parameters<typeof fromCreateCouponRequest>[0];

const problems = (body: Body): Record<string, unknown> | undefined => {
  try {
    fromCreateCouponRequest(body);
    return undefined;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return (e as AppError).details;
  }
};

describe('normalizeCouponCode', () => {
  it.each([
    ['  SPRING25 ', 'spring25'],
    ['Black-Friday', 'black-friday'],
    ['', null],
    ['   ', null],
    [undefined, null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeCouponCode(input)).toBe(expected);
  });
});

describe('fromCreateCouponRequest', () => {
  it('keeps only the discount value and currency the type uses', () => {
    expect(fromCreateCouponRequest({ name: 'P', type: 'percentage', cadence: 'forever', percentage_off: '100.000', currency: 'EUR' })).toMatchObject({
      amountOff: null,
      percentageOff: '100',
      currency: null,
      durationInPeriods: null,
    });
    expect(fromCreateCouponRequest({ name: 'F', type: 'fixed', cadence: 'repeated', duration_in_periods: 6, amount_off: ' 19.90 ', currency: 'EUR' })).toMatchObject({
      amountOff: '19.9',
      percentageOff: null,
      currency: 'eur',
      durationInPeriods: 6,
    });
  });

  it('compares percentage_off with 100 exactly, not as a float', () => {
    expect(problems({ name: 'P', type: 'percentage', cadence: 'once', percentage_off: '100.00000000000000000001' })).toEqual({
      percentage_off: 'must be at most 100',
    });
    expect(fromCreateCouponRequest({ name: 'P', type: 'percentage', cadence: 'once', percentage_off: '99.99999999999999999999' }).percentageOff).toBe(
      '99.99999999999999999999',
    );
  });

  it('refuses an amount_off finer than 20 decimal places', () => {
    expect(problems({ name: 'F', type: 'fixed', cadence: 'once', currency: 'usd', amount_off: '0.000000000000000000001' })).toEqual({
      amount_off: 'must have at most 20 digits after the decimal point',
    });
  });

  it('defaults rules to null, metadata to {}, and the window to open', () => {
    expect(fromCreateCouponRequest({ name: 'F', type: 'fixed', cadence: 'once', currency: 'usd', amount_off: 1 })).toEqual({
      name: 'F',
      type: 'fixed',
      cadence: 'once',
      amountOff: '1',
      percentageOff: null,
      currency: 'usd',
      durationInPeriods: null,
      maxRedemptions: null,
      redeemAfter: null,
      redeemBefore: null,
      couponCode: null,
      rules: null,
      metadata: {},
    });
  });
});

describe('fromUpdateCouponRequest', () => {
  it('passes name and metadata through and refuses a blank name', () => {
    expect(fromUpdateCouponRequest({ name: 'New', metadata: { a: 'b' } })).toEqual({ name: 'New', metadata: { a: 'b' } });
    expect(fromUpdateCouponRequest({})).toEqual({ name: undefined, metadata: undefined });
    expect(() => fromUpdateCouponRequest({ name: ' ' })).toThrow(/name must not be blank/);
  });
});
