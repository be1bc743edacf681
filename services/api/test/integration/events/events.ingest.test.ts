import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;
let devEnvId: string;

const allTime = { start_time: '1970-01-01T00:00:00Z', end_time: '2100-01-01T00:00:00Z' };

/** Every stored event of one customer, oldest first. */
async function eventsOf(client: ApiClient, externalCustomerId: string): Promise<{ total: number; events: any[] }> {
  const res = await client.post('/v1/events/query', { ...allTime, external_customer_id: externalCustomerId, page_size: 1000, order: 'asc' });
  expect(res.status).toBe(200);
  return { total: res.body.total_count, events: res.body.events };
}

async function lookup(client: ApiClient, id: string) {
  return client.get(`/v1/events/lookup?id=${encodeURIComponent(id)}`);
}

beforeAll(async () => {
  api = server.api;
  const envs = (await api.get('/v1/environments')).body.environments as Array<{ id: string; type: string }>;
  devEnvId = envs.find((e) => e.type === 'development')!.id;
});

describe('POST /v1/events', () => {
  it('answers 202 with the event_id, and stores every field as sent', async () => {
    const res = await api.post('/v1/events', {
      event_name: 'api_request',
      external_customer_id: 'cust-single',
      customer_id: 'cust_01JD2Z7Q8K3M4N5P6R7S8T9V0W',
      event_id: 'evt-single-1',
      timestamp: '2024-03-20T15:04:05Z',
      source: 'api',
      properties: { request_size: 100, model: 'gpt-4', nested: { a: [1, 'b', null] } },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: 'Event accepted for processing', event_id: 'evt-single-1' });

    const found = await lookup(api, 'evt-single-1');
    expect(found.status).toBe(200);
    expect(found.body).toEqual({
      event: {
        id: 'evt-single-1',
        external_customer_id: 'cust-single',
        customer_id: 'cust_01JD2Z7Q8K3M4N5P6R7S8T9V0W',
        event_name: 'api_request',
        timestamp: '2024-03-20T15:04:05Z',
        properties: { request_size: 100, model: 'gpt-4', nested: { a: [1, 'b', null] } },
        source: 'api',
        environment_id: devEnvId,
      },
      status: 'processed',
      processed_events: [],
    });
  });

  it('generates event_<ULID> when event_id is absent or empty, and stamps the server time when timestamp is absent', async () => {
    server.clock.freeze(new Date('2025-06-01T12:00:00.250Z'));
    try {
      const a = await api.post('/v1/events', { event_name: 'tick', external_customer_id: 'cust-defaults' });
      const b = await api.post('/v1/events', { event_name: 'tick', external_customer_id: 'cust-defaults', event_id: '', timestamp: null, properties: null });
      for (const res of [a, b]) {
        expect(res.status).toBe(202);
        expect(res.body.event_id).toMatch(/^event_[0-9A-HJKMNP-TV-Z]{26}$/);
      }
      expect(a.body.event_id).not.toBe(b.body.event_id);
      const { events } = await eventsOf(api, 'cust-defaults');
      expect(events.map((e) => e.id).sort()).toEqual([a.body.event_id, b.body.event_id].sort());
      for (const e of events) {
        expect(e.timestamp).toBe('2025-06-01T12:00:00.25Z');
        expect(e).toMatchObject({ customer_id: '', source: '', properties: {} });
      }
    } finally {
      server.clock.freeze(new Date());
    }
  });

  it('trims event_name and refuses a blank one', async () => {
    const ok = await api.post('/v1/events', { event_name: '  api_request \t', external_customer_id: 'cust-trim', event_id: 'evt-trim' });
    expect(ok.status).toBe(202);
    expect((await lookup(api, 'evt-trim')).body.event.event_name).toBe('api_request');

    const blank = await api.post('/v1/events', { event_name: '   ', external_customer_id: 'cust-trim', event_id: 'evt-blank' });
    expect(blank.status).toBe(400);
    expect(blank.body).toMatchObject({ code: 'validation_error', details: { event_name: 'must not be blank' } });
    expect((await lookup(api, 'evt-blank')).status).toBe(404);
  });

  it('names every missing required field', async () => {
    const res = await api.post('/v1/events', { properties: {} });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.details).toEqual({ event_name: 'is required', external_customer_id: 'is required' });
    expect(res.body.message).toContain('event_name');
    expect(res.body.message).toContain('external_customer_id');
  });

  it('refuses wrong types and over-long fields, naming them', async () => {
    const res = await api.post('/v1/events', {
      event_name: 'x'.repeat(256),
      external_customer_id: 42,
      customer_id: 'c'.repeat(65),
      properties: ['not', 'an', 'object'],
    });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details).sort()).toEqual(['customer_id', 'event_name', 'external_customer_id', 'properties']);
  });

  it('stores the timestamp in UTC to the microsecond', async () => {
    const cases = [
      ['evt-tz-1', '2025-01-01T00:00:00.123456+02:00', '2024-12-31T22:00:00.123456Z'],
      ['evt-tz-2', '2025-01-01T10:30:00-05:30', '2025-01-01T16:00:00Z'],
      ['evt-tz-3', '2025-01-01T00:00:00.120000Z', '2025-01-01T00:00:00.12Z'],
      ['evt-tz-4', '2025-01-01T00:00:00.987654321Z', '2025-01-01T00:00:00.987654Z'],
    ];
    for (const [id, sent] of cases) {
      expect((await api.post('/v1/events', { event_name: 'tz', external_customer_id: 'cust-tz', event_id: id, timestamp: sent })).status).toBe(202);
    }
    for (const [id, , stored] of cases) expect((await lookup(api, id)).body.event.timestamp).toBe(stored);
  });

  it('refuses timestamps without an offset, impossible dates and non-dates', async () => {
    for (const timestamp of ['2025-01-01T00:00:00', '2025-01-01', '2025-02-30T00:00:00Z', 'yesterday', '1735689600']) {
      const res = await api.post('/v1/events', { event_name: 'tz', external_customer_id: 'cust-bad-ts', timestamp });
      expect(res.status, timestamp).toBe(400);
      expect(Object.keys(res.body.details)).toEqual(['timestamp']);
    }
    expect((await eventsOf(api, 'cust-bad-ts')).total).toBe(0);
  });

  it('accepts a timestamp up to 5 minutes ahead of the server clock and refuses one further ahead or before 1970', async () => {
    const now = new Date('2025-06-01T12:00:00Z');
    server.clock.freeze(now);
    try {
      const at = (ms: number) => new Date(now.getTime() + ms).toISOString();
      const edge = await api.post('/v1/events', { event_name: 'f', external_customer_id: 'cust-future', event_id: 'evt-f-edge', timestamp: at(5 * 60_000) });
      expect(edge.status).toBe(202);
      const beyond = await api.post('/v1/events', { event_name: 'f', external_customer_id: 'cust-future', event_id: 'evt-f-beyond', timestamp: at(5 * 60_000 + 1) });
      expect(beyond.status).toBe(400);
      expect(beyond.body.details.timestamp).toMatch(/^must not be more than 5 minutes in the future/);
      const old = await api.post('/v1/events', { event_name: 'f', external_customer_id: 'cust-future', timestamp: '1969-12-31T23:59:59Z' });
      expect(old.status).toBe(400);
      expect(old.body.details.timestamp).toBe('must not be before 1970-01-01T00:00:00Z');
      const epoch = await api.post('/v1/events', { event_name: 'f', external_customer_id: 'cust-future', event_id: 'evt-f-epoch', timestamp: '1970-01-01T00:00:00Z' });
      expect(epoch.status).toBe(202);
      expect((await eventsOf(api, 'cust-future')).events.map((e) => e.id)).toEqual(['evt-f-epoch', 'evt-f-edge']);
    } finally {
      server.clock.freeze(new Date());
    }
  });

  it('counts an event_id once however often it is sent; the first copy is kept', async () => {
    const first = { event_name: 'dup', external_customer_id: 'cust-dup', event_id: 'evt-dup', timestamp: '2025-01-01T00:00:00Z', properties: { n: 1 } };
    for (let i = 0; i < 3; i++) {
      const res = await api.post('/v1/events', i === 0 ? first : { ...first, properties: { n: 99 } });
      expect(res.status).toBe(202);
      expect(res.body.event_id).toBe('evt-dup');
    }
    const { total, events } = await eventsOf(api, 'cust-dup');
    expect(total).toBe(1);
    expect(events[0].properties).toEqual({ n: 1 });
  });

  it('stores concurrent single events exactly once each, duplicates included', async () => {
    const sends = [];
    for (let i = 0; i < 300; i++) {
      // 100 distinct ids, each sent three times at once.
      sends.push(api.post('/v1/events', { event_name: 'burst', external_customer_id: 'cust-burst', event_id: `evt-burst-${i % 100}`, properties: { i } }));
    }
    const results = await Promise.all(sends);
    expect(results.map((r) => r.status)).toEqual(Array(300).fill(202));
    const { total, events } = await eventsOf(api, 'cust-burst');
    expect(total).toBe(100);
    expect(new Set(events.map((e) => e.id)).size).toBe(100);
  });

  it('accepts events for customers that do not exist', async () => {
    const res = await api.post('/v1/events', { event_name: 'x', external_customer_id: 'nobody-yet', customer_id: 'cust_NOPE', event_id: 'evt-nobody' });
    expect(res.status).toBe(202);
    expect((await lookup(api, 'evt-nobody')).body.event.customer_id).toBe('cust_NOPE');
  });

  it('refuses text that is not valid Unicode, naming where it is', async () => {
    const res = await api.request(
      'POST',
      '/v1/events',
      '{"event_name":"x","external_customer_id":"cust-utf","properties":{"ok":"fine","bad":"\\ud800"}}',
    );
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({ 'properties.bad': 'must be valid Unicode (it holds an unpaired UTF-16 surrogate)' });
    const nul = await api.request('POST', '/v1/events', '{"event_name":"x","external_customer_id":"cust-utf","properties":{"k":"a\\u0000b"}}');
    expect(nul.status).toBe(400);
    expect(Object.keys(nul.body.details)).toEqual(['properties.k']);
    expect((await eventsOf(api, 'cust-utf')).total).toBe(0);
  });

  it('keeps the same event_id apart in two environments', async () => {
    const envs = (await api.get('/v1/environments')).body.environments as Array<{ id: string; type: string }>;
    const prodEnv = envs.find((e) => e.type === 'production')!.id;
    const key = await api.post('/v1/secrets/api/keys', { name: 'prod ingest', type: 'private_key', environment_id: prodEnv });
    const prod = server.as(key.body.api_key);
    const event = { event_name: 'x', external_customer_id: 'cust-two-envs', event_id: 'evt-shared-id', timestamp: '2025-01-01T00:00:00Z' };
    expect((await api.post('/v1/events', { ...event, properties: { env: 'dev' } })).status).toBe(202);
    expect((await prod.post('/v1/events', { ...event, properties: { env: 'prod' } })).status).toBe(202);
    expect((await lookup(api, 'evt-shared-id')).body.event).toMatchObject({ environment_id: devEnvId, properties: { env: 'dev' } });
    expect((await lookup(prod, 'evt-shared-id')).body.event).toMatchObject({ environment_id: prodEnv, properties: { env: 'prod' } });
  });

  it('keeps every digit of numeric properties, which a double could not hold', async () => {
    const body =
      '{"event_name":"exact","external_customer_id":"cust-exact","event_id":"evt-exact",' +
      '"properties":{"big":12345678901234567891,"fine":0.1000000000000000055511151231257827,"price":1.50,"plain":42,"tiny":1e-400}}';
    expect((await api.request('POST', '/v1/events', body)).status).toBe(202);
    const res = await fetch(`${server.url}/v1/events/lookup?id=evt-exact`, { headers: { 'x-api-key': server.apiKey } });
    const text = await res.text();
    expect(text).toContain('"big":12345678901234567891');
    expect(text).toContain('"fine":0.1000000000000000055511151231257827');
    expect(text).toContain('"price":1.50');
    expect(text).toContain('"plain":42');
    // The database holds the exact numeric too.
    const rows = await server.orm.em.fork().getConnection().execute(
      `select (properties->>'big')::numeric + 1 as big, (properties->>'tiny')::numeric = 0 as tiny_zero from events where id = 'evt-exact'`,
    );
    expect(String(rows[0].big)).toBe('12345678901234567892');
    expect(rows[0].tiny_zero).toBe(false);
  });

  it('reads gzip-compressed bodies', async () => {
    const { gzipSync } = await import('node:zlib');
    const body = gzipSync(JSON.stringify({ event_name: 'zipped', external_customer_id: 'cust-gzip', event_id: 'evt-gzip' }));
    const res = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'x-api-key': server.apiKey, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body,
    });
    expect(res.status).toBe(202);
    expect((await lookup(api, 'evt-gzip')).body.event.event_name).toBe('zipped');
  });

  it('refuses a "__proto__" key, as every other body does', async () => {
    const res = await api.request('POST', '/v1/events', '{"event_name":"x","external_customer_id":"cust-proto","properties":{"__proto__":{"admin":true}}}');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect((await eventsOf(api, 'cust-proto')).total).toBe(0);
  });

  it('refuses a body that is not JSON', async () => {
    const res = await api.request('POST', '/v1/events', '{"event_name": ');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
  });

  it('needs an API key', async () => {
    const res = await server.as(undefined).post('/v1/events', { event_name: 'x', external_customer_id: 'y' });
    expect(res.status).toBe(401);
  });
});

