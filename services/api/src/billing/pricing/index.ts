/**
 * The pricing engine: what a price costs for a quantity, exactly (§3.2 of the FlexPrice reference).
 * Pure: decimal strings in, decimal strings out, no I/O. Rounding to the currency's precision
 * happens once per line, in `priceCost`, `bucketedCost`, `customUnitCost` and `couponDiscount`;
 * everything else (`exactAmount`, tier and bucket amounts, converted unit prices) is exact.
 */
export { priceCost, priceDefinitionProblems, billingModels } from './price-cost.ts';
export type { PriceDefinition, PriceTier, TransformQuantity, BillingModel, TierMode, PriceCost, TierBreakdown, PackageBreakdown, PackageRound } from './price-cost.ts';
export { tierModes } from './tiered.ts';
export { bucketedCost } from './bucketed.ts';
export type { BucketedCost, BucketCost } from './bucketed.ts';
export { customUnitCost, customUnitPriceProblems, toFiatPrice, fiatAmountOf, lineItemPriceUnitAmount } from './custom-unit.ts';
export type { CustomUnitPriceDefinition, CustomUnitCost } from './custom-unit.ts';
export { couponDiscount, sequentialCouponDiscounts, couponTypes } from './coupon-discount.ts';
export type { CouponDefinition, CouponDiscount, CouponType, SequentialDiscounts } from './coupon-discount.ts';
export { currencyPrecision, defaultCurrencyPrecision, roundAmount } from './money.ts';
export { PricingError, pricingErrorKinds } from './errors.ts';
export type { PricingErrorKind, PricingProblem } from './errors.ts';
