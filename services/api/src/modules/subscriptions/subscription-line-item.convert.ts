import type { ProrationBehavior } from '../../billing/invoicing/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import type { Schemas } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { amountOf, tiersOf, type PriceOverride } from '../prices/index.ts';
import type { LineItemEntityType } from './subscription-line-item.entity.ts';
import { lineItemSearchFields } from './subscription-line-item.search.ts';
import { readExtraLineItem, type ExtraLineItem } from './subscription.convert.ts';

const notSupported = 'is not supported by Tally yet';

/** A line item to add to a subscription, as far as the request alone can tell. */
export type NewLineItem = { item: ExtraLineItem; prorationBehavior: ProrationBehavior };

/** `currency` is the subscription's (an inline price takes it); the service reads it first. */
export function fromCreateLineItemRequest(body: Schemas['CreateSubscriptionLineItemRequest'], currency: string): NewLineItem {
  const errors: Problems = {};
  const item = readExtraLineItem(body, '', currency, errors);
  throwIfProblems(errors);
  return { item, prorationBehavior: body.proration_behavior ?? 'none' };
}

/** A change to a line item: `metadata` alone, or a pricing override (ending it and making a successor). */
export type LineItemChange = { effectiveFrom: Date | null; metadata: Record<string, string> | null; override: PriceOverride };

export function fromUpdateLineItemRequest(body: Schemas['UpdateSubscriptionLineItemRequest']): LineItemChange {
  const errors: Problems = {};
  for (const field of ['commitment_amount', 'commitment_quantity', 'commitment_type', 'commitment_overage_factor', 'commitment_duration'] as const) {
    if (body[field] !== undefined && body[field] !== '') errors[field] = notSupported;
  }
  if (body.commitment_true_up_enabled || body.commitment_windowed) errors[body.commitment_true_up_enabled ? 'commitment_true_up_enabled' : 'commitment_windowed'] = notSupported;
  const override: PriceOverride = {};
  if (body.amount !== undefined) override.amount = amountOf(body.amount, 'amount', errors);
  if (body.billing_model !== undefined) override.billingModel = body.billing_model;
  if (body.tier_mode !== undefined) override.tierMode = body.tier_mode;
  if (body.tiers !== undefined) override.tiers = tiersOf(body.tiers, 'tiers', errors);
  if (body.transform_quantity !== undefined) override.transformQuantity = { divide_by: body.transform_quantity.divide_by, ...(body.transform_quantity.round ? { round: body.transform_quantity.round } : {}) };
  const effectiveFrom = parseDateInput(body.effective_from, 'effective_from', errors);
  if (!Object.keys(override).length && body.metadata === undefined && !Object.keys(errors).length) errors.body = 'give metadata or a pricing field (amount, billing_model, tier_mode, tiers, transform_quantity)';
  throwIfProblems(errors);
  return { effectiveFrom, metadata: body.metadata ?? null, override };
}

export type LineItemEnding = { effectiveFrom: Date | null; prorationBehavior: ProrationBehavior };

export function fromDeleteLineItemRequest(body: Schemas['DeleteSubscriptionLineItemRequest'] | undefined): LineItemEnding {
  const errors: Problems = {};
  const effectiveFrom = parseDateInput(body?.effective_from, 'effective_from', errors);
  throwIfProblems(errors);
  return { effectiveFrom, prorationBehavior: body?.proration_behavior ?? 'none' };
}

export type LineItemQuery = ListQuery & {
  ids?: string[];
  subscriptionIds?: string[];
  customerIds?: string[];
  priceIds?: string[];
  meterIds?: string[];
  currencies?: string[];
  billingPeriods?: string[];
  entityIds?: string[];
  entityType?: LineItemEntityType;
  addonAssociationIds?: string[];
  activeOnly: boolean;
  currentPeriodStart?: Date;
};

export function fromLineItemFilter(body: Schemas['SubscriptionLineItemFilter']): LineItemQuery {
  const errors: Problems = {};
  const currentPeriodStart = parseDateInput(body.current_period_start, 'current_period_start', errors) ?? undefined;
  const query: LineItemQuery = {
    ...listQueryOf(body, lineItemSearchFields, 'subscription line item'),
    ids: body.subscription_line_item_ids,
    subscriptionIds: body.subscription_ids,
    customerIds: body.customer_ids,
    priceIds: body.price_ids,
    meterIds: body.meter_ids,
    currencies: body.currencies?.map((c) => c.toLowerCase()),
    billingPeriods: body.billing_periods,
    entityIds: body.entity_ids,
    entityType: body.entity_type,
    addonAssociationIds: body.addon_association_ids,
    activeOnly: body.active_filter ?? true,
    currentPeriodStart,
  };
  throwIfProblems(errors);
  return query;
}
