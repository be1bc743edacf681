import { LockMode } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { dueScopeSql, type WorkScope } from '../../db/due-scope.ts';
import type { PageOf } from '../../db/find-page.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import { boundQuery, type Tx } from '../../db/transactions.ts';
import { oneOf } from '../../listing/list-where.ts';
import { CouponAssociation } from './coupon-association.entity.ts';
import { SubscriptionLineItem } from './subscription-line-item.entity.ts';
import { Subscription } from './subscription.entity.ts';
import type { SubscriptionQuery } from './subscription.convert.ts';
import { subscriptionSearchFields } from './subscription.search.ts';

/** How other modules read a subscription by id (any status): prices and entitlements scoped to one. */
export type SubscriptionReader = Pick<SubscriptionRepo, 'get'>;

/** A subscription claimed by due work: its id and environment, and the subscription itself (locked, in the claiming unit of work). */
export type Claimed = { id: string; tenantId: string; environmentId: string; subscription: Subscription };

/** The instant column each kind of due work waits on, and which subscriptions it concerns. */
const dueWork = {
  renewal: { column: 'current_period_end', where: "s.subscription_status = 'active'" },
  trialEnd: { column: 'trial_end', where: "s.subscription_status = 'trialing'" },
  // Cancellations the renewal does not make: those inside the current period, and those of subscriptions not active.
  cancellation: { column: 'cancel_at', where: "s.cancel_at is not null and s.subscription_status <> 'cancelled' and (s.subscription_status <> 'active' or s.cancel_at < s.current_period_end)" },
  // A scheduled pause starts (after the renewal at the same instant); an active one with an end resumes.
  pauseStart: { column: 'pause_due_at', where: "s.pause_status = 'scheduled' and s.subscription_status = 'active'" },
  pauseEnd: { column: 'pause_due_at', where: "s.pause_status = 'active' and s.subscription_status = 'paused'" },
} as const;
export type DueKind = keyof typeof dueWork;

const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/** Every query of subscriptions, their line items and coupon associations. */
export class SubscriptionRepo extends RecordRepo<Subscription> {
  constructor() {
    super(Subscription, subscriptionSearchFields, 'subscription');
  }

  addLineItem(tx: Tx, item: Partial<SubscriptionLineItem>): SubscriptionLineItem {
    return tx.create(SubscriptionLineItem, item as SubscriptionLineItem);
  }

  addAssociation(tx: Tx, association: Partial<CouponAssociation>): CouponAssociation {
    return tx.create(CouponAssociation, association as CouponAssociation);
  }

