import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import type { BillingReason, InvoiceStatus, InvoiceType, PaymentStatus } from '../../billing/invoicing/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { parseExpand } from '../../listing/expand.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import { parseDateInput, parseTimeWindow } from '../../wire/date-input.ts';
import { parseDecimal } from '../../wire/decimal-input.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { toCustomerResponse, type Customer } from '../customers/index.ts';
import type { InvoiceTaxResponse, TaxRateOverrideInput } from './billable-subscription.ts';
import type { CouponApplication } from './coupon-application.entity.ts';
import type { InvoiceLineItem } from './invoice-line-item.entity.ts';
import type { Invoice } from './invoice.entity.ts';
import { invoiceSearchFields } from './invoice.search.ts';
import { withoutUndefined } from '../../wire/without-undefined.ts';

export type InvoiceResponse = Schemas['InvoiceResponse'];
type LineResponse = Schemas['InvoiceLineItemResponse'];

/** FlexPrice's invoice expand tokens Tally serves (`tax_applied` is accepted: taxes are always listed). */
export const invoiceExpandable = ['customer', 'subscription', 'subscription.plan', 'coupon_applications', 'tax_applied', 'tax_applied.tax_rate'];

/** What an invoice response embeds besides its lines and coupon applications. */
export type InvoiceEmbeds = { customer: boolean; subscription: boolean; subscriptionPlan: boolean };

export const embedsOf = (expand: string | undefined): InvoiceEmbeds => {
  const tokens = parseExpand(expand, invoiceExpandable);
  return { customer: tokens.has('customer'), subscription: tokens.has('subscription'), subscriptionPlan: tokens.has('subscription.plan') };
};

/** An invoice with what its response shows. */
export type InvoiceView = {
  invoice: Invoice;
  lines?: InvoiceLineItem[];
  applications: CouponApplication[];
  taxes?: InvoiceTaxResponse[];
  customer?: Customer;
  subscription?: Record<string, unknown>;
};

/** A list or search of invoices, as the GET list and the search body both express it. */
export type InvoiceQuery = ListQuery & {
  customerId?: string;
  externalCustomerId?: string;
  subscriptionId?: string;
  subscriptionCustomerIds?: string[];
  invoiceIds?: string[];
  invoiceType?: InvoiceType;
  invoiceStatuses?: InvoiceStatus[];
  paymentStatuses?: PaymentStatus[];
  billingReason?: BillingReason;
  currency?: string;
  amountDueGt?: number;
  amountRemainingGt?: number;
  periodStartGte?: Date;
  periodStartLte?: Date;
  periodEndGte?: Date;
  periodEndLte?: Date;
  skipLineItems: boolean;
  embeds: InvoiceEmbeds;
};

/**
 * A GET list's parameters or a search body. `start_time`/`end_time` bound the invoice period (not
 * `created_at`): `period_start ≥ start_time`, `period_end ≤ end_time`, as in FlexPrice.
 */
export function fromInvoiceListRequest(input: QueryParams<'listInvoices'> | Schemas['InvoiceFilter'] | undefined): InvoiceQuery {
  const i = (input ?? {}) as Schemas['InvoiceFilter'];
  const errors: Problems = {};
  const date = (value: string | undefined, field: string) => parseDateInput(value, field, errors) ?? undefined;
  const { start: startTime, end: endTime } = parseTimeWindow(i, errors);
  const later = (a: Date | undefined, b: Date | undefined) => (a && b ? (a > b ? a : b) : (a ?? b));
  const earlier = (a: Date | undefined, b: Date | undefined) => (a && b ? (a < b ? a : b) : (a ?? b));
  const query: InvoiceQuery = {
    ...listQueryOf({ ...i, start_time: undefined, end_time: undefined }, invoiceSearchFields, 'invoice'),
    customerId: i.customer_id || undefined,
    externalCustomerId: i.external_customer_id || undefined,
    subscriptionId: i.subscription_id || undefined,
    subscriptionCustomerIds: i.subscription_customer_id,
    invoiceIds: i.invoice_ids,
    invoiceType: i.invoice_type,
    invoiceStatuses: i.invoice_status,
    paymentStatuses: i.payment_status,
    billingReason: i.billing_reason,
    currency: i.currency || undefined,
    amountDueGt: i.amount_due_gt,
    amountRemainingGt: i.amount_remaining_gt,
    periodStartGte: later(date(i.period_start_gte, 'period_start_gte'), startTime),
    periodStartLte: date(i.period_start_lte, 'period_start_lte'),
    periodEndGte: date(i.period_end_gte, 'period_end_gte'),
    periodEndLte: earlier(date(i.period_end_lte, 'period_end_lte'), endTime),
    skipLineItems: i.skip_line_items ?? false,
    embeds: embedsOf(i.expand),
  };
  throwIfProblems(errors);
  return query;
}

