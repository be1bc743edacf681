import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WindowSize } from '../../../src/billing/period/index.ts';
import {
  aggregateEvents,
  aggregationTypes,
  meterUsageAggregation,
  planUsage,
  Quantity,
  toDecimalString,
  type AggregationType,
  type GroupKey,
  type PropertyFilter,
  type ResetUsage,
  type StoredAggregation,
  type UsageAggregation,
  type UsageEvent,
  type UsageQuery,
} from '../../../src/billing/usage/index.ts';
import { useTestServer } from '../../support/fixtures.ts';
import { insertEvents, insertMeter, scopeOf, type Scope } from '../../support/usage-data.ts';

/**
 * Differential test: the in-memory reference aggregator (src/billing/usage/reference-aggregator.ts)
 * and the SQL usage query (POST /v1/events/usage and /v1/events/usage/meter, aggregated inside
 * PostgreSQL or PGlite) must give identical answers — the same exact decimal for the value and for
 * every window or bucket — on the same random events, for every aggregation type, with and without
 * customers, filters, buckets, groups, windows, time zones, billing anchors and lifetime (NEVER)
 * meters. Bounded and seeded, so it is quick and repeatable.
 */

const day = 86_400_000;
const origin = Date.parse('2025-03-27T00:00:00Z'); // Europe's spring DST change falls inside the range
const ms = (t: number) => new Date(t).toISOString();

type GeneratedEvent = { customer: string; offset: number; twin: boolean; ingested: number; sameName: boolean; properties: Record<string, unknown>; source: string | null };

/** Numbers and numeric strings the SQL reads exactly, and values that read as 0. */
const numericProperty = fc.oneof(
  { arbitrary: fc.integer({ min: -1_000, max: 1_000 }), weight: 4 },
  { arbitrary: fc.constantFrom(0.1, 0.2, 2.5, -0.25, 1e-7, 1234.5678, 12345678901234567890, 1e21, 0.30000000000000004), weight: 3 },
  { arbitrary: fc.constantFrom('12.5', '1e3', '.5', '-0', '+7', '1.', '00012', '1e-4', '0.1000'), weight: 2 },
  { arbitrary: fc.constantFrom('abc', '', ' 5', 'NaN', 'Infinity', '1,5', '1e99999'), weight: 1 },
  { arbitrary: fc.constantFrom(true, false, null), weight: 1 },
);
const properties = fc.record(
  {
    n: numericProperty,
    u: fc.oneof(fc.constantFrom('alice', 'bob', 'carol', '42', ''), fc.constantFrom(42, 42.0, 7.50, true)),
    region: fc.oneof(fc.constantFrom('eu', 'us', ''), fc.constant(5)),
  },
  { requiredKeys: [] },
);
const event: fc.Arbitrary<GeneratedEvent> = fc.record({
  customer: fc.constantFrom('acme', 'acme', 'globex'),
  // On a coarse grid (ties for LATEST and for bucket edges) or anywhere, from 3 days before the origin.
  offset: fc.oneof(fc.integer({ min: -6, max: 24 }).map((h) => h * 6 * 3_600_000), fc.integer({ min: -3 * day, max: 10 * day })),
  // A twin shares the previous event's timestamp: LATEST must break the tie (stored last, then greatest id).
  twin: fc.integer({ min: 0, max: 3 }).map((n) => n === 0),
  ingested: fc.integer({ min: 0, max: 1 }),
  sameName: fc.integer({ min: 0, max: 9 }).map((n) => n > 0), // mostly the queried name; some another
  properties,
  source: fc.constantFrom('web', 'api', null),
});

type Query = {
  type: AggregationType;
  field: string;
  multiplier?: string;
  bucketSize?: WindowSize;
  groupBy?: string[];
  windowSize?: WindowSize;
  timezone: string;
  billingAnchor?: number;
  filters?: Record<string, string[]>;
  customer?: string;
  start: number;
  end: number;
  meter?: { resetUsage: ResetUsage; filters: PropertyFilter[] };
};

const windowOrder: WindowSize[] = ['MINUTE', '15MIN', '30MIN', 'HOUR', '3HOUR', '6HOUR', '12HOUR', 'DAY', 'WEEK', 'MONTH'];
const atLeast = (size: WindowSize | undefined) => (w: WindowSize) => size === undefined || windowOrder.indexOf(w) >= windowOrder.indexOf(size);

/** `arbitrary` about a third of the time, else null. */
const sometimes = <T,>(arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ arbitrary: fc.constant(null), weight: 2 }, { arbitrary, weight: 1 });

