import { defineEntity, p } from '@mikro-orm/core';
import { inEnvironment, keyProperties, recordProperties } from '../../db/base-properties.ts';

/** An optional extra sold on top of a plan, with its own prices and entitlements. Metadata values may be any JSON. */
export const AddonSchema = defineEntity({
  name: 'Addon',
  tableName: 'addons',
  properties: {
    ...keyProperties(),
    name: p.string().length(255),
    lookupKey: p.string().length(255),
    description: p.text().nullable(),
    metadata: p.json<Record<string, unknown>>().default('{}'),
    ...recordProperties(),
  },
  uniques: [inEnvironment('addons_live_lookup_key_uq', ['lookupKey'], "status = 'published'")],
  indexes: [inEnvironment('addons_env_status_created_idx', ['status', 'createdAt'])],
});
export class Addon extends AddonSchema.class {}
AddonSchema.setClass(Addon);
