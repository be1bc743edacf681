/**
 * The pricing engine: what a price costs for a quantity, exactly. Pure: no I/O. A price is read
 * once by `parsePrice` (every problem at once) into a `RatedPrice`; the cost functions take that.
 * Rounding to the currency's precision happens once per line, in `priceCost`, `bucketedCost`,
 * `customUnitCost` and `couponDiscount`; everything else (`exactAmount`, tier and bucket amounts,
 * converted unit prices) is exact. Refusals are `PricingError`s (plain errors carrying problems).
 */
export { parsePrice, readPrice, tierListingProblems, billingModels, tierModes } from './rated-price.ts';
export type { PriceParse, RatedPrice, RatedTier, CustomUnit, PriceDefinition, CustomUnitPriceDefinition, PriceTier, TransformQuantity, BillingModel, TierMode } from './rated-price.ts';
export { priceCost } from './price-cost.ts';
export type { PriceCost, PackageBreakdown } from './price-cost.ts';
export type { PackageRound } from './package.ts';
export type { TierBreakdown } from './tiered.ts';
export { bucketedCost } from './bucketed.ts';
export type { BucketedCost, BucketCost } from './bucketed.ts';
export { customUnitCost, toFiatPrice, fiatAmountOf, lineItemPriceUnitAmount } from './custom-unit.ts';
export type { CustomUnitCost } from './custom-unit.ts';
export { couponDiscount, sequentialCouponDiscounts, couponTypes } from './coupon-discount.ts';
export type { CouponDefinition, CouponDiscount, CouponType, SequentialDiscounts } from './coupon-discount.ts';
export { roundAmount } from './decimal-field.ts';
export { PricingError, pricingErrorKinds } from './errors.ts';
export type { PricingErrorKind, PricingProblem } from './errors.ts';
