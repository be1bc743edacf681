import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { newId } from '../../ids.ts';
import { archive, change, newRecord } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { Meter, MeterReader, MeterService } from '../meters/index.ts';
import { alertSettingsProblems, mergeAlertSettings, type AlertSettings } from './alert-settings.ts';
import { unitPairProblems, type FeatureChanges, type FeatureCopy, type FeatureQuery, type NewFeature } from './feature.convert.ts';
import type { Feature } from './feature.entity.ts';
import { FeatureRepo } from './feature.repo.ts';
import { record } from '../webhooks/index.ts';
import { featureEvent } from './feature.webhook.ts';

/** A feature with its meter, when it is metered and the meter was asked for. */
export type FeatureView = { feature: Feature; meter?: Meter };

/**
 * Runs inside a feature's deletion unit of work and throws to refuse it. Entitlements register one
 * that refuses a feature linked to published entitlements, as FlexPrice does (400
 * `invalid_operation`, "Feature is linked to some plans…").
 */
export type FeatureDeletionGuard = (tx: Tx, auth: AuthContext, feature: Feature) => Promise<void>;

/** What features use of other modules: a metered feature's meter is created, extended and disabled with it. */
export type FeatureServiceFaces = { meters: MeterService; meterReader: MeterReader; deletionGuards?: FeatureDeletionGuard[] };

const lookupKeyTaken = (lookupKey: string) =>
  new AppError('already_exists', 'A feature with this lookup key already exists', { lookup_key: lookupKey });

export class FeatureService {
  readonly #ctx: ServiceContext;
  readonly #repo = new FeatureRepo();
  readonly #meters: MeterService;
  readonly #meterReader: MeterReader;
  readonly #deletionGuards: FeatureDeletionGuard[];

  constructor(ctx: ServiceContext, faces: FeatureServiceFaces) {
    this.#ctx = ctx;
    this.#meters = faces.meters;
    this.#meterReader = faces.meterReader;
    this.#deletionGuards = faces.deletionGuards ?? [];
  }

