import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { count, created, createFeature, expectRefused, unique, useTestServer, withArchived } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();
let api: ApiClient;
let prod: ApiClient;
beforeAll(async () => {
  api = server.api;
  prod = (await productionApi(server)).api;
});

const featureId = /^feat_[0-9A-HJKMNP-TV-Z]{26}$/;
const meterId = /^meter_[0-9A-HJKMNP-TV-Z]{26}$/;

const inlineMeter = {
  name: 'Tokens',
  event_name: 'llm.completion',
  aggregation: { type: 'SUM', field: 'tokens' },
  filters: [{ key: 'model', values: ['gpt-4o'] }],
  reset_usage: 'BILLING_PERIOD',
};

/** A metered feature ("LLM tokens", a unique lookup key) on `inlineMeter`; override any field. */
const metered = (extra: Record<string, unknown> = {}) => createFeature(api, { type: 'metered', meter: inlineMeter, ...extra });

/** Rows of the environment, any status, read through the lists' totals. */
const counts = async (client = api) => ({
  features: await count(client, '/v1/features', withArchived),
  meters: await count(client, '/v1/meters', withArchived),
});

/** Posts a create that must fail with `status`, proves neither a feature nor a meter was written. */
const refuseFeature = (body: unknown, status = 400) => expectRefused(api, { path: '/v1/features', body }, { status }, counts);

