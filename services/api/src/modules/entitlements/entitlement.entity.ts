import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { FeatureType } from '../features/index.ts';

export const entitlementEntityTypes = ['PLAN', 'SUBSCRIPTION', 'ADDON'] as const;
export type EntitlementEntityType = (typeof entitlementEntityTypes)[number];
export const usageResetPeriods = ['MONTHLY', 'ANNUAL', 'WEEKLY', 'DAILY', 'QUARTERLY', 'HALF_YEARLY', 'NEVER'] as const;
export type UsageResetPeriod = (typeof usageResetPeriods)[number];

/**
 * What a plan, addon or subscription grants of a feature: a quota (`usageLimit`, null = unlimited), a switch,
 * a static value or a config object. `usageLimit` is an int64 held as `bigint` and read back as a string.
 */
export const EntitlementSchema = defineEntity(environmentRecord('Entitlement', 'entitlements', {
  entityType: p.string().length(20).$type<EntitlementEntityType>(),
  entityId: p.string().length(64),
  featureId: p.string().length(64),
  featureType: p.string().length(20).$type<FeatureType>(),
  isEnabled: p.boolean().default(true),
  usageLimit: p.bigint('string').nullable(),
  usageResetPeriod: p.string().length(20).$type<UsageResetPeriod>().nullable(),
  isSoftLimit: p.boolean().default(false),
  staticValue: p.text().nullable(),
  configValue: p.json<Record<string, unknown>>().nullable(),
  displayOrder: p.integer().default(0),
  parentEntitlementId: p.string().length(64).nullable(),
  startDate: p.datetime().nullable(),
  endDate: p.datetime().nullable(),
  grantMeasure: p.string().length(20).nullable(),
  grantQuota: p.decimal('string').columnType('numeric').nullable(),
  grantDurationValue: p.integer().nullable(),
  grantDurationUnit: p.string().length(30).nullable(),
  grantAllocationBehavior: p.string().length(30).nullable(),
  aggregationMode: p.string().length(20).nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
}, {
  uniques: [
    // One live entitlement per plan/addon/subscription and feature, unless it is a parallel grant (FlexPrice's rule).
    inEnvironment('entitlements_live_feature_uq', ['entityType', 'entityId', 'featureId'], "status = 'published' and (aggregation_mode is null or aggregation_mode <> 'parallel')"),
  ],
  indexes: [inEnvironment('entitlements_entity_idx', ['entityType', 'entityId']), inEnvironment('entitlements_feature_idx', ['featureId'])],
}));
export class Entitlement extends EntitlementSchema.class {}
EntitlementSchema.setClass(Entitlement);
