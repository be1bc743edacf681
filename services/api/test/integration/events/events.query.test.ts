import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;
let prod: ApiClient;
let devEnvId: string;

const now = new Date('2025-03-10T12:00:00Z');
const allTime = { start_time: '2025-01-01T00:00:00Z', end_time: '2025-04-01T00:00:00Z' };
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3600_000).toISOString();

/** The fixture, oldest first: three customers, two event names, string and numeric properties. */
const fixture = [
  { event_id: 'q-01', event_name: 'api_request', external_customer_id: 'alice', timestamp: '2025-02-01T00:00:00Z', source: 'api', properties: { region: 'eu', code: '200' } },
  { event_id: 'q-02', event_name: 'api_request', external_customer_id: 'alice', timestamp: hoursAgo(7 * 24 + 1), source: 'api', properties: { region: 'us', code: 200 } },
  { event_id: 'q-03', event_name: 'storage', external_customer_id: 'alice', timestamp: hoursAgo(6 * 24), source: 'sdk', properties: { region: 'eu', gb: 3 } },
  { event_id: 'q-04', event_name: 'api_request', external_customer_id: 'bob', timestamp: hoursAgo(48), source: 'api', properties: { region: 'eu' } },
  { event_id: 'q-05', event_name: 'api_request', external_customer_id: 'bob', timestamp: hoursAgo(24), properties: {} },
  { event_id: 'q-06', event_name: 'storage', external_customer_id: 'carol', timestamp: hoursAgo(2), source: 'sdk', properties: { region: 'apac', tier: { name: 'gold' } } },
  { event_id: 'q-07', event_name: 'api_request', external_customer_id: 'carol', timestamp: hoursAgo(1), source: 'api', properties: { region: 'us' } },
  // Exactly at `now`: outside the default range, which ends (exclusive) at now.
  { event_id: 'q-08', event_name: 'api_request', external_customer_id: 'carol', timestamp: now.toISOString(), source: 'api', properties: { region: 'us' } },
];

async function query(body: Record<string, unknown>, client = api) {
  const res = await client.post('/v1/events/query', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const ids = (body: { events: Array<{ id: string }> }) => body.events.map((e) => e.id);

beforeAll(async () => {
  api = server.api;
  server.clock.freeze(now);
  const envs = (await api.get('/v1/environments')).body.environments as Array<{ id: string; type: string }>;
  devEnvId = envs.find((e) => e.type === 'development')!.id;
  const key = await api.post('/v1/secrets/api/keys', { name: 'prod', type: 'private_key', environment_id: envs.find((e) => e.type === 'production')!.id });
  prod = server.as(key.body.api_key);
  expect((await api.post('/v1/events/bulk', { events: fixture })).status).toBe(202);
  // Another environment's events, with the same names, customers and even ids.
  const prodEvents = fixture.map((e) => ({ ...e, properties: { region: 'eu', env: 'prod' } }));
  expect((await prod.post('/v1/events/bulk', { events: [...prodEvents, { ...prodEvents[0], event_id: 'prod-only' }] })).status).toBe(202);
});

describe('GET /v1/events/lookup', () => {
  it('returns the event with status processed', async () => {
    const res = await api.get('/v1/events/lookup?id=q-03');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      event: {
        id: 'q-03',
        external_customer_id: 'alice',
        customer_id: '',
        event_name: 'storage',
        timestamp: hoursAgo(6 * 24).replace('.000Z', 'Z'),
        properties: { region: 'eu', gb: 3 },
        source: 'sdk',
        environment_id: devEnvId,
      },
      status: 'processed',
      processed_events: [],
    });
  });

  it('finds ids holding / and other characters a path could not carry', async () => {
    const id = 'tenant/a b/?x=1&y#2';
    expect((await api.post('/v1/events', { event_name: 'odd', external_customer_id: 'odd', event_id: id })).status).toBe(202);
    const res = await api.get(`/v1/events/lookup?id=${encodeURIComponent(id)}`);
    expect(res.status).toBe(200);
    expect(res.body.event.id).toBe(id);
  });

  it('answers 404 for an unknown id and for another environment’s event', async () => {
    const missing = await api.get('/v1/events/lookup?id=nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found', http_status_code: 404, details: { id: 'nope' } });
    expect((await api.get('/v1/events/lookup?id=prod-only')).status).toBe(404);
    expect((await prod.get('/v1/events/lookup?id=prod-only')).status).toBe(200);
  });

  it('requires the id', async () => {
    const res = await api.get('/v1/events/lookup');
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({ id: 'is required' });
  });
});

