import { describe, expect, it } from 'vitest';
import { applyChanges, termsProblems, type EntitlementTerms } from './entitlement-terms.ts';
import { parseUsageLimit, readCreateEntitlement, readUpdateEntitlement } from './entitlement.convert.ts';

const terms = (t: Partial<EntitlementTerms>): EntitlementTerms => ({
  featureType: 'metered',
  usageLimit: null,
  usageResetPeriod: null,
  isSoftLimit: false,
  staticValue: null,
  configValue: null,
  grantMeasure: null,
  grantQuota: null,
  grantDurationValue: null,
  grantDurationUnit: null,
  grantAllocationBehavior: null,
  aggregationMode: 'additive',
  ...t,
});

describe('parseUsageLimit', () => {
  it('keeps null/absent, writes safe integers as digits, refuses what a double cannot hold exactly', () => {
    expect(parseUsageLimit(undefined)).toEqual({ value: undefined });
    expect(parseUsageLimit(null)).toEqual({ value: null });
    expect(parseUsageLimit(0)).toEqual({ value: '0' });
    expect(parseUsageLimit(9007199254740991)).toEqual({ value: '9007199254740991' });
    expect(parseUsageLimit(9007199254740992)).toHaveProperty('problem');
    expect(parseUsageLimit(-1)).toHaveProperty('problem');
    expect(parseUsageLimit(1.5)).toHaveProperty('problem');
  });
});

describe('termsProblems', () => {
  it('refuses fields that do not apply to the type', () => {
    expect(termsProblems(terms({ featureType: 'boolean', usageLimit: '5', usageResetPeriod: 'DAILY', isSoftLimit: true }))).toEqual({
      usage_limit: 'applies only to metered features; this feature is boolean',
      usage_reset_period: 'applies only to metered features; this feature is boolean',
      is_soft_limit: 'applies only to metered features; this feature is boolean',
    });
    expect(termsProblems(terms({ featureType: 'config', staticValue: 'x', configValue: { '': 1 } }))).toEqual({
      static_value: 'applies only to static features; this feature is config',
      config_value: 'keys must not be empty or whitespace',
    });
    expect(termsProblems(terms({ featureType: 'static' }), 'items[3].')).toEqual({ 'items[3].static_value': 'is required for a static feature' });
    expect(termsProblems(terms({ featureType: 'static', staticValue: 's' }))).toEqual({});
  });

  it('applies FlexPrice’s grant coherence rules', () => {
    const grant = { grantMeasure: 'quantity', grantQuota: '10', grantDurationValue: 2, grantDurationUnit: 'week' } as const;
    expect(termsProblems(terms(grant))).toEqual({});
    expect(termsProblems(terms({ ...grant, aggregationMode: 'parallel', grantAllocationBehavior: 'unit_start' }))).toEqual({});
    expect(termsProblems(terms({ ...grant, grantDurationValue: null }))).toEqual({ grant_duration_value: 'is required with grant_duration_unit week' });
    expect(termsProblems(terms({ ...grant, grantQuota: '-1' }))).toEqual({ grant_quota: 'must be greater than 0' });
    expect(termsProblems(terms({ ...grant, featureType: 'boolean' }))).toEqual({ grant_measure: 'a grant config applies only to metered features; this feature is boolean' });
    expect(termsProblems(terms({ grantAllocationBehavior: 'first_usage' }))).toEqual({
      grant_allocation_behavior: 'requires a grant config (grant_measure, grant_quota, grant duration)',
    });
  });
});

describe('readCreateEntitlement', () => {
  it('resolves the entity (entity_type + entity_id win over plan_id) and forces is_enabled except for boolean', () => {
    const base = { feature_id: 'feat_1', feature_type: 'metered' as const };
    expect(readCreateEntitlement({ ...base, plan_id: 'plan_1', is_enabled: false }).value).toMatchObject({
      entityType: 'PLAN',
      entityId: 'plan_1',
      entityField: 'plan_id',
      isEnabled: true,
      aggregationMode: 'additive',
    });
    expect(readCreateEntitlement({ ...base, plan_id: 'plan_1', entity_type: 'ADDON', entity_id: 'addon_1' }).value).toMatchObject({
      entityType: 'ADDON',
      entityId: 'addon_1',
      entityField: 'entity_id',
    });
    expect(readCreateEntitlement({ ...base, feature_type: 'boolean', plan_id: 'p' }).value.isEnabled).toBe(false);
    expect(readCreateEntitlement({ ...base, entity_id: 'x' }, 'items[0].').problems).toEqual({
      'items[0].entity_type': 'is required: give entity_type and entity_id, or plan_id',
    });
  });

  it('reports parse problems before the rule they also break', () => {
    const { problems, value: input } = readCreateEntitlement({ feature_id: 'f', feature_type: 'metered', plan_id: 'p', grant_quota: 'abc', grant_measure: 'amount', grant_duration_unit: 'subscription_period' });
    expect(problems).toEqual({ grant_quota: `'abc' is not a decimal number (e.g. "0.001")` });
    expect(input.grantQuota).toBeNull();
    expect(readCreateEntitlement({ feature_id: 'f', feature_type: 'metered', plan_id: 'p', start_date: '2025-02-01T00:00:00Z', end_date: '2025-01-01T00:00:00Z' }).problems).toEqual({
      end_date: 'must not be before start_date',
    });
  });
});

describe('readUpdateEntitlement + applyChanges', () => {
  it('follows FlexPrice: usage_limit 0 → unlimited, null → unchanged; is_enabled only moves a boolean entitlement', () => {
    expect(readUpdateEntitlement({ usage_limit: 0 }).value).toEqual({ usageLimit: null });
    expect(readUpdateEntitlement({ usage_limit: null }).value).toEqual({});
    const current = { ...terms({ usageLimit: '10' }), isEnabled: true };
    expect(applyChanges(current, { isEnabled: false, usageLimit: '20' })).toMatchObject({ isEnabled: true, usageLimit: '20' });
    expect(applyChanges({ ...terms({ featureType: 'boolean' }), isEnabled: true }, { isEnabled: false }).isEnabled).toBe(false);
  });

  it('clears the grant config before applying the grant fields given with it', () => {
    const current = { ...terms({ grantMeasure: 'quantity', grantQuota: '5', grantDurationValue: 1, grantDurationUnit: 'day', aggregationMode: 'parallel' }), isEnabled: true };
    expect(applyChanges(current, { clearGrantConfig: true })).toMatchObject({ grantMeasure: null, grantQuota: null, grantDurationValue: null, grantDurationUnit: null, aggregationMode: 'additive' });
    expect(applyChanges(current, { clearGrantConfig: true, grantQuota: '7' }).grantQuota).toBe('7');
  });
});