describe('POST /v1/features', () => {
  it('creates a boolean feature: FlexPrice’s fields, empty strings for unset text, lookup key from the name', async () => {
    const f = await created(api, '/v1/features', { name: 'Single Sign-On', type: 'boolean', metadata: { tier: 'enterprise' } });
    expect(f.id).toMatch(featureId);
    expect(f).toMatchObject({
      name: 'Single Sign-On',
      type: 'boolean',
      lookup_key: 'single_sign_on',
      description: '',
      meter_id: '',
      unit_singular: '',
      unit_plural: '',
      metadata: { tier: 'enterprise' },
      status: 'published',
      tenant_id: server.bootstrap.tenantId,
      environment_id: server.bootstrap.defaultEnvironmentId,
    });
    expect(f.created_by).toMatch(/^secret_/);
    expect(Object.keys(f).sort()).toEqual(
      [
        'id', 'name', 'lookup_key', 'description', 'meter_id', 'metadata', 'type', 'unit_singular', 'unit_plural',
        'environment_id', 'tenant_id', 'status', 'created_at', 'updated_at', 'created_by', 'updated_by',
      ].sort(),
    );
    expect((await api.get(`/v1/features/${f.id}`)).body).toEqual(f);
  });

  it('creates a metered feature with its inline meter, embedded in the answer and readable on its own', async () => {
    const lookup = unique('llm_tokens');
    const f = await createFeature(api, {
      name: 'LLM tokens',
      type: 'metered',
      lookup_key: lookup,
      description: 'Tokens used by completions',
      unit_singular: 'token',
      unit_plural: 'tokens',
      reporting_unit: { unit_singular: 'thousand tokens', unit_plural: 'thousand tokens', conversion_rate: '0.0010' },
      meter: inlineMeter,
    });
    expect(f).toMatchObject({ lookup_key: lookup, type: 'metered', unit_singular: 'token', unit_plural: 'tokens' });
    expect(f.reporting_unit).toEqual({ unit_singular: 'thousand tokens', unit_plural: 'thousand tokens', conversion_rate: '0.001' });
    expect(f.meter_id).toMatch(meterId);
    expect(f.meter).toMatchObject({ id: f.meter_id, name: 'Tokens', event_name: 'llm.completion', aggregation: { type: 'SUM', field: 'tokens' }, status: 'published' });
    const meter = await api.get(`/v1/meters/${f.meter_id}`);
    expect(meter.status).toBe(200);
    expect(meter.body).toEqual(f.meter);
    expect((await api.get(`/v1/features/${f.id}`)).body).toEqual(f);
  });

  it('accepts conversion_rate as a JSON number (FlexPrice’s spec types it so) and answers a string', async () => {
    const f = await createFeature(api, {
      name: 'Compute',
      lookup_key: unique('compute'),
      type: 'static',
      reporting_unit: { unit_singular: 'second', unit_plural: 'seconds', conversion_rate: 0.001 },
    });
    expect(f.reporting_unit.conversion_rate).toBe('0.001');
  });

  it('links a metered feature to an existing published meter by meter_id', async () => {
    const meter = (await api.post('/v1/meters', inlineMeter)).body;
    const f = await createFeature(api, { name: 'By id', lookup_key: unique('by_id'), type: 'metered', meter_id: meter.id });
    expect(f.meter_id).toBe(meter.id);
    expect(f.meter).toEqual(meter);
  });

  it('keeps alert settings, thresholds as decimal strings, alert_enabled defaulting to false', async () => {
    const f = await createFeature(api, {
      name: 'Alerted',
      lookup_key: unique('alerted'),
      type: 'metered',
      meter: inlineMeter,
      alert_settings: { critical: { threshold: '10.50', condition: 'below' }, warning: { threshold: 20, condition: 'below' } },
    });
    expect(f.alert_settings).toEqual({
      alert_enabled: false,
      critical: { threshold: '10.5', condition: 'below' },
      warning: { threshold: '20', condition: 'below' },
    });
  });

  it('a bad inline meter is refused (400 naming meter.*) and neither feature nor meter is written', async () => {
    const body = await refuseFeature({
      name: 'Broken',
      type: 'metered',
      meter: { ...inlineMeter, aggregation: { type: 'SUM_WITH_MULTIPLIER', field: 'b', multiplier: '0' }, reset_usage: 'NEVER' },
    });
    expect(body.details).toEqual({ 'meter.aggregation.multiplier': 'must be greater than 0' });
    const schema = await refuseFeature({ name: 'Broken', type: 'metered', meter: { name: 'x', aggregation: { type: 'SUM', field: 'f' } } });
    expect(schema.details).toEqual({ 'meter.event_name': 'is required', 'meter.reset_usage': 'is required' });
    const expression = await refuseFeature({ name: 'Broken', type: 'metered', meter: { ...inlineMeter, aggregation: { type: 'SUM', expression: 'a * b' } } });
    expect(expression.details['meter.aggregation.expression']).toMatch(/^is not supported yet/);
  });

  it('is atomic: when the feature cannot be created (lookup key taken), its inline meter is not created either', async () => {
    const taken = await createFeature(api, { name: 'Taken', lookup_key: unique('taken'), type: 'boolean' });
    const body = await refuseFeature({ name: 'Other', lookup_key: taken.lookup_key, type: 'metered', meter: inlineMeter }, 409);
    expect(body).toMatchObject({ code: 'already_exists', message: 'A feature with this lookup key already exists', details: { lookup_key: taken.lookup_key } });
  });

  it('refuses a metered feature without a meter, or with both meter_id and meter', async () => {
    expect((await refuseFeature({ name: 'M', type: 'metered' })).details).toEqual({ meter_id: 'or meter is required for a metered feature' });
    expect((await refuseFeature({ name: 'M', type: 'metered', meter_id: 'meter_x', meter: inlineMeter })).details).toEqual({
      meter: 'cannot be given with meter_id; give one of them',
    });
  });

  it('refuses a meter on a feature that is not metered', async () => {
    expect((await refuseFeature({ name: 'B', type: 'boolean', meter: inlineMeter })).details).toEqual({ meter: 'only a metered feature has a meter, not a boolean one' });
  });

  it('refuses a meter_id that is unknown (404) or names a disabled meter (400), writing nothing', async () => {
    const unknown = await refuseFeature({ name: 'M', type: 'metered', meter_id: 'meter_nope' }, 404);
    expect(unknown).toMatchObject({ code: 'not_found', message: 'Meter with meter_id meter_nope was not found', details: { meter_id: 'meter_nope' } });
    const meter = (await api.post('/v1/meters', inlineMeter)).body;
    expect((await api.post(`/v1/meters/${meter.id}/disable`)).status).toBe(200);
    const disabled = await refuseFeature({ name: 'M', type: 'metered', meter_id: meter.id });
    expect(disabled.details).toEqual({ meter_id: `names meter ${meter.id}, which is archived; a metered feature needs a published meter` });
  });

  it('refuses unit names given alone, naming the missing one', async () => {
    expect((await refuseFeature({ name: 'U', type: 'boolean', unit_singular: 'call' })).details).toEqual({
      unit_plural: 'is required when unit_singular is set (give both or neither)',
    });
    expect((await refuseFeature({ name: 'U', type: 'boolean', unit_plural: 'calls' })).details).toEqual({
      unit_singular: 'is required when unit_plural is set (give both or neither)',
    });
  });

  it('refuses a partial reporting_unit or a conversion_rate that is not > 0', async () => {
    expect((await refuseFeature({ name: 'R', type: 'boolean', reporting_unit: { unit_singular: 's', unit_plural: 'p' } })).details).toEqual({
      'reporting_unit.conversion_rate': 'is required',
    });
    for (const rate of ['0', '-0.5', 0]) {
      expect((await refuseFeature({ name: 'R', type: 'boolean', reporting_unit: { unit_singular: 's', unit_plural: 'p', conversion_rate: rate } })).details).toEqual({
        'reporting_unit.conversion_rate': 'must be greater than 0',
      });
    }
  });

  it('refuses an unknown type, a missing name and a group (not supported yet)', async () => {
    const details = (await refuseFeature({ type: 'gauge' })).details;
    expect(details).toEqual({ name: 'is required', type: 'must be one of: metered, boolean, static, config' });
    expect((await refuseFeature({ name: 'G', type: 'boolean', group_id: 'group_1' })).details).toEqual({
      group_id: 'is not supported yet: Tally has no feature groups; leave it empty',
    });
  });

  it('refuses inconsistent alert settings', async () => {
    const details = (
      await refuseFeature({
        name: 'A',
        type: 'boolean',
        alert_settings: { critical: { threshold: '10', condition: 'above' }, warning: { threshold: '20', condition: 'above' } },
      })
    ).details;
    expect(details).toEqual({ 'alert_settings.warning.threshold': "must not be greater than critical.threshold (10) for 'above'" });
  });
});

