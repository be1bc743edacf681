import { firstBillingPeriod, nextBillingPeriod, type BillingPeriodUnit, type BillingSchedule, type Period } from '../period/index.ts';
import type { InvoiceCadence, SubscriptionLineItem } from './line-item.ts';

/** A period's nominal length in days, to compare cadences (a month is 365.2425 ÷ 12 days). */
const nominalDays: Record<BillingPeriodUnit, number> = {
  DAILY: 1,
  WEEKLY: 7,
  MONTHLY: 487 / 16,
  QUARTERLY: (3 * 487) / 16,
  HALF_YEARLY: (6 * 487) / 16,
  ANNUAL: (12 * 487) / 16,
};

/**
 * True when `count` `unit`s are longer than the subscription's period: a QUARTERLY price on a
 * MONTHLY subscription, or MONTHLY × 3 on MONTHLY. Counts are compared too, so a price billed every
 * three months is not charged monthly because its unit matches.
 */
export function isLongerPeriod(unit: BillingPeriodUnit, count: number, subscriptionUnit: BillingPeriodUnit, subscriptionCount: number): boolean {
  return nominalDays[unit] * count > nominalDays[subscriptionUnit] * subscriptionCount;
}

/**
 * The line item's own period that an invoice window bills, for a fixed line whose period is longer
 * than the subscription's (docs/flexprice-compatibility.md#invoices). The line's periods run from
 * its start date (the anchor) in the subscription's time zone and stop at `end`. ADVANCE: the period
 * that starts inside the window [start, end); ARREAR: the one that ends inside it (start, end].
 * Undefined when the window bills none.
 */
export function longerLinePeriod(item: SubscriptionLineItem, window: Period, cadence: InvoiceCadence, timezone: string, end: Date | null): Period | undefined {
  const { billingPeriod, billingPeriodCount } = item.price;
  if (billingPeriod === 'ONETIME') throw new RangeError('a ONETIME price has no periods');
  const schedule: BillingSchedule = { unit: billingPeriod, count: billingPeriodCount, anchor: item.startDate, timezone, start: item.startDate, end };
  if (end && end <= item.startDate) return undefined;
  for (let p: Period | undefined = firstBillingPeriod(schedule); p; p = nextBillingPeriod(p, schedule)) {
    if (cadence === 'ADVANCE') {
      if (p.start >= window.end) return undefined;
      if (p.start >= window.start) return p;
    } else {
      if (p.end > window.end) return undefined;
      if (p.end > window.start) return p;
    }
  }
  return undefined;
}