describe('GET /v1/events/{id} (FlexPrice’s legacy alias of /events/lookup)', () => {
  it('answers exactly what /events/lookup answers', async () => {
    const alias = await api.get('/v1/events/q-03');
    expect(alias.status).toBe(200);
    expect(alias.body).toEqual((await api.get('/v1/events/lookup?id=q-03')).body);
    expect(alias.body.event).toMatchObject({ id: 'q-03', external_customer_id: 'alice', event_name: 'storage' });
  });

  it('reads a percent-encoded id; an unencoded / is another path', async () => {
    const id = 'tenant/a b';
    // Stamped before `allTime`, so the listing tests below do not see it.
    const event = { event_name: 'odd', external_customer_id: 'odd', event_id: id, timestamp: '2024-06-01T00:00:00Z' };
    expect((await api.post('/v1/events', event)).status).toBe(202);
    expect((await api.get(`/v1/events/${encodeURIComponent(id)}`)).body.event.id).toBe(id);
    expect((await api.get('/v1/events/tenant/a%20b')).status).toBe(404);
  });

  it('answers 404 for an unknown id and for another environment’s event', async () => {
    const missing = await api.get('/v1/events/nope');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ code: 'not_found', details: { id: 'nope' } });
    expect((await api.get('/v1/events/prod-only')).status).toBe(404);
    expect((await prod.get('/v1/events/prod-only')).body.event.id).toBe('prod-only');
  });

  it('leaves the literal routes beside it alone', async () => {
    expect((await api.get('/v1/events/lookup?id=q-01')).body.event.id).toBe('q-01');
    // `lookup` without `id` is the lookup operation's 400, not an event named "lookup".
    expect((await api.get('/v1/events/lookup')).status).toBe(400);
  });
});