describe('lookup_key', () => {
  it('is unique among published features of the environment: 409 on a clash, nothing written', async () => {
    const lookup = unique('unique');
    await createFeature(api, { name: 'First', lookup_key: lookup, type: 'boolean' });
    const body = await refuseFeature({ name: 'Second', lookup_key: lookup, type: 'static' }, 409);
    expect(body).toMatchObject({ code: 'already_exists', http_status_code: 409, details: { lookup_key: lookup } });
  });

  it('holds under concurrent creates: one wins, the others get 409, each inline meter only with its feature', async () => {
    const lookup = unique('race');
    const before = await counts();
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) => api.post('/v1/features', { name: `Race ${i}`, lookup_key: lookup, type: 'metered', meter: inlineMeter })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    expect(await counts()).toEqual({ features: before.features + 1, meters: before.meters + 1 });
  });

  it('a derived lookup key clashes too, as in FlexPrice (same name, no lookup_key)', async () => {
    await created(api, '/v1/features', { name: 'Derived Clash', type: 'boolean' });
    expect((await refuseFeature({ name: 'derived clash', type: 'boolean' }, 409)).details).toEqual({ lookup_key: 'derived_clash' });
  });

  it('is free again once the feature is deleted', async () => {
    const lookup = unique('reuse');
    const first = await createFeature(api, { name: 'Old', lookup_key: lookup, type: 'boolean' });
    expect((await api.delete(`/v1/features/${first.id}`)).status).toBe(200);
    const second = await createFeature(api, { name: 'New', lookup_key: lookup, type: 'boolean' });
    expect(second.id).not.toBe(first.id);
    expect((await api.get(`/v1/features?lookup_key=${lookup}`)).body.items.map((f: { id: string }) => f.id)).toEqual([second.id]);
    expect((await api.get(`/v1/features?lookup_key=${lookup}&status=archived`)).body.items.map((f: { id: string }) => f.id)).toEqual([first.id]);
  });

  it('is per environment: production may use a development lookup key', async () => {
    const lookup = unique('both_envs');
    await createFeature(api, { name: 'Dev', lookup_key: lookup, type: 'boolean' });
    const inProd = await createFeature(prod, { name: 'Prod', lookup_key: lookup, type: 'boolean' });
    expect(inProd.lookup_key).toBe(lookup);
  });
});

