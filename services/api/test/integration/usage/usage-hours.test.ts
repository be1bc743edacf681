import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { aggregateEvents, meterUsageAggregation, planUsage, toDecimalString, type PropertyFilter, type ResetUsage, type StoredAggregation, type UsageEvent } from '../../../src/billing/usage/index.ts';
import { useTestServer } from '../../support/fixtures.ts';
import { insertEvents, insertMeter, scopeOf, type Scope } from '../../support/usage-data.ts';

/**
 * A meter's hourly usage (table meter_usage_hours, kept by the database's triggers on events and
 * meters) answers the whole hours of a COUNT or SUM meter's usage for one customer, the events the
 * partial hours at the edges. Two checks: the table always equals the events regrouped (events
 * inserted before the meter — the rebuild — and after it — the insert trigger —, duplicates skipped,
 * filters changed); and `POST /v1/events/usage/meter` answers what the reference aggregator
 * computes from the events in memory, on random events and ranges, aligned to hours or not.
 */

const hour = 3_600_000;
const day = 24 * hour;
const origin = Date.parse('2025-06-01T00:00:00Z');
const ms = (t: number) => new Date(t).toISOString();

const server = useTestServer();
let dev: Scope;
beforeAll(async () => {
  dev = await scopeOf(server, 'development');
});

type HourRow = { meter_id: string; external_customer_id: string; hour: string; event_count: string; value_sum: string };

/** The meter's hours as stored, and as recomputed from the events with the same rules, both in the same order. */
async function hoursOf(meterId: string): Promise<{ stored: HourRow[]; recomputed: HourRow[] }> {
  const conn = server.orm.em.fork().getConnection();
  const stored = await conn.execute<HourRow[]>(
    `select meter_id, external_customer_id, to_char(hour at time zone 'UTC', 'YYYY-MM-DD HH24') as hour, event_count::text, trim_scale(value_sum)::text as value_sum
     from meter_usage_hours where meter_id = ? order by 2, 3`,
    [meterId],
  );
  const recomputed = await conn.execute<HourRow[]>(
    `select m.id as meter_id, e.external_customer_id, to_char(date_trunc('hour', e.timestamp at time zone 'UTC'), 'YYYY-MM-DD HH24') as hour, count(*)::text as event_count,
            trim_scale(coalesce(sum(case when m.aggregation ->> 'type' = 'COUNT' then 0 else meter_usage_value(e.properties, m.aggregation ->> 'field') end), 0))::text as value_sum
     from meters m join events e on e.tenant_id = m.tenant_id and e.environment_id = m.environment_id and e.event_name = m.event_name and meter_filters_match(e.properties, m.filters)
     where m.id = ? group by 1, 2, 3 order by 2, 3`,
    [meterId],
  );
  return { stored, recomputed };
}

const numeric = fc.oneof(
  fc.integer({ min: -500, max: 500 }),
  fc.constantFrom(0.1, 2.5, -0.25, 1e-7, 1234.5678, '12.5', '1e3', '.5', 'abc', '', true, null),
);
const event = fc.record({
  customer: fc.constantFrom('acme', 'acme', 'globex'),
  // On whole hours (the rollup's edges) or anywhere in two days: dense enough that ranges' partial hours hold events.
  // Unbiased: fast-check's default leans to the bounds, which would leave most partial hours empty.
  offset: fc.noBias(fc.oneof(fc.integer({ min: 0, max: 48 }).map((h) => h * hour), fc.integer({ min: 0, max: 2 * day - 1 }))),
  properties: fc.record({ n: numeric, region: fc.constantFrom('eu', 'us', 5) }, { requiredKeys: [] }),
});
const range = fc.record({
  start: fc.noBias(fc.oneof(fc.integer({ min: 0, max: 24 }).map((h) => h * hour), fc.integer({ min: 0, max: day }))),
  length: fc.noBias(fc.oneof(fc.integer({ min: 0, max: 36 }).map((h) => h * hour), fc.integer({ min: 0, max: 36 * hour }))),
  customer: fc.constantFrom('acme', 'globex'),
});
const scenario = fc.record({
  before: fc.array(event, { minLength: 20, maxLength: 60 }),
  after: fc.array(event, { minLength: 20, maxLength: 60 }),
  type: fc.constantFrom<'COUNT' | 'SUM' | 'SUM_WITH_MULTIPLIER'>('COUNT', 'SUM', 'SUM_WITH_MULTIPLIER'),
  filters: fc.constantFrom<PropertyFilter[]>([], [{ key: 'region', values: ['eu'] }], [{ key: 'region', values: ['eu', 'us'] }]),
  resetUsage: fc.constantFrom<ResetUsage>('BILLING_PERIOD', 'NEVER'),
  ranges: fc.array(range, { minLength: 1, maxLength: 6 }),
});

let run = 0;