/** A line of a one-off invoice, as given. */
export type NewInvoiceLine = {
  amount: string;
  quantity: string;
  displayName: string | null;
  priceId: string | null;
  priceType: string | null;
  planId: string | null;
  planDisplayName: string | null;
  meterId: string | null;
  meterDisplayName: string | null;
  entityId: string | null;
  entityType: string | null;
  priceUnit: string | null;
  priceUnitAmount: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  subscriptionId: string | null;
  subscriptionLineItemId: string | null;
  metadata: Record<string, string>;
};

/** A one-off or credit invoice to create, validated as far as the request alone allows. */
export type NewOneOffInvoice = {
  customerId: string;
  currency: string;
  invoiceType: 'ONE_OFF' | 'CREDIT';
  draft: boolean;
  subtotal: string;
  total: string;
  amountDue: string;
  subscriptionId: string | null;
  description: string | null;
  billingPeriod: string | null;
  periodStart: Date | null;
  periodEnd: Date | null;
  dueDate: Date | null;
  issueDate: Date | null;
  invoicePdfUrl: string | null;
  billingReason: BillingReason;
  metadata: Record<string, string>;
  lines: NewInvoiceLine[];
  couponIds: string[];
  taxRateOverrides: TaxRateOverrideInput[];
  idempotencyKey: string | null;
};

function decimalOf(value: string | number | undefined, field: string, errors: Problems, signed: boolean): string {
  if (value === undefined) return '0';
  const parsed = parseDecimal(value);
  if ('problem' in parsed) {
    errors[field] = parsed.problem;
    return '0';
  }
  if (!signed && parsed.value.startsWith('-')) errors[field] = 'must be greater than or equal to 0';
  return parsed.value;
}

const orNull = (s: string | undefined) => (s === undefined || s === '' ? null : s);

export function fromCreateInvoiceRequest(body: Schemas['CreateInvoiceRequest']): NewOneOffInvoice {
  const errors: Problems = {};
  if (!/^[A-Za-z]{3}$/.test(body.currency)) errors.currency = 'must be a 3-letter currency code';
  if (body.invoice_type === 'SUBSCRIPTION') errors.invoice_type = 'SUBSCRIPTION invoices are raised by subscriptions; create ONE_OFF or CREDIT invoices';
  const credit = body.invoice_type === 'CREDIT';
  if (body.invoice_status === 'VOIDED' || body.invoice_status === 'SKIPPED') errors.invoice_status = 'must be DRAFT or FINALIZED';
  if (body.payment_status !== undefined && body.payment_status !== 'PENDING') {
    errors.payment_status = 'must be PENDING (record payments with PUT /invoices/{id}/payment)';
  }
  if (body.invoice_number) errors.invoice_number = 'is not supported: numbers are allocated when the invoice is finalized';
  if (body.tax_rates?.length) errors.tax_rates = 'is not supported yet: name the rates by code in tax_rate_overrides';
  const amountPaid = decimalOf(body.amount_paid, 'amount_paid', errors, false);
  if (amountPaid !== '0') errors.amount_paid = 'must be 0 (record payments with PUT /invoices/{id}/payment)';
  if (body.total_prepaid_applied !== undefined && decimalOf(body.total_prepaid_applied, 'total_prepaid_applied', errors, false) !== '0') {
    errors.total_prepaid_applied = 'must be 0: prepaid credits are applied by Tally when a subscription invoice is finalized, not given on a one-off invoice';
  }
  const lines = (body.line_items ?? []).map((l, i): NewInvoiceLine => {
    const f = (field: string) => `line_items[${i}].${field}`;
    const periodStart = parseDateInput(l.period_start, f('period_start'), errors);
    const periodEnd = parseDateInput(l.period_end, f('period_end'), errors);
    if (periodStart && periodEnd && periodEnd < periodStart) errors[f('period_end')] = 'must not be before period_start';
    return {
      amount: decimalOf(l.amount, f('amount'), errors, credit),
      quantity: decimalOf(l.quantity, f('quantity'), errors, false),
      displayName: orNull(l.display_name),
      priceId: orNull(l.price_id),
      priceType: l.price_type ?? null,
      planId: orNull(l.plan_id),
      planDisplayName: orNull(l.plan_display_name),
      meterId: orNull(l.meter_id),
      meterDisplayName: orNull(l.meter_display_name),
      entityId: orNull(l.entity_id),
      entityType: orNull(l.entity_type),
      priceUnit: orNull(l.price_unit),
      priceUnitAmount: l.price_unit_amount === undefined ? null : decimalOf(l.price_unit_amount, f('price_unit_amount'), errors, credit),
      periodStart,
      periodEnd,
      subscriptionId: orNull(l.subscription_id),
      subscriptionLineItemId: orNull(l.subscription_line_item_id),
      metadata: l.metadata ?? {},
    };
  });
  const periodStart = parseDateInput(body.period_start, 'period_start', errors);
  const periodEnd = parseDateInput(body.period_end, 'period_end', errors);
  if (periodStart && periodEnd && periodEnd <= periodStart) errors.period_end = 'must be after period_start';
  const invoice: NewOneOffInvoice = {
    customerId: body.customer_id,
    currency: body.currency.toLowerCase(),
    invoiceType: credit ? 'CREDIT' : 'ONE_OFF',
    draft: body.invoice_status === 'DRAFT',
    subtotal: decimalOf(body.subtotal, 'subtotal', errors, credit),
    total: decimalOf(body.total, 'total', errors, credit),
    amountDue: decimalOf(body.amount_due, 'amount_due', errors, credit),
    subscriptionId: orNull(body.subscription_id),
    description: orNull(body.description),
    billingPeriod: orNull(body.billing_period),
    periodStart,
    periodEnd,
    dueDate: parseDateInput(body.due_date, 'due_date', errors),
    issueDate: parseDateInput(body.issue_date, 'issue_date', errors),
    invoicePdfUrl: orNull(body.invoice_pdf_url),
    billingReason: body.billing_reason ?? 'MANUAL',
    metadata: body.metadata ?? {},
    lines,
    couponIds: body.coupons ?? [],
    taxRateOverrides: (body.tax_rate_overrides ?? []).map((o) => ({
      taxRateCode: o.tax_rate_code,
      currency: o.currency.toLowerCase(),
      autoApply: o.auto_apply ?? true,
      priority: o.priority ?? null,
      metadata: o.metadata ?? {},
    })),
    idempotencyKey: orNull(body.idempotency_key),
  };
  throwIfProblems(errors);
  return invoice;
}

