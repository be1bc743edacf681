import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { count, createMeter, expectRefused, useTestServer, withArchived } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();
let api: ApiClient;
let prod: ApiClient;
beforeAll(async () => {
  api = server.api;
  prod = (await productionApi(server)).api;
});

const meterId = /^meter_[0-9A-HJKMNP-TV-Z]{26}$/;
const rfc3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const tokens = {
  name: 'Tokens',
  event_name: 'llm.completion',
  aggregation: { type: 'SUM', field: 'tokens' },
  filters: [{ key: 'model', values: ['gpt-4o', 'o1-mini'] }],
  reset_usage: 'BILLING_PERIOD',
};

/** Every meter of the environment, any status, through the list's `total`. */
const meterCount = () => count(api, '/v1/meters', withArchived);

/** Posts a create that must fail with 400, proves nothing was written, and returns the details. */
const expectRejected = async (body: unknown) => (await expectRefused(api, { path: '/v1/meters', body }, { code: 'validation_error' }, meterCount)).details;

describe('POST /v1/meters', () => {
  it('answers 201 with the meter as FlexPrice shapes it, and a get returns the same', async () => {
    const res = await api.post('/v1/meters', { ...tokens, event_name: '  llm.completion  ' });
    expect(res.status).toBe(201);
    const m = res.body;
    expect(m).toMatchObject({
      name: 'Tokens',
      event_name: 'llm.completion',
      aggregation: { type: 'SUM', field: 'tokens' },
      filters: [{ key: 'model', values: ['gpt-4o', 'o1-mini'] }],
      reset_usage: 'BILLING_PERIOD',
      status: 'published',
      tenant_id: server.bootstrap.tenantId,
      environment_id: server.bootstrap.defaultEnvironmentId,
    });
    expect(m.id).toMatch(meterId);
    expect(m.created_at).toMatch(rfc3339);
    expect(m.updated_at).toBe(m.created_at);
    expect(m.created_by).toMatch(/^secret_/);
    expect(Object.keys(m.aggregation)).toEqual(['type', 'field']);
    expect(Object.keys(m).sort()).toEqual(
      ['id', 'name', 'tenant_id', 'environment_id', 'event_name', 'aggregation', 'filters', 'reset_usage', 'status', 'created_at', 'updated_at', 'created_by', 'updated_by'].sort(),
    );
    const got = await api.get(`/v1/meters/${m.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual(m);
  });

  it('returns the multiplier as a decimal string with trailing zeros trimmed, from a string or a number', async () => {
    const fromString = await createMeter(api, { ...tokens, event_name: 'bytes', aggregation: { type: 'SUM_WITH_MULTIPLIER', field: 'bytes', multiplier: '0.0010' } });
    expect(fromString.aggregation).toEqual({ type: 'SUM_WITH_MULTIPLIER', field: 'bytes', multiplier: '0.001' });
    const fromNumber = await createMeter(api, { ...tokens, event_name: 'bytes', aggregation: { type: 'SUM_WITH_MULTIPLIER', field: 'bytes', multiplier: 1000 } });
    expect(fromNumber.aggregation.multiplier).toBe('1000');
    expect((await api.get(`/v1/meters/${fromString.id}`)).body.aggregation.multiplier).toBe('0.001');
  });

  it('stores bucketed MAX with group_by, COUNT without a field, filters [] by default, NEVER reset', async () => {
    const max = await createMeter(api, { ...tokens, aggregation: { type: 'MAX', field: 'cpu', bucket_size: 'HOUR', group_by: 'server_id' }, filters: undefined, reset_usage: 'NEVER' });
    expect(max.aggregation).toEqual({ type: 'MAX', field: 'cpu', bucket_size: 'HOUR', group_by: 'server_id' });
    expect(max.filters).toEqual([]);
    expect(max.reset_usage).toBe('NEVER');
    const count = await createMeter(api, { ...tokens, aggregation: { type: 'COUNT' } });
    expect(count.aggregation).toEqual({ type: 'COUNT' });
  });

  it('refuses missing required fields, naming each, and writes nothing', async () => {
    expect(await expectRejected({})).toEqual({
      name: 'is required',
      event_name: 'is required',
      aggregation: 'is required',
      reset_usage: 'is required',
    });
  });

  it('refuses values outside FlexPrice’s enums', async () => {
    const details = await expectRejected({ ...tokens, aggregation: { type: 'MEDIAN', field: 'x', bucket_size: 'YEAR' }, reset_usage: 'DAILY' });
    expect(details['aggregation.type']).toBe('must be one of: COUNT, SUM, AVG, COUNT_UNIQUE, LATEST, SUM_WITH_MULTIPLIER, MAX, WEIGHTED_SUM');
    expect(details['aggregation.bucket_size']).toBe('must be one of: MINUTE, 15MIN, 30MIN, HOUR, 3HOUR, 6HOUR, 12HOUR, DAY, WEEK, MONTH');
    expect(details.reset_usage).toBe('must be one of: BILLING_PERIOD, NEVER');
  });

  it('refuses a CEL expression with a clear "not supported yet"', async () => {
    const res = await api.post('/v1/meters', { ...tokens, aggregation: { type: 'SUM', field: 'tokens', expression: 'tokens * price' } });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({
      'aggregation.expression': 'is not supported yet: Tally does not evaluate CEL expressions; aggregate one property with field',
    });
    expect(res.body.message).toContain('aggregation.expression is not supported yet');
  });

  it.each<[string, Record<string, unknown>, Record<string, string>]>([
    ['SUM without a field', { type: 'SUM' }, { 'aggregation.field': 'is required for SUM aggregation' }],
    ['COUNT_UNIQUE without a field', { type: 'COUNT_UNIQUE', field: '' }, { 'aggregation.field': 'is required for COUNT_UNIQUE aggregation' }],
    ['SUM_WITH_MULTIPLIER without a multiplier', { type: 'SUM_WITH_MULTIPLIER', field: 'b' }, { 'aggregation.multiplier': 'is required for SUM_WITH_MULTIPLIER aggregation' }],
    ['a zero multiplier', { type: 'SUM_WITH_MULTIPLIER', field: 'b', multiplier: '0' }, { 'aggregation.multiplier': 'must be greater than 0' }],
    ['a negative multiplier', { type: 'SUM_WITH_MULTIPLIER', field: 'b', multiplier: -1.5 }, { 'aggregation.multiplier': 'must be greater than 0' }],
    ['a multiplier that is not a decimal', { type: 'SUM_WITH_MULTIPLIER', field: 'b', multiplier: '1e' }, { 'aggregation.multiplier': `'1e' is not a decimal number (e.g. "0.001")` }],
    ['a multiplier on SUM', { type: 'SUM', field: 'b', multiplier: '2' }, { 'aggregation.multiplier': 'only applies to SUM_WITH_MULTIPLIER aggregation, not SUM' }],
    ['bucket_size on AVG', { type: 'AVG', field: 'b', bucket_size: 'DAY' }, { 'aggregation.bucket_size': 'only applies to MAX or SUM aggregation, not AVG' }],
    ['group_by on an unbucketed MAX', { type: 'MAX', field: 'b', group_by: 'host' }, { 'aggregation.group_by': 'only applies to MAX aggregation with a bucket_size' }],
    ['group_by on a bucketed SUM', { type: 'SUM', field: 'b', bucket_size: 'DAY', group_by: 'host' }, { 'aggregation.group_by': 'only applies to MAX aggregation with a bucket_size' }],
  ])('refuses %s, naming the field', async (_, aggregation, details) => {
    expect(await expectRejected({ ...tokens, aggregation })).toEqual(details);
  });

  it('refuses a multiplier that is neither a string nor a number', async () => {
    const details = await expectRejected({ ...tokens, aggregation: { type: 'SUM_WITH_MULTIPLIER', field: 'b', multiplier: true } });
    expect(Object.keys(details)).toEqual(['aggregation.multiplier']);
  });

  it('refuses filters with no values, an empty or blank key, or a repeated key', async () => {
    expect(await expectRejected({ ...tokens, filters: [{ key: 'model', values: [] }] })).toEqual({ 'filters[0].values': 'must NOT have fewer than 1 items' });
    expect(await expectRejected({ ...tokens, filters: [{ key: '', values: ['a'] }] })).toEqual({ 'filters[0].key': 'must not be empty' });
    expect(await expectRejected({ ...tokens, filters: [{ key: ' ', values: ['a'] }] })).toEqual({ 'filters[0].key': 'must not be blank' });
    expect(
      await expectRejected({
        ...tokens,
        filters: [
          { key: 'model', values: ['a'] },
          { key: 'model', values: ['b'] },
        ],
      }),
    ).toEqual({ 'filters[1].key': "repeats filters[0].key 'model'; give each key once with all its values" });
  });

  it('replays a retry with the same Idempotency-Key instead of creating a second meter', async () => {
    const before = await meterCount();
    const headers = { 'Idempotency-Key': 'meter-create-retry-1' };
    const first = await api.post('/v1/meters', { ...tokens, name: 'Once' }, headers);
    const again = await api.post('/v1/meters', { ...tokens, name: 'Once' }, headers);
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await meterCount()).toBe(before + 1);
  });
});

describe('GET /v1/meters', () => {
  let listed: Array<Record<string, any>>;
  let started: string;
  beforeAll(async () => {
    server.clock.advance(3_600_000);
    started = server.clock.now().toISOString();
    listed = [];
    for (const [name, event] of [
      ['List C', 'list.alpha'],
      ['List A', 'list.beta'],
      ['List B', 'list.alpha'],
    ]) {
      server.clock.advance(60_000);
      listed.push(await createMeter(api, { ...tokens, name, event_name: event }));
    }
  });

  it('pages newest first with FlexPrice’s pagination (offset = next page)', async () => {
    const page = await api.get(`/v1/meters?limit=2&start_time=${started}`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((m: { id: string }) => m.id)).toEqual([listed[2].id, listed[1].id]);
    expect(page.body.pagination).toEqual({ total: 3, limit: 2, offset: 2 });
    const next = await api.get(`/v1/meters?limit=2&offset=2&start_time=${started}`);
    expect(next.body.items.map((m: { id: string }) => m.id)).toEqual([listed[0].id]);
  });

  it('filters by event_name, meter_ids (repeated) and created_at range', async () => {
    const byEvent = await api.get('/v1/meters?event_name=list.alpha');
    expect(byEvent.body.items.map((m: { name: string }) => m.name)).toEqual(['List B', 'List C']);
    const byIds = await api.get(`/v1/meters?meter_ids=${listed[0].id}&meter_ids=${listed[1].id}`);
    expect(byIds.body.items.map((m: { id: string }) => m.id).sort()).toEqual([listed[0].id, listed[1].id].sort());
    const range = await api.get(`/v1/meters?start_time=${listed[1].created_at}&end_time=${listed[1].created_at}`);
    expect(range.body.items.map((m: { id: string }) => m.id)).toEqual([listed[1].id]);
  });

  it('sorts by a named field', async () => {
    const res = await api.get(`/v1/meters?sort=name&order=asc&start_time=${started}`);
    expect(res.body.items.map((m: { name: string }) => m.name)).toEqual(['List A', 'List B', 'List C']);
  });

  it('refuses an unknown sort field, an end before the start and a bad limit', async () => {
    const sort = await api.get('/v1/meters?sort=colour');
    expect(sort.status).toBe(400);
    expect(sort.body.details).toEqual({ sort: "unknown field name 'colour' in meter sort; allowed: id, name, event_name, reset_usage, status, created_at, updated_at" });
    const range = await api.get(`/v1/meters?start_time=${listed[2].created_at}&end_time=${listed[0].created_at}`);
    expect(range.status).toBe(400);
    expect(range.body.details).toEqual({ end_time: 'must not be before start_time' });
    expect((await api.get('/v1/meters?limit=1001')).status).toBe(400);
  });
});

describe('PUT /v1/meters/{id} — additive filters', () => {
  it('appends new values and new keys, keeps what was there, and persists it', async () => {
    const meter = await createMeter(api, tokens);
    server.clock.advance(1000);
    const res = await api.put(`/v1/meters/${meter.id}`, {
      filters: [
        { key: 'model', values: ['o1-mini', 'gpt-4o-mini'] },
        { key: 'region', values: ['eu', 'us'] },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body.filters).toEqual([
      { key: 'model', values: ['gpt-4o', 'o1-mini', 'gpt-4o-mini'] },
      { key: 'region', values: ['eu', 'us'] },
    ]);
    expect(res.body.updated_at > meter.updated_at).toBe(true);
    expect(res.body.created_at).toBe(meter.created_at);
    expect({ ...res.body, filters: undefined, updated_at: undefined }).toEqual({ ...meter, filters: undefined, updated_at: undefined });
    expect((await api.get(`/v1/meters/${meter.id}`)).body).toEqual(res.body);
  });

  it('cannot remove a value: sending a subset changes nothing, not even updated_at', async () => {
    const meter = await createMeter(api, tokens);
    server.clock.advance(1000);
    const res = await api.put(`/v1/meters/${meter.id}`, { filters: [{ key: 'model', values: ['gpt-4o'] }] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(meter);
  });

  it('refuses empty or missing filters, writing nothing', async () => {
    const meter = await createMeter(api, tokens);
    const empty = await api.put(`/v1/meters/${meter.id}`, { filters: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.details).toEqual({ filters: 'must NOT have fewer than 1 items' });
    const missing = await api.put(`/v1/meters/${meter.id}`, {});
    expect(missing.body.details).toEqual({ filters: 'is required' });
    const noValues = await api.put(`/v1/meters/${meter.id}`, { filters: [{ key: 'model', values: [] }] });
    expect(noValues.status).toBe(400);
    expect((await api.get(`/v1/meters/${meter.id}`)).body).toEqual(meter);
  });

  it('answers 404 for an unknown meter', async () => {
    const res = await api.put('/v1/meters/meter_nope', { filters: [{ key: 'a', values: ['b'] }] });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', message: 'Meter with ID meter_nope was not found' });
  });
});

describe('disable and delete', () => {
  it('POST /meters/{id}/disable archives the meter: readable, out of the default list, idempotent', async () => {
    const meter = await createMeter(api, { ...tokens, name: 'To disable', event_name: 'disable.me' });
    server.clock.advance(1000);
    const res = await api.post(`/v1/meters/${meter.id}/disable`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Meter disabled successfully' });
    const got = await api.get(`/v1/meters/${meter.id}`);
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('archived');
    expect(got.body.updated_at > meter.updated_at).toBe(true);
    expect((await api.get('/v1/meters?event_name=disable.me')).body.items).toEqual([]);
    expect((await api.get('/v1/meters?event_name=disable.me&status=archived')).body.items).toEqual([got.body]);

    server.clock.advance(1000);
    const again = await api.post(`/v1/meters/${meter.id}/disable`);
    expect(again.status).toBe(200);
    expect((await api.get(`/v1/meters/${meter.id}`)).body).toEqual(got.body);
  });

  it('DELETE /meters/{id} does the same with FlexPrice’s message', async () => {
    const meter = await createMeter(api, tokens);
    const res = await api.delete(`/v1/meters/${meter.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'Meter deleted successfully' });
    expect((await api.get(`/v1/meters/${meter.id}`)).body.status).toBe('archived');
  });

  it('answers 404 for unknown meters', async () => {
    expect((await api.post('/v1/meters/meter_nope/disable')).status).toBe(404);
    expect((await api.delete('/v1/meters/meter_nope')).status).toBe(404);
    const get = await api.get('/v1/meters/meter_nope');
    expect(get.status).toBe(404);
    expect(get.body.details).toEqual({ id: 'meter_nope' });
  });
});

