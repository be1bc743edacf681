import type { PaymentStatus } from '../../billing/invoicing/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { parseDecimal } from '../../wire/decimal-input.ts';
import { recordFields } from '../../wire/record-fields.ts';
import type { Payment, PaymentMethodType } from './payment.entity.ts';
import { paymentSearchFields } from './payment.search.ts';
import { withoutUndefined } from '../../wire/without-undefined.ts';

export type PaymentResponse = Schemas['PaymentResponse'];

/** A payment with what its response shows besides its own columns: its invoice's number, once it has one. */
export type PaymentView = { payment: Payment; invoiceNumber: string | null };

/** A payment to record, as far as the request alone can tell. */
export type NewPayment = {
  amount: string;
  currency: string;
  destinationType: 'INVOICE';
  destinationId: string;
  /** OFFLINE: money received outside Tally; CREDITS: a debit of a POST_PAID wallet (`paymentMethodId`, or the customer's). */
  paymentMethodType: 'OFFLINE' | 'CREDITS';
  paymentMethodId: string | null;
  paymentGateway: string | null;
  processPayment: boolean;
  saveCardAndMakeDefault: boolean;
  /** The key given; null when it is to be derived. */
  idempotencyKey: string | null;
  metadata: Record<string, string>;
};

/** Why a payment method Tally does not process yet is refused. */
const unsupportedMethod: Record<Exclude<PaymentMethodType, 'OFFLINE' | 'CREDITS'>, string> = {
  CARD: 'CARD payments need a payment gateway, which Tally does not connect to yet; record money received outside Tally as OFFLINE',
  ACH: 'ACH payments need a payment gateway, which Tally does not connect to yet; record money received outside Tally as OFFLINE',
  PAYMENT_LINK: 'PAYMENT_LINK payments need a payment gateway, which Tally does not connect to yet; record money received outside Tally as OFFLINE',
  UPI: 'UPI payments need a payment gateway, which Tally does not connect to yet; record money received outside Tally as OFFLINE',
};

const orNull = (s: string | undefined) => (s === undefined || s === '' ? null : s);

/** The request as a payment to record; every problem the request alone shows is a 400 naming its field. */
export function fromCreatePaymentRequest(body: Schemas['CreatePaymentRequest']): NewPayment {
  const errors: Problems = {};
  const amount = parseDecimal(body.amount, { positive: true });
  if ('problem' in amount) errors.amount = amount.problem;
  if (!/^[A-Za-z]{3}$/.test(body.currency)) errors.currency = 'must be a 3-letter currency code';
  if (body.destination_type !== 'INVOICE') errors.destination_type = 'must be INVOICE';
  const method = body.payment_method_type;
  if (method !== 'OFFLINE' && method !== 'CREDITS') errors.payment_method_type = unsupportedMethod[method];
  else if (method === 'OFFLINE' && body.payment_method_id) errors.payment_method_id = 'must not be given for an OFFLINE payment';
  throwIfProblems(errors);
  return {
    amount: (amount as { value: string }).value,
    currency: body.currency.toLowerCase(),
    destinationType: 'INVOICE',
    destinationId: body.destination_id,
    paymentMethodType: method as 'OFFLINE' | 'CREDITS',
    paymentMethodId: orNull(body.payment_method_id),
    paymentGateway: body.payment_gateway ?? null,
    processPayment: body.process_payment ?? true,
    saveCardAndMakeDefault: body.save_card_and_make_default ?? false,
    idempotencyKey: orNull(body.idempotency_key),
    metadata: body.metadata ?? {},
  };
}

/** What a PUT changes; `undefined` leaves a field as it is. */
export type PaymentChanges = {
  paymentStatus?: PaymentStatus;
  gatewayPaymentId?: string;
  paymentGateway?: string;
  paymentMethodId?: string;
  metadata?: Record<string, string>;
  succeededAt?: Date;
  failedAt?: Date;
  refundedAt?: Date;
  voidedAt?: Date;
  errorMessage?: string;
};

export function fromUpdatePaymentRequest(body: Schemas['UpdatePaymentRequest']): PaymentChanges {
  const errors: Problems = {};
  const date = (value: string | undefined, field: string) => parseDateInput(value, field, errors) ?? undefined;
  const changes: PaymentChanges = {
    paymentStatus: body.payment_status,
    gatewayPaymentId: body.gateway_payment_id,
    paymentGateway: body.payment_gateway,
    paymentMethodId: body.payment_method_id,
    metadata: body.metadata,
    succeededAt: date(body.succeeded_at, 'succeeded_at'),
    failedAt: date(body.failed_at, 'failed_at'),
    refundedAt: date(body.refunded_at, 'refunded_at'),
    voidedAt: date(body.voided_at, 'voided_at'),
    errorMessage: body.error_message,
  };
  throwIfProblems(errors);
  return changes;
}

/** A list of payments: the shared list query and FlexPrice's payment filters. */
export type PaymentQuery = ListQuery & {
  paymentIds?: string[];
  destinationType?: string;
  destinationId?: string;
  paymentMethodType?: string;
  paymentStatus?: string;
  paymentGateway?: string;
  currency?: string;
  gatewayPaymentId?: string;
};

export function fromPaymentListRequest(input: QueryParams<'listPayments'> | undefined): PaymentQuery {
  const i = input ?? {};
  return {
    ...listQueryOf(i, paymentSearchFields, 'payment'),
    paymentIds: i.payment_ids,
    destinationType: i.destination_type,
    destinationId: i.destination_id || undefined,
    paymentMethodType: i.payment_method_type,
    paymentStatus: i.payment_status,
    paymentGateway: i.payment_gateway,
    currency: i.currency ? i.currency.toLowerCase() : undefined,
    gatewayPaymentId: i.gateway_payment_id || undefined,
  };
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

/**
 * Entity → wire, as FlexPrice sends a payment: `amount` a decimal string, unset optional fields left
 * out, `attempts` empty (gateway attempts come with gateways).
 */
export function toPaymentResponse(v: PaymentView): PaymentResponse {
  const p = v.payment;
  return withoutUndefined({
    id: p.id,
    idempotency_key: p.idempotencyKey,
    destination_type: p.destinationType,
    destination_id: p.destinationId,
    payment_method_type: p.paymentMethodType,
    payment_method_id: p.paymentMethodId ?? undefined,
    payment_gateway: p.paymentGateway ?? undefined,
    gateway_payment_id: p.gatewayPaymentId ?? undefined,
    gateway_tracking_id: p.gatewayTrackingId ?? undefined,
    gateway_metadata: p.gatewayMetadata ?? undefined,
    amount: canonicalDecimal(p.amount),
    currency: p.currency,
    payment_status: p.paymentStatus,
    track_attempts: p.trackAttempts,
    metadata: p.metadata ?? {},
    succeeded_at: iso(p.succeededAt),
    failed_at: iso(p.failedAt),
    refunded_at: iso(p.refundedAt),
    voided_at: iso(p.voidedAt),
    error_message: p.errorMessage ?? undefined,
    payment_url: p.paymentUrl ?? undefined,
    invoice_number: v.invoiceNumber ?? undefined,
    save_card_and_make_default: p.saveCardAndMakeDefault,
    attempts: [],
    ...recordFields(p),
  });
}
