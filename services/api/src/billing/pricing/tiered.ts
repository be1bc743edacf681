import { formatDecimal, zero, type ExactDecimal } from '../money/index.ts';
import type { RatedTier, TierMode } from './rated-price.ts';

/**
 * What one tier contributed, for the cost preview. The tier covers `from < q ≤ to` (`to = null`:
 * no upper bound); `quantity` is how many units it priced; `amount = quantity × unit_amount +
 * flat_amount`, exact (tier amounts are never rounded on their own: the line total is, once).
 * `tierIndex` is the tier's position in ascending `up_to` order.
 */
export type TierBreakdown = {
  tierIndex: number;
  from: string;
  to: string | null;
  quantity: string;
  unitAmount: string;
  flatAmount: string;
  amount: string;
};

export type TieredCharge = { cost: ExactDecimal; tiers: TierBreakdown[] };

function share(tiers: readonly RatedTier[], index: number, quantity: ExactDecimal): { breakdown: TierBreakdown; cost: ExactDecimal } {
  const tier = tiers[index];
  const from = index === 0 ? zero : (tiers[index - 1].upTo as ExactDecimal);
  const cost = quantity.times(tier.unitAmount).plus(tier.flatAmount);
  return {
    cost,
    breakdown: {
      tierIndex: index,
      from: formatDecimal(from),
      to: tier.upTo === null ? null : formatDecimal(tier.upTo),
      quantity: formatDecimal(quantity),
      unitAmount: formatDecimal(tier.unitAmount),
      flatAmount: formatDecimal(tier.flatAmount),
      amount: formatDecimal(cost),
    },
  };
}

/**
 * VOLUME (docs/flexprice-compatibility.md#price-math): the one tier containing `quantity` (the first with `quantity ≤ up_to`, boundaries
 * inclusive, so 1000 is in "up to 1000" and 1000.001 is not) prices every unit, plus its flat
 * amount once. Quantity 0 reaches no tier and costs 0, flat amounts included.
 */
export function volumeCost(tiers: readonly RatedTier[], quantity: ExactDecimal): TieredCharge {
  if (quantity.isZero()) return { cost: zero, tiers: [] };
  let index = tiers.findIndex((t) => t.upTo === null || quantity.lte(t.upTo));
  // Validated tiers end with an open tier, so this only guards a caller bypassing validation.
  if (index === -1) index = tiers.length - 1;
  const { cost, breakdown } = share(tiers, index, quantity);
  return { cost, tiers: [breakdown] };
}

/**
 * SLAB, graduated (docs/flexprice-compatibility.md#price-math): walking the tiers upwards, each prices the units that fall within it
 * (capacity `up_to − previous up_to`) and adds its flat amount when it receives any; the walk
 * stops when no units remain. Fractional quantities split at the integer boundaries: 1000.5 over
 * "up to 1000" puts 1000 in the first tier and 0.5 in the second.
 */
export function slabCost(tiers: readonly RatedTier[], quantity: ExactDecimal): TieredCharge {
  const reached: TierBreakdown[] = [];
  let cost = zero;
  let remaining = quantity;
  for (let i = 0; i < tiers.length && remaining.gt(0); i++) {
    const from = i === 0 ? zero : (tiers[i - 1].upTo as ExactDecimal);
    const upTo = tiers[i].upTo;
    const inTier = upTo === null ? remaining : smaller(remaining, upTo.minus(from));
    const part = share(tiers, i, inTier);
    cost = cost.plus(part.cost);
    reached.push(part.breakdown);
    remaining = remaining.minus(inTier);
  }
  return { cost, tiers: reached };
}

function smaller(a: ExactDecimal, b: ExactDecimal): ExactDecimal {
  return a.lte(b) ? a : b;
}

export function tieredCost(mode: TierMode, tiers: readonly RatedTier[], quantity: ExactDecimal): TieredCharge {
  return mode === 'VOLUME' ? volumeCost(tiers, quantity) : slabCost(tiers, quantity);
}
