import type { HandlersOf } from '../../request-context.ts';
import type { CustomerUsage } from './customer-usage.ts';
import type { EntitlementReads } from './entitlement-reads.ts';
import { fromCustomerUsageRequest, toAggregatedFeatureResponse, toCustomerUsageSummaryResponse } from './entitlement-reads.convert.ts';
import { embedsOf } from './subscription.convert.ts';
import { toSubscriptionResponse } from './subscription-response.ts';
import type { SubscriptionService } from './subscription.service.ts';
import type { SubscriptionUsage } from './subscription-usage.ts';
import { fromSubscriptionUsageRequest, toSubscriptionUsageResponse } from './subscription-usage.convert.ts';

type EntitlementReadHandlers = HandlersOf<
  'getSubscriptionEntitlements' | 'getCustomerEntitlements' | 'getCustomerEntitlementsByExternalId' | 'getCustomerUsageSummary' | 'getCustomerSubscriptionsByExternalId' | 'getSubscriptionUsage'
>;

/** What customers and apps ask at run time: entitlements, usage against them, a customer's subscriptions. */
export function entitlementReadHandlers(reads: EntitlementReads, usage: CustomerUsage, subscriptions: SubscriptionService, subscriptionUsage: SubscriptionUsage): EntitlementReadHandlers {
  return {
    getSubscriptionEntitlements: async ({ path, query }, ctx) => {
      const { subscription, features } = await reads.ofSubscription(ctx.auth, path.id, query?.feature_ids);
      return { subscription_id: subscription.id, plan_id: subscription.planId, features: features.map(toAggregatedFeatureResponse) };
    },
    getCustomerEntitlements: async ({ path, query }, ctx) => {
      const { customer, features } = await reads.ofCustomer(ctx.auth, { customer: { id: path.id }, featureIds: query?.feature_ids, subscriptionIds: query?.subscription_ids });
      return { customer_id: customer.id, features: features.map(toAggregatedFeatureResponse) };
    },
    getCustomerEntitlementsByExternalId: async ({ path, query }, ctx) => {
      const { customer, features } = await reads.ofCustomer(ctx.auth, { customer: { externalId: path.external_id }, featureIds: query?.feature_ids, subscriptionIds: query?.subscription_ids });
      return { customer_id: customer.id, features: features.map(toAggregatedFeatureResponse) };
    },
    getSubscriptionUsage: async ({ body }, ctx) => toSubscriptionUsageResponse(await subscriptionUsage.usage(ctx.auth, fromSubscriptionUsageRequest(body))),
    getCustomerUsageSummary: async ({ query }, ctx) => toCustomerUsageSummaryResponse(await usage.summary(ctx.auth, fromCustomerUsageRequest(query))),
    getCustomerSubscriptionsByExternalId: async ({ path, query }, ctx) => {
      const views = await subscriptions.ofExternalCustomer(ctx.auth, path.external_id, embedsOf(query?.expand, true));
      return { items: views.map(toSubscriptionResponse), pagination: { total: views.length, limit: views.length, offset: 0 } };
    },
  };
}
