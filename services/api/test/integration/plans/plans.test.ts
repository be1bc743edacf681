import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { insertPrice, type RowScope } from '../../support/catalog-rows.ts';
import { count, created, createEntitlement, createFeature, createPlan, createPrice, devScope, priceBody, unique, useTestServer, withArchived } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();
let api: ApiClient;
let prod: ApiClient;
let dev: RowScope;
beforeAll(async () => {
  api = server.api;
  dev = devScope(server);
  prod = (await productionApi(server)).api;
});

const planId = /^plan_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Plans of the environment, any status, read through the lists' totals. */
const planCount = () => count(api, '/v1/plans', withArchived);

describe('POST /v1/plans', () => {
  it('creates a plan with FlexPrice’s fields; GET embeds its (empty) prices and entitlements', async () => {
    const lookup = unique('pro');
    const plan = await createPlan(api, { name: 'Pro', lookup_key: lookup, description: 'For growing teams', display_order: 2, metadata: { tier: 'pro' } });
    expect(plan.id).toMatch(planId);
    expect(plan).toMatchObject({
      name: 'Pro',
      lookup_key: lookup,
      description: 'For growing teams',
      display_order: 2,
      metadata: { tier: 'pro' },
      status: 'published',
      tenant_id: server.bootstrap.tenantId,
      environment_id: server.bootstrap.defaultEnvironmentId,
    });
    expect(plan.created_by).toMatch(/^secret_/);
    expect(plan.updated_by).toBe(plan.created_by);
    expect(Object.keys(plan).sort()).toEqual(
      [
        'id', 'name', 'lookup_key', 'description', 'display_order', 'metadata', 'environment_id', 'tenant_id', 'status',
        'created_at', 'updated_at', 'created_by', 'updated_by',
      ].sort(),
    );
    const got = await api.get(`/v1/plans/${plan.id}`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...plan, prices: [], entitlements: [] });
  });

  it('a plan needs only a name: empty strings for unset text, no display_order, no lookup key derived', async () => {
    const plan = await created(api, '/v1/plans', { name: 'Free' });
    expect(plan).toMatchObject({ name: 'Free', lookup_key: '', description: '', metadata: {} });
    expect(plan).not.toHaveProperty('display_order');
  });

  it('keeps display_order 0 (it is set, not absent)', async () => {
    expect((await created(api, '/v1/plans', { name: 'Zero', display_order: 0 })).display_order).toBe(0);
  });

  it.each<[string, unknown, Record<string, string>]>([
    ['no name', { lookup_key: 'x' }, { name: 'is required' }],
    ['a blank name', { name: '   ' }, { name: 'must not be blank' }],
    ['a blank lookup key', { name: 'A', lookup_key: '  ' }, { lookup_key: 'must not be blank' }],
    ['a metadata value that is not a string', { name: 'A', metadata: { seats: 5 } }, { 'metadata.seats': 'must be string' }],
    ['a fractional display_order', { name: 'A', display_order: 1.5 }, { display_order: 'must be integer' }],
  ])('refuses %s with 400 naming the field, writing nothing', async (_, body, fields) => {
    const before = await planCount();
    const res = await api.post('/v1/plans', body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(Object.keys(res.body.details)).toEqual(Object.keys(fields));
    for (const [field, problem] of Object.entries(fields)) expect(res.body.details[field]).toContain(problem);
    expect(await planCount()).toBe(before);
  });
});

