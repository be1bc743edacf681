import { describe, expect, it } from 'vitest';
import type { WindowSize } from '../period/index.ts';
import { aggregationProblems, meterUsageAggregation, type StoredAggregation } from './aggregation-rules.ts';
import { Quantity } from './quantity.ts';
import type { UsageAggregation } from './usage-query.ts';

const two = new Quantity(2);

describe('aggregationProblems: what an aggregation may combine', () => {
  it.each<[string, UsageAggregation, WindowSize | undefined, Array<[string, string]>]>([
    // [case, aggregation, window_size, problems]
    ['COUNT needs nothing', { type: 'COUNT' }, undefined, []],
    ['SUM of a property', { type: 'SUM', field: 'tokens' }, undefined, []],
    ['SUM without a property (FlexPrice would count instead)', { type: 'SUM' }, undefined, [['field', 'is required for SUM (FlexPrice would count events instead; ask for COUNT to do that)']]],
    ['LATEST with an empty property', { type: 'LATEST', field: '' }, undefined, [['field', 'is required for LATEST (FlexPrice would count events instead; ask for COUNT to do that)']]],
    ['SUM_WITH_MULTIPLIER with its multiplier', { type: 'SUM_WITH_MULTIPLIER', field: 'bytes', multiplier: two }, undefined, []],
    ['SUM_WITH_MULTIPLIER without one', { type: 'SUM_WITH_MULTIPLIER', field: 'bytes' }, undefined, [['multiplier', 'is required for SUM_WITH_MULTIPLIER']]],
    ['a multiplier on SUM', { type: 'SUM', field: 'bytes', multiplier: two }, undefined, [['multiplier', 'is only allowed with SUM_WITH_MULTIPLIER']]],
    ['bucketed MAX grouped by a property', { type: 'MAX', field: 'conns', bucketSize: 'HOUR', groupBy: [{ kind: 'property', name: 'server' }] }, 'DAY', []],
    ['bucketed SUM', { type: 'SUM', field: 'gb', bucketSize: 'DAY' }, undefined, []],
    ['buckets on AVG', { type: 'AVG', field: 'ms', bucketSize: 'HOUR' }, undefined, [['bucket_size', 'is only allowed with MAX and SUM']]],
    ['groups without buckets', { type: 'MAX', field: 'conns', groupBy: [{ kind: 'source' }] }, undefined, [['group_by', 'is only allowed with MAX and a bucket_size']]],
    ['groups on a bucketed SUM', { type: 'SUM', field: 'gb', bucketSize: 'HOUR', groupBy: [{ kind: 'source' }] }, undefined, [['group_by', 'is only allowed with MAX and a bucket_size']]],
    ['windows shorter than buckets', { type: 'MAX', field: 'conns', bucketSize: 'HOUR' }, '30MIN', [['window_size', 'must not be shorter than bucket_size (HOUR)']]],
    ['windows as long as buckets', { type: 'MAX', field: 'conns', bucketSize: 'HOUR' }, 'HOUR', []],
    [
      'everything at once, in the order of the members',
      { type: 'COUNT_UNIQUE', multiplier: two, bucketSize: 'DAY', groupBy: [{ kind: 'source' }] },
      'HOUR',
      [
        ['field', 'is required for COUNT_UNIQUE (FlexPrice would count events instead; ask for COUNT to do that)'],
        ['multiplier', 'is only allowed with SUM_WITH_MULTIPLIER'],
        ['bucket_size', 'is only allowed with MAX and SUM'],
        ['group_by', 'is only allowed with MAX and a bucket_size'],
        ['window_size', 'must not be shorter than bucket_size (DAY)'],
      ],
    ],
  ])('%s', (_case, aggregation, windowSize, expected) => {
    expect(aggregationProblems(aggregation, windowSize).map((p) => [p.member, p.message])).toEqual(expected);
  });
});

describe('meterUsageAggregation: a stored meter, as FlexPrice applies it', () => {
  it.each<[string, StoredAggregation, UsageAggregation]>([
    ['COUNT reads no property, even one that is stored', { type: 'COUNT', field: 'tokens' }, { type: 'COUNT' }],
    ['a SUM_WITH_MULTIPLIER without multiplier multiplies by 1', { type: 'SUM_WITH_MULTIPLIER', field: 'bytes' }, { type: 'SUM_WITH_MULTIPLIER', field: 'bytes', multiplier: new Quantity(1) }],
    ['the stored multiplier, exactly', { type: 'SUM_WITH_MULTIPLIER', field: 'bytes', multiplier: '0.001' }, { type: 'SUM_WITH_MULTIPLIER', field: 'bytes', multiplier: new Quantity('0.001') }],
    ['bucket_size is dropped on AVG', { type: 'AVG', field: 'ms', bucket_size: 'HOUR' }, { type: 'AVG', field: 'ms' }],
    ['group_by is dropped without buckets', { type: 'MAX', field: 'conns', group_by: 'server' }, { type: 'MAX', field: 'conns' }],
    ['an empty bucket_size is none', { type: 'MAX', field: 'conns', bucket_size: '', group_by: 'server' }, { type: 'MAX', field: 'conns' }],
    ['a grouped bucketed MAX', { type: 'MAX', field: 'conns', bucket_size: 'HOUR', group_by: 'server' }, { type: 'MAX', field: 'conns', bucketSize: 'HOUR', groupBy: [{ kind: 'property', name: 'server' }] }],
  ])('%s', (_case, stored, expected) => {
    const { aggregation, problem } = meterUsageAggregation(stored, {});
    expect(problem).toBeUndefined();
    expect(aggregation).toEqual(expected);
  });

  it.each<[string, StoredAggregation, { bucketSize?: WindowSize; windowSize?: WindowSize }, unknown]>([
    ['an expression, before anything else', { type: 'SUM', field: 'n', expression: 'n * 2', bucket_size: 'HOUR' }, { bucketSize: 'DAY' }, { kind: 'expression' }],
    ['a request bucket_size other than the meter’s', { type: 'MAX', field: 'n', bucket_size: 'HOUR' }, { bucketSize: 'DAY' }, { kind: 'bucket_size', message: "is the meter's (HOUR) and cannot be changed per request" }],
    ['a request bucket_size on a meter without one', { type: 'SUM', field: 'n' }, { bucketSize: 'DAY' }, { kind: 'bucket_size', message: 'cannot be set: the meter has no bucket_size' }],
    [
      'a stored aggregation without its property',
      { type: 'SUM' },
      { windowSize: 'DAY' },
      { kind: 'aggregation', problems: [{ member: 'field', message: 'is required for SUM (FlexPrice would count events instead; ask for COUNT to do that)' }] },
    ],
    ['windows shorter than the meter’s buckets', { type: 'MAX', field: 'n', bucket_size: 'HOUR' }, { windowSize: 'MINUTE' }, { kind: 'window_size', message: 'must not be shorter than bucket_size (HOUR)' }],
  ])('refuses %s', (_case, stored, request, problem) => {
    expect(meterUsageAggregation(stored, request).problem).toEqual(problem);
  });

  it('accepts the request repeating the meter’s own bucket_size', () => {
    expect(meterUsageAggregation({ type: 'MAX', field: 'n', bucket_size: 'HOUR' }, { bucketSize: 'HOUR', windowSize: 'DAY' }).problem).toBeUndefined();
  });
});
