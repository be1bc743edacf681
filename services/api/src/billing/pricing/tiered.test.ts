import { describe, expect, it } from 'vitest';
import { costOf, problemsOf } from './pricing.test-helper.ts';
import type { PriceDefinition, PriceTier, TierMode } from './rated-price.ts';

/** FlexPrice's tiered example (docs/flexprice-compatibility.md#price-math): up to 1,000 at $0.10; up to 5,000 at $0.08 + $10 flat; beyond at $0.05. */
const referenceTiers: PriceTier[] = [
  { up_to: 1000, unit_amount: '0.10' },
  { up_to: 5000, unit_amount: '0.08', flat_amount: '10' },
  { up_to: null, unit_amount: '0.05' },
];

const tiered = (tierMode: TierMode, tiers: readonly PriceTier[] = referenceTiers, currency = 'usd'): PriceDefinition => ({
  currency,
  billingModel: 'TIERED',
  billingPeriodCount: 1,
  tierMode,
  tiers,
});

describe('TIERED VOLUME: the tier containing the quantity prices every unit', () => {
  it.each<[string, string, string, number | null]>([
    // [quantity, amount, exact, tier index or null when no tier is reached]
    ['1000', '100', '100', 0], // FlexPrice's worked example
    ['1001', '90.08', '90.08', 1], // 1001 × 0.08 + 10
    ['6000', '300', '300', 2], 
    ['0', '0', '0', null], // quantity 0: no tier, no flat amount
    ['1', '0.1', '0.1', 0],
    ['999', '99.9', '99.9', 0],
    ['1000.5', '90.04', '90.04', 1], // fractional, just past the inclusive boundary
    ['1000.001', '90', '90.00008', 1], // 1000.001 × 0.08 + 10
    ['5000', '410', '410', 1], // exactly on the second boundary: inclusive
    ['5001', '250.05', '250.05', 2], // one unit past it
    ['0.5', '0.05', '0.05', 0],
    ['0.05', '0.01', '0.005', 0], // half a cent rounds away from zero
    ['1000000000000000', '50000000000000', '50000000000000', 2],
  ])('q = %s → %s', (quantity, amount, exact, tierIndex) => {
    const cost = costOf(tiered('VOLUME'), quantity);
    expect(cost.amount).toBe(amount);
    expect(cost.exactAmount).toBe(exact);
    expect(cost.tiers.map((t) => t.tierIndex)).toEqual(tierIndex === null ? [] : [tierIndex]);
  });

  it('breaks the cost down to the one tier used', () => {
    expect(costOf(tiered('VOLUME'), '1001').tiers).toEqual([
      { tierIndex: 1, from: '1000', to: '5000', quantity: '1001', unitAmount: '0.08', flatAmount: '10', amount: '90.08' },
    ]);
    expect(costOf(tiered('VOLUME'), '6000').tiers).toEqual([
      { tierIndex: 2, from: '5000', to: null, quantity: '6000', unitAmount: '0.05', flatAmount: '0', amount: '300' },
    ]);
  });
});

describe('TIERED SLAB: each tier prices the units within it', () => {
  it.each<[string, string, string, number]>([
    // [quantity, amount, exact, tiers reached]
    ['6000', '480', '480', 3], // 100 + (320 + 10) + 50
    ['1000', '100', '100', 1], // exactly on the first boundary
    ['1001', '110.08', '110.08', 2], // one unit past: 100 + 0.08 + 10 flat
    ['0', '0', '0', 0],
    ['1', '0.1', '0.1', 1],
    ['1000.5', '110.04', '110.04', 2], // fractional unit split at the boundary
    ['5000', '430', '430', 2],
    ['5001', '430.05', '430.05', 3],
    ['0.05', '0.01', '0.005', 1],
    ['1000000000000000', '50000000000180', '50000000000180', 3], // 100 + 330 + (1e15 − 5000) × 0.05
  ])('q = %s → %s', (quantity, amount, exact, reached) => {
    const cost = costOf(tiered('SLAB'), quantity);
    expect(cost.amount).toBe(amount);
    expect(cost.exactAmount).toBe(exact);
    expect(cost.tiers).toHaveLength(reached);
  });

  it('breaks the 6,000 units of FlexPrice’s example down per tier', () => {
    expect(costOf(tiered('SLAB'), '6000')).toEqual({
      currency: 'usd',
      billingModel: 'TIERED',
      tierMode: 'SLAB',
      quantity: '6000',
      amount: '480',
      exactAmount: '480',
      packages: null,
      tiers: [
        { tierIndex: 0, from: '0', to: '1000', quantity: '1000', unitAmount: '0.1', flatAmount: '0', amount: '100' },
        { tierIndex: 1, from: '1000', to: '5000', quantity: '4000', unitAmount: '0.08', flatAmount: '10', amount: '330' },
        { tierIndex: 2, from: '5000', to: null, quantity: '1000', unitAmount: '0.05', flatAmount: '0', amount: '50' },
      ],
    });
  });

  it('adds a flat amount only for tiers that receive units', () => {
    const withFlats: PriceTier[] = [
      { up_to: 10, unit_amount: '0', flat_amount: '5' },
      { up_to: 20, unit_amount: '1', flat_amount: '7' },
      { up_to: null, unit_amount: '2', flat_amount: '9' },
    ];
    expect(costOf(tiered('SLAB', withFlats), '10').amount).toBe('5');
    expect(costOf(tiered('SLAB', withFlats), '11').amount).toBe('13');
    expect(costOf(tiered('SLAB', withFlats), '21').amount).toBe('33');
  });

  it('keeps tier amounts exact so they add up to the exact cost', () => {
    const fine: PriceTier[] = [
      { up_to: 3, unit_amount: '0.0033' },
      { up_to: null, unit_amount: '0.00101', flat_amount: '0.004' },
    ];
    const cost = costOf(tiered('SLAB', fine), '7');
    expect(cost.tiers.map((t) => t.amount)).toEqual(['0.0099', '0.00804']);
    expect(cost.exactAmount).toBe('0.01794');
    expect(cost.amount).toBe('0.02');
  });
});

