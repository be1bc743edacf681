import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { AppError, invalidFields } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { createdBetween } from '../../listing/created-between.ts';
import { filtersToWhere, sortToOrderBy, type FilterCondition, type SortCondition } from '../../listing/filter-conditions.ts';
import type { Page } from '../../listing/pagination.ts';
import { Addon } from '../addons/addon.entity.ts';
import { Feature, type FeatureType } from '../features/feature.entity.ts';
import { Meter } from '../meters/meter.entity.ts';
import { Plan } from '../plans/plan.entity.ts';
import { Entitlement, type EntitlementEntityType } from './entitlement.entity.ts';
import {
  applyChanges,
  termsProblems,
  type AggregationMode,
  type EntitlementChanges,
  type EntitlementTerms,
  type GrantAllocationBehavior,
  type GrantDurationUnit,
  type GrantMeasure,
  type NewEntitlement,
} from './entitlement.input.ts';
import { entitlementSearchFields } from './entitlement.search.ts';
import { useCaseEm } from '../../db/use-case-em.ts';
import { record, recordAll } from '../webhooks/index.ts';
import { entitlementEvent } from './entitlement.webhook.ts';

/** An entitlement with what a response may embed: its feature, that feature's meter, its plan or addon. */
export type EntitlementView = { entitlement: Entitlement; feature?: Feature; meter?: Meter; plan?: Plan; addon?: Addon };

export type EntitlementQuery = {
  page: Page;
  status?: string;
  order?: 'asc' | 'desc';
  sort?: SortCondition[];
  filters?: FilterCondition[];
  entityType?: EntitlementEntityType;
  entityIds?: string[];
  featureIds?: string[];
  featureType?: FeatureType;
  isEnabled?: boolean;
  planIds?: string[];
  hasGrantConfig?: boolean;
  startTime?: string;
  endTime?: string;
  expandFeatures?: boolean;
};

const entityNames: Record<EntitlementEntityType, string> = { PLAN: 'Plan', ADDON: 'Addon', SUBSCRIPTION: 'Subscription' };

/** The type-dependent fields of a stored entitlement, as the rules see them. */
function termsOf(e: Entitlement): EntitlementTerms & { isEnabled: boolean } {
  return {
    featureType: e.featureType,
    isEnabled: e.isEnabled,
    usageLimit: e.usageLimit ?? null,
    usageResetPeriod: e.usageResetPeriod ?? null,
    isSoftLimit: e.isSoftLimit,
    staticValue: e.staticValue ?? null,
    configValue: e.configValue ?? null,
    grantMeasure: (e.grantMeasure as GrantMeasure | null) ?? null,
    grantQuota: e.grantQuota ?? null,
    grantDurationValue: e.grantDurationValue ?? null,
    grantDurationUnit: (e.grantDurationUnit as GrantDurationUnit | null) ?? null,
    grantAllocationBehavior: (e.grantAllocationBehavior as GrantAllocationBehavior | null) ?? null,
    aggregationMode: (e.aggregationMode as AggregationMode | null) ?? 'additive',
  };
}

/** FlexPrice refuses entitlements on bucketed MAX meters: each bucket is billed on its own. */
const isBucketedMax = (m: Meter): boolean => m.aggregation.type === 'MAX' && !!m.aggregation.bucket_size;