  /** The feature, and for a metered one its meter — the one named, or the inline one created in the same unit of work. */
  create(auth: AuthContext, input: NewFeature): Promise<FeatureView> {
    return this.#write(input.lookupKey, async (tx) => {
      if (input.lookupKey !== null) await this.#assertLookupKeyFree(tx, auth, input.lookupKey);
      let meter: Meter | undefined;
      if (input.meterId !== undefined) {
        meter = await this.#meter(tx, auth, input.meterId);
        if (meter.status !== 'published') {
          throw invalidFields({ meter_id: `names meter ${meter.id}, which is ${meter.status}; a metered feature needs a published meter` });
        }
      } else if (input.meter) {
        meter = this.#meters.createIn(tx, auth, input.meter);
      }
      const feature = this.#repo.add(tx, {
        id: newId('feature'),
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
        ...newRecord(auth, this.#ctx.clock.now()),
      });
      await record(tx, auth, featureEvent('feature.created', feature, feature.createdAt));
      return { feature, meter };
    });
  }

  /** Any status: a deleted (archived) feature stays readable, as in FlexPrice. */
  get(auth: AuthContext, id: string): Promise<FeatureView> {
    return this.#ctx.db.read(async (tx) => {
      const feature = await this.#find(tx, auth, id);
      return { feature, meter: await this.#meterOf(tx, auth, feature) };
    });
  }

  list(auth: AuthContext, query: FeatureQuery): Promise<PageOf<FeatureView>> {
    return this.#ctx.db.read(async (tx) => {
      const { items, total } = await this.#repo.page(tx, auth, query);
      if (!query.expandMeters) return { items: items.map((feature) => ({ feature })), total };
      const meters = await this.#meterReader.getMany(tx, auth, items.filter((f) => f.type === 'metered').map((f) => f.meterId));
      return { items: items.map((feature) => ({ feature, meter: feature.meterId ? meters.get(feature.meterId) : undefined })), total };
    });
  }

  update(auth: AuthContext, id: string, changes: FeatureChanges): Promise<FeatureView> {
    return this.#ctx.db.run(async (tx) => {
      const feature = await this.#find(tx, auth, id);
      const problems: Problems = {};
      const unitSingular = changes.unitSingular !== undefined ? changes.unitSingular : feature.unitSingular;
      const unitPlural = changes.unitPlural !== undefined ? changes.unitPlural : feature.unitPlural;
      Object.assign(problems, unitPairProblems(unitSingular, unitPlural));
      let alertSettings: AlertSettings | undefined;
      if (changes.alertSettings) {
        alertSettings = mergeAlertSettings((feature.alertSettings as AlertSettings | null) ?? undefined, changes.alertSettings);
        Object.assign(problems, alertSettingsProblems(alertSettings, 'alert_settings'));
      }
      const meter = await this.#meterOf(tx, auth, feature);
      if (changes.filters && !meter) problems.filters = `only a metered feature has meter filters; ${feature.id} is ${feature.type}`;
      throwIfProblems(problems);

      if (changes.filters && meter) this.#meters.addFiltersIn(auth, meter, changes.filters);
      const { name, description, metadata, reportingUnit } = changes;
      const fields = { name, description, metadata, unitSingular: unitSingular ?? null, unitPlural: unitPlural ?? null, reportingUnit, alertSettings };
      change(feature, fields, auth, this.#ctx.clock.now());
      await record(tx, auth, featureEvent('feature.updated', feature, feature.updatedAt));
      return { feature, meter };
    });
  }

  /** Archives the feature and, for a metered one, disables its meter with it. Deleting it again changes nothing. */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const feature = await this.#find(tx, auth, id);
      const archived = await archive(feature, auth, this.#ctx.clock, async () => {
        for (const guard of this.#deletionGuards) await guard(tx, auth, feature);
        const meter = await this.#meterOf(tx, auth, feature);
        if (meter) await this.#meters.disableIn(auth, meter);
      });
      if (archived) await record(tx, auth, featureEvent('feature.deleted', feature, feature.updatedAt));
    });
  }

  /**
   * A copy under a new name and lookup key. As FlexPrice does, a metered feature's meter is copied
   * (same definition, new id) so the two features never share one: deleting one disables only its own.
   */
  clone(auth: AuthContext, id: string, copy: FeatureCopy): Promise<FeatureView> {
    return this.#write(copy.lookupKey, async (tx) => {
      const source = await this.#find(tx, auth, id);
      await this.#assertLookupKeyFree(tx, auth, copy.lookupKey);
      const sourceMeter = await this.#meterOf(tx, auth, source);
      const meter = sourceMeter ? this.#meters.copyIn(tx, auth, sourceMeter) : undefined;
      const feature = this.#repo.add(tx, {
        id: newId('feature'),
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
        ...newRecord(auth, this.#ctx.clock.now()),
      });
      await record(tx, auth, featureEvent('feature.created', feature, feature.createdAt));
      return { feature, meter };
    });
  }

  /** One unit of work; a unique-index race on lookup_key surfaces as 409, not 500. */
  #write(lookupKey: string | null, work: (tx: Tx) => Promise<FeatureView>): Promise<FeatureView> {
    return this.#ctx.db.run(work, () => lookupKeyTaken(lookupKey ?? ''));
  }

  async #find(tx: Tx, auth: AuthContext, id: string): Promise<Feature> {
    return orNotFound(await this.#repo.get(tx, auth, id), 'Feature', 'id', id);
  }

  async #meter(tx: Tx, auth: AuthContext, meterId: string): Promise<Meter> {
    return orNotFound(await this.#meterReader.get(tx, auth, meterId), 'Meter', 'meter_id', meterId);
  }

  async #meterOf(tx: Tx, auth: AuthContext, feature: Feature): Promise<Meter | undefined> {
    if (feature.type !== 'metered' || !feature.meterId) return undefined;
    return this.#meter(tx, auth, feature.meterId);
  }

  async #assertLookupKeyFree(tx: Tx, auth: AuthContext, lookupKey: string): Promise<void> {
    if (await this.#repo.isTaken(tx, auth, { lookupKey })) throw lookupKeyTaken(lookupKey);
  }
}
