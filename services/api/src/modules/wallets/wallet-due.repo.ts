import { dueScopeSql, type WorkScope } from '../../db/due-scope.ts';
import { boundQuery, type Tx } from '../../db/transactions.ts';
import { Wallet } from './wallet.entity.ts';

/** A wallet claimed by due work: its id and environment, and the row (locked, in the claiming unit of work). */
export type ClaimedWallet = { id: string; tenantId: string; environmentId: string; wallet: Wallet };

/**
 * A credit `t` of wallet `w` that has expired with credits left at $1 — unless FlexPrice's deferral
 * holds: the customer has an active subscription in the wallet's currency whose current period
 * contains the expiry (not invoiced yet), or an unpaid DRAFT or FINALIZED invoice in that currency
 * whose period contains it; the credits may still pay for the usage accrued before they expired.
 */
const expiredCredit = `t.tenant_id = w.tenant_id and t.environment_id = w.environment_id and t.wallet_id = w.id
  and t.type = 'credit' and t.transaction_status = 'completed' and t.credits_available > 0 and t.expiry_date is not null and t.expiry_date <= $1
  and not exists (select 1 from subscriptions s where s.tenant_id = w.tenant_id and s.environment_id = w.environment_id and s.customer_id = w.customer_id
    and s.status = 'published' and s.subscription_status = 'active' and s.currency = w.currency
    and s.current_period_start < t.expiry_date and s.current_period_end >= t.expiry_date)
  and not exists (select 1 from invoices i where i.tenant_id = w.tenant_id and i.environment_id = w.environment_id and i.customer_id = w.customer_id
    and i.status = 'published' and i.invoice_status in ('DRAFT', 'FINALIZED') and i.currency = w.currency and i.amount_remaining > 0
    and i.payment_status not in ('SUCCEEDED', 'OVERPAID')
    and i.period_start < t.expiry_date and i.period_end >= t.expiry_date)`;

/**
 * A wallet whose real-time balance the periodic check follows (alerts or the automatic top-up on)
 * and whose check is due at $1: when its last one said, or at once (from its creation) when never checked.
 */
const checkDue = `coalesce((select a.next_check_at from wallet_alert_states a where a.tenant_id = w.tenant_id and a.environment_id = w.environment_id
    and a.wallet_id = w.id and a.kind = 'ongoing_balance'), w.created_at)`;
const checked = `w.wallet_type = 'PRE_PAID' and ((w.alert_settings->>'alert_enabled') = 'true' or (w.auto_topup->>'enabled') = 'true')`;

const joined = 'w.id = t.wallet_id and w.tenant_id = t.tenant_id and w.environment_id = t.environment_id';
const live = `w.status = 'published' and w.wallet_status = 'active'`;
const asDate = (v: Date | string | null | undefined): Date | null => (v == null ? null : v instanceof Date ? v : new Date(v));

/** The queries of the wallets' due work: credit expiry and the periodic balance check. */
export class WalletDueRepo {
  /** The earliest expiry ≤ until of a credit that is due to expire (deferral aside) in scope. */
  async nextExpiry(tx: Tx, scope: WorkScope, until: Date): Promise<Date | null> {
    const params: unknown[] = [until.toISOString()];
    const scoped = dueScopeSql('w', scope, params);
    const [row] = await boundQuery<{ at: Date | string | null }>(tx, `select min(t.expiry_date) as at from wallet_transactions t join wallets w on ${joined} where ${live} and ${expiredCredit} and ${scoped}`, params);
    return asDate(row?.at);
  }

  /** Claims one wallet in scope with credits to expire at `at` (not among `except`), locked; SKIP LOCKED passes over another runner's. */
  claimExpiring(tx: Tx, scope: WorkScope, at: Date, except: string[]): Promise<ClaimedWallet | null> {
    return this.#claim(tx, scope, at, except, `exists (select 1 from wallet_transactions t where ${expiredCredit})`);
  }

  /** The ids of the wallet's credits to expire at `at`, in expiry order. */
  async expiringCredits(tx: Tx, wallet: Wallet, at: Date): Promise<string[]> {
    const rows = await boundQuery<{ id: string }>(
      tx,
      `select t.id from wallet_transactions t join wallets w on ${joined}
        where w.id = $2 and w.tenant_id = $3 and w.environment_id = $4 and ${expiredCredit} order by t.expiry_date, t.id`,
      [at.toISOString(), wallet.id, wallet.tenantId, wallet.environmentId],
    );
    return rows.map((r) => r.id);
  }

  /** The earliest instant ≤ until at which a followed wallet's balance check is due in scope. */
  async nextCheck(tx: Tx, scope: WorkScope, until: Date): Promise<Date | null> {
    const params: unknown[] = [until.toISOString()];
    const scoped = dueScopeSql('w', scope, params);
    const [row] = await boundQuery<{ at: Date | string | null }>(tx, `select min(${checkDue}) as at from wallets w where ${live} and ${checked} and ${checkDue} <= $1 and ${scoped}`, params);
    return asDate(row?.at);
  }

  /** Claims one followed wallet whose check is due at `at` (not among `except`), locked. */
  claimCheck(tx: Tx, scope: WorkScope, at: Date, except: string[]): Promise<ClaimedWallet | null> {
    return this.#claim(tx, scope, at, except, `${checked} and ${checkDue} <= $1`);
  }

  async #claim(tx: Tx, scope: WorkScope, at: Date, except: string[], condition: string): Promise<ClaimedWallet | null> {
    const params: unknown[] = [at.toISOString(), except];
    const scoped = dueScopeSql('w', scope, params);
    const [row] = await boundQuery<{ id: string; tenant_id: string; environment_id: string }>(
      tx,
      `select w.* from wallets w where ${live} and ${condition} and not (w.id = any($2::text[])) and ${scoped} order by w.id limit 1 for update of w skip locked`,
      params,
    );
    return row ? { id: row.id, tenantId: row.tenant_id, environmentId: row.environment_id, wallet: tx.map(Wallet, row) } : null;
  }
}
