import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import { int64ToJson } from '../../wire/int64-json.ts';
import { throwIfProblems } from '../../errors/problems.ts';
import { toFeatureResponse } from '../features/index.ts';
import type { AggregatedFeature, EntitlementSource } from './entitlement-aggregation.ts';
import type { CustomerUsageSummary, FeatureUsage } from './customer-usage.ts';
import type { CustomerEntitlementsQuery } from './entitlement-reads.ts';
import type { Customer } from '../customers/index.ts';
import type { Subscription } from './subscription.entity.ts';

const limitToJson = (limit: string | null | undefined) => (limit === null || limit === undefined ? null : int64ToJson(limit));

function toSourceResponse(s: EntitlementSource): Schemas['EntitlementSource'] {
  const e = s.entitlement;
  return {
    subscription_id: s.subscriptionId,
    entity_type: s.entityType,
    entity_id: s.entityId,
    entity_name: s.entityName,
    quantity: 1,
    entitlement_id: e.id,
    is_enabled: e.isEnabled,
    usage_limit: e.featureType === 'metered' ? limitToJson(e.usageLimit) : null,
    usage_reset_period: e.featureType === 'metered' ? (e.usageResetPeriod ?? null) : null,
    static_value: e.staticValue ?? '',
  };
}

function toAggregatedFeatureResponse(f: AggregatedFeature): Schemas['AggregatedFeature'] {
  const e = f.entitlement;
  return {
    feature: toFeatureResponse(f.feature),
    entitlement: { is_enabled: e.isEnabled, usage_limit: limitToJson(e.usageLimit), is_soft_limit: e.isSoftLimit, usage_reset_period: e.usageResetPeriod, static_values: e.staticValues },
    sources: f.sources.map(toSourceResponse),
  };
}

export function toSubscriptionEntitlementsResponse(r: { subscription: Subscription; features: AggregatedFeature[] }): Schemas['SubscriptionEntitlementsResponse'] {
  return { subscription_id: r.subscription.id, plan_id: r.subscription.planId, features: r.features.map(toAggregatedFeatureResponse) };
}

export function toCustomerEntitlementsResponse(r: { customer: Customer; features: AggregatedFeature[] }): Schemas['CustomerEntitlementsResponse'] {
  return { customer_id: r.customer.id, features: r.features.map(toAggregatedFeatureResponse) };
}

function toFeatureUsageResponse(f: FeatureUsage): Schemas['FeatureUsageSummary'] {
  return {
    feature: toFeatureResponse(f.feature),
    current_usage: f.currentUsage,
    total_limit: limitToJson(f.entitlement.usageLimit),
    usage_percent: f.usagePercent,
    is_enabled: f.entitlement.isEnabled,
    is_soft_limit: f.entitlement.isSoftLimit,
    is_unlimited: f.entitlement.usageLimit === null,
    ...(f.nextResetAt ? { next_usage_reset_at: f.nextResetAt.toISOString() } : {}),
    sources: f.sources.map(toSourceResponse),
  };
}

export function toCustomerUsageSummaryResponse(s: CustomerUsageSummary): Schemas['CustomerUsageSummaryResponse'] {
  return {
    customer_id: s.customerId,
    features: s.features.map(toFeatureUsageResponse),
    ...(s.period ? { period: { start_time: s.period.start.toISOString(), end_time: s.period.end.toISOString(), period: s.period.billingPeriod } } : {}),
  };
}

/** `customer_id` wins over `customer_lookup_key` (the external id), as `customer_id` does elsewhere; one is required. */
export function fromCustomerUsageRequest(q: QueryParams<'getCustomerUsageSummary'> | undefined): CustomerEntitlementsQuery {
  const customer = q?.customer_id ? { id: q.customer_id } : q?.customer_lookup_key ? { externalId: q.customer_lookup_key } : undefined;
  if (!customer) throwIfProblems({ customer_id: 'or customer_lookup_key is required' });
  return { customer: customer!, featureIds: q?.feature_ids, featureLookupKeys: q?.feature_lookup_keys, subscriptionIds: q?.subscription_ids };
}
