import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors/app-error.ts';
import { PricingError } from './errors.ts';
import { priceCost, priceDefinitionProblems, type PriceDefinition } from './price-cost.ts';

const usd = (overrides: Partial<PriceDefinition>): PriceDefinition => ({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount: '1', ...overrides });

function problemsOf(run: () => unknown): [string, string][] {
  try {
    run();
  } catch (e) {
    if (e instanceof PricingError) return e.problems.map((p) => [p.kind, p.field]);
    throw e;
  }
  throw new Error('expected a PricingError');
}

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
    ['a bad quantity and a bad price together', usd({ amount: 'x', billingPeriodCount: 0 }), 'y', [
      ['invalid_quantity', 'quantity'],
      ['invalid_billing_period_count', 'billing_period_count'],
      ['invalid_decimal', 'amount'],
    ]],
  ])('refuses %s', (_case, price, quantity, expected) => {
    expect(problemsOf(() => priceCost(price, quantity))).toEqual(expected);
  });

  it('raises a validation AppError the error mapper turns into a 400 naming the fields', () => {
    let thrown: unknown;
    try {
      priceCost(usd({ billingPeriodCount: 0 }), '-1');
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(AppError);
    const error = thrown as PricingError;
    expect(error.status).toBe(400);
    expect(error.code).toBe('validation_error');
    expect(error.kind).toBe('invalid_quantity');
    expect(error.details).toEqual({ quantity: 'must be greater than or equal to 0', billing_period_count: 'must be an integer greater than 0' });
    expect(error.message).toBe('Request validation failed: quantity must be greater than or equal to 0; billing_period_count must be an integer greater than 0');
  });

  it('ignores fields that do not apply to the model, as FlexPrice does', () => {
    const flat = usd({ amount: '2', tierMode: 'SLAB', tiers: [], transformQuantity: { divide_by: 1000 } });
    expect(priceCost(flat, '3').amount).toBe('6');
    const tieredWithAmount: PriceDefinition = { currency: 'usd', billingModel: 'TIERED', billingPeriodCount: 1, amount: '99', tierMode: 'VOLUME', tiers: [{ unit_amount: '1' }], transformQuantity: { divide_by: 10 } };
    expect(priceCost(tieredWithAmount, '3').amount).toBe('3');
  });

  it('lowers the currency it reports', () => {
    expect(priceCost(usd({ currency: 'EUR' }), '1').currency).toBe('eur');
  });
});

describe('priceDefinitionProblems', () => {
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
});
