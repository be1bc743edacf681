import type { AuthContext } from '../../auth-context.ts';
import { dueScopeSql } from '../../db/due-scope.ts';
import { boundQuery, type Tx } from '../../db/transactions.ts';
import { AppError } from '../../errors/app-error.ts';
import { claimEach } from '../../jobs/claim-each.ts';
import type { DueScope, DueWork } from '../../jobs/due-work.ts';
import { touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import { systemActor } from '../invoices/index.ts';
import { addonPolicyOf, type PlanChangeConfiguration } from './subscription-change.service.ts';
import { isReplacementConfiguration, type ReplacementConfiguration } from './subscription-change-v1.service.ts';
import type { SubscriptionReplacement } from './subscription-replacement.ts';
import { PlanSwap, type PlanSwapFaces } from './subscription-plan-swap.ts';
import type { SubscriptionSchedule } from './subscription-schedule.entity.ts';
import { SubscriptionScheduleRepo } from './subscription-schedule.repo.ts';
import { Subscription } from './subscription.entity.ts';

type Claim = { id: string; tenantId: string; environmentId: string; subscription: Subscription };

const due = `from subscriptions s join subscription_schedules sc
  on sc.subscription_id = s.id and sc.tenant_id = s.tenant_id and sc.environment_id = s.environment_id
  where sc.schedule_type = 'plan_change' and sc.schedule_status = 'pending' and sc.status = 'published' and s.status = 'published'`;

const asDate = (v: Date | string | null): Date | null => (v === null ? null : v instanceof Date ? v : new Date(v));

/**
 * Scheduled plan changes (`change_at: end_of_period`) done at their instant, the current period end
 * (docs/api/subscriptions.md#changing-plan): registered before the renewals, so the period's end
 * invoice made at the same instant bills the new plan's ADVANCE charges. Each subscription is claimed
 * in its own transaction (SKIP LOCKED); the swap and the schedule's new status commit together. A
 * change that can no longer happen (the subscription was paused, the plan archived) marks the
 * schedule `failed` with the reason; any other error leaves it pending for the next run.
 */
export class PlanChangeWork implements DueWork {
  readonly name = 'subscription-plan-change';
  readonly #ctx: ServiceContext;
  readonly #swap: PlanSwap;
  readonly #schedules = new SubscriptionScheduleRepo();
  readonly #onError: (err: unknown, item: string) => void;
  readonly #replacement: SubscriptionReplacement | undefined;

  /** `replacement`: makes the v1 changes (a new subscription), told from v2's by their configuration's `change_kind`. */
  constructor(ctx: ServiceContext, faces: PlanSwapFaces, onError: (err: unknown, item: string) => void, replacement?: SubscriptionReplacement) {
    this.#ctx = ctx;
    this.#swap = new PlanSwap(faces);
    this.#onError = onError;
    this.#replacement = replacement;
  }

  nextDue(scope: DueScope, until: Date): Promise<Date | null> {
    return this.#ctx.db.read(async (tx) => {
      const params: unknown[] = [until.toISOString()];
      const scoped = dueScopeSql('s', scope, params);
      const [row] = await boundQuery<{ at: Date | string | null }>(tx, `select min(sc.scheduled_at) as at ${due} and sc.scheduled_at <= $1 and ${scoped}`, params);
      return asDate(row?.at ?? null);
    });
  }

  runDue(scope: DueScope, at: Date): Promise<number> {
    return claimEach(this.#ctx.db, {
      claim: (tx, except) => this.#claim(tx, scope, at, except),
      work: async (tx, claim) => {
        const auth = systemActor(claim.tenantId, claim.environmentId);
        for (const schedule of await this.#schedules.pendingOf(tx, auth, claim.id, 'plan_change')) {
          if (schedule.scheduledAt > at) continue;
          if (isReplacementConfiguration(schedule.configuration)) await this.#replace(tx, auth, claim.subscription, schedule, schedule.configuration, at);
          else await this.#execute(tx, auth, claim.subscription, schedule, at);
        }
      },
      onError: this.#onError,
    });
  }

  async #claim(tx: Tx, scope: DueScope, at: Date, except: string[]): Promise<Claim | null> {
    const params: unknown[] = [at.toISOString(), except];
    const scoped = dueScopeSql('s', scope, params);
    const [row] = await boundQuery<{ id: string; tenant_id: string; environment_id: string }>(
      tx,
      `select s.* from subscriptions s where s.id in (select s.id ${due} and sc.scheduled_at <= $1) and not (s.id = any($2::text[])) and ${scoped}
        order by s.id limit 1 for update skip locked`,
      params,
    );
    return row ? { id: row.id, tenantId: row.tenant_id, environmentId: row.environment_id, subscription: tx.map(Subscription, row) } : null;
  }

  /** The change at the schedule's instant, without proration (the period boundary leaves nothing to settle). */
  async #execute(tx: Tx, auth: AuthContext, sub: Subscription, schedule: SubscriptionSchedule, at: Date): Promise<void> {
    const config = schedule.configuration as PlanChangeConfiguration;
    const spec = { targetPlanId: config.target_plan_id, prorationBehavior: 'none' as const, idempotencyKey: config.idempotency_key, addonPolicy: addonPolicyOf(config.entity_policies) };
    const effective = schedule.scheduledAt;
    const resolved = await resolvedOrFailed(sub, schedule, auth, at, () => this.#swap.resolve(tx, auth, sub, spec, effective, at, schedule.id));
    if (!resolved) return;
    const done = await this.#swap.swap(tx, auth, sub, spec, resolved, effective, at);
    schedule.scheduleStatus = 'executed';
    schedule.executedAt = at;
    schedule.executionResult = {
      subscription_id: sub.id,
      from_plan_id: done.fromPlan?.id ?? null,
      to_plan_id: done.toPlan.id,
      change_type: done.changeType,
      effective_date: effective.toISOString(),
    };
    touch(schedule, auth, at);
  }

  /**
   * A v1 change at the schedule's instant: the old subscription ends at its period end (its final
   * invoice bills the period's ARREAR charges and usage, no next period) and the new one starts there.
   */
  async #replace(tx: Tx, auth: AuthContext, sub: Subscription, schedule: SubscriptionSchedule, config: ReplacementConfiguration, at: Date): Promise<void> {
    if (!this.#replacement) throw new Error('v1 plan changes are not wired into the bill run');
    const spec = {
      targetPlanId: config.target_plan_id,
      prorationBehavior: config.proration_behavior,
      billingPeriod: config.billing_period,
      billingPeriodCount: config.billing_period_count,
      billingCycle: config.billing_cycle,
      metadata: config.change_metadata,
    };
    const effective = schedule.scheduledAt;
    const replacement = this.#replacement;
    const resolved = await resolvedOrFailed(sub, schedule, auth, at, () => replacement.resolve(tx, auth, sub, spec, effective, schedule.id));
    if (!resolved) return;
    // Executed before the cancellation, which calls off the old subscription's pending schedules.
    schedule.scheduleStatus = 'executed';
    schedule.executedAt = at;
    touch(schedule, auth, at);
    await tx.flush();
    const done = await this.#replacement.replace(tx, auth, sub, spec, resolved, effective, true);
    schedule.executionResult = {
      old_subscription_id: sub.id,
      new_subscription_id: done.created.subscription.id,
      from_plan_id: done.fromPlan?.id ?? null,
      to_plan_id: done.toPlan.id,
      change_type: done.changeType,
      effective_date: effective.toISOString(),
    };
  }
}

/**
 * The change resolved at the schedule's instant, or null with the schedule `failed` for the reason
 * when it can no longer happen as asked: the period it was made for has been billed already, or a
 * precondition no longer holds (a 4xx refusal). Anything else is thrown: the job retries.
 */
async function resolvedOrFailed<T>(sub: Subscription, schedule: SubscriptionSchedule, auth: AuthContext, at: Date, resolve: () => Promise<T>): Promise<T | null> {
  const effective = schedule.scheduledAt;
  try {
    if (sub.currentPeriodEnd.getTime() !== effective.getTime()) {
      throw new AppError('invalid_operation', `the period end ${effective.toISOString()} the plan change was scheduled for has passed`, { scheduled_at: effective.toISOString() });
    }
    return await resolve();
  } catch (err) {
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    schedule.scheduleStatus = 'failed';
    schedule.errorMessage = err.message;
    touch(schedule, auth, at);
    return null;
  }
}
