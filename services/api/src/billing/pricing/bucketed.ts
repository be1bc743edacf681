import { PricingError, type PricingProblem } from './errors.ts';
import { formatDecimal, roundToCurrency, zero, type MoneyDecimal } from './money.ts';
import { rate, readPrice, readQuantity, type BillingModel, type PriceDefinition } from './price-cost.ts';

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
 * Bucketed meters (§3.2: SUM or MAX with `bucket_size`, or each (bucket, group) of a grouped MAX):
 * every bucket's quantity is priced on its own — tiers restart in each bucket, so VOLUME prices
 * each bucket's volume, not the total's — and the exact costs are summed, then rounded once (§3.6.6
 * rounds the bucketed total, as FlexPrice's `calculateBucketedMaxCost` does). An empty bucket costs
 * 0, tier flat amounts included (§3.2's rule for quantity 0). No buckets, no cost.
 */
export function bucketedCost(price: PriceDefinition, bucketQuantities: readonly string[]): BucketedCost {
  const rated = readPrice(price);
  const problems: PricingProblem[] = [];
  const quantities: MoneyDecimal[] = [];
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
    const { cost } = rate(rated, q);
    total = total.plus(cost);
    return { quantity: formatDecimal(q), exactAmount: formatDecimal(cost) };
  });
  return {
    currency: rated.currency,
    billingModel: rated.billingModel,
    amount: formatDecimal(roundToCurrency(total, rated.currency)),
    exactAmount: formatDecimal(total),
    buckets,
  };
}
