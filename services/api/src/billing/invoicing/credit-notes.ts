import { currencyPrecision, ExactDecimal, formatDecimal, zero } from '../money/index.ts';
import { moneyOf } from './decimal-text.ts';
import type { PaymentStatus } from './payment-status.ts';

/** FlexPrice's `credit_note_type`: a refund of what was paid, or an adjustment of what is owed. */
export const creditNoteTypes = ['ADJUSTMENT', 'REFUND'] as const;
export type CreditNoteType = (typeof creditNoteTypes)[number];

/**
 * The type of a credit note issued now against an invoice in this payment status
 * (docs/api/credit-notes.md): paid (SUCCEEDED, or PARTIALLY_REFUNDED already) → REFUND; not yet paid
 * (PENDING, PROCESSING, FAILED) → ADJUSTMENT; any other status takes no credit note (null).
 */
export function creditNoteTypeFor(paymentStatus: PaymentStatus): CreditNoteType | null {
  switch (paymentStatus) {
    case 'SUCCEEDED':
    case 'PARTIALLY_REFUNDED':
      return 'REFUND';
    case 'PENDING':
    case 'PROCESSING':
    case 'FAILED':
      return 'ADJUSTMENT';
    default:
      return null;
  }
}

/** The amounts of an invoice that credit notes read and change (decimal strings, each in the invoice currency). */
export type CreditedInvoice = {
  total: string;
  amountDue: string;
  amountRemaining: string;
  amountPaid: string;
  refundedAmount: string;
  adjustmentAmount: string;
  paymentStatus: PaymentStatus;
};

/** What a credit note's finalization or voiding leaves on the invoice. */
export type CreditedAmounts = {
  refundedAmount: string;
  adjustmentAmount: string;
  amountDue: string;
  amountRemaining: string;
  paymentStatus: PaymentStatus;
};

const amountsOf = (invoice: CreditedInvoice, places: number) => ({
  total: moneyOf(invoice.total, 'total', places),
  paid: moneyOf(invoice.amountPaid, 'amountPaid', places),
  refunded: moneyOf(invoice.refundedAmount, 'refundedAmount', places),
  adjusted: moneyOf(invoice.adjustmentAmount, 'adjustmentAmount', places),
});

/**
 * The most a credit note of `type` may still credit against the invoice, never below 0: a refund, what
 * was paid and not refunded yet (amount_paid − refunded_amount); an adjustment, what is owed beyond
 * what was paid (total − adjustment_amount − amount_paid). $100 paid, $30 refunded → $70 refundable;
 * $100 unpaid, $40 adjusted → $60 adjustable; $100 with $40 paid → $60 adjustable.
 */
export function maxCreditable(invoice: CreditedInvoice, type: CreditNoteType, currency: string): string {
  const a = amountsOf(invoice, currencyPrecision(currency));
  const max = type === 'REFUND' ? a.paid.minus(a.refunded) : a.total.minus(a.adjusted).minus(a.paid);
  return formatDecimal(ExactDecimal.max(max, zero));
}

/** amount_due = total − adjustment_amount; amount_remaining = max(amount_due − amount_paid, 0). */
function owed(total: ExactDecimal, adjusted: ExactDecimal, paid: ExactDecimal) {
  const due = total.minus(adjusted);
  return { due, remaining: ExactDecimal.max(due.minus(paid), zero) };
}

/**
 * The invoice after a finalized credit note of `amount`:
 * - REFUND: refunded_amount += amount; payment_status REFUNDED once everything paid is refunded,
 *   PARTIALLY_REFUNDED before. Nothing owed changes.
 * - ADJUSTMENT: adjustment_amount += amount; amount_due = total − adjustment_amount; amount_remaining =
 *   max(amount_due − amount_paid, 0); nothing remaining → SUCCEEDED (otherwise the status stays).
 * The caller has checked `amount` against {@link maxCreditable}.
 */