describe('TIERED, both modes', () => {
  it('sorts tiers by up_to, open tier last, as FlexPrice does', () => {
    const shuffled = [referenceTiers[2], referenceTiers[0], referenceTiers[1]];
    expect(costOf(tiered('SLAB', shuffled), '6000')).toEqual(costOf(tiered('SLAB'), '6000'));
    expect(costOf(tiered('VOLUME', shuffled), '1001')).toEqual(costOf(tiered('VOLUME'), '1001'));
  });

  it('prices a single open tier the same in both modes', () => {
    const single: PriceTier[] = [{ up_to: null, unit_amount: '0.25', flat_amount: '3' }];
    expect(costOf(tiered('VOLUME', single), '10')).toEqual({ ...costOf(tiered('SLAB', single), '10'), tierMode: 'VOLUME' });
    expect(costOf(tiered('SLAB', single), '10').amount).toBe('5.5');
  });

  it.each<[string, string, string, string]>([
    ['jpy', 'VOLUME', '1001', '90'], // 90.08 → 90
    ['jpy', 'SLAB', '1000.5', '110'], // 110.04 → 110
    ['kwd', 'VOLUME', '1000.0125', '90.001'], // 80.001 + 10
    ['kwd', 'VOLUME', '1000.00625', '90.001'], // 90.0005 → 90.001, half away from zero
    ['kwd', 'SLAB', '1000.0125', '110.001'], // 100 + 0.001 + 10 = 110.001
  ])('rounds in %s (%s, q = %s → %s)', (currency, mode, quantity, amount) => {
    expect(costOf(tiered(mode as TierMode, referenceTiers, currency), quantity).amount).toBe(amount);
  });
});

describe('TIERED price refusals (FlexPrice would price these to 0 or leave them undefined)', () => {
  it.each<[string, PriceDefinition, [string, string][]]>([
    ['no tier_mode', { currency: 'usd', billingModel: 'TIERED', billingPeriodCount: 1, tiers: referenceTiers }, [['missing_tier_mode', 'tier_mode']]],
    ['an unknown tier_mode', tiered('GRADUATED' as TierMode), [['invalid_tier_mode', 'tier_mode']]],
    ['no tiers', tiered('SLAB', []), [['invalid_tiers', 'tiers']]],
    ['a bounded last tier', tiered('SLAB', referenceTiers.slice(0, 2)), [['invalid_tiers', 'tiers']]],
    ['two open tiers', tiered('SLAB', [{ unit_amount: '1' }, { up_to: null, unit_amount: '2' }]), [['invalid_tiers', 'tiers']]],
    ['duplicate up_to', tiered('SLAB', [{ up_to: 5, unit_amount: '1' }, { up_to: 5, unit_amount: '2' }, { unit_amount: '3' }]), [['invalid_tiers', 'tiers']]],
    ['up_to 0', tiered('SLAB', [{ up_to: 0, unit_amount: '1' }, { unit_amount: '3' }]), [['invalid_tiers', 'tiers[0].up_to']]],
    ['fractional up_to', tiered('SLAB', [{ up_to: 2.5, unit_amount: '1' }, { unit_amount: '3' }]), [['invalid_tiers', 'tiers[0].up_to']]],
    ['a negative unit amount', tiered('VOLUME', [{ up_to: 5, unit_amount: '-1' }, { unit_amount: '3' }]), [['invalid_amount', 'tiers[0].unit_amount']]],
    ['a float flat amount', tiered('VOLUME', [{ unit_amount: '3', flat_amount: 2 as unknown as string }]), [['invalid_decimal', 'tiers[0].flat_amount']]],
    [
      'several problems at once',
      { currency: 'usd', billingModel: 'TIERED', billingPeriodCount: 0, tiers: [{ up_to: 5, unit_amount: 'x' }] },
      [
        ['invalid_billing_period_count', 'billing_period_count'],
        ['missing_tier_mode', 'tier_mode'],
        ['invalid_decimal', 'tiers[0].unit_amount'],
        ['invalid_tiers', 'tiers'],
      ],
    ],
  ])('refuses %s', (_case, price, expected) => {
    expect(problemsOf(() => costOf(price, '10'))).toEqual(expected);
  });

  it('refuses a TIERED price without tier_mode even for quantity 0', () => {
    expect(() => costOf({ currency: 'usd', billingModel: 'TIERED', billingPeriodCount: 1, tiers: referenceTiers }, '0')).toThrow(
      // The 400's message ("Request validation failed: tier_mode …") is the error mapper's: see http/error-mapper.test.ts.
      'tier_mode is required when billing_model is TIERED (one of VOLUME, SLAB)',
    );
  });
});
