import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

export const addonStatuses = ['active', 'cancelled', 'pending'] as const;
export type AddonStatus = (typeof addonStatuses)[number];
export const addonCadences = ['onetime', 'recurring'] as const;
export type AddonCadence = (typeof addonCadences)[number];

/**
 * An addon attached to a subscription (docs/api/subscriptions.md#addons-on-subscriptions), from
 * `startDate` until `endDate` (open-ended while it recurs). Its line items name it. Removing it sets
 * `addonStatus` `cancelled` with `cancelledAt` = `endDate` = the removal's effective date, as
 * FlexPrice records it. Metadata values may be any JSON (as an addon's).
 */
export const AddonAssociationSchema = defineEntity(environmentRecord('AddonAssociation', 'addon_associations', {
  entityId: p.string().length(64),
  entityType: p.string().length(20).$type<'subscription'>(),
  addonId: p.string().length(64),
  cadence: p.string().length(20).$type<AddonCadence>(),
  startDate: p.datetime(),
  endDate: p.datetime().nullable(),
  addonStatus: p.string().length(20).$type<AddonStatus>(),
  cancellationReason: p.text().nullable(),
  cancelledAt: p.datetime().nullable(),
  metadata: p.json<Record<string, unknown>>().default('{}'),
}, {
  indexes: [inEnvironment('addon_associations_entity_idx', ['entityId']), inEnvironment('addon_associations_addon_idx', ['addonId'])],
}));
export class AddonAssociation extends AddonAssociationSchema.class {}
AddonAssociationSchema.setClass(AddonAssociation);
