import { describe, expect, it } from 'vitest';
import { fromCreateMeterRequest, fromUpdateMeterRequest } from './meter.convert.ts';
import { thrown } from '../../errors/thrown.test-helper.ts';

type Create = Parameters<typeof fromCreateMeterRequest>[0];
type Aggregation = Create['aggregation'];

const meter = (aggregation: Aggregation, extra: Partial<Create> = {}): Create => ({
  name: 'Tokens',
  event_name: 'llm.completion',
  aggregation,
  reset_usage: 'BILLING_PERIOD',
  ...extra,
});
const problems = (aggregation: Aggregation, extra: Partial<Create> = {}) => thrown(() => fromCreateMeterRequest(meter(aggregation, extra))).details;

describe('fromCreateMeterRequest — valid meters', () => {
  it('keeps the definition, trims event_name, and defaults filters to []', () => {
    expect(fromCreateMeterRequest(meter({ type: 'SUM', field: 'tokens' }, { event_name: '  llm.completion ' }))).toEqual({
      name: 'Tokens',
      eventName: 'llm.completion',
      aggregation: { type: 'SUM', field: 'tokens' },
      filters: [],
      resetUsage: 'BILLING_PERIOD',
    });
  });

  it('COUNT needs no field, and keeps one it is given (ignored, as FlexPrice)', () => {
    expect(fromCreateMeterRequest(meter({ type: 'COUNT' })).aggregation).toEqual({ type: 'COUNT' });
    expect(fromCreateMeterRequest(meter({ type: 'COUNT', field: 'x' })).aggregation).toEqual({ type: 'COUNT', field: 'x' });
  });

  it.each(['SUM', 'AVG', 'COUNT_UNIQUE', 'LATEST', 'MAX', 'WEIGHTED_SUM'] as const)('%s with a field is valid', (type) => {
    expect(fromCreateMeterRequest(meter({ type, field: 'v' })).aggregation).toEqual({ type, field: 'v' });
  });

  it('SUM_WITH_MULTIPLIER normalises its multiplier to a trimmed decimal string, from a string or a number', () => {
    expect(fromCreateMeterRequest(meter({ type: 'SUM_WITH_MULTIPLIER', field: 'bytes', multiplier: '0.0010' })).aggregation).toEqual({
      type: 'SUM_WITH_MULTIPLIER',
      field: 'bytes',
      multiplier: '0.001',
    });
    expect(fromCreateMeterRequest(meter({ type: 'SUM_WITH_MULTIPLIER', field: 'bytes', multiplier: 1000 })).aggregation.multiplier).toBe('1000');
  });

  it('bucket_size on MAX or SUM, group_by on a bucketed MAX', () => {
    expect(fromCreateMeterRequest(meter({ type: 'MAX', field: 'cpu', bucket_size: 'HOUR', group_by: 'server_id' })).aggregation).toEqual({
      type: 'MAX',
      field: 'cpu',
      bucket_size: 'HOUR',
      group_by: 'server_id',
    });
    expect(fromCreateMeterRequest(meter({ type: 'SUM', field: 'gb', bucket_size: 'DAY' })).aggregation).toEqual({ type: 'SUM', field: 'gb', bucket_size: 'DAY' });
  });

  it('treats empty strings for field, expression and group_by as absent', () => {
    expect(fromCreateMeterRequest(meter({ type: 'COUNT', field: '', expression: '', group_by: '' })).aggregation).toEqual({ type: 'COUNT' });
  });

  it('de-duplicates the values of a filter, keeping their order', () => {
    const parsed = fromCreateMeterRequest(meter({ type: 'COUNT' }, { filters: [{ key: 'model', values: ['b', 'a', 'b'] }, { key: 'region', values: ['eu'] }] }));
    expect(parsed.filters).toEqual([
      { key: 'model', values: ['b', 'a'] },
      { key: 'region', values: ['eu'] },
    ]);
  });
});

