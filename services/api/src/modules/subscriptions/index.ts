/** Subscriptions, as other modules and the composition root use them. */
import { SubscriptionRepo, type SubscriptionReader } from './subscription.repo.ts';

export { SubscriptionService, type SubscriptionServiceFaces } from './subscription.service.ts';
export { SubscriptionReads, type SubscriptionReadFaces } from './subscription-reads.ts';
export { SubscriptionSchedules } from './subscription-schedules.ts';
export { SubscriptionPauses } from './subscription-pauses.ts';
export { SubscriptionCancellations, type CancellationFaces, type CreditDeposits } from './subscription-cancel.service.ts';
export { SubscriptionDueWork } from './subscription-due-work.ts';
export { SubscriptionPlanChanges, type PlanChangeFaces } from './subscription-change.service.ts';
export { PlanChangeWork } from './plan-change.work.ts';
export { SubscriptionReplacements } from './subscription-change-v1.service.ts';
export { SubscriptionReplacement } from './subscription-replacement.ts';
export type { PlanChangeStep } from './subscription-plan-swap.ts';
export { SubscriptionLineItems } from './subscription-line-items.ts';
export { SubscriptionLineItemService } from './subscription-line-item.service.ts';
export { SubscriptionModifications } from './subscription-modify.service.ts';
export { SubscriptionAddons } from './subscription-addons.ts';
export { AddonModifications } from './subscription-modify-addon.ts';
export { ProrationSettlement } from './line-item-proration.ts';
export { EntitlementReads } from './entitlement-reads.ts';
export { CustomerUsage } from './customer-usage.ts';
export { SubscriptionUsage } from './subscription-usage.ts';
export { UsageAnalyticsReads } from './usage-analytics.ts';
export { SubscriptionRepo };
export type { Subscription } from './subscription.entity.ts';
export type { SubscriptionReader };

/** Reads subscriptions by id in the caller's unit of work: the runtime reads of other modules (prices and entitlements scoped to one). */
export const subscriptionReader: SubscriptionReader = new SubscriptionRepo();
export { hasUncancelledSubscription } from './customer-holdings.ts';
