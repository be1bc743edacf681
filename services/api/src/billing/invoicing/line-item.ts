import type { BillingPeriodUnit } from '../period/index.ts';
import type { RatedPrice } from '../pricing/index.ts';

/** FlexPrice's `price_type`: a fixed fee, or a charge for metered usage. */
export const priceTypes = ['FIXED', 'USAGE'] as const;
export type PriceType = (typeof priceTypes)[number];

/**
 * FlexPrice's `invoice_cadence`: ADVANCE is billed at the start of the service period it covers,
 * ARREAR at its end (docs/flexprice-compatibility.md#invoices). Usage is always ARREAR.
 */
export const invoiceCadences = ['ADVANCE', 'ARREAR'] as const;
export type InvoiceCadence = (typeof invoiceCadences)[number];

/** A price's `billing_period`: a recurring unit, or ONETIME (billed once, in advance). */
export type PriceBillingPeriod = BillingPeriodUnit | 'ONETIME';

/** The price of a subscription line item, as invoicing needs it: its cadence and its rated amounts. */
export type InvoicePrice = {
  id: string;
  type: PriceType;
  invoiceCadence: InvoiceCadence;
  billingPeriod: PriceBillingPeriod;
  billingPeriodCount: number;
  /** The price read once by `parsePrice`/`readPrice`: amounts, tiers, currency precision. */
  rated: RatedPrice;
};

/**
 * A subscription line item: one price on the subscription, active over [startDate, endDate)
 * (open-ended without an end). `quantity` is a decimal string: seats for a fixed price (1 unless
 * set), 0 for a usage price (usage comes from the meter).
 */
export type SubscriptionLineItem = {
  id: string;
  price: InvoicePrice;
  quantity: string;
  startDate: Date;
  endDate?: Date | null;
};

/** Refuses (RangeError) a line item whose price combination FlexPrice does not allow. */
export function checkLineItem(item: SubscriptionLineItem): void {
  const { price } = item;
  const where = `line item ${item.id}`;
  if (price.type === 'USAGE' && price.invoiceCadence !== 'ARREAR') throw new RangeError(`${where}: a USAGE price is billed in ARREAR`);
  if (price.billingPeriod === 'ONETIME' && (price.type !== 'FIXED' || price.invoiceCadence !== 'ADVANCE')) {
    throw new RangeError(`${where}: a ONETIME price is a FIXED price billed in ADVANCE`);
  }
  if (!Number.isSafeInteger(price.billingPeriodCount) || price.billingPeriodCount < 1) {
    throw new RangeError(`${where}: billing_period_count must be a whole number ≥ 1`);
  }
  if (item.endDate && item.endDate < item.startDate) throw new RangeError(`${where}: ends before it starts`);
}
