import type { Schemas } from '../../wire/contract-types.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { toFeatureResponse } from '../features/index.ts';
import { toPriceResponse } from '../prices/index.ts';
import type { UsageAnalytics, UsageAnalyticsRequest } from './usage-analytics.ts';

const expandable = ['price', 'feature'];

/** What Tally cannot do yet is refused naming the field, rather than answered as if it had been done. */
export function fromUsageAnalyticsRequest(body: Schemas['GetUsageAnalyticsRequest']): UsageAnalyticsRequest {
  const errors: Problems = {};
  if (!body.external_customer_id?.trim()) errors.external_customer_id = 'is required';
  const start = parseDateInput(body.start_time, 'start_time', errors);
  const end = parseDateInput(body.end_time, 'end_time', errors);
  if (start && end && end < start) errors.end_time = 'must not be before start_time';
  const unknown = (body.expand ?? []).filter((t) => !expandable.includes(t));
  if (unknown.length) errors.expand = `may hold only ${expandable.join(', ')} (not ${unknown.join(', ')})`;
  if (body.sources?.length) errors.sources = 'filtering by event source is not supported yet';
  if (body.group_by?.some((g) => g !== 'feature_id')) errors.group_by = 'only feature_id is supported (items are per feature)';
  if (body.property_filters && Object.keys(body.property_filters).length) errors.property_filters = 'are not supported yet';
  if (body.include_children) errors.include_children = 'Tally has no customer hierarchies';
  throwIfProblems(errors);
  return {
    externalCustomerId: body.external_customer_id,
    featureIds: body.feature_ids,
    start,
    end,
    windowSize: body.window_size,
    expand: { price: !!body.expand?.includes('price'), feature: !!body.expand?.includes('feature') },
  };
}

export function toUsageAnalyticsResponse(a: UsageAnalytics, expand: UsageAnalyticsRequest['expand']): Schemas['GetUsageAnalyticsResponse'] {
  return {
    total_cost: a.totalCost,
    currency: a.currency,
    items: a.items.map((i) => ({
      feature_id: i.feature.id,
      price_id: i.priceId,
      meter_id: i.meter.id,
      sub_line_item_id: i.lineItemId,
      subscription_id: i.subscriptionId,
      plan_id: i.planId,
      name: i.feature.name,
      event_name: i.meter.eventName,
      aggregation_type: i.meter.aggregation.type,
      ...(i.feature.unitSingular ? { unit: i.feature.unitSingular } : {}),
      ...(i.feature.unitPlural ? { unit_plural: i.feature.unitPlural } : {}),
      total_usage: i.totalUsage,
      total_cost: i.totalCost,
      currency: i.currency,
      ...(a.windowSize ? { window_size: a.windowSize } : {}),
      ...(i.points ? { points: i.points.map((p) => ({ timestamp: p.timestamp.toISOString(), usage: p.usage, cost: p.cost })) } : {}),
      ...(expand.feature ? { feature: toFeatureResponse(i.feature) } : {}),
      ...(expand.price && i.price ? { price: toPriceResponse(i.price) } : {}),
    })),
  };
}
