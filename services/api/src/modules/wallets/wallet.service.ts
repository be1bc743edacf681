import type { AuthContext } from '../../auth-context.ts';
import { creditsForAmount, isUnexpired, planConsumption, valueOfCredits, type EarnedBonus } from '../../billing/wallets/index.ts';
import { ExactDecimal, formatDecimal, zero } from '../../billing/money/index.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { change, newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerReader } from '../customers/index.ts';
import { record } from '../webhooks/index.ts';
import type { CreditBreakdown, ManualDebit, NewWallet, TopUp, WalletChanges, WalletQuery, WalletTransactionQuery, WalletView } from './wallet.convert.ts';
import type { Wallet } from './wallet.entity.ts';
import { WalletRepo } from './wallet.repo.ts';
import type { ReferenceType, TransactionReason, WalletTransaction } from './wallet-transaction.entity.ts';
import { WalletTransactionRepo } from './wallet-transaction.repo.ts';
import { walletEvent, walletTransactionEvent } from './wallet.webhook.ts';
import { purchaseBonus, type BonusSlabs } from './purchase-bonus.ts';
import { WalletPurchases, type CreditPurchaseInvoices, type InvoicedPurchase, type InvoicedPurchaseResult } from './wallet-purchase.ts';

/** "Now" for a customer: its test clock's time when it is on one. */
export type WalletTime = { nowFor(tx: Tx, auth: AuthContext, customerId: string): Promise<Date> };

/**
 * Called in the unit of work of every ledger change, after the row is appended and the wallet's
 * balance moved, under the wallet's lock: the credit-balance alerts and the automatic top-up
 * (wallet-alerts.ts).
 */
export type AfterLedgerChange = (tx: Tx, auth: AuthContext, wallet: Wallet, transaction: WalletTransaction, at: Date) => Promise<void>;

/** A debit another use case makes (an invoice paid from prepaid credits): it may never go beyond the available credits. */
export type CreditConsumption = {
  credits: string;
  reason: Extract<TransactionReason, 'CREDIT_ADJUSTMENT' | 'INVOICE_PAYMENT'>;
  referenceType?: ReferenceType;
  referenceId?: string;
  idempotencyKey?: string;
  description?: string;
  /** Credits must be unexpired at this instant (an invoice's period end); now for the customer by default. */
  at?: Date;
};

/**
 * Credits another use case deposits into a customer's PRE_PAID wallet (a credit grant's application, a
 * refund credit note, the refund of a voided invoice, a proration credit). `credits`, or a currency
 * `amount` the wallet turns into credits at its `conversion_rate` (so the credits are worth exactly
 * that amount). The idempotency key is required: background work retries, and a repeat must add nothing.
 */
export type CreditDeposit = {
  customerId: string;
  currency: string;
  reason: Extract<TransactionReason, 'SUBSCRIPTION_CREDIT_GRANT' | 'CREDIT_NOTE' | 'INVOICE_VOID_REFUND'>;
  idempotencyKey: string;
  at: Date;
  referenceType?: ReferenceType;
  referenceId?: string;
  expiryDate?: Date | null;
  priority?: number | null;
  /** Rates for the wallet created when the customer has no active PRE_PAID wallet in `currency` (1 by default). */
  conversionRate?: string;
  topupConversionRate?: string;
  description?: string;
  metadata?: Record<string, string>;
} & ({ credits: string } | { amount: string });

/** A credit to append to a wallet's ledger. */
type CreditEntry = {
  reason: TransactionReason;
  credits: ExactDecimal;
  expiryDate: Date | null;
  priority: number | null;
  idempotencyKey: string | null;
  description: string | null;
  metadata: Record<string, string>;
  parentTransactionId?: string;
  referenceType?: ReferenceType;
  referenceId?: string;
};

/** A debit to append to a wallet's ledger. */
type DebitEntry = {
  reason: TransactionReason;
  credits: ExactDecimal;
  /** Manual debits and termination may go beyond the available credits; every other debit is refused. */
  allowOverdraft: boolean;
  /** Termination consumes expired credits too. */
  includeExpired: boolean;
  idempotencyKey: string | null;
  description: string | null;
  metadata: Record<string, string>;
  referenceType?: ReferenceType;
  referenceId?: string;
  at: Date;
  /** Credits must be unexpired at this instant (`at` by default): an invoice's period end. */
  creditsAt?: Date;
};