export function applyCreditNote(invoice: CreditedInvoice, type: CreditNoteType, amount: string, currency: string): CreditedAmounts {
  const places = currencyPrecision(currency);
  const a = amountsOf(invoice, places);
  const credit = moneyOf(amount, 'amount', places);
  if (type === 'REFUND') {
    const refunded = a.refunded.plus(credit);
    return {
      refundedAmount: formatDecimal(refunded),
      adjustmentAmount: formatDecimal(a.adjusted),
      amountDue: formatDecimal(moneyOf(invoice.amountDue, 'amountDue', places)),
      amountRemaining: formatDecimal(moneyOf(invoice.amountRemaining, 'amountRemaining', places)),
      paymentStatus: refunded.eq(a.paid) ? 'REFUNDED' : 'PARTIALLY_REFUNDED',
    };
  }
  const adjusted = a.adjusted.plus(credit);
  const { due, remaining } = owed(a.total, adjusted, a.paid);
  return {
    refundedAmount: formatDecimal(a.refunded),
    adjustmentAmount: formatDecimal(adjusted),
    amountDue: formatDecimal(due),
    amountRemaining: formatDecimal(remaining),
    paymentStatus: remaining.isZero() ? 'SUCCEEDED' : invoice.paymentStatus,
  };
}

/**
 * The invoice after a finalized ADJUSTMENT of `amount` is voided: adjustment_amount −= amount, and
 * amount_due and amount_remaining follow; an invoice the adjustment had settled (SUCCEEDED) that owes
 * something again is PENDING again.
 */
export function reverseAdjustment(invoice: CreditedInvoice, amount: string, currency: string): CreditedAmounts {
  const places = currencyPrecision(currency);
  const a = amountsOf(invoice, places);
  const adjusted = ExactDecimal.max(a.adjusted.minus(moneyOf(amount, 'amount', places)), zero);
  const { due, remaining } = owed(a.total, adjusted, a.paid);
  return {
    refundedAmount: formatDecimal(a.refunded),
    adjustmentAmount: formatDecimal(adjusted),
    amountDue: formatDecimal(due),
    amountRemaining: formatDecimal(remaining),
    paymentStatus: invoice.paymentStatus === 'SUCCEEDED' && remaining.gt(0) ? 'PENDING' : invoice.paymentStatus,
  };
}

/** A line of a credit note as asked for: an amount against a line of the invoice. */
export type CreditLine = { invoiceLineItemId: string; amount: string };

/**
 * A credit note's lines checked against the invoice's lines (id → amount): each names a line of the
 * invoice, has at most the currency's decimals, and what the note credits against one invoice line
 * adds up to no more than that line's amount. Returns the note's total and the problems, keyed by
 * the request's field paths (`line_items[1].amount`).
 */
export function checkCreditLines(lines: readonly CreditLine[], invoiceLines: ReadonlyMap<string, string>, currency: string): { total: string; problems: Record<string, string> } {
  const places = currencyPrecision(currency);
  const problems: Record<string, string> = {};
  const credited = new Map<string, ExactDecimal>();
  let total = zero;
  lines.forEach((line, i) => {
    const amount = new ExactDecimal(line.amount);
    const original = invoiceLines.get(line.invoiceLineItemId);
    if (original === undefined) {
      problems[`line_items[${i}].invoice_line_item_id`] = `${line.invoiceLineItemId} is not a line of this invoice`;
      return;
    }
    if (amount.decimalPlaces() > places) {
      problems[`line_items[${i}].amount`] = `has more than the ${places} decimals of ${currency}`;
      return;
    }
    const sum = (credited.get(line.invoiceLineItemId) ?? zero).plus(amount);
    credited.set(line.invoiceLineItemId, sum);
    if (sum.gt(original)) {
      problems[`line_items[${i}].amount`] = `credits ${formatDecimal(sum)} against invoice line ${line.invoiceLineItemId}, which was charged only ${formatDecimal(new ExactDecimal(original))}`;
    }
    total = total.plus(amount);
  });
  return { total: formatDecimal(total), problems };
}
