import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

/** What a seller sells: a named bundle of prices and entitlements. Deleted by `status = 'archived'`. */
export const PlanSchema = defineEntity(environmentRecord('Plan', 'plans', {
  name: p.string().length(255),
  lookupKey: p.string().length(255).nullable(),
  description: p.text().nullable(),
  displayOrder: p.integer().nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
}, { uniques: [inEnvironment('plans_live_lookup_key_uq', ['lookupKey'], "status = 'published' and lookup_key is not null")] }));
export class Plan extends PlanSchema.class {}
PlanSchema.setClass(Plan);
