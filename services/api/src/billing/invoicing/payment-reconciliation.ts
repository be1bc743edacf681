import { currencyPrecision, ExactDecimal, formatDecimal, zero } from '../money/index.ts';
import { moneyOf } from './decimal-text.ts';
import type { PaymentStatus } from './payment-status.ts';

export type InvoicePaymentState = {
  amountPaid: string;
  amountRemaining: string;
  /** `overpaid_amount`: what was paid beyond amount_due (0 unless OVERPAID). */
  overpaidAmount: string;
  /** SUCCEEDED when fully paid (an invoice of 0 included), OVERPAID when paid beyond it, else PENDING. */
  paymentStatus: Extract<PaymentStatus, 'PENDING' | 'SUCCEEDED' | 'OVERPAID'>;
  /** True once nothing remains: the service stamps paid_at and finalizes a draft. */
  fullyPaid: boolean;
};

/**
 * An invoice's payment state recomputed from its SUCCEEDED payments (docs/flexprice-compatibility.md#payments):
 * amount_paid = Σ payments, amount_remaining = max(amount_due − amount_paid, 0).
 */
export function reconcileInvoicePayments(amountDue: string, succeededPayments: readonly string[], currency: string): InvoicePaymentState {
  const places = currencyPrecision(currency);
  const due = moneyOf(amountDue, 'amountDue', places);
  const paid = succeededPayments.reduce((s, p, i) => s.plus(moneyOf(p, `succeededPayments[${i}]`, places)), zero);
  const remaining = ExactDecimal.max(due.minus(paid), zero);
  const overpaid = ExactDecimal.max(paid.minus(due), zero);
  const paymentStatus = overpaid.gt(0) ? 'OVERPAID' : remaining.isZero() ? 'SUCCEEDED' : 'PENDING';
  return {
    amountPaid: formatDecimal(paid),
    amountRemaining: formatDecimal(remaining),
    overpaidAmount: formatDecimal(overpaid),
    paymentStatus,
    fullyPaid: remaining.isZero(),
  };
}
