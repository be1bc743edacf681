import type { AuthContext } from '../../auth-context.ts';
import { applicationExpiry, grantPeriodFrom, nextGrantPeriod, type ExpiryRule, type GrantSchedule, type SubscriptionCycles } from '../../billing/credit-grants/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { newId } from '../../ids.ts';
import { newRecord, touch } from '../../records.ts';
import type { Subscription } from '../subscriptions/index.ts';
import type { CreditDeposit, WalletService } from '../wallets/index.ts';
import type { ApplicationReason, CreditGrantApplication } from './credit-grant-application.entity.ts';
import type { CreditGrantApplicationRepo } from './credit-grant-application.repo.ts';
import type { CreditGrant } from './credit-grant.entity.ts';

/** How an application reaches the wallet: `WalletService.deposit`, in the caller's unit of work. */
export type GrantDeposit = (tx: Tx, auth: AuthContext, deposit: CreditDeposit) => ReturnType<WalletService['deposit']>;

/** How many applications a request applies itself; a longer catch-up is left to the due work, one transaction each. */
const maxInline = 100;

/** Subscription statuses whose applications are applied when due; cancelled ones' are cancelled; the others wait. */
const takesCredits = new Set(['active', 'trialing']);

export function scheduleOf(grant: CreditGrant, timezone: string): GrantSchedule {
  return { cadence: grant.cadence, start: grant.startDate!, anchor: grant.creditGrantAnchor ?? grant.startDate!, unit: grant.period ?? null, count: grant.periodCount ?? null, timezone };
}

export function cyclesOf(sub: Subscription): SubscriptionCycles {
  return {
    startDate: sub.startDate,
    endDate: sub.endDate ?? null,
    trialEnd: sub.trialEnd ?? null,
    billingAnchor: sub.billingAnchor,
    unit: sub.billingPeriod,
    count: sub.billingPeriodCount,
    timezone: sub.timezone,
  };
}

function expiryRuleOf(grant: CreditGrant): ExpiryRule {
  if (grant.expirationType === 'DURATION') return { type: 'DURATION', duration: grant.expirationDuration!, unit: grant.expirationDurationUnit! };
  return { type: grant.expirationType === 'BILLING_CYCLE' ? 'BILLING_CYCLE' : 'NEVER' };
}

/** The earlier of the grant's and the subscription's end: no application starts at or after it. */
const untilOf = (grant: CreditGrant, sub: Subscription): Date | null => {
  const ends = [grant.endDate, sub.endDate].filter((d): d is Date => !!d);
  return ends.length ? new Date(Math.min(...ends.map((d) => d.getTime()))) : null;
};

/**
 * A SUBSCRIPTION grant's applications: scheduled one at a time (the first at the grant's start, each
 * next one when the one before is done), and done when due — deposited, skipped when its credits
 * would already have expired, or cancelled when the grant or the subscription ended first.
 */
export class GrantApplications {
  readonly #repo: CreditGrantApplicationRepo;
  readonly #deposit: GrantDeposit;

  constructor(repo: CreditGrantApplicationRepo, deposit: GrantDeposit) {
    this.#repo = repo;
    this.#deposit = deposit;
  }

  /** The grant's first application (none when the grant or the subscription ends at its start). */
  scheduleFirst(tx: Tx, auth: AuthContext, grant: CreditGrant, sub: Subscription, at: Date): CreditGrantApplication | null {
    const until = untilOf(grant, sub);
    if (until && grant.startDate! >= until) return null;
    const period = grantPeriodFrom(grant.startDate!, scheduleOf(grant, sub.timezone));
    return this.#add(tx, auth, grant, sub, period, grant.cadence === 'ONETIME' ? 'onetime_credit_grant' : 'first_time_recurring_credit_grant', at);
  }

