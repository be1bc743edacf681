import type { components } from '@tally/contract';
import { ExactDecimal, formatDecimal } from '../../decimal/exact-decimal.ts';
import type { Addon } from '../addons/addon.entity.ts';
import { toAddonResponse } from '../addons/addon.mapper.ts';
import type { Feature } from '../features/feature.entity.ts';
import { toFeatureResponse } from '../features/index.ts';
import type { Meter } from '../meters/meter.entity.ts';
import type { Plan } from '../plans/plan.entity.ts';
import { toPlanResponse } from '../plans/plan.mapper.ts';
import type { Entitlement } from './entitlement.entity.ts';

export type EntitlementResponse = components['schemas']['EntitlementResponse'];

type JsonWithRaw = { rawJSON(text: string): unknown };

/**
 * An int64 held as a decimal string → a JSON number with every digit. Up to 2^53 − 1 it is a plain
 * number; past that it is a raw JSON value, which `JSON.stringify` writes verbatim, so a limit such as
 * 9223372036854775807 reaches the client unrounded.
 */
export function int64ToJson(digits: string | bigint): number {
  const text = String(digits);
  const n = Number(text);
  if (Number.isSafeInteger(n)) return n;
  return (JSON as unknown as JsonWithRaw).rawJSON(text) as number;
}

/**
 * Entity → wire. Members FlexPrice omits when empty (`config_value`, `parent_entitlement_id`, dates,
 * grant fields, `aggregation_mode`, `plan_id`, `feature`, `plan`, `addon`) are left out when unset; `usage_limit` is
 * always present (`null` = unlimited) and `usage_reset_period`/`static_value` are empty strings when unset.
 */
export function toEntitlementResponse(
  entitlement: Entitlement,
  extras?: { feature?: Feature; featureMeter?: Meter; plan?: Plan; addon?: Addon },
): EntitlementResponse {
  const e = entitlement;
  const isCatalog = e.entityType === 'PLAN' || e.entityType === 'ADDON';
  return {
    id: e.id,
    entity_type: e.entityType,
    entity_id: e.entityId,
    ...(isCatalog ? { plan_id: e.entityId } : {}),
    feature_id: e.featureId,
    feature_type: e.featureType,
    is_enabled: e.isEnabled,
    usage_limit: e.usageLimit === null || e.usageLimit === undefined ? null : int64ToJson(e.usageLimit),
    usage_reset_period: (e.usageResetPeriod ?? '') as EntitlementResponse['usage_reset_period'],
    is_soft_limit: e.isSoftLimit,
    static_value: e.staticValue ?? '',
    ...(e.configValue ? { config_value: { ...e.configValue } } : {}),
    display_order: e.displayOrder,
    ...(e.parentEntitlementId ? { parent_entitlement_id: e.parentEntitlementId } : {}),
    ...(e.startDate ? { start_date: e.startDate.toISOString() } : {}),
    ...(e.endDate ? { end_date: e.endDate.toISOString() } : {}),
    ...(e.grantMeasure ? { grant_measure: e.grantMeasure as EntitlementResponse['grant_measure'] } : {}),
    ...(e.grantQuota !== null && e.grantQuota !== undefined ? { grant_quota: formatDecimal(new ExactDecimal(e.grantQuota)) } : {}),
    ...(e.grantDurationValue !== null && e.grantDurationValue !== undefined ? { grant_duration_value: e.grantDurationValue } : {}),
    ...(e.grantDurationUnit ? { grant_duration_unit: e.grantDurationUnit as EntitlementResponse['grant_duration_unit'] } : {}),
    ...(e.grantAllocationBehavior
      ? { grant_allocation_behavior: e.grantAllocationBehavior as EntitlementResponse['grant_allocation_behavior'] }
      : {}),
    ...(e.aggregationMode ? { aggregation_mode: e.aggregationMode as EntitlementResponse['aggregation_mode'] } : {}),
    ...(extras?.feature ? { feature: toFeatureResponse(extras.feature, extras.featureMeter) } : {}),
    ...(extras?.plan ? { plan: toPlanResponse(extras.plan) } : {}),
    ...(extras?.addon ? { addon: toAddonResponse(extras.addon) } : {}),
    environment_id: e.environmentId,
    tenant_id: e.tenantId,
    status: e.status as EntitlementResponse['status'],
    created_at: e.createdAt.toISOString(),
    updated_at: e.updatedAt.toISOString(),
    created_by: e.createdBy ?? '',
    updated_by: e.updatedBy ?? '',
  };
}