describe('environments are isolated', () => {
  let devMeter: Record<string, any>;
  beforeAll(async () => {
    devMeter = await createMeter(api, { ...tokens, name: 'Dev only', event_name: 'dev.only' });
  });

  it('a production key cannot read, list, update, disable or delete a development meter', async () => {
    expect((await prod.get(`/v1/meters/${devMeter.id}`)).status).toBe(404);
    expect((await prod.get('/v1/meters?event_name=dev.only')).body).toEqual({ items: [], pagination: { total: 0, limit: 50, offset: 50 } });
    expect((await prod.get(`/v1/meters?meter_ids=${devMeter.id}`)).body.items).toEqual([]);
    expect((await prod.put(`/v1/meters/${devMeter.id}`, { filters: [{ key: 'x', values: ['y'] }] })).status).toBe(404);
    expect((await prod.post(`/v1/meters/${devMeter.id}/disable`)).status).toBe(404);
    expect((await prod.delete(`/v1/meters/${devMeter.id}`)).status).toBe(404);
    expect((await api.get(`/v1/meters/${devMeter.id}`)).body).toEqual(devMeter);
  });

  it('a production meter lives in production only', async () => {
    const prodMeter = await createMeter(prod, { ...tokens, name: 'Prod only', event_name: 'prod.only' });
    expect(prodMeter.environment_id).not.toBe(devMeter.environment_id);
    expect((await api.get(`/v1/meters/${prodMeter.id}`)).status).toBe(404);
    expect((await prod.get('/v1/meters')).body.items.map((m: { id: string }) => m.id)).toEqual([prodMeter.id]);
  });
});
