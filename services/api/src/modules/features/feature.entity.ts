import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

export const featureTypes = ['metered', 'boolean', 'static', 'config'] as const;
export type FeatureType = (typeof featureTypes)[number];

/** Display unit of a metered feature: reporting value = value × conversion_rate (a decimal string). */
export type ReportingUnit = { unit_singular: string; unit_plural: string; conversion_rate: string };

/** Something a plan grants: a metered quantity (with its meter), an on/off switch, a static or config value. */
export const FeatureSchema = defineEntity(environmentRecord('Feature', 'features', {
  name: p.string().length(255),
  lookupKey: p.string().length(255).nullable(),
  description: p.text().nullable(),
  type: p.string().length(20).$type<FeatureType>(),
  meterId: p.string().length(64).nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
  unitSingular: p.string().length(255).nullable(),
  unitPlural: p.string().length(255).nullable(),
  reportingUnit: p.json<ReportingUnit>().nullable(),
  alertSettings: p.json<Record<string, unknown>>().nullable(),
  groupId: p.string().length(64).nullable(),
}, {
  uniques: [inEnvironment('features_live_lookup_key_uq', ['lookupKey'], "status = 'published' and lookup_key is not null")],
  indexes: [inEnvironment('features_meter_idx', ['meterId'])],
}));
export class Feature extends FeatureSchema.class {}
FeatureSchema.setClass(Feature);
