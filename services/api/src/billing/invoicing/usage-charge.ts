import { ExactDecimal, formatDecimal, zero } from '../money/index.ts';
import { bucketedCost, priceCost, type RatedPrice } from '../pricing/index.ts';
import { nonNegativeOf } from './decimal-text.ts';
import type { AllowancePlan } from './included-allowance.ts';

export type UsageChargeInput = {
  price: RatedPrice;
  /** The line's usage over its usage window: the total, or the buckets of a bucketed meter (each priced on its own). */
  usage: { quantity: string } | { buckets: readonly string[] };
  /** The included allowance (`allowancePlan`); none when absent. */
  allowance?: AllowancePlan;
  /** per_reset_window: the usage of each reset window (`allowanceWindows`), in order. */
  windowQuantities?: readonly string[];
  /** lifetime: the cumulative usage from the subscription's start to the usage window's start, and to its end. */
  cumulativeUsage?: { before: string; through: string };
};

export type UsageCharge = {
  /** The billable quantity: the invoice line's `quantity`. */
  quantity: string;
  /** The usage the allowance covered (`adjusted_entitlement_quantity`); null without an entitlement. */
  adjustedEntitlementQuantity: string | null;
  /** The usage read: `quantity + adjusted_entitlement_quantity`. */
  usageQuantity: string;
  /** The line amount, rounded once to the currency's precision. */
  amount: string;
  exactAmount: string;
  /** True when the meter's buckets were priced one by one (no allowance was taken off them). */
  pricedPerBucket: boolean;
};

const positivePart = (d: ExactDecimal) => ExactDecimal.max(d, zero);

/** The billable part of `usage` under the allowance. */
function billableQuantity(input: UsageChargeInput, usage: ExactDecimal, plan: AllowancePlan): ExactDecimal {
  switch (plan.kind) {
    case 'none':
      return usage;
    case 'unlimited':
      return zero;
    case 'per_period':
      return positivePart(usage.minus(nonNegativeOf(plan.limit, 'usage_limit')));
    case 'per_reset_window': {
      if (!input.windowQuantities) throw new RangeError(`a ${plan.reset} allowance needs the usage of each reset window`);
      const limit = nonNegativeOf(plan.limit, 'usage_limit');
      return input.windowQuantities.reduce((sum, q, i) => sum.plus(positivePart(nonNegativeOf(q, `windowQuantities[${i}]`).minus(limit))), zero);
    }
    case 'lifetime': {
      if (!input.cumulativeUsage) throw new RangeError('a NEVER allowance needs the cumulative usage before and through the window');
      const limit = nonNegativeOf(plan.limit, 'usage_limit');
      const before = positivePart(nonNegativeOf(input.cumulativeUsage.before, 'cumulativeUsage.before').minus(limit));
      const through = positivePart(nonNegativeOf(input.cumulativeUsage.through, 'cumulativeUsage.through').minus(limit));
      return positivePart(through.minus(before));
    }
  }
}

/**
 * A usage line's charge after the included allowance (docs/flexprice-compatibility.md#invoices):
 * the billable quantity is the usage minus what the entitlement includes, priced by the pricing
 * engine and rounded once. $0.01/call with 1,000 calls included monthly and 3,500 used: 2,500
 * billable, $25.00, adjusted_entitlement_quantity 1,000.
 *
 * A bucketed meter's buckets are priced one by one when no allowance is taken off; when one is, the
 * allowance comes off the summed buckets and the rest is priced as one quantity.
 */
export function usageCharge(input: UsageChargeInput): UsageCharge {
  const plan = input.allowance ?? { kind: 'none' };
  const buckets = 'buckets' in input.usage ? input.usage.buckets.map((q, i) => nonNegativeOf(q, `buckets[${i}]`)) : null;
  const usage = buckets ? buckets.reduce((s, q) => s.plus(q), zero) : nonNegativeOf((input.usage as { quantity: string }).quantity, 'quantity');
  const billable = billableQuantity(input, usage, plan);
  const adjusted = plan.kind === 'none' ? null : positivePart(usage.minus(billable));
  const perBucket = buckets !== null && billable.eq(usage);
  const cost = perBucket ? bucketedCost(input.price, buckets.map(formatDecimal)) : priceCost(input.price, formatDecimal(billable));
  return {
    quantity: formatDecimal(billable),
    adjustedEntitlementQuantity: adjusted === null ? null : formatDecimal(adjusted),
    usageQuantity: formatDecimal(usage),
    amount: cost.amount,
    exactAmount: cost.exactAmount,
    pricedPerBucket: perBucket,
  };
}
