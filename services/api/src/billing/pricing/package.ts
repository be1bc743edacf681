import { ExactDecimal, zero } from '../money/index.ts';

export type PackageRound = 'up' | 'down';

/** A PACKAGE price's `transform_quantity`, validated: `divide_by` units per package. */
export type PackageTransform = { divideBy: number; round: PackageRound };

export type PackageCharge = { packages: ExactDecimal; cost: ExactDecimal };

/**
 * Packages needed for `quantity` (≥ 0): `quantity ÷ divide_by`, rounded up (the default) or down
 * to a whole number. Integer division and remainder are exact, however large or fractional the
 * quantity is.
 */
export function packageCount(quantity: ExactDecimal, transform: PackageTransform): ExactDecimal {
  const divideBy = new ExactDecimal(transform.divideBy);
  const whole = quantity.divToInt(divideBy);
  if (transform.round === 'down') return whole;
  return quantity.minus(whole.times(divideBy)).isZero() ? whole : whole.plus(1);
}

/**
 * PACKAGE (docs/flexprice-compatibility.md#price-math): `amount` buys a bundle of `divide_by` units; the cost is the number of bundles
 * (rounded up unless `round: "down"`) × `amount`. $5 per 1,000 emails: 2,500 → 3 × $5 = $15;
 * rounded down → $10; 1 email → $5. No usage, no bundle: quantity 0 costs 0.
 */
export function packageCost(amount: ExactDecimal, quantity: ExactDecimal, transform: PackageTransform): PackageCharge {
  if (quantity.isZero()) return { packages: zero, cost: zero };
  const packages = packageCount(quantity, transform);
  return { packages, cost: packages.times(amount) };
}
