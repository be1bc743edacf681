import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

/** An optional extra sold on top of a plan, with its own prices and entitlements. Metadata values may be any JSON. */
export const AddonSchema = defineEntity(environmentRecord('Addon', 'addons', {
  name: p.string().length(255),
  lookupKey: p.string().length(255),
  description: p.text().nullable(),
  metadata: p.json<Record<string, unknown>>().default('{}'),
}, { uniques: [inEnvironment('addons_live_lookup_key_uq', ['lookupKey'], "status = 'published'")] }));
export class Addon extends AddonSchema.class {}
AddonSchema.setClass(Addon);
