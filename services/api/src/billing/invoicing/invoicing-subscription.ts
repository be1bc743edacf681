import type { BillingCycle, BillingPeriodUnit, BillingSchedule } from '../period/index.ts';
import type { SubscriptionLineItem } from './line-item.ts';

/** FlexPrice's `proration_behavior`. */
export const prorationBehaviors = ['none', 'create_prorations'] as const;
export type ProrationBehavior = (typeof prorationBehaviors)[number];

/**
 * What composing a subscription's invoices needs of it. `billingAnchor` is the anchor its periods
 * follow (after a trial, the trial end); `timezone` the customer's IANA zone. `cancelAt` is a
 * scheduled cancellation (end of period or a date): invoicing treats it as the end, so a final
 * period-end invoice bills no ADVANCE charges for a period that will not run.
 */
export type InvoicingSubscription = {
  billingPeriod: BillingPeriodUnit;
  billingPeriodCount: number;
  billingAnchor: Date;
  billingCycle: BillingCycle;
  timezone: string;
  startDate: Date;
  endDate?: Date | null;
  cancelAt?: Date | null;
  prorationBehavior: ProrationBehavior;
  lineItems: readonly SubscriptionLineItem[];
};

/** When the subscription stops being billed: the earlier of its end date and a scheduled cancellation. */
export function subscriptionEnd(sub: InvoicingSubscription): Date | null {
  const ends = [sub.endDate, sub.cancelAt].filter((d): d is Date => d instanceof Date);
  if (ends.length === 0) return null;
  return ends.reduce((a, b) => (b < a ? b : a));
}

/** The subscription's billing schedule (its periods), ending where billing ends. */
export function scheduleOf(sub: InvoicingSubscription): BillingSchedule {
  return {
    unit: sub.billingPeriod,
    count: sub.billingPeriodCount,
    anchor: sub.billingAnchor,
    timezone: sub.timezone,
    start: sub.startDate,
    end: subscriptionEnd(sub),
  };
}
