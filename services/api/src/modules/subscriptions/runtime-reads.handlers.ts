import type { HandlersOf } from '../../request-context.ts';
import type { CustomerUsage } from './customer-usage.ts';
import type { EntitlementReads } from './entitlement-reads.ts';
import { fromCustomerUsageRequest, toCustomerEntitlementsResponse, toCustomerUsageSummaryResponse, toSubscriptionEntitlementsResponse } from './entitlement-reads.convert.ts';
import { embedsOf } from './subscription.convert.ts';
import { toSubscriptionResponse } from './subscription-response.ts';
import type { SubscriptionService } from './subscription.service.ts';
import type { SubscriptionUsage } from './subscription-usage.ts';
import type { UsageAnalyticsReads } from './usage-analytics.ts';
import { fromUsageAnalyticsRequest, toUsageAnalyticsResponse } from './usage-analytics.convert.ts';
import { fromSubscriptionUsageRequest, toSubscriptionUsageResponse } from './subscription-usage.convert.ts';

type RuntimeReadHandlers = HandlersOf<
  'getSubscriptionEntitlements' | 'getCustomerEntitlements' | 'getCustomerEntitlementsByExternalId' | 'getCustomerUsageSummary' | 'getCustomerUsageSummaryById' | 'getCustomerSubscriptionsByExternalId' | 'getSubscriptionUsage' | 'getUsageAnalytics'
>;

/** The services these reads use, as the composition root names them. */
export type RuntimeReadServices = {
  entitlementReads: EntitlementReads;
  customerUsage: CustomerUsage;
  subscriptions: SubscriptionService;
  subscriptionUsage: SubscriptionUsage;
  usageAnalytics: UsageAnalyticsReads;
};

/** What customers and apps ask at run time: entitlements, usage against them and its cost, a customer's subscriptions. */
export function runtimeReadHandlers(services: RuntimeReadServices): RuntimeReadHandlers {
  const { entitlementReads: reads, customerUsage: usage, subscriptions, subscriptionUsage, usageAnalytics: analytics } = services;
  return {
    getSubscriptionEntitlements: async ({ path, query }, ctx) => toSubscriptionEntitlementsResponse(await reads.ofSubscription(ctx.auth, path.id, query?.feature_ids)),
    getCustomerEntitlements: async ({ path, query }, ctx) =>
      toCustomerEntitlementsResponse(await reads.ofCustomer(ctx.auth, { customer: { id: path.id }, featureIds: query?.feature_ids, subscriptionIds: query?.subscription_ids })),
    getCustomerEntitlementsByExternalId: async ({ path, query }, ctx) =>
      toCustomerEntitlementsResponse(await reads.ofCustomer(ctx.auth, { customer: { externalId: path.external_id }, featureIds: query?.feature_ids, subscriptionIds: query?.subscription_ids })),
    getSubscriptionUsage: async ({ body }, ctx) => toSubscriptionUsageResponse(await subscriptionUsage.usage(ctx.auth, fromSubscriptionUsageRequest(body))),
    getUsageAnalytics: async ({ body }, ctx) => {
      const req = fromUsageAnalyticsRequest(body);
      return toUsageAnalyticsResponse(await analytics.analytics(ctx.auth, req), req.expand);
    },
    getCustomerUsageSummary: async ({ query }, ctx) => toCustomerUsageSummaryResponse(await usage.summary(ctx.auth, fromCustomerUsageRequest(query))),
    getCustomerUsageSummaryById: async ({ path, query }, ctx) =>
      toCustomerUsageSummaryResponse(await usage.summary(ctx.auth, { customer: { id: path.id }, featureIds: query?.feature_ids, featureLookupKeys: query?.feature_lookup_keys, subscriptionIds: query?.subscription_ids })),
    getCustomerSubscriptionsByExternalId: async ({ path, query }, ctx) => {
      const views = await subscriptions.ofExternalCustomer(ctx.auth, path.external_id, embedsOf(query?.expand, true));
      return { items: views.map(toSubscriptionResponse), pagination: { total: views.length, limit: views.length, offset: 0 } };
    },
  };
}