describe('meter usage hours', () => {
  it('answer every range as the events do, and equal the events regrouped, before and after the meter exists', { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (s) => {
        const id = ++run;
        const eventName = `hours_${id}`;
        const meterId = `meter_hours_${id}`;
        const toStored = (list: typeof s.before, batch: string): UsageEvent[] =>
          list.map((e, i) => ({ id: `${batch}-${id}-${i}`, eventName, externalCustomerId: e.customer, timestamp: new Date(origin + e.offset), properties: e.properties }));
        const write = (list: UsageEvent[]) =>
          insertEvents(server, dev, list.map((e) => ({ id: e.id, eventName, externalCustomerId: e.externalCustomerId, timestamp: e.timestamp.toISOString(), properties: e.properties })));
        const before = toStored(s.before, 'b');
        const after = toStored(s.after, 'a');
        await write(before);
        const aggregation: StoredAggregation = { type: s.type, ...(s.type === 'COUNT' ? {} : { field: 'n' }), ...(s.type === 'SUM_WITH_MULTIPLIER' ? { multiplier: '1.5' } : {}) };
        await insertMeter(server, dev, { id: meterId, eventName, aggregation, filters: s.filters, resetUsage: s.resetUsage });
        await write(after);

        const { stored, recomputed } = await hoursOf(meterId);
        expect(stored).toEqual(recomputed);

        const all = [...before, ...after];
        for (const r of s.ranges) {
          const start = origin + r.start;
          const end = start + r.length;
          const plan = planUsage({
            eventName,
            externalCustomerId: r.customer,
            aggregation: meterUsageAggregation(aggregation, {}).aggregation,
            filters: s.filters,
            start: new Date(start),
            end: new Date(end),
            calendar: { timezone: 'UTC' },
            resetUsage: s.resetUsage,
          });
          const expected = toDecimalString(aggregateEvents(plan, all).value);
          const res = await server.api.post('/v1/events/usage/meter', { meter_id: meterId, external_customer_id: r.customer, start_time: ms(start), end_time: ms(end) });
          expect(res.status, JSON.stringify(res.body)).toBe(200);
          expect(res.body.value_decimal, JSON.stringify({ range: r, type: s.type, filters: s.filters, events: all })).toBe(expected);
        }
      }),
      { seed: 20261206, numRuns: 40, endOnFailure: true },
    );
  });

  it('count a resent event once, and are rebuilt when the meter’s filters change', async () => {
    const meter = await server.api.post('/v1/meters', { name: 'Hour calls', event_name: 'hours.call', aggregation: { type: 'SUM', field: 'units' }, reset_usage: 'BILLING_PERIOD' });
    expect(meter.status, JSON.stringify(meter.body)).toBe(201);
    const events = [
      { event_id: 'hc_1', region: 'eu', units: 2, at: '2025-07-01T10:15:00Z' },
      { event_id: 'hc_2', region: 'us', units: 3, at: '2025-07-01T10:45:00Z' },
      { event_id: 'hc_3', region: 'eu', units: 5, at: '2025-07-01T11:05:00Z' },
    ].map((e) => ({ event_name: 'hours.call', external_customer_id: 'hours_cust', event_id: e.event_id, timestamp: e.at, properties: { units: e.units, region: e.region } }));
    expect((await server.api.post('/v1/events/bulk', { events })).status).toBe(202);
    // The same events again, and one of them alone: stored once each.
    expect((await server.api.post('/v1/events/bulk', { events })).status).toBe(202);
    expect((await server.api.post('/v1/events', events[0])).status).toBe(202);

    const usage = async (start = '2025-07-01T00:00:00Z', end = '2025-07-02T00:00:00Z') => {
      const res = await server.api.post('/v1/events/usage/meter', { meter_id: meter.body.id, external_customer_id: 'hours_cust', start_time: start, end_time: end });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.value_decimal as string;
    };
    const rows = async () => (await hoursOf(meter.body.id as string)).stored.map((r) => [r.hour, r.event_count, r.value_sum]);
    expect(await rows()).toEqual([
      ['2025-07-01 10', '2', '5'],
      ['2025-07-01 11', '1', '5'],
    ]);
    expect(await usage()).toBe('10');
    // Partial hours at both edges come from the events, the whole hour between from the table.
    expect(await usage('2025-07-01T10:30:00Z', '2025-07-01T12:30:00Z')).toBe('8'); // 3 (10:45, an edge) + 5 (hour 11)
    expect(await usage('2025-07-01T09:59:00Z', '2025-07-01T11:05:00Z')).toBe('5'); // hour 10; 11:05 is the end, excluded
    expect(await usage('2025-07-01T10:00:00Z', '2025-07-01T11:05:01Z')).toBe('10'); // hour 10, and 11:05 in the edge
    expect(await usage('2025-07-01T10:30:00Z', '2025-07-01T11:30:00Z')).toBe('8'); // no whole hour: the events alone

    // Only EU events count from now on: the hours are rebuilt from the events in the same transaction.
    expect((await server.api.put(`/v1/meters/${meter.body.id}`, { filters: [{ key: 'region', values: ['eu'] }] })).status).toBe(200);
    expect(await rows()).toEqual([
      ['2025-07-01 10', '1', '2'],
      ['2025-07-01 11', '1', '5'],
    ]);
    expect(await usage()).toBe('7');
    const { stored, recomputed } = await hoursOf(meter.body.id as string);
    expect(stored).toEqual(recomputed);
  });

  it('miss no event ingested while their meter is being created', async () => {
    // Twenty batches in flight while the meter is created: each event is in the hours once, by the rebuild or by the trigger.
    const batches = Array.from({ length: 20 }, (_, b) =>
      server.api.post('/v1/events/bulk', {
        events: Array.from({ length: 50 }, (_, i) => ({ event_name: 'hours.race', external_customer_id: `race_${i % 5}`, event_id: `race_${b}_${i}`, timestamp: ms(Date.UTC(2025, 7, 1, i % 24, b)), properties: {} })),
      }),
    );
    const meter = server.api.post('/v1/meters', { name: 'Race', event_name: 'hours.race', aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' });
    expect((await Promise.all(batches)).map((r) => r.status)).toEqual(Array(20).fill(202));
    const created = await meter;
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const { stored, recomputed } = await hoursOf(created.body.id as string);
    expect(stored).toEqual(recomputed);
    expect(stored.reduce((n, r) => n + Number(r.event_count), 0)).toBe(1000);
  });
});
