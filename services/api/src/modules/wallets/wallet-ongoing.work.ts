import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal } from '../../billing/money/index.ts';
import type { AlertLevels } from '../../billing/wallets/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { claimEach } from '../../jobs/claim-each.ts';
import type { DueScope, DueWork } from '../../jobs/due-work.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { WalletAlerts } from './wallet-alerts.ts';
import { WalletDueRepo } from './wallet-due.repo.ts';
import type { WalletRealTime } from './wallet-real-time.ts';

const systemActor = (tenantId: string, environmentId: string): AuthContext => ({ tenantId, environmentId, secretId: 'system' });

/** The features whose wallet-balance alerts apply to a customer: those its active subscriptions bill (by their meters), with alerts on. */
export type AlertFeatures = (tx: Tx, auth: AuthContext, customerId: string, currency: string) => Promise<{ id: string; alertSettings: AlertLevels | null }[]>;

/**
 * Due work: the periodic balance check of every active PRE_PAID wallet with alerts or the automatic
 * top-up on, every `intervalMs` (from its creation, then from each check). In the unit of work that
 * claims the wallet (its row locked, SKIP LOCKED): its real-time balance, the automatic top-up when
 * that balance in credits is at or below the threshold (keyed by the check's instant), the
 * real-time alert state with its `wallet.ongoing_balance.*` event, the features' alerts
 * (`feature.wallet_balance.alert`), and the next check — stored on the wallet's `ongoing_balance`
 * state, which also answers `/balance/real-time-cached`.
 */
export class WalletOngoingWork implements DueWork {
  readonly name = 'wallet-balance-check';
  readonly #ctx: ServiceContext;
  readonly #realTime: WalletRealTime;
  readonly #alerts: WalletAlerts;
  readonly #features: AlertFeatures | undefined;
  readonly #intervalMs: number;
  readonly #onError: (err: unknown, item: string) => void;
  readonly #repo = new WalletDueRepo();

  constructor(ctx: ServiceContext, faces: { realTime: WalletRealTime; alerts: WalletAlerts; features?: AlertFeatures; intervalMs: number; onError: (err: unknown, item: string) => void }) {
    this.#ctx = ctx;
    this.#realTime = faces.realTime;
    this.#alerts = faces.alerts;
    this.#features = faces.features;
    this.#intervalMs = faces.intervalMs;
    this.#onError = faces.onError;
  }

  nextDue(scope: DueScope, until: Date): Promise<Date | null> {
    return this.#ctx.db.read((tx) => this.#repo.nextCheck(tx, scope, until));
  }

  async runDue(scope: DueScope, at: Date): Promise<number> {
    if (!(await this.nextDue(scope, at))) return 0;
    return claimEach(this.#ctx.db, {
      claim: (tx, except) => this.#repo.claimCheck(tx, scope, at, except),
      work: async (tx, claim) => {
        const auth = systemActor(claim.tenantId, claim.environmentId);
        const wallet = claim.wallet;
        let rt = await this.#realTime.ongoingIn(tx, auth, wallet, at);
        const topped = await this.#alerts.autoTopUp(tx, auth, wallet, new ExactDecimal(rt.realTimeCreditBalance), `auto_topup:check:${at.toISOString()}`, at);
        if (topped) rt = await this.#realTime.ongoingIn(tx, auth, wallet, at);
        const values = { balance: rt.realTimeBalance, creditBalance: rt.realTimeCreditBalance };
        await this.#alerts.evaluate(tx, auth, wallet, 'ongoing_balance', {
          ...values,
          currentPeriodUsage: rt.currentPeriodUsage,
          unpaidInvoicesAmount: rt.unpaidInvoicesAmount,
          nextCheckAt: new Date(at.getTime() + this.#intervalMs),
        }, at);
        for (const feature of (await this.#features?.(tx, auth, wallet.customerId, wallet.currency)) ?? []) {
          await this.#alerts.evaluateFeature(tx, auth, wallet, feature, values, at);
        }
      },
      onError: this.#onError,
    });
  }
}

