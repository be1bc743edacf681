import { defineEntity, p } from '@mikro-orm/core';
import { recordProperties, scopeProperties } from '../../db/base-properties.ts';

/** An optional extra sold on top of a plan, with its own prices and entitlements. Metadata values may be any JSON. */
export const AddonSchema = defineEntity({
  name: 'Addon',
  tableName: 'addons',
  properties: {
    id: p.string().length(64).primary(),
    ...scopeProperties(),
    name: p.string().length(255),
    lookupKey: p.string().length(255),
    description: p.text().nullable(),
    metadata: p.json<Record<string, unknown>>().default('{}'),
    ...recordProperties(),
  },
  uniques: [
    {
      name: 'addons_live_lookup_key_uq',
      properties: ['tenantId', 'environmentId', 'lookupKey'],
      where: "status = 'published'",
    },
  ],
  indexes: [{ name: 'addons_env_status_created_idx', properties: ['tenantId', 'environmentId', 'status', 'createdAt'] }],
});
export class Addon extends AddonSchema.class {}
AddonSchema.setClass(Addon);
