import { describe, expect, it } from 'vitest';
import type { WindowSize } from '../period/index.ts';
import { Quantity, toDecimalString } from './quantity.ts';
import { aggregateEvents, type UsageEvent } from './reference-aggregator.ts';
import { planUsage, type UsageAggregation, type UsageQuery } from './usage-query.ts';

let nextId = 0;
function event(at: string, properties: Record<string, unknown> = {}, more: Partial<UsageEvent> = {}): UsageEvent {
  return { id: `e${++nextId}`, eventName: 'usage', externalCustomerId: 'acme', timestamp: new Date(at), properties, ...more };
}

type QueryOptions = Partial<Omit<UsageQuery, 'start' | 'end' | 'aggregation'>> & { start?: string; end?: string };
function run(aggregation: UsageAggregation, events: UsageEvent[], options: QueryOptions = {}) {
  const { start = '2025-01-01T00:00:00Z', end = '2025-02-01T00:00:00Z', ...rest } = options;
  const query: UsageQuery = {
    eventName: 'usage',
    aggregation,
    filters: [],
    calendar: { timezone: 'UTC' },
    resetUsage: 'BILLING_PERIOD',
    ...rest,
    start: new Date(start),
    end: new Date(end),
  };
  const outcome = aggregateEvents(planUsage(query), events);
  return {
    value: toDecimalString(outcome.value),
    results: outcome.results?.map((r) => [r.start.toISOString(), toDecimalString(r.value)]),
  };
}
const windowed = (size: WindowSize, options: QueryOptions = {}): QueryOptions => ({ windowSize: size, ...options });

describe('FlexPrice\'s worked aggregation examples (docs/flexprice-compatibility.md#usage-aggregation)', () => {
  it('WEIGHTED_SUM: 100 GB at day 0 and 40 GB at day 15 of a 30-day window → 120 GB-months', () => {
    const events = [event('2025-01-01T00:00:00Z', { gb: 100 }), event('2025-01-16T00:00:00Z', { gb: 40 })];
    expect(run({ type: 'WEIGHTED_SUM', field: 'gb' }, events, { end: '2025-01-31T00:00:00Z' }).value).toBe('120');
  });

  it('bucketed MAX: hourly peaks 5, 8 and 3 → 16', () => {
    const events = [
      event('2025-01-01T00:05:00Z', { conns: 2 }),
      event('2025-01-01T00:30:00Z', { conns: 5 }),
      event('2025-01-01T00:59:59Z', { conns: 1 }),
      event('2025-01-01T01:10:00Z', { conns: 8 }),
      event('2025-01-01T01:50:00Z', { conns: 7 }),
      event('2025-01-01T02:00:00Z', { conns: 3 }),
    ];
    const result = run({ type: 'MAX', field: 'conns', bucketSize: 'HOUR' }, events);
    expect(result.value).toBe('16');
    // Without window_size the results are the non-empty buckets, as FlexPrice returns them.
    expect(result.results).toEqual([
      ['2025-01-01T00:00:00.000Z', '5'],
      ['2025-01-01T01:00:00.000Z', '8'],
      ['2025-01-01T02:00:00.000Z', '3'],
    ]);
    // The plain MAX of the same events is the single peak.
    expect(run({ type: 'MAX', field: 'conns' }, events).value).toBe('8');
  });

  it('bucketed MAX grouped by server_id: peaks (3,2), (4,4), (1,0) → 5 + 8 + 1 = 14', () => {
    const events = [
      event('2025-01-01T00:10:00Z', { conns: 3, server_id: 'a' }),
      event('2025-01-01T00:20:00Z', { conns: 2, server_id: 'b' }),
      event('2025-01-01T00:30:00Z', { conns: 1, server_id: 'a' }),
      event('2025-01-01T01:10:00Z', { conns: 4, server_id: 'a' }),
      event('2025-01-01T01:20:00Z', { conns: 4, server_id: 'b' }),
      event('2025-01-01T01:30:00Z', { conns: 1, server_id: 'b' }),
      event('2025-01-01T02:10:00Z', { conns: 1, server_id: 'a' }),
      event('2025-01-01T02:20:00Z', { conns: 0, server_id: 'b' }),
    ];
    const grouped = run({ type: 'MAX', field: 'conns', bucketSize: 'HOUR', groupBy: [{ kind: 'property', name: 'server_id' }] }, events);
    expect(grouped.value).toBe('14');
    expect(grouped.results?.map(([, v]) => v)).toEqual(['5', '8', '1']);
  });

  it('COUNT_UNIQUE of user_id over alice, bob, alice, carol → 3', () => {
    const events = ['alice', 'bob', 'alice', 'carol'].map((user, i) => event(`2025-01-0${i + 1}T00:00:00Z`, { user_id: user }));
    expect(run({ type: 'COUNT_UNIQUE', field: 'user_id' }, events).value).toBe('3');
  });

  it('SUM_WITH_MULTIPLIER: 0.001 × 2,500,000 bytes → 2,500', () => {
    const events = [event('2025-01-02T00:00:00Z', { bytes: 1_000_000 }), event('2025-01-03T00:00:00Z', { bytes: '1500000' })];
    expect(run({ type: 'SUM_WITH_MULTIPLIER', field: 'bytes', multiplier: new Quantity('0.001') }, events).value).toBe('2500');
  });
});

