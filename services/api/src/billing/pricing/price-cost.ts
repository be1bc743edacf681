import { formatDecimal, parseExactDecimal, roundToPlaces, zero, type ExactDecimal } from '../money/index.ts';
import { pricingError } from './errors.ts';
import { flatFeeCost } from './flat-fee.ts';
import { packageCost, type PackageRound, type PackageTransform } from './package.ts';
import type { BillingModel, RatedPrice, TierMode } from './rated-price.ts';
import { tieredCost, type TierBreakdown } from './tiered.ts';

export type PackageBreakdown = { divideBy: number; round: PackageRound; packages: string };

/**
 * The cost of a price for a quantity. `amount` is the line amount, rounded once to the currency's
 * precision (half away from zero); `exactAmount` is the same cost before that rounding, and the
 * breakdown's amounts are exact too, so they add up to `exactAmount`.
 */
export type PriceCost = {
  currency: string;
  billingModel: BillingModel;
  tierMode: TierMode | null;
  quantity: string;
  amount: string;
  exactAmount: string;
  /** TIERED: each tier reached (VOLUME: the one tier; SLAB: every tier that priced units). */
  tiers: TierBreakdown[];
  /** PACKAGE: how many bundles were billed. */
  packages: PackageBreakdown | null;
};

/** The exact (unrounded) cost of a rated price for a validated quantity. */
export type ExactCharge = { cost: ExactDecimal; tiers: TierBreakdown[]; packages: PackageBreakdown | null };

/** A quantity: a decimal string ≥ 0, fractional allowed. Negative usage is the caller's to clamp. */
export function readQuantity(quantity: string, field = 'quantity'): ExactDecimal {
  const q = parseExactDecimal(quantity);
  if (q === undefined) throw pricingError('invalid_quantity', field, `must be a decimal string (e.g. "1.5"), got ${JSON.stringify(quantity)}`);
  if (q.isNegative()) throw pricingError('invalid_quantity', field, 'must be greater than or equal to 0');
  return q;
}

/** The exact cost of a rated price for a validated quantity: the dispatch over models. */
export function rate(price: RatedPrice, quantity: ExactDecimal): ExactCharge {
  // Quantity 0 costs 0 under every model, tier flat amounts included.
  if (quantity.isZero()) return { cost: zero, tiers: [], packages: price.transform ? { divideBy: price.transform.divideBy, round: price.transform.round, packages: '0' } : null };
  switch (price.billingModel) {
    case 'FLAT_FEE':
      return { cost: flatFeeCost(price.amount, quantity), tiers: [], packages: null };
    case 'PACKAGE': {
      const transform = price.transform as PackageTransform;
      const { packages, cost } = packageCost(price.amount, quantity, transform);
      return { cost, tiers: [], packages: { divideBy: transform.divideBy, round: transform.round, packages: formatDecimal(packages) } };
    }
    case 'TIERED': {
      const { cost, tiers } = tieredCost(price.tierMode as TierMode, price.tiers, quantity);
      return { cost, tiers, packages: null };
    }
  }
}

/** Assembles the public result: the line amount is rounded here, once. */
export function toPriceCost(price: RatedPrice, quantity: ExactDecimal, charge: ExactCharge): PriceCost {
  return {
    currency: price.currency,
    billingModel: price.billingModel,
    tierMode: price.billingModel === 'TIERED' ? price.tierMode : null,
    quantity: formatDecimal(quantity),
    amount: formatDecimal(roundToPlaces(charge.cost, price.precision)),
    exactAmount: formatDecimal(charge.cost),
    tiers: charge.tiers,
    packages: charge.packages,
  };
}

/**
 * The cost of a rated price for `quantity` units: exact decimal arithmetic, one rounding to the
 * currency's precision at the end. Throws PricingError for a quantity it cannot price.
 *
 *   priceCost(readPrice({ currency: 'usd', billingModel: 'FLAT_FEE', billingPeriodCount: 1, amount: '0.002' }), '12345')
 *     → { amount: '24.69', exactAmount: '24.69', … }
 */
export function priceCost(price: RatedPrice, quantity: string): PriceCost {
  const q = readQuantity(quantity);
  return toPriceCost(price, q, rate(price, q));
}
