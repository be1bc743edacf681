import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields } from '../../errors/app-error.ts';
import { throwIfProblems } from '../../errors/problems.ts';
import { newId } from '../../ids.ts';
import { archive, newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { Addon, AddonReader } from '../addons/index.ts';
import type { Feature, FeatureDeletionGuard, FeatureReader } from '../features/index.ts';
import type { Meter, MeterReader } from '../meters/index.ts';
import type { Plan, PlanCloneStep, PlanReader } from '../plans/index.ts';
import {
  applyChanges,
  termsProblems,
  type AggregationMode,
  type EntitlementChanges,
  type EntitlementTerms,
  type GrantAllocationBehavior,
  type GrantDurationUnit,
  type GrantMeasure,
} from './entitlement-terms.ts';
import type { EntitlementQuery, EntitlementView, NewEntitlement } from './entitlement.convert.ts';
import type { Entitlement, EntitlementEntityType } from './entitlement.entity.ts';
import { EntitlementRepo, type EntitlementKey } from './entitlement.repo.ts';
import { record, recordAll } from '../webhooks/index.ts';
import { entitlementEvent } from './entitlement.webhook.ts';

/** The subscription a `SUBSCRIPTION` entitlement belongs to (handed in by the composition root: subscriptions use entitlements). */
export type EntitlementOwnerSubscription = { id: string; status: string; subscriptionStatus: string };
export type EntitlementSubscriptionReader = { get(tx: Tx, auth: AuthContext, id: string): Promise<EntitlementOwnerSubscription | null> };

/** What entitlements read of other modules: the features they grant (and their meters), the plans, addons and subscriptions that hold them. */
export type EntitlementServiceFaces = { features: FeatureReader; meters: MeterReader; plans: PlanReader; addons: AddonReader; subscriptions?: EntitlementSubscriptionReader };

/** A subscription's change to one of its plan's entitlements (FlexPrice's `override_entitlements[i]`). */
export type EntitlementOverride = { entitlementId: string; usageLimit?: string | null; isEnabled?: boolean; staticValue?: string; configValue?: Record<string, unknown> };

/** What to embed in each entitlement: its feature, and that feature's meter. */
export type EntitlementEmbeds = { features: boolean; meters: boolean };

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

const twinCreatedMeanwhile = () => new AppError('already_exists', 'An entitlement with this entity and feature was created at the same time', {});

export class EntitlementService {
  readonly #ctx: ServiceContext;
  readonly #repo = new EntitlementRepo();
  readonly #faces: EntitlementServiceFaces;

  constructor(ctx: ServiceContext, faces: EntitlementServiceFaces) {
    this.#ctx = ctx;
    this.#faces = faces;
  }

  async create(auth: AuthContext, input: NewEntitlement): Promise<EntitlementView> {
    const [view] = await this.#createAll(auth, [input], (f) => f);
    return view!;
  }

  /** All of them or none: every item is checked before any is written; errors name `items[i].<field>`. */
  createBulk(auth: AuthContext, inputs: NewEntitlement[]): Promise<EntitlementView[]> {
    return this.#createAll(auth, inputs, (f, i) => `items[${i}].${f}`);
  }

  /**
   * The twin check runs first for a clear message; the partial unique index `entitlements_live_feature_uq`
   * settles two requests racing past it at the same instant (409 too, never a second entitlement).
   */
  #createAll(auth: AuthContext, inputs: NewEntitlement[], at: (field: string, i: number) => string): Promise<EntitlementView[]> {
    return this.#ctx.db.run(async (tx) => {
      const views = await this.#createIn(tx, auth, inputs, at);
      await recordAll(tx, auth, views.map((v) => entitlementEvent('entitlement.created', v.entitlement, v.entitlement.createdAt)));
      return views;
    }, twinCreatedMeanwhile);
  }

  /** Any status: a deleted (archived) entitlement stays readable, as in FlexPrice. */
  get(auth: AuthContext, id: string): Promise<EntitlementView> {
    return this.#ctx.db.read(async (tx) => {
      const entitlement = await this.#find(tx, auth, id);
      const [view] = await this.viewsOf(tx, auth, [entitlement], { features: true, meters: true });
      if (entitlement.entityType === 'PLAN') view.plan = (await this.#faces.plans.get(tx, auth, entitlement.entityId)) ?? undefined;
      if (entitlement.entityType === 'ADDON') view.addon = (await this.#faces.addons.get(tx, auth, entitlement.entityId)) ?? undefined;
      return view;
    });
  }

  list(auth: AuthContext, query: EntitlementQuery): Promise<PageOf<EntitlementView>> {
    return this.#ctx.db.read(async (tx) => {
      const { items, total } = await this.#repo.page(tx, auth, query);
      return { items: await this.viewsOf(tx, auth, items, { features: query.expandFeatures, meters: false }), total };
    });
  }

  /**
   * Every published entitlement of a plan or addon, newest first, with features and their meters
   * (as FlexPrice's plan and addon entitlement lists). 404 when the plan or addon does not exist.
   */
  listOf(auth: AuthContext, entityType: 'PLAN' | 'ADDON', entityId: string): Promise<EntitlementView[]> {
    return this.#ctx.db.read(async (tx) => {
      if (!(await this.#owner(tx, auth, entityType, entityId))) {
        throw new AppError('not_found', `${entityNames[entityType]} with ID ${entityId} was not found`, { id: entityId });
      }
      return this.ownedBy(tx, auth, entityType, [entityId], { features: true, meters: true });
    });
  }

  update(auth: AuthContext, id: string, changes: EntitlementChanges): Promise<EntitlementView> {
    return this.#ctx.db.run(async (tx) => {
      const e = await this.#find(tx, auth, id);
      if (e.status !== 'published') {
        throw new AppError('invalid_operation', `Entitlement ${e.id} is ${e.status} and cannot be updated`, { id: e.id });
      }
      const next = applyChanges(termsOf(e), changes);
      throwIfProblems(termsProblems(next));
      // Becoming additive again brings the entitlement under the one-per-entity-and-feature rule.
      if (next.aggregationMode !== 'parallel' && e.aggregationMode === 'parallel') await this.#assertNoTwin(tx, auth, e, (f) => f, e.id);
      // The feature type is the feature's: only the terms change.
      const { featureType: _, ...terms } = next;
      Object.assign(e, terms);
      touch(e, auth, this.#ctx.clock.now());
      await record(tx, auth, entitlementEvent('entitlement.updated', e, e.updatedAt));
      const [view] = await this.viewsOf(tx, auth, [e], { features: true, meters: true });
      return view;
    });
  }

  /** Archives the entitlement. Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const e = await this.#find(tx, auth, id);
      if (await archive(e, auth, this.#ctx.clock)) await record(tx, auth, entitlementEvent('entitlement.deleted', e, e.updatedAt));
    });
  }

  /** The published entitlements of these plans, addons or subscriptions, newest first, with what `embed` asks for. */
  async ownedBy(tx: Tx, auth: AuthContext, entityType: EntitlementEntityType, ownerIds: string[], embed: EntitlementEmbeds): Promise<EntitlementView[]> {
    return this.viewsOf(tx, auth, await this.#repo.forOwners(tx, auth, entityType, ownerIds), embed);
  }

  /** The entitlements with their features (and, when asked, those features' meters) read in the caller's unit of work. */
  async viewsOf(tx: Tx, auth: AuthContext, entitlements: Entitlement[], embed: EntitlementEmbeds): Promise<EntitlementView[]> {
    if (!embed.features) return entitlements.map((entitlement) => ({ entitlement }));
    const features = await this.#faces.features.getMany(tx, auth, entitlements.map((e) => e.featureId));
    const metered = [...features.values()].filter((f) => f.type === 'metered').map((f) => f.meterId);
    const meters = await this.#faces.meters.getMany(tx, auth, embed.meters ? metered : []);
    return entitlements.map((entitlement) => {
      const feature = features.get(entitlement.featureId);
      return { entitlement, feature, meter: feature?.meterId ? meters.get(feature.meterId) : undefined };
    });
  }

  /**
   * A feature's deletion guard: refuses to delete a feature that a published entitlement grants (400
   * `invalid_operation`, as FlexPrice), naming the plans and addons that hold it.
   */
  readonly refuseGrantedFeature: FeatureDeletionGuard = async (tx, auth, feature) => {
    const linked = await this.#repo.grantingFeature(tx, auth, feature.id);
    if (!linked.length) return;
    const idsOf = (type: EntitlementEntityType) => [...new Set(linked.filter((e) => e.entityType === type).map((e) => e.entityId))];
    const plans = idsOf('PLAN');
    const addons = idsOf('ADDON');
    const named = [plans.length ? `plans ${plans.join(', ')}` : '', addons.length ? `addons ${addons.join(', ')}` : ''].filter(Boolean);
    throw new AppError(
      'invalid_operation',
      `Feature is linked to some plans, please remove the feature from the plans first (feature ${feature.id} is granted by ${named.join('; ')})`,
      { feature_id: feature.id, plan_ids: plans, addon_ids: addons },
    );
  };

  /**
   * A subscription's overrides of its plan's entitlements, in the caller's unit of work: for each, a
   * `SUBSCRIPTION` entitlement copying the plan's with the given terms changed (checked as an update's
   * are) and `parent_entitlement_id` naming it. A parent that is not a published entitlement of the
   * plan is refused with 400 naming `override_entitlements[i].entitlement_id`.
   */
  async overrideForSubscription(tx: Tx, auth: AuthContext, subscriptionId: string, planId: string, overrides: readonly EntitlementOverride[], now: Date): Promise<Entitlement[]> {
    const made: Entitlement[] = [];
    const seen = new Set<string>();
    for (const [i, o] of overrides.entries()) {
      const field = `override_entitlements[${i}].entitlement_id`;
      const parent = await this.#repo.get(tx, auth, o.entitlementId);
      if (!parent || parent.status !== 'published' || parent.entityType !== 'PLAN' || parent.entityId !== planId) {
        throw invalidFields({ [field]: `must name a published entitlement of plan ${planId}` });
      }
      if (seen.has(parent.id)) throw invalidFields({ [field]: `overrides entitlement ${parent.id} a second time` });
      seen.add(parent.id);
      const next = applyChanges(termsOf(parent), {
        ...(o.usageLimit !== undefined ? { usageLimit: o.usageLimit } : {}),
        ...(o.isEnabled !== undefined ? { isEnabled: o.isEnabled } : {}),
        ...(o.staticValue !== undefined ? { staticValue: o.staticValue } : {}),
        ...(o.configValue !== undefined ? { configValue: o.configValue } : {}),
      });
      const problems = termsProblems(next);
      throwIfProblems(Object.fromEntries(Object.entries(problems).map(([k, v]) => [`override_entitlements[${i}].${k}`, v])));
      const { featureType: _, ...terms } = next;
      made.push(this.#repo.addCopy(tx, parent, { ...newRecord(auth, now), id: newId('entitlement'), ...terms, entityType: 'SUBSCRIPTION', entityId: subscriptionId, parentEntitlementId: parent.id }));
    }
    await recordAll(tx, auth, made.map((e) => entitlementEvent('entitlement.created', e, now)));
    return made;
  }

  /** A plan's clone step: copies (new ids) of the source plan's published entitlements, in the order they were made. */
  readonly copyToClonedPlan: PlanCloneStep = async (tx, auth, { from, to, now }) => {
    const copies = [];
    for (const entitlement of await this.#repo.forOwners(tx, auth, 'PLAN', [from.id], 'asc')) {
      copies.push(this.#repo.addCopy(tx, entitlement, { ...newRecord(auth, now), id: newId('entitlement'), entityId: to.id }));
    }
    await recordAll(tx, auth, copies.map((copy) => entitlementEvent('entitlement.created', copy, now)));
  };

  /**
   * Checks every input against the database, then writes them all. Order of checks per item: the
   * entity (404), the feature (404), its type (400), its meter (400), one published entitlement per
   * entity and feature (409) — within the request too.
   */
  async #createIn(tx: Tx, auth: AuthContext, inputs: NewEntitlement[], at: (field: string, i: number) => string): Promise<EntitlementView[]> {
    const features = new Map<string, { feature: Feature; meter?: Meter }>();
    const owners: Array<{ plan?: Plan; addon?: Addon }> = [];
    const seen = new Set<string>();
    for (const [i, input] of inputs.entries()) {
      owners.push(await this.#existingEntity(tx, auth, input, (f) => at(f, i)));
      const known = features.get(input.featureId) ?? (await this.#publishedFeature(tx, auth, input.featureId, (f) => at(f, i)));
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
        await this.#assertNoTwin(tx, auth, input, (f) => at(f, i));
      }
    }
    const now = this.#ctx.clock.now();
    return inputs.map((input, i) => {
      const { entityField: _, ...fields } = input;
      const entitlement = this.#repo.add(tx, {
        id: newId('entitlement'),
        ...fields,
        displayOrder: 0,
        metadata: {},
        // Distinct instants keep a bulk request's items in request order under the default newest-first sort.
        ...newRecord(auth, new Date(now.getTime() + i)),
      });
      return { entitlement, ...features.get(input.featureId), ...owners[i] };
    });
  }

  /** The published plan or addon the entitlement is for: 404 when there is none in the environment. */
  async #existingEntity(tx: Tx, auth: AuthContext, input: NewEntitlement, at: (f: string) => string): Promise<{ plan?: Plan; addon?: Addon }> {
    const field = at(input.entityField);
    if (input.entityType === 'SUBSCRIPTION') {
      const sub = await this.#faces.subscriptions?.get(tx, auth, input.entityId);
      if (!sub) throw new AppError('not_found', `Subscription with ID ${input.entityId} was not found`, { [field]: input.entityId });
      if (sub.status !== 'published' || sub.subscriptionStatus === 'cancelled') {
        throw invalidFields({ [field]: `names subscription ${sub.id}, which is cancelled` });
      }
      return {};
    }
    const owner = await this.#owner(tx, auth, input.entityType, input.entityId);
    const name = entityNames[input.entityType];
    if (!owner) throw new AppError('not_found', `${name} with ID ${input.entityId} was not found`, { [field]: input.entityId });
    if (owner.status !== 'published') {
      throw new AppError('not_found', `${name} ${input.entityId} is ${owner.status}; entitlements need a published ${name.toLowerCase()}`, {
        [field]: input.entityId,
      });
    }
    return input.entityType === 'PLAN' ? { plan: owner as Plan } : { addon: owner as Addon };
  }

  #owner(tx: Tx, auth: AuthContext, entityType: 'PLAN' | 'ADDON', id: string): Promise<Plan | Addon | null> {
    return entityType === 'PLAN' ? this.#faces.plans.get(tx, auth, id) : this.#faces.addons.get(tx, auth, id);
  }

  async #publishedFeature(tx: Tx, auth: AuthContext, featureId: string, at: (f: string) => string): Promise<{ feature: Feature; meter?: Meter }> {
    const feature = await this.#faces.features.get(tx, auth, featureId);
    if (!feature) throw new AppError('not_found', `Feature with ID ${featureId} was not found`, { [at('feature_id')]: featureId });
    if (feature.status !== 'published') {
      throw new AppError('not_found', `Feature ${featureId} is ${feature.status}; entitlements need a published feature`, { [at('feature_id')]: featureId });
    }
    const meter = feature.type === 'metered' && feature.meterId ? await this.#faces.meters.get(tx, auth, feature.meterId) : null;
    return { feature, meter: meter ?? undefined };
  }

  /** FlexPrice's partial unique index: one published, non-parallel entitlement per entity and feature. */
  async #assertNoTwin(tx: Tx, auth: AuthContext, key: EntitlementKey, at: (f: string) => string, exceptId?: string): Promise<void> {
    const twin = await this.#repo.findTwin(tx, auth, key, exceptId);
    if (twin) throw this.#twin(key, at, `entitlement ${twin.id}`);
  }

  #twin(key: EntitlementKey, at: (f: string) => string, existing: string): AppError {
    return new AppError(
      'already_exists',
      `An entitlement with this ${entityNames[key.entityType].toLowerCase()} and feature already exists (${existing})`,
      { [at('feature_id')]: key.featureId, entity_type: key.entityType, entity_id: key.entityId },
    );
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<Entitlement> {
    const e = await this.#repo.get(tx, auth, id);
    if (!e) throw new AppError('not_found', `Entitlement with ID ${id} was not found`, { id });
    return e;
  }
}