describe('GET /v1/features/{id}', () => {
  it('answers 404 for an unknown feature', async () => {
    const res = await api.get('/v1/features/feat_nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', message: 'Feature with ID feat_nope was not found', details: { id: 'feat_nope' } });
  });
});

describe('listing and searching', () => {
  let started: string;
  let made: Array<Record<string, any>>;
  beforeAll(async () => {
    server.clock.advance(3_600_000);
    started = server.clock.now().toISOString();
    made = [];
    for (const body of [
      { name: 'Search Charlie', lookup_key: 'search_c', type: 'metered', meter: inlineMeter },
      { name: 'Search Alpha', lookup_key: 'search_a', type: 'boolean' },
      { name: 'Search Bravo', lookup_key: 'search_b', type: 'static', description: 'bravo text' },
    ]) {
      server.clock.advance(60_000);
      made.push(await createFeature(api, body));
    }
  });
  const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((f) => f.id);

  it('GET lists published features newest first, without meters unless expand=meters', async () => {
    const res = await api.get(`/v1/features?start_time=${started}`);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([made[2].id, made[1].id, made[0].id]);
    expect(res.body.pagination).toEqual({ total: 3, limit: 50, offset: 50 });
    expect(res.body.items.every((f: object) => !('meter' in f))).toBe(true);
    const expanded = await api.get(`/v1/features?start_time=${started}&expand=meters`);
    const charlie = expanded.body.items.find((f: { id: string }) => f.id === made[0].id);
    expect(charlie.meter).toEqual(made[0].meter);
    expect(expanded.body.items.filter((f: object) => 'meter' in f)).toHaveLength(1);
  });

  it('GET filters by lookup_keys (repeated), feature_ids, meter_ids, name_contains and sorts', async () => {
    expect(ids(await api.get('/v1/features?lookup_keys=search_a&lookup_keys=search_b&sort=name&order=asc'))).toEqual([made[1].id, made[2].id]);
    expect(ids(await api.get(`/v1/features?feature_ids=${made[0].id}`))).toEqual([made[0].id]);
    expect(ids(await api.get(`/v1/features?meter_ids=${made[0].meter_id}`))).toEqual([made[0].id]);
    expect(ids(await api.get('/v1/features?name_contains=SEARCH%20b'))).toEqual([made[2].id]);
    const page = await api.get(`/v1/features?start_time=${started}&limit=2&offset=2`);
    expect(ids(page)).toEqual([made[0].id]);
    expect(page.body.pagination).toEqual({ total: 3, limit: 2, offset: 4 });
  });

  it('POST /features/search takes FlexPrice’s filters, sort and expand', async () => {
    const res = await api.post('/v1/features/search', {
      start_time: started,
      expand: 'meters',
      filters: [{ field: 'lookup_key', operator: 'in', data_type: 'array', value: { array: ['search_a', 'search_c'] } }],
      sort: [{ field: 'name', direction: 'desc' }],
    });
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([made[0].id, made[1].id]);
    expect(res.body.items[0].meter.id).toBe(made[0].meter_id);
    const byType = await api.post('/v1/features/search', { filters: [{ field: 'type', operator: 'eq', data_type: 'string', value: { string: 'static' } }], start_time: started });
    expect(ids(byType)).toEqual([made[2].id]);
    const byDescription = await api.post('/v1/features/search', { filters: [{ field: 'description', operator: 'contains', data_type: 'string', value: { string: 'BRAVO' } }] });
    expect(ids(byDescription)).toEqual([made[2].id]);
  });

  it('refuses unknown filter fields, sort fields and expand tokens', async () => {
    const filter = await api.post('/v1/features/search', { filters: [{ field: 'colour', operator: 'eq', data_type: 'string', value: { string: 'x' } }] });
    expect(filter.status).toBe(400);
    expect(Object.keys(filter.body.details)).toEqual(['filters[0].field']);
    const sort = await api.get('/v1/features?sort=colour');
    expect(sort.status).toBe(400);
    expect(Object.keys(sort.body.details)).toEqual(['sort']);
    const expand = await api.get('/v1/features?expand=meters,plans');
    expect(expand.status).toBe(400);
    expect(expand.body.details).toEqual({ expand: "cannot expand 'plans'; allowed: meters" });
    const range = await api.post('/v1/features/search', { start_time: '2025-02-01T00:00:00Z', end_time: '2025-01-01T00:00:00Z' });
    expect(range.body.details).toEqual({ end_time: 'must not be before start_time' });
  });
});

