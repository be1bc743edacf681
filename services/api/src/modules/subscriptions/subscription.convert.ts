import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import type { BillingCycle, BillingPeriodUnit } from '../../billing/period/index.ts';
import type { PaymentTerms, ProrationBehavior } from '../../billing/invoicing/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { parseExpand } from '../../listing/expand.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { compareDecimals, parseDecimal } from '../../wire/decimal-input.ts';
import { parseDateInput, parseTimeWindow } from '../../wire/date-input.ts';
import type { EntitlementOverride } from '../entitlements/index.ts';
import { amountOf, readCreatePrice, tiersOf, type NewPrice, type PriceOverride } from '../prices/index.ts';
import type { CollectionMethod, PaymentBehavior, StoredTaxRateOverride, SubscriptionStatus } from './subscription.entity.ts';
import { subscriptionSearchFields } from './subscription.search.ts';
import { readAddonAttachment, type NewAddonAttachment } from './addon-attachment.ts';

/** A plan price changed for this subscription: its quantity, and/or (`override` not empty) its pricing. */
export type LineItemOverride = { priceId: string; quantity: string | null; override: PriceOverride; hasPricing: boolean };

/** An extra line item: an existing price, or an inline one to create for the subscription. */
export type ExtraLineItem = {
  priceId: string | null;
  price: NewPrice | null;
  quantity: string | null;
  startDate: Date | null;
  endDate: Date | null;
  displayName: string | null;
  metadata: Record<string, string>;
};

export type CouponRequest = { code: string; priceId: string | null; startDate: Date | null; endDate: Date | null };

/** A subscription to create, validated as far as the request alone allows. */
export type NewSubscription = {
  customerId: string | null;
  externalCustomerId: string | null;
  planId: string;
  currency: string;
  lookupKey: string | null;
  startDate: Date | null;
  endDate: Date | null;
  billingPeriod: BillingPeriodUnit;
  billingPeriodCount: number;
  billingCycle: BillingCycle;
  billingAnchor: Date | null;
  metadata: Record<string, string>;
  trialPeriodDays: number | null;
  requestedStatus: 'draft' | 'trialing' | null;
  collectionMethod: CollectionMethod;
  paymentBehavior: PaymentBehavior;
  gatewayPaymentMethodId: string | null;
  paymentTerms: PaymentTerms | null;
  prorationBehavior: ProrationBehavior;
  commitmentAmount: string | null;
  commitmentDuration: BillingPeriodUnit | null;
  overageFactor: string | null;
  enableTrueUp: boolean;
  overrideLineItems: LineItemOverride[];
  overrideEntitlements: EntitlementOverride[];
  lineItems: ExtraLineItem[];
  /** Addons attached as it is created. */
  addons: NewAddonAttachment[];
  coupons: CouponRequest[];
  taxRateOverrides: StoredTaxRateOverride[];
  /** Not from the request: a v1 plan change's credit for the replaced subscription's unused time, netted against the opening invoice. */
  openingCredit?: string;
};

type Body = Schemas['CreateSubscriptionRequest'];
const orNull = (s: string | undefined) => (s === undefined || s === '' ? null : s);
const notSupported = 'is not supported by Tally yet';

function decimal(value: string | number | undefined, field: string, errors: Problems, min?: string): string | null {
  if (value === undefined) return null;
  const parsed = parseDecimal(value);
  if ('problem' in parsed) {
    errors[field] = parsed.problem;
    return null;
  }
  if (min !== undefined && compareDecimals(parsed.value, min) < 0) errors[field] = `must be at least ${min}`;
  return parsed.value;
}

/** `collection_method` and `payment_behavior` with FlexPrice's defaults, legacy value and allowed pairs. */
function collection(body: Body, errors: Problems): { collectionMethod: CollectionMethod; paymentBehavior: PaymentBehavior } {
  let method = body.collection_method ?? 'charge_automatically';
  let behavior = body.payment_behavior;
  if (method === 'default_incomplete') {
    method = 'charge_automatically';
    if (behavior === undefined || behavior === 'default_incomplete') behavior = 'allow_incomplete';
  }
  const paymentBehavior: PaymentBehavior = behavior ?? 'default_active';
  const allowed: Record<CollectionMethod, PaymentBehavior[]> = {
    charge_automatically: ['allow_incomplete', 'error_if_incomplete', 'default_active'],
    send_invoice: ['default_active', 'default_incomplete'],
  };
  if (!allowed[method].includes(paymentBehavior)) errors.payment_behavior = `must be one of ${allowed[method].join(', ')} with collection_method ${method}`;
  return { collectionMethod: method, paymentBehavior };
}

