import { allocate, currencyPrecision, ExactDecimal, formatDecimal, zero } from '../money/index.ts';
import { couponDiscount, sequentialCouponDiscounts, type CouponDefinition, type CouponType } from '../pricing/index.ts';
import { moneyOf } from './decimal-text.ts';

/** An invoice line as created: its amount already rounded to the currency. */
export type DiscountableLine = { id: string; amount: string };

type Association = { associationId: string; couponId: string; startDate: Date; coupon: CouponDefinition };

/** A line-level coupon association, targeting one invoice line (the line of its subscription line item). */
export type LineCoupon = Association & { lineId: string };

/** An invoice-level coupon association (no subscription line item). */
export type InvoiceCoupon = Association;

/** FlexPrice's coupon application record: what one coupon took off on one invoice (or line). */
export type CouponApplication = {
  couponId: string;
  couponAssociationId: string;
  /** The discounted line; null for an invoice-level coupon. */
  invoiceLineId: string | null;
  originalPrice: string;
  finalPrice: string;
  discountedAmount: string;
  discountType: CouponType;
  /** percentage coupons: `percentage_off`. */
  discountPercentage: string | null;
  currency: string;
};

export type DiscountedLine = {
  id: string;
  amount: string;
  /** `line_item_discount`: what the line's own coupons took off. */
  lineItemDiscount: string;
  /** `invoice_level_discount`: the line's share of the invoice-level coupons. */
  invoiceLevelDiscount: string;
  /** amount − both discounts. */
  amountAfterDiscounts: string;
};

export type InvoiceDiscounts = {
  lines: DiscountedLine[];
  /** `total_discount`: Σ line discounts + Σ invoice-level discounts. */
  totalDiscount: string;
  applications: CouponApplication[];
};

export type InvoiceDiscountInput = {
  currency: string;
  lines: readonly DiscountableLine[];
  lineCoupons?: readonly LineCoupon[];
  invoiceCoupons?: readonly InvoiceCoupon[];
};

/** Association order: start date, then id. */
const associationOrder = (a: Association, b: Association) => a.startDate.getTime() - b.startDate.getTime() || (a.associationId < b.associationId ? -1 : a.associationId > b.associationId ? 1 : 0);

function application(a: Association, lineId: string | null, original: string, discount: string, final: string, currency: string): CouponApplication {
  return {
    couponId: a.couponId,
    couponAssociationId: a.associationId,
    invoiceLineId: lineId,
    originalPrice: original,
    finalPrice: final,
    discountedAmount: discount,
    discountType: a.coupon.type,
    discountPercentage: a.coupon.type === 'percentage' ? formatDecimal(new ExactDecimal(a.coupon.percentageOff as string)) : null,
    currency: currency.toLowerCase(),
  };
}

/**
 * An invoice's coupons, in FlexPrice's order (docs/flexprice-compatibility.md#coupon-discounts):
 * line-level coupons first, each on what its line has left; then invoice-level coupons on the running
 * total (the lines after their own discounts), in association order, each on what the previous left.
 * The invoice-level discount is spread over the lines in proportion to what each has left, by largest
 * remainder, so the lines' shares add up to it exactly and none exceeds its line. Every discount is
 * rounded to the currency and never exceeds what it applies to. A coupon that took nothing off (on
 * an empty or fully discounted amount) leaves no application record, so it is not spent.
 */
export function applyInvoiceDiscounts(input: InvoiceDiscountInput): InvoiceDiscounts {
  const { currency } = input;
  const places = currencyPrecision(currency);
  const applications: CouponApplication[] = [];
  const lines = input.lines.map((l, i) => ({ id: l.id, amount: moneyOf(l.amount, `lines[${i}].amount`, places), lineDiscount: zero }));

  for (const lc of [...(input.lineCoupons ?? [])].sort(associationOrder)) {
    const line = lines.find((l) => l.id === lc.lineId);
    if (!line) continue; // the coupon's line item is not billed on this invoice
    const left = formatDecimal(line.amount.minus(line.lineDiscount));
    const d = couponDiscount(lc.coupon, left, currency);
    line.lineDiscount = line.lineDiscount.plus(d.discount);
    if (d.discount !== '0') applications.push(application(lc, line.id, d.amount, d.discount, d.finalAmount, currency));
  }

  const remaining = lines.map((l) => l.amount.minus(l.lineDiscount));
  const runningTotal = remaining.reduce((s, r) => s.plus(r), zero);
  const invoiceCoupons = [...(input.invoiceCoupons ?? [])].sort(associationOrder);
  const sequential = sequentialCouponDiscounts(
    invoiceCoupons.map((c) => c.coupon),
    formatDecimal(runningTotal),
    currency,
  );
  sequential.discounts.forEach((d, i) => {
    if (d.discount !== '0') applications.push(application(invoiceCoupons[i], null, d.amount, d.discount, d.finalAmount, currency));
  });
  const invoiceDiscount = new ExactDecimal(sequential.totalDiscount);
  const shares = lines.length === 0 ? [] : allocate(invoiceDiscount, remaining, places);

  let total = zero;
  const discounted = lines.map((l, i): DiscountedLine => {
    const share = shares[i];
    total = total.plus(l.lineDiscount).plus(share);
    return {
      id: l.id,
      amount: formatDecimal(l.amount),
      lineItemDiscount: formatDecimal(l.lineDiscount),
      invoiceLevelDiscount: formatDecimal(share),
      amountAfterDiscounts: formatDecimal(remaining[i].minus(share)),
    };
  });
  return { lines: discounted, totalDiscount: formatDecimal(total), applications };
}
