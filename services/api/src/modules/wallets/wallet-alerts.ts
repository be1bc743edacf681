import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import { alertStateOf, alertTransition, severest, type AlertLevels, type AlertState } from '../../billing/wallets/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { record } from '../webhooks/index.ts';
import type { Wallet } from './wallet.entity.ts';
import type { WalletTransaction } from './wallet-transaction.entity.ts';
import { walletAlertEvent, featureWalletAlertEvent, type AlertType } from './wallet-alert.webhook.ts';
import { WalletAlertStateRepo } from './wallet-alert-state.repo.ts';
import type { AlertKind } from './wallet-alert-state.entity.ts';
import { WalletAutoTopUpRepo } from './wallet-auto-topup.repo.ts';

/**
 * The automatic top-up by invoice (`auto_topup.invoicing: true`): a PURCHASED_CREDIT_INVOICED
 * purchase whose invoice pays for the credits, and whether an earlier one is still unpaid (no new
 * one then). The composition root wires `autoTopUpInvoicing` (wallet-auto-topup-invoicing.ts); without
 * it, a wallet with `invoicing: true` is not topped up.
 */
export type AutoTopUpInvoicing = {
  purchaseInvoiced(tx: Tx, auth: AuthContext, wallet: Wallet, credits: string, idempotencyKey: string, at: Date): Promise<unknown>;
  hasUnpaidAutoTopUp(tx: Tx, auth: AuthContext, wallet: Wallet): Promise<boolean>;
};

/** The direct automatic top-up: WalletService.autoTopUpIn. */
export type DirectTopUp = (tx: Tx, auth: AuthContext, wallet: Wallet, credits: string, idempotencyKey: string, at: Date) => Promise<WalletTransaction | null>;

/** A balance to evaluate alerts on: currency `balance`, `creditBalance`, and what the periodic check stores with it. */
export type EvaluatedBalance = { balance: string; creditBalance: string; currentPeriodUsage?: string; unpaidInvoicesAmount?: string; nextCheckAt?: Date };

const cooldownMs = { MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 } as const;

/**
 * Wallet alerts and the automatic top-up (docs/api/wallets.md). Every ledger change evaluates the
 * credit balance's alert state in its own unit of work, and a debit may top the wallet up; the
 * periodic balance check (wallet-ongoing.work.ts) does the same with the real-time balance. Every
 * change of state writes its `dropped`/`recovered` event to the outbox in that unit of work, and
 * the wallet's `alert_state` is the most severe of its credit-balance and real-time states.
 */
export class WalletAlerts {
  readonly #topUp: DirectTopUp;
  readonly #invoicing: AutoTopUpInvoicing | undefined;
  readonly #states = new WalletAlertStateRepo();
  readonly #autoTopUps = new WalletAutoTopUpRepo();

  constructor(faces: { topUp: DirectTopUp; invoicing?: AutoTopUpInvoicing }) {
    this.#topUp = faces.topUp;
    this.#invoicing = faces.invoicing;
  }

  /** The ledger hook (WalletService's `afterLedger`): the credit-balance alert, then, after a debit, the automatic top-up. Termination does neither. */
  readonly afterLedger = async (tx: Tx, auth: AuthContext, wallet: Wallet, transaction: WalletTransaction, at: Date): Promise<void> => {
    if (transaction.transactionReason === 'WALLET_TERMINATION') return;
    const balance = formatDecimal(new ExactDecimal(wallet.creditBalance).times(new ExactDecimal(wallet.conversionRate)));
    await this.evaluate(tx, auth, wallet, 'credit_balance', { balance, creditBalance: wallet.creditBalance }, at);
    if (transaction.type === 'debit') await this.autoTopUp(tx, auth, wallet, new ExactDecimal(wallet.creditBalance), `auto_topup:${transaction.id}`, at);
  };

