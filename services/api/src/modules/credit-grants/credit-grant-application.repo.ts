import { LockMode } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { dueScopeSql, type WorkScope } from '../../db/due-scope.ts';
import { boundQuery, type Tx } from '../../db/transactions.ts';
import { CreditGrantApplication } from './credit-grant-application.entity.ts';

/** An application claimed by due work: its id and environment, and the row (locked, in the claiming unit of work). */
export type ClaimedApplication = { id: string; tenantId: string; environmentId: string; application: CreditGrantApplication };

/**
 * Which pending applications are due: those whose subscription can take credits now (active or
 * trialing) or never will (cancelled, ended before the period, deleted). Those of a draft, incomplete
 * or paused subscription wait, unclaimed, until it is active. `nextDue` and `claimDue` share it, so
 * what one reports due the other claims.
 */
const dueWhere = `a.application_status = 'pending' and a.scheduled_for <= $1
  and exists (select 1 from subscriptions s where s.tenant_id = a.tenant_id and s.environment_id = a.environment_id and s.id = a.subscription_id
    and (s.status <> 'published' or s.subscription_status in ('active', 'trialing', 'cancelled') or (s.end_date is not null and s.end_date <= a.period_start)))`;

const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/** Every query of credit grant applications. */
export class CreditGrantApplicationRepo {
  add(tx: Tx, row: Partial<CreditGrantApplication>): CreditGrantApplication {
    return tx.create(CreditGrantApplication, row as CreditGrantApplication);
  }

  /** Pending and failed applications (of a subscription or of a customer), soonest first. */
  upcoming(tx: Tx, auth: AuthContext, of: { subscriptionId: string } | { customerId: string }): Promise<CreditGrantApplication[]> {
    return tx.find(
      CreditGrantApplication,
      { ...scopeOf(auth), ...of, applicationStatus: { $in: ['pending', 'failed'] }, status: 'published' },
      { orderBy: [{ scheduledFor: 'asc' }, { id: 'asc' }] },
    );
  }

  /** The grant's pending and failed applications scheduled at or after `from` (all of them without it), locked. */
  pendingOf(tx: Tx, auth: AuthContext, creditGrantId: string, from?: Date): Promise<CreditGrantApplication[]> {
    return tx.find(
      CreditGrantApplication,
      { ...scopeOf(auth), creditGrantId, applicationStatus: { $in: ['pending', 'failed'] }, ...(from ? { scheduledFor: { $gte: from } } : {}) },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { scheduledFor: 'asc' } },
    );
  }

  /** The subscription's pending applications due at `at`, locked (applied in the unit of work that created the subscription or grant). */
  dueOf(tx: Tx, auth: AuthContext, subscriptionId: string, at: Date): Promise<CreditGrantApplication[]> {
    return tx.find(
      CreditGrantApplication,
      { ...scopeOf(auth), subscriptionId, applicationStatus: 'pending', scheduledFor: { $lte: at } },
      { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: [{ scheduledFor: 'asc' }, { id: 'asc' }] },
    );
  }

  /** Writes the unit of work's pending rows now. */
  flush(tx: Tx): Promise<void> {
    return tx.flush();
  }

  /** The earliest instant ≤ `until` at which an application in scope is due, or null. */
  async nextDue(tx: Tx, scope: WorkScope, until: Date): Promise<Date | null> {
    const params: unknown[] = [until.toISOString()];
    const scoped = dueScopeSql('a', scope, params);
    const [row] = await boundQuery<{ at: Date | string | null }>(tx, `select min(a.scheduled_for) as at from credit_grant_applications a where ${dueWhere} and ${scoped}`, params);
    return asDate(row?.at ?? null);
  }

  /** Claims one application in scope due at `at` (not among `except`), locked for the unit of work; SKIP LOCKED passes over another runner's. */
  async claimDue(tx: Tx, scope: WorkScope, at: Date, except: string[]): Promise<ClaimedApplication | null> {
    const params: unknown[] = [at.toISOString(), except];
    const scoped = dueScopeSql('a', scope, params);
    const [row] = await boundQuery<{ id: string; tenant_id: string; environment_id: string }>(
      tx,
      `select a.* from credit_grant_applications a where ${dueWhere} and not (a.id = any($2::text[])) and ${scoped}
        order by a.scheduled_for, a.id limit 1 for update of a skip locked`,
      params,
    );
    return row ? { id: row.id, tenantId: row.tenant_id, environmentId: row.environment_id, application: tx.map(CreditGrantApplication, row) } : null;
  }
}
