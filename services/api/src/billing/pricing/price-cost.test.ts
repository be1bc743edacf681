import { describe, expect, it } from 'vitest';
import { PricingError } from './errors.ts';
import { priceCost } from './price-cost.ts';
import { costOf, problemsOf } from './pricing.test-helper.ts';
import { parsePrice, readPrice, type PriceDefinition } from './rated-price.ts';

const usd = (overrides: Partial<PriceDefinition>): PriceDefinition => ({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount: '1', ...overrides });

/** Every problem `parsePrice` finds; empty when the price can be billed. */
const priceDefinitionProblems = (price: PriceDefinition) => {
  const parsed = parsePrice(price);
  return parsed.ok ? [] : parsed.problems;
};

describe('priceCost dispatch and refusals', () => {
  it.each<[string, PriceDefinition, string, [string, string][]]>([
    ['billing_period_count 0 (FlexPrice prices it to nothing)', usd({ billingPeriodCount: 0 }), '1', [['invalid_billing_period_count', 'billing_period_count']]],
    ['a fractional billing_period_count', usd({ billingPeriodCount: 1.5 }), '1', [['invalid_billing_period_count', 'billing_period_count']]],
    ['an unknown billing model', usd({ billingModel: 'STAIRSTEP' as 'FLAT_FEE' }), '1', [['invalid_billing_model', 'billing_model']]],
    ['a FLAT_FEE price without amount', usd({ amount: undefined }), '1', [['missing_amount', 'amount']]],
    ['a negative amount', usd({ amount: '-1' }), '1', [['invalid_amount', 'amount']]],
    ['an amount given as a JS number', usd({ amount: 1 as unknown as string }), '1', [['invalid_decimal', 'amount']]],
    ['a currency that is not a 3-letter code', usd({ currency: 'dollars' }), '1', [['invalid_currency', 'currency']]],
    ['a negative quantity', usd({}), '-1', [['invalid_quantity', 'quantity']]],
    ['a quantity that is not a decimal', usd({}), '1,5', [['invalid_quantity', 'quantity']]],
    ['a quantity given as a JS number', usd({}), 3 as unknown as string, [['invalid_quantity', 'quantity']]],
    // A price is parsed once, before any quantity: its problems come all at once, without the quantity's.
    ['a bad price with a bad quantity', usd({ amount: 'x', billingPeriodCount: 0 }), 'y', [
      ['invalid_billing_period_count', 'billing_period_count'],
      ['invalid_decimal', 'amount'],
    ]],
  ])('refuses %s', (_case, price, quantity, expected) => {
    expect(problemsOf(() => costOf(price, quantity))).toEqual(expected);
  });

  it('raises a plain PricingError (not an HTTP error) carrying every problem', () => {
    let thrown: unknown;
    try {
      readPrice(usd({ billingPeriodCount: 0, amount: '-1' }));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(PricingError);
    const error = thrown as PricingError;
    expect(error.kind).toBe('invalid_billing_period_count');
    expect(error.problems).toEqual([
      { kind: 'invalid_billing_period_count', field: 'billing_period_count', message: 'must be an integer greater than 0' },
      { kind: 'invalid_amount', field: 'amount', message: 'must be greater than or equal to 0' },
    ]);
    expect(error.message).toBe('billing_period_count must be an integer greater than 0; amount must be greater than or equal to 0');
    expect(error).not.toHaveProperty('status');
  });

  it('ignores fields that do not apply to the model, as FlexPrice does', () => {
    const flat = usd({ amount: '2', tierMode: 'SLAB', tiers: [], transformQuantity: { divide_by: 1000 } });
    expect(costOf(flat, '3').amount).toBe('6');
    const tieredWithAmount: PriceDefinition = { currency: 'usd', billingModel: 'TIERED', billingPeriodCount: 1, amount: '99', tierMode: 'VOLUME', tiers: [{ unit_amount: '1' }], transformQuantity: { divide_by: 10 } };
    expect(costOf(tieredWithAmount, '3').amount).toBe('3');
  });

  it('lowers the currency it reports', () => {
    expect(costOf(usd({ currency: 'EUR' }), '1').currency).toBe('eur');
  });

  it('prices one parsed price for many quantities', () => {
    const price = readPrice({ currency: 'usd', billingModel: 'TIERED', billingPeriodCount: 1, tierMode: 'SLAB', tiers: [{ up_to: 1000, unit_amount: '0.10' }, { up_to: 5000, unit_amount: '0.08', flat_amount: '10' }, { unit_amount: '0.05' }] });
    expect(['0', '1000', '1001', '6000'].map((q) => priceCost(price, q).amount)).toEqual(['0', '100', '110.08', '480']);
  });
});

describe('parsePrice', () => {
  it('is empty for prices the engine can bill', () => {
    expect(priceDefinitionProblems(usd({}))).toEqual([]);
    expect(priceDefinitionProblems({ currency: 'usd', billingModel: 'PACKAGE', billingPeriodCount: 3, amount: '5', transformQuantity: { divide_by: 1000, round: 'down' } })).toEqual([]);
    expect(priceDefinitionProblems({ currency: 'jpy', billingModel: 'TIERED', billingPeriodCount: 1, tierMode: 'SLAB', tiers: [{ up_to: 10, unit_amount: '0' }, { unit_amount: '5', flat_amount: '100' }] })).toEqual([]);
  });

  it('lists every problem with a readable message', () => {
    expect(priceDefinitionProblems({ currency: 'usd', billingModel: 'TIERED', billingPeriodCount: 1, tierMode: 'SLAB', tiers: [{ up_to: 10, unit_amount: '1' }] })).toEqual([
      { kind: 'invalid_tiers', field: 'tiers', message: 'must have exactly one open last tier (up_to null), found 0' },
    ]);
  });

  it('reads a price once: sorted exact tiers, the currency precision, no custom unit', () => {
    const parsed = parsePrice({ currency: 'KWD', billingModel: 'TIERED', billingPeriodCount: 1, tierMode: 'VOLUME', tiers: [{ unit_amount: '1' }, { up_to: 10, unit_amount: '2.5', flat_amount: '3' }] });
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.price.currency).toBe('kwd');
    expect(parsed.price.precision).toBe(3);
    expect(parsed.price.customUnit).toBeNull();
    expect(parsed.price.tiers.map((t) => [t.upTo?.toFixed() ?? null, t.unitAmount.toFixed(), t.flatAmount.toFixed()])).toEqual([
      ['10', '2.5', '3'],
      [null, '1', '0'],
    ]);
  });
});
