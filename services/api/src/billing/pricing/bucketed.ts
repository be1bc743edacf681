import { formatDecimal, roundToPlaces, zero, type ExactDecimal } from '../money/index.ts';
import { PricingError, type PricingProblem } from './errors.ts';
import { rate, readQuantity } from './price-cost.ts';
import type { BillingModel, RatedPrice } from './rated-price.ts';

/** One bucket's quantity and its own exact cost. */
export type BucketCost = { quantity: string; exactAmount: string };

export type BucketedCost = {
  currency: string;
  billingModel: BillingModel;
  /** Σ bucket costs, rounded once to the currency's precision: the line amount. */
  amount: string;
  /** Σ bucket costs, exact. */
  exactAmount: string;
  buckets: BucketCost[];
};

/**
 * Bucketed meters (SUM or MAX with `bucket_size`, or each (bucket, group) of a grouped MAX): every
 * bucket's quantity is priced on its own — tiers restart in each bucket, so VOLUME prices each
 * bucket's volume, not the total's — and the exact costs are summed, then rounded once (as
 * FlexPrice rounds a bucketed total). An empty bucket costs 0, tier flat amounts included. No
 * buckets, no cost. Every bad bucket quantity is named (`buckets[2]`).
 */
export function bucketedCost(price: RatedPrice, bucketQuantities: readonly string[]): BucketedCost {
  const problems: PricingProblem[] = [];
  const quantities: ExactDecimal[] = [];
  bucketQuantities.forEach((quantity, i) => {
    try {
      quantities.push(readQuantity(quantity, `buckets[${i}]`));
    } catch (e) {
      if (!(e instanceof PricingError)) throw e;
      problems.push(...e.problems);
    }
  });
  if (problems.length > 0) throw new PricingError(problems);
  let total = zero;
  const buckets = quantities.map((q): BucketCost => {
    const { cost } = rate(price, q);
    total = total.plus(cost);
    return { quantity: formatDecimal(q), exactAmount: formatDecimal(cost) };
  });
  return {
    currency: price.currency,
    billingModel: price.billingModel,
    amount: formatDecimal(roundToPlaces(total, price.precision)),
    exactAmount: formatDecimal(total),
    buckets,
  };
}
