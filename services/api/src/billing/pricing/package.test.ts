import { describe, expect, it } from 'vitest';
import { costOf, problemsOf } from './pricing.test-helper.ts';
import type { PriceDefinition } from './rated-price.ts';

const packagePrice = (amount: string, divideBy: number, round?: 'up' | 'down' | null, currency = 'usd'): PriceDefinition => ({
  currency,
  billingModel: 'PACKAGE',
  billingPeriodCount: 1,
  amount,
  transformQuantity: round === undefined ? { divide_by: divideBy } : { divide_by: divideBy, round },
});

describe('PACKAGE: bundles of divide_by units, rounded up by default', () => {
  it.each<[string, string, number, 'up' | 'down' | null | undefined, string, string, string]>([
    // [case, amount, divide_by, round, quantity, packages, amount]
    ['FlexPrice\'s example: $5 per 1,000 emails, 2,500 emails → ceil(2.5) = 3', '5', 1000, undefined, '2500', '3', '15'],
    ['the same, rounded down → 2', '5', 1000, 'down', '2500', '2', '10'],
    ['1 email → one package', '5', 1000, undefined, '1', '1', '5'],
    ['explicit round up', '5', 1000, 'up', '2500', '3', '15'],
    ['round null means up', '5', 1000, null, '2500', '3', '15'],
    ['quantity 0 buys nothing', '5', 1000, undefined, '0', '0', '0'],
    ['exactly one package', '5', 1000, undefined, '1000', '1', '5'],
    ['one unit past the package boundary', '5', 1000, undefined, '1001', '2', '10'],
    ['one unit past, rounded down', '5', 1000, 'down', '1001', '1', '5'],
    ['below one package, rounded down → 0', '5', 1000, 'down', '999.9', '0', '0'],
    ['fractional quantity, rounded up', '5', 1000, undefined, '1000.5', '2', '10'],
    ['fractional quantity, tiny remainder', '5', 1000, undefined, '2000.000000000000000001', '3', '15'],
    ['divide_by 1 with a fractional quantity', '2', 1, undefined, '2.1', '3', '6'],
    ['huge quantity', '5', 1000, undefined, '1000000000000000', '1000000000000', '5000000000000'],
    ['huge quantity, one over', '5', 1000, undefined, '1000000000000001', '1000000000001', '5000000000005'],
    ['package amount with many decimals', '0.333333333333', 100, undefined, '250', '3', '1'],
  ])('%s', (_case, amount, divideBy, round, quantity, packages, total) => {
    const cost = costOf(packagePrice(amount, divideBy, round), quantity);
    expect(cost.packages).toEqual({ divideBy, round: round ?? 'up', packages });
    expect(cost.amount).toBe(total);
    expect(cost.tiers).toEqual([]);
  });

  it('keeps the exact cost beside the rounded one', () => {
    const cost = costOf(packagePrice('0.333333333333', 100), '250');
    expect(cost.exactAmount).toBe('0.999999999999');
    expect(cost.amount).toBe('1');
  });

  it('rounds to zero- and three-decimal currencies', () => {
    expect(costOf(packagePrice('150.5', 10, 'up', 'jpy'), '11').amount).toBe('301');
    expect(costOf(packagePrice('0.1235', 10, 'up', 'kwd'), '11').amount).toBe('0.247');
  });

  it('accepts a stored round of "" as the default, up', () => {
    const price = { ...packagePrice('5', 1000), transformQuantity: { divide_by: 1000, round: '' as unknown as 'up' } };
    expect(costOf(price, '2500').amount).toBe('15');
  });

  it.each<[string, PriceDefinition, string]>([
    ['transform_quantity missing', { currency: 'usd', billingModel: 'PACKAGE', billingPeriodCount: 1, amount: '5' }, 'transform_quantity'],
    ['divide_by 0', packagePrice('5', 0), 'transform_quantity.divide_by'],
    ['divide_by fractional', packagePrice('5', 2.5), 'transform_quantity.divide_by'],
    ['unknown round', packagePrice('5', 10, 'sideways' as 'up'), 'transform_quantity.round'],
    ['amount missing', { currency: 'usd', billingModel: 'PACKAGE', billingPeriodCount: 1, transformQuantity: { divide_by: 10 } }, 'amount'],
  ])('refuses a PACKAGE price with %s', (_case, price, field) => {
    expect(problemsOf(() => costOf(price, '10')).map(([, problemField]) => problemField)).toEqual([field]);
  });
});
