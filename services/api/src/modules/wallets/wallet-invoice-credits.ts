import type { AuthContext } from '../../auth-context.ts';
import { creditsForAmount, isUnexpired, valueOfCredits } from '../../billing/wallets/index.ts';
import { ExactDecimal, formatDecimal, zero } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import type { WalletService } from './wallet.service.ts';
import { WalletRepo } from './wallet.repo.ts';
import type { WalletTransaction } from './wallet-transaction.entity.ts';
import { WalletTransactionRepo } from './wallet-transaction.repo.ts';

/** A PRE_PAID wallet as an invoice's finalization sees it: what its credits unexpired at the invoice's period end are worth, and what it may pay. */
export type PrepaidWallet = { id: string; value: string; allowedPriceTypes: string[] };

/** The key of the one debit a wallet makes for an invoice's prepaid credits. */
export const prepaidCreditsKey = (invoiceId: string) => `invoice-prepaid-credits-${invoiceId}`;

/**
 * Prepaid credits paying subscription invoices at finalization (docs/api/wallet-invoices.md#prepaid-credits-at-finalization),
 * inside the finalization's unit of work: the customer's active PRE_PAID wallets in the invoice's
 * currency, locked, with the value of their credits; then one CREDIT_ADJUSTMENT debit per wallet
 * (reference INVOICE, the invoice's id; idempotency key `invoice-prepaid-credits-<invoice id>`).
 */
export class WalletInvoiceCredits {
  readonly #wallets: WalletService;
  readonly #walletRepo = new WalletRepo();
  readonly #transactions = new WalletTransactionRepo();

  constructor(wallets: WalletService) {
    this.#wallets = wallets;
  }

  /** The customer's active PRE_PAID wallets in `currency` (locked until the unit of work ends), valued at `at`; empty ones left out. */
  async prepaidFor(tx: Tx, auth: AuthContext, customerId: string, currency: string, at: Date): Promise<PrepaidWallet[]> {
    const wallet = await this.#walletRepo.activeOf(tx, auth, customerId, currency, 'PRE_PAID');
    if (!wallet) return [];
    const credits = await this.#available(tx, auth, wallet.id, at);
    const value = valueOfCredits(credits, new ExactDecimal(wallet.conversionRate));
    if (!value.gt(0)) return [];
    return [{ id: wallet.id, value: formatDecimal(value), allowedPriceTypes: wallet.config?.allowed_price_types ?? ['USAGE'] }];
  }

  /**
   * Debits what `amount` (in the invoice's currency) is in credits at the wallet's conversion rate,
   * never more than the credits available at `at`. A repeat for the same invoice debits nothing more.
   */
  async payInvoice(tx: Tx, auth: AuthContext, walletId: string, p: { invoiceId: string; amount: string; at: Date }): Promise<WalletTransaction> {
    const wallet = await this.#walletRepo.locked(tx, auth, walletId);
    const wanted = creditsForAmount(new ExactDecimal(p.amount), new ExactDecimal(wallet!.conversionRate));
    const credits = ExactDecimal.min(wanted, await this.#available(tx, auth, walletId, p.at));
    return this.#wallets.consume(tx, auth, walletId, {
      credits: formatDecimal(credits),
      reason: 'CREDIT_ADJUSTMENT',
      referenceType: 'INVOICE',
      referenceId: p.invoiceId,
      idempotencyKey: prepaidCreditsKey(p.invoiceId),
      description: 'prepaid credits applied to invoice',
      at: p.at,
    });
  }

  async #available(tx: Tx, auth: AuthContext, walletId: string, at: Date): Promise<ExactDecimal> {
    let sum = zero;
    for (const c of await this.#transactions.available(tx, auth, walletId, at)) {
      if (isUnexpired({ expiryDate: c.expiryDate ?? null }, at)) sum = sum.plus(c.creditsAvailable);
    }
    return sum;
  }
}
