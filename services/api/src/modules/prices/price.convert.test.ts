import { describe, expect, it } from 'vitest';
import { fromUpdatePriceRequest, readCreatePrice, tiersOf } from './price.convert.ts';

const base = {
  entity_type: 'PLAN' as const,
  entity_id: 'plan_1',
  type: 'FIXED' as const,
  currency: 'USD',
  billing_period: 'MONTHLY' as const,
  billing_period_count: 1,
  billing_model: 'FLAT_FEE' as const,
  invoice_cadence: 'ADVANCE' as const,
  amount: '12.50',
};

describe('readCreatePrice', () => {
  it('canonicalises amounts and lower-cases the currency', () => {
    const { value: price, problems: errors } = readCreatePrice(base);
    expect(errors).toEqual({});
    expect(price).toMatchObject({ amount: '12.5', currency: 'usd', priceUnitType: 'FIAT', tiers: null, tierMode: null });
  });

  it('prefixes every problem for bulk items', () => {
    const { problems: errors } = readCreatePrice({ ...base, amount: '-1', billing_period: 'ONETIME', invoice_cadence: 'ARREAR' }, 'items[4].');
    expect(Object.keys(errors).sort()).toEqual(['items[4].amount', 'items[4].invoice_cadence']);
  });

  it('names a missing tier_mode on a TIERED price (FlexPrice would price it at 0)', () => {
    const { problems: errors } = readCreatePrice({ ...base, amount: undefined, billing_model: 'TIERED', tiers: [{ unit_amount: '1' }] });
    expect(Object.keys(errors)).toEqual(['tier_mode']);
  });

  it('names custom-unit amount problems under price_unit_config', () => {
    const { problems: errors } = readCreatePrice({ ...base, amount: undefined, price_unit_type: 'CUSTOM', price_unit_config: { price_unit: 'crd' } });
    expect(Object.keys(errors)).toEqual(['price_unit_config.amount']);
  });
});

describe('tiersOf', () => {
  it('keeps ascending tiers with one open last tier', () => {
    const errors = {};
    expect(tiersOf([{ up_to: 10, unit_amount: '1.0' }, { unit_amount: 0.5, flat_amount: '2' }], 'tiers', errors)).toEqual([
      { up_to: 10, unit_amount: '1' },
      { up_to: null, unit_amount: '0.5', flat_amount: '2' },
    ]);
    expect(errors).toEqual({});
  });

  it('names an equal or descending bound and an open tier before the last', () => {
    const errors = {};
    tiersOf([{ unit_amount: '1' }, { up_to: 10, unit_amount: '1' }, { up_to: 10, unit_amount: '1' }], 'tiers', errors);
    expect(Object.keys(errors).sort()).toEqual(['tiers[0].up_to', 'tiers[2].up_to']);
  });
});

describe('fromUpdatePriceRequest', () => {
  it('lists the critical fields named and refuses effective_from without one', () => {
    expect(fromUpdatePriceRequest({ amount: '5', tier_mode: 'SLAB' }).critical).toEqual(['amount', 'tier_mode']);
    expect(fromUpdatePriceRequest({ description: 'x' }).critical).toEqual([]);
    expect(() => fromUpdatePriceRequest({ effective_from: '2030-01-01T00:00:00Z' })).toThrow(/effective_from/);
  });
});
