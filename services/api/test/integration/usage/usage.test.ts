import { Decimal } from 'decimal.js';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { useTestServer } from '../../support/fixtures.ts';
import { insertEvents, insertMeter, scopeOf, type Scope, type StoredEvent } from '../../support/usage-data.ts';

/**
 * Usage through the API, checked against values computed here from the generated events with
 * decimal.js — not with the service's own aggregation code.
 */
const D = Decimal.clone({ precision: 200 });
type Dec = InstanceType<typeof D>;

const server = useTestServer();
let api: ApiClient;
let dev: Scope;
let prod: Scope;
let prodApi: ApiClient;

// ---- the data: seeded pseudo-random events over March and early April 2025 -------------------

function seeded(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}
const random = seeded(42);
const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];

const rangeStart = Date.parse('2025-03-01T00:00:00Z');
const rangeEnd = Date.parse('2025-04-15T00:00:00Z');

function tokensValue(): unknown {
  const r = random();
  if (r < 0.05) return undefined; // missing: counts as 0
  if (r < 0.08) return 'n/a'; // not a number: counts as 0
  if (r < 0.2) return `${Math.floor(random() * 1000)}.5`; // numeric string
  if (r < 0.35) return 0.1;
  if (r < 0.5) return Math.round(random() * 100000) / 1000; // three decimals
  return Math.floor(random() * 1000);
}

let serial = 0;
function generated(count: number, customer: string): StoredEvent[] {
  return Array.from({ length: count }, () => {
    const properties: Record<string, unknown> = {
      model: pick(['gpt', 'o1']),
      region: random() < 0.05 ? 5 : pick(['eu', 'us']),
      user: random() < 0.1 ? 42 : `u${Math.floor(random() * 20)}`,
      server: pick(['s1', 's2', 's3']),
      gb: Math.floor(random() * 100),
    };
    const tokens = tokensValue();
    if (tokens !== undefined) properties.tokens = tokens;
    return {
      id: `evt_${++serial}`,
      eventName: 'llm.tokens',
      externalCustomerId: customer,
      timestamp: new Date(rangeStart + Math.floor(random() * (rangeEnd - rangeStart) / 1000) * 1000).toISOString(),
      properties,
      source: pick(['api', 'sdk']),
    };
  });
}

const boundaries: StoredEvent[] = [
  { id: 'at_start', eventName: 'llm.tokens', externalCustomerId: 'acme', timestamp: '2025-03-10T00:00:00.000Z', properties: { tokens: 1000000, user: 'edge', model: 'gpt', region: 'eu', server: 's1', gb: 1 } },
  { id: 'at_end', eventName: 'llm.tokens', externalCustomerId: 'acme', timestamp: '2025-04-10T00:00:00.000Z', properties: { tokens: 7000000, user: 'edge2', model: 'gpt', region: 'eu', server: 's1', gb: 1 } },
  { id: 'other_name', eventName: 'other', externalCustomerId: 'acme', timestamp: '2025-03-15T00:00:00.000Z', properties: { tokens: 5 } },
];
const events: StoredEvent[] = [...generated(400, 'acme'), ...generated(150, 'globex'), ...boundaries];

// ---- independent expectations ------------------------------------------------------------------

const numericText = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d{1,4})?$/;
function num(e: StoredEvent, field: string): Dec {
  const v = e.properties[field];
  if (typeof v === 'number') return new D(String(v));
  if (typeof v === 'string' && numericText.test(v)) return new D(v);
  return new D(0);
}
const text = (d: Dec) => (d.isZero() ? '0' : d.toFixed());
const quotient = (a: Dec, b: Dec) => text(a.div(b).toDecimalPlaces(20, Decimal.ROUND_HALF_UP));

type Selection = { customer?: string; from?: string; to: string; name?: string; where?: (e: StoredEvent) => boolean };
function selected(s: Selection): StoredEvent[] {
  return events
    .filter((e) => e.eventName === (s.name ?? 'llm.tokens'))
    .filter((e) => s.customer === undefined || e.externalCustomerId === s.customer)
    .filter((e) => (s.from === undefined || Date.parse(e.timestamp) >= Date.parse(s.from)) && Date.parse(e.timestamp) < Date.parse(s.to))
    .filter((e) => !s.where || s.where(e));
}
const sum = (es: StoredEvent[], field: string) => es.reduce((acc, e) => acc.plus(num(e, field)), new D(0));

