import type { AuthContext } from '../../auth-context.ts';
import { applyWalletCredits, type CreditWallet } from '../../billing/invoicing/index.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { touch } from '../../records.ts';
import type { Invoice } from './invoice.entity.ts';
import type { InvoiceLineItem } from './invoice-line-item.entity.ts';

/**
 * What finalization asks of wallets (the wallets module, wired in src/services.ts): the customer's
 * PRE_PAID wallets in a currency, locked and valued at an instant; and a wallet's one debit for an invoice.
 */
export type PrepaidCreditWallets = {
  prepaidFor(tx: Tx, auth: AuthContext, customerId: string, currency: string, at: Date): Promise<CreditWallet[]>;
  payInvoice(tx: Tx, auth: AuthContext, walletId: string, p: { invoiceId: string; amount: string; at: Date }): Promise<unknown>;
};

/**
 * Prepaid credits applied to a subscription invoice being finalized
 * (docs/api/wallet-invoices.md#prepaid-credits-at-finalization), in the finalization's unit of work (which holds
 * the invoice's lock, so this runs once per invoice): the customer's PRE_PAID wallets in the invoice's
 * currency, valued at its period end, pay its USAGE lines after their discounts; each line's
 * `prepaid_credits_applied` is set, and each paying wallet is debited once. The caller recomputes the
 * totals from the lines.
 */
export async function applyPrepaidCreditsAtFinalization(tx: Tx, auth: AuthContext, wallets: PrepaidCreditWallets, invoice: Invoice, lines: InvoiceLineItem[], at: Date): Promise<void> {
  if (invoice.invoiceType !== 'SUBSCRIPTION' || !lines.length) return;
  const creditsAt = invoice.periodEnd ?? at;
  const available = await wallets.prepaidFor(tx, auth, invoice.customerId, invoice.currency, creditsAt);
  if (!available.length) return;
  const credits = applyWalletCredits(
    lines.map((l) => ({
      id: l.id,
      priceType: l.priceType === 'USAGE' ? 'USAGE' : 'FIXED',
      amountAfterDiscounts: formatDecimal(ExactDecimal.max(new ExactDecimal(l.amount).minus(l.lineItemDiscount).minus(l.invoiceLevelDiscount), 0)),
    })),
    available,
    invoice.currency,
  );
  credits.lines.forEach((c, i) => {
    const line = lines[i]!;
    if (new ExactDecimal(line.prepaidCreditsApplied).eq(c.prepaidCreditsApplied)) return;
    line.prepaidCreditsApplied = c.prepaidCreditsApplied;
    touch(line, auth, at);
  });
  for (const paid of credits.byWallet) await wallets.payInvoice(tx, auth, paid.walletId, { invoiceId: invoice.id, amount: paid.amount, at: creditsAt });
}
