import { UniqueConstraintViolationException, type EntityManager, type MikroORM } from '@mikro-orm/core';
import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Clock } from '../../clock.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import { newId } from '../../ids.ts';
import { createdBetween } from '../../listing/created-between.ts';
import { filtersToWhere, likePattern, sortToOrderBy, type FilterCondition, type SortCondition } from '../../listing/filter-conditions.ts';
import type { Page } from '../../listing/pagination.ts';
import { Meter } from '../meters/meter.entity.ts';
import type { MeterService } from '../meters/meter.service.ts';
import { alertSettingsProblems, mergeAlertSettings, type AlertSettings } from './alert-settings.ts';
import { Feature } from './feature.entity.ts';
import { unitPairProblems, type FeatureChanges, type FeatureCopy, type NewFeature } from './feature.input.ts';
import { featureSearchFields } from './feature.search.ts';
import { useCaseEm } from '../../db/use-case-em.ts';
import { record } from '../webhooks/index.ts';
import { featureEvent } from './feature.webhook.ts';

/** A feature with its meter, when it is metered and the meter was asked for. */
export type FeatureView = { feature: Feature; meter?: Meter };

/** A list or search of features, as the GET list and the search body both express it. */
export type FeatureQuery = {
  page: Page;
  status?: string;
  order?: 'asc' | 'desc';
  sort?: SortCondition[];
  filters?: FilterCondition[];
  featureIds?: string[];
  meterIds?: string[];
  lookupKey?: string;
  lookupKeys?: string[];
  nameContains?: string;
  startTime?: string;
  endTime?: string;
  expandMeters?: boolean;
};

/**
 * Runs inside a feature's deletion transaction and throws to refuse it. Entitlements will register
 * one that refuses a feature linked to published entitlements, as FlexPrice does (400
 * `invalid_operation`, "Feature is linked to some plans…").
 */
export type FeatureDeletionGuard = (em: EntityManager, auth: AuthContext, feature: Feature) => Promise<void>;

const lookupKeyTaken = (lookupKey: string) =>
  new AppError('already_exists', 'A feature with this lookup key already exists', { lookup_key: lookupKey });

/** Feature use cases; each one is a single transaction scoped to the caller's environment. */
export class FeatureService {
  readonly #orm: MikroORM;
  readonly #clock: Clock;
  readonly #meters: MeterService;
  readonly #deletionGuards: FeatureDeletionGuard[];

  constructor(orm: MikroORM, clock: Clock, meters: MeterService, deletionGuards: FeatureDeletionGuard[] = []) {
    this.#orm = orm;
    this.#clock = clock;
    this.#meters = meters;
    this.#deletionGuards = deletionGuards;
  }

