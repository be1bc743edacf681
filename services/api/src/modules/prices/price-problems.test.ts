import { describe, expect, it } from 'vitest';
import type { PricingProblem } from '../../billing/pricing/index.ts';
import { requestField } from './price-problems.ts';

const problem = (field: string): PricingProblem => ({ kind: 'invalid_tiers', field, message: 'x' });

describe('requestField: engine field → request field', () => {
  it.each<[string, 'create' | 'update', 'FIAT' | 'CUSTOM', string]>([
    ['amount', 'create', 'FIAT', 'amount'],
    ['tiers[1].up_to', 'update', 'FIAT', 'tiers[1].up_to'],
    ['amount', 'create', 'CUSTOM', 'price_unit_config.amount'],
    ['tiers', 'create', 'CUSTOM', 'price_unit_config.price_unit_tiers'],
    ['tiers[0].unit_amount', 'create', 'CUSTOM', 'price_unit_config.price_unit_tiers[0].unit_amount'],
    ['amount', 'update', 'CUSTOM', 'price_unit_amount'],
    ['tiers[2].flat_amount', 'update', 'CUSTOM', 'price_unit_tiers[2].flat_amount'],
    ['tier_mode', 'create', 'CUSTOM', 'tier_mode'],
    ['transform_quantity.divide_by', 'update', 'CUSTOM', 'transform_quantity.divide_by'],
  ])('%s (%s, %s) → %s', (field, request, unitType, expected) => {
    expect(requestField(problem(field), request, unitType)).toBe(expected);
  });
});