function query(type: AggregationType): fc.Arbitrary<Query> {
  const bucketed = type === 'MAX' || type === 'SUM';
  return fc
    .record({
      field: type === 'COUNT_UNIQUE' ? fc.constantFrom('u', 'u', 'n', 'region') : fc.constantFrom('n', 'n', 'n', 'u'),
      multiplier: fc.constantFrom('0.001', '2', '1.5', '3'),
      bucketSize: bucketed ? fc.option(fc.constantFrom<WindowSize>('15MIN', '30MIN', 'HOUR', '3HOUR', '12HOUR', 'DAY', 'WEEK')) : fc.constant(null),
      group: fc.constantFrom<string[]>(['properties.region'], ['source'], ['properties.region', 'source'], ['properties.u']),
      grouped: fc.boolean(),
      window: fc.option(fc.constantFrom<WindowSize>('30MIN', 'HOUR', '3HOUR', '6HOUR', '12HOUR', 'DAY', 'WEEK', 'MONTH')),
      // Whole-, half- and quarter-hour offsets; Berlin changes to summer time and Lord Howe (by 30 minutes) back inside the range.
      timezone: fc.constantFrom('UTC', 'Europe/Berlin', 'Asia/Kolkata', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe'),
      anchor: fc.option(fc.integer({ min: -40 * day, max: 0 })),
      filters: sometimes(fc.constantFrom<Record<string, string[]>>({ region: ['eu'] }, { region: ['eu', ''] }, { u: ['alice', '42'] }, { region: ['us'], u: ['bob', 'carol'] })),
      customer: fc.option(fc.constant('acme')),
      // Whole hours and days (the edges of windows and buckets) or anywhere; now and then empty.
      start: fc.oneof(fc.integer({ min: 0, max: 20 }).map((h) => h * 6 * 3_600_000), fc.integer({ min: 0, max: 5 * day })),
      length: fc.oneof(
        { arbitrary: fc.constantFrom(3_600_000, 6 * 3_600_000, day, 2 * day, 5 * day), weight: 3 },
        { arbitrary: fc.integer({ min: 1, max: 6 * day }).map((n) => Math.max(n, 6 * day - n)), weight: 3 },
        { arbitrary: fc.constant(0), weight: 1 },
      ),
      meter: sometimes(fc.record({ resetUsage: fc.constantFrom<ResetUsage>('BILLING_PERIOD', 'NEVER'), filters: fc.constantFrom<PropertyFilter[]>([], [{ key: 'region', values: ['eu', 'us'] }]) })),
    })
    .map((g): Query => {
      const bucketSize = g.bucketSize ?? undefined;
      // A meter groups by one property; a request by properties and source.
      const groupBy = type === 'MAX' && bucketSize && g.grouped ? (g.meter ? ['properties.region'] : g.group) : undefined;
      const windowSize = g.window !== null && atLeast(bucketSize)(g.window) ? g.window : undefined;
      return {
        type,
        field: g.field,
        multiplier: type === 'SUM_WITH_MULTIPLIER' ? g.multiplier : undefined,
        bucketSize,
        groupBy,
        windowSize,
        timezone: g.timezone,
        billingAnchor: windowSize === 'MONTH' || bucketSize !== undefined ? (g.anchor === null ? undefined : origin + g.anchor) : undefined,
        filters: g.filters ?? undefined,
        customer: g.customer ?? undefined,
        start: origin + g.start,
        end: origin + g.start + g.length,
        meter: g.meter ?? undefined,
      };
    });
}

const scenario = fc.record({
  events: fc.array(event, { minLength: 8, maxLength: 50 }),
  queries: fc.tuple(...aggregationTypes.map(query)),
});

const server = useTestServer();
let dev: Scope;
beforeAll(async () => {
  dev = await scopeOf(server, 'development');
});

let run = 0;

/** FlexPrice prints times without empty fractions, as the usage mapper does. */
const wireTime = (d: Date) => d.toISOString().replace('.000Z', 'Z');

const groupKey = (entry: string): GroupKey => (entry === 'source' ? { kind: 'source' } : { kind: 'property', name: entry.slice('properties.'.length) });

/** The reference's answer, from the same question the service is asked. */
function reference(q: Query, eventName: string, meterAggregation: StoredAggregation | undefined, events: UsageEvent[]) {
  const aggregation: UsageAggregation = meterAggregation
    ? meterUsageAggregation(meterAggregation, {}).aggregation
    : {
        type: q.type,
        field: q.type === 'COUNT' ? undefined : q.field,
        multiplier: q.multiplier === undefined ? undefined : new Quantity(q.multiplier),
        bucketSize: q.bucketSize,
        groupBy: q.groupBy?.map(groupKey),
      };
  const usageQuery: UsageQuery = {
    eventName,
    externalCustomerId: q.customer,
    aggregation,
    filters: [...(q.meter?.filters ?? []), ...Object.entries(q.filters ?? {}).map(([key, values]) => ({ key, values }))],
    start: new Date(q.start),
    end: new Date(q.end),
    windowSize: q.windowSize,
    calendar: { timezone: q.timezone, billingAnchor: q.billingAnchor === undefined ? undefined : new Date(q.billingAnchor) },
    resetUsage: q.meter?.resetUsage ?? 'BILLING_PERIOD',
  };
  const outcome = aggregateEvents(planUsage(usageQuery), events);
  return {
    value_decimal: toDecimalString(outcome.value),
    results: outcome.results?.map((r) => ({ window_size: wireTime(r.start), value_decimal: toDecimalString(r.value) })),
  };
}

async function sql(q: Query, eventName: string, meterId: string | undefined) {
  const common = {
    start_time: ms(q.start),
    end_time: ms(q.end),
    timezone: q.timezone,
    ...(q.windowSize ? { window_size: q.windowSize } : {}),
    ...(q.billingAnchor === undefined ? {} : { billing_anchor: ms(q.billingAnchor) }),
    ...(q.filters ? { filters: q.filters } : {}),
    ...(q.customer ? { external_customer_id: q.customer } : {}),
  };
  const res = meterId
    ? await server.api.post('/v1/events/usage/meter', { meter_id: meterId, ...common })
    : await server.api.post('/v1/events/usage', {
        event_name: eventName,
        aggregation_type: q.type,
        ...(q.type === 'COUNT' ? {} : { property_name: q.field }),
        ...(q.multiplier ? { multiplier: q.multiplier } : {}),
        ...(q.bucketSize ? { bucket_size: q.bucketSize } : {}),
        ...(q.groupBy ? { group_by: q.groupBy } : {}),
        ...common,
      });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return {
    value_decimal: res.body.value_decimal as string,
    results: (res.body.results as Array<{ window_size: string; value_decimal: string }> | undefined)?.map((r) => ({ window_size: r.window_size, value_decimal: r.value_decimal })),
  };
}

describe('usage: the reference aggregator and the SQL query agree', () => {
  it('on random events, for every aggregation type', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ events, queries }) => {
        const id = ++run;
        const eventName = `usage_diff_${id}`;
        const offsets = events.reduce<number[]>((acc, e, i) => [...acc, e.twin && i > 0 ? acc[i - 1] : e.offset], []);
        const stored: UsageEvent[] = events.map((e, i) => ({
          // Fixed-width ids: the LATEST tie-break (greatest id) reads the same in any collation.
          id: `diff-${String(id).padStart(4, '0')}-${String(i).padStart(3, '0')}`,
          eventName: e.sameName ? eventName : `${eventName}_other`,
          externalCustomerId: e.customer,
          timestamp: new Date(origin + offsets[i]),
          properties: e.properties,
          source: e.source,
          ingestedAt: new Date(origin + 11 * day + e.ingested * 1_000),
        }));
        await insertEvents(
          server,
          dev,
          stored.map((e) => ({
            id: e.id,
            eventName: e.eventName,
            externalCustomerId: e.externalCustomerId,
            timestamp: e.timestamp.toISOString(),
            properties: e.properties,
            ...(e.source === null ? {} : { source: e.source ?? undefined }),
            ingestedAt: e.ingestedAt!.toISOString(),
          })),
        );
        for (const [i, q] of queries.entries()) {
          let meterId: string | undefined;
          let meterAggregation: StoredAggregation | undefined;
          if (q.meter) {
            meterId = `meter_diff_${id}_${i}`;
            meterAggregation = {
              type: q.type,
              ...(q.type === 'COUNT' ? {} : { field: q.field }),
              ...(q.multiplier ? { multiplier: q.multiplier } : {}),
              ...(q.bucketSize ? { bucket_size: q.bucketSize } : {}),
              ...(q.groupBy ? { group_by: q.groupBy[0].slice('properties.'.length) } : {}),
            };
            await insertMeter(server, dev, { id: meterId, eventName, aggregation: meterAggregation, filters: q.meter.filters, resetUsage: q.meter.resetUsage });
          }
          const expected = reference(q, eventName, meterAggregation, stored);
          expect(await sql(q, eventName, meterId), JSON.stringify({ query: q, events: stored })).toEqual(expected);
        }
      }),
      { seed: 20261204, numRuns: 30, endOnFailure: true },
    );
  });
});
