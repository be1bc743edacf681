import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { AppError, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { createdBetween } from '../../listing/created-between.ts';
import { filtersToWhere, sortToOrderBy, type FilterCondition, type SortCondition } from '../../listing/filter-conditions.ts';
import type { Page } from '../../listing/pagination.ts';
import { Entitlement } from '../entitlements/entitlement.entity.ts';
import { Price } from '../prices/price.entity.ts';
import { copyRow } from '../../db/copy-row.ts';
import { notEndedAt } from '../prices/price-activity.ts';
import { fullContents, loadContents, type CatalogContents, type ContentsRequest } from './catalog-contents.ts';
import { Plan } from './plan.entity.ts';
import type { NewPlan, PlanChanges, PlanCopy } from './plan.convert.ts';
import { planSearchFields } from './plan.search.ts';
import { useCaseEm } from '../../db/use-case-em.ts';

/** A plan with whatever of its prices and entitlements was loaded. */
export type PlanView = { plan: Plan; contents?: Partial<CatalogContents> };

/** A list or search of plans, as the GET list and the search body both express it. */
export type PlanQuery = {
  page: Page;
  status?: string;
  order?: 'asc' | 'desc';
  sort?: SortCondition[];
  filters?: FilterCondition[];
  planIds?: string[];
  lookupKey?: string;
  metadata?: Record<string, string>;
  startTime?: string;
  endTime?: string;
  contents: ContentsRequest;
};

/**
 * Runs inside a plan's deletion transaction and throws to refuse it. Subscriptions will register one
 * that refuses a plan used by a subscription that is not cancelled, as FlexPrice does (400
 * `invalid_operation`, "Please remove the active subscriptions before deleting this plan.").
 */
export type PlanDeletionGuard = (em: EntityManager, auth: AuthContext, plan: Plan) => Promise<void>;

const lookupKeyTaken = (lookupKey: string) =>
  new AppError('already_exists', 'A published plan with this lookup key already exists', { lookup_key: lookupKey });

/** Plan use cases; each one is a single transaction scoped to the caller's environment. */
export class PlanService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;
  readonly #deletionGuards: PlanDeletionGuard[];

  constructor(orm: MikroORM, clock: Clock, deletionGuards: PlanDeletionGuard[] = []) {
    this.#orm = orm;
    this.#clock = clock;
    this.#deletionGuards = deletionGuards;
  }

  async create(auth: AuthContext, input: NewPlan): Promise<PlanView> {
    return this.#write(input.lookupKey, async (em) => {
      if (input.lookupKey !== null) await this.#assertLookupKeyFree(em, auth, input.lookupKey);
      const now = this.#clock.now();
      const plan = em.create(Plan, {
        id: newId('plan'),
        ...scopeOf(auth),
        name: input.name,
        lookupKey: input.lookupKey,
        description: input.description,
        displayOrder: input.displayOrder,
        metadata: input.metadata,
        status: 'published',
        createdAt: now,
        updatedAt: now,
        createdBy: auth.secretId,
        updatedBy: auth.secretId,
      });
      return { plan };
    });
  }

  /** Any status (an archived plan stays readable), with every published price — ended ones too — and entitlement. */
  async get(auth: AuthContext, id: string): Promise<PlanView> {
    const em = useCaseEm(this.#orm);
    const plan = await this.#find(em, auth, id);
    const contents = await loadContents(em, auth, 'PLAN', [plan.id], fullContents(true), this.#clock.now());
    return { plan, contents: contents.get(plan.id) };
  }

  async list(auth: AuthContext, query: PlanQuery): Promise<{ items: PlanView[]; total: number }> {
    const where: Record<string, unknown>[] = [
      { ...scopeOf(auth), status: query.status ?? 'published' },
      ...filtersToWhere(query.filters, planSearchFields, 'plan'),
      ...createdBetween(query.startTime, query.endTime),
    ];
    if (query.planIds?.length) where.push({ id: { $in: query.planIds } });
    if (query.lookupKey) where.push({ lookupKey: query.lookupKey });
    if (query.metadata && Object.keys(query.metadata).length) where.push({ metadata: { $contains: query.metadata } });
    const orderBy = sortToOrderBy(query.sort, query.order, planSearchFields, 'plan');
    const em = useCaseEm(this.#orm);
    const [plans, total] = await em.findAndCount(Plan, { $and: where }, { orderBy, limit: query.page.limit, offset: query.page.offset });
    const contents = await loadContents(em, auth, 'PLAN', plans.map((p) => p.id), query.contents, this.#clock.now());
    return { items: plans.map((plan) => ({ plan, contents: contents.get(plan.id) })), total };
  }

  async update(auth: AuthContext, id: string, changes: PlanChanges): Promise<PlanView> {
    return this.#write(changes.lookupKey ?? null, async (em) => {
      const plan = await this.#find(em, auth, id);
      if (changes.lookupKey && changes.lookupKey !== plan.lookupKey && plan.status === 'published') {
        await this.#assertLookupKeyFree(em, auth, changes.lookupKey);
      }
      if (changes.name !== undefined) plan.name = changes.name;
      if (changes.lookupKey !== undefined) plan.lookupKey = changes.lookupKey;
      if (changes.description !== undefined) plan.description = changes.description;
      if (changes.displayOrder !== undefined) plan.displayOrder = changes.displayOrder;
      if (changes.metadata !== undefined) plan.metadata = changes.metadata;
      plan.updatedAt = this.#clock.now();
      plan.updatedBy = auth.secretId;
      return { plan };
    });
  }

  /** Archives the plan (its prices and entitlements stay). Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await useCaseEm(this.#orm).transactional(async (em) => {
      const plan = await this.#find(em, auth, id);
      if (plan.status === 'archived') return;
      for (const guard of this.#deletionGuards) await guard(em, auth, plan);
      plan.status = 'archived';
      plan.updatedAt = this.#clock.now();
      plan.updatedBy = auth.secretId;
    });
  }

  /**
   * A copy under a new name and lookup key, with copies (new ids) of the source's published prices
   * that have not ended and of its published entitlements — all written in one transaction. Copied
   * prices lose their lookup key (it is unique per live price) and their lineage (`parent_price_id`).
   */
  async clone(auth: AuthContext, id: string, copy: PlanCopy): Promise<PlanView> {
    return this.#write(copy.lookupKey, async (em) => {
      const source = await this.#find(em, auth, id);
      await this.#assertLookupKeyFree(em, auth, copy.lookupKey);
      const now = this.#clock.now();
      const stamps = { createdAt: now, updatedAt: now, createdBy: auth.secretId, updatedBy: auth.secretId, status: 'published' };
      const plan = em.create(Plan, {
        id: newId('plan'),
        ...scopeOf(auth),
        name: copy.name,
        lookupKey: copy.lookupKey,
        description: copy.description !== undefined ? copy.description : source.description,
        displayOrder: copy.displayOrder !== undefined ? copy.displayOrder : source.displayOrder,
        metadata: { ...source.metadata, ...copy.metadata, source_plan_id: source.id },
        ...stamps,
      });
      const scope = { ...scopeOf(auth), entityType: 'PLAN' as const, entityId: source.id, status: 'published' };
      const prices = await em.find(Price, { $and: [scope, notEndedAt(now)] }, { orderBy: { createdAt: 'asc', id: 'asc' } });
      for (const price of prices) {
        em.create(Price, copyRow(em, Price, price, { ...stamps, id: newId('price'), entityId: plan.id, lookupKey: null, parentPriceId: null }));
      }
      const entitlements = await em.find(Entitlement, scope, { orderBy: { createdAt: 'asc', id: 'asc' } });
      for (const entitlement of entitlements) {
        em.create(Entitlement, copyRow(em, Entitlement, entitlement, { ...stamps, id: newId('entitlement'), entityId: plan.id }));
      }
      await em.flush();
      const contents = await loadContents(em, auth, 'PLAN', [plan.id], fullContents(false), now);
      return { plan, contents: contents.get(plan.id) };
    });
  }

  /** Runs a write in one transaction; a unique-index race on lookup_key surfaces as 409, not 500. */
  async #write(lookupKey: string | null, work: (em: EntityManager) => Promise<PlanView>): Promise<PlanView> {
    try {
      return await useCaseEm(this.#orm).transactional(work);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw lookupKeyTaken(lookupKey ?? '');
      throw err;
    }
  }

  async #find(em: EntityManager, auth: AuthContext, id: string): Promise<Plan> {
    const plan = await em.findOne(Plan, { ...scopeOf(auth), id });
    if (!plan) throw notFound('Plan', 'id', id);
    return plan;
  }

  async #assertLookupKeyFree(em: EntityManager, auth: AuthContext, lookupKey: string): Promise<void> {
    if ((await em.count(Plan, { ...scopeOf(auth), lookupKey, status: 'published' })) > 0) throw lookupKeyTaken(lookupKey);
  }
}
