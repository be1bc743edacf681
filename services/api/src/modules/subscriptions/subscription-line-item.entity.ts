import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { PriceBillingPeriod, InvoiceCadence, PriceType } from '../../billing/invoicing/index.ts';

export const lineItemEntityTypes = ['plan', 'addon', 'subscription'] as const;
export type LineItemEntityType = (typeof lineItemEntityTypes)[number];

/**
 * One price on a subscription, active over [startDate, endDate) (open-ended without an end). The
 * price's descriptive fields are copied at creation (as FlexPrice does) so invoices read them
 * without the catalogue; `quantity` is a decimal (1 or `min_quantity` for fixed prices, 0 for usage).
 */
export const SubscriptionLineItemSchema = defineEntity(environmentRecord('SubscriptionLineItem', 'subscription_line_items', {
  subscriptionId: p.string().length(64),
  customerId: p.string().length(64),
  entityId: p.string().length(64),
  entityType: p.string().length(20).$type<LineItemEntityType>(),
  /** For an `addon` line item: the attachment that made it. */
  addonAssociationId: p.string().length(64).nullable(),
  planDisplayName: p.string().length(255).nullable(),
  priceId: p.string().length(64),
  priceType: p.string().length(20).$type<PriceType>(),
  meterId: p.string().length(64).nullable(),
  meterDisplayName: p.string().length(255).nullable(),
  priceUnitId: p.string().length(64).nullable(),
  priceUnit: p.string().length(3).nullable(),
  displayName: p.string().length(255).nullable(),
  quantity: p.decimal('string').columnType('numeric'),
  currency: p.string().length(3),
  billingPeriod: p.string().length(20).$type<PriceBillingPeriod>(),
  billingPeriodCount: p.integer(),
  invoiceCadence: p.string().length(20).$type<InvoiceCadence>(),
  startDate: p.datetime(),
  endDate: p.datetime().nullable(),
  position: p.integer().default(0),
  metadata: p.json<Record<string, string>>().default('{}'),
}, { indexes: [inEnvironment('subscription_line_items_subscription_idx', ['subscriptionId'])] }));
export class SubscriptionLineItem extends SubscriptionLineItemSchema.class {}
SubscriptionLineItemSchema.setClass(SubscriptionLineItem);
