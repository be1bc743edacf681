import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { walletPayable, type PayableLine } from '../../billing/invoicing/index.ts';
import { formatDecimal, zero } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import type { Invoice } from '../invoices/index.ts';
import { Payment } from './payment.entity.ts';
import { receivedStatuses } from './payment.repo.ts';

/** A CREDITS payment to debit from a POST_PAID wallet (`walletId` null: the customer's, in the invoice's currency). */
export type WalletDebit = {
  walletId: string | null;
  customerId: string;
  currency: string;
  amount: string;
  paymentId: string;
  at: Date;
  /** What the wallet may still pay of the invoice, given its `allowed_price_types`. */
  payable: (walletId: string, allowedPriceTypes: readonly string[]) => Promise<string>;
};

/**
 * What CREDITS payments ask of wallets (the wallets module, wired in src/services.ts), in the payment's
 * unit of work: the wallet checked, locked and debited (refused with 400 when it cannot pay); the id
 * of the wallet that paid.
 */
export type CreditsWallets = { pay(tx: Tx, auth: AuthContext, debit: WalletDebit): Promise<{ walletId: string }> };

/** The invoice's lines, as a POST_PAID wallet's restriction reads them. */
export type InvoiceLines = (tx: Tx, auth: AuthContext, invoiceId: string) => Promise<PayableLine[]>;

/**
 * Debits a CREDITS payment from its wallet (docs/api/wallet-invoices.md#credits-payments-from-a-post_paid-wallet): the wallet may pay
 * what remains of the invoice, or — restricted by `allowed_price_types` — its lines of those types
 * less what the wallet already paid on it. Sets the payment's `payment_method_id` to the wallet that paid.
 */
export async function payFromWallet(tx: Tx, auth: AuthContext, ports: { wallets: CreditsWallets; lines: InvoiceLines }, payment: Payment, invoice: Invoice, at: Date): Promise<void> {
  const { walletId } = await ports.wallets.pay(tx, auth, {
    walletId: payment.paymentMethodId ?? null,
    customerId: invoice.customerId,
    currency: invoice.currency,
    amount: payment.amount,
    paymentId: payment.id,
    at,
    payable: async (id, allowedPriceTypes) =>
      walletPayable({ lines: await ports.lines(tx, auth, invoice.id), allowedPriceTypes, amountRemaining: invoice.amountRemaining, paidByWallet: await paidBy(tx, auth, invoice.id, id) }),
  });
  payment.paymentMethodId = walletId;
}

/** What the wallet has paid on the invoice already: its CREDITS payments whose money arrived. */
async function paidBy(tx: Tx, auth: AuthContext, invoiceId: string, walletId: string): Promise<string> {
  const rows = await tx.find(Payment, {
    ...scopeOf(auth),
    destinationType: 'INVOICE',
    destinationId: invoiceId,
    status: 'published',
    paymentMethodType: 'CREDITS',
    paymentMethodId: walletId,
    paymentStatus: { $in: [...receivedStatuses] },
  });
  return formatDecimal(rows.reduce((s, p) => s.plus(p.amount), zero));
}
