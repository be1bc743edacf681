import { describe, expect, it } from 'vitest';
import { couponDiscount, sequentialCouponDiscounts, type CouponDefinition } from './coupon-discount.ts';
import { PricingError } from './errors.ts';
import { problemsOf } from './pricing.test-helper.ts';

const percent = (percentageOff: string): CouponDefinition => ({ type: 'percentage', percentageOff });
const fixed = (amountOff: string, currency?: string): CouponDefinition => ({ type: 'fixed', amountOff, currency });

describe('couponDiscount', () => {
  it.each<[string, CouponDefinition, string, string, string, string]>([
    // [case, coupon, amount, currency, discount, final]
    ['FlexPrice\'s totals example: 25% line coupon on $80 usage', percent('25'), '80', 'usd', '20', '60'],
    ['then a $10 invoice coupon on the $80 left', fixed('10', 'usd'), '80', 'usd', '10', '70'],
    ['fixed never exceeds the amount', fixed('100'), '30', 'usd', '30', '0'],
    ['20% of $99.99: 19.998 rounds to $20', percent('20'), '99.99', 'usd', '20', '79.99'],
    ['$10 off a $5 amount is capped at $5', fixed('10', 'usd'), '5', 'usd', '5', '0'],
    ['12.5% of ¥999: 124.875 rounds half up to ¥125', percent('12.5'), '999', 'jpy', '125', '874'],
    ['a fixed yen coupon with a fraction rounds to whole yen', fixed('100.5', 'jpy'), '1000', 'jpy', '101', '899'],
    ['100% takes everything', percent('100'), '12.34', 'usd', '12.34', '0'],
    ['0% takes nothing', percent('0'), '12.34', 'usd', '0', '12.34'],
    ['percentage rounded to cents', percent('33.33'), '10', 'usd', '3.33', '6.67'],
    ['half a cent rounds away from zero', percent('12.5'), '0.2', 'usd', '0.03', '0.17'],
    ['fixed amount_off finer than cents is rounded', fixed('10.005'), '50', 'usd', '10.01', '39.99'],
    ['jpy has no decimals', percent('15'), '999', 'jpy', '150', '849'],
    ['kwd has three', percent('12.5'), '1.001', 'kwd', '0.125', '0.876'],
    ['clf has four', percent('50'), '0.0003', 'clf', '0.0002', '0.0001'],
    ['zero amount', percent('50'), '0', 'usd', '0', '0'],
    ['a negative amount gets no discount', fixed('10'), '-5', 'usd', '0', '-5'],
    ['a fixed coupon without currency applies to any currency', fixed('500'), '1200', 'jpy', '500', '700'],
    ['currency matching is case-insensitive', fixed('5', 'USD'), '20', 'usd', '5', '15'],
    ['huge amounts stay exact', percent('10'), '123456789012345678901234.56', 'usd', '12345678901234567890123.46', '111111110111111111011111.1'],
  ])('%s', (_case, coupon, amount, currency, discount, finalAmount) => {
    expect(couponDiscount(coupon, amount, currency)).toEqual({ currency: currency.toLowerCase(), amount, discount, finalAmount });
  });

  it.each<[string, CouponDefinition, string, string, [string, string][]]>([
    ['percentage over 100', percent('100.01'), '10', 'usd', [['invalid_coupon', 'percentage_off']]],
    ['negative percentage', percent('-1'), '10', 'usd', [['invalid_coupon', 'percentage_off']]],
    ['percentage coupon without percentage_off', { type: 'percentage' }, '10', 'usd', [['invalid_coupon', 'percentage_off']]],
    ['fixed coupon without amount_off', { type: 'fixed' }, '10', 'usd', [['invalid_coupon', 'amount_off']]],
    ['negative amount_off', fixed('-1'), '10', 'usd', [['invalid_coupon', 'amount_off']]],
    ['unknown coupon type', { type: 'bogo' as 'fixed' }, '10', 'usd', [['invalid_coupon', 'type']]],
    ['fixed coupon in another currency', fixed('5', 'eur'), '10', 'usd', [['currency_mismatch', 'currency']]],
    ['an unrounded amount', percent('10'), '10.005', 'usd', [['invalid_amount', 'amount']]],
    ['fractional yen', percent('10'), '10.5', 'jpy', [['invalid_amount', 'amount']]],
    ['a non-decimal amount', percent('10'), 'ten', 'usd', [['invalid_decimal', 'amount']]],
  ])('refuses %s', (_case, coupon, amount, currency, expected) => {
    expect(problemsOf(() => couponDiscount(coupon, amount, currency))).toEqual(expected);
  });
});

describe('sequentialCouponDiscounts: each coupon on what the previous left (docs/flexprice-compatibility.md#coupon-discounts)', () => {
  it('takes $10 then $9 off $100 with two 10% coupons', () => {
    const result = sequentialCouponDiscounts([percent('10'), percent('10')], '100', 'usd');
    expect(result.discounts.map((d) => [d.amount, d.discount])).toEqual([
      ['100', '10'],
      ['90', '9'],
    ]);
    expect(result.totalDiscount).toBe('19');
    expect(result.finalAmount).toBe('81');
  });

  it('stops at zero: a fixed coupon larger than what remains takes only the rest', () => {
    const result = sequentialCouponDiscounts([fixed('70'), fixed('50'), percent('50')], '100', 'usd');
    expect(result.discounts.map((d) => d.discount)).toEqual(['70', '30', '0']);
    expect(result.totalDiscount).toBe('100');
    expect(result.finalAmount).toBe('0');
  });

  it('with no coupons leaves the amount as it is', () => {
    expect(sequentialCouponDiscounts([], '42.5', 'usd')).toEqual({ discounts: [], totalDiscount: '0', finalAmount: '42.5' });
    expect(() => sequentialCouponDiscounts([], '42.505', 'usd')).toThrow(PricingError);
  });
});
