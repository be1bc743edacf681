import type { components } from '@tally/contract';
import { parseDecimal } from '../../decimal/decimal-input.ts';
import { ExactDecimal } from '../../decimal/exact-decimal.ts';
import type { FeatureType } from '../features/feature.entity.ts';
import type { EntitlementEntityType, UsageResetPeriod } from './entitlement.entity.ts';
import { parseDateInput } from '../../date-input.ts';

type CreateRequest = components['schemas']['CreateEntitlementRequest'];
type UpdateRequest = components['schemas']['UpdateEntitlementRequest'];

export type Problems = Record<string, string>;

export type GrantMeasure = 'quantity' | 'amount';
export type GrantDurationUnit = 'hour' | 'day' | 'week' | 'subscription_period';
export type GrantAllocationBehavior = 'first_usage' | 'unit_start';
export type AggregationMode = 'additive' | 'parallel';

/** The type-dependent part of an entitlement, checked as a whole (after an update too). */
export type EntitlementTerms = {
  featureType: FeatureType;
  /** int64 as decimal digits; null = unlimited. */
  usageLimit: string | null;
  usageResetPeriod: UsageResetPeriod | null;
  isSoftLimit: boolean;
  staticValue: string | null;
  configValue: Record<string, unknown> | null;
  grantMeasure: GrantMeasure | null;
  grantQuota: string | null;
  grantDurationValue: number | null;
  grantDurationUnit: GrantDurationUnit | null;
  grantAllocationBehavior: GrantAllocationBehavior | null;
  aggregationMode: AggregationMode;
};

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