describe('lookup_key', () => {
  it('is unique among published plans of the environment: 409 on a clash, nothing written', async () => {
    const lookup = unique('basic');
    await createPlan(api, { name: 'Basic', lookup_key: lookup });
    const before = await planCount();
    const res = await api.post('/v1/plans', { name: 'Basic again', lookup_key: lookup });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'already_exists', details: { lookup_key: lookup } });
    expect(await planCount()).toBe(before);
  });

  it('holds under concurrent creates: exactly one wins, the others get 409', async () => {
    const lookup = unique('race');
    const results = await Promise.all([1, 2, 3, 4].map((n) => api.post('/v1/plans', { name: `Race ${n}`, lookup_key: lookup })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409]);
    expect((await api.get(`/v1/plans?lookup_key=${lookup}`)).body.pagination.total).toBe(1);
  });

  it('plans without a lookup key never clash with each other', async () => {
    await created(api, '/v1/plans', { name: 'Keyless A' });
    await createPlan(api, { name: 'Keyless B', lookup_key: '' });
  });

  it('is free again once the plan is deleted (archived)', async () => {
    const lookup = unique('retired');
    const old = await createPlan(api, { name: 'Old', lookup_key: lookup });
    expect((await api.delete(`/v1/plans/${old.id}`)).status).toBe(200);
    const fresh = await createPlan(api, { name: 'New', lookup_key: lookup });
    expect(fresh.id).not.toBe(old.id);
    expect((await api.get(`/v1/plans/${old.id}`)).body).toMatchObject({ lookup_key: lookup, status: 'archived' });
  });

  it('is per environment: production may use a development lookup key', async () => {
    const lookup = unique('shared');
    await createPlan(api, { name: 'Dev', lookup_key: lookup });
    await createPlan(prod, { name: 'Prod', lookup_key: lookup });
  });
});

