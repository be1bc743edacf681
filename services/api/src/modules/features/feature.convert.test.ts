import { describe, expect, it } from 'vitest';
import { lookupKeyFromName, fromCloneFeatureRequest, fromCreateFeatureRequest, fromUpdateFeatureRequest, unitPairProblems } from './feature.convert.ts';
import { thrown } from '../../errors/thrown.test-helper.ts';

type Create = Parameters<typeof fromCreateFeatureRequest>[0];

const inlineMeter = { name: 'Tokens', event_name: 'llm.completion', aggregation: { type: 'SUM' as const, field: 'tokens' }, reset_usage: 'BILLING_PERIOD' as const };
const problems = (body: Create) => thrown(() => fromCreateFeatureRequest(body)).details;

describe('lookupKeyFromName — FlexPrice’s derivation', () => {
  it.each([
    ['API Calls', 'api_calls'],
    ['  LLM tokens (GPT-4o)  ', 'llm_tokens_gpt_4o'],
    ['Storage/GB-month', 'storage_gb_month'],
    ['already_snake', 'already_snake'],
    ['Ünïcode naïve', 'n_code_na_ve'],
    ['!!!', ''],
  ])('%j → %j', (name, key) => {
    expect(lookupKeyFromName(name)).toBe(key);
  });
});

describe('fromCreateFeatureRequest', () => {
  it('a boolean feature: defaults, lookup key from the name, nothing metered', () => {
    expect(fromCreateFeatureRequest({ name: 'SSO', type: 'boolean' })).toEqual({
      name: 'SSO',
      type: 'boolean',
      lookupKey: 'sso',
      description: null,
      metadata: {},
      meterId: undefined,
      meter: undefined,
      unitSingular: null,
      unitPlural: null,
      reportingUnit: null,
      alertSettings: null,
    });
  });

  it('a name that yields no lookup key leaves it unset', () => {
    expect(fromCreateFeatureRequest({ name: '???', type: 'boolean' }).lookupKey).toBeNull();
  });

  it('a metered feature with an inline meter, units and a reporting unit (conversion_rate normalised)', () => {
    const parsed = fromCreateFeatureRequest({
      name: 'LLM tokens',
      type: 'metered',
      lookup_key: 'tokens',
      unit_singular: 'token',
      unit_plural: 'tokens',
      reporting_unit: { unit_singular: 'k token', unit_plural: 'k tokens', conversion_rate: '0.0010' },
      meter: inlineMeter,
    });
    expect(parsed.lookupKey).toBe('tokens');
    expect(parsed.meter).toEqual({ name: 'Tokens', eventName: 'llm.completion', aggregation: { type: 'SUM', field: 'tokens' }, filters: [], resetUsage: 'BILLING_PERIOD' });
    expect(parsed.reportingUnit).toEqual({ unit_singular: 'k token', unit_plural: 'k tokens', conversion_rate: '0.001' });
    expect(parsed.unitSingular).toBe('token');
  });

  it('accepts conversion_rate as a JSON number (FlexPrice’s spec types it so) and returns a string', () => {
    const parsed = fromCreateFeatureRequest({
      name: 'Seconds',
      type: 'metered',
      meter_id: 'meter_x',
      reporting_unit: { unit_singular: 'second', unit_plural: 'seconds', conversion_rate: 0.001 },
    });
    expect(parsed.reportingUnit?.conversion_rate).toBe('0.001');
    expect(parsed.meterId).toBe('meter_x');
  });

  it('a metered feature needs meter_id or meter, and not both', () => {
    expect(problems({ name: 'M', type: 'metered' })).toEqual({ meter_id: 'or meter is required for a metered feature' });
    expect(problems({ name: 'M', type: 'metered', meter_id: '' })).toEqual({ meter_id: 'or meter is required for a metered feature' });
    expect(problems({ name: 'M', type: 'metered', meter_id: 'meter_x', meter: inlineMeter })).toEqual({ meter: 'cannot be given with meter_id; give one of them' });
  });

  it.each(['boolean', 'static', 'config'] as const)('a %s feature takes no meter', (type) => {
    expect(problems({ name: 'F', type, meter_id: 'meter_x', meter: inlineMeter })).toEqual({
      meter_id: `only a metered feature has a meter, not a ${type} one`,
      meter: `only a metered feature has a meter, not a ${type} one`,
    });
  });

  it('names the inline meter’s problems under meter.', () => {
    expect(
      problems({
        name: 'M',
        type: 'metered',
        meter: { ...inlineMeter, event_name: ' ', aggregation: { type: 'SUM_WITH_MULTIPLIER', field: 'b', multiplier: '-1' } },
      }),
    ).toEqual({ 'meter.event_name': 'must not be blank', 'meter.aggregation.multiplier': 'must be greater than 0' });
  });

  it('unit names come in pairs', () => {
    expect(problems({ name: 'F', type: 'boolean', unit_singular: 'call' })).toEqual({ unit_plural: 'is required when unit_singular is set (give both or neither)' });
    expect(problems({ name: 'F', type: 'boolean', unit_plural: 'calls', unit_singular: '' })).toEqual({
      unit_singular: 'is required when unit_plural is set (give both or neither)',
    });
  });

  it('reporting_unit: conversion_rate must be a decimal > 0 and the names not blank', () => {
    const ru = (conversion_rate: string | number, unit_singular = 's') => ({ name: 'F', type: 'boolean' as const, reporting_unit: { unit_singular, unit_plural: 'p', conversion_rate } });
    expect(problems(ru('0'))).toEqual({ 'reporting_unit.conversion_rate': 'must be greater than 0' });
    expect(problems(ru(-0.5))).toEqual({ 'reporting_unit.conversion_rate': 'must be greater than 0' });
    expect(problems(ru('1/1000'))).toEqual({ 'reporting_unit.conversion_rate': `'1/1000' is not a decimal number (e.g. "0.001")` });
    expect(problems(ru('1', ' '))).toEqual({ 'reporting_unit.unit_singular': 'must not be blank' });
  });

  it('group_id: only empty is accepted (no groups yet)', () => {
    expect(fromCreateFeatureRequest({ name: 'F', type: 'boolean', group_id: '' }).name).toBe('F');
    expect(problems({ name: 'F', type: 'boolean', group_id: 'group_1' })).toEqual({ group_id: 'is not supported yet: Tally has no feature groups; leave it empty' });
  });

  it('alert_settings: thresholds normalised, consistency checked', () => {
    const parsed = fromCreateFeatureRequest({
      name: 'F',
      type: 'boolean',
      alert_settings: { critical: { threshold: '10.0', condition: 'below' }, info: { threshold: 50, condition: 'below' } },
    });
    expect(parsed.alertSettings).toEqual({ critical: { threshold: '10', condition: 'below' }, info: { threshold: '50', condition: 'below' } });
    expect(problems({ name: 'F', type: 'boolean', alert_settings: { alert_enabled: true } })).toEqual({
      'alert_settings.alert_enabled': 'needs at least one threshold (critical, warning or info) when true',
    });
    expect(problems({ name: 'F', type: 'boolean', alert_settings: { critical: { threshold: 'x', condition: 'above' } } })).toEqual({
      'alert_settings.critical.threshold': `'x' is not a decimal number (e.g. "0.001")`,
    });
  });

  it('reports every problem at once', () => {
    const details = problems({ name: ' ', type: 'metered', unit_singular: 'a', group_id: 'g', reporting_unit: { unit_singular: 'a', unit_plural: 'b', conversion_rate: '0' } });
    expect(Object.keys(details ?? {}).sort()).toEqual(['group_id', 'meter_id', 'name', 'reporting_unit.conversion_rate', 'unit_plural']);
  });
});