  /**
   * Moves the wallet's state of `type` to what `values.balance` reaches and announces a change. The
   * credit-balance state is stored only when alerts are on; the real-time one always (it is also the
   * periodic check's record). The caller holds the wallet's lock. Returns the new state.
   */
  async evaluate(tx: Tx, auth: AuthContext, wallet: Wallet, type: AlertType, values: EvaluatedBalance, at: Date): Promise<AlertState> {
    const enabled = wallet.alertSettings?.alert_enabled === true;
    if (type === 'credit_balance' && !enabled) return 'ok';
    const previous = await this.#states.of(tx, auth, wallet.id, type);
    const from = (previous?.alertState ?? 'ok') as AlertState;
    const to = alertStateOf(new ExactDecimal(values.balance), wallet.alertSettings as AlertLevels | null);
    const move = alertTransition(from, to);
    if (previous && !move && type === 'credit_balance') return to;
    await this.#states.save(tx, auth, wallet, type, { alertState: to, computedAt: at, ...values }, at);
    if (move) {
      const other = await this.#states.of(tx, auth, wallet.id, type === 'credit_balance' ? 'ongoing_balance' : 'credit_balance');
      wallet.alertState = severest(to, (other?.alertState ?? 'ok') as AlertState);
      await tx.flush();
      await record(tx, auth, walletAlertEvent(type, move, wallet, { state: to, balance: values.balance, creditBalance: values.creditBalance }, at));
    }
    await tx.flush();
    return to;
  }

  /** A feature's alert on the wallet's real-time balance: its state (kind `feature:<id>`) and `feature.wallet_balance.alert` when it changes. */
  async evaluateFeature(tx: Tx, auth: AuthContext, wallet: Wallet, feature: { id: string; alertSettings: AlertLevels | null }, values: EvaluatedBalance, at: Date): Promise<void> {
    const kind: AlertKind = `feature:${feature.id}`;
    const previous = await this.#states.of(tx, auth, wallet.id, kind);
    const to = alertStateOf(new ExactDecimal(values.balance), feature.alertSettings);
    if (!alertTransition((previous?.alertState ?? 'ok') as AlertState, to)) return;
    await this.#states.save(tx, auth, wallet, kind, { alertState: to, computedAt: at, balance: values.balance, creditBalance: values.creditBalance }, at);
    await tx.flush();
    await record(tx, auth, featureWalletAlertEvent(feature.id, wallet, { state: to, balance: values.balance, creditBalance: values.creditBalance }, at));
  }

  /**
   * Tops the wallet up when its automatic top-up is enabled and `credits` (its balance in credits)
   * is at or below the threshold — not within the cooldown of the previous automatic top-up, and by
   * invoice only while no earlier one is unpaid. `idempotencyKey` names the trigger: it tops up once.
   * The caller holds the wallet's lock. Returns whether it topped up.
   */
  async autoTopUp(tx: Tx, auth: AuthContext, wallet: Wallet, credits: ExactDecimal, idempotencyKey: string, at: Date): Promise<boolean> {
    const s = wallet.autoTopup;
    if (!s?.enabled || s.threshold === undefined || s.amount === undefined) return false;
    if (wallet.walletStatus !== 'active' || wallet.walletType !== 'PRE_PAID') return false;
    if (credits.gt(new ExactDecimal(s.threshold))) return false;
    if (s.cooldown) {
      const last = await this.#autoTopUps.last(tx, auth, wallet.id);
      if (last && at.getTime() - last.createdAt.getTime() < s.cooldown.value * cooldownMs[s.cooldown.unit]) return false;
    }
    if (s.invoicing) {
      if (!this.#invoicing || (await this.#invoicing.hasUnpaidAutoTopUp(tx, auth, wallet))) return false;
      await this.#invoicing.purchaseInvoiced(tx, auth, wallet, s.amount, idempotencyKey, at);
      return true;
    }
    return (await this.#topUp(tx, auth, wallet, s.amount, idempotencyKey, at)) !== null;
  }
}
