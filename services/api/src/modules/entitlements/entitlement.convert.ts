import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import { parseDateInput } from '../../wire/date-input.ts';
import { parseDecimal } from '../../wire/decimal-input.ts';
import { int64ToJson } from '../../wire/int64-json.ts';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import { itemsOrThrow, valueOrThrow, type Problems, type Read } from '../../errors/problems.ts';
import { parseExpand } from '../../listing/expand.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { toAddonResponse, type Addon } from '../addons/index.ts';
import { toFeatureResponse, type Feature, type FeatureType } from '../features/index.ts';
import type { Meter } from '../meters/index.ts';
import { toPlanResponse, type Plan } from '../plans/index.ts';
import { termsProblems, type EntitlementChanges, type EntitlementTerms } from './entitlement-terms.ts';
import type { Entitlement, EntitlementEntityType } from './entitlement.entity.ts';
import { entitlementSearchFields } from './entitlement.search.ts';

export type EntitlementResponse = Schemas['EntitlementResponse'];

/** An entitlement to create, validated as far as the request alone allows. */
export type NewEntitlement = EntitlementTerms & {
  entityType: EntitlementEntityType;
  entityId: string;
  /** The request field that named the entity (`plan_id` or `entity_id`), for error messages. */
  entityField: 'plan_id' | 'entity_id';
  featureId: string;
  isEnabled: boolean;
  parentEntitlementId: string | null;
  startDate: Date | null;
  endDate: Date | null;
};

/**
 * `usage_limit` as the digits stored in the bigint column. The schema already bounds it to
 * 0..2^53 − 1, the integers a JSON number carries exactly; this rechecks it for callers that bypass it.
 */
export function parseUsageLimit(value: number | null | undefined): { value: string | null | undefined } | { problem: string } {
  if (value === undefined || value === null) return { value };
  if (!Number.isSafeInteger(value) || value < 0) return { problem: `must be a whole number from 0 to ${Number.MAX_SAFE_INTEGER}, or null for unlimited` };
  return { value: String(value) };
}

function parseGrantQuota(value: string | number | undefined, field: string, problems: Problems): string | null {
  if (value === undefined) return null;
  const r = parseDecimal(value);
  if ('problem' in r) {
    problems[field] = r.problem;
    return null;
  }
  return r.value;
}

/**
 * A create request → the entitlement to create, plus every problem the request alone shows (named
 * with `prefix`, e.g. `items[2].`). The feature, entity and uniqueness checks need the database.
 */
export function readCreateEntitlement(body: Schemas['CreateEntitlementRequest'], prefix = ''): Read<NewEntitlement> {
  const problems: Problems = {};
  const p = (f: string) => `${prefix}${f}`;

  let entityType: EntitlementEntityType = 'PLAN';
  let entityId = '';
  let entityField: 'plan_id' | 'entity_id' = 'entity_id';
  if (body.entity_type && body.entity_id) {
    entityType = body.entity_type;
    entityId = body.entity_id;
  } else if (body.plan_id) {
    entityId = body.plan_id;
    entityField = 'plan_id';
  } else {
    const message = 'is required: give entity_type and entity_id, or plan_id';
    if (!body.entity_type) problems[p('entity_type')] = message;
    if (!body.entity_id) problems[p('entity_id')] = message;
  }

  const limit = parseUsageLimit(body.usage_limit);
  if ('problem' in limit) problems[p('usage_limit')] = limit.problem;
  const grantQuota = parseGrantQuota(body.grant_quota, p('grant_quota'), problems);
  const startDate = parseDateInput(body.start_date, p('start_date'), problems);
  const endDate = parseDateInput(body.end_date, p('end_date'), problems);
  if (startDate && endDate && endDate < startDate) problems[p('end_date')] = 'must not be before start_date';

  const featureType = body.feature_type;
  const input: NewEntitlement = {
    entityType,
    entityId,
    entityField,
    featureId: body.feature_id,
    featureType,
    // FlexPrice: metered, static and config entitlements are always enabled.
    isEnabled: featureType === 'boolean' ? (body.is_enabled ?? false) : true,
    usageLimit: 'value' in limit ? (limit.value ?? null) : null,
    usageResetPeriod: body.usage_reset_period ?? null,
    isSoftLimit: body.is_soft_limit ?? false,
    staticValue: body.static_value ? body.static_value : null,
    configValue: body.config_value && Object.keys(body.config_value).length > 0 ? body.config_value : null,
    parentEntitlementId: body.parent_entitlement_id ? body.parent_entitlement_id : null,
    startDate,
    endDate,
    grantMeasure: body.grant_measure ?? null,
    grantQuota,
    grantDurationValue: body.grant_duration_value ?? null,
    grantDurationUnit: body.grant_duration_unit ?? null,
    grantAllocationBehavior: body.grant_allocation_behavior ?? null,
    aggregationMode: body.aggregation_mode ?? 'additive',
  };
  // Parse problems come first; `??=` keeps them over the rule they would also break.
  for (const [k, v] of Object.entries(termsProblems(input, prefix))) problems[k] ??= v;
  return { value: input, problems };
}

