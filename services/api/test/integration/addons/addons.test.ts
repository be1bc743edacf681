import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { insertPrice, type RowScope } from '../../support/catalog-rows.ts';
import { count, createAddon, createPrice, devScope, priceBody, unique, useTestServer, withArchived } from '../../support/fixtures.ts';
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

const addonId = /^addon_[0-9A-HJKMNP-TV-Z]{26}$/;

const addonCount = () => count(api, '/v1/addons', withArchived);

describe('POST /v1/addons', () => {
  it('creates an addon whose metadata values may be any JSON; GET embeds its (empty) prices and entitlements', async () => {
    const lookup = unique('storage');
    const metadata = { category: 'storage', gb: 100, flags: { beta: true }, regions: ['eu', 'us'], note: null };
    const addon = await createAddon(api, { name: 'Extra storage', lookup_key: lookup, description: '100 GB more', metadata });
    expect(addon.id).toMatch(addonId);
    expect(addon).toMatchObject({
      name: 'Extra storage',
      lookup_key: lookup,
      description: '100 GB more',
      metadata,
      status: 'published',
      tenant_id: server.bootstrap.tenantId,
      environment_id: server.bootstrap.defaultEnvironmentId,
    });
    expect(addon.created_by).toMatch(/^secret_/);
    expect(Object.keys(addon).sort()).toEqual(
      ['id', 'name', 'lookup_key', 'description', 'metadata', 'environment_id', 'tenant_id', 'status', 'created_at', 'updated_at', 'created_by', 'updated_by'].sort(),
    );
    expect((await api.get(`/v1/addons/${addon.id}`)).body).toEqual({ ...addon, prices: [], entitlements: [] });
  });

  it('sends an empty description and metadata when none is given', async () => {
    expect(await createAddon(api, { name: 'Support', lookup_key: unique('support') })).toMatchObject({ description: '', metadata: {} });
  });

  it.each<[string, unknown, string[]]>([
    ['neither name nor lookup_key', {}, ['name', 'lookup_key']],
    ['an empty lookup_key', { name: 'A', lookup_key: '' }, ['lookup_key']],
    ['a blank name', { name: '  ', lookup_key: 'a' }, ['name']],
    ['metadata that is not an object', { name: 'A', lookup_key: 'a', metadata: ['x'] }, ['metadata']],
  ])('refuses %s with 400 naming the fields, writing nothing', async (_, body, fields) => {
    const before = await addonCount();
    const res = await api.post('/v1/addons', body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(Object.keys(res.body.details).sort()).toEqual([...fields].sort());
    expect(await addonCount()).toBe(before);
  });
});

describe('lookup_key', () => {
  it('is unique among published addons: 409 on a clash, nothing written', async () => {
    const lookup = unique('seats');
    await createAddon(api, { name: 'Seats', lookup_key: lookup });
    const before = await addonCount();
    const res = await api.post('/v1/addons', { name: 'Seats again', lookup_key: lookup });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'already_exists', details: { lookup_key: lookup } });
    expect(await addonCount()).toBe(before);
  });

  it('holds under concurrent creates: exactly one wins', async () => {
    const lookup = unique('race');
    const results = await Promise.all([1, 2, 3].map((n) => api.post('/v1/addons', { name: `Race ${n}`, lookup_key: lookup })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
  });

  it('is freed by deleting the addon, and is per environment', async () => {
    const lookup = unique('reused');
    const old = await createAddon(api, { name: 'Old', lookup_key: lookup });
    await createAddon(prod, { name: 'Prod', lookup_key: lookup });
    expect((await api.delete(`/v1/addons/${old.id}`)).status).toBe(200);
    const fresh = await createAddon(api, { name: 'New', lookup_key: lookup });
    expect((await api.get(`/v1/addons/lookup/${lookup}`)).body.id).toBe(fresh.id);
  });
});

describe('GET /v1/addons/{id} and /v1/addons/lookup/{lookup_key}', () => {
  it('embed the published prices that have not ended, with their meter, and the published entitlements', async () => {
    const lookup = unique('priority');
    const addon = await createAddon(api, { name: 'Priority support', lookup_key: lookup });
    const meter = (await api.post('/v1/meters', { name: 'Tickets', event_name: 'ticket', aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' })).body;
    const fee = await createPrice(api, priceBody('ADDON', addon.id, { amount: '25.00', billing_period: 'ANNUAL' }));
    const usage = await createPrice(api, priceBody('ADDON', addon.id, { type: 'USAGE', amount: 1.5, meter_id: meter.id, invoice_cadence: 'ARREAR' }));
    await createPrice(api, priceBody('ADDON', addon.id, { start_date: '2024-12-01T00:00:00Z', end_date: '2025-01-01T00:00:00Z' }));
    // Rows the prices API cannot make (it never archives a price, and checks the owner's type).
    await insertPrice(server.orm, dev, { entityType: 'ADDON', entityId: addon.id, status: 'archived' });
    await insertPrice(server.orm, dev, { entityType: 'PLAN', entityId: addon.id });
    const feature = (await api.post('/v1/features', { name: 'Phone support', lookup_key: unique('phone'), type: 'boolean' })).body;
    const ent = await api.post('/v1/entitlements', { entity_type: 'ADDON', entity_id: addon.id, feature_id: feature.id, feature_type: 'boolean', is_enabled: true });
    expect(ent.status, JSON.stringify(ent.body)).toBe(201);

    const got = (await api.get(`/v1/addons/${addon.id}`)).body;
    expect(got.prices.map((p: any) => p.id).sort()).toEqual([fee.id, usage.id].sort());
    const byId = new Map(got.prices.map((p: any) => [p.id, p]));
    expect(byId.get(fee.id)).toMatchObject({ amount: '25', billing_period: 'ANNUAL', entity_type: 'ADDON', entity_id: addon.id });
    expect(byId.get(usage.id)).toMatchObject({ amount: '1.5', meter: { id: meter.id } });
    expect(got.entitlements.map((e: any) => e.id)).toEqual([ent.body.id]);
    expect(got.entitlements[0]).toMatchObject({ entity_type: 'ADDON', entity_id: addon.id, feature: { id: feature.id } });

    const byKey = await api.get(`/v1/addons/lookup/${lookup}`);
    expect(byKey.status).toBe(200);
    expect(byKey.body).toEqual(got);
  });

  it('answer 404 for an unknown id or key; an archived addon stays readable by id but not by key', async () => {
    const lookup = unique('gone');
    const addon = await createAddon(api, { name: 'Gone', lookup_key: lookup });
    await api.delete(`/v1/addons/${addon.id}`);
    expect((await api.get(`/v1/addons/${addon.id}`)).body.status).toBe('archived');
    const byKey = await api.get(`/v1/addons/lookup/${lookup}`);
    expect(byKey.status).toBe(404);
    expect(byKey.body).toMatchObject({ code: 'not_found', details: { lookup_key: lookup } });
    expect((await api.get('/v1/addons/addon_nope')).status).toBe(404);
  });
});

describe('PUT /v1/addons/{id}', () => {
  it('changes name, description and metadata (replaced whole); the response has no prices', async () => {
    const addon = await createAddon(api, { name: 'Storage', lookup_key: unique('st'), description: 'Old', metadata: { gb: 100, tier: 'a' } });
    const res = await api.put(`/v1/addons/${addon.id}`, { name: 'Storage XL', metadata: { gb: 200 } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...addon, name: 'Storage XL', metadata: { gb: 200 }, updated_at: res.body.updated_at });
    const cleared = (await api.put(`/v1/addons/${addon.id}`, { description: '' })).body;
    expect(cleared).toMatchObject({ name: 'Storage XL', description: '', lookup_key: addon.lookup_key });
  });

  it('refuses a blank name (400, unchanged) and answers 404 for an unknown addon', async () => {
    const addon = await createAddon(api, { name: 'Keep', lookup_key: unique('keep') });
    const bad = await api.put(`/v1/addons/${addon.id}`, { name: '' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.details)).toEqual(['name']);
    expect((await api.get(`/v1/addons/${addon.id}`)).body.name).toBe('Keep');
    expect((await api.put('/v1/addons/addon_nope', { name: 'x' })).status).toBe(404);
  });
});

describe('DELETE /v1/addons/{id}', () => {
  it('archives the addon with FlexPrice’s message; deleting again changes nothing', async () => {
    const addon = await createAddon(api, { name: 'Bye', lookup_key: unique('bye') });
    const res = await api.delete(`/v1/addons/${addon.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'addon deleted successfully' });
    const archived = (await api.get(`/v1/addons/${addon.id}`)).body;
    expect(archived.status).toBe('archived');
    server.clock.advance(1000);
    expect((await api.delete(`/v1/addons/${addon.id}`)).status).toBe(200);
    expect((await api.get(`/v1/addons/${addon.id}`)).body).toEqual(archived);
    expect((await api.delete('/v1/addons/addon_nope')).status).toBe(404);
  });
});

describe('listing and searching', () => {
  let a: Record<string, any>;
  let b: Record<string, any>;
  let c: Record<string, any>;
  beforeAll(async () => {
    a = await createAddon(api, { name: 'Backup', lookup_key: unique('backup') });
    server.clock.advance(1000);
    b = await createAddon(api, { name: 'Analytics', lookup_key: unique('analytics') });
    server.clock.advance(1000);
    c = await createAddon(api, { name: 'Audit log', lookup_key: unique('audit') });
  });
  const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((x) => x.id);

  it('GET lists published addons newest first, filtered by lookup_keys and addon_ids, without prices', async () => {
    const res = await api.get(`/v1/addons?lookup_keys=${a.lookup_key}&lookup_keys=${b.lookup_key}&lookup_keys=${c.lookup_key}&limit=2`);
    expect(res.status).toBe(200);
    expect(ids(res)).toEqual([c.id, b.id]);
    expect(res.body.pagination).toEqual({ total: 3, limit: 2, offset: 2 });
    expect(res.body.items[0]).toEqual(c);
    expect(ids(await api.get(`/v1/addons?addon_ids=${a.id}&addon_ids=${c.id}&sort=name&order=asc`))).toEqual([c.id, a.id]);
  });

  it('POST /addons/search takes filters, sort and expand', async () => {
    const res = await api.post('/v1/addons/search', {
      addon_ids: [a.id, b.id, c.id],
      filters: [{ field: 'name', operator: 'contains', data_type: 'string', value: { string: 'a' } }],
      sort: [{ field: 'name', direction: 'asc' }],
    });
    expect(ids(res)).toEqual([b.id, c.id, a.id]);
    const price = await createPrice(api, priceBody('ADDON', a.id, { amount: '3' }));
    const expanded = await api.post('/v1/addons/search', { addon_ids: [a.id, b.id], expand: 'prices,entitlements' });
    const byId = new Map(expanded.body.items.map((x: any) => [x.id, x]));
    expect((byId.get(a.id) as any).prices.map((p: any) => p.id)).toEqual([price.id]);
    expect((byId.get(b.id) as any)).toMatchObject({ prices: [], entitlements: [] });
    const plain = await api.post('/v1/addons/search', { addon_ids: [a.id] });
    expect(plain.body.items[0]).not.toHaveProperty('prices');
  });

  it('archived addons only with status=archived', async () => {
    const gone = await createAddon(api, { name: 'Archived', lookup_key: unique('arch') });
    await api.delete(`/v1/addons/${gone.id}`);
    expect(ids(await api.post('/v1/addons/search', { addon_ids: [gone.id] }))).toEqual([]);
    expect(ids(await api.post('/v1/addons/search', { addon_ids: [gone.id], status: 'archived' }))).toEqual([gone.id]);
  });

  it('refuses unknown expand tokens and filter fields with 400 naming them', async () => {
    const bad = await api.post('/v1/addons/search', { expand: 'plans' });
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.details)).toEqual(['expand']);
    expect((await api.get('/v1/addons?expand=prices,credit_grant')).body.details).toHaveProperty('expand');
    const filter = await api.post('/v1/addons/search', { filters: [{ field: 'display_order', operator: 'eq', data_type: 'number', value: { number: 1 } }] });
    expect(Object.keys(filter.body.details)).toEqual(['filters[0].field']);
  });
});

describe('environments are isolated', () => {
  it('a production key cannot read, look up, list, update or delete a development addon', async () => {
    const addon = await createAddon(api, { name: 'Dev only', lookup_key: unique('dev_only') });
    expect((await prod.get(`/v1/addons/${addon.id}`)).status).toBe(404);
    expect((await prod.get(`/v1/addons/lookup/${addon.lookup_key}`)).status).toBe(404);
    expect((await prod.get(`/v1/addons?addon_ids=${addon.id}`)).body.items).toEqual([]);
    expect((await prod.post('/v1/addons/search', { lookup_keys: [addon.lookup_key] })).body.items).toEqual([]);
    expect((await prod.put(`/v1/addons/${addon.id}`, { name: 'Hijacked' })).status).toBe(404);
    expect((await prod.delete(`/v1/addons/${addon.id}`)).status).toBe(404);
    expect((await api.get(`/v1/addons/${addon.id}`)).body).toEqual({ ...addon, prices: [], entitlements: [] });
  });
});
