import { describe, expect, it } from 'vitest';
import { customUnitCost, fiatAmountOf, lineItemPriceUnitAmount, toFiatPrice } from './custom-unit.ts';
import { PricingError } from './errors.ts';
import { priceCost } from './price-cost.ts';
import { parsePrice, readPrice, type CustomUnitPriceDefinition } from './rated-price.ts';

/** Every problem `parsePrice` finds in a custom-unit price. */
const customUnitPriceProblems = (price: CustomUnitPriceDefinition) => {
  const parsed = parsePrice(price);
  return parsed.ok ? [] : parsed.problems;
};

/** 1 credit = $0.015. */
const inCredits = (overrides: Partial<CustomUnitPriceDefinition>): CustomUnitPriceDefinition => ({
  currency: 'usd',
  billingModel: 'FLAT_FEE',
  billingPeriodCount: 1,
  priceUnit: 'cre',
  conversionRate: '0.015',
  priceUnitAmount: '0.5',
  ...overrides,
});

const creditTiers = [
  { up_to: 100, unit_amount: '1' },
  { up_to: null, unit_amount: '0.5', flat_amount: '10' },
];

describe('toFiatPrice: unit prices × conversion_rate, exact (docs/flexprice-compatibility.md#custom-price-units)', () => {
  it('converts the amount without rounding it', () => {
    expect(toFiatPrice(inCredits({ priceUnitAmount: '0.01' }))).toEqual({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount: '0.00015', tiers: undefined });
  });

  it('converts every tier’s unit and flat amount', () => {
    const fiat = toFiatPrice(inCredits({ billingModel: 'TIERED', tierMode: 'SLAB', priceUnitAmount: undefined, priceUnitTiers: creditTiers }));
    expect(fiat.tiers).toEqual([
      { up_to: 100, unit_amount: '0.015' },
      { up_to: null, unit_amount: '0.0075', flat_amount: '0.15' },
    ]);
    expect(fiat.tierMode).toBe('SLAB');
  });

  it('keeps the package transform', () => {
    const fiat = toFiatPrice(inCredits({ billingModel: 'PACKAGE', priceUnitAmount: '100', transformQuantity: { divide_by: 1000 } }));
    expect(fiat).toMatchObject({ amount: '1.5', transformQuantity: { divide_by: 1000 } });
  });

  it.each<[string, string, string]>([
    ['100', '0.01', '1'],
    ['0.00015', '0.015', '0.00000225'],
    ['3', '1.333333333333333333', '3.999999999999999999'],
  ])('fiatAmountOf(%s, %s) = %s', (unit, rate, fiat) => {
    expect(fiatAmountOf(unit, rate)).toBe(fiat);
  });
});