describe('PUT /v1/features/{id}', () => {
  it('changes the given fields only; metadata replaces; empty text clears', async () => {
    const f = await createFeature(api, {
      name: 'Editable',
      lookup_key: unique('editable'),
      type: 'boolean',
      description: 'old',
      metadata: { a: '1', b: '2' },
      unit_singular: 'seat',
      unit_plural: 'seats',
    });
    server.clock.advance(1000);
    const res = await api.put(`/v1/features/${f.id}`, { name: 'Edited', description: '', metadata: { c: '3' }, unit_singular: '', unit_plural: '' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ...f,
      name: 'Edited',
      description: '',
      metadata: { c: '3' },
      unit_singular: '',
      unit_plural: '',
      updated_at: res.body.updated_at,
    });
    expect(res.body.updated_at > f.updated_at).toBe(true);
    expect((await api.get(`/v1/features/${f.id}`)).body).toEqual(res.body);
  });

  it('checks the unit pair on the result: one name alone is refused, nothing written', async () => {
    const f = await createFeature(api, { name: 'Units', lookup_key: unique('units'), type: 'boolean' });
    const res = await api.put(`/v1/features/${f.id}`, { unit_singular: 'call', name: 'Renamed' });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({ unit_plural: 'is required when unit_singular is set (give both or neither)' });
    expect((await api.get(`/v1/features/${f.id}`)).body).toEqual(f);
    expect((await api.put(`/v1/features/${f.id}`, { unit_plural: 'calls', unit_singular: 'call' })).body).toMatchObject({ unit_singular: 'call', unit_plural: 'calls' });
  });

  it('replaces the reporting unit and merges alert settings per level', async () => {
    const f = await createFeature(api, {
      name: 'Report',
      lookup_key: unique('report'),
      type: 'metered',
      meter: inlineMeter,
      reporting_unit: { unit_singular: 's', unit_plural: 'ss', conversion_rate: '1' },
      alert_settings: { alert_enabled: true, critical: { threshold: '100', condition: 'above' } },
    });
    const res = await api.put(`/v1/features/${f.id}`, {
      reporting_unit: { unit_singular: 'min', unit_plural: 'mins', conversion_rate: '0.01666' },
      alert_settings: { info: { threshold: '10', condition: 'above' } },
    });
    expect(res.status).toBe(200);
    expect(res.body.reporting_unit).toEqual({ unit_singular: 'min', unit_plural: 'mins', conversion_rate: '0.01666' });
    expect(res.body.alert_settings).toEqual({
      alert_enabled: true,
      critical: { threshold: '100', condition: 'above' },
      info: { threshold: '10', condition: 'above' },
    });
    const bad = await api.put(`/v1/features/${f.id}`, { alert_settings: { warning: { threshold: '500', condition: 'above' } } });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual({ 'alert_settings.warning.threshold': "must not be greater than critical.threshold (100) for 'above'" });
  });

  it('adds filters to a metered feature’s meter, additively, in the same request', async () => {
    const f = await metered();
    const res = await api.put(`/v1/features/${f.id}`, { filters: [{ key: 'model', values: ['o1-mini'] }, { key: 'region', values: ['eu'] }] });
    expect(res.status).toBe(200);
    const expected = [
      { key: 'model', values: ['gpt-4o', 'o1-mini'] },
      { key: 'region', values: ['eu'] },
    ];
    expect(res.body.meter.filters).toEqual(expected);
    expect((await api.get(`/v1/meters/${f.meter_id}`)).body.filters).toEqual(expected);
  });

  it('refuses filters on a feature that is not metered, and other bad input, writing nothing', async () => {
    const f = await createFeature(api, { name: 'Flag', lookup_key: unique('flag'), type: 'boolean' });
    const filters = await api.put(`/v1/features/${f.id}`, { name: 'Changed', filters: [{ key: 'a', values: ['b'] }] });
    expect(filters.status).toBe(400);
    expect(filters.body.details).toEqual({ filters: `only a metered feature has meter filters; ${f.id} is boolean` });
    const bad = await api.put(`/v1/features/${f.id}`, { name: ' ', reporting_unit: { unit_singular: 'a', unit_plural: 'b', conversion_rate: '0' }, group_id: 'g' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.details).sort()).toEqual(['group_id', 'name', 'reporting_unit.conversion_rate']);
    expect((await api.get(`/v1/features/${f.id}`)).body).toEqual(f);
  });

  it('answers 404 for an unknown feature', async () => {
    expect((await api.put('/v1/features/feat_nope', { name: 'x' })).status).toBe(404);
  });
});

