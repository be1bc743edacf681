import type { PricingProblem } from '../../billing/pricing/index.ts';
import type { PriceUnitType } from './price.entity.ts';

/**
 * Engine field → API field: the one renaming table between the pricing engine's problems and the
 * fields of a price request. The engine names the amounts of the price it parsed `amount` and
 * `tiers[i]…`; a CUSTOM price's amounts are in its unit, and each request gives those elsewhere:
 * in `price_unit_config` when a price is created, as `price_unit_amount`/`price_unit_tiers` when
 * it is changed. Every other field has the same name on both sides.
 */
const unitAmountFields: Record<'create' | 'update', { amount: string; tiers: string }> = {
  create: { amount: 'price_unit_config.amount', tiers: 'price_unit_config.price_unit_tiers' },
  update: { amount: 'price_unit_amount', tiers: 'price_unit_tiers' },
};

/** The request field a problem of the engine names (`tiers[1].up_to` → `price_unit_config.price_unit_tiers[1].up_to`). */
export function requestField(problem: PricingProblem, request: 'create' | 'update', unitType: PriceUnitType): string {
  if (unitType !== 'CUSTOM') return problem.field;
  const names = unitAmountFields[request];
  if (problem.field === 'amount') return names.amount;
  return problem.field.startsWith('tiers') ? `${names.tiers}${problem.field.slice('tiers'.length)}` : problem.field;
}