export type InvoiceChanges = { dueDate?: Date; metadata?: Record<string, string>; invoicePdfUrl?: string | null };

export function fromUpdateInvoiceRequest(body: Schemas['UpdateInvoiceRequest']): InvoiceChanges {
  const errors: Problems = {};
  const dueDate = parseDateInput(body.due_date, 'due_date', errors) ?? undefined;
  throwIfProblems(errors);
  return { dueDate, metadata: body.metadata, invoicePdfUrl: body.invoice_pdf_url === undefined ? undefined : orNull(body.invoice_pdf_url) };
}

/** A payment status set by hand, with the amount of a partial (or over-) payment. */
export type PaymentStatusChange = { paymentStatus: PaymentStatus; amount: string | null };

export function fromPaymentStatusRequest(body: Schemas['UpdatePaymentStatusRequest']): PaymentStatusChange {
  const errors: Problems = {};
  const amount = body.amount === undefined ? null : decimalOf(body.amount, 'amount', errors, false);
  throwIfProblems(errors);
  return { paymentStatus: body.payment_status, amount };
}

export type PreviewRequest = { subscriptionId: string; periodStart: Date | null; periodEnd: Date | null; hideZeroLines: boolean };

export function fromPreviewRequest(body: Schemas['GetPreviewInvoiceRequest']): PreviewRequest {
  const errors: Problems = {};
  const periodStart = parseDateInput(body.period_start, 'period_start', errors);
  const periodEnd = parseDateInput(body.period_end, 'period_end', errors);
  if (periodStart && periodEnd && periodEnd <= periodStart) errors.period_end = 'must be after period_start';
  if ((periodStart === null) !== (periodEnd === null) && !Object.keys(errors).length) {
    errors[periodStart ? 'period_end' : 'period_start'] = 'must be given together with ' + (periodStart ? 'period_start' : 'period_end');
  }
  throwIfProblems(errors);
  return { subscriptionId: body.subscription_id, periodStart, periodEnd, hideZeroLines: body.hide_zero_charges_line_items ?? false };
}

const dec = (v: string | null | undefined) => (v === null || v === undefined ? undefined : canonicalDecimal(v));
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

