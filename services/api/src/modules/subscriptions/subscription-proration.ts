import { proratedAdvanceCharge, unusedAdvanceCredit } from '../../billing/invoicing/index.ts';
import { ExactDecimal, formatDecimal, zero } from '../../billing/money/index.ts';
import type { ProrationDetail } from './subscription-cancel.convert.ts';
import type { SubscriptionLineItem } from './subscription-line-item.entity.ts';

const dayMs = 86_400_000;
type Period = { start: Date; end: Date };

/** A recurring FIXED charge billed at the start of its period: what proration credits and charges. */
export const isRecurringAdvance = (item: Pick<SubscriptionLineItem, 'priceType' | 'invoiceCadence' | 'billingPeriod'>): boolean =>
  item.priceType === 'FIXED' && item.invoiceCadence === 'ADVANCE' && item.billingPeriod !== 'ONETIME';

/**
 * The credit for the unused part, from `at` to the period end, of each FIXED ADVANCE charge of the
 * period (docs/flexprice-compatibility.md#proration): the share of what the line was charged for the
 * period (`charged`, by line item id; net of earlier credits), so never more than that. Lines charged
 * nothing get nothing.
 */
export function unusedAdvanceCredits(lineItems: readonly SubscriptionLineItem[], charged: ReadonlyMap<string, string>, period: Period, at: Date, currency: string) {
  const details: ProrationDetail[] = [];
  let total = zero;
  for (const item of lineItems) {
    if (!isRecurringAdvance(item)) continue;
    const billed = charged.get(item.id);
    if (!billed || new ExactDecimal(billed).lte(0)) continue;
    // The unused share of what the line was charged for the period (equal to amount × quantity for a flat fee).
    const { credit } = unusedAdvanceCredit({ amount: billed, quantity: '1', period, at, currency, billed, alreadyCredited: '0' });
    total = total.plus(credit);
    details.push({
      lineItemId: item.id,
      priceId: item.priceId,
      planName: item.planDisplayName,
      originalAmount: formatDecimal(new ExactDecimal(billed)),
      creditAmount: credit,
      prorationDays: Math.floor(Math.max(0, period.end.getTime() - at.getTime()) / dayMs),
      description: `unused time of ${item.displayName ?? item.priceId} from ${at.toISOString()} to ${period.end.toISOString()}`,
    });
  }
  return { details, total: formatDecimal(total) };
}

/** A line's prorated charge for the rest of the period from `at`: `amount × quantity` × the same coefficient. */
export type ProratedCharge = { item: SubscriptionLineItem; amount: string };

/** The charge, from `at` to the period end, of each new FIXED ADVANCE line (its price's `amount` given by price id). */
export function remainingAdvanceCharges(lineItems: readonly SubscriptionLineItem[], amounts: ReadonlyMap<string, string>, period: Period, at: Date, currency: string): ProratedCharge[] {
  return lineItems
    .filter(isRecurringAdvance)
    .map((item) => ({ item, amount: proratedAdvanceCharge({ amount: amounts.get(item.priceId) ?? '0', quantity: item.quantity, period, at, currency }) }))
    .filter((c) => new ExactDecimal(c.amount).gt(0));
}
