import type { Schemas } from '../../wire/contract-types.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { toPlanWithContents, type PlanView } from '../catalog/index.ts';
import { toCouponResponse, type Coupon } from '../coupons/index.ts';
import { toCustomerResponse, type Customer } from '../customers/index.ts';
import { toInvoiceResponse, type InvoiceView } from '../invoices/index.ts';
import { toMeterResponse, type Meter } from '../meters/index.ts';
import { toPriceResponse, type PriceView } from '../prices/index.ts';
import type { CouponAssociation } from './coupon-association.entity.ts';
import type { SubscriptionLineItem } from './subscription-line-item.entity.ts';
import type { Subscription } from './subscription.entity.ts';
import { withoutUndefined } from '../../wire/without-undefined.ts';

export type SubscriptionResponse = Schemas['SubscriptionResponse'];
export type SubscriptionFieldsResponse = Schemas['SubscriptionFields'];

export type LineItemView = { item: SubscriptionLineItem; price?: PriceView; meter?: Meter };
export type AssociationView = { association: CouponAssociation; coupon?: Coupon };

/** A subscription with what its response embeds. */
export type SubscriptionView = {
  subscription: Subscription;
  lineItems?: LineItemView[];
  associations?: AssociationView[];
  plan?: PlanView;
  customer?: Customer;
  latestInvoice?: InvoiceView;
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

/** The subscription's own fields, as FlexPrice sends them: empty optionals left out, `cancel_at` and the trial bounds null when unset. */
export function toSubscriptionFields(s: Subscription): SubscriptionFieldsResponse {
  return withoutUndefined({
    id: s.id,
    lookup_key: s.lookupKey || undefined,
    customer_id: s.customerId,
    plan_id: s.planId,
    subscription_status: s.subscriptionStatus,
    currency: s.currency,
    billing_anchor: s.billingAnchor.toISOString(),
    billing_cycle: s.billingCycle,
    start_date: s.startDate.toISOString(),
    end_date: iso(s.endDate),
    current_period_start: s.currentPeriodStart.toISOString(),
    current_period_end: s.currentPeriodEnd.toISOString(),
    cancelled_at: iso(s.cancelledAt),
    cancel_at: s.cancelAt ? s.cancelAt.toISOString() : null,
    cancel_at_period_end: s.cancelAtPeriodEnd,
    trial_start: s.trialStart ? s.trialStart.toISOString() : null,
    trial_end: s.trialEnd ? s.trialEnd.toISOString() : null,
    billing_cadence: 'RECURRING' as const,
    billing_period: s.billingPeriod,
    billing_period_count: s.billingPeriodCount,
    version: s.version,
    metadata: s.metadata ?? {},
    pause_status: s.pauseStatus ?? 'none',
    ...(s.activePauseId ? { active_pause_id: s.activePauseId } : {}),
    commitment_amount: s.commitmentAmount == null ? undefined : canonicalDecimal(s.commitmentAmount),
    commitment_duration: s.commitmentDuration ?? undefined,
    overage_factor: s.overageFactor == null ? undefined : canonicalDecimal(s.overageFactor),
    payment_behavior: s.paymentBehavior,
    collection_method: s.collectionMethod,
    gateway_payment_method_id: s.gatewayPaymentMethodId ?? undefined,
    timezone: s.timezone,
    proration_behavior: s.prorationBehavior,
    enable_true_up: s.enableTrueUp,
    payment_terms: s.paymentTerms ?? undefined,
    subscription_type: 'standalone' as const,
    ...recordFields(s),
  });
}

export function toLineItemResponse({ item, price, meter }: LineItemView): Schemas['SubscriptionLineItemResponse'] {
  return withoutUndefined({
    id: item.id,
    subscription_id: item.subscriptionId,
    customer_id: item.customerId,
    entity_id: item.entityId,
    entity_type: item.entityType,
    addon_association_id: item.addonAssociationId ?? undefined,
    plan_display_name: item.planDisplayName ?? undefined,
    price_id: item.priceId,
    price_type: item.priceType,
    meter_id: item.meterId ?? undefined,
    meter_display_name: item.meterDisplayName ?? undefined,
    price_unit_id: item.priceUnitId ?? null,
    price_unit: item.priceUnit ?? null,
    display_name: item.displayName ?? undefined,
    quantity: canonicalDecimal(item.quantity),
    currency: item.currency,
    billing_period: item.billingPeriod,
    billing_period_count: item.billingPeriodCount,
    invoice_cadence: item.invoiceCadence,
    start_date: item.startDate.toISOString(),
    end_date: iso(item.endDate),
    metadata: item.metadata ?? {},
    commitment_true_up_enabled: false,
    commitment_windowed: false,
    ...recordFields(item),
    price: price ? toPriceResponse(price) : undefined,
    meter: meter ? toMeterResponse(meter) : undefined,
  });
}

export function toAssociationResponse({ association: a, coupon }: AssociationView): Schemas['CouponAssociationResponse'] {
  return withoutUndefined({
    id: a.id,
    coupon_id: a.couponId,
    subscription_id: a.subscriptionId,
    subscription_line_item_id: a.subscriptionLineItemId ?? undefined,
    start_date: a.startDate.toISOString(),
    end_date: iso(a.endDate),
    metadata: a.metadata ?? {},
    ...recordFields(a),
    coupon: coupon ? toCouponResponse(coupon) : undefined,
  });
}

/** A subscription with whatever of its plan, customer, line items, coupon associations and latest invoice was loaded. */
export function toSubscriptionResponse(v: SubscriptionView): SubscriptionResponse {
  return withoutUndefined({
    ...toSubscriptionFields(v.subscription),
    line_items: v.lineItems?.map(toLineItemResponse),
    coupon_associations: v.associations?.map(toAssociationResponse),
    plan: v.plan ? toPlanWithContents(v.plan) : undefined,
    customer: v.customer ? toCustomerResponse(v.customer) : undefined,
    latest_invoice: v.latestInvoice ? toInvoiceResponse(v.latestInvoice) : undefined,
  });
}

export function toSubscriptionResponseV2(v: SubscriptionView): Schemas['SubscriptionResponseV2'] {
  const { latest_invoice: _, ...rest } = toSubscriptionResponse(v);
  return { ...rest, plan_prices_out_of_sync: false };
}

/** FlexPrice's trimmed subscription of a webhook, with the trimmed customer when known. */
export function subscriptionWebhookPayload(s: Subscription, customer?: Record<string, unknown>): Record<string, unknown> {
  const f = toSubscriptionFields(s);
  return {
    subscription: withoutUndefined({
      id: f.id,
      customer_id: f.customer_id,
      plan_id: f.plan_id,
      lookup_key: f.lookup_key,
      subscription_status: f.subscription_status,
      currency: f.currency,
      start_date: f.start_date,
      end_date: f.end_date,
      current_period_start: f.current_period_start,
      current_period_end: f.current_period_end,
      cancelled_at: f.cancelled_at,
      cancel_at: f.cancel_at,
      cancel_at_period_end: f.cancel_at_period_end,
      trial_start: f.trial_start,
      trial_end: f.trial_end,
      billing_cadence: f.billing_cadence,
      billing_period: f.billing_period,
      billing_period_count: f.billing_period_count,
      pause_status: f.pause_status,
      subscription_type: f.subscription_type,
      metadata: f.metadata,
      payment_behavior: f.payment_behavior,
      collection_method: f.collection_method,
      customer,
    }),
  };
}