const march = { start_time: '2025-03-10T00:00:00Z', end_time: '2025-04-10T00:00:00Z' };
const marchSelection = { customer: 'acme', from: march.start_time, to: march.end_time };

async function usage(body: Record<string, unknown>, client = api) {
  const res = await client.post('/v1/events/usage', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { event_name: string; type: string; value: number; value_decimal: string; results?: Array<{ window_size: string; value: number; value_decimal: string }> };
}
async function meterUsage(body: Record<string, unknown>, client = api) {
  const res = await client.post('/v1/events/usage/meter', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as Awaited<ReturnType<typeof usage>>;
}
const windows = (r: Awaited<ReturnType<typeof usage>>) => r.results?.map((w) => [w.window_size, w.value_decimal]);

beforeAll(async () => {
  api = server.api;
  dev = await scopeOf(server, 'development');
  prod = await scopeOf(server, 'production');
  const key = await api.post('/v1/secrets/api/keys', { name: 'prod', type: 'private_key', environment_id: prod.environmentId });
  expect(key.status).toBe(201);
  prodApi = server.as(key.body.api_key);
  await insertEvents(server, dev, events);
});

describe('every aggregation type, against values computed from the events', () => {
  const base = { event_name: 'llm.tokens', external_customer_id: 'acme', ...march };

  it('COUNT counts the events of the customer in [start, end)', async () => {
    const r = await usage({ ...base, aggregation_type: 'COUNT' });
    const expected = selected(marchSelection).length;
    expect(r).toEqual({ event_name: 'llm.tokens', type: 'COUNT', value: expected, value_decimal: String(expected) });
  });

  it('SUM adds numbers and numeric strings exactly; missing and non-numeric values are 0', async () => {
    const r = await usage({ ...base, aggregation_type: 'SUM', property_name: 'tokens' });
    const expected = sum(selected(marchSelection), 'tokens');
    expect(r.value_decimal).toBe(text(expected));
    expect(r.value).toBe(Number(text(expected)));
    // The boundary events: the one at start counts, the one at end does not.
    expect(selected(marchSelection).some((e) => e.id === 'at_start')).toBe(true);
    expect(selected(marchSelection).some((e) => e.id === 'at_end')).toBe(false);
  });

  it('AVG divides the exact sum by the count, to 20 places', async () => {
    const es = selected(marchSelection);
    const r = await usage({ ...base, aggregation_type: 'AVG', property_name: 'tokens' });
    expect(r.value_decimal).toBe(quotient(sum(es, 'tokens'), new D(es.length)));
  });

  it('MAX takes the largest value', async () => {
    const es = selected(marchSelection);
    const r = await usage({ ...base, aggregation_type: 'MAX', property_name: 'tokens' });
    expect(r.value_decimal).toBe(text(D.max(...es.map((e) => num(e, 'tokens')))));
  });

  it('COUNT_UNIQUE counts distinct values (42 and "42" alike; missing not at all)', async () => {
    const es = selected(marchSelection);
    const r = await usage({ ...base, aggregation_type: 'COUNT_UNIQUE', property_name: 'user' });
    expect(r.value).toBe(new Set(es.map((e) => String(e.properties.user))).size);
    const none = await usage({ ...base, aggregation_type: 'COUNT_UNIQUE', property_name: 'no_such_property' });
    expect(none.value_decimal).toBe('0');
  });

  it('LATEST reads the newest event', async () => {
    const es = selected(marchSelection);
    const newest = es.reduce((a, b) => (Date.parse(b.timestamp) > Date.parse(a.timestamp) ? b : a));
    expect(es.filter((e) => e.timestamp === newest.timestamp)).toHaveLength(1);
    const r = await usage({ ...base, aggregation_type: 'LATEST', property_name: 'gb' });
    expect(r.value_decimal).toBe(text(num(newest, 'gb')));
  });

  it('SUM_WITH_MULTIPLIER multiplies the exact sum', async () => {
    const r = await usage({ ...base, aggregation_type: 'SUM_WITH_MULTIPLIER', property_name: 'tokens', multiplier: '0.001' });
    expect(r.value_decimal).toBe(text(sum(selected(marchSelection), 'tokens').times('0.001')));
    const asNumber = await usage({ ...base, aggregation_type: 'SUM_WITH_MULTIPLIER', property_name: 'tokens', multiplier: 0.001 });
    expect(asNumber.value_decimal).toBe(r.value_decimal);
  });

  it('WEIGHTED_SUM weighs each value by the time left to the end of the period', async () => {
    const end = Date.parse(march.end_time);
    const period = new D(end - Date.parse(march.start_time)).div(1000);
    const weighted = selected(marchSelection).reduce((acc, e) => acc.plus(num(e, 'gb').times(new D(end - Date.parse(e.timestamp)).div(1000))), new D(0));
    const r = await usage({ ...base, aggregation_type: 'WEIGHTED_SUM', property_name: 'gb' });
    expect(r.value_decimal).toBe(quotient(weighted, period));
  });

  it('MAX with bucket_size sums the hourly maxima, and per group with group_by', async () => {
    const es = selected(marchSelection);
    const peaks = new Map<string, Dec>();
    const grouped = new Map<string, Dec>();
    for (const e of es) {
      const hour = String(Math.floor(Date.parse(e.timestamp) / 3_600_000));
      const v = num(e, 'tokens');
      peaks.set(hour, D.max(peaks.get(hour) ?? v, v));
      const cell = `${hour}/${String(e.properties.server)}`;
      grouped.set(cell, D.max(grouped.get(cell) ?? v, v));
    }
    const total = (m: Map<string, Dec>) => text([...m.values()].reduce((a, b) => a.plus(b), new D(0)));
    const r = await usage({ ...base, aggregation_type: 'MAX', property_name: 'tokens', bucket_size: 'HOUR' });
    expect(r.value_decimal).toBe(total(peaks));
    // Without window_size: one result per non-empty bucket.
    expect(r.results).toHaveLength(peaks.size);
    const g = await usage({ ...base, aggregation_type: 'MAX', property_name: 'tokens', bucket_size: 'HOUR', group_by: ['properties.server'] });
    expect(g.value_decimal).toBe(total(grouped));
    const deprecated = await usage({ ...base, aggregation_type: 'MAX', property_name: 'tokens', bucket_size: 'HOUR', group_by_property: 'server' });
    expect(deprecated.value_decimal).toBe(g.value_decimal);
  });

  it('without a customer, aggregates every customer; another event name is not counted', async () => {
    const r = await usage({ event_name: 'llm.tokens', aggregation_type: 'SUM', property_name: 'tokens', ...march });
    expect(r.value_decimal).toBe(text(sum(selected({ from: march.start_time, to: march.end_time }), 'tokens')));
    const other = await usage({ event_name: 'other', aggregation_type: 'SUM', property_name: 'tokens', ...march });
    expect(other.value_decimal).toBe('5');
  });
});

describe('exactness', () => {
  beforeAll(async () => {
    await insertEvents(
      server,
      dev,
      Array.from({ length: 10 }, (_, i) => ({ id: `tenth_${i}`, eventName: 'tenths', externalCustomerId: 'exact', timestamp: `2025-01-01T00:00:0${i}Z`, properties: { v: 0.1 } })),
    );
  });

  it('sums 0.1 ten times to exactly 1, written as the JSON number 1', async () => {
    const res = await api.post('/v1/events/usage', { event_name: 'tenths', aggregation_type: 'SUM', property_name: 'v', start_time: '2025-01-01T00:00:00Z', end_time: '2025-01-02T00:00:00Z' });
    expect(res.body).toEqual({ event_name: 'tenths', type: 'SUM', value: 1, value_decimal: '1' });
    const raw = await fetch(`${server.url}/v1/events/usage`, {
      method: 'POST',
      headers: { 'x-api-key': server.apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ event_name: 'tenths', aggregation_type: 'SUM', property_name: 'v', start_time: '2025-01-01T00:00:00Z', end_time: '2025-01-02T00:00:00Z' }),
    });
    expect(await raw.text()).toContain('"value":1,');
  });
});

describe('events sent through the ingestion API', () => {
  it('aggregate exactly: ten events of 0.1 tokens and one of "12.5" sum to 13.5', async () => {
    const bulk = await api.post('/v1/events/bulk', {
      events: [
        ...Array.from({ length: 10 }, (_, i) => ({ event_name: 'ingested', external_customer_id: 'via_api', event_id: `ing_${i}`, timestamp: `2025-02-01T00:00:0${i}Z`, properties: { tokens: 0.1 } })),
        { event_name: 'ingested', external_customer_id: 'via_api', event_id: 'ing_str', timestamp: '2025-02-01T00:01:00Z', properties: { tokens: '12.5' } },
      ],
    });
    expect(bulk.status, JSON.stringify(bulk.body)).toBe(202);
    // A retried event is stored once.
    expect((await api.post('/v1/events', { event_name: 'ingested', external_customer_id: 'via_api', event_id: 'ing_0', timestamp: '2025-02-01T00:00:00Z', properties: { tokens: 0.1 } })).status).toBe(202);
    const r = await usage({ event_name: 'ingested', external_customer_id: 'via_api', aggregation_type: 'SUM', property_name: 'tokens', start_time: '2025-02-01T00:00:00Z', end_time: '2025-02-02T00:00:00Z' });
    expect(r).toEqual({ event_name: 'ingested', type: 'SUM', value: 13.5, value_decimal: '13.5' });
  });
});

describe('filters', () => {
  it('keep events whose string property is one of the values, ANDed across keys', async () => {
    const r = await usage({ event_name: 'llm.tokens', external_customer_id: 'acme', aggregation_type: 'SUM', property_name: 'tokens', ...march, filters: { model: ['gpt'], region: ['eu', 'us'] } });
    const expected = sum(selected({ ...marchSelection, where: (e) => e.properties.model === 'gpt' && (e.properties.region === 'eu' || e.properties.region === 'us') }), 'tokens');
    expect(r.value_decimal).toBe(text(expected));
    // A numeric region (5) never matches the string "5".
    const numeric = await usage({ event_name: 'llm.tokens', external_customer_id: 'acme', aggregation_type: 'COUNT', ...march, filters: { region: ['5'] } });
    expect(numeric.value).toBe(0);
  });

  it('refuse a key with no values', async () => {
    const res = await api.post('/v1/events/usage', { event_name: 'llm.tokens', aggregation_type: 'COUNT', filters: { model: [] } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.message).toContain('filters.model');
  });
});

describe('window_size', () => {
  it('gives one result per DAY window in Europe/Berlin, across the DST change, empty days 0', async () => {
    const from = '2025-03-27T23:00:00Z'; // 28 March, 00:00 CET
    const to = '2025-04-02T22:00:00Z'; // 3 April, 00:00 CEST
    const r = await usage({ event_name: 'llm.tokens', external_customer_id: 'acme', aggregation_type: 'SUM', property_name: 'tokens', start_time: from, end_time: to, window_size: 'DAY', timezone: 'Europe/Berlin' });
    // Local dates, and the UTC instant of their midnight: +01:00 up to 30 March, +02:00 after.
    const localDate = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Berlin', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
    const midnight = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - (date <= '2025-03-30' ? 1 : 2) * 3_600_000).toISOString().replace('.000Z', 'Z');
    const days = ['2025-03-28', '2025-03-29', '2025-03-30', '2025-03-31', '2025-04-01', '2025-04-02'];
    const es = selected({ customer: 'acme', from, to });
    const expected = days.map((day) => [midnight(day), text(sum(es.filter((e) => localDate(e.timestamp) === day), 'tokens'))]);
    expect(windows(r)).toEqual(expected);
    expect(expected[2][0]).toBe('2025-03-29T23:00:00Z');
    expect(expected[3][0]).toBe('2025-03-30T22:00:00Z');
    expect(r.value_decimal).toBe(text(sum(es, 'tokens')));
  });

  it('reports empty windows as 0', async () => {
    const r = await usage({ event_name: 'llm.tokens', external_customer_id: 'nobody', aggregation_type: 'COUNT', start_time: '2025-03-01T00:00:00Z', end_time: '2025-03-01T03:00:00Z', window_size: 'HOUR' });
    expect(r).toEqual({
      event_name: 'llm.tokens',
      type: 'COUNT',
      value: 0,
      value_decimal: '0',
      results: ['00', '01', '02'].map((h) => ({ window_size: `2025-03-01T${h}:00:00Z`, value: 0, value_decimal: '0' })),
    });
  });

  it('cuts MONTH windows at a billing anchor on the 31st: Jan 31, Feb 28, Mar 31', async () => {
    const r = await usage({
      event_name: 'llm.tokens',
      external_customer_id: 'globex',
      aggregation_type: 'COUNT',
      start_time: '2025-01-31T00:00:00Z',
      end_time: '2025-04-30T00:00:00Z',
      window_size: 'MONTH',
      billing_anchor: '2024-10-31T00:00:00Z',
    });
    const bounds = ['2025-01-31T00:00:00Z', '2025-02-28T00:00:00Z', '2025-03-31T00:00:00Z', '2025-04-30T00:00:00Z'];
    const expected = bounds.slice(0, 3).map((b, i) => [b, String(selected({ customer: 'globex', from: b, to: bounds[i + 1] }).length)]);
    expect(windows(r)).toEqual(expected);
    expect(Number(expected[1][1])).toBeGreaterThan(0);
    expect(Number(expected[2][1])).toBeGreaterThan(0);
  });

  it('sums bucketed maxima into DAY windows', async () => {
    const from = '2025-03-10T00:00:00Z';
    const to = '2025-03-13T00:00:00Z';
    const es = selected({ customer: 'acme', from, to });
    const peaks = new Map<number, Dec>();
    for (const e of es) {
      const hour = Math.floor(Date.parse(e.timestamp) / 3_600_000);
      peaks.set(hour, D.max(peaks.get(hour) ?? num(e, 'gb'), num(e, 'gb')));
    }
    const r = await usage({ event_name: 'llm.tokens', external_customer_id: 'acme', aggregation_type: 'MAX', property_name: 'gb', bucket_size: 'HOUR', window_size: 'DAY', start_time: from, end_time: to });
    const perDay = [0, 1, 2].map((d) => {
      const dayStart = Date.parse(from) / 3_600_000 + d * 24;
      return text([...peaks].filter(([h]) => h >= dayStart && h < dayStart + 24).reduce((a, [, v]) => a.plus(v), new D(0)));
    });
    expect(r.results?.map((w) => w.value_decimal)).toEqual(perDay);
  });

  it('refuses more than 50,000 windows', async () => {
    const res = await api.post('/v1/events/usage', { event_name: 'llm.tokens', aggregation_type: 'COUNT', start_time: '2024-01-01T00:00:00Z', end_time: '2025-01-01T00:00:00Z', window_size: 'MINUTE' });
    expect(res.status).toBe(400);
    expect(res.body.details).toHaveProperty('window_size');
  });
});

describe('defaults', () => {
  it('reads the 7 days before now when no range is given', async () => {
    const now = new Date('2030-06-15T12:00:00Z');
    await insertEvents(
      server,
      dev,
      [
        ['too_old', '2030-06-08T11:59:59.999Z'],
        ['oldest_in', '2030-06-08T12:00:00Z'],
        ['recent', '2030-06-15T11:59:59Z'],
        ['future', '2030-06-15T12:00:00Z'],
      ].map(([id, timestamp]) => ({ id, eventName: 'defaults', externalCustomerId: 'acme', timestamp, properties: {} })),
    );
    server.clock.freeze(now);
    try {
      const r = await usage({ event_name: 'defaults', aggregation_type: 'COUNT' });
      expect(r.value).toBe(2);
      // With only end_time, the range is the 7 days before it.
      const r2 = await usage({ event_name: 'defaults', aggregation_type: 'COUNT', end_time: '2030-06-15T12:00:00.001Z' });
      expect(r2.value).toBe(2);
    } finally {
      server.clock.freeze(undefined as unknown as Date);
    }
  });
});

describe('customers', () => {
  it('customer_id selects the events of that customer by its external id', async () => {
    const created = await api.post('/v1/customers', { external_id: 'acme', name: 'Acme' });
    expect(created.status).toBe(201);
    const body = { event_name: 'llm.tokens', aggregation_type: 'COUNT', ...march };
    const byId = await usage({ ...body, customer_id: created.body.id });
    expect(byId.value).toBe(selected(marchSelection).length);
    const both = await usage({ ...body, customer_id: created.body.id, external_customer_id: 'acme' });
    expect(both.value).toBe(byId.value);
    const mismatch = await api.post('/v1/events/usage', { ...body, customer_id: created.body.id, external_customer_id: 'globex' });
    expect(mismatch.status).toBe(400);
    const unknown = await api.post('/v1/events/usage', { ...body, customer_id: 'cust_01JD2Z7Q8K3M4N5P6R7S8T9V0W' });
    expect(unknown.status).toBe(404);
  });
});

describe('POST /events/usage/meter', () => {
  beforeAll(async () => {
    await insertMeter(server, dev, { id: 'meter_tokens', eventName: 'llm.tokens', aggregation: { type: 'SUM', field: 'tokens' }, filters: [{ key: 'model', values: ['gpt'] }] });
    await insertMeter(server, dev, { id: 'meter_archived', eventName: 'llm.tokens', aggregation: { type: 'COUNT' }, status: 'archived' });
    await insertMeter(server, dev, { id: 'meter_deleted', eventName: 'llm.tokens', aggregation: { type: 'COUNT' }, status: 'deleted' });
    await insertMeter(server, dev, { id: 'meter_peaks', eventName: 'llm.tokens', aggregation: { type: 'MAX', field: 'tokens', bucket_size: 'HOUR', group_by: 'server' } });
    await insertMeter(server, dev, { id: 'meter_bytes', eventName: 'llm.tokens', aggregation: { type: 'SUM_WITH_MULTIPLIER', field: 'tokens', multiplier: '0.001' } });
    await insertMeter(server, dev, { id: 'meter_expr', eventName: 'llm.tokens', aggregation: { type: 'SUM', expression: 'tokens * 2' } });
    await insertMeter(server, dev, { id: 'meter_lifetime', eventName: 'llm.tokens', aggregation: { type: 'SUM', field: 'gb' }, resetUsage: 'NEVER' });
    await insertMeter(server, dev, { id: 'meter_lifetime_users', eventName: 'llm.tokens', aggregation: { type: 'COUNT_UNIQUE', field: 'user' }, resetUsage: 'NEVER' });
    await insertMeter(server, prod, { id: 'meter_prod', eventName: 'llm.tokens', aggregation: { type: 'COUNT' } });
  });

  it("applies the meter's event name, aggregation and filters, ANDed with the request's", async () => {
    const r = await meterUsage({ meter_id: 'meter_tokens', external_customer_id: 'acme', ...march });
    expect(r.type).toBe('SUM');
    expect(r.event_name).toBe('llm.tokens');
    expect(r.value_decimal).toBe(text(sum(selected({ ...marchSelection, where: (e) => e.properties.model === 'gpt' }), 'tokens')));
    const narrowed = await meterUsage({ meter_id: 'meter_tokens', external_customer_id: 'acme', ...march, filters: { region: ['eu'] } });
    expect(narrowed.value_decimal).toBe(text(sum(selected({ ...marchSelection, where: (e) => e.properties.model === 'gpt' && e.properties.region === 'eu' }), 'tokens')));
  });

  it('multiplies by the meter multiplier, and sums grouped bucket maxima', async () => {
    const bytes = await meterUsage({ meter_id: 'meter_bytes', external_customer_id: 'acme', ...march });
    expect(bytes.value_decimal).toBe(text(sum(selected(marchSelection), 'tokens').times('0.001')));
    const peaks = await meterUsage({ meter_id: 'meter_peaks', external_customer_id: 'acme', ...march });
    const direct = await usage({ event_name: 'llm.tokens', external_customer_id: 'acme', ...march, aggregation_type: 'MAX', property_name: 'tokens', bucket_size: 'HOUR', group_by: ['properties.server'] });
    expect(peaks.value_decimal).toBe(direct.value_decimal);
    expect(peaks.results).toEqual(direct.results);
  });

  it('reads disabled meters and answers 404 for deleted, unknown and other environments’ meters', async () => {
    const archived = await meterUsage({ meter_id: 'meter_archived', external_customer_id: 'acme', ...march });
    expect(archived.value).toBe(selected(marchSelection).length);
    for (const id of ['meter_deleted', 'meter_nope', 'meter_prod']) {
      const res = await api.post('/v1/events/usage/meter', { meter_id: id, ...march });
      expect(res.status, id).toBe(404);
      expect(res.body.code).toBe('not_found');
    }
  });

  it('refuses what it cannot do: an expression, a different bucket_size, windows shorter than buckets', async () => {
    const expr = await api.post('/v1/events/usage/meter', { meter_id: 'meter_expr', ...march });
    expect(expr.status).toBe(400);
    expect(expr.body.code).toBe('invalid_operation');
    const bucket = await api.post('/v1/events/usage/meter', { meter_id: 'meter_peaks', bucket_size: 'DAY', ...march });
    expect(bucket.status).toBe(400);
    expect(bucket.body.details).toHaveProperty('bucket_size');
    const same = await api.post('/v1/events/usage/meter', { meter_id: 'meter_peaks', bucket_size: 'HOUR', ...march });
    expect(same.status).toBe(200);
    const finer = await api.post('/v1/events/usage/meter', { meter_id: 'meter_peaks', window_size: '30MIN', ...march });
    expect(finer.status).toBe(400);
    expect(finer.body.details).toHaveProperty('window_size');
  });

  it('makes a NEVER meter cumulative: everything before start counts, each window up to its end', async () => {
    const from = '2025-03-20T00:00:00Z';
    const to = '2025-03-23T00:00:00Z';
    const r = await meterUsage({ meter_id: 'meter_lifetime', external_customer_id: 'acme', start_time: from, end_time: to, window_size: 'DAY' });
    expect(r.value_decimal).toBe(text(sum(selected({ customer: 'acme', to }), 'gb')));
    expect(windows(r)).toEqual(
      ['2025-03-21T00:00:00Z', '2025-03-22T00:00:00Z', '2025-03-23T00:00:00Z'].map((dayEnd) => [new Date(Date.parse(dayEnd) - 86_400_000).toISOString().replace('.000Z', 'Z'), text(sum(selected({ customer: 'acme', to: dayEnd }), 'gb'))]),
    );
    const users = await meterUsage({ meter_id: 'meter_lifetime_users', external_customer_id: 'acme', start_time: from, end_time: to });
    expect(users.value).toBe(new Set(selected({ customer: 'acme', to }).map((e) => String(e.properties.user))).size);
  });
});

describe('meters created through the meters API', () => {
  it('aggregate as their stored configuration says, disabled or not', async () => {
    const created = await api.post('/v1/meters', {
      name: 'Peak tokens per server',
      event_name: 'llm.tokens',
      aggregation: { type: 'MAX', field: 'tokens', bucket_size: 'HOUR', group_by: 'server' },
      filters: [{ key: 'region', values: ['eu'] }],
      reset_usage: 'BILLING_PERIOD',
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const expected = await usage({ event_name: 'llm.tokens', external_customer_id: 'acme', ...march, aggregation_type: 'MAX', property_name: 'tokens', bucket_size: 'HOUR', group_by: ['properties.server'], filters: { region: ['eu'] } });
    const live = await meterUsage({ meter_id: created.body.id, external_customer_id: 'acme', ...march });
    expect(live).toEqual({ ...expected, type: 'MAX' });
    expect((await api.post(`/v1/meters/${created.body.id}/disable`)).status).toBe(200);
    expect(await meterUsage({ meter_id: created.body.id, external_customer_id: 'acme', ...march })).toEqual(live);

    const bytes = await api.post('/v1/meters', { name: 'KB', event_name: 'llm.tokens', aggregation: { type: 'SUM_WITH_MULTIPLIER', field: 'tokens', multiplier: 0.001 }, reset_usage: 'BILLING_PERIOD' });
    expect(bytes.status, JSON.stringify(bytes.body)).toBe(201);
    const kb = await meterUsage({ meter_id: bytes.body.id, external_customer_id: 'acme', ...march });
    expect(kb.value_decimal).toBe(text(sum(selected(marchSelection), 'tokens').times('0.001')));
  });
});

describe('environments', () => {
  it("never see each other's events", async () => {
    const body = { event_name: 'llm.tokens', aggregation_type: 'COUNT', start_time: '2025-01-01T00:00:00Z', end_time: '2025-06-01T00:00:00Z' };
    expect((await usage(body, prodApi)).value).toBe(0);
    await insertEvents(server, prod, [{ id: 'evt_1', eventName: 'llm.tokens', externalCustomerId: 'acme', timestamp: '2025-03-15T00:00:00Z', properties: { tokens: 1 } }]);
    expect((await usage(body, prodApi)).value).toBe(1);
    expect((await usage(body)).value).toBe(selected({ from: body.start_time, to: body.end_time }).length);
    expect((await meterUsage({ meter_id: 'meter_prod', ...body }, prodApi)).value).toBe(1);
  });
});

describe('validation', () => {
  const base = { event_name: 'llm.tokens', ...march };
  it.each<[Record<string, unknown>, string]>([
    [{ aggregation_type: 'SUM' }, 'property_name'],
    [{ aggregation_type: 'SUM', property_name: '' }, 'property_name'],
    [{ aggregation_type: 'SUM', property_name: 'tokens', multiplier: '2' }, 'multiplier'],
    [{ aggregation_type: 'SUM_WITH_MULTIPLIER', property_name: 'tokens' }, 'multiplier'],
    [{ aggregation_type: 'SUM_WITH_MULTIPLIER', property_name: 'tokens', multiplier: '0' }, 'multiplier'],
    [{ aggregation_type: 'AVG', property_name: 'tokens', bucket_size: 'HOUR' }, 'bucket_size'],
    [{ aggregation_type: 'SUM', property_name: 'tokens', group_by: ['properties.server'] }, 'group_by'],
    [{ aggregation_type: 'MAX', property_name: 'tokens', bucket_size: 'HOUR', group_by: ['server'] }, 'group_by[0]'],
    [{ aggregation_type: 'MAX', property_name: 'tokens', bucket_size: 'DAY', window_size: 'HOUR' }, 'window_size'],
    [{ aggregation_type: 'COUNT', timezone: 'Mars/Olympus' }, 'timezone'],
    [{ aggregation_type: 'COUNT', timezone: '+01:00' }, 'timezone'],
    [{ aggregation_type: 'SUM', property_name: 'tokens', expression: 'tokens * 2' }, 'expression'],
    [{ aggregation_type: 'COUNT', start_time: '2025-03-02T00:00:00Z', end_time: '2025-03-01T00:00:00Z' }, 'end_time'],
    [{ aggregation_type: 'COUNT', window_size: 'FORTNIGHT' }, 'window_size'],
    [{ aggregation_type: 'MEDIAN', property_name: 'tokens' }, 'aggregation_type'],
  ])('refuses %j naming %s', async (extra, field) => {
    const res = await api.post('/v1/events/usage', { ...base, ...extra });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.details).toHaveProperty([field]);
  });

  it('COUNT needs no property and ignores one', async () => {
    const a = await usage({ ...base, aggregation_type: 'COUNT' });
    const b = await usage({ ...base, aggregation_type: 'COUNT', property_name: 'tokens' });
    expect(b.value).toBe(a.value);
  });

  it('answers an empty range with 0', async () => {
    const r = await usage({ event_name: 'llm.tokens', aggregation_type: 'SUM', property_name: 'tokens', start_time: march.start_time, end_time: march.start_time, window_size: 'DAY' });
    expect(r).toEqual({ event_name: 'llm.tokens', type: 'SUM', value: 0, value_decimal: '0', results: [] });
  });

  it('needs an API key', async () => {
    const res = await server.as(undefined).post('/v1/events/usage', { event_name: 'x', aggregation_type: 'COUNT' });
    expect(res.status).toBe(401);
  });
});
