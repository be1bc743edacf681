import { currencyPrecision, ExactDecimal, formatDecimal, zero } from '../money/index.ts';
import { moneyOf } from './decimal-text.ts';
import { invoiceTaxes, type AppliedTax, type TaxRate } from './invoice-taxes.ts';

/** An invoice line's amounts: created rounded, then its discounts and the prepaid credits it took. */
export type TotalsLine = {
  amount: string;
  lineItemDiscount?: string;
  invoiceLevelDiscount?: string;
  prepaidCreditsApplied?: string;
};

export type InvoiceTotalsInput = {
  currency: string;
  lines: readonly TotalsLine[];
  taxRates?: readonly TaxRate[];
  /** Σ succeeded payments so far. */
  amountPaid?: string;
};

export type InvoiceTotals = {
  subtotal: string;
  totalDiscount: string;
  totalPrepaidCreditsApplied: string;
  /** max(subtotal − total_discount, 0): prepaid credits do not reduce it. */
  taxableAmount: string;
  taxes: AppliedTax[];
  totalTax: string;
  total: string;
  amountDue: string;
  amountPaid: string;
  amountRemaining: string;
};

const nonNegative = (d: ExactDecimal) => ExactDecimal.max(d, zero);

/**
 * An invoice's totals, in FlexPrice's order (docs/flexprice-compatibility.md#invoices):
 *
 *   subtotal = Σ line amounts (each rounded once when the line was created)
 *   taxable  = max(subtotal − total_discount, 0)          — prepaid credits do not reduce it
 *   total    = max(subtotal − total_discount − total_prepaid_credits_applied + total_tax, 0)
 *   amount_due = total; amount_remaining = max(amount_due − amount_paid, 0)
 *
 * Usage $80 + fixed $20, 25% off usage, $10 off the invoice, $5 of credits, 8.25% tax → $70.78.
 * Every part is a sum of rounded parts, so nothing is rounded here; a line amount finer than the
 * currency is refused.
 */
export function invoiceTotals(input: InvoiceTotalsInput): InvoiceTotals {
  const { currency } = input;
  const places = currencyPrecision(currency);
  const sum = (pick: (l: TotalsLine) => string | undefined, field: string, signed = false) =>
    input.lines.reduce((s, l, i) => s.plus(moneyOf(pick(l) ?? '0', `lines[${i}].${field}`, places, signed)), zero);
  // A line may be negative (a plan change's credit for the old plan's unused time); the total never is.
  const subtotal = sum((l) => l.amount, 'amount', true);
  const totalDiscount = sum((l) => l.lineItemDiscount, 'lineItemDiscount').plus(sum((l) => l.invoiceLevelDiscount, 'invoiceLevelDiscount'));
  const credits = sum((l) => l.prepaidCreditsApplied, 'prepaidCreditsApplied');
  const taxable = nonNegative(subtotal.minus(totalDiscount));
  const tax = invoiceTaxes(formatDecimal(taxable), input.taxRates ?? [], currency);
  const total = nonNegative(subtotal.minus(totalDiscount).minus(credits).plus(tax.totalTax));
  const paid = moneyOf(input.amountPaid ?? '0', 'amountPaid', places);
  return {
    subtotal: formatDecimal(subtotal),
    totalDiscount: formatDecimal(totalDiscount),
    totalPrepaidCreditsApplied: formatDecimal(credits),
    taxableAmount: tax.taxableAmount,
    taxes: tax.taxes,
    totalTax: tax.totalTax,
    total: formatDecimal(total),
    amountDue: formatDecimal(total),
    amountPaid: formatDecimal(paid),
    amountRemaining: formatDecimal(nonNegative(total.minus(paid))),
  };
}
