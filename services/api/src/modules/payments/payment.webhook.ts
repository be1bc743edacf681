import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import type { NewWebhookEvent } from '../webhooks/index.ts';
import type { PaymentView } from './payment.convert.ts';

type PaymentEventType = 'payment.created' | 'payment.updated' | 'payment.pending' | 'payment.success' | 'payment.failed';

/**
 * FlexPrice's trimmed payment of a webhook: what was paid, how, its status and instants, and the
 * invoice's number; unset instants, gateway and error left out. A snapshot taken in the transaction
 * of the change.
 */
export function paymentWebhookPayload(v: PaymentView): Record<string, unknown> {
  const p = v.payment;
  const payment: Record<string, unknown> = {
    id: p.id,
    destination_type: p.destinationType,
    destination_id: p.destinationId,
    payment_method_type: p.paymentMethodType,
    amount: canonicalDecimal(p.amount),
    currency: p.currency,
    payment_status: p.paymentStatus,
  };
  const optional = {
    payment_gateway: p.paymentGateway,
    succeeded_at: p.succeededAt?.toISOString(),
    failed_at: p.failedAt?.toISOString(),
    refunded_at: p.refundedAt?.toISOString(),
    voided_at: p.voidedAt?.toISOString(),
    error_message: p.errorMessage,
    invoice_number: v.invoiceNumber,
  };
  for (const [key, value] of Object.entries(optional)) if (value) payment[key] = value;
  return { payment };
}

/** The system event announcing a change to a payment, made at `at`. */
export function paymentEvent(eventType: PaymentEventType, v: PaymentView, at: Date): NewWebhookEvent {
  return { eventType, entityType: 'payment', entityId: v.payment.id, payload: paymentWebhookPayload(v), at };
}