/** An update request → the changes, plus the problems the request alone shows. */
export function readUpdateEntitlement(body: Schemas['UpdateEntitlementRequest']): Read<EntitlementChanges> {
  const problems: Problems = {};
  const changes: EntitlementChanges = {
    isEnabled: body.is_enabled,
    usageResetPeriod: body.usage_reset_period,
    isSoftLimit: body.is_soft_limit,
    staticValue: body.static_value,
    configValue: body.config_value,
    clearGrantConfig: body.clear_grant_config,
    grantMeasure: body.grant_measure,
    grantDurationValue: body.grant_duration_value,
    grantDurationUnit: body.grant_duration_unit,
    grantAllocationBehavior: body.grant_allocation_behavior,
    aggregationMode: body.aggregation_mode,
  };
  if (body.usage_limit !== undefined && body.usage_limit !== null) {
    const limit = parseUsageLimit(body.usage_limit);
    if ('problem' in limit) problems.usage_limit = limit.problem;
    // FlexPrice: on update, 0 means unlimited; null (or absent) leaves the limit unchanged.
    else changes.usageLimit = limit.value === '0' ? null : (limit.value ?? null);
  }
  const quota = parseGrantQuota(body.grant_quota, 'grant_quota', problems);
  if (quota !== null) changes.grantQuota = quota;
  return { value: changes, problems };
}

export function fromCreateEntitlementRequest(body: Schemas['CreateEntitlementRequest']): NewEntitlement {
  return valueOrThrow(readCreateEntitlement(body));
}

export function fromCreateEntitlementsBulkRequest(body: Schemas['CreateBulkEntitlementRequest']): NewEntitlement[] {
  return itemsOrThrow(body.items, readCreateEntitlement);
}

export function fromUpdateEntitlementRequest(body: Schemas['UpdateEntitlementRequest']): EntitlementChanges {
  return valueOrThrow(readUpdateEntitlement(body));
}

/** A list or search of entitlements, as the GET list and the search body both express it. */
export type EntitlementQuery = ListQuery & {
  entityType?: EntitlementEntityType;
  entityIds?: string[];
  featureIds?: string[];
  featureType?: FeatureType;
  isEnabled?: boolean;
  planIds?: string[];
  hasGrantConfig?: boolean;
  /** Embed each entitlement's feature (`expand=features`, the only token entitlement lists take). */
  expandFeatures: boolean;
};

export function fromEntitlementListRequest(input: QueryParams<'listEntitlements'> | Schemas['EntitlementFilter']): EntitlementQuery {
  return {
    ...listQueryOf(input, entitlementSearchFields, 'entitlement'),
    entityType: input?.entity_type,
    entityIds: input?.entity_ids,
    featureIds: input?.feature_ids,
    featureType: input?.feature_type,
    isEnabled: input?.is_enabled,
    planIds: input?.plan_ids,
    hasGrantConfig: input && 'has_grant_config' in input ? input.has_grant_config : undefined,
    expandFeatures: parseExpand(input?.expand, ['features']).has('features'),
  };
}

/** An entitlement with what its response may embed: its feature, that feature's meter, its plan or addon. */
export type EntitlementView = { entitlement: Entitlement; feature?: Feature; meter?: Meter; plan?: Plan; addon?: Addon };

/**
 * Entity → wire. Members FlexPrice omits when empty (`config_value`, `parent_entitlement_id`, dates,
 * grant fields, `aggregation_mode`, `plan_id`, `feature`, `plan`, `addon`) are left out when unset; `usage_limit` is
 * always present (`null` = unlimited) and `usage_reset_period`/`static_value` are empty strings when unset.
 */
export function toEntitlementResponse({ entitlement: e, feature, meter, plan, addon }: EntitlementView): EntitlementResponse {
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
    ...(feature ? { feature: toFeatureResponse(feature, meter) } : {}),
    ...(plan ? { plan: toPlanResponse(plan) } : {}),
    ...(addon ? { addon: toAddonResponse(addon) } : {}),
    ...recordFields(e),
  };
}
