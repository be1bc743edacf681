import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { CustomerTime } from '../invoices/index.ts';
import type { PlanChangeOutcome, PlanChangeRequest } from './subscription-change.convert.ts';
import { PlanSwap, type AddonPolicy, type EntityBehaviour, type PlanSwapFaces } from './subscription-plan-swap.ts';
import type { SubscriptionReads } from './subscription-reads.ts';
import { SubscriptionScheduleRepo } from './subscription-schedule.repo.ts';
import { fullEmbeds } from './subscription.convert.ts';

export type PlanChangeFaces = PlanSwapFaces & { reads: SubscriptionReads; time: CustomerTime };

/** The policy as a scheduled change keeps it (the request's wire shape). */
export const addonPolicyConfiguration = (p: AddonPolicy | null | undefined) => (p ? { addons: { default_behaviour: p.defaultBehaviour, overrides: p.overrides } } : null);

/** Reads back what `addonPolicyConfiguration` kept (null for schedules made before policies were kept). */
export const addonPolicyOf = (config: { addons?: { default_behaviour?: EntityBehaviour; overrides?: Record<string, EntityBehaviour> } } | null | undefined): AddonPolicy | null =>
  config?.addons ? { defaultBehaviour: config.addons.default_behaviour ?? 'carry', overrides: config.addons.overrides ?? {} } : null;

/** What a scheduled plan change keeps, to be done at the period end by the bill run. */
export type PlanChangeConfiguration = {
  target_plan_id: string;
  proration_behavior: 'none';
  change_at: 'end_of_period';
  idempotency_key: string | null;
  change_metadata: Record<string, string>;
  /** `entity_policies` as asked (absent: every addon carried). */
  entity_policies?: ReturnType<typeof addonPolicyConfiguration>;
};

/**
 * `POST /subscriptions/{id}/change/v2/preview|execute` (docs/api/subscriptions.md#changing-plan): one
 * unit of work holding the subscription's lock. A preview is the execution itself, rolled back — so it
 * shows exactly what executing the same request then would do, invoice lines and amounts included.
 */
export class SubscriptionPlanChanges {
  readonly #ctx: ServiceContext;
  readonly #faces: PlanChangeFaces;
  readonly #swap: PlanSwap;
  readonly #schedules = new SubscriptionScheduleRepo();

  constructor(ctx: ServiceContext, faces: PlanChangeFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
    this.#swap = new PlanSwap(faces);
  }

  execute(auth: AuthContext, id: string, req: PlanChangeRequest): Promise<PlanChangeOutcome> {
    return this.#ctx.db.run((tx) => this.#change(tx, auth, id, req, false), () => new AppError('already_exists', `subscription ${id} already has a plan change scheduled`, { id }));
  }

  preview(auth: AuthContext, id: string, req: PlanChangeRequest): Promise<PlanChangeOutcome> {
    return this.#ctx.db.preview((tx) => this.#change(tx, auth, id, req, true));
  }

  async #change(tx: Tx, auth: AuthContext, id: string, req: PlanChangeRequest, preview: boolean): Promise<PlanChangeOutcome> {
    const sub = orNotFound(await this.#faces.repo.locked(tx, auth, id), 'Subscription', 'id', id);
    const now = await this.#faces.time.nowFor(tx, auth, sub.customerId);
    const effective = req.changeAt === 'end_of_period' ? sub.currentPeriodEnd : now;
    const resolved = await this.#swap.resolve(tx, auth, sub, req, effective, now);
    const outcome = { fromPlan: resolved.fromPlan, toPlan: resolved.toPlan, changeType: resolved.changeType, effective, closing: resolved.closing, entityChanges: resolved.entityChanges, warnings: resolved.warnings, metadata: req.metadata, preview };
    if (req.changeAt === 'end_of_period') {
      const schedule = this.#schedules.addPending(tx, auth, sub, 'plan_change', effective, {
        target_plan_id: req.targetPlanId,
        proration_behavior: 'none',
        change_at: 'end_of_period',
        idempotency_key: req.idempotencyKey,
        change_metadata: req.metadata,
        ...(req.addonPolicy ? { entity_policies: addonPolicyConfiguration(req.addonPolicy) } : {}),
      } satisfies PlanChangeConfiguration, now);
      await tx.flush();
      const [view] = await this.#faces.reads.views(tx, auth, [sub], fullEmbeds);
      return { ...outcome, subscription: view!, swap: null, schedule: { id: schedule.id, at: effective } };
    }
    const swap = await this.#swap.swap(tx, auth, sub, req, resolved, effective, now);
    const [view] = await this.#faces.reads.views(tx, auth, [sub], fullEmbeds);
    return { ...outcome, subscription: view!, swap, schedule: null };
  }
}