  /** The feature, and for a metered one its meter — the one named, or the inline one created in the same transaction. */
  async create(auth: AuthContext, input: NewFeature): Promise<FeatureView> {
    return this.#write(input.lookupKey, async (em) => {
      if (input.lookupKey !== null) await this.#assertLookupKeyFree(em, auth, input.lookupKey);
      let meter: Meter | undefined;
      if (input.meterId !== undefined) {
        meter = await this.#meters.findIn(em, auth, input.meterId, 'meter_id');
        if (meter.status !== 'published') {
          throw invalidFields({ meter_id: `names meter ${meter.id}, which is ${meter.status}; a metered feature needs a published meter` });
        }
      } else if (input.meter) {
        meter = this.#meters.createIn(em, auth, input.meter);
      }
      const now = this.#clock.now();
      const feature = em.create(Feature, {
        id: newId('feature'),
        ...scopeOf(auth),
        name: input.name,
        type: input.type,
        lookupKey: input.lookupKey,
        description: input.description,
        metadata: input.metadata,
        meterId: meter?.id ?? null,
        unitSingular: input.unitSingular,
        unitPlural: input.unitPlural,
        reportingUnit: input.reportingUnit,
        alertSettings: input.alertSettings ? mergeAlertSettings(undefined, input.alertSettings) : null,
        groupId: null,
        status: 'published',
        createdAt: now,
        updatedAt: now,
        createdBy: auth.secretId,
        updatedBy: auth.secretId,
      });
      await record(em, auth, featureEvent('feature.created', feature, now));
      return { feature, meter };
    });
  }

  /** Any status: a deleted (archived) feature stays readable, as in FlexPrice. */
  async get(auth: AuthContext, id: string): Promise<FeatureView> {
    const em = useCaseEm(this.#orm);
    const feature = await this.#find(em, auth, id);
    return { feature, meter: await this.#meterOf(em, auth, feature) };
  }

  async list(auth: AuthContext, query: FeatureQuery): Promise<{ items: FeatureView[]; total: number }> {
    const where: Record<string, unknown>[] = [
      { ...scopeOf(auth), status: query.status ?? 'published' },
      ...filtersToWhere(query.filters, featureSearchFields, 'feature'),
      ...createdBetween(query.startTime, query.endTime),
    ];
    if (query.featureIds?.length) where.push({ id: { $in: query.featureIds } });
    if (query.meterIds?.length) where.push({ meterId: { $in: query.meterIds } });
    if (query.lookupKey) where.push({ lookupKey: query.lookupKey });
    if (query.lookupKeys?.length) where.push({ lookupKey: { $in: query.lookupKeys } });
    if (query.nameContains) where.push({ name: { $ilike: likePattern(query.nameContains) } });
    const orderBy = sortToOrderBy(query.sort, query.order, featureSearchFields, 'feature');
    const em = useCaseEm(this.#orm);
    const [features, total] = await em.findAndCount(Feature, { $and: where }, {
      orderBy,
      limit: query.page.limit,
      offset: query.page.offset,
    });
    if (!query.expandMeters) return { items: features.map((feature) => ({ feature })), total };
    const meterIds = [...new Set(features.filter((f) => f.type === 'metered' && f.meterId).map((f) => f.meterId as string))];
    const meters = meterIds.length ? await em.find(Meter, { ...scopeOf(auth), id: { $in: meterIds } }) : [];
    const byId = new Map(meters.map((m) => [m.id, m]));
    return { items: features.map((feature) => ({ feature, meter: feature.meterId ? byId.get(feature.meterId) : undefined })), total };
  }

  async update(auth: AuthContext, id: string, changes: FeatureChanges): Promise<FeatureView> {
    return useCaseEm(this.#orm).transactional(async (em) => {
      const feature = await this.#find(em, auth, id);
      const errors: Record<string, string> = {};
      const unitSingular = changes.unitSingular !== undefined ? changes.unitSingular : feature.unitSingular;
      const unitPlural = changes.unitPlural !== undefined ? changes.unitPlural : feature.unitPlural;
      Object.assign(errors, unitPairProblems(unitSingular, unitPlural));
      let alertSettings: AlertSettings | undefined;
      if (changes.alertSettings) {
        alertSettings = mergeAlertSettings((feature.alertSettings as AlertSettings | null) ?? undefined, changes.alertSettings);
        Object.assign(errors, alertSettingsProblems(alertSettings, 'alert_settings'));
      }
      const meter = await this.#meterOf(em, auth, feature);
      if (changes.filters && !meter) errors.filters = `only a metered feature has meter filters; ${feature.id} is ${feature.type}`;
      if (Object.keys(errors).length) throw invalidFields(errors);

      if (changes.name !== undefined) feature.name = changes.name;
      if (changes.description !== undefined) feature.description = changes.description;
      if (changes.metadata !== undefined) feature.metadata = changes.metadata;
      feature.unitSingular = unitSingular ?? null;
      feature.unitPlural = unitPlural ?? null;
      if (changes.reportingUnit) feature.reportingUnit = changes.reportingUnit;
      if (alertSettings) feature.alertSettings = alertSettings;
      if (changes.filters && meter) this.#meters.addFiltersIn(auth, meter, changes.filters);
      feature.updatedAt = this.#clock.now();
      feature.updatedBy = auth.secretId;
      await record(em, auth, featureEvent('feature.updated', feature, feature.updatedAt));
      return { feature, meter };
    });
  }

  /** Archives the feature and, for a metered one, disables its meter with it. Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await useCaseEm(this.#orm).transactional(async (em) => {
      const feature = await this.#find(em, auth, id);
      if (feature.status === 'archived') return;
      for (const guard of this.#deletionGuards) await guard(em, auth, feature);
      const meter = await this.#meterOf(em, auth, feature);
      if (meter) this.#meters.disableIn(auth, meter);
      feature.status = 'archived';
      feature.updatedAt = this.#clock.now();
      feature.updatedBy = auth.secretId;
      await record(em, auth, featureEvent('feature.deleted', feature, feature.updatedAt));
    });
  }

  /**
   * A copy under a new name and lookup key. As FlexPrice does, a metered feature's meter is copied
   * (same definition, new id) so the two features never share one: deleting one disables only its own.
   */
  async clone(auth: AuthContext, id: string, copy: FeatureCopy): Promise<FeatureView> {
    return this.#write(copy.lookupKey, async (em) => {
      const source = await this.#find(em, auth, id);
      await this.#assertLookupKeyFree(em, auth, copy.lookupKey);
      const sourceMeter = await this.#meterOf(em, auth, source);
      const meter = sourceMeter ? this.#meters.copyIn(em, auth, sourceMeter) : undefined;
      const now = this.#clock.now();
      const feature = em.create(Feature, {
        id: newId('feature'),
        ...scopeOf(auth),
        name: copy.name,
        type: source.type,
        lookupKey: copy.lookupKey,
        description: copy.description !== undefined ? copy.description : source.description,
        metadata: { ...source.metadata, ...copy.metadata, source_feature_id: source.id },
        meterId: meter?.id ?? null,
        unitSingular: source.unitSingular,
        unitPlural: source.unitPlural,
        reportingUnit: source.reportingUnit ? { ...source.reportingUnit } : null,
        alertSettings: source.alertSettings ? structuredClone(source.alertSettings) : null,
        groupId: source.groupId,
        status: 'published',
        createdAt: now,
        updatedAt: now,
        createdBy: auth.secretId,
        updatedBy: auth.secretId,
      });
      await record(em, auth, featureEvent('feature.created', feature, now));
      return { feature, meter };
    });
  }

  /** Runs a write in one transaction; a unique-index race on lookup_key surfaces as 409, not 500. */
  async #write(lookupKey: string | null, work: (em: EntityManager) => Promise<FeatureView>): Promise<FeatureView> {
    try {
      return await useCaseEm(this.#orm).transactional(work);
    } catch (err) {
      if (err instanceof UniqueConstraintViolationException) throw lookupKeyTaken(lookupKey ?? '');
      throw err;
    }
  }

  async #find(em: EntityManager, auth: AuthContext, id: string): Promise<Feature> {
    const feature = await em.findOne(Feature, { ...scopeOf(auth), id });
    if (!feature) throw notFound('Feature', 'id', id);
    return feature;
  }

  async #meterOf(em: EntityManager, auth: AuthContext, feature: Feature): Promise<Meter | undefined> {
    if (feature.type !== 'metered' || !feature.meterId) return undefined;
    return this.#meters.findIn(em, auth, feature.meterId, 'meter_id');
  }

  async #assertLookupKeyFree(em: EntityManager, auth: AuthContext, lookupKey: string): Promise<void> {
    if ((await em.count(Feature, { ...scopeOf(auth), lookupKey, status: 'published' })) > 0) throw lookupKeyTaken(lookupKey);
  }
}
