import type { AuthContext } from '../../auth-context.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import type { ServiceContext } from '../../service-context.ts';
import { record } from '../webhooks/index.ts';
import type { ReplacementOutcome, ReplacementRequest } from './subscription-change-v1.convert.ts';
import { startingSchedule } from './subscription-periods.ts';
import { SubscriptionReplacement, type ReplacementFaces, type ResolvedReplacement } from './subscription-replacement.ts';
import { SubscriptionScheduleRepo } from './subscription-schedule.repo.ts';
import type { Subscription } from './subscription.entity.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

/** What a scheduled v1 plan change keeps (FlexPrice's plan change configuration), told from v2's by `change_kind`. */
export type ReplacementConfiguration = {
  change_kind: 'new_subscription';
  target_plan_id: string;
  proration_behavior: ReplacementRequest['prorationBehavior'];
  billing_cadence: 'RECURRING';
  billing_period: ReplacementRequest['billingPeriod'];
  billing_period_count: number;
  billing_cycle: ReplacementRequest['billingCycle'];
  change_at: 'end_of_period';
  change_metadata: Record<string, string>;
};

export const isReplacementConfiguration = (c: Record<string, unknown>): c is ReplacementConfiguration => c.change_kind === 'new_subscription';

/**
 * `POST /subscriptions/{id}/change/preview|execute` (docs/api/subscriptions.md#plan-change-v1): one unit
 * of work holding the subscription's lock, in which the cancel and create use cases run. A preview is
 * the execution itself, rolled back — the same refusals, credit and opening invoice.
 */
export class SubscriptionReplacements {
  readonly #ctx: ServiceContext;
  readonly #faces: ReplacementFaces;
  readonly #replacement: SubscriptionReplacement;
  readonly #schedules = new SubscriptionScheduleRepo();

  constructor(ctx: ServiceContext, faces: ReplacementFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
    this.#replacement = new SubscriptionReplacement(faces);
  }

  execute(auth: AuthContext, id: string, req: ReplacementRequest): Promise<ReplacementOutcome> {
    return this.#ctx.db.run((tx) => this.#change(tx, auth, id, req, false), () => new AppError('already_exists', `subscription ${id} already has a plan change scheduled`, { id }));
  }

  preview(auth: AuthContext, id: string, req: ReplacementRequest): Promise<ReplacementOutcome> {
    return this.#ctx.db.preview((tx) => this.#change(tx, auth, id, req, true));
  }

  async #change(tx: Tx, auth: AuthContext, id: string, req: ReplacementRequest, preview: boolean): Promise<ReplacementOutcome> {
    const sub = orNotFound(await this.#faces.repo.locked(tx, auth, id), 'Subscription', 'id', id);
    const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
    const scheduled = req.changeAt === 'end_of_period';
    if (scheduled && sub.subscriptionStatus !== 'active') {
      throw new AppError('invalid_operation', `subscription ${id} is ${sub.subscriptionStatus}; only an active subscription can have a plan change scheduled`, { id, subscription_status: sub.subscriptionStatus });
    }
    const resolved = await this.#replacement.resolve(tx, auth, sub, req, now);
    const base = { fromPlan: resolved.fromPlan, toPlan: resolved.toPlan, changeType: resolved.changeType, metadata: req.metadata, preview };
    if (scheduled) return this.#schedule(tx, auth, sub, req, resolved, now, base);
    const warnings = this.#warnings(sub, req, resolved);
    const done = await this.#replacement.replace(tx, auth, sub, req, resolved, now);
    const created = done.created.subscription;
    const fixed = (done.opening.lines ?? []).filter((l) => l.priceType === 'FIXED');
    const absorbed = fixed.reduce((s, l) => s.plus(l.metadata?.plan_change_credit ?? '0'), new ExactDecimal(0));
    if (done.credit && absorbed.lt(done.credit.total)) {
      warnings.push(`The credit for unused time (${done.credit.total} ${sub.currency}) exceeds the new subscription's opening fixed charges; ${formatDecimal(new ExactDecimal(done.credit.total).minus(absorbed))} is not carried over.`);
    }
    return {
      ...base,
      old: done.cancelled.subscription,
      effective: now,
      created: { subscription: created, opening: done.opening },
      newCycle: { start: created.currentPeriodStart, end: created.currentPeriodEnd, anchor: created.billingAnchor, unit: created.billingPeriod, count: created.billingPeriodCount },
      credit: done.credit,
      schedule: null,
      warnings,
    };
  }

  /** `end_of_period`: a pending `plan_change` schedule at the current period end, made by the bill run (plan-change.work.ts). */
  async #schedule(
    tx: Tx,
    auth: AuthContext,
    sub: Subscription,
    req: ReplacementRequest,
    resolved: ResolvedReplacement,
    now: Date,
    base: Pick<ReplacementOutcome, 'fromPlan' | 'toPlan' | 'changeType' | 'metadata' | 'preview'>,
  ): Promise<ReplacementOutcome> {
    const at = sub.currentPeriodEnd;
    const schedule = this.#schedules.addPending(tx, auth, sub, 'plan_change', at, {
      change_kind: 'new_subscription',
      target_plan_id: req.targetPlanId,
      proration_behavior: req.prorationBehavior,
      billing_cadence: 'RECURRING',
      billing_period: req.billingPeriod,
      billing_period_count: req.billingPeriodCount,
      billing_cycle: req.billingCycle,
      change_at: 'end_of_period',
      change_metadata: req.metadata,
    } satisfies ReplacementConfiguration, now);
    await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
    await tx.flush();
    const first = startingSchedule({
      cycle: req.billingCycle,
      unit: req.billingPeriod,
      count: req.billingPeriodCount,
      timezone: sub.timezone,
      start: at,
      end: null,
      requestedAnchor: req.billingCycle === 'anniversary' ? at : null,
      trialDays: 0,
    });
    return {
      ...base,
      old: sub,
      effective: at,
      created: null,
      newCycle: { start: first.currentPeriod.start, end: first.currentPeriod.end, anchor: first.billingAnchor, unit: req.billingPeriod, count: req.billingPeriodCount },
      credit: null,
      schedule: { id: schedule.id, at },
      warnings: this.#warnings(sub, req, resolved),
    };
  }

  #warnings(sub: Subscription, req: ReplacementRequest, resolved: ResolvedReplacement): string[] {
    const warnings: string[] = [];
    if (resolved.changeType === 'downgrade') warnings.push('This is a downgrade. You may lose access to certain features.');
    if (sub.subscriptionStatus === 'trialing') warnings.push('The subscription is trialing: the change ends the trial, the new subscription has none and is charged from the change.');
    if (req.prorationBehavior === 'create_prorations' && req.changeAt === 'end_of_period') warnings.push('create_prorations has no effect at the period end: nothing of the period is left unused.');
    return warnings;
  }
}
