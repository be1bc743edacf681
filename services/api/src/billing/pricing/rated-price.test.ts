import { describe, expect, it } from 'vitest';
import { formatDecimal } from '../money/index.ts';
import { parsePrice, tierListingProblems, type PriceTier } from './rated-price.ts';

const tiers: PriceTier[] = [
  { up_to: 100, unit_amount: '1' },
  { up_to: null, unit_amount: '0.5', flat_amount: '10' },
];

describe('parsePrice: one reading of a price', () => {
  it('reads a custom-unit price in its unit and in fiat, exactly', () => {
    const parsed = parsePrice({ currency: 'USD', billingModel: 'TIERED', billingPeriodCount: 1, tierMode: 'SLAB', priceUnit: 'cre', conversionRate: '0.015', priceUnitTiers: tiers });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const { price } = parsed;
    expect([price.currency, price.precision, price.customUnit?.priceUnit, formatDecimal(price.customUnit!.conversionRate)]).toEqual(['usd', 2, 'cre', '0.015']);
    expect(price.tiers.map((t) => [formatDecimal(t.unitAmount), formatDecimal(t.flatAmount)])).toEqual([
      ['0.015', '0'],
      ['0.0075', '0.15'],
    ]);
    expect(price.customUnit!.price.tiers.map((t) => [formatDecimal(t.unitAmount), formatDecimal(t.flatAmount)])).toEqual([
      ['1', '0'],
      ['0.5', '10'],
    ]);
  });

  it('names a custom-unit price’s problems after its own fields, all at once', () => {
    const parsed = parsePrice({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: 1, priceUnit: 'credits', conversionRate: '0', priceUnitAmount: '-1' });
    expect(parsed.ok ? [] : parsed.problems.map((p) => [p.kind, p.field])).toEqual([
      ['invalid_price_unit', 'price_unit'],
      ['invalid_conversion_rate', 'conversion_rate'],
      ['invalid_amount', 'price_unit_amount'],
    ]);
  });
});

describe('tierListingProblems: tiers as a request must list them', () => {
  it.each<[string, PriceTier[], Array<[string, string]>]>([
    ['ascending, the last one open', tiers, []],
    ['a single open tier', [{ unit_amount: '1' }], []],
    ['no open tier (parsePrice refuses that)', [{ up_to: 5, unit_amount: '1' }], []],
    ['an open tier before the last', [{ unit_amount: '1' }, { up_to: 5, unit_amount: '1' }], [['tiers[0].up_to', 'is required on every tier but the last (only the last tier may be open)']]],
    ['a bound equal to the one before', [{ up_to: 5, unit_amount: '1' }, { up_to: 5, unit_amount: '1' }, { unit_amount: '1' }], [['tiers[1].up_to', "must be greater than the previous tier's up_to (5); tiers are listed in ascending order"]]],
    ['a descending bound', [{ up_to: 10, unit_amount: '1' }, { up_to: 5, unit_amount: '1' }, { unit_amount: '1' }], [['tiers[1].up_to', "must be greater than the previous tier's up_to (10); tiers are listed in ascending order"]]],
  ])('%s', (_case, listed, expected) => {
    expect(tierListingProblems(listed).map((p) => [p.field, p.message])).toEqual(expected);
  });

  it('names the tiers after the list it is given', () => {
    expect(tierListingProblems([{ unit_amount: '1' }, { unit_amount: '2' }], 'price_unit_config.price_unit_tiers').map((p) => p.field)).toEqual(['price_unit_config.price_unit_tiers[0].up_to']);
  });
});
