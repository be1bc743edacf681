import { ExactDecimal, formatDecimal, zero } from '../money/index.ts';

/** An invoice line as a POST_PAID wallet's restriction sees it. */
export type PayableLine = { priceType?: string | null; amount: string; lineItemDiscount: string; invoiceLevelDiscount: string; prepaidCreditsApplied: string };

/**
 * How much of an invoice a POST_PAID wallet may still pay (docs/api/wallet-invoices.md#credits-payments-from-a-post_paid-wallet): a
 * wallet whose `allowed_price_types` has ALL (or is empty) may pay all that remains; one restricted to
 * USAGE or FIXED may pay the lines of those types — each after its discounts and prepaid credits, taxes
 * excluded — less what the wallet has paid on the invoice already, and never more than remains.
 */
export function walletPayable(input: { lines: readonly PayableLine[]; allowedPriceTypes: readonly string[]; amountRemaining: string; paidByWallet: string }): string {
  const remaining = ExactDecimal.max(new ExactDecimal(input.amountRemaining), zero);
  const allowed = input.allowedPriceTypes;
  if (allowed.length === 0 || allowed.includes('ALL')) return formatDecimal(remaining);
  const lines = input.lines.filter((l) => allowed.includes(l.priceType === 'USAGE' ? 'USAGE' : 'FIXED'));
  const net = lines.reduce((s, l) => s.plus(ExactDecimal.max(new ExactDecimal(l.amount).minus(l.lineItemDiscount).minus(l.invoiceLevelDiscount).minus(l.prepaidCreditsApplied), zero)), zero);
  return formatDecimal(ExactDecimal.min(remaining, ExactDecimal.max(net.minus(input.paidByWallet), zero)));
}