describe('exact decimals', () => {
  it('sums 0.1 ten times to exactly 1', () => {
    const events = Array.from({ length: 10 }, (_, i) => event(`2025-01-01T00:00:0${i}Z`, { tokens: 0.1 }));
    expect(run({ type: 'SUM', field: 'tokens' }, events).value).toBe('1');
  });

  it('averages to 20 decimal places, rounded once', () => {
    const events = [1, 1, 2].map((v, i) => event(`2025-01-01T00:00:0${i}Z`, { v }));
    expect(run({ type: 'AVG', field: 'v' }, events).value).toBe('1.33333333333333333333');
  });

  it('counts missing and non-numeric values as 0 and numeric strings as numbers', () => {
    const events = [event('2025-01-01T01:00:00Z', { v: '12.5' }), event('2025-01-01T02:00:00Z', { v: 'lots' }), event('2025-01-01T03:00:00Z', {})];
    expect(run({ type: 'SUM', field: 'v' }, events).value).toBe('12.5');
    expect(run({ type: 'AVG', field: 'v' }, events).value).toBe('4.16666666666666666667');
    expect(run({ type: 'COUNT' }, events).value).toBe('3');
    const negative = [event('2025-01-01T01:00:00Z', { v: -5 }), event('2025-01-01T02:00:00Z', { v: -3 })];
    expect(run({ type: 'MAX', field: 'v' }, negative).value).toBe('-3');
    expect(run({ type: 'MAX', field: 'v' }, [...negative, event('2025-01-01T03:00:00Z', {})]).value).toBe('0');
  });
});

describe('which events count', () => {
  it('takes the half-open range: an event at start is in, one at end is out', () => {
    const events = [
      event('2024-12-31T23:59:59.999Z', { v: 1 }),
      event('2025-01-01T00:00:00Z', { v: 10 }),
      event('2025-01-31T23:59:59.999Z', { v: 100 }),
      event('2025-02-01T00:00:00Z', { v: 1000 }),
    ];
    expect(run({ type: 'SUM', field: 'v' }, events).value).toBe('110');
    expect(run({ type: 'COUNT' }, events).value).toBe('2');
  });

  it('keeps only the event name, the customer and events matching every filter', () => {
    const events = [
      event('2025-01-02T00:00:00Z', { v: 1, region: 'eu', tier: 'pro' }),
      event('2025-01-02T00:00:00Z', { v: 2, region: 'us', tier: 'pro' }),
      event('2025-01-02T00:00:00Z', { v: 4, region: 'eu', tier: 'free' }),
      event('2025-01-02T00:00:00Z', { v: 8, region: 'eu', tier: 'pro' }, { externalCustomerId: 'globex' }),
      event('2025-01-02T00:00:00Z', { v: 16, region: 'eu', tier: 'pro' }, { eventName: 'other' }),
      event('2025-01-02T00:00:00Z', { v: 32, region: 'ap' }),
      event('2025-01-02T00:00:00Z', { v: 64, region: 5 }),
    ];
    const filters = [
      { key: 'region', values: ['eu', 'us'] },
      { key: 'tier', values: ['pro'] },
    ];
    expect(run({ type: 'SUM', field: 'v' }, events, { filters, externalCustomerId: 'acme' }).value).toBe('3');
    expect(run({ type: 'SUM', field: 'v' }, events, { filters }).value).toBe('11');
    // A number never equals a string value; a missing property reads as "".
    expect(run({ type: 'SUM', field: 'v' }, events, { filters: [{ key: 'region', values: ['5'] }] }).value).toBe('0');
    expect(run({ type: 'SUM', field: 'v' }, events, { filters: [{ key: 'tier', values: [''] }] }).value).toBe('96');
  });

  it('counts an event id once', () => {
    const e = event('2025-01-02T00:00:00Z', { v: 5 });
    expect(run({ type: 'SUM', field: 'v' }, [e, { ...e }, e]).value).toBe('5');
  });
});

