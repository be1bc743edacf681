import { describe, expect, it } from 'vitest';
import { bucketedCost } from './bucketed.ts';
import { PricingError } from './errors.ts';
import { costOf, problemsOf } from './pricing.test-helper.ts';
import { readPrice, type PriceDefinition, type PriceTier, type TierMode } from './rated-price.ts';

const referenceTiers: PriceTier[] = [
  { up_to: 1000, unit_amount: '0.10' },
  { up_to: 5000, unit_amount: '0.08', flat_amount: '10' },
  { up_to: null, unit_amount: '0.05' },
];
const tiered = (tierMode: TierMode): PriceDefinition => ({ currency: 'usd', billingModel: 'TIERED', billingPeriodCount: 1, tierMode, tiers: referenceTiers });
const flatFee = (amount: string, currency = 'usd'): PriceDefinition => ({ currency, billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount });
const perHundred: PriceDefinition = { currency: 'usd', billingModel: 'PACKAGE', billingPeriodCount: 1, amount: '5', transformQuantity: { divide_by: 100 } };

describe('bucketedCost: each bucket priced on its own, summed, rounded once', () => {
  it.each<[string, PriceDefinition, string[], string, string]>([
    // [case, price, buckets, exact, amount]
    ['flat fee with empty buckets', flatFee('0.10'), ['0', '5', '0'], '0.5', '0.5'],
    ['package per bucket: 1 + 2 + 2 + 1 packages', perHundred, ['50', '150', '200', '99'], '30', '30'],
    ['VOLUME per bucket (100 + 90.08), not on the total', tiered('VOLUME'), ['1000', '1001'], '190.08', '190.08'],
    ['SLAB restarts in each bucket (480 + 480)', tiered('SLAB'), ['6000', '6000'], '960', '960'],
    ['an empty bucket reaches no tier and no flat amount', tiered('SLAB'), ['0', '1001'], '110.08', '110.08'],
    ['no buckets', tiered('SLAB'), [], '0', '0'],
    ['rounding once: three buckets of $0.004', flatFee('0.004'), ['1', '1', '1'], '0.012', '0.01'],
    ['rounding once: two half cents make a cent', flatFee('0.005'), ['1', '1'], '0.01', '0.01'],
    ['rounding once in jpy', flatFee('0.4', 'jpy'), ['1', '1', '1'], '1.2', '1'],
    ['fractional buckets', flatFee('2'), ['0.25', '1.5'], '3.5', '3.5'],
  ])('%s', (_case, price, buckets, exact, amount) => {
    const cost = bucketedCost(readPrice(price), buckets);
    expect(cost.exactAmount).toBe(exact);
    expect(cost.amount).toBe(amount);
    expect(cost.buckets.map((b) => b.quantity)).toEqual(buckets);
  });

  it('differs from pricing the total, as the reference warns for VOLUME', () => {
    expect(costOf(tiered('VOLUME'), '2001').amount).toBe('170.08');
    expect(bucketedCost(readPrice(tiered('VOLUME')), ['1000', '1001']).amount).toBe('190.08');
  });

  it('reports each bucket’s exact cost', () => {
    expect(bucketedCost(readPrice(tiered('VOLUME')), ['1000', '1001', '0'])).toEqual({
      currency: 'usd',
      billingModel: 'TIERED',
      amount: '190.08',
      exactAmount: '190.08',
      buckets: [
        { quantity: '1000', exactAmount: '100' },
        { quantity: '1001', exactAmount: '90.08' },
        { quantity: '0', exactAmount: '0' },
      ],
    });
  });

  it('names every bad bucket', () => {
    expect(problemsOf(() => bucketedCost(readPrice(flatFee('1')), ['1', '-2', 'x']))).toEqual([
      ['invalid_quantity', 'buckets[1]'],
      ['invalid_quantity', 'buckets[2]'],
    ]);
  });

  it('refuses a price it cannot bill, even with no buckets', () => {
    expect(() => bucketedCost(readPrice({ currency: 'usd', billingModel: 'TIERED', billingPeriodCount: 1, tiers: referenceTiers }), [])).toThrow(PricingError);
  });
});
