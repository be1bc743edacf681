import { currencyPrecision, ExactDecimal, formatDecimal, zero } from '../money/index.ts';
import type { BillingReason } from './billing-reason.ts';
import { decimalOf, moneyOf } from './decimal-text.ts';
import type { PaymentStatus } from './payment-status.ts';

/** FlexPrice's `invoice_status`. */
export const invoiceStatuses = ['DRAFT', 'FINALIZED', 'VOIDED', 'SKIPPED'] as const;
export type InvoiceStatus = (typeof invoiceStatuses)[number];

/** FlexPrice's `invoice_type`. */
export const invoiceTypes = ['SUBSCRIPTION', 'ONE_OFF', 'CREDIT'] as const;
export type InvoiceType = (typeof invoiceTypes)[number];

/**
 * The status of an invoice once computed (docs/flexprice-compatibility.md#invoices): a subscription
 * invoice whose subtotal is 0 is SKIPPED (no number, never finalized) — except the trial-start
 * invoice, which is raised at 0 on purpose; anything else stays DRAFT to be finalized.
 */
export function computedInvoiceStatus(invoiceType: InvoiceType, billingReason: BillingReason | null, subtotal: string): 'DRAFT' | 'SKIPPED' {
  const zeroSubtotal = decimalOf(subtotal, 'subtotal').isZero();
  return invoiceType === 'SUBSCRIPTION' && zeroSubtotal && billingReason !== 'SUBSCRIPTION_TRIAL_START' ? 'SKIPPED' : 'DRAFT';
}

const voidableInvoiceStatuses: readonly InvoiceStatus[] = ['DRAFT', 'FINALIZED', 'SKIPPED'];
const voidablePaymentStatuses: readonly PaymentStatus[] = ['PENDING', 'FAILED', 'SUCCEEDED', 'PARTIALLY_REFUNDED', 'OVERPAID'];

/**
 * Whether an invoice may be voided (docs/flexprice-compatibility.md#invoices): DRAFT, FINALIZED or
 * SKIPPED, with a payment status of PENDING, FAILED, SUCCEEDED, PARTIALLY_REFUNDED or OVERPAID (not
 * one being processed, nor one refunded or voided already).
 */
export function canVoidInvoice(invoiceStatus: InvoiceStatus, paymentStatus: PaymentStatus): boolean {
  return voidableInvoiceStatuses.includes(invoiceStatus) && voidablePaymentStatuses.includes(paymentStatus);
}

export type VoidRefund = {
  /** What goes back to the customer's PRE_PAID wallet: amount_paid + prepaid credits applied − already refunded. */
  walletCredit: string;
  /** REFUNDED when something funded the invoice and is now credited back; otherwise unchanged. */
  paymentStatus: PaymentStatus;
};

/**
 * What voiding returns (docs/flexprice-compatibility.md#invoices): every value that funded the
 * invoice — payments and prepaid credits, less what credit notes refunded already — is credited to
 * the customer's PRE_PAID wallet in the invoice's currency, and the invoice is then fully refunded.
 */
export function voidRefund(
  invoice: { amountPaid: string; totalPrepaidCreditsApplied: string; refundedAmount: string; paymentStatus: PaymentStatus },
  currency: string,
): VoidRefund {
  const places = currencyPrecision(currency);
  const funded = moneyOf(invoice.amountPaid, 'amountPaid', places)
    .plus(moneyOf(invoice.totalPrepaidCreditsApplied, 'totalPrepaidCreditsApplied', places))
    .minus(moneyOf(invoice.refundedAmount, 'refundedAmount', places));
  const credit = ExactDecimal.max(funded, zero);
  return { walletCredit: formatDecimal(credit), paymentStatus: credit.gt(0) ? 'REFUNDED' : invoice.paymentStatus };
}