  /** The subscriptions of the test clock's customers that are not cancelled, locked until the unit of work ends. */
  async liveOnTestClock(tx: Tx, auth: AuthContext, testClockId: string): Promise<Subscription[]> {
    const rows = await boundQuery<{ id: string }>(
      tx,
      `select s.id from subscriptions s join customers c on c.tenant_id = s.tenant_id and c.environment_id = s.environment_id and c.id = s.customer_id
        where s.tenant_id = $1 and s.environment_id = $2 and c.test_clock_id = $3 and s.status = 'published' and s.subscription_status <> 'cancelled'`,
      [auth.tenantId, auth.environmentId, testClockId],
    );
    if (!rows.length) return [];
    return tx.find(Subscription, { ...scopeOf(auth), id: { $in: rows.map((r) => r.id) } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'asc' } });
  }

  /** The customer's subscriptions in these statuses (all when none given), newest first: one indexed query (customer). */
  ofCustomer(tx: Tx, auth: AuthContext, customerId: string, statuses: readonly string[] = [], ids?: readonly string[]): Promise<Subscription[]> {
    return tx.find(
      Subscription,
      {
        ...scopeOf(auth),
        customerId,
        status: 'published',
        ...(statuses.length ? { subscriptionStatus: { $in: [...statuses] } } : {}),
        ...(ids?.length ? { id: { $in: [...ids] } } : {}),
      } as never,
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    );
  }

  /** The subscription, locked until the unit of work ends. */
  locked(tx: Tx, auth: AuthContext, id: string): Promise<Subscription | null> {
    return tx.findOne(Subscription, { ...scopeOf(auth), id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /** The published line items of these subscriptions, in their order. */
  lineItemsOf(tx: Tx, auth: AuthContext, subscriptionIds: string[]): Promise<SubscriptionLineItem[]> {
    if (!subscriptionIds.length) return Promise.resolve([]);
    return tx.find(SubscriptionLineItem, { ...scopeOf(auth), subscriptionId: { $in: subscriptionIds }, status: 'published' }, { orderBy: [{ subscriptionId: 'asc' }, { position: 'asc' }] });
  }

  /** The published coupon associations of these subscriptions, in association order (start date, then id). */
  associationsOf(tx: Tx, auth: AuthContext, subscriptionIds: string[]): Promise<CouponAssociation[]> {
    if (!subscriptionIds.length) return Promise.resolve([]);
    return tx.find(CouponAssociation, { ...scopeOf(auth), subscriptionId: { $in: subscriptionIds }, status: 'published' }, { orderBy: [{ startDate: 'asc' }, { id: 'asc' }] });
  }

  /** Writes the unit of work's pending rows now (the invoices module reads them with its own SQL). */
  flush(tx: Tx): Promise<void> {
    return tx.flush();
  }

  /** How many subscriptions that are not cancelled have a live line item from this addon (or plan). */
  async liveLineItemsOf(tx: Tx, auth: AuthContext, entityType: 'addon' | 'plan', entityId: string): Promise<number> {
    const [row] = await boundQuery<{ n: string | number }>(
      tx,
      `select count(distinct l.subscription_id) as n from subscription_line_items l join subscriptions s on s.id = l.subscription_id
        where l.tenant_id = $1 and l.environment_id = $2 and l.entity_type = $3 and l.entity_id = $4 and l.status = 'published'
          and s.status = 'published' and s.subscription_status <> 'cancelled'`,
      [auth.tenantId, auth.environmentId, entityType, entityId],
    );
    return Number(row?.n ?? 0);
  }

  /** How many subscriptions to this plan are not cancelled (a plan with any cannot be deleted). */
  liveOnPlan(tx: Tx, auth: AuthContext, planId: string): Promise<number> {
    return tx.count(Subscription, { ...scopeOf(auth), planId, status: 'published', subscriptionStatus: { $ne: 'cancelled' } });
  }

  /** The currencies of the customer's subscriptions that are not cancelled, newest first. */
  async currenciesOf(tx: Tx, auth: AuthContext, customerId: string): Promise<string[]> {
    const subs = await tx.find(Subscription, { ...scopeOf(auth), customerId, status: 'published', subscriptionStatus: { $ne: 'cancelled' } }, { orderBy: { createdAt: 'desc' }, fields: ['currency'] });
    return [...new Set(subs.map((s) => s.currency))];
  }

  page(tx: Tx, auth: AuthContext, query: SubscriptionQuery): Promise<PageOf<Subscription>> {
    const where = [
      ...oneOf('id', query.subscriptionIds),
      ...oneOf('customerId', query.customerIds),
      ...oneOf('subscriptionStatus', query.subscriptionStatuses),
      ...oneOf('billingPeriod', query.billingPeriods),
    ];
    if (query.customerId !== undefined) where.push({ customerId: query.customerId });
    if (query.planId !== undefined) where.push({ planId: query.planId });
    if (query.billingCadences?.length && !query.billingCadences.includes('RECURRING')) where.push({ id: null });
    if (query.subscriptionTypes?.length && !query.subscriptionTypes.includes('standalone')) where.push({ id: null });
    if (query.periodFrom) where.push({ currentPeriodStart: { $gte: query.periodFrom } });
    if (query.periodTo) where.push({ currentPeriodEnd: { $lte: query.periodTo } });
    if (query.activeAt) where.push({ startDate: { $lte: query.activeAt } }, { $or: [{ endDate: null }, { endDate: { $gt: query.activeAt } }] });
    if (query.trialEndDueBy) where.push({ subscriptionStatus: 'trialing', trialEnd: { $lte: query.trialEndDueBy } });
    return this.findPage(tx, auth, query, where);
  }

  /** The earliest instant ≤ `until` at which a subscription in scope has work of this kind, or null. */
  async nextDue(tx: Tx, kind: DueKind, scope: WorkScope, until: Date): Promise<Date | null> {
    const { column, where } = dueWork[kind];
    const params: unknown[] = [until.toISOString()];
    const scoped = dueScopeSql('s', scope, params);
    const [row] = await boundQuery<{ at: Date | string | null }>(
      tx,
      `select min(s.${column}) as at from subscriptions s where s.status = 'published' and ${where} and s.${column} <= $1 and ${scoped}`,
      params,
    );
    return asDate(row?.at ?? null);
  }

  /**
   * Claims one subscription in scope with work of this kind due at `at` (not among `except`), locked
   * for the unit of work: SKIP LOCKED passes over one another instance is working on.
   */
  async claimDue(tx: Tx, kind: DueKind, scope: WorkScope, at: Date, except: string[]): Promise<Claimed | null> {
    const { column, where } = dueWork[kind];
    const params: unknown[] = [at.toISOString(), except];
    const scoped = dueScopeSql('s', scope, params);
    // The whole row: the work needs the subscription, and reading it again would be a second statement.
    const [row] = await boundQuery<{ id: string; tenant_id: string; environment_id: string }>(
      tx,
      `select s.* from subscriptions s
        where s.status = 'published' and ${where} and s.${column} <= $1 and not (s.id = any($2::text[])) and ${scoped}
        order by s.${column}, s.id limit 1 for update skip locked`,
      params,
    );
    return row ? { id: row.id, tenantId: row.tenant_id, environmentId: row.environment_id, subscription: tx.map(Subscription, row) } : null;
  }
}
