import type { AuthContext } from '../../auth-context.ts';
import { creditsForAmount } from '../../billing/wallets/index.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { invalidFields } from '../../errors/app-error.ts';
import type { WalletService } from './wallet.service.ts';
import { WalletRepo } from './wallet.repo.ts';

/** A CREDITS payment as the wallet sees it (the payments module's WalletDebit). */
export type InvoiceWalletDebit = {
  walletId: string | null;
  customerId: string;
  currency: string;
  amount: string;
  paymentId: string;
  payable: (walletId: string, allowedPriceTypes: readonly string[]) => Promise<string>;
};

/** The key of a payment's one debit. */
export const paymentDebitKey = (paymentId: string) => `payment-${paymentId}`;

/**
 * POST_PAID wallets as the CREDITS payment method (docs/api/wallet-invoices.md#credits-payments-from-a-post_paid-wallet), in the
 * payment's unit of work: the wallet (given, or the customer's active POST_PAID wallet in the invoice's
 * currency) must be the customer's, active, POST_PAID and in that currency; the amount within what its
 * `allowed_price_types` let it pay. The debit — the amount at the wallet's conversion rate, reason
 * INVOICE_PAYMENT, reference PAYMENT — takes the wallet's lock and is refused (400 "insufficient
 * balance") when its credits cannot cover it.
 */
export class WalletPayments {
  readonly #wallets: WalletService;
  readonly #repo = new WalletRepo();

  constructor(wallets: WalletService) {
    this.#wallets = wallets;
  }

  async pay(tx: Tx, auth: AuthContext, d: InvoiceWalletDebit): Promise<{ walletId: string }> {
    const wallet = d.walletId ? await this.#repo.locked(tx, auth, d.walletId) : await this.#repo.activeOf(tx, auth, d.customerId, d.currency, 'POST_PAID');
    if (!wallet || wallet.customerId !== d.customerId || wallet.status !== 'published') {
      throw invalidFields({ payment_method_id: d.walletId ? `wallet ${d.walletId} is not a wallet of the invoice's customer` : `the customer has no active POST_PAID wallet in ${d.currency}` });
    }
    if (wallet.walletType !== 'POST_PAID') throw invalidFields({ payment_method_id: `wallet ${wallet.id} is ${wallet.walletType}; CREDITS payments debit a POST_PAID wallet` });
    if (wallet.walletStatus !== 'active') throw invalidFields({ payment_method_id: `wallet ${wallet.id} is ${wallet.walletStatus}` });
    if (wallet.currency !== d.currency) throw invalidFields({ payment_method_id: `wallet ${wallet.id} is in ${wallet.currency}, the invoice in ${d.currency}` });
    const payable = new ExactDecimal(await d.payable(wallet.id, wallet.config?.allowed_price_types ?? ['ALL']));
    if (new ExactDecimal(d.amount).gt(payable)) {
      throw invalidFields({ amount: `exceeds what wallet ${wallet.id} may pay of the invoice (${formatDecimal(payable)} ${d.currency}, by its allowed_price_types ${(wallet.config?.allowed_price_types ?? []).join(', ')})` });
    }
    await this.#wallets.consume(tx, auth, wallet.id, {
      credits: formatDecimal(creditsForAmount(new ExactDecimal(d.amount), new ExactDecimal(wallet.conversionRate))),
      reason: 'INVOICE_PAYMENT',
      referenceType: 'PAYMENT',
      referenceId: d.paymentId,
      idempotencyKey: paymentDebitKey(d.paymentId),
      description: 'invoice payment',
    });
    return { walletId: wallet.id };
  }
}