describe('fromUpdateFeatureRequest', () => {
  it('leaves absent fields undefined and turns empty text into null (cleared)', () => {
    expect(fromUpdateFeatureRequest({ name: 'N', description: '', unit_singular: '', unit_plural: '' })).toEqual({
      name: 'N',
      description: null,
      metadata: undefined,
      unitSingular: null,
      unitPlural: null,
    });
    expect(fromUpdateFeatureRequest({})).toEqual({ name: undefined, description: undefined, metadata: undefined, unitSingular: undefined, unitPlural: undefined });
  });

  it('parses filters (repeats allowed) and the reporting unit', () => {
    const changes = fromUpdateFeatureRequest({
      filters: [{ key: 'm', values: ['a', 'a'] }],
      reporting_unit: { unit_singular: 'GB', unit_plural: 'GB', conversion_rate: '0.000000001' },
    });
    expect(changes.filters).toEqual([{ key: 'm', values: ['a'] }]);
    expect(changes.reportingUnit?.conversion_rate).toBe('0.000000001');
  });

  it('refuses a blank name, a group and a bad conversion rate together', () => {
    const err = thrown(() => fromUpdateFeatureRequest({ name: '  ', group_id: 'grp', reporting_unit: { unit_singular: 'a', unit_plural: 'b', conversion_rate: '-1' } }));
    expect(err.details).toEqual({
      name: 'must not be blank',
      group_id: 'is not supported yet: Tally has no feature groups; leave it empty',
      'reporting_unit.conversion_rate': 'must be greater than 0',
    });
  });
});

describe('fromCloneFeatureRequest', () => {
  it('keeps a given description (empty clears it) and metadata', () => {
    expect(fromCloneFeatureRequest({ name: 'Copy', lookup_key: 'copy', description: '', metadata: { a: '1' } })).toEqual({
      name: 'Copy',
      lookupKey: 'copy',
      description: null,
      metadata: { a: '1' },
    });
    expect(fromCloneFeatureRequest({ name: 'Copy', lookup_key: 'copy' }).description).toBeUndefined();
  });

  it('refuses a blank name or lookup key', () => {
    expect(thrown(() => fromCloneFeatureRequest({ name: ' ', lookup_key: ' ' })).details).toEqual({ name: 'must not be blank', lookup_key: 'must not be blank' });
  });
});

describe('unitPairProblems', () => {
  it('accepts both or neither', () => {
    expect(unitPairProblems('a', 'b')).toEqual({});
    expect(unitPairProblems(null, null)).toEqual({});
    expect(unitPairProblems(undefined, '')).toEqual({});
  });
});