function overrides(body: Body, errors: Problems): LineItemOverride[] {
  const seen = new Set<string>();
  return (body.override_line_items ?? []).map((o, i) => {
    const f = (field: string) => `override_line_items[${i}].${field}`;
    if (seen.has(o.price_id)) errors[f('price_id')] = 'overrides the same price a second time';
    seen.add(o.price_id);
    const override: PriceOverride = {};
    if (o.amount !== undefined) override.amount = amountOf(o.amount, f('amount'), errors);
    if (o.billing_model !== undefined) override.billingModel = o.billing_model;
    if (o.tier_mode !== undefined) override.tierMode = o.tier_mode;
    if (o.tiers !== undefined) override.tiers = tiersOf(o.tiers, f('tiers'), errors);
    if (o.transform_quantity !== undefined) override.transformQuantity = { divide_by: o.transform_quantity.divide_by, ...(o.transform_quantity.round ? { round: o.transform_quantity.round } : {}) };
    if (o.price_unit_amount !== undefined) override.unitAmount = amountOf(o.price_unit_amount, f('price_unit_amount'), errors);
    if (o.price_unit_tiers !== undefined) override.unitTiers = tiersOf(o.price_unit_tiers, f('price_unit_tiers'), errors);
    const quantity = decimal(o.quantity, f('quantity'), errors, '0');
    return { priceId: o.price_id, quantity, override, hasPricing: Object.keys(override).length > 0 };
  });
}

function extraLineItems(body: Body, errors: Problems): ExtraLineItem[] {
  return (body.line_items ?? []).map((l, i) => {
    if (l.proration_behavior === 'create_prorations') errors[`line_items[${i}].proration_behavior`] = notSupported;
    return readExtraLineItem(l, `line_items[${i}].`, body.currency, errors);
  });
}

/** An extra line item's request (a subscription's `line_items[i]`, or a line item added later), problems named under `prefix`. */
export function readExtraLineItem(l: Schemas['CreateSubscriptionLineItemRequest'], prefix: string, currency: string, errors: Problems): ExtraLineItem {
  const f = (field: string) => `${prefix}${field}`;
  if (!!l.price_id === !!l.price) errors[f('price_id')] = 'give exactly one of price_id or price';
  for (const field of ['subscription_phase_id', 'commitment_amount', 'commitment_quantity', 'commitment_type', 'commitment_overage_factor', 'commitment_duration'] as const) {
    if (l[field] !== undefined && l[field] !== '') errors[f(field)] = notSupported;
  }
  if (l.commitment_true_up_enabled || l.commitment_windowed) errors[f(l.commitment_true_up_enabled ? 'commitment_true_up_enabled' : 'commitment_windowed')] = notSupported;
  let price: NewPrice | null = null;
  if (l.price) {
    const read = readCreatePrice(
      { ...l.price, entity_type: 'SUBSCRIPTION', entity_id: 'subscription', currency, billing_period_count: l.price.billing_period_count ?? 1 },
      `${f('price')}.`,
    );
    Object.assign(errors, read.problems);
    price = read.value;
  }
  const startDate = parseDateInput(l.start_date, f('start_date'), errors);
  const endDate = parseDateInput(l.end_date, f('end_date'), errors);
  if (startDate && endDate && endDate <= startDate) errors[f('end_date')] = 'must be after start_date';
  return {
    priceId: orNull(l.price_id),
    price,
    quantity: decimal(l.quantity, f('quantity'), errors, '0'),
    startDate,
    endDate,
    displayName: orNull(l.display_name),
    metadata: l.metadata ?? {},
  };
}