/** What distinguishes one ledger row from another; the rest follows from the wallet and the instant. */
type LedgerRow = Omit<WalletTransaction, 'id' | 'walletId' | 'customerId' | 'amount' | 'creditAmount' | 'creditBalanceBefore' | 'creditBalanceAfter' | 'transactionStatus' | 'currency' | keyof ReturnType<typeof newRecord>> & {
  credits: ExactDecimal;
  amount: ExactDecimal;
};

const purchasedReasons: readonly TransactionReason[] = ['PURCHASED_CREDIT_DIRECT', 'PURCHASED_CREDIT_INVOICED'];
const typeNames = { PRE_PAID: 'Prepaid', POST_PAID: 'Postpaid' } as const;

const closedRefusal = (w: Wallet) => new AppError('invalid_operation', `wallet ${w.id} is ${w.walletStatus}; only an active wallet can be changed`, { id: w.id, wallet_status: w.walletStatus });

/**
 * Wallets as a ledger (docs/api/wallets.md). Every change of a wallet's credits appends a transaction
 * in one unit of work that holds the wallet's row lock: the transaction records the balance before
 * and after, and the wallet's stored `credit_balance` moves with it. Debits consume individual credits
 * in FlexPrice's order; a credit's `credits_available` is the only field of the ledger that changes.
 */
export class WalletService {
  readonly #ctx: ServiceContext;
  readonly #customers: CustomerReader;
  readonly #time: WalletTime;
  readonly #afterLedger: AfterLedgerChange | undefined;
  readonly #bonusSlabs: BonusSlabs;
  readonly #wallets = new WalletRepo();
  readonly #transactions = new WalletTransactionRepo();

  readonly #purchases: WalletPurchases | null;

  /** `purchaseInvoices`: how a purchase of credits is invoiced; without it PURCHASED_CREDIT_INVOICED is refused. */
  constructor(ctx: ServiceContext, ports: { customers: CustomerReader; time: WalletTime; purchaseInvoices?: CreditPurchaseInvoices; afterLedger?: AfterLedgerChange; bonusSlabs?: BonusSlabs }) {
    this.#ctx = ctx;
    this.#bonusSlabs = ports.bonusSlabs ?? (async () => []);
    this.#customers = ports.customers;
    this.#time = ports.time;
    this.#afterLedger = ports.afterLedger;
    this.#purchases = ports.purchaseInvoices ? new WalletPurchases({ invoices: ports.purchaseInvoices, time: ports.time, afterLedger: ports.afterLedger, bonusSlabs: this.#bonusSlabs }) : null;
  }

  /**
   * Credits bought on an invoice, in the caller's unit of work (docs/api/wallet-invoices.md#credits-bought-on-an-invoice):
   * a pending PURCHASED_CREDIT_INVOICED credit and its ONE_OFF invoice; the credits land when the
   * invoice is paid, and the purchase fails when it is voided. The auto top-up calls this too.
   */
  purchaseInvoiced(tx: Tx, auth: AuthContext, walletId: string, input: InvoicedPurchase): Promise<InvoicedPurchaseResult> {
    return this.#purchasesOrRefuse().purchaseInvoiced(tx, auth, walletId, input);
  }

  /** A PURCHASED_CREDIT_INVOICED top-up: `credits`, or `amount ÷ topup_conversion_rate`, bought on an invoice in a unit of work of its own. */
  topUpInvoiced(auth: AuthContext, id: string, input: TopUp): Promise<{ transaction: WalletTransaction; view: WalletView; invoiceId: string }> {
    return this.#ctx.db.run(async (tx) => {
      const wallet = orNotFound(await this.#wallets.locked(tx, auth, id), 'Wallet', 'id', id);
      const credits = input.credits !== null ? new ExactDecimal(input.credits) : creditsForAmount(new ExactDecimal(input.amount!), new ExactDecimal(wallet.topupConversionRate));
      const { transaction, invoiceId } = await this.purchaseInvoiced(tx, auth, id, {
        credits: formatDecimal(credits),
        idempotencyKey: input.idempotencyKey,
        description: input.description,
        metadata: input.metadata,
        expiryDate: input.expiryDate,
        priority: input.priority,
        billingReason: 'MANUAL',
        bonus: { credits: input.bonusCredits, expiryDate: input.bonusExpiryDate },
      });
      return { transaction, invoiceId, view: await this.#view(tx, auth, wallet) };
    });
  }