describe('window_size results', () => {
  const events = [
    event('2025-01-01T10:00:00Z', { v: 1, user: 'a' }),
    event('2025-01-01T11:00:00Z', { v: 2, user: 'b' }),
    event('2025-01-03T09:00:00Z', { v: 4, user: 'a' }),
    event('2025-01-03T09:00:00Z', { v: 8, user: 'c' }, { ingestedAt: new Date('2025-01-03T09:00:01Z') }),
  ];
  const range = { start: '2025-01-01T00:00:00Z', end: '2025-01-04T00:00:00Z' };

  it('reports every window, empty ones as 0, and the value over the whole range', () => {
    expect(run({ type: 'SUM', field: 'v' }, events, windowed('DAY', range))).toEqual({
      value: '15',
      results: [
        ['2025-01-01T00:00:00.000Z', '3'],
        ['2025-01-02T00:00:00.000Z', '0'],
        ['2025-01-03T00:00:00.000Z', '12'],
      ],
    });
    expect(run({ type: 'MAX', field: 'v' }, events, windowed('DAY', range)).results?.map(([, v]) => v)).toEqual(['2', '0', '8']);
    expect(run({ type: 'AVG', field: 'v' }, events, windowed('DAY', range)).results?.map(([, v]) => v)).toEqual(['1.5', '0', '6']);
    expect(run({ type: 'AVG', field: 'v' }, events, windowed('DAY', range)).value).toBe('3.75');
  });

  it('LATEST takes the newest event; a tie goes to the one stored last', () => {
    const r = run({ type: 'LATEST', field: 'v' }, events, windowed('DAY', range));
    expect(r.results?.map(([, v]) => v)).toEqual(['2', '0', '8']);
    expect(r.value).toBe('8');
  });

  it('COUNT_UNIQUE counts per window, and over the range counts each value once', () => {
    const r = run({ type: 'COUNT_UNIQUE', field: 'user' }, events, windowed('DAY', range));
    expect(r.results?.map(([, v]) => v)).toEqual(['2', '0', '2']);
    expect(r.value).toBe('3');
  });

  it('cuts DAY windows at local midnight in the requested zone, across DST', () => {
    const berlin = [
      event('2025-03-29T22:59:59Z', { v: 1 }), // 23:59:59 CET on the 29th
      event('2025-03-29T23:00:00Z', { v: 2 }), // 00:00 CET on the 30th
      event('2025-03-30T21:59:59Z', { v: 4 }), // 23:59:59 CEST on the 30th
      event('2025-03-30T22:00:00Z', { v: 8 }), // 00:00 CEST on the 31st
    ];
    const r = run({ type: 'SUM', field: 'v' }, berlin, windowed('DAY', { start: '2025-03-28T23:00:00Z', end: '2025-03-31T22:00:00Z', calendar: { timezone: 'Europe/Berlin' } }));
    expect(r.results).toEqual([
      ['2025-03-28T23:00:00.000Z', '1'],
      ['2025-03-29T23:00:00.000Z', '6'],
      ['2025-03-30T22:00:00.000Z', '8'],
    ]);
  });

  it('follows a billing anchor on the 31st for MONTH windows', () => {
    const monthly = [event('2025-02-27T12:00:00Z', { v: 1 }), event('2025-02-28T00:00:00Z', { v: 2 }), event('2025-03-31T00:00:00Z', { v: 4 })];
    const r = run(
      { type: 'SUM', field: 'v' },
      monthly,
      windowed('MONTH', { start: '2025-01-31T00:00:00Z', end: '2025-04-30T00:00:00Z', calendar: { timezone: 'UTC', billingAnchor: new Date('2024-12-31T00:00:00Z') } }),
    );
    expect(r.results).toEqual([
      ['2025-01-31T00:00:00.000Z', '1'],
      ['2025-02-28T00:00:00.000Z', '2'],
      ['2025-03-31T00:00:00.000Z', '4'],
    ]);
  });

  it('sums bucket maxima into the window holding each bucket', () => {
    const peaks = [event('2025-01-01T00:10:00Z', { c: 5 }), event('2025-01-01T01:10:00Z', { c: 8 }), event('2025-01-02T05:00:00Z', { c: 3 })];
    const r = run({ type: 'MAX', field: 'c', bucketSize: 'HOUR' }, peaks, windowed('DAY', { start: '2025-01-01T00:00:00Z', end: '2025-01-03T00:00:00Z' }));
    expect(r).toEqual({ value: '16', results: [['2025-01-01T00:00:00.000Z', '13'], ['2025-01-02T00:00:00.000Z', '3']] });
  });

  it('gives bucketed SUM per-bucket results without window_size', () => {
    const r = run({ type: 'SUM', field: 'v', bucketSize: 'DAY' }, events, range);
    expect(r).toEqual({ value: '15', results: [['2025-01-01T00:00:00.000Z', '3'], ['2025-01-03T00:00:00.000Z', '12']] });
  });

  it('splits a WEIGHTED_SUM into windows that add up to the value', () => {
    const r = run({ type: 'WEIGHTED_SUM', field: 'gb' }, [event('2025-01-01T00:00:00Z', { gb: 100 }), event('2025-01-16T00:00:00Z', { gb: 40 })], windowed('MONTH', { end: '2025-01-31T00:00:00Z' }));
    expect(r).toEqual({ value: '120', results: [['2025-01-01T00:00:00.000Z', '120']] });
  });
});