export function fromCreateSubscriptionRequest(body: Body): NewSubscription {
  const errors: Problems = {};
  if (!body.customer_id && !body.external_customer_id) errors.customer_id = 'or external_customer_id is required';
  if (!/^[A-Za-z]{3}$/.test(body.currency)) errors.currency = 'must be a 3-letter currency code';
  if (body.billing_period === 'ONETIME') errors.billing_period = 'must be a recurring period, not ONETIME';
  const billingCycle = body.billing_cycle ?? 'anniversary';
  const billingAnchor = parseDateInput(body.billing_anchor, 'billing_anchor', errors);
  if (billingAnchor && billingCycle !== 'anniversary') errors.billing_anchor = 'can only be given with billing_cycle anniversary';
  const startDate = parseDateInput(body.start_date, 'start_date', errors);
  const endDate = parseDateInput(body.end_date, 'end_date', errors);
  if (startDate && endDate && endDate < startDate) errors.end_date = 'must not be before start_date';
  const status = body.subscription_status;
  if (status !== undefined && status !== 'draft' && status !== 'trialing') errors.subscription_status = 'may only be draft or trialing when creating';
  const { collectionMethod, paymentBehavior } = collection(body, errors);
  const commitmentAmount = decimal(body.commitment_amount, 'commitment_amount', errors, '0');
  const overageFactor = decimal(body.overage_factor, 'overage_factor', errors, '1');
  if (body.commitment_duration !== undefined && body.commitment_duration !== body.billing_period) {
    errors.commitment_duration = `must equal billing_period (${body.billing_period}): Tally commits per billing period`;
  }
  const prorationBehavior = body.proration_behavior ?? 'none';
  if (prorationBehavior === 'create_prorations' && body.override_entitlements?.length) {
    errors.override_entitlements = 'cannot be combined with proration_behavior create_prorations';
  }
  const unsupported: [string, boolean][] = [
    ['credit_grants', !!body.credit_grants?.length],
    ['phases', !!body.phases?.length],
    ['inheritance', body.inheritance !== undefined],
    ['checkout', body.checkout !== undefined],
    ['coupons', !!body.coupons?.length],
    ['line_item_coupons', !!body.line_item_coupons && Object.keys(body.line_item_coupons).length > 0],
    ['line_item_commitments', !!body.line_item_commitments && Object.keys(body.line_item_commitments).length > 0],
    ['auto_invoice_threshold', body.auto_invoice_threshold !== undefined],
  ];
  for (const [field, given] of unsupported) if (given) errors[field] = `${notSupported}${field === 'coupons' || field === 'line_item_coupons' ? '; use subscription_coupons' : ''}`;
  const coupons = (body.subscription_coupons ?? []).map((c, i): CouponRequest => {
    const f = (field: string) => `subscription_coupons[${i}].${field}`;
    const start = parseDateInput(c.start_date, f('start_date'), errors);
    const end = parseDateInput(c.end_date, f('end_date'), errors);
    if (start && end && end < start) errors[f('end_date')] = 'must not be before start_date';
    return { code: c.coupon_code, priceId: orNull(c.price_id), startDate: start, endDate: end };
  });
  if (body.addons?.length && status === 'draft') errors.addons = 'cannot be attached to a draft subscription yet: attach them once it is activated';
  const addons = (body.addons ?? []).map((a, i) => readAddonAttachment(a, `addons[${i}].`, errors));
  const subscription: NewSubscription = {
    customerId: orNull(body.customer_id),
    externalCustomerId: orNull(body.external_customer_id),
    planId: body.plan_id,
    currency: body.currency.toLowerCase(),
    lookupKey: orNull(body.lookup_key),
    startDate,
    endDate,
    billingPeriod: body.billing_period as BillingPeriodUnit,
    billingPeriodCount: body.billing_period_count || 1,
    billingCycle,
    billingAnchor,
    metadata: body.metadata ?? {},
    trialPeriodDays: body.trial_period_days ?? null,
    requestedStatus: status === 'draft' || status === 'trialing' ? status : null,
    collectionMethod,
    paymentBehavior,
    gatewayPaymentMethodId: orNull(body.gateway_payment_method_id),
    paymentTerms: body.payment_terms ?? null,
    prorationBehavior,
    commitmentAmount,
    commitmentDuration: (body.commitment_duration as BillingPeriodUnit | undefined) ?? null,
    overageFactor,
    enableTrueUp: body.enable_true_up ?? false,
    overrideLineItems: overrides(body, errors),
    overrideEntitlements: (body.override_entitlements ?? []).map((o) => ({
      entitlementId: o.entitlement_id,
      ...(o.usage_limit !== undefined ? { usageLimit: o.usage_limit === null ? null : String(o.usage_limit) } : {}),
      ...(o.is_enabled !== undefined ? { isEnabled: o.is_enabled } : {}),
      ...(o.static_value !== undefined ? { staticValue: o.static_value } : {}),
      ...(o.config_value !== undefined ? { configValue: o.config_value } : {}),
    })),
    lineItems: extraLineItems(body, errors),
    addons,
    coupons,
    taxRateOverrides: (body.tax_rate_overrides ?? []).map((o) => ({
      taxRateCode: o.tax_rate_code,
      currency: o.currency.toLowerCase(),
      autoApply: o.auto_apply ?? true,
      priority: o.priority ?? null,
      metadata: o.metadata ?? {},
    })),
  };
  throwIfProblems(errors);
  return subscription;
}

/** PUT /subscriptions/{id}: FlexPrice's raw setter. `cancelAtPeriodEnd` is always written (absent: false). */
export type SubscriptionChanges = { status?: SubscriptionStatus; cancelAt?: Date; cancelAtPeriodEnd: boolean };