  /** The purchases' side of an invoice's payment and void (the invoices module's paid and void hooks). */
  get purchases(): Pick<WalletPurchases, 'invoicePaid' | 'invoiceVoided'> {
    return this.#purchasesOrRefuse();
  }

  #purchasesOrRefuse(): WalletPurchases {
    if (!this.#purchases) throw invalidFields({ transaction_reason: 'PURCHASED_CREDIT_INVOICED needs invoices, which are not wired here' });
    return this.#purchases;
  }

  /** Creates a wallet, and loads its initial credits as a FREE_CREDIT_GRANT top-up in the same transaction. */
  create(auth: AuthContext, input: NewWallet): Promise<WalletView> {
    const duplicate = () => new AppError('already_exists', `the customer already has an active ${input.walletType} wallet in ${input.currency}`, { currency: input.currency, wallet_type: input.walletType });
    return this.#ctx.db.run(async (tx) => {
      const field = 'id' in input.customer ? 'customer_id' : 'external_customer_id';
      const value = 'id' in input.customer ? input.customer.id : input.customer.externalId;
      const customer = await this.#customers.getPublished(tx, auth, 'id' in input.customer ? { id: value } : { externalId: value });
      if (!customer) throw notFound('Customer', field, value);
      const now = await this.#time.nowFor(tx, auth, customer.id);
      if (input.initialCreditsExpiry && input.initialCreditsExpiry <= now) throw invalidFields({ initial_credits_expiry_date_utc: 'must be in the future' });
      if (await this.#wallets.hasActive(tx, auth, customer.id, input.currency, input.walletType)) throw duplicate();
      const wallet = this.#wallets.add(tx, {
        id: newId('wallet'),
        customerId: customer.id,
        name: `${typeNames[input.walletType]} Wallet - ${input.currency.toUpperCase()}`,
        description: input.description,
        currency: input.currency,
        walletType: input.walletType,
        walletStatus: 'active',
        creditBalance: '0',
        conversionRate: input.conversionRate,
        topupConversionRate: input.topupConversionRate,
        config: input.config,
        alertSettings: input.alertSettings,
        alertState: 'ok',
        autoTopup: input.autoTopup,
        metadata: input.metadata,
        ...newRecord(auth, now),
      });
      await tx.flush();
      await record(tx, auth, walletEvent('wallet.created', wallet, now));
      const initial = new ExactDecimal(input.initialCredits);
      if (initial.gt(0)) {
        await this.#credit(tx, auth, wallet, { reason: 'FREE_CREDIT_GRANT', credits: initial, expiryDate: input.initialCreditsExpiry, priority: null, idempotencyKey: null, description: 'initial credits', metadata: {} }, now);
      }
      return this.#view(tx, auth, wallet, now);
    }, duplicate);
  }

  /** Any status. */
  get(auth: AuthContext, id: string): Promise<WalletView> {
    return this.#ctx.db.read(async (tx) => this.#view(tx, auth, orNotFound(await this.#wallets.get(tx, auth, id), 'Wallet', 'id', id)));
  }

  /** The wallet as of now for its customer, and that instant. */
  balance(auth: AuthContext, id: string): Promise<{ view: WalletView; at: Date }> {
    return this.#ctx.db.read(async (tx) => {
      const wallet = orNotFound(await this.#wallets.get(tx, auth, id), 'Wallet', 'id', id);
      const at = await this.#time.nowFor(tx, auth, wallet.customerId);
      return { view: await this.#view(tx, auth, wallet, at), at };
    });
  }

  list(auth: AuthContext, query: WalletQuery): Promise<PageOf<WalletView>> {
    return this.#ctx.db.read(async (tx) => {
      const { items, total } = await this.#wallets.page(tx, auth, query);
      return { items: await Promise.all(items.map((w) => this.#view(tx, auth, w))), total };
    });
  }

  /** Every wallet of a customer (by id or external id), newest first; an unknown customer is 404. */
  ofCustomer(auth: AuthContext, by: { id: string } | { externalId: string }): Promise<{ views: WalletView[]; at: Date }> {
    return this.#ctx.db.read(async (tx) => {
      const customer = await this.#customers.getPublished(tx, auth, by);
      if (!customer) throw 'id' in by ? notFound('Customer', 'id', by.id) : notFound('Customer', 'lookup_key', by.externalId);
      const at = await this.#time.nowFor(tx, auth, customer.id);
      const wallets = await this.#wallets.ofCustomer(tx, auth, customer.id);
      return { views: await Promise.all(wallets.map((w) => this.#view(tx, auth, w, at))), at };
    });
  }

  update(auth: AuthContext, id: string, changes: WalletChanges): Promise<WalletView> {
    return this.#ctx.db.run(async (tx) => {
      const wallet = await this.#activeLocked(tx, auth, id);
      const now = await this.#time.nowFor(tx, auth, wallet.customerId);
      change(wallet, changes, auth, now);
      await tx.flush();
      await record(tx, auth, walletEvent('wallet.updated', wallet, now));
      return this.#view(tx, auth, wallet, now);
    });
  }

  /**
   * Adds credits at once: `credits`, or `amount ÷ topup_conversion_rate`, plus a linked bonus credit.
   * A top-up with the idempotency key of an earlier one of this wallet returns that one, adding nothing.
   */
  topUp(auth: AuthContext, id: string, input: TopUp): Promise<{ transaction: WalletTransaction; view: WalletView }> {
    if (input.reason === 'PURCHASED_CREDIT_INVOICED') return Promise.reject(invalidFields({ transaction_reason: 'PURCHASED_CREDIT_INVOICED credits are bought on an invoice: see topUpInvoiced' }));
    return this.#ctx.db.run(async (tx) => {
      const wallet = orNotFound(await this.#wallets.locked(tx, auth, id), 'Wallet', 'id', id);
      const now = await this.#time.nowFor(tx, auth, wallet.customerId);
      const earlier = input.idempotencyKey ? await this.#transactions.byKey(tx, auth, wallet.id, input.idempotencyKey) : null;
      if (earlier) return { transaction: earlier, view: await this.#view(tx, auth, wallet, now) };
      if (wallet.walletStatus !== 'active') throw closedRefusal(wallet);
      if (input.expiryDate && input.expiryDate <= now) throw invalidFields({ expiry_date_utc: 'must be in the future' });
      if (input.bonusExpiryDate && input.bonusExpiryDate <= now) throw invalidFields({ bonus_credits_expiry_date_utc: 'must be in the future' });
      const credits = input.credits !== null ? new ExactDecimal(input.credits) : creditsForAmount(new ExactDecimal(input.amount!), new ExactDecimal(wallet.topupConversionRate));
      if (credits.lte(0)) throw invalidFields({ amount: 'buys no credits at the wallet\'s topup_conversion_rate' });
      const transaction = await this.#credit(tx, auth, wallet, { reason: input.reason, credits, expiryDate: input.expiryDate, priority: input.priority, idempotencyKey: input.idempotencyKey, description: input.description, metadata: input.metadata }, now);
      const bonus = await this.#bonusOf(tx, auth, input, credits, now);
      if (bonus) await this.#creditBonus(tx, auth, wallet, transaction, bonus, now);
      return { transaction, view: await this.#view(tx, auth, wallet, now) };
    });
  }

  /** The bonus of a direct top-up (purchase-bonus.ts): explicit, or the slabs' for a purchase; free credits earn none from slabs. */
  async #bonusOf(tx: Tx, auth: AuthContext, input: TopUp, credits: ExactDecimal, now: Date): Promise<EarnedBonus | null> {
    if (input.bonusCredits === null && input.reason !== 'PURCHASED_CREDIT_DIRECT') return null;
    return purchaseBonus(this.#bonusSlabs, tx, auth, credits, now, { credits: input.bonusCredits, expiryDate: input.bonusExpiryDate });
  }

  /** A bonus credit (PURCHASED_CREDIT_BONUS) linked to the purchase `parent`, with its priority. */
  #creditBonus(tx: Tx, auth: AuthContext, wallet: Wallet, parent: WalletTransaction, bonus: EarnedBonus, now: Date): Promise<WalletTransaction> {
    return this.#credit(tx, auth, wallet, {
      reason: 'PURCHASED_CREDIT_BONUS',
      credits: bonus.credits,
      expiryDate: bonus.expiryDate,
      priority: parent.priority ?? null,
      idempotencyKey: null,
      description: 'bonus credits',
      metadata: {},
      parentTransactionId: parent.id,
    }, now);
  }

  /** A manual debit (MANUAL_BALANCE_DEBIT): it may go beyond the available credits. A repeat of its idempotency key debits nothing. */
  debit(auth: AuthContext, id: string, input: ManualDebit): Promise<WalletView> {
    return this.#ctx.db.run(async (tx) => {
      const wallet = orNotFound(await this.#wallets.locked(tx, auth, id), 'Wallet', 'id', id);
      const now = await this.#time.nowFor(tx, auth, wallet.customerId);
      if (await this.#transactions.byKey(tx, auth, wallet.id, input.idempotencyKey)) return this.#view(tx, auth, wallet, now);
      if (wallet.walletStatus !== 'active') throw closedRefusal(wallet);
      await this.#debit(tx, auth, wallet, {
        reason: 'MANUAL_BALANCE_DEBIT',
        credits: new ExactDecimal(input.credits),
        allowOverdraft: true,
        includeExpired: false,
        idempotencyKey: input.idempotencyKey,
        description: input.description,
        metadata: input.metadata,
        at: now,
      });
      return this.#view(tx, auth, wallet, now);
    });
  }

  /**
   * Debits credits inside the caller's unit of work, for the use cases that pay from a wallet (invoice
   * application): the wallet is locked, credits unexpired at `at` are consumed in order, and a debit
   * they cannot cover is refused with 400 `invalid_operation` "insufficient balance", writing nothing.
   * A repeat of an idempotency key returns the first debit.
   */
  async consume(tx: Tx, auth: AuthContext, walletId: string, request: CreditConsumption): Promise<WalletTransaction> {
    const wallet = orNotFound(await this.#wallets.locked(tx, auth, walletId), 'Wallet', 'id', walletId);
    const earlier = request.idempotencyKey ? await this.#transactions.byKey(tx, auth, wallet.id, request.idempotencyKey) : null;
    if (earlier) return earlier;
    if (wallet.walletStatus !== 'active') throw closedRefusal(wallet);
    return this.#debit(tx, auth, wallet, {
      reason: request.reason,
      credits: new ExactDecimal(request.credits),
      allowOverdraft: false,
      includeExpired: false,
      idempotencyKey: request.idempotencyKey ?? null,
      description: request.description ?? null,
      metadata: {},
      referenceType: request.referenceType,
      referenceId: request.referenceId,
      at: await this.#time.nowFor(tx, auth, wallet.customerId),
      creditsAt: request.at,
    });
  }

  /** {@link consume} in a unit of work of its own. */
  consumeNow(auth: AuthContext, walletId: string, request: CreditConsumption): Promise<WalletTransaction> {
    return this.#ctx.db.run((tx) => this.consume(tx, auth, walletId, request));
  }

  /**
   * Deposits credits inside the caller's unit of work into the customer's active PRE_PAID wallet in
   * `currency`, creating that wallet (and announcing `wallet.created`) when there is none. A repeat of
   * the idempotency key returns the first deposit and adds nothing.
   */
  async deposit(tx: Tx, auth: AuthContext, d: CreditDeposit): Promise<{ wallet: Wallet; transaction: WalletTransaction }> {
    let wallet = await this.#wallets.activeOf(tx, auth, d.customerId, d.currency, 'PRE_PAID');
    if (!wallet) {
      const rate = d.conversionRate ?? '1';
      wallet = this.#wallets.add(tx, {
        id: newId('wallet'),
        customerId: d.customerId,
        name: `${typeNames.PRE_PAID} Wallet - ${d.currency.toUpperCase()}`,
        description: null,
        currency: d.currency,
        walletType: 'PRE_PAID',
        walletStatus: 'active',
        creditBalance: '0',
        conversionRate: rate,
        topupConversionRate: d.topupConversionRate ?? rate,
        config: { allowed_price_types: ['USAGE'] },
        alertSettings: null,
        alertState: 'ok',
        autoTopup: null,
        metadata: {},
        ...newRecord(auth, d.at),
      });
      await tx.flush();
      await record(tx, auth, walletEvent('wallet.created', wallet, d.at));
    }
    const earlier = await this.#transactions.byKey(tx, auth, wallet.id, d.idempotencyKey);
    if (earlier) return { wallet, transaction: earlier };
    const credits = 'credits' in d ? new ExactDecimal(d.credits) : creditsForAmount(new ExactDecimal(d.amount), new ExactDecimal(wallet.conversionRate));
    if (credits.lte(0)) throw new AppError('invalid_operation', 'a deposit must add credits', { credits: formatDecimal(credits) });
    const transaction = await this.#credit(tx, auth, wallet, {
      reason: d.reason,
      credits,
      expiryDate: d.expiryDate ?? null,
      priority: d.priority ?? null,
      idempotencyKey: d.idempotencyKey,
      description: d.description ?? null,
      metadata: d.metadata ?? {},
      referenceType: d.referenceType,
      referenceId: d.referenceId,
    }, d.at);
    return { wallet, transaction };
  }

  /**
   * Closes an active wallet: its remaining credit balance is debited (WALLET_TERMINATION), consuming
   * every credit left, expired ones included, and the wallet becomes `closed`.
   */
  terminate(auth: AuthContext, id: string): Promise<void> {
    return this.#ctx.db.run(async (tx) => {
      const wallet = orNotFound(await this.#wallets.locked(tx, auth, id), 'Wallet', 'id', id);
      if (wallet.walletStatus !== 'active') throw new AppError('invalid_operation', `wallet ${id} is already ${wallet.walletStatus}`, { id, wallet_status: wallet.walletStatus });
      const now = await this.#time.nowFor(tx, auth, wallet.customerId);
      const balance = new ExactDecimal(wallet.creditBalance);
      if (balance.gt(0)) {
        await this.#debit(tx, auth, wallet, { reason: 'WALLET_TERMINATION', credits: balance, allowOverdraft: true, includeExpired: true, idempotencyKey: null, description: 'wallet terminated', metadata: {}, at: now });
      }
      // Credits a manual overdraft left uncovered are not spendable on a closed wallet either.
      for (const credit of await this.#transactions.available(tx, auth, wallet.id, now, true)) {
        credit.creditsAvailable = '0';
        touch(credit, auth, now);
      }
      wallet.walletStatus = 'closed';
      touch(wallet, auth, now);
      await tx.flush();
      await record(tx, auth, walletEvent('wallet.terminated', wallet, now));
    });
  }

  /** A page of transactions (of one wallet, which must exist, or of the environment). */
  transactions(auth: AuthContext, query: WalletTransactionQuery, walletId?: string): Promise<PageOf<WalletTransaction>> {
    return this.#ctx.db.read(async (tx) => {
      if (walletId !== undefined) orNotFound(await this.#wallets.get(tx, auth, walletId), 'Wallet', 'id', walletId);
      return this.#transactions.page(tx, auth, query);
    });
  }

  /**
   * Expires what is left of one credit, in the caller's unit of work (the expiry due work): a
   * CREDIT_EXPIRED debit of its `credits_available`, taken from that credit alone, keyed
   * `expiry:<credit id>` so it happens once. Returns null when nothing is left or it was expired already.
   */
  async expireCredit(tx: Tx, auth: AuthContext, walletId: string, creditId: string, at: Date): Promise<WalletTransaction | null> {
    const wallet = orNotFound(await this.#wallets.locked(tx, auth, walletId), 'Wallet', 'id', walletId);
    const idempotencyKey = `expiry:${creditId}`;
    if (await this.#transactions.byKey(tx, auth, wallet.id, idempotencyKey)) return null;
    const credit = await this.#transactions.get(tx, auth, creditId);
    if (!credit || credit.walletId !== wallet.id || credit.type !== 'credit') return null;
    const left = new ExactDecimal(credit.creditsAvailable);
    if (left.lte(0) || wallet.walletStatus !== 'active') return null;
    credit.creditsAvailable = '0';
    touch(credit, auth, at);
    return this.#append(tx, auth, wallet, at, {
      type: 'debit',
      credits: left,
      amount: valueOfCredits(left, new ExactDecimal(wallet.conversionRate)),
      creditsAvailable: '0',
      transactionReason: 'CREDIT_EXPIRED',
      referenceType: null,
      referenceId: null,
      description: `credits of ${credit.id} expired`,
      metadata: { expired_transaction_id: credit.id },
      expiryDate: null,
      priority: null,
      conversionRate: wallet.conversionRate,
      topupConversionRate: null,
      idempotencyKey,
      parentTransactionId: null,
    });
  }

  /**
   * An automatic top-up, in the caller's unit of work, of a wallet it holds locked: `credits`
   * (PURCHASED_CREDIT_DIRECT, `metadata.auto_topup` "true"). A repeat of the idempotency key adds nothing.
   */
  async autoTopUpIn(tx: Tx, auth: AuthContext, wallet: Wallet, credits: string, idempotencyKey: string, at: Date): Promise<WalletTransaction | null> {
    if (await this.#transactions.byKey(tx, auth, wallet.id, idempotencyKey)) return null;
    if (wallet.walletStatus !== 'active') return null;
    const transaction = await this.#credit(tx, auth, wallet, { reason: 'PURCHASED_CREDIT_DIRECT', credits: new ExactDecimal(credits), expiryDate: null, priority: null, idempotencyKey, description: 'auto top-up', metadata: { auto_topup: 'true' } }, at);
    // An automatic purchase earns the slabs' bonus like any other (FlexPrice's does).
    const bonus = await purchaseBonus(this.#bonusSlabs, tx, auth, new ExactDecimal(credits), at, { credits: null, expiryDate: null });
    if (bonus) await this.#creditBonus(tx, auth, wallet, transaction, bonus, at);
    return transaction;
  }

  /** The wallet as its responses show it, in the caller's unit of work, at `at`. */
  viewIn(tx: Tx, auth: AuthContext, wallet: Wallet, at: Date): Promise<WalletView> {
    return this.#view(tx, auth, wallet, at);
  }

  /** The whole ledger of a wallet, oldest first: what invariant checks read. */
  ledger(auth: AuthContext, walletId: string): Promise<WalletTransaction[]> {
    return this.#ctx.db.read((tx) => this.#transactions.ledger(tx, auth, walletId));
  }

  #credit(tx: Tx, auth: AuthContext, wallet: Wallet, entry: CreditEntry, now: Date): Promise<WalletTransaction> {
    return this.#append(tx, auth, wallet, now, {
      type: 'credit',
      credits: entry.credits,
      amount: valueOfCredits(entry.credits, new ExactDecimal(wallet.topupConversionRate)),
      creditsAvailable: formatDecimal(entry.credits),
      transactionReason: entry.reason,
      referenceType: entry.referenceType ?? null,
      referenceId: entry.referenceId ?? null,
      description: entry.description,
      metadata: entry.metadata,
      expiryDate: entry.expiryDate,
      priority: entry.priority,
      conversionRate: null,
      topupConversionRate: wallet.topupConversionRate,
      idempotencyKey: entry.idempotencyKey,
      parentTransactionId: entry.parentTransactionId ?? null,
    });
  }

  /** Consumes credits in order (under the wallet's lock, which the caller holds) and appends the debit. */
  async #debit(tx: Tx, auth: AuthContext, wallet: Wallet, entry: DebitEntry): Promise<WalletTransaction> {
    const credits = await this.#transactions.available(tx, auth, wallet.id, entry.creditsAt ?? entry.at, entry.includeExpired);
    const byId = new Map(credits.map((c) => [c.id, c]));
    const plan = planConsumption(
      credits.map((c) => ({ id: c.id, creditsAvailable: new ExactDecimal(c.creditsAvailable), creditAmount: new ExactDecimal(c.creditAmount), priority: c.priority ?? null, expiryDate: c.expiryDate ?? null, createdAt: c.createdAt })),
      entry.credits,
    );
    if (plan.shortfall.gt(0) && !entry.allowOverdraft) {
      throw new AppError('invalid_operation', 'insufficient balance', { wallet_id: wallet.id, credits: formatDecimal(entry.credits), available: formatDecimal(entry.credits.minus(plan.shortfall)) });
    }
    for (const take of plan.takes) {
      const credit = byId.get(take.id)!;
      credit.creditsAvailable = formatDecimal(new ExactDecimal(credit.creditsAvailable).minus(take.credits));
      touch(credit, auth, entry.at);
    }
    return this.#append(tx, auth, wallet, entry.at, {
      type: 'debit',
      credits: entry.credits,
      amount: valueOfCredits(entry.credits, new ExactDecimal(wallet.conversionRate)),
      creditsAvailable: '0',
      transactionReason: entry.reason,
      referenceType: entry.referenceType ?? null,
      referenceId: entry.referenceId ?? null,
      description: entry.description,
      metadata: entry.metadata,
      expiryDate: null,
      priority: null,
      conversionRate: wallet.conversionRate,
      topupConversionRate: null,
      idempotencyKey: entry.idempotencyKey,
      parentTransactionId: null,
    });
  }

  /** Appends a completed ledger row, moves the wallet's credit balance with it, and announces it. */
  async #append(tx: Tx, auth: AuthContext, wallet: Wallet, now: Date, row: LedgerRow): Promise<WalletTransaction> {
    const before = new ExactDecimal(wallet.creditBalance);
    const after = row.type === 'credit' ? before.plus(row.credits) : before.minus(row.credits);
    const { credits, amount, ...rest } = row;
    const transaction = this.#transactions.add(tx, {
      id: newId('walletTransaction'),
      walletId: wallet.id,
      customerId: wallet.customerId,
      ...rest,
      amount: formatDecimal(amount),
      creditAmount: formatDecimal(credits),
      creditBalanceBefore: formatDecimal(before),
      creditBalanceAfter: formatDecimal(after),
      transactionStatus: 'completed',
      currency: wallet.currency,
      ...newRecord(auth, now),
    });
    wallet.creditBalance = formatDecimal(after);
    touch(wallet, auth, now);
    await tx.flush();
    await record(tx, auth, walletTransactionEvent(transaction, now));
    await this.#afterLedger?.(tx, auth, wallet, transaction, now);
    return transaction;
  }

  /** An active wallet, locked; a closed one is not changed (400). */
  async #activeLocked(tx: Tx, auth: AuthContext, id: string): Promise<Wallet> {
    const wallet = orNotFound(await this.#wallets.locked(tx, auth, id), 'Wallet', 'id', id);
    if (wallet.walletStatus !== 'active') throw closedRefusal(wallet);
    return wallet;
  }

  /** The wallet with its unconsumed, unexpired credits by origin at `at` (now for its customer by default). */
  async #view(tx: Tx, auth: AuthContext, wallet: Wallet, at?: Date): Promise<WalletView> {
    const when = at ?? (await this.#time.nowFor(tx, auth, wallet.customerId));
    let purchased = zero;
    let free = zero;
    for (const c of await this.#transactions.available(tx, auth, wallet.id, when)) {
      if (!isUnexpired({ expiryDate: c.expiryDate ?? null }, when)) continue;
      if (purchasedReasons.includes(c.transactionReason)) purchased = purchased.plus(c.creditsAvailable);
      else free = free.plus(c.creditsAvailable);
    }
    const breakdown: CreditBreakdown = { purchased: formatDecimal(purchased), free: formatDecimal(free) };
    return { wallet, breakdown };
  }
}
