import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId } from '../../ids.ts';
import { archive, change, newRecord } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { NewPlan, PlanChanges, PlanCopy } from './plan.convert.ts';
import type { Plan } from './plan.entity.ts';
import { PlanRepo } from './plan.repo.ts';

/**
 * Runs inside a plan's deletion unit of work and throws to refuse it. Subscriptions will register one
 * that refuses a plan used by a subscription that is not cancelled, as FlexPrice does (400
 * `invalid_operation`, "Please remove the active subscriptions before deleting this plan.").
 */
export type PlanDeletionGuard = (tx: Tx, auth: AuthContext, plan: Plan) => Promise<void>;

/**
 * Runs inside a plan's clone unit of work: copies what the modules that own a plan's contents hold
 * of `from` to `to` (prices and entitlements register one each). `now` is the clone's instant.
 */
export type PlanCloneStep = (tx: Tx, auth: AuthContext, clone: { from: Plan; to: Plan; now: Date }) => Promise<void>;

export type PlanServiceFaces = { deletionGuards?: PlanDeletionGuard[]; cloneSteps?: PlanCloneStep[] };

const lookupKeyTaken = (lookupKey: string) =>
  new AppError('already_exists', 'A published plan with this lookup key already exists', { lookup_key: lookupKey });

export class PlanService {
  readonly #ctx: ServiceContext;
  readonly #repo = new PlanRepo();
  readonly #deletionGuards: PlanDeletionGuard[];
  readonly #cloneSteps: PlanCloneStep[];

  constructor(ctx: ServiceContext, faces: PlanServiceFaces = {}) {
    this.#ctx = ctx;
    this.#deletionGuards = faces.deletionGuards ?? [];
    this.#cloneSteps = faces.cloneSteps ?? [];
  }

  create(auth: AuthContext, input: NewPlan): Promise<Plan> {
    return this.#write(input.lookupKey, async (tx) => {
      if (input.lookupKey !== null) await this.#assertLookupKeyFree(tx, auth, input.lookupKey);
      return this.#repo.add(tx, { id: newId('plan'), ...input, ...newRecord(auth, this.#ctx.clock.now()) });
    });
  }

  update(auth: AuthContext, id: string, changes: PlanChanges): Promise<Plan> {
    return this.#write(changes.lookupKey ?? null, async (tx) => {
      const plan = await this.#find(tx, auth, id);
      if (changes.lookupKey && changes.lookupKey !== plan.lookupKey && plan.status === 'published') {
        await this.#assertLookupKeyFree(tx, auth, changes.lookupKey);
      }
      return change(plan, changes, auth, this.#ctx.clock.now());
    });
  }

  /** Archives the plan (its prices and entitlements stay). Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const plan = await this.#find(tx, auth, id);
      await archive(plan, auth, this.#ctx.clock, async () => {
        for (const guard of this.#deletionGuards) await guard(tx, auth, plan);
      });
    });
  }

  /**
   * A copy under a new name and lookup key, with copies of the source's contents made by the clone
   * steps (its published prices that have not ended, its published entitlements) — all written in
   * one unit of work.
   */
  clone(auth: AuthContext, id: string, copy: PlanCopy): Promise<Plan> {
    return this.#write(copy.lookupKey, async (tx) => {
      const source = await this.#find(tx, auth, id);
      await this.#assertLookupKeyFree(tx, auth, copy.lookupKey);
      const now = this.#ctx.clock.now();
      const plan = this.#repo.add(tx, {
        id: newId('plan'),
        name: copy.name,
        lookupKey: copy.lookupKey,
        description: copy.description !== undefined ? copy.description : source.description,
        displayOrder: copy.displayOrder !== undefined ? copy.displayOrder : source.displayOrder,
        metadata: { ...source.metadata, ...copy.metadata, source_plan_id: source.id },
        ...newRecord(auth, now),
      });
      for (const step of this.#cloneSteps) await step(tx, auth, { from: source, to: plan, now });
      return plan;
    });
  }

  /** One unit of work; a unique-index race on lookup_key surfaces as 409, not 500. */
  #write(lookupKey: string | null, work: (tx: Tx) => Promise<Plan>): Promise<Plan> {
    return this.#ctx.db.run(work, () => lookupKeyTaken(lookupKey ?? ''));
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<Plan> {
    return orNotFound(await this.#repo.get(tx, auth, id), 'Plan', 'id', id);
  }

  async #assertLookupKeyFree(tx: Tx, auth: AuthContext, lookupKey: string): Promise<void> {
    if (await this.#repo.isTaken(tx, auth, { lookupKey })) throw lookupKeyTaken(lookupKey);
  }
}