export function toInvoiceLineResponse(l: InvoiceLineItem): LineResponse {
  return withoutUndefined({
    id: l.id,
    invoice_id: l.invoiceId,
    customer_id: l.customerId,
    subscription_id: l.subscriptionId ?? undefined,
    entity_id: l.entityId ?? undefined,
    entity_type: l.entityType ?? undefined,
    plan_display_name: l.planDisplayName ?? undefined,
    price_id: l.priceId ?? undefined,
    price_type: l.priceType ?? undefined,
    meter_id: l.meterId ?? undefined,
    meter_display_name: l.meterDisplayName ?? undefined,
    price_unit_id: l.priceUnitId ?? undefined,
    price_unit: l.priceUnit ?? undefined,
    price_unit_amount: dec(l.priceUnitAmount),
    display_name: l.displayName ?? undefined,
    amount: canonicalDecimal(l.amount),
    quantity: canonicalDecimal(l.quantity),
    currency: l.currency,
    period_start: iso(l.periodStart),
    period_end: iso(l.periodEnd),
    metadata: l.metadata ?? {},
    commitment_info: (l.commitmentInfo ?? undefined) as LineResponse['commitment_info'],
    prepaid_credits_applied: canonicalDecimal(l.prepaidCreditsApplied),
    line_item_discount: canonicalDecimal(l.lineItemDiscount),
    invoice_level_discount: canonicalDecimal(l.invoiceLevelDiscount),
    adjusted_entitlement_quantity: dec(l.adjustedEntitlementQuantity),
    subscription_line_item_id: l.subscriptionLineItemId ?? undefined,
    parent_line_item_id: l.parentLineItemId ?? undefined,
    ...recordFields(l),
  });
}

export function toCouponApplicationResponse(a: CouponApplication): Schemas['CouponApplicationResponse'] {
  return withoutUndefined({
    id: a.id,
    coupon_id: a.couponId,
    coupon_association_id: a.couponAssociationId ?? undefined,
    invoice_id: a.invoiceId,
    invoice_line_item_id: a.invoiceLineItemId ?? undefined,
    subscription_id: a.subscriptionId ?? undefined,
    applied_at: a.appliedAt.toISOString(),
    original_price: canonicalDecimal(a.originalPrice),
    final_price: canonicalDecimal(a.finalPrice),
    discounted_amount: canonicalDecimal(a.discountedAmount),
    discount_type: a.discountType,
    discount_percentage: dec(a.discountPercentage),
    currency: a.currency,
    coupon_snapshot: a.couponSnapshot ?? {},
    metadata: a.metadata ?? {},
    ...recordFields(a),
  });
}

/**
 * Entity → wire, as FlexPrice sends an invoice: every amount a decimal string, `invoice_number`,
 * `idempotency_key` and `billing_sequence` null until set, optional dates and texts left out when
 * unset, `overpaid_amount` only when overpaid.
 */
export function toInvoiceResponse(v: InvoiceView): InvoiceResponse {
  const i = v.invoice;
  return withoutUndefined({
    id: i.id,
    customer_id: i.customerId,
    subscription_id: i.subscriptionId ?? undefined,
    subscription_customer_id: i.subscriptionId ? i.customerId : undefined,
    invoice_type: i.invoiceType,
    invoice_status: i.invoiceStatus,
    payment_status: i.paymentStatus,
    currency: i.currency,
    amount_due: canonicalDecimal(i.amountDue),
    amount_paid: canonicalDecimal(i.amountPaid),
    amount_remaining: canonicalDecimal(i.amountRemaining),
    subtotal: canonicalDecimal(i.subtotal),
    total: canonicalDecimal(i.total),
    total_discount: canonicalDecimal(i.totalDiscount),
    total_tax: canonicalDecimal(i.totalTax),
    total_prepaid_credits_applied: canonicalDecimal(i.totalPrepaidCreditsApplied),
    adjustment_amount: canonicalDecimal(i.adjustmentAmount),
    refunded_amount: canonicalDecimal(i.refundedAmount),
    overpaid_amount: i.paymentStatus === 'OVERPAID' ? dec(i.overpaidAmount) : undefined,
    invoice_number: i.invoiceNumber ?? null,
    idempotency_key: i.idempotencyKey ?? null,
    billing_sequence: i.billingSequence ?? null,
    description: i.description ?? undefined,
    due_date: iso(i.dueDate),
    paid_at: iso(i.paidAt),
    voided_at: iso(i.voidedAt),
    finalized_at: iso(i.finalizedAt),
    issue_date: iso(i.issueDate),
    last_computed_at: iso(i.lastComputedAt),
    billing_period: i.billingPeriod ?? undefined,
    period_start: iso(i.periodStart),
    period_end: iso(i.periodEnd),
    invoice_pdf_url: i.invoicePdfUrl ?? undefined,
    billing_reason: i.billingReason ?? undefined,
    metadata: i.metadata ?? {},
    version: i.version,
    recalculated_invoice_id: i.recalculatedInvoiceId ?? undefined,
    is_manually_edited: i.isManuallyEdited,
    ...recordFields(i),
    line_items: v.lines?.map(toInvoiceLineResponse),
    coupon_applications: v.applications.map(toCouponApplicationResponse),
    taxes: v.taxes ?? [],
    customer: v.customer ? toCustomerResponse(v.customer) : undefined,
    subscription: v.subscription as InvoiceResponse['subscription'],
  });
}
