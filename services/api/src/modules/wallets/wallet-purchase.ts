import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { valueOfCredits } from '../../billing/wallets/index.ts';
import { ExactDecimal, formatDecimal, roundToCurrency } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import { record } from '../webhooks/index.ts';
import type { Wallet } from './wallet.entity.ts';
import { WalletRepo } from './wallet.repo.ts';
import { WalletTransaction } from './wallet-transaction.entity.ts';
import { WalletTransactionRepo } from './wallet-transaction.repo.ts';
import { walletTransactionEvent, walletTransactionWebhookPayload } from './wallet.webhook.ts';
import { purchaseBonus, type BonusSlabs, type ExplicitBonus } from './purchase-bonus.ts';

/** What a purchase asks of invoices (wired in src/services.ts): the ONE_OFF invoice of the credits' value, made and finalized in the caller's unit of work. */
export type CreditPurchaseInvoices = (
  tx: Tx,
  auth: AuthContext,
  p: { customerId: string; currency: string; amount: string; credits: string; walletId: string; walletTransactionId: string; billingReason: 'MANUAL' | 'WALLET_AUTO_TOPUP'; metadata: Record<string, string> },
) => Promise<{ id: string }>;

/** "Now" for a customer (the wallet service's WalletTime). */
type CustomerNow = { nowFor(tx: Tx, auth: AuthContext, customerId: string): Promise<Date> };

/** Credits bought on an invoice: pending until the invoice is paid. */
export type InvoicedPurchase = {
  credits: string;
  /** A repeat of a key of this wallet returns the first purchase and its invoice, buying nothing more. */
  idempotencyKey: string | null;
  description?: string | null;
  metadata?: Record<string, string>;
  expiryDate?: Date | null;
  priority?: number | null;
  /** The invoice's billing reason: MANUAL (a top-up), WALLET_AUTO_TOPUP (an automatic one). */
  billingReason?: 'MANUAL' | 'WALLET_AUTO_TOPUP';
  /** The request's bonus (none given: the environment's slabs decide). */
  bonus?: ExplicitBonus;
};

export type InvoicedPurchaseResult = { wallet: Wallet; transaction: WalletTransaction; invoiceId: string };

/** The fields every pending credit of a purchase shares: it moves no balance until its invoice is paid. */
function pendingCredit(wallet: Wallet, now: Date, auth: AuthContext) {
  return {
    id: newId('walletTransaction'),
    walletId: wallet.id,
    customerId: wallet.customerId,
    type: 'credit' as const,
    creditBalanceBefore: wallet.creditBalance,
    creditBalanceAfter: wallet.creditBalance,
    creditsAvailable: '0',
    transactionStatus: 'pending' as const,
    referenceType: 'INVOICE' as const,
    currency: wallet.currency,
    conversionRate: null,
    topupConversionRate: wallet.topupConversionRate,
    ...newRecord(auth, now),
  };
}

/** What runs after a completed purchase moved a balance (the wallet service's after-ledger step: alerts, automatic top-up). */
type LedgerChanged = (tx: Tx, auth: AuthContext, wallet: Wallet, transaction: WalletTransaction, at: Date) => Promise<void>;

/** An invoice as its paid and void hooks give it. */
type PaidInvoice = { id: string; invoiceType: string };

/** The paid invoice's purchase completes; the voided invoice's fails. */
type Outcome = 'completed' | 'failed';

/**
 * Credits bought on an invoice (docs/api/wallet-invoices.md#credits-bought-on-an-invoice): a `pending` credit
 * transaction (PURCHASED_CREDIT_INVOICED, reference INVOICE) that moves no balance, and a ONE_OFF
 * invoice for the credits at the wallet's `topup_conversion_rate`, in one unit of work under the
 * wallet's lock. When the invoice is paid the transaction becomes `completed`: the credits are
 * available and the balance moves; when it is voided it becomes `failed`. Each change is announced
 * (`wallet.transaction.created`, then `wallet.transaction.updated`).
 */
export class WalletPurchases {
  readonly #invoices: CreditPurchaseInvoices;
  readonly #time: CustomerNow;
  readonly #wallets = new WalletRepo();
  readonly #transactions = new WalletTransactionRepo();

  readonly #afterLedger: LedgerChanged | undefined;

  readonly #bonusSlabs: BonusSlabs;

  constructor(ports: { invoices: CreditPurchaseInvoices; time: CustomerNow; afterLedger?: LedgerChanged; bonusSlabs?: BonusSlabs }) {
    this.#invoices = ports.invoices;
    this.#time = ports.time;
    this.#afterLedger = ports.afterLedger;
    this.#bonusSlabs = ports.bonusSlabs ?? (async () => []);
  }