describe('DELETE /v1/features/{id}', () => {
  it('archives a metered feature and disables its meter with it', async () => {
    const f = await metered();
    server.clock.advance(1000);
    const res = await api.delete(`/v1/features/${f.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'feature deleted successfully' });
    const got = await api.get(`/v1/features/${f.id}`);
    expect(got.status).toBe(200);
    expect(got.body.status).toBe('archived');
    expect(got.body.meter.status).toBe('archived');
    expect((await api.get(`/v1/meters/${f.meter_id}`)).body.status).toBe('archived');
    expect((await api.get(`/v1/features?feature_ids=${f.id}`)).body.items).toEqual([]);
    expect((await api.get(`/v1/meters?meter_ids=${f.meter_id}`)).body.items).toEqual([]);
  });

  it('deleting again changes nothing', async () => {
    const f = await createFeature(api, { name: 'Twice', lookup_key: unique('twice'), type: 'config' });
    expect((await api.delete(`/v1/features/${f.id}`)).status).toBe(200);
    const once = (await api.get(`/v1/features/${f.id}`)).body;
    server.clock.advance(1000);
    expect((await api.delete(`/v1/features/${f.id}`)).status).toBe(200);
    expect((await api.get(`/v1/features/${f.id}`)).body).toEqual(once);
  });

  it('answers 404 for an unknown feature', async () => {
    expect((await api.delete('/v1/features/feat_nope')).status).toBe(404);
  });
});

describe('POST /v1/features/{id}/clone', () => {
  it('copies the feature under a new id, name and lookup key, with its own copy of the meter', async () => {
    const source = await metered({
      description: 'source text',
      metadata: { team: 'ai', tier: 'pro' },
      unit_singular: 'token',
      unit_plural: 'tokens',
      reporting_unit: { unit_singular: 'k', unit_plural: 'k', conversion_rate: '0.001' },
    });
    const lookup = unique('clone');
    const res = await api.post(`/v1/features/${source.id}/clone`, { name: 'Copy', lookup_key: lookup, metadata: { tier: 'max' } });
    expect(res.status).toBe(201);
    const c = res.body;
    expect(c.id).toMatch(featureId);
    expect(c.id).not.toBe(source.id);
    expect(c).toMatchObject({
      name: 'Copy',
      lookup_key: lookup,
      type: 'metered',
      description: 'source text',
      unit_singular: 'token',
      unit_plural: 'tokens',
      reporting_unit: source.reporting_unit,
      metadata: { team: 'ai', tier: 'max', source_feature_id: source.id },
      status: 'published',
    });
    expect(c.meter_id).toMatch(meterId);
    expect(c.meter_id).not.toBe(source.meter_id);
    const strip = (m: Record<string, unknown>) => ({ ...m, id: undefined, created_at: undefined, updated_at: undefined });
    expect(strip(c.meter)).toEqual(strip(source.meter));
    expect((await api.get(`/v1/features/${c.id}`)).body).toEqual(c);

    // Deleting the clone disables only its own meter.
    expect((await api.delete(`/v1/features/${c.id}`)).status).toBe(200);
    expect((await api.get(`/v1/meters/${c.meter_id}`)).body.status).toBe('archived');
    expect((await api.get(`/v1/meters/${source.meter_id}`)).body.status).toBe('published');
  });

  it('overrides the description when given and copies a feature without a meter', async () => {
    const source = await createFeature(api, { name: 'Plain', lookup_key: unique('plain'), type: 'static', description: 'keep?' });
    const res = await api.post(`/v1/features/${source.id}/clone`, { name: 'Plain 2', lookup_key: unique('plain2'), description: 'new text' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ description: 'new text', meter_id: '', type: 'static', metadata: { source_feature_id: source.id } });
    expect(res.body).not.toHaveProperty('meter');
  });

  it('refuses a lookup key in use with 409, writing neither feature nor meter', async () => {
    const source = await metered();
    const before = await counts();
    const res = await api.post(`/v1/features/${source.id}/clone`, { name: 'Clash', lookup_key: source.lookup_key });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'already_exists', details: { lookup_key: source.lookup_key } });
    expect(await counts()).toEqual(before);
  });

  it('requires name and lookup_key, and answers 404 for an unknown source', async () => {
    const source = await createFeature(api, { name: 'Src', lookup_key: unique('src'), type: 'boolean' });
    const missing = await api.post(`/v1/features/${source.id}/clone`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual({ name: 'is required', lookup_key: 'is required' });
    expect((await api.post('/v1/features/feat_nope/clone', { name: 'x', lookup_key: unique('x') })).status).toBe(404);
  });
});

describe('environments are isolated', () => {
  let devFeature: Record<string, any>;
  beforeAll(async () => {
    devFeature = await metered({ name: 'Dev metered' });
  });

  it('a production key cannot read, list, search, update, delete or clone a development feature', async () => {
    expect((await prod.get(`/v1/features/${devFeature.id}`)).status).toBe(404);
    expect((await prod.get(`/v1/features?feature_ids=${devFeature.id}`)).body.items).toEqual([]);
    expect((await prod.post('/v1/features/search', { lookup_keys: [devFeature.lookup_key] })).body.items).toEqual([]);
    expect((await prod.put(`/v1/features/${devFeature.id}`, { name: 'Hijacked' })).status).toBe(404);
    expect((await prod.delete(`/v1/features/${devFeature.id}`)).status).toBe(404);
    expect((await prod.post(`/v1/features/${devFeature.id}/clone`, { name: 'Stolen', lookup_key: unique('stolen') })).status).toBe(404);
    expect((await api.get(`/v1/features/${devFeature.id}`)).body).toEqual(devFeature);
    expect((await api.get(`/v1/meters/${devFeature.meter_id}`)).body.status).toBe('published');
  });

  it('a production feature cannot use a development meter', async () => {
    const before = await counts(prod);
    const res = await prod.post('/v1/features', { name: 'Borrow', type: 'metered', meter_id: devFeature.meter_id });
    expect(res.status).toBe(404);
    expect(res.body.details).toEqual({ meter_id: devFeature.meter_id });
    expect(await counts(prod)).toEqual(before);
  });
});