describe('GET /v1/plans/{id}', () => {
  it('embeds every published price — ended ones too — with its meter, and the published entitlements with their feature', async () => {
    const plan = await createPlan(api, { name: 'Usage', lookup_key: unique('usage') });
    const other = await created(api, '/v1/plans', { name: 'Other' });
    const meter = (await api.post('/v1/meters', { name: 'Calls', event_name: 'api.call', aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' })).body;
    const base = await createPrice(api, priceBody('PLAN', plan.id, { amount: '12.50' }));
    const usage = await createPrice(api, priceBody('PLAN', plan.id, { type: 'USAGE', amount: '0.0200', meter_id: meter.id, invoice_cadence: 'ARREAR' }));
    const ended = await createPrice(api, priceBody('PLAN', plan.id, { amount: 9, start_date: '2024-12-01T00:00:00Z', end_date: '2025-01-01T00:00:00Z' }));
    await createPrice(api, priceBody('PLAN', other.id));
    // Rows the prices API cannot make (it never archives a price, and checks the owner's type).
    await insertPrice(server.orm, dev, { entityType: 'PLAN', entityId: plan.id, status: 'archived' });
    await insertPrice(server.orm, dev, { entityType: 'ADDON', entityId: plan.id });
    const sso = await createFeature(api, { name: 'SSO', lookup_key: unique('sso'), type: 'boolean' });
    const seats = await createFeature(api, { name: 'Seats', lookup_key: unique('seats'), type: 'static' });
    const ssoEnt = await createEntitlement(api, { entity_type: 'PLAN', entity_id: plan.id, feature_id: sso.id, feature_type: 'boolean', is_enabled: true });
    const seatsEnt = await createEntitlement(api, { entity_type: 'PLAN', entity_id: plan.id, feature_id: seats.id, feature_type: 'static', static_value: '5' });
    expect((await api.delete(`/v1/entitlements/${seatsEnt.id}`)).status).toBe(200);

    const got = (await api.get(`/v1/plans/${plan.id}`)).body;
    expect(got.prices.map((p: any) => p.id).sort()).toEqual([base.id, usage.id, ended.id].sort());
    const byId = new Map(got.prices.map((p: any) => [p.id, p]));
    expect(byId.get(base.id)).toMatchObject({ amount: '12.5', display_amount: '$12.5', currency: 'usd', entity_type: 'PLAN', entity_id: plan.id });
    expect(byId.get(base.id)).not.toHaveProperty('meter');
    expect(byId.get(usage.id)).toMatchObject({ amount: '0.02', type: 'USAGE', meter_id: meter.id, meter: { id: meter.id, event_name: 'api.call' } });
    expect(byId.get(ended.id)).toMatchObject({ amount: '9', end_date: '2025-01-01T00:00:00.000Z' });
    expect(got.entitlements).toHaveLength(1);
    expect(got.entitlements[0]).toMatchObject({ id: ssoEnt.id, entity_type: 'PLAN', entity_id: plan.id, feature_id: sso.id, is_enabled: true });
    expect(got.entitlements[0].feature).toMatchObject({ id: sso.id, name: 'SSO', type: 'boolean' });
  });

  it('answers 404 naming the id for an unknown plan', async () => {
    const res = await api.get('/v1/plans/plan_nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', details: { id: 'plan_nope' } });
  });
});

describe('PUT /v1/plans/{id}', () => {
  it('changes the given fields only; metadata replaces; an empty lookup key or description clears it', async () => {
    const plan = await createPlan(api, { name: 'Team', lookup_key: unique('team'), description: 'Old', display_order: 1, metadata: { a: '1', b: '2' } });
    server.clock.advance(1000);
    const renamed = await api.put(`/v1/plans/${plan.id}`, { name: 'Team 2025', metadata: { c: '3' } });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({
      ...plan,
      name: 'Team 2025',
      metadata: { c: '3' },
      updated_at: renamed.body.updated_at,
    });
    expect(Date.parse(renamed.body.updated_at)).toBeGreaterThan(Date.parse(plan.updated_at));
    expect(renamed.body).not.toHaveProperty('prices');

    const newKey = unique('team_v2');
    const rekeyed = (await api.put(`/v1/plans/${plan.id}`, { lookup_key: newKey, display_order: 7 })).body;
    expect(rekeyed).toMatchObject({ lookup_key: newKey, display_order: 7, name: 'Team 2025', description: 'Old' });
    const cleared = (await api.put(`/v1/plans/${plan.id}`, { lookup_key: '', description: '' })).body;
    expect(cleared).toMatchObject({ lookup_key: '', description: '', display_order: 7 });
    expect((await api.get(`/v1/plans/${plan.id}`)).body).toMatchObject({ lookup_key: '', description: '' });
  });

  it('refuses a lookup key held by another published plan with 409, changing nothing; its own key is fine', async () => {
    const taken = unique('taken');
    await createPlan(api, { name: 'Holder', lookup_key: taken });
    const own = unique('own');
    const plan = await createPlan(api, { name: 'Mover', lookup_key: own });
    const res = await api.put(`/v1/plans/${plan.id}`, { name: 'Moved', lookup_key: taken });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'already_exists', details: { lookup_key: taken } });
    expect((await api.get(`/v1/plans/${plan.id}`)).body).toMatchObject({ name: 'Mover', lookup_key: own });
    expect((await api.put(`/v1/plans/${plan.id}`, { lookup_key: own, name: 'Same key' })).status).toBe(200);
  });

  it('refuses a blank name (400) and answers 404 for an unknown plan', async () => {
    const plan = await created(api, '/v1/plans', { name: 'Stable' });
    const bad = await api.put(`/v1/plans/${plan.id}`, { name: ' ' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toEqual({ name: 'must not be blank' });
    expect((await api.get(`/v1/plans/${plan.id}`)).body.name).toBe('Stable');
    expect((await api.put('/v1/plans/plan_nope', { name: 'x' })).status).toBe(404);
  });
});

describe('DELETE /v1/plans/{id}', () => {
  it('archives the plan: it leaves lists, stays readable, keeps its prices', async () => {
    const lookup = unique('gone');
    const plan = await createPlan(api, { name: 'Gone', lookup_key: lookup });
    const price = await createPrice(api, priceBody('PLAN', plan.id));
    const res = await api.delete(`/v1/plans/${plan.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'plan deleted successfully' });
    const got = (await api.get(`/v1/plans/${plan.id}`)).body;
    expect(got.status).toBe('archived');
    expect(got.prices.map((p: any) => p.id)).toEqual([price.id]);
    expect((await api.get(`/v1/plans?lookup_key=${lookup}`)).body.items).toEqual([]);
    expect((await api.get(`/v1/plans?lookup_key=${lookup}&status=archived`)).body.items.map((p: any) => p.id)).toEqual([plan.id]);
  });

  it('deleting again changes nothing', async () => {
    const plan = await created(api, '/v1/plans', { name: 'Twice' });
    await api.delete(`/v1/plans/${plan.id}`);
    const first = (await api.get(`/v1/plans/${plan.id}`)).body;
    server.clock.advance(1000);
    const again = await api.delete(`/v1/plans/${plan.id}`);
    expect(again.status).toBe(200);
    expect((await api.get(`/v1/plans/${plan.id}`)).body).toEqual(first);
  });

  it('answers 404 for an unknown plan', async () => {
    expect((await api.delete('/v1/plans/plan_nope')).status).toBe(404);
  });
});

describe('listing and searching', () => {
  const tag = `list_${Date.now()}`;
  let a: Record<string, any>;
  let b: Record<string, any>;
  let c: Record<string, any>;
  let meterId: string;
  beforeAll(async () => {
    a = await createPlan(api, { name: 'Alpha', lookup_key: unique('alpha'), display_order: 3, metadata: { tag, tier: 'low' } });
    server.clock.advance(1000);
    b = await createPlan(api, { name: 'Beta', lookup_key: unique('beta'), display_order: 1, metadata: { tag, tier: 'high' } });
    server.clock.advance(1000);
    c = await createPlan(api, { name: 'Gamma', lookup_key: unique('gamma'), display_order: 2, metadata: { tag, tier: 'high', region: 'eu' } });
    meterId = (await api.post('/v1/meters', { name: 'Tokens', event_name: 'tok', aggregation: { type: 'SUM', field: 'n' }, reset_usage: 'BILLING_PERIOD' })).body.id;
  });
  const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((p) => p.id);

  it('GET lists published plans newest first, without prices or entitlements; offset is the next page’s', async () => {
    const res = await api.get(`/v1/plans?plan_ids=${a.id}&plan_ids=${b.id}&plan_ids=${c.id}&limit=2`);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([c.id, b.id]);
    expect(res.body.pagination).toEqual({ total: 3, limit: 2, offset: 2 });
    expect(res.body.items[0]).toEqual(c);
    const next = await api.get(`/v1/plans?plan_ids=${a.id}&plan_ids=${b.id}&plan_ids=${c.id}&limit=2&offset=2`);
    expect(ids(next)).toEqual([a.id]);
  });

  it('GET filters by lookup_key and sorts by a search field', async () => {
    expect(ids(await api.get(`/v1/plans?lookup_key=${b.lookup_key}`))).toEqual([b.id]);
    expect(ids(await api.get(`/v1/plans?plan_ids=${a.id}&plan_ids=${b.id}&plan_ids=${c.id}&sort=display_order&order=asc`))).toEqual([b.id, c.id, a.id]);
  });

  it('POST /plans/search takes metadata containment, filters, sort and created_at bounds', async () => {
    const high = await api.post('/v1/plans/search', { metadata: { tag, tier: 'high' }, sort: [{ field: 'name', direction: 'asc' }] });
    expect(high.status).toBe(200);
    expect(ids(high)).toEqual([b.id, c.id]);
    const named = await api.post('/v1/plans/search', {
      metadata: { tag },
      filters: [{ field: 'name', operator: 'contains', data_type: 'string', value: { string: 'MM' } }],
    });
    expect(ids(named)).toEqual([c.id]);
    const ordered = await api.post('/v1/plans/search', {
      metadata: { tag },
      filters: [{ field: 'display_order', operator: 'lt', data_type: 'number', value: { number: 3 } }],
      sort: [{ field: 'display_order', direction: 'desc' }],
    });
    expect(ids(ordered)).toEqual([c.id, b.id]);
    const window = await api.post('/v1/plans/search', { metadata: { tag }, start_time: b.created_at, end_time: b.created_at });
    expect(ids(window)).toEqual([b.id]);
    const asc = await api.post('/v1/plans/search', { plan_ids: [a.id, b.id, c.id], order: 'asc', limit: 1, offset: 1 });
    expect(ids(asc)).toEqual([b.id]);
    expect(asc.body.pagination).toEqual({ total: 3, limit: 1, offset: 2 });
  });

  it('embeds prices (not ended) and entitlements only when expanded; nested tokens embed meters and features', async () => {
    const usage = await createPrice(api, priceBody('PLAN', a.id, { type: 'USAGE', amount: '0.5', meter_id: meterId, invoice_cadence: 'ARREAR' }));
    const ending = await createPrice(api, priceBody('PLAN', a.id));
    expect((await api.request('DELETE', `/v1/prices/${ending.id}`)).status).toBe(200);
    const feature = await createFeature(api, { name: 'Exports', lookup_key: unique('exports'), type: 'boolean' });
    const ent = await createEntitlement(api, { entity_type: 'PLAN', entity_id: a.id, feature_id: feature.id, feature_type: 'boolean', is_enabled: true });

    const plain = await api.post('/v1/plans/search', { plan_ids: [a.id] });
    expect(plain.body.items[0]).not.toHaveProperty('prices');
    expect(plain.body.items[0]).not.toHaveProperty('entitlements');

    const prices = (await api.post('/v1/plans/search', { plan_ids: [a.id, b.id], expand: 'prices' })).body.items;
    const [pa, pb] = [prices.find((p: any) => p.id === a.id), prices.find((p: any) => p.id === b.id)];
    expect(pa.prices.map((p: any) => p.id)).toEqual([usage.id]);
    expect(pa.prices[0]).not.toHaveProperty('meter');
    expect(pa).not.toHaveProperty('entitlements');
    expect(pb.prices).toEqual([]);

    const nested = (await api.get(`/v1/plans?plan_ids=${a.id}&expand=prices.meters,entitlements.features`)).body.items[0];
    expect(nested.prices[0].meter).toMatchObject({ id: meterId, event_name: 'tok' });
    expect(nested.entitlements.map((e: any) => e.id)).toEqual([ent.id]);
    expect(nested.entitlements[0].feature).toMatchObject({ id: feature.id, name: 'Exports' });

    const rootMeters = (await api.post('/v1/plans/search', { plan_ids: [a.id], expand: 'prices,meters,entitlements,priceunit' })).body.items[0];
    expect(rootMeters.prices[0].meter.id).toBe(meterId);
    expect(rootMeters.entitlements[0]).not.toHaveProperty('feature');
  });

  it('refuses unknown expand tokens, filter fields and sort fields with 400 naming them', async () => {
    const search = await api.post('/v1/plans/search', { expand: 'prices,credit_grant' });
    expect(search.status).toBe(400);
    expect(Object.keys(search.body.details)).toEqual(['expand']);
    expect(search.body.details.expand).toContain("'credit_grant'");
    const list = await api.get('/v1/plans?expand=subscriptions');
    expect(list.status).toBe(400);
    expect(Object.keys(list.body.details)).toEqual(['expand']);
    const filter = await api.post('/v1/plans/search', { filters: [{ field: 'colour', operator: 'eq', data_type: 'string', value: { string: 'x' } }] });
    expect(filter.status).toBe(400);
    expect(Object.keys(filter.body.details)).toEqual(['filters[0].field']);
    expect((await api.get('/v1/plans?sort=colour')).body.details).toHaveProperty('sort');
    expect((await api.post('/v1/plans/search', { start_time: '2025-02-01T00:00:00Z', end_time: '2025-01-01T00:00:00Z' })).body.details).toEqual({
      end_time: 'must not be before start_time',
    });
  });
});

describe('environments are isolated', () => {
  it('a production key cannot read, list, search, update, delete or clone a development plan', async () => {
    const plan = await createPlan(api, { name: 'Dev only', lookup_key: unique('dev_only') });
    expect((await prod.get(`/v1/plans/${plan.id}`)).status).toBe(404);
    expect((await prod.get(`/v1/plans?plan_ids=${plan.id}`)).body.items).toEqual([]);
    expect((await prod.post('/v1/plans/search', { lookup_key: plan.lookup_key })).body.items).toEqual([]);
    expect((await prod.put(`/v1/plans/${plan.id}`, { name: 'Hijacked' })).status).toBe(404);
    expect((await prod.delete(`/v1/plans/${plan.id}`)).status).toBe(404);
    expect((await prod.post(`/v1/plans/${plan.id}/clone`, { name: 'Stolen', lookup_key: unique('stolen') })).status).toBe(404);
    expect((await api.get(`/v1/plans/${plan.id}`)).body).toEqual({ ...plan, prices: [], entitlements: [] });
  });

  it('a plan embeds only rows of its own environment', async () => {
    const plan = await created(api, '/v1/plans', { name: 'Scoped' });
    const prodEnv = (await prod.post('/v1/plans', { name: 'Prod plan' })).body.environment_id as string;
    // A row no API call can make: a production price pointing at a development plan.
    await insertPrice(server.orm, { tenantId: dev.tenantId, environmentId: prodEnv }, { entityType: 'PLAN', entityId: plan.id });
    expect((await api.get(`/v1/plans/${plan.id}`)).body.prices).toEqual([]);
  });
});