describe('customUnitCost: the unit cost exact, the fiat line rounded once', () => {
  it('prices 1,000 calls at 0.5 credits: 500 credits, $7.5', () => {
    expect(customUnitCost(readPrice(inCredits({})), '1000')).toEqual({
      currency: 'usd',
      billingModel: 'FLAT_FEE',
      tierMode: null,
      quantity: '1000',
      amount: '7.5',
      exactAmount: '7.5',
      tiers: [],
      packages: null,
      priceUnit: 'cre',
      conversionRate: '0.015',
      priceUnitAmount: '500',
      priceUnitTiers: [],
    });
  });

  it.each<[string, string, string, string, string]>([
    // [unit amount, quantity, unit cost, fiat exact, fiat rounded]
    ['0.3', '1', '0.3', '0.0045', '0'],
    ['0.3', '3', '0.9', '0.0135', '0.01'],
    ['0.3', '100', '30', '0.45', '0.45'],
    ['1', '1', '1', '0.015', '0.02'], // half a cent, away from zero
    ['0.5', '1000000000000000', '500000000000000', '7500000000000', '7500000000000'],
  ])('%s credits × %s = %s credits = $%s → $%s', (unitAmount, quantity, unitCost, exact, amount) => {
    const cost = customUnitCost(readPrice(inCredits({ priceUnitAmount: unitAmount })), quantity);
    expect([cost.priceUnitAmount, cost.exactAmount, cost.amount]).toEqual([unitCost, exact, amount]);
  });

  it('breaks tiered prices down in both the unit and fiat', () => {
    const cost = customUnitCost(readPrice(inCredits({ billingModel: 'TIERED', tierMode: 'SLAB', priceUnitAmount: undefined, priceUnitTiers: creditTiers })), '300');
    expect(cost.priceUnitAmount).toBe('210'); // 100 × 1 + 200 × 0.5 + 10
    expect(cost.exactAmount).toBe('3.15');
    expect(cost.amount).toBe('3.15');
    expect(cost.priceUnitTiers.map((t) => t.amount)).toEqual(['100', '110']);
    expect(cost.tiers.map((t) => t.amount)).toEqual(['1.5', '1.65']);
  });

  it('bills the same as the stored fiat price', () => {
    const price = inCredits({ billingModel: 'PACKAGE', priceUnitAmount: '7', transformQuantity: { divide_by: 3, round: 'up' } });
    const { priceUnit: _u, conversionRate: _r, priceUnitAmount: _a, priceUnitTiers: _t, ...fiatFields } = customUnitCost(readPrice(price), '10');
    expect(fiatFields).toEqual(priceCost(readPrice(toFiatPrice(price)), '10'));
  });

  it('rounds the fiat amount to a zero-decimal base currency', () => {
    expect(customUnitCost(readPrice(inCredits({ currency: 'jpy', conversionRate: '1.5', priceUnitAmount: '1' })), '3').amount).toBe('5'); // 4.5 → 5
  });
});

describe('lineItemPriceUnitAmount: the invoice line’s price_unit_amount (docs/flexprice-compatibility.md#custom-price-units)', () => {
  it.each<[string, string, string, string]>([
    ['7.5', '0.015', 'usd', '500'],
    ['10', '0.03', 'usd', '333.33'],
    ['20', '0.03', 'usd', '666.67'],
    ['10', '3', 'jpy', '3'],
    ['1.001', '0.007', 'kwd', '143'],
  ])('%s %s at rate %s → %s units', (fiat, rate, currency, units) => {
    expect(lineItemPriceUnitAmount(fiat, rate, currency)).toBe(units);
  });
});

describe('custom-unit refusals', () => {
  it.each<[string, Partial<CustomUnitPriceDefinition>, [string, string][]]>([
    ['a zero conversion rate', { conversionRate: '0' }, [['invalid_conversion_rate', 'conversion_rate']]],
    ['a negative conversion rate', { conversionRate: '-0.5' }, [['invalid_conversion_rate', 'conversion_rate']]],
    ['a price unit code that is not 3 characters', { priceUnit: 'credits' }, [['invalid_price_unit', 'price_unit']]],
    ['no price_unit_amount on a FLAT_FEE price', { priceUnitAmount: undefined }, [['missing_amount', 'price_unit_amount']]],
    ['a bad unit tier', { billingModel: 'TIERED', tierMode: 'VOLUME', priceUnitTiers: [{ unit_amount: '-1' }] }, [['invalid_amount', 'price_unit_tiers[0].unit_amount']]],
    ['TIERED without tier_mode', { billingModel: 'TIERED', priceUnitTiers: creditTiers }, [['missing_tier_mode', 'tier_mode']]],
  ])('refuses %s', (_case, overrides, expected) => {
    const price = inCredits(overrides);
    expect(customUnitPriceProblems(price).map((p) => [p.kind, p.field])).toEqual(expected);
    expect(() => customUnitCost(readPrice(price), '1')).toThrow(PricingError);
  });

  it('refuses a conversion rate of 0 when converting amounts or lines', () => {
    expect(() => fiatAmountOf('1', '0')).toThrow(PricingError);
    expect(() => lineItemPriceUnitAmount('1', '0', 'usd')).toThrow(PricingError);
  });
});