describe('POST /v1/events/bulk', () => {
  const batch = (tag: string, n: number) =>
    Array.from({ length: n }, (_, i) => ({
      event_name: 'bulk',
      external_customer_id: `cust-${tag}`,
      event_id: `evt-${tag}-${i}`,
      timestamp: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(),
      properties: { i },
    }));

  it('answers 202 with FlexPrice’s body, a map of strings, and stores every event in order', async () => {
    const res = await api.post('/v1/events/bulk', { events: batch('bulk-plain', 3) });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ message: 'Events accepted for processing' });
    const { events: stored } = await eventsOf(api, 'cust-bulk-plain');
    expect(stored.map((e) => e.id)).toEqual(['evt-bulk-plain-0', 'evt-bulk-plain-1', 'evt-bulk-plain-2']);
    expect((await api.post('/v1/events/bulk?return_event_ids=false', { events: batch('bulk-plain', 1) })).body).toEqual({
      message: 'Events accepted for processing',
    });
  });

  it('adds the ids in request order with return_event_ids=true', async () => {
    const events = batch('bulk-a', 5);
    delete (events[2] as { event_id?: string }).event_id;
    const res = await api.post('/v1/events/bulk?return_event_ids=true', { events });
    expect(res.status).toBe(202);
    expect(res.body.message).toBe('Events accepted for processing');
    expect(res.body.event_ids).toHaveLength(5);
    expect(res.body.event_ids[0]).toBe('evt-bulk-a-0');
    expect(res.body.event_ids[2]).toMatch(/^event_[0-9A-Z]{26}$/);
    expect(res.body.event_ids[4]).toBe('evt-bulk-a-4');
    const { events: stored } = await eventsOf(api, 'cust-bulk-a');
    expect(stored.map((e) => e.id)).toEqual(res.body.event_ids);
    expect(stored.map((e) => e.properties.i)).toEqual([0, 1, 2, 3, 4]);
  });

  it('stores 1000 events, and re-sending the batch changes nothing', async () => {
    const events = batch('bulk-1000', 1000);
    for (let round = 0; round < 2; round++) {
      const res = await api.post('/v1/events/bulk', { events });
      expect(res.status).toBe(202);
      expect((await eventsOf(api, 'cust-bulk-1000')).total).toBe(1000);
    }
  });

  it('keeps the first of an event_id repeated within the batch', async () => {
    const events: Array<Record<string, unknown>> = batch('bulk-rep', 3);
    events[2] = { ...events[0], properties: { i: 'second copy' } };
    const res = await api.post('/v1/events/bulk?return_event_ids=true', { events });
    expect(res.status).toBe(202);
    expect(res.body.event_ids).toEqual(['evt-bulk-rep-0', 'evt-bulk-rep-1', 'evt-bulk-rep-0']);
    const { events: stored } = await eventsOf(api, 'cust-bulk-rep');
    expect(stored.map((e) => [e.id, e.properties.i])).toEqual([
      ['evt-bulk-rep-0', 0],
      ['evt-bulk-rep-1', 1],
    ]);
  });

  it('rejects the whole batch when any event is invalid, naming each by index and field, and stores nothing', async () => {
    const events: any[] = batch('bulk-bad', 6);
    delete events[1].event_name;
    events[3].timestamp = '2025-01-01T00:00:00';
    events[4].event_name = '  ';
    events[5].external_customer_id = '';
    const res = await api.post('/v1/events/bulk', { events });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.details).toEqual({
      'events[1].event_name': 'is required',
      'events[3].timestamp': 'must be a valid date-time',
      'events[5].external_customer_id': 'must not be empty',
    });
    expect((await eventsOf(api, 'cust-bulk-bad')).total).toBe(0);

    // Rules beyond the schema are reported the same way, all together.
    const later: any[] = batch('bulk-bad', 4);
    later[0].event_name = '   ';
    later[2].timestamp = '2999-01-01T00:00:00Z';
    const res2 = await api.post('/v1/events/bulk', { events: later });
    expect(res2.status).toBe(400);
    expect(Object.keys(res2.body.details).sort()).toEqual(['events[0].event_name', 'events[2].timestamp']);
    expect(res2.body.message).toContain('events[2].timestamp must not be more than 5 minutes in the future');
    expect((await eventsOf(api, 'cust-bulk-bad')).total).toBe(0);
  });

  it('takes 1 to 1000 events', async () => {
    const none = await api.post('/v1/events/bulk', { events: [] });
    expect(none.status).toBe(400);
    expect(Object.keys(none.body.details)).toEqual(['events']);
    const tooMany = await api.post('/v1/events/bulk', { events: batch('bulk-1001', 1001) });
    expect(tooMany.status).toBe(400);
    expect(Object.keys(tooMany.body.details)).toEqual(['events']);
    const missing = await api.post('/v1/events/bulk', {});
    expect(missing.body.details).toEqual({ events: 'is required' });
    expect((await eventsOf(api, 'cust-bulk-1001')).total).toBe(0);
  });

  it('stores concurrent copies of one batch once', async () => {
    const events = batch('bulk-race', 200);
    const results = await Promise.all(Array.from({ length: 5 }, () => api.post('/v1/events/bulk', { events })));
    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    const { total, events: stored } = await eventsOf(api, 'cust-bulk-race');
    expect(total).toBe(200);
    expect(new Set(stored.map((e) => e.id)).size).toBe(200);
  });

  it('does not deadlock when concurrent batches overlap in different orders', async () => {
    const events = batch('bulk-overlap', 300);
    const reversed = [...events].reverse();
    const shuffled = [...events].sort((a, b) => (a.event_id.length * 7 + Number(a.event_id.split('-').pop())) % 13 - (b.event_id.length * 7 + Number(b.event_id.split('-').pop())) % 13);
    const results = await Promise.all([events, reversed, shuffled, reversed, events].map((e) => api.post('/v1/events/bulk', { events: e })));
    expect(results.map((r) => r.status)).toEqual([202, 202, 202, 202, 202]);
    expect((await eventsOf(api, 'cust-bulk-overlap')).total).toBe(300);
  });

  it('accepts bodies larger than the general 1 MB JSON limit', async () => {
    const big = 'x'.repeat(3000);
    const events = batch('bulk-big', 1000).map((e) => ({ ...e, properties: { ...e.properties, blob: big } }));
    const body = JSON.stringify({ events });
    expect(body.length).toBeGreaterThan(3_000_000);
    const res = await api.request('POST', '/v1/events/bulk', body);
    expect(res.status).toBe(202);
    expect((await eventsOf(api, 'cust-bulk-big')).total).toBe(1000);
    // The general limit still holds elsewhere.
    const customer = await api.post('/v1/customers', { external_id: 'big', name: 'Big', metadata: { blob: 'y'.repeat(1_100_000) } });
    expect(customer.status).toBe(400);
  });
});

describe('event ingestion body limit', () => {
  const small = useTestServer({ TALLY_EVENTS_BODY_LIMIT: '20kb' });

  it('answers 400 validation_error naming the limit past TALLY_EVENTS_BODY_LIMIT, and stores nothing', async () => {
    const events = Array.from({ length: 50 }, (_, i) => ({ event_name: 'big', external_customer_id: 'cust-limit', event_id: `e${i}`, properties: { pad: 'p'.repeat(500) } }));
    const res = await small.api.post('/v1/events/bulk', { events });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'validation_error',
      message: 'Request body exceeds the maximum size of 20kb; split the batch into smaller requests',
      http_status_code: 400,
    });
    const single = await small.api.post('/v1/events', { event_name: 'big', external_customer_id: 'cust-limit', properties: { pad: 'p'.repeat(30_000) } });
    expect(single.status).toBe(400);
    expect(single.body.message).toContain('20kb');
    const stored = await small.api.post('/v1/events/query', { ...allTime, external_customer_id: 'cust-limit' });
    expect(stored.body.total_count).toBe(0);
  });
});