  /**
   * Does a due application at `at`, in the caller's unit of work (the row locked by it). Returns false
   * when the application has to wait (its subscription is a draft, incomplete or paused).
   */
  async apply(tx: Tx, auth: AuthContext, app: CreditGrantApplication, grant: CreditGrant | null, sub: Subscription | null, at: Date): Promise<boolean> {
    if (app.applicationStatus !== 'pending') return true;
    const end = (status: 'cancelled' | 'skipped', reason: string) => {
      app.applicationStatus = status;
      app.failureReason = reason;
      touch(app, auth, at);
    };
    if (!grant || grant.status !== 'published' || (grant.endDate && app.periodStart >= grant.endDate)) {
      end('cancelled', 'credit_grant_ended');
      return true;
    }
    if (!sub || sub.status !== 'published' || sub.subscriptionStatus === 'cancelled' || (sub.endDate && app.periodStart >= sub.endDate)) {
      end('cancelled', 'subscription_cancelled');
      return true;
    }
    if (!takesCredits.has(sub.subscriptionStatus)) return false;
    app.subscriptionStatusAtApplication = sub.subscriptionStatus;
    const expiry = applicationExpiry(expiryRuleOf(grant), app.periodStart, cyclesOf(sub));
    if (expiry && expiry <= at) {
      end('skipped', `the credits would have expired at ${expiry.toISOString()}, before the application at ${at.toISOString()}`);
    } else {
      await this.#deposit(tx, auth, {
        customerId: sub.customerId,
        currency: sub.currency,
        reason: 'SUBSCRIPTION_CREDIT_GRANT',
        credits: app.credits,
        idempotencyKey: app.id,
        at,
        expiryDate: expiry,
        priority: grant.priority ?? null,
        ...(grant.conversionRate ? { conversionRate: grant.conversionRate } : {}),
        ...(grant.topupConversionRate ? { topupConversionRate: grant.topupConversionRate } : {}),
        description: grant.name,
        metadata: { grant_id: grant.id, subscription_id: sub.id, cga_id: app.id },
      });
      app.applicationStatus = 'applied';
      app.appliedAt = at;
      app.failureReason = null;
      touch(app, auth, at);
    }
    const next = nextGrantPeriod({ start: app.periodStart, end: app.periodEnd ?? null }, scheduleOf(grant, sub.timezone), untilOf(grant, sub));
    if (next) this.#add(tx, auth, grant, sub, next, 'recurring_credit_grant', at);
    return true;
  }

  /**
   * Applies the subscription's due applications now, in the caller's unit of work (a new subscription,
   * a new grant): each one done may schedule the next, due too when the grant started in the past.
   * Past `maxInline` applications the rest is left to the due work.
   */
  async applyDueOf(tx: Tx, auth: AuthContext, sub: Subscription, grants: Map<string, CreditGrant>, at: Date): Promise<void> {
    for (let applied = 0; applied < maxInline; ) {
      await this.#repo.flush(tx);
      const due = (await this.#repo.dueOf(tx, auth, sub.id, at)).filter((a) => grants.has(a.creditGrantId));
      let done = 0;
      for (const app of due) if (await this.apply(tx, auth, app, grants.get(app.creditGrantId)!, sub, at)) done++;
      if (!done) return;
      applied += done;
    }
  }

  #add(tx: Tx, auth: AuthContext, grant: CreditGrant, sub: Subscription, period: { start: Date; end: Date | null }, reason: ApplicationReason, at: Date): CreditGrantApplication {
    const id = newId('creditGrantApplication');
    return this.#repo.add(tx, {
      id,
      creditGrantId: grant.id,
      subscriptionId: sub.id,
      customerId: sub.customerId,
      scheduledFor: period.start,
      appliedAt: null,
      periodStart: period.start,
      periodEnd: period.end,
      applicationStatus: 'pending',
      applicationReason: reason,
      subscriptionStatusAtApplication: sub.subscriptionStatus,
      credits: grant.credits,
      failureReason: null,
      retryCount: 0,
      idempotencyKey: id,
      metadata: {},
      ...newRecord(auth, at),
    });
  }
}