  async purchaseInvoiced(tx: Tx, auth: AuthContext, walletId: string, input: InvoicedPurchase): Promise<InvoicedPurchaseResult> {
    const wallet = orNotFound(await this.#wallets.locked(tx, auth, walletId), 'Wallet', 'id', walletId);
    const earlier = input.idempotencyKey ? await this.#transactions.byKey(tx, auth, wallet.id, input.idempotencyKey) : null;
    if (earlier) return { wallet, transaction: earlier, invoiceId: earlier.referenceId ?? '' };
    if (wallet.walletStatus !== 'active') {
      throw new AppError('invalid_operation', `wallet ${wallet.id} is ${wallet.walletStatus}; only an active wallet can be changed`, { id: wallet.id, wallet_status: wallet.walletStatus });
    }
    const now = await this.#time.nowFor(tx, auth, wallet.customerId);
    if (input.expiryDate && input.expiryDate <= now) throw invalidFields({ expiry_date_utc: 'must be in the future' });
    if (input.bonus?.expiryDate && input.bonus.expiryDate <= now) throw invalidFields({ bonus_credits_expiry_date_utc: 'must be in the future' });
    const credits = new ExactDecimal(input.credits);
    if (!credits.gt(0)) throw invalidFields({ credits_to_add: 'must be greater than 0' });
    const value = valueOfCredits(credits, new ExactDecimal(wallet.topupConversionRate));
    const amount = roundToCurrency(value, wallet.currency);
    if (!amount.gt(0)) throw invalidFields({ credits_to_add: `are worth less than the smallest amount of ${wallet.currency} at the wallet's topup_conversion_rate, so there is nothing to invoice` });
    const transaction = this.#transactions.add(tx, {
      ...pendingCredit(wallet, now, auth),
      amount: formatDecimal(value),
      creditAmount: formatDecimal(credits),
      transactionReason: 'PURCHASED_CREDIT_INVOICED',
      referenceId: null,
      description: input.description ?? null,
      metadata: input.metadata ?? {},
      expiryDate: input.expiryDate ?? null,
      priority: input.priority ?? null,
      idempotencyKey: input.idempotencyKey,
      parentTransactionId: null,
    });
    await tx.flush();
    const invoice = await this.#invoices(tx, auth, {
      customerId: wallet.customerId,
      currency: wallet.currency,
      amount: formatDecimal(amount),
      credits: formatDecimal(credits),
      walletId: wallet.id,
      walletTransactionId: transaction.id,
      billingReason: input.billingReason ?? 'MANUAL',
      metadata: input.metadata ?? {},
    });
    transaction.referenceId = invoice.id;
    await tx.flush();
    await record(tx, auth, walletTransactionEvent(transaction, now));
    // The bonus is not invoiced: it waits beside the purchase (pending, the same invoice) and shares its fate.
    const bonus = await purchaseBonus(this.#bonusSlabs, tx, auth, credits, now, input.bonus ?? { credits: null, expiryDate: null });
    if (bonus) {
      const bonusRow = this.#transactions.add(tx, {
        ...pendingCredit(wallet, now, auth),
        amount: formatDecimal(valueOfCredits(bonus.credits, new ExactDecimal(wallet.topupConversionRate))),
        creditAmount: formatDecimal(bonus.credits),
        transactionReason: 'PURCHASED_CREDIT_BONUS',
        referenceId: invoice.id,
        description: 'bonus credits',
        metadata: {},
        expiryDate: bonus.expiryDate,
        priority: input.priority ?? null,
        idempotencyKey: null,
        parentTransactionId: transaction.id,
      });
      await tx.flush();
      await record(tx, auth, walletTransactionEvent(bonusRow, now));
    }
    return { wallet, transaction, invoiceId: invoice.id };
  }

  /** The paid invoice's pending purchases complete (credits available, balance moved); a wallet no longer active gets none: the purchase fails. */
  invoicePaid(tx: Tx, auth: AuthContext, invoice: PaidInvoice, at: Date): Promise<void> {
    return this.#settle(tx, auth, invoice, 'completed', at);
  }

  /**
   * The voided invoice's pending purchases fail. A purchase that already completed refuses the void
   * (400, nothing changes): its credits are in the wallet, and the void's refund would deposit the
   * money paid for them a second time.
   */
  async invoiceVoided(tx: Tx, auth: AuthContext, invoice: PaidInvoice, at: Date): Promise<void> {
    if (invoice.invoiceType !== 'ONE_OFF') return;
    const landed = await tx.count(WalletTransaction, { ...scopeOf(auth), referenceType: 'INVOICE', referenceId: invoice.id, transactionReason: 'PURCHASED_CREDIT_INVOICED', transactionStatus: 'completed' });
    if (landed > 0) {
      throw new AppError('invalid_operation', 'This invoice bought wallet credits that are already in the wallet: voiding it would refund them a second time. Issue a credit note or debit the wallet instead', { id: invoice.id });
    }
    return this.#settle(tx, auth, invoice, 'failed', at);
  }

  async #settle(tx: Tx, auth: AuthContext, invoice: PaidInvoice, outcome: Outcome, at: Date): Promise<void> {
    if (invoice.invoiceType !== 'ONE_OFF') return; // purchases are invoiced ONE_OFF
    const invoiceId = invoice.id;
    // The purchase, then its bonus (created after it): each lands on the balance the one before left.
    const pending = await tx.find(
      WalletTransaction,
      { ...scopeOf(auth), referenceType: 'INVOICE', referenceId: invoiceId, transactionReason: { $in: ['PURCHASED_CREDIT_INVOICED', 'PURCHASED_CREDIT_BONUS'] }, transactionStatus: 'pending' },
      { orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
    );
    for (const transaction of pending) {
      const wallet = (await this.#wallets.locked(tx, auth, transaction.walletId))!;
      if (outcome === 'completed' && wallet.walletStatus === 'active') {
        const before = new ExactDecimal(wallet.creditBalance);
        const after = before.plus(transaction.creditAmount);
        Object.assign(transaction, { transactionStatus: 'completed', creditsAvailable: transaction.creditAmount, creditBalanceBefore: formatDecimal(before), creditBalanceAfter: formatDecimal(after) });
        wallet.creditBalance = formatDecimal(after);
        touch(wallet, auth, at);
      } else {
        transaction.transactionStatus = 'failed';
      }
      touch(transaction, auth, at);
      await tx.flush();
      await record(tx, auth, { eventType: 'wallet.transaction.updated', entityType: 'wallet_transaction', entityId: transaction.id, payload: { updated_transaction: walletTransactionWebhookPayload(transaction).transaction }, at });
      // A completed purchase moved the balance: its alerts are evaluated as after any other ledger change.
      if (transaction.transactionStatus === 'completed') await this.#afterLedger?.(tx, auth, wallet, transaction, at);
    }
  }
}
