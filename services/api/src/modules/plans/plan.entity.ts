import { defineEntity, p } from '@mikro-orm/core';
import { recordProperties, scopeProperties } from '../../db/base-properties.ts';

/** What a seller sells: a named bundle of prices and entitlements. Deleted by `status = 'archived'`. */
export const PlanSchema = defineEntity({
  name: 'Plan',
  tableName: 'plans',
  properties: {
    id: p.string().length(64).primary(),
    ...scopeProperties(),
    name: p.string().length(255),
    lookupKey: p.string().length(255).nullable(),
    description: p.text().nullable(),
    displayOrder: p.integer().nullable(),
    metadata: p.json<Record<string, string>>().default('{}'),
    ...recordProperties(),
  },
  uniques: [
    {
      name: 'plans_live_lookup_key_uq',
      properties: ['tenantId', 'environmentId', 'lookupKey'],
      where: "status = 'published' and lookup_key is not null",
    },
  ],
  indexes: [{ name: 'plans_env_status_created_idx', properties: ['tenantId', 'environmentId', 'status', 'createdAt'] }],
});
export class Plan extends PlanSchema.class {}
PlanSchema.setClass(Plan);
