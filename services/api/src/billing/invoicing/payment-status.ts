/** FlexPrice's `payment_status`, shared by payments and invoices. */
export const paymentStatuses = ['INITIATED', 'PENDING', 'PROCESSING', 'SUCCEEDED', 'OVERPAID', 'FAILED', 'REFUNDED', 'PARTIALLY_REFUNDED', 'VOIDED'] as const;
export type PaymentStatus = (typeof paymentStatuses)[number];

/**
 * Where each payment status may go (docs/flexprice-compatibility.md#payments). FAILED, REFUNDED and
 * VOIDED are terminal; staying in the same status is always allowed.
 */
export const paymentStatusTransitions: Readonly<Record<PaymentStatus, readonly PaymentStatus[]>> = {
  INITIATED: ['PENDING', 'PROCESSING', 'SUCCEEDED', 'OVERPAID', 'FAILED'],
  PENDING: ['PROCESSING', 'SUCCEEDED', 'OVERPAID', 'FAILED'],
  PROCESSING: ['SUCCEEDED', 'OVERPAID', 'FAILED'],
  SUCCEEDED: ['OVERPAID', 'REFUNDED', 'PARTIALLY_REFUNDED', 'VOIDED'],
  OVERPAID: ['REFUNDED', 'PARTIALLY_REFUNDED'],
  PARTIALLY_REFUNDED: ['REFUNDED'],
  FAILED: [],
  REFUNDED: [],
  VOIDED: [],
};

/** True when a payment (or an invoice's payment status) may move from `from` to `to`. */
export function canTransitionPaymentStatus(from: PaymentStatus, to: PaymentStatus): boolean {
  return from === to || paymentStatusTransitions[from].includes(to);
}

/** A payment may be deleted only before it went anywhere (INITIATED) or after it FAILED. */
export function canDeletePayment(status: PaymentStatus): boolean {
  return status === 'INITIATED' || status === 'FAILED';
}