describe('POST /v1/events/query', () => {
  it('defaults to the 7 days before now (end exclusive), newest first, 50 per page, with a total and the next offset', async () => {
    const body = await query({});
    expect(ids(body)).toEqual(['q-07', 'q-06', 'q-05', 'q-04', 'q-03']);
    expect(body).toMatchObject({ has_more: false, total_count: 5, offset: 50 });
    expect(body.iter_first_key).toBe(`${BigInt(Date.parse(hoursAgo(1))) * 1_000_000n}::q-07`);
    expect(body.iter_last_key).toBe(`${BigInt(Date.parse(hoursAgo(6 * 24))) * 1_000_000n}::q-03`);
    expect(body.events[0]).toEqual({
      id: 'q-07',
      external_customer_id: 'carol',
      customer_id: '',
      event_name: 'api_request',
      timestamp: '2025-03-10T11:00:00Z',
      properties: { region: 'us' },
      source: 'api',
      environment_id: devEnvId,
    });
  });

  it('includes start_time and excludes end_time', async () => {
    expect(ids(await query({ start_time: hoursAgo(48), end_time: hoursAgo(2) }))).toEqual(['q-05', 'q-04']);
    expect(ids(await query({ start_time: hoursAgo(48), end_time: hoursAgo(48) }))).toEqual([]);
    expect(ids(await query({ start_time: hoursAgo(1), end_time: new Date(now.getTime() + 1).toISOString(), external_customer_id: 'carol' }))).toEqual(['q-08', 'q-07']);
  });

  it('defaults start_time to 7 days before the given end_time', async () => {
    expect(ids(await query({ end_time: '2025-02-03T00:00:00Z' }))).toEqual(['q-01']);
  });

  it('refuses an end_time before start_time and malformed times', async () => {
    const res = await api.post('/v1/events/query', { start_time: hoursAgo(1), end_time: hoursAgo(2) });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({ end_time: 'must not be before start_time' });
    const bad = await api.post('/v1/events/query', { start_time: '2025-01-01' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.details)).toEqual(['start_time']);
  });

  it('filters by customer, event name, event id and source, all together', async () => {
    expect(ids(await query({ ...allTime, external_customer_id: 'alice' }))).toEqual(['q-03', 'q-02', 'q-01']);
    expect(ids(await query({ ...allTime, event_name: 'storage' }))).toEqual(['q-06', 'q-03']);
    expect(ids(await query({ ...allTime, event_id: 'q-04' }))).toEqual(['q-04']);
    expect(ids(await query({ ...allTime, source: 'sdk' }))).toEqual(['q-06', 'q-03']);
    expect(ids(await query({ ...allTime, external_customer_id: 'alice', event_name: 'api_request', source: 'api' }))).toEqual(['q-02', 'q-01']);
    // Empty strings mean "no filter", as in FlexPrice.
    expect((await query({ ...allTime, external_customer_id: '', event_name: '', source: '' })).total_count).toBe(9);
  });

  it('filters by string property values: any listed value, every listed key', async () => {
    expect(ids(await query({ ...allTime, property_filters: { region: ['eu'] } }))).toEqual(['q-04', 'q-03', 'q-01']);
    expect(ids(await query({ ...allTime, property_filters: { region: ['eu', 'apac'] } }))).toEqual(['q-06', 'q-04', 'q-03', 'q-01']);
    expect(ids(await query({ ...allTime, property_filters: { region: ['eu'], code: ['200'] } }))).toEqual(['q-01']);
    // A key with no values is ignored.
    expect((await query({ ...allTime, property_filters: { region: [] } })).total_count).toBe(9);
  });

  it('reads properties as strings, as FlexPrice does: numbers and objects do not match, a missing key reads as ""', async () => {
    // q-02 has code 200 as a number: it does not match '200'.
    expect(ids(await query({ ...allTime, property_filters: { code: ['200'] } }))).toEqual(['q-01']);
    expect(ids(await query({ ...allTime, property_filters: { tier: ['gold'] } }))).toEqual([]);
    expect(ids(await query({ ...allTime, external_customer_id: 'bob', property_filters: { region: [''] } }))).toEqual(['q-05']);
  });

  it('sorts by timestamp or event_name, ascending or descending, ties broken by timestamp then id', async () => {
    // q-08 and the event stamped by the lookup test share `now`: the id breaks the tie.
    expect(ids(await query({ ...allTime, order: 'asc' }))).toEqual(['q-01', 'q-02', 'q-03', 'q-04', 'q-05', 'q-06', 'q-07', 'q-08', 'tenant/a b/?x=1&y#2']);
    expect(ids(await query({ ...allTime, sort: 'event_name', order: 'asc', external_customer_id: 'alice' }))).toEqual(['q-01', 'q-02', 'q-03']);
    expect(ids(await query({ ...allTime, sort: 'event_name', order: 'desc', external_customer_id: 'alice' }))).toEqual(['q-03', 'q-02', 'q-01']);
    const bad = await api.post('/v1/events/query', { sort: 'external_customer_id' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.details)).toEqual(['sort']);
    expect((await api.post('/v1/events/query', { order: 'up' })).status).toBe(400);
  });

  it('pages by offset: has_more, total_count and the next offset', async () => {
    const filter = { ...allTime, external_customer_id: 'carol' };
    const first = await query({ ...filter, page_size: 2 });
    expect(first).toMatchObject({ has_more: true, total_count: 3, offset: 2 });
    expect(ids(first)).toEqual(['q-08', 'q-07']);
    const second = await query({ ...filter, page_size: 2, offset: first.offset });
    expect(second).toMatchObject({ has_more: false, total_count: 3, offset: 4 });
    expect(ids(second)).toEqual(['q-06']);
    const beyond = await query({ ...filter, page_size: 2, offset: 10 });
    expect(beyond).toMatchObject({ events: [], has_more: false, total_count: 3, offset: 12 });
    expect(beyond.iter_first_key).toBeUndefined();
  });

  it('takes page sizes 1 to 1000 (0 means 50)', async () => {
    expect((await query({ ...allTime, page_size: 0 })).offset).toBe(50);
    expect((await query({ ...allTime, page_size: 1000 })).events).toHaveLength(9);
    for (const page_size of [1001, -1]) {
      const res = await api.post('/v1/events/query', { page_size });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.details)).toEqual(['page_size']);
    }
    expect((await api.post('/v1/events/query', { offset: -1 })).status).toBe(400);
  });

  it('never shows another environment’s events', async () => {
    const dev = await query({ ...allTime, page_size: 1000 });
    expect(dev.total_count).toBe(9);
    expect(dev.events.every((e: { environment_id: string }) => e.environment_id === devEnvId)).toBe(true);
    expect(ids(dev)).not.toContain('prod-only');
    const prodPage = await query({ ...allTime, page_size: 1000 }, prod);
    expect(prodPage.total_count).toBe(9);
    expect(prodPage.events.every((e: { properties: { env?: string } }) => e.properties.env === 'prod')).toBe(true);
    expect(ids(await query({ ...allTime, property_filters: { env: ['prod'] } }))).toEqual([]);
  });
});