/** Changes to an entitlement: `undefined` leaves a field as it is. */
export type EntitlementChanges = {
  isEnabled?: boolean;
  usageLimit?: string | null;
  usageResetPeriod?: UsageResetPeriod;
  isSoftLimit?: boolean;
  staticValue?: string;
  configValue?: Record<string, unknown>;
  clearGrantConfig?: boolean;
  grantMeasure?: GrantMeasure;
  grantQuota?: string;
  grantDurationValue?: number;
  grantDurationUnit?: GrantDurationUnit;
  grantAllocationBehavior?: GrantAllocationBehavior;
  aggregationMode?: AggregationMode;
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

const typeOnly = (types: string, actual: FeatureType) => `applies only to ${types} features; this feature is ${actual}`;

/**
 * The rules every stored entitlement obeys, by feature type. Fields that do not apply to the type are
 * refused (FlexPrice stores some of them silently); the grant rules are FlexPrice's.
 */
export function termsProblems(t: EntitlementTerms, prefix = ''): Problems {
  const problems: Problems = {};
  const at = (field: string, message: string) => {
    problems[`${prefix}${field}`] ??= message;
  };
  const type = t.featureType;
  if (type !== 'metered') {
    if (t.usageLimit !== null) at('usage_limit', typeOnly('metered', type));
    if (t.usageResetPeriod !== null) at('usage_reset_period', typeOnly('metered', type));
    if (t.isSoftLimit) at('is_soft_limit', typeOnly('metered', type));
  }
  if (type === 'static') {
    if (!t.staticValue) at('static_value', 'is required for a static feature');
  } else if (t.staticValue) {
    at('static_value', typeOnly('static', type));
  }
  if (t.configValue && Object.keys(t.configValue).length > 0) {
    if (type !== 'config') at('config_value', typeOnly('config', type));
    else if (Object.keys(t.configValue).some((k) => k.trim() === '')) at('config_value', 'keys must not be empty or whitespace');
  }

  const hasGrant = t.grantQuota !== null || t.grantDurationValue !== null || t.grantMeasure !== null || t.grantDurationUnit !== null;
  if (!hasGrant) {
    if (t.aggregationMode === 'parallel') at('aggregation_mode', 'parallel requires a grant config (grant_measure, grant_quota, grant duration)');
    if (t.grantAllocationBehavior !== null) at('grant_allocation_behavior', 'requires a grant config (grant_measure, grant_quota, grant duration)');
    return problems;
  }
  if (type !== 'metered') {
    const given = (['grant_measure', 'grant_quota', 'grant_duration_value', 'grant_duration_unit'] as const).find(
      (f) =>
        ({ grant_measure: t.grantMeasure, grant_quota: t.grantQuota, grant_duration_value: t.grantDurationValue, grant_duration_unit: t.grantDurationUnit })[f] !== null,
    );
    at(given ?? 'grant_quota', `a grant config applies only to metered features; this feature is ${type}`);
    return problems;
  }
  if (t.grantMeasure === null) at('grant_measure', 'is required for a grant-based entitlement');
  if (t.grantDurationUnit === null) at('grant_duration_unit', 'is required for a grant-based entitlement');
  else if (t.grantDurationUnit === 'subscription_period') {
    if (t.grantDurationValue !== null) at('grant_duration_value', 'must not be set for subscription_period grants (the window is the billing period)');
    if (t.grantAllocationBehavior !== null) at('grant_allocation_behavior', 'must not be set for subscription_period grants (they align with the billing period)');
  } else if (t.grantDurationValue === null) {
    at('grant_duration_value', `is required with grant_duration_unit ${t.grantDurationUnit}`);
  }
  if (t.grantQuota === null) at('grant_quota', 'is required for a grant-based entitlement');
  else if (new ExactDecimal(t.grantQuota).lte(0)) at('grant_quota', 'must be greater than 0');
  return problems;
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
export function readCreateEntitlement(body: CreateRequest, prefix = ''): { input: NewEntitlement; problems: Problems } {
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
  return { input, problems };
}

/** An update request → the changes, plus the problems the request alone shows. */
export function readUpdateEntitlement(body: UpdateRequest): { changes: EntitlementChanges; problems: Problems } {
  const problems: Problems = {};
  const changes: EntitlementChanges = {};
  if (body.is_enabled !== undefined) changes.isEnabled = body.is_enabled;
  if (body.usage_limit !== undefined && body.usage_limit !== null) {
    const limit = parseUsageLimit(body.usage_limit);
    if ('problem' in limit) problems.usage_limit = limit.problem;
    // FlexPrice: on update, 0 means unlimited; null (or absent) leaves the limit unchanged.
    else changes.usageLimit = limit.value === '0' ? null : (limit.value ?? null);
  }
  if (body.usage_reset_period !== undefined) changes.usageResetPeriod = body.usage_reset_period;
  if (body.is_soft_limit !== undefined) changes.isSoftLimit = body.is_soft_limit;
  if (body.static_value !== undefined) changes.staticValue = body.static_value;
  if (body.config_value !== undefined) changes.configValue = body.config_value;
  if (body.clear_grant_config !== undefined) changes.clearGrantConfig = body.clear_grant_config;
  if (body.grant_measure !== undefined) changes.grantMeasure = body.grant_measure;
  const quota = parseGrantQuota(body.grant_quota, 'grant_quota', problems);
  if (quota !== null) changes.grantQuota = quota;
  if (body.grant_duration_value !== undefined) changes.grantDurationValue = body.grant_duration_value;
  if (body.grant_duration_unit !== undefined) changes.grantDurationUnit = body.grant_duration_unit;
  if (body.grant_allocation_behavior !== undefined) changes.grantAllocationBehavior = body.grant_allocation_behavior;
  if (body.aggregation_mode !== undefined) changes.aggregationMode = body.aggregation_mode;
  return { changes, problems };
}

/** The terms after `changes`, as FlexPrice applies them: clear the grant config first, then set what is given. */
export function applyChanges(current: EntitlementTerms & { isEnabled: boolean }, changes: EntitlementChanges): EntitlementTerms & { isEnabled: boolean } {
  const next = { ...current };
  if (changes.isEnabled !== undefined && current.featureType === 'boolean') next.isEnabled = changes.isEnabled;
  if (changes.usageLimit !== undefined) next.usageLimit = changes.usageLimit;
  if (changes.usageResetPeriod !== undefined) next.usageResetPeriod = changes.usageResetPeriod;
  if (changes.isSoftLimit !== undefined) next.isSoftLimit = changes.isSoftLimit;
  if (changes.staticValue !== undefined) next.staticValue = changes.staticValue === '' ? current.staticValue : changes.staticValue;
  if (changes.configValue !== undefined) next.configValue = Object.keys(changes.configValue).length ? changes.configValue : null;
  if (changes.clearGrantConfig) {
    next.grantMeasure = null;
    next.grantQuota = null;
    next.grantDurationValue = null;
    next.grantDurationUnit = null;
    next.grantAllocationBehavior = null;
    next.aggregationMode = 'additive';
  }
  if (changes.grantMeasure !== undefined) next.grantMeasure = changes.grantMeasure;
  if (changes.grantQuota !== undefined) next.grantQuota = changes.grantQuota;
  if (changes.grantDurationValue !== undefined) next.grantDurationValue = changes.grantDurationValue;
  if (changes.grantDurationUnit !== undefined) next.grantDurationUnit = changes.grantDurationUnit;
  if (changes.grantAllocationBehavior !== undefined) next.grantAllocationBehavior = changes.grantAllocationBehavior;
  if (changes.aggregationMode !== undefined) next.aggregationMode = changes.aggregationMode;
  return next;
}