export function fromUpdateSubscriptionRequest(body: Schemas['UpdateSubscriptionRequest']): SubscriptionChanges {
  const errors: Problems = {};
  if (body.parent_subscription_id) errors.parent_subscription_id = `${notSupported}: Tally has no subscription hierarchies`;
  const cancelAt = parseDateInput(body.cancel_at, 'cancel_at', errors) ?? undefined;
  throwIfProblems(errors);
  return { status: body.status, cancelAt, cancelAtPeriodEnd: body.cancel_at_period_end ?? false };
}

export function fromActivateRequest(body: Schemas['ActivateDraftSubscriptionRequest']): Date {
  const errors: Problems = {};
  const start = parseDateInput(body.start_date, 'start_date', errors);
  throwIfProblems(errors);
  return start!;
}

/** What a subscription response embeds. */
export type SubscriptionEmbeds = {
  plan: boolean;
  planPrices: boolean;
  planMeters: boolean;
  customer: boolean;
  lineItems: boolean;
  lineItemPrices: boolean;
  lineItemMeters: boolean;
  couponAssociations: boolean;
  coupons: boolean;
};

/** Everything the GET of one subscription embeds. */
export const fullEmbeds: SubscriptionEmbeds = {
  plan: true,
  planPrices: true,
  planMeters: true,
  customer: true,
  lineItems: true,
  lineItemPrices: true,
  lineItemMeters: false,
  couponAssociations: true,
  coupons: true,
};

export const subscriptionExpandable = [
  'plan',
  'prices',
  'prices.meters',
  'meters',
  'customer',
  'subscription_line_items',
  'subscription_line_items.prices',
  'subscription_line_items.meters',
  'coupon_associations',
  'coupon_associations.coupon',
  'coupon',
];

/** `expand` for a list (the plan always comes) or for GET …/v2 (only what is asked). */
export function embedsOf(expand: string | undefined, planAlways: boolean, extra: { lineItems?: boolean; couponAssociations?: boolean } = {}): SubscriptionEmbeds {
  const t = parseExpand(expand, subscriptionExpandable);
  const lineItems = t.has('subscription_line_items') || !!extra.lineItems;
  const couponAssociations = t.has('coupon_associations') || !!extra.couponAssociations;
  return {
    plan: planAlways || t.has('plan'),
    planPrices: t.has('prices'),
    planMeters: t.has('prices.meters') || t.has('meters'),
    customer: t.has('customer'),
    lineItems,
    lineItemPrices: t.has('subscription_line_items.prices'),
    lineItemMeters: t.has('subscription_line_items.meters'),
    couponAssociations,
    coupons: t.has('coupon_associations.coupon') || t.has('coupon'),
  };
}

/** A list or search of subscriptions. `periodFrom`/`periodTo` bound the current period, FlexPrice's `start_time`/`end_time`. */
export type SubscriptionQuery = ListQuery & {
  subscriptionIds?: string[];
  customerId?: string;
  customerIds?: string[];
  externalCustomerId?: string;
  planId?: string;
  subscriptionStatuses?: SubscriptionStatus[];
  billingCadences?: string[];
  billingPeriods?: string[];
  subscriptionTypes?: string[];
  activeAt?: Date;
  trialEndDueBy?: Date;
  periodFrom?: Date;
  periodTo?: Date;
  embeds: SubscriptionEmbeds;
};

export function fromSubscriptionListRequest(input: QueryParams<'listSubscriptions'> | Schemas['SubscriptionFilter'] | undefined): SubscriptionQuery {
  const i = (input ?? {}) as Schemas['SubscriptionFilter'];
  const errors: Problems = {};
  const date = (v: string | undefined, field: string) => parseDateInput(v, field, errors) ?? undefined;
  const { start: periodFrom, end: periodTo } = parseTimeWindow(i, errors);
  const query: SubscriptionQuery = {
    ...listQueryOf({ ...i, start_time: undefined, end_time: undefined }, subscriptionSearchFields, 'subscription'),
    subscriptionIds: i.subscription_ids,
    customerId: i.customer_id || undefined,
    customerIds: i.customer_ids,
    externalCustomerId: i.external_customer_id || undefined,
    planId: i.plan_id || undefined,
    subscriptionStatuses: i.subscription_status,
    billingCadences: i.billing_cadence,
    billingPeriods: i.billing_period,
    subscriptionTypes: i.subscription_type,
    activeAt: date(i.active_at, 'active_at'),
    trialEndDueBy: date(i.trial_end_due_lte, 'trial_end_due_lte'),
    periodFrom,
    periodTo,
    embeds: embedsOf(i.expand, true, { lineItems: i.with_line_items, couponAssociations: i.with_coupon_associations }),
  };
  throwIfProblems(errors);
  return query;
}
