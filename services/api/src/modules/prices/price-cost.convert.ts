import type { Schemas } from '../../wire/contract-types.ts';
import type { BucketedCost, CustomUnitCost, PriceCost, TierBreakdown } from '../../billing/pricing/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { displayAmount } from '../../billing/money/index.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import { amountOf } from './price.convert.ts';
import type { Price } from './price.entity.ts';

/** A cost-preview quantity: a decimal ≥ 0. */
export function fromPriceCostRequest(body: Schemas['PriceCostRequest']): { quantity?: string; buckets?: string[] } {
  const errors: Problems = {};
  if (body.quantity === undefined && body.bucket_quantities === undefined) errors.quantity = 'is required (or give bucket_quantities)';
  if (body.quantity !== undefined && body.bucket_quantities !== undefined) errors.bucket_quantities = 'cannot be combined with quantity';
  const quantity = body.quantity === undefined ? undefined : amountOf(body.quantity, 'quantity', errors);
  const buckets = body.bucket_quantities?.map((q, i) => amountOf(q, `bucket_quantities[${i}]`, errors));
  throwIfProblems(errors);
  return { quantity, buckets };
}

/** The cost preview: the engine's result for one quantity or a list of bucket quantities. */
export type PriceCostView =
  | { price: Price; kind: 'single'; cost: PriceCost | CustomUnitCost }
  | { price: Price; kind: 'buckets'; quantity: string; cost: BucketedCost; unitCost?: BucketedCost };

const tierOf = (t: TierBreakdown) => ({
  tier_index: t.tierIndex,
  from: t.from,
  ...(t.to === null ? {} : { up_to: t.to }),
  quantity: t.quantity,
  unit_amount: t.unitAmount,
  flat_amount: t.flatAmount,
  amount: t.amount,
});

export function toPriceCostResponse(view: PriceCostView): Schemas['PriceCostResponse'] {
  const { price } = view;
  const custom = price.priceUnitType === 'CUSTOM';
  if (view.kind === 'buckets') {
    return {
      price_id: price.id,
      currency: price.currency,
      billing_model: price.billingModel,
      ...(price.tierMode && price.billingModel === 'TIERED' ? { tier_mode: price.tierMode } : {}),
      quantity: view.quantity,
      amount: view.cost.amount,
      exact_amount: view.cost.exactAmount,
      display_amount: displayAmount(price.currency, view.cost.amount),
      breakdown: [],
      buckets: view.cost.buckets.map((b) => ({ quantity: b.quantity, amount: b.exactAmount })),
      ...(custom && view.unitCost
        ? { price_unit: price.priceUnit ?? '', conversion_rate: canonicalDecimal(price.conversionRate ?? '0'), price_unit_amount: view.unitCost.exactAmount }
        : {}),
    };
  }
  const cost = view.cost;
  return {
    price_id: price.id,
    currency: cost.currency,
    billing_model: cost.billingModel,
    ...(cost.tierMode ? { tier_mode: cost.tierMode } : {}),
    quantity: cost.quantity,
    amount: cost.amount,
    exact_amount: cost.exactAmount,
    display_amount: displayAmount(cost.currency, cost.amount),
    breakdown: cost.tiers.map(tierOf),
    ...(cost.packages ? { packages: { divide_by: cost.packages.divideBy, round: cost.packages.round, packages: cost.packages.packages } } : {}),
    ...('priceUnitAmount' in cost ? { price_unit: cost.priceUnit, conversion_rate: cost.conversionRate, price_unit_amount: cost.priceUnitAmount } : {}),
  };
}