describe('cursor paging', () => {
  const tag = 'cursor';
  // 25 events over 10 instants: ties on timestamp are ordered by id.
  const events = Array.from({ length: 25 }, (_, i) => ({
    event_name: 'page',
    external_customer_id: tag,
    event_id: `c-${String(i).padStart(2, '0')}`,
    timestamp: `2025-02-10T00:00:0${i % 10}.${String(i % 3).padStart(6, '0')}Z`,
  }));
  // Expected order: by (timestamp, id).
  const ascending = [...events]
    .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.event_id < b.event_id ? -1 : 1))
    .map((e) => e.event_id);
  const filter = { ...allTime, external_customer_id: tag, page_size: 4 };

  beforeAll(async () => {
    expect((await api.post('/v1/events/bulk', { events })).status).toBe(202);
  });

  async function walk(order: 'asc' | 'desc'): Promise<string[]> {
    const seen: string[] = [];
    let page = await query({ ...filter, order });
    seen.push(...ids(page));
    while (page.has_more) {
      expect(page.iter_last_key).toBeDefined();
      page = await query({ ...filter, order, iter_last_key: page.iter_last_key });
      expect(page.offset).toBeUndefined();
      seen.push(...ids(page));
    }
    expect(page.iter_last_key).toBeUndefined();
    return seen;
  }

  it('walks every event exactly once with iter_last_key, newest first', async () => {
    expect(await walk('desc')).toEqual([...ascending].reverse());
  });

  it('walks every event exactly once with iter_last_key, oldest first', async () => {
    expect(await walk('asc')).toEqual(ascending);
  });

  it('goes back a page with iter_first_key', async () => {
    const first = await query(filter);
    const second = await query({ ...filter, iter_last_key: first.iter_last_key });
    const back = await query({ ...filter, iter_first_key: second.iter_first_key });
    expect(ids(back)).toEqual(ids(first));
    expect(back.has_more).toBe(false);
    expect(back.iter_last_key).toBe(first.iter_last_key);
    const third = await query({ ...filter, iter_last_key: second.iter_last_key });
    const backToSecond = await query({ ...filter, iter_first_key: third.iter_first_key });
    expect(ids(backToSecond)).toEqual(ids(second));
    expect(backToSecond.has_more).toBe(true);
  });

  it('carries microseconds in the cursor keys', async () => {
    const page = await query({ ...filter, order: 'asc', page_size: 3 });
    expect(page.events.map((e: { timestamp: string }) => e.timestamp)).toEqual([
      '2025-02-10T00:00:00Z',
      '2025-02-10T00:00:00.000001Z',
      '2025-02-10T00:00:00.000002Z',
    ]);
    expect(page.iter_last_key).toBe(`${BigInt(Date.parse('2025-02-10T00:00:00Z')) * 1_000_000n + 2000n}::c-20`);
  });

  it('counts the events on the cursor’s side in total_count', async () => {
    const first = await query(filter);
    expect(first.total_count).toBe(25);
    const second = await query({ ...filter, iter_last_key: first.iter_last_key });
    expect(second.total_count).toBe(21);
  });

  it('refuses malformed cursors, two cursors, and cursors with sort event_name', async () => {
    for (const iter_last_key of ['abc', '123', '::x', '12a::x', '123::']) {
      const res = await api.post('/v1/events/query', { iter_last_key });
      expect(res.status, iter_last_key).toBe(400);
      expect(Object.keys(res.body.details)).toEqual(['iter_last_key']);
    }
    const both = await api.post('/v1/events/query', { iter_first_key: '1::a', iter_last_key: '1::b' });
    expect(both.status).toBe(400);
    const sorted = await api.post('/v1/events/query', { sort: 'event_name', iter_last_key: '1::a' });
    expect(sorted.status).toBe(400);
    expect(sorted.body.details.iter_last_key).toContain('timestamp order');
  });

  it('accepts event ids holding the separator', async () => {
    const key = `${BigInt(Date.parse('2025-02-10T00:00:05Z')) * 1_000_000n}::odd::id`;
    const res = await query({ ...filter, order: 'asc', iter_last_key: key });
    expect(res.events.length).toBeGreaterThan(0);
  });
});