/** Entitlement use cases; each one is a single transaction scoped to the caller's environment. */
export class EntitlementService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;

  constructor(orm: MikroORM, clock: Clock) {
    this.#orm = orm;
    this.#clock = clock;
  }

  async create(auth: AuthContext, input: NewEntitlement): Promise<EntitlementView> {
    const [view] = await this.#createAll(auth, [input], (f) => f);
    return view!;
  }

  /** All of them or none: every item is checked before any is written; errors name `items[i].<field>`. */
  async createBulk(auth: AuthContext, inputs: NewEntitlement[]): Promise<EntitlementView[]> {
    return this.#createAll(auth, inputs, (f, i) => `items[${i}].${f}`);
  }

  /**
   * The twin check runs first for a clear message; the partial unique index `entitlements_live_feature_uq`
   * settles two requests racing past it at the same instant (409 too, never a second entitlement).
   */
  async #createAll(auth: AuthContext, inputs: NewEntitlement[], at: (field: string, i: number) => string): Promise<EntitlementView[]> {
    try {
      return await useCaseEm(this.#orm).transactional(async (em) => {
        const views = await this.#createIn(em, auth, inputs, at);
        await recordAll(em, auth, views.map((v) => entitlementEvent('entitlement.created', v.entitlement, v.entitlement.createdAt)));
        return views;
      });
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) {
        throw new AppError('already_exists', 'An entitlement with this entity and feature was created at the same time', {});
      }
      throw err;
    }
  }

  /** Any status: a deleted (archived) entitlement stays readable, as in FlexPrice. */
  async get(auth: AuthContext, id: string): Promise<EntitlementView> {
    const em = useCaseEm(this.#orm);
    const entitlement = await this.#find(em, auth, id);
    const view = await this.#withFeature(em, auth, entitlement);
    const owner = { ...scopeOf(auth), id: entitlement.entityId };
    if (entitlement.entityType === 'PLAN') view.plan = (await em.findOne(Plan, owner)) ?? undefined;
    if (entitlement.entityType === 'ADDON') view.addon = (await em.findOne(Addon, owner)) ?? undefined;
    return view;
  }

  async list(auth: AuthContext, query: EntitlementQuery): Promise<{ items: EntitlementView[]; total: number }> {
    const where: Record<string, unknown>[] = [
      { ...scopeOf(auth), status: query.status ?? 'published' },
      ...filtersToWhere(query.filters, entitlementSearchFields, 'entitlement'),
      ...createdBetween(query.startTime, query.endTime),
    ];
    if (query.entityType) where.push({ entityType: query.entityType });
    if (query.entityIds?.length) where.push({ entityId: { $in: query.entityIds } });
    if (query.featureIds?.length) where.push({ featureId: { $in: query.featureIds } });
    if (query.featureType) where.push({ featureType: query.featureType });
    if (query.isEnabled !== undefined) where.push({ isEnabled: query.isEnabled });
    if (query.planIds?.length) where.push({ entityType: 'PLAN', entityId: { $in: query.planIds } });
    if (query.hasGrantConfig !== undefined) where.push({ grantQuota: query.hasGrantConfig ? { $ne: null } : null });
    const orderBy = sortToOrderBy(query.sort, query.order, entitlementSearchFields, 'entitlement');
    const em = useCaseEm(this.#orm);
    const [entitlements, total] = await em.findAndCount(Entitlement, { $and: where }, {
      orderBy,
      limit: query.page.limit,
      offset: query.page.offset,
    });
    if (!query.expandFeatures) return { items: entitlements.map((entitlement) => ({ entitlement })), total };
    return { items: await this.#withFeatures(em, auth, entitlements, false), total };
  }

  /**
   * Every published entitlement of a plan or addon, newest first, with features and their meters
   * (as FlexPrice's plan and addon entitlement lists). 404 when the plan or addon does not exist.
   */
  async listOf(auth: AuthContext, entityType: 'PLAN' | 'ADDON', entityId: string): Promise<EntitlementView[]> {
    const em = useCaseEm(this.#orm);
    const owner = entityType === 'PLAN' ? await em.findOne(Plan, { ...scopeOf(auth), id: entityId }) : await em.findOne(Addon, { ...scopeOf(auth), id: entityId });
    if (!owner) throw new AppError('not_found', `${entityNames[entityType]} with ID ${entityId} was not found`, { id: entityId });
    const entitlements = await em.find(
      Entitlement,
      { ...scopeOf(auth), entityType, entityId, status: 'published' },
      { orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] },
    );
    return this.#withFeatures(em, auth, entitlements, true);
  }

  async update(auth: AuthContext, id: string, changes: EntitlementChanges): Promise<EntitlementView> {
    return useCaseEm(this.#orm).transactional(async (em) => {
      const e = await this.#find(em, auth, id);
      if (e.status !== 'published') {
        throw new AppError('invalid_operation', `Entitlement ${e.id} is ${e.status} and cannot be updated`, { id: e.id });
      }
      const next = applyChanges(termsOf(e), changes);
      const problems = termsProblems(next);
      if (Object.keys(problems).length) throw invalidFields(problems);
      // Becoming additive again brings the entitlement under the one-per-entity-and-feature rule.
      if (next.aggregationMode !== 'parallel' && e.aggregationMode === 'parallel') {
        await this.#assertNoTwin(em, auth, { entityType: e.entityType, entityId: e.entityId, featureId: e.featureId }, (f) => f, e.id);
      }
      e.isEnabled = next.isEnabled;
      e.usageLimit = next.usageLimit;
      e.usageResetPeriod = next.usageResetPeriod;
      e.isSoftLimit = next.isSoftLimit;
      e.staticValue = next.staticValue;
      e.configValue = next.configValue;
      e.grantMeasure = next.grantMeasure;
      e.grantQuota = next.grantQuota;
      e.grantDurationValue = next.grantDurationValue;
      e.grantDurationUnit = next.grantDurationUnit;
      e.grantAllocationBehavior = next.grantAllocationBehavior;
      e.aggregationMode = next.aggregationMode;
      e.updatedAt = this.#clock.now();
      e.updatedBy = auth.secretId;
      await record(em, auth, entitlementEvent('entitlement.updated', e, e.updatedAt));
      return this.#withFeature(em, auth, e);
    });
  }

  /** Archives the entitlement. Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await useCaseEm(this.#orm).transactional(async (em) => {
      const e = await this.#find(em, auth, id);
      if (e.status === 'archived') return;
      e.status = 'archived';
      e.updatedAt = this.#clock.now();
      e.updatedBy = auth.secretId;
      await record(em, auth, entitlementEvent('entitlement.deleted', e, e.updatedAt));
    });
  }

  /**
   * Checks every input against the database, then writes them all. Order of checks per item: the
   * entity (404), the feature (404), its type (400), its meter (400), one published entitlement per
   * entity and feature (409) — within the request too.
   */
  async #createIn(em: EntityManager, auth: AuthContext, inputs: NewEntitlement[], at: (field: string, i: number) => string): Promise<EntitlementView[]> {
    const features = new Map<string, { feature: Feature; meter?: Meter }>();
    const owners: Array<{ plan?: Plan; addon?: Addon }> = [];
    const seen = new Set<string>();
    for (const [i, input] of inputs.entries()) {
      owners.push(await this.#existingEntity(em, auth, input, (f) => at(f, i)));
      const known = features.get(input.featureId) ?? (await this.#publishedFeature(em, auth, input.featureId, (f) => at(f, i)));
      features.set(input.featureId, known);
      const { feature, meter } = known;
      if (feature.type !== input.featureType) {
        throw new AppError('validation_error', `feature type mismatch: feature ${feature.id} is ${feature.type}, not ${input.featureType}`, {
          [at('feature_type', i)]: `must be ${feature.type}, the type of feature ${feature.id}`,
        });
      }
      if (meter && isBucketedMax(meter)) {
        throw invalidFields({
          [at('feature_id', i)]: `names feature ${feature.id}, whose meter ${meter.id} is a bucketed MAX meter (bucket_size ${meter.aggregation.bucket_size}); entitlements are not supported for it`,
        });
      }
      if (input.aggregationMode !== 'parallel') {
        const key = `${input.entityType}\u0000${input.entityId}\u0000${input.featureId}`;
        if (seen.has(key)) throw this.#twin(input, (f) => at(f, i), 'an earlier item of this request');
        seen.add(key);
        await this.#assertNoTwin(em, auth, input, (f) => at(f, i));
      }
    }
    const now = this.#clock.now();
    return inputs.map((input, i) => {
      const entitlement = em.create(Entitlement, {
        id: newId('entitlement'),
        ...scopeOf(auth),
        entityType: input.entityType,
        entityId: input.entityId,
        featureId: input.featureId,
        featureType: input.featureType,
        isEnabled: input.isEnabled,
        usageLimit: input.usageLimit,
        usageResetPeriod: input.usageResetPeriod,
        isSoftLimit: input.isSoftLimit,
        staticValue: input.staticValue,
        configValue: input.configValue,
        displayOrder: 0,
        parentEntitlementId: input.parentEntitlementId,
        startDate: input.startDate,
        endDate: input.endDate,
        grantMeasure: input.grantMeasure,
        grantQuota: input.grantQuota,
        grantDurationValue: input.grantDurationValue,
        grantDurationUnit: input.grantDurationUnit,
        grantAllocationBehavior: input.grantAllocationBehavior,
        aggregationMode: input.aggregationMode,
        metadata: {},
        status: 'published',
        // Distinct instants keep a bulk request's items in request order under the default newest-first sort.
        createdAt: new Date(now.getTime() + i),
        updatedAt: new Date(now.getTime() + i),
        createdBy: auth.secretId,
        updatedBy: auth.secretId,
      });
      const known = features.get(input.featureId);
      return { entitlement, feature: known?.feature, meter: known?.meter, ...owners[i] };
    });
  }

  /** The published plan or addon the entitlement is for: 404 when there is none in the environment. */
  async #existingEntity(em: EntityManager, auth: AuthContext, input: NewEntitlement, at: (f: string) => string): Promise<{ plan?: Plan; addon?: Addon }> {
    const field = at(input.entityField);
    if (input.entityType === 'SUBSCRIPTION') {
      // There is nothing a SUBSCRIPTION entitlement could point at yet; FlexPrice answers 404 for an unknown subscription.
      throw new AppError('not_found', `Subscription with ID ${input.entityId} was not found (Tally has no subscriptions yet)`, { [field]: input.entityId });
    }
    const owner =
      input.entityType === 'PLAN'
        ? await em.findOne(Plan, { ...scopeOf(auth), id: input.entityId })
        : await em.findOne(Addon, { ...scopeOf(auth), id: input.entityId });
    const name = entityNames[input.entityType];
    if (!owner) throw new AppError('not_found', `${name} with ID ${input.entityId} was not found`, { [field]: input.entityId });
    if (owner.status !== 'published') {
      throw new AppError('not_found', `${name} ${input.entityId} is ${owner.status}; entitlements need a published ${name.toLowerCase()}`, {
        [field]: input.entityId,
      });
    }
    return input.entityType === 'PLAN' ? { plan: owner as Plan } : { addon: owner as Addon };
  }

  async #publishedFeature(em: EntityManager, auth: AuthContext, featureId: string, at: (f: string) => string): Promise<{ feature: Feature; meter?: Meter }> {
    const feature = await em.findOne(Feature, { ...scopeOf(auth), id: featureId });
    if (!feature) throw new AppError('not_found', `Feature with ID ${featureId} was not found`, { [at('feature_id')]: featureId });
    if (feature.status !== 'published') {
      throw new AppError('not_found', `Feature ${featureId} is ${feature.status}; entitlements need a published feature`, { [at('feature_id')]: featureId });
    }
    const meter = feature.type === 'metered' && feature.meterId ? await em.findOne(Meter, { ...scopeOf(auth), id: feature.meterId }) : null;
    return { feature, meter: meter ?? undefined };
  }

  /** FlexPrice's partial unique index: one published, non-parallel entitlement per entity and feature. */
  async #assertNoTwin(
    em: EntityManager,
    auth: AuthContext,
    key: { entityType: EntitlementEntityType; entityId: string; featureId: string },
    at: (f: string) => string,
    exceptId?: string,
  ): Promise<void> {
    const twin = await em.findOne(Entitlement, {
      ...scopeOf(auth),
      entityType: key.entityType,
      entityId: key.entityId,
      featureId: key.featureId,
      status: 'published',
      $or: [{ aggregationMode: null }, { aggregationMode: { $ne: 'parallel' } }],
      ...(exceptId ? { id: { $ne: exceptId } } : {}),
    });
    if (twin) throw this.#twin(key, at, `entitlement ${twin.id}`);
  }

  #twin(key: { entityType: EntitlementEntityType; entityId: string; featureId: string }, at: (f: string) => string, existing: string): AppError {
    return new AppError(
      'already_exists',
      `An entitlement with this ${entityNames[key.entityType].toLowerCase()} and feature already exists (${existing})`,
      { [at('feature_id')]: key.featureId, entity_type: key.entityType, entity_id: key.entityId },
    );
  }

  async #find(em: EntityManager, auth: AuthContext, id: string): Promise<Entitlement> {
    const e = await em.findOne(Entitlement, { ...scopeOf(auth), id });
    if (!e) throw new AppError('not_found', `Entitlement with ID ${id} was not found`, { id });
    return e;
  }

  async #withFeature(em: EntityManager, auth: AuthContext, entitlement: Entitlement): Promise<EntitlementView> {
    const [view] = await this.#withFeatures(em, auth, [entitlement], true);
    return view;
  }

  async #withFeatures(em: EntityManager, auth: AuthContext, entitlements: Entitlement[], withMeters: boolean): Promise<EntitlementView[]> {
    const featureIds = [...new Set(entitlements.map((e) => e.featureId))];
    const features = featureIds.length ? await em.find(Feature, { ...scopeOf(auth), id: { $in: featureIds } }) : [];
    const meterIds = withMeters ? [...new Set(features.filter((f) => f.type === 'metered' && f.meterId).map((f) => f.meterId as string))] : [];
    const meters = meterIds.length ? await em.find(Meter, { ...scopeOf(auth), id: { $in: meterIds } }) : [];
    const featureById = new Map(features.map((f) => [f.id, f]));
    const meterById = new Map(meters.map((m) => [m.id, m]));
    return entitlements.map((entitlement) => {
      const feature = featureById.get(entitlement.featureId);
      const meter = feature?.meterId ? meterById.get(feature.meterId) : undefined;
      return { entitlement, feature, meter };
    });
  }
}