describe('reset_usage NEVER: cumulative usage', () => {
  const history = [event('2024-11-15T00:00:00Z', { v: 100, user: 'a' }), event('2024-12-31T23:59:59Z', { v: 10, user: 'b' })];
  const current = [event('2025-01-01T00:00:00Z', { v: 1, user: 'a' }), event('2025-01-03T00:00:00Z', { v: 2, user: 'c' })];
  const never = { resetUsage: 'NEVER' as const, start: '2025-01-01T00:00:00Z', end: '2025-01-04T00:00:00Z' };

  it('includes everything before start in the value', () => {
    expect(run({ type: 'SUM', field: 'v' }, [...history, ...current], never).value).toBe('113');
    expect(run({ type: 'COUNT' }, [...history, ...current], never).value).toBe('4');
    expect(run({ type: 'COUNT_UNIQUE', field: 'user' }, [...history, ...current], never).value).toBe('3');
    expect(run({ type: 'MAX', field: 'v' }, [...history, ...current], never).value).toBe('100');
    expect(run({ type: 'LATEST', field: 'v' }, [...history, ...current], never).value).toBe('2');
    // Without NEVER only the range counts.
    expect(run({ type: 'SUM', field: 'v' }, [...history, ...current], { ...never, resetUsage: 'BILLING_PERIOD' }).value).toBe('3');
  });

  it('makes every window lifetime usage up to its end', () => {
    const all = [...history, ...current];
    expect(run({ type: 'SUM', field: 'v' }, all, windowed('DAY', never)).results?.map(([, v]) => v)).toEqual(['111', '111', '113']);
    expect(run({ type: 'COUNT_UNIQUE', field: 'user' }, all, windowed('DAY', never)).results?.map(([, v]) => v)).toEqual(['2', '2', '3']);
    expect(run({ type: 'LATEST', field: 'v' }, all, windowed('DAY', never)).results?.map(([, v]) => v)).toEqual(['1', '1', '2']);
    expect(run({ type: 'AVG', field: 'v' }, all, windowed('DAY', never)).results?.map(([, v]) => v)).toEqual(['37', '37', '28.25']);
  });

  it('counts earlier WEIGHTED_SUM increments with weight 1: they held for the whole period', () => {
    const storage = [event('2024-12-01T00:00:00Z', { gb: 50 }), event('2025-01-16T00:00:00Z', { gb: 40 })];
    expect(run({ type: 'WEIGHTED_SUM', field: 'gb' }, storage, { resetUsage: 'NEVER', end: '2025-01-31T00:00:00Z' }).value).toBe('70');
  });

  it('keeps history buckets out of the bucket results but in their values', () => {
    const peaks = [event('2024-12-31T10:00:00Z', { c: 7 }), event('2025-01-01T00:10:00Z', { c: 5 }), event('2025-01-01T01:10:00Z', { c: 8 })];
    const r = run({ type: 'MAX', field: 'c', bucketSize: 'HOUR' }, peaks, { resetUsage: 'NEVER', end: '2025-01-02T00:00:00Z' });
    expect(r).toEqual({ value: '20', results: [['2025-01-01T00:00:00.000Z', '12'], ['2025-01-01T01:00:00.000Z', '20']] });
  });
});

describe('empty ranges', () => {
  it('are 0, with no windows', () => {
    expect(run({ type: 'SUM', field: 'v' }, [], windowed('DAY'))).toEqual({ value: '0', results: Array.from({ length: 31 }, (_, i) => [new Date(Date.UTC(2025, 0, i + 1)).toISOString(), '0']) });
    expect(run({ type: 'AVG', field: 'v' }, [])).toEqual({ value: '0' });
    expect(run({ type: 'WEIGHTED_SUM', field: 'v' }, [event('2025-01-01T00:00:00Z', { v: 1 })], { end: '2025-01-01T00:00:00Z' })).toEqual({ value: '0' });
  });
});