describe('fromCreateMeterRequest — refusals name the field', () => {
  it.each(['SUM', 'AVG', 'COUNT_UNIQUE', 'LATEST', 'MAX', 'WEIGHTED_SUM', 'SUM_WITH_MULTIPLIER'] as const)('%s without a field', (type) => {
    const details = problems({ type, ...(type === 'SUM_WITH_MULTIPLIER' ? { multiplier: '2' } : {}) });
    expect(details).toEqual({ 'aggregation.field': `is required for ${type} aggregation` });
  });

  it('a CEL expression: not supported yet', () => {
    expect(problems({ type: 'SUM', expression: 'tokens * rate' })).toEqual({
      'aggregation.field': 'is required for SUM aggregation',
      'aggregation.expression': 'is not supported yet: Tally does not evaluate CEL expressions; aggregate one property with field',
    });
    expect(Object.keys(problems({ type: 'SUM', field: 'tokens', expression: 'tokens * 2' }) ?? {})).toEqual(['aggregation.expression']);
  });

  it('SUM_WITH_MULTIPLIER without a multiplier, or with one that is not > 0 or not a decimal', () => {
    expect(problems({ type: 'SUM_WITH_MULTIPLIER', field: 'b' })).toEqual({ 'aggregation.multiplier': 'is required for SUM_WITH_MULTIPLIER aggregation' });
    expect(problems({ type: 'SUM_WITH_MULTIPLIER', field: 'b', multiplier: '0' })).toEqual({ 'aggregation.multiplier': 'must be greater than 0' });
    expect(problems({ type: 'SUM_WITH_MULTIPLIER', field: 'b', multiplier: -2 })).toEqual({ 'aggregation.multiplier': 'must be greater than 0' });
    expect(problems({ type: 'SUM_WITH_MULTIPLIER', field: 'b', multiplier: 'ten' })).toEqual({
      'aggregation.multiplier': `'ten' is not a decimal number (e.g. "0.001")`,
    });
  });

  it('a multiplier on any other type (it would silently do nothing)', () => {
    expect(problems({ type: 'SUM', field: 'b', multiplier: '2' })).toEqual({ 'aggregation.multiplier': 'only applies to SUM_WITH_MULTIPLIER aggregation, not SUM' });
  });

  it.each(['COUNT', 'AVG', 'COUNT_UNIQUE', 'LATEST', 'WEIGHTED_SUM'] as const)('bucket_size on %s', (type) => {
    expect(problems({ type, field: 'v', bucket_size: 'HOUR' })).toEqual({ 'aggregation.bucket_size': `only applies to MAX or SUM aggregation, not ${type}` });
  });

  it('group_by without MAX + bucket_size', () => {
    const message = { 'aggregation.group_by': 'only applies to MAX aggregation with a bucket_size' };
    expect(problems({ type: 'MAX', field: 'v', group_by: 'host' })).toEqual(message);
    expect(problems({ type: 'SUM', field: 'v', bucket_size: 'HOUR', group_by: 'host' })).toEqual(message);
  });

  it('blank names, a repeated filter key and a blank filter key', () => {
    expect(
      problems(
        { type: 'COUNT' },
        {
          name: ' ',
          event_name: '   ',
          filters: [
            { key: 'model', values: ['a'] },
            { key: ' ', values: ['x'] },
            { key: 'model', values: ['b'] },
          ],
        },
      ),
    ).toEqual({
      name: 'must not be blank',
      event_name: 'must not be blank',
      'filters[1].key': 'must not be blank',
      'filters[2].key': "repeats filters[0].key 'model'; give each key once with all its values",
    });
  });

  it('reports every problem at once', () => {
    const details = problems({ type: 'COUNT', bucket_size: 'DAY', multiplier: '1', group_by: 'g', expression: 'x' }, { event_name: '' });
    expect(Object.keys(details ?? {}).sort()).toEqual([
      'aggregation.bucket_size',
      'aggregation.expression',
      'aggregation.group_by',
      'aggregation.multiplier',
      'event_name',
    ]);
  });
});

describe('fromUpdateMeterRequest', () => {
  it('accepts repeated keys (they merge) and de-duplicates values', () => {
    expect(fromUpdateMeterRequest({ filters: [{ key: 'a', values: ['1', '1'] }, { key: 'a', values: ['2'] }] })).toEqual([
      { key: 'a', values: ['1'] },
      { key: 'a', values: ['2'] },
    ]);
  });

  it('refuses a blank key', () => {
    expect(thrown(() => fromUpdateMeterRequest({ filters: [{ key: '  ', values: ['1'] }] })).details).toEqual({ 'filters[0].key': 'must not be blank' });
  });
});
