import { PricingError, type PricingProblem } from './errors.ts';
import { currencyPrecision, ExactDecimal, formatDecimal, parseExactDecimal, roundToCurrency, zero } from '../money/index.ts';

export const couponTypes = ['fixed', 'percentage'] as const;
export type CouponType = (typeof couponTypes)[number];

/**
 * The fields of a FlexPrice coupon that decide a discount, camelCased like `PriceDefinition`
 * (`amount_off` → `amountOff`, `percentage_off` → `percentageOff`). `currency` is kept by
 * FlexPrice for fixed coupons only and must then match the amount's currency.
 */
export type CouponDefinition = {
  type: CouponType;
  /** fixed: decimal string ≥ 0, in `currency`. */
  amountOff?: string | null;
  /** percentage: decimal string, 0 ≤ p ≤ 100. */
  percentageOff?: string | null;
  currency?: string | null;
};

export type CouponDiscount = {
  currency: string;
  /** The amount the coupon applied to. */
  amount: string;
  /** Rounded to the currency's precision, never more than `amount`, never negative. */
  discount: string;
  /** `amount − discount`. */
  finalAmount: string;
};

function couponProblems(coupon: CouponDefinition): { problems: PricingProblem[]; off: ExactDecimal } {
  const problems: PricingProblem[] = [];
  let off = zero;
  if (coupon.type === 'fixed') {
    const amountOff = parseExactDecimal(coupon.amountOff);
    if (amountOff === undefined || amountOff.isNegative()) {
      problems.push({ kind: 'invalid_coupon', field: 'amount_off', message: 'must be a decimal string greater than or equal to 0 for a fixed coupon' });
    } else off = amountOff;
  } else if (coupon.type === 'percentage') {
    const percentageOff = parseExactDecimal(coupon.percentageOff);
    if (percentageOff === undefined || percentageOff.isNegative() || percentageOff.gt(100)) {
      problems.push({ kind: 'invalid_coupon', field: 'percentage_off', message: 'must be a decimal string between 0 and 100 for a percentage coupon' });
    } else off = percentageOff;
  } else {
    problems.push({ kind: 'invalid_coupon', field: 'type', message: `must be one of ${couponTypes.join(', ')}` });
  }
  return { problems, off };
}

/** The amount a coupon applies to: a decimal string with no more decimals than the currency's. */
function readBase(amount: string, currency: string, problems: PricingProblem[]): ExactDecimal | undefined {
  const base = parseExactDecimal(amount);
  if (base === undefined) {
    problems.push({ kind: 'invalid_decimal', field: 'amount', message: `must be a decimal string (e.g. "10.5"), got ${JSON.stringify(amount)}` });
  } else if (base.decimalPlaces() > currencyPrecision(currency)) {
    problems.push({ kind: 'invalid_amount', field: 'amount', message: `must have at most ${currencyPrecision(currency)} decimal places in ${currency.toLowerCase()}` });
  }
  return base;
}

/**
 * What a coupon takes off an amount (docs/flexprice-compatibility.md#coupon-discounts): `percentage` → amount × p / 100, `fixed` →
 * `amount_off`; the discount is rounded to the currency's precision (half away from zero) and then
 * clamped to [0, amount], so it never exceeds what it applies to and a non-positive amount gets
 * none. `amount` must already be a rounded line or running amount (it has at most the currency's
 * decimals; anything finer is refused, since the clamp would otherwise leak unrounded digits).
 */
export function couponDiscount(coupon: CouponDefinition, amount: string, currency: string): CouponDiscount {
  const { problems, off } = couponProblems(coupon);
  const base = readBase(amount, currency, problems);
  if (coupon.type === 'fixed' && coupon.currency && coupon.currency.toLowerCase() !== currency.toLowerCase()) {
    problems.push({ kind: 'currency_mismatch', field: 'currency', message: `coupon currency ${coupon.currency.toLowerCase()} does not match ${currency.toLowerCase()}` });
  }
  if (problems.length > 0 || base === undefined) throw new PricingError(problems);
  const raw = coupon.type === 'percentage' ? base.times(off).div(100) : off;
  const rounded = roundToCurrency(raw, currency);
  const discount = base.lte(0) ? zero : ExactDecimal.min(rounded, base);
  return {
    currency: currency.toLowerCase(),
    amount: formatDecimal(base),
    discount: formatDecimal(discount),
    finalAmount: formatDecimal(base.minus(discount)),
  };
}

export type SequentialDiscounts = { discounts: CouponDiscount[]; totalDiscount: string; finalAmount: string };

/**
 * Several coupons on one amount, in the order given (invoice-level coupons go in association order:
 * start_date, then id): each applies to what the previous ones left (docs/flexprice-compatibility.md#coupon-discounts). Two 10% coupons on
 * $100 → $10, then $9 → $19 off, $81 left.
 */
export function sequentialCouponDiscounts(coupons: readonly CouponDefinition[], amount: string, currency: string): SequentialDiscounts {
  const problems: PricingProblem[] = [];
  if (readBase(amount, currency, problems) === undefined || problems.length > 0) throw new PricingError(problems);
  const discounts: CouponDiscount[] = [];
  let remaining = amount;
  for (const coupon of coupons) {
    const applied = couponDiscount(coupon, remaining, currency);
    discounts.push(applied);
    remaining = applied.finalAmount;
  }
  const total = discounts.reduce((sum, d) => sum.plus(d.discount), zero);
  return { discounts, totalDiscount: formatDecimal(total), finalAmount: formatDecimal(parseExactDecimal(remaining) as ExactDecimal) };
}
