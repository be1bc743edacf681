import { ExactDecimal } from '../../billing/money/index.ts';
import type { Problems } from '../../errors/problems.ts';
import { definedOnly } from '../../records.ts';
import type { FeatureType } from '../features/index.ts';
import type { UsageResetPeriod } from './entitlement.entity.ts';

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

/** A grant config cleared (`clear_grant_config`): FlexPrice's defaults. */
const noGrantConfig = { grantMeasure: null, grantQuota: null, grantDurationValue: null, grantDurationUnit: null, grantAllocationBehavior: null, aggregationMode: 'additive' } as const;

/** The terms after `changes`, as FlexPrice applies them: clear the grant config first, then set what is given. */
export function applyChanges(current: EntitlementTerms & { isEnabled: boolean }, changes: EntitlementChanges): EntitlementTerms & { isEnabled: boolean } {
  const { isEnabled, staticValue, configValue, clearGrantConfig, ...plain } = changes;
  const next = { ...current, ...(clearGrantConfig ? noGrantConfig : {}), ...definedOnly(plain) };
  if (isEnabled !== undefined && current.featureType === 'boolean') next.isEnabled = isEnabled;
  if (staticValue !== undefined) next.staticValue = staticValue === '' ? current.staticValue : staticValue;
  if (configValue !== undefined) next.configValue = Object.keys(configValue).length ? configValue : null;
  return next;
}
