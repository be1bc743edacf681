import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import { creditsForAmount, ongoingBalance } from '../../billing/wallets/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { notFound } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerReader } from '../customers/index.ts';
import type { WalletView } from './wallet.convert.ts';
import type { RealTimeBalance } from './real-time-balance.ts';

export type { RealTimeBalance };
import type { Wallet } from './wallet.entity.ts';
import { WalletRepo } from './wallet.repo.ts';
import type { WalletService, WalletTime } from './wallet.service.ts';
import { WalletAlertStateRepo } from './wallet-alert-state.repo.ts';

/** One FINALIZED invoice not fully paid, as the real-time balance reads it (decimal strings, the invoice's currency). */
export type UnpaidInvoiceAmounts = { usageCharges: string; amountPaid: string; amountRemaining: string };

/**
 * What the real-time balance needs of billing, reached through ports the composition root wires
 * (src/wallet-billing-ports.ts): the usage charges accrued in the current periods of the customer's
 * active subscriptions in `currency` (as the invoice preview prices them), and its unpaid invoices.
 */
export type WalletBilling = {
  currentPeriodUsage(tx: Tx, auth: AuthContext, customerId: string, currency: string): Promise<string>;
  unpaidInvoices(tx: Tx, auth: AuthContext, customerId: string, currency: string): Promise<UnpaidInvoiceAmounts[]>;
};


export type WalletWithBalance = { view: WalletView; balance: RealTimeBalance };

/**
 * The real-time ("ongoing") balance of wallets (docs/api/wallets.md): `balance` less the usage of the
 * customer's current periods and less what its unpaid invoices hold, computed in one read.
 */
export class WalletRealTime {
  readonly #ctx: ServiceContext;
  readonly #wallets: WalletService;
  readonly #billing: WalletBilling;
  readonly #time: WalletTime;
  readonly #customers: CustomerReader;
  readonly #repo = new WalletRepo();
  readonly #states = new WalletAlertStateRepo();

  constructor(ctx: ServiceContext, faces: { wallets: WalletService; billing: WalletBilling; time: WalletTime; customers: CustomerReader }) {
    this.#ctx = ctx;
    this.#wallets = faces.wallets;
    this.#billing = faces.billing;
    this.#time = faces.time;
    this.#customers = faces.customers;
  }

  /** `GET /wallets/{id}/balance/real-time`: computed now. */
  balance(auth: AuthContext, id: string): Promise<WalletWithBalance> {
    return this.#ctx.db.read(async (tx) => {
      const wallet = orNotFound(await this.#repo.get(tx, auth, id), 'Wallet', 'id', id);
      const at = await this.#time.nowFor(tx, auth, wallet.customerId);
      return { view: await this.#wallets.viewIn(tx, auth, wallet, at), balance: await this.ongoingIn(tx, auth, wallet, at) };
    });
  }

  /** `GET /wallets/{id}/balance/real-time-cached`: the periodic check's last balance of an active wallet, or computed now when there is none. */
  cached(auth: AuthContext, id: string): Promise<WalletWithBalance> {
    return this.#ctx.db.read(async (tx) => {
      const wallet = orNotFound(await this.#repo.get(tx, auth, id), 'Wallet', 'id', id);
      const at = await this.#time.nowFor(tx, auth, wallet.customerId);
      const view = await this.#wallets.viewIn(tx, auth, wallet, at);
      const last = wallet.walletStatus === 'active' ? await this.#states.of(tx, auth, wallet.id, 'ongoing_balance') : null;
      if (!last) return { view, balance: await this.ongoingIn(tx, auth, wallet, at) };
      return {
        view,
        balance: {
          currentPeriodUsage: formatDecimal(new ExactDecimal(last.currentPeriodUsage ?? '0')),
          unpaidInvoicesAmount: formatDecimal(new ExactDecimal(last.unpaidInvoicesAmount ?? '0')),
          realTimeBalance: formatDecimal(new ExactDecimal(last.balance)),
          realTimeCreditBalance: formatDecimal(new ExactDecimal(last.creditBalance)),
          at: last.computedAt,
          cached: true,
        },
      };
    });
  }

  /** `GET /customers/wallets`: every wallet of the customer with its real-time balance, newest first. */
  ofCustomer(auth: AuthContext, by: { id: string } | { externalId: string }): Promise<WalletWithBalance[]> {
    return this.#ctx.db.read(async (tx) => {
      const customer = await this.#customers.getPublished(tx, auth, by);
      if (!customer) throw 'id' in by ? notFound('Customer', 'id', by.id) : notFound('Customer', 'lookup_key', by.externalId);
      const at = await this.#time.nowFor(tx, auth, customer.id);
      const answer: WalletWithBalance[] = [];
      for (const wallet of await this.#repo.ofCustomer(tx, auth, customer.id)) {
        answer.push({ view: await this.#wallets.viewIn(tx, auth, wallet, at), balance: await this.ongoingIn(tx, auth, wallet, at) });
      }
      return answer;
    });
  }

  /**
   * The balance in the caller's unit of work: an active PRE_PAID wallet's balance less the current
   * periods' usage and the unpaid invoices; a POST_PAID one's balance as it is; zeros for a wallet
   * that is not active. The credit balance is the currency balance ÷ `conversion_rate`.
   */
  async ongoingIn(tx: Tx, auth: AuthContext, wallet: Wallet, at: Date): Promise<RealTimeBalance> {
    const rate = new ExactDecimal(wallet.conversionRate);
    const balance = new ExactDecimal(wallet.creditBalance).times(rate);
    const answer = (usage: ExactDecimal, unpaid: ExactDecimal, real: ExactDecimal): RealTimeBalance => ({
      currentPeriodUsage: formatDecimal(usage),
      unpaidInvoicesAmount: formatDecimal(unpaid),
      realTimeBalance: formatDecimal(real),
      realTimeCreditBalance: formatDecimal(creditsForAmount(real, rate)),
      at,
      cached: false,
    });
    const zero = new ExactDecimal(0);
    if (wallet.walletStatus !== 'active') return answer(zero, zero, zero);
    if (wallet.walletType !== 'PRE_PAID') return answer(zero, zero, balance);
    const [usage, invoices] = await Promise.all([
      this.#billing.currentPeriodUsage(tx, auth, wallet.customerId, wallet.currency),
      this.#billing.unpaidInvoices(tx, auth, wallet.customerId, wallet.currency),
    ]);
    const parts = ongoingBalance(
      balance,
      new ExactDecimal(usage),
      invoices.map((i) => ({ usageCharges: new ExactDecimal(i.usageCharges), amountPaid: new ExactDecimal(i.amountPaid), amountRemaining: new ExactDecimal(i.amountRemaining) })),
      wallet.config?.allowed_price_types ?? [],
    );
    return answer(parts.currentPeriodUsage, parts.unpaidInvoicesAmount, parts.realTimeBalance);
  }
}
