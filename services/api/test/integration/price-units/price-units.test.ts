import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { insertPlan } from '../../support/catalog-rows.ts';
import { count, created, createPrice, devScope, fixedPrice, productionClient, useTestServer, withArchived } from '../../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;
beforeAll(async () => {
  api = server.api;
});

const unitId = /^price_unit_[0-9A-HJKMNP-TV-Z]{26}$/;
const unitBody = (code: string, extra: Record<string, unknown> = {}) => ({ name: 'Credits', code, symbol: 'C', base_currency: 'USD', conversion_rate: '0.0100', ...extra });

const unitCount = (client = api) => count(client, '/v1/prices/units', withArchived);

describe('price units', () => {
  it('creates a unit: lower-case base currency, canonical conversion rate, readable by id and code', async () => {
    const u = await created(api, '/v1/prices/units', unitBody('crd', { metadata: { team: 'growth' } }));
    expect(u.id).toMatch(unitId);
    expect(u).toMatchObject({ name: 'Credits', code: 'crd', symbol: 'C', base_currency: 'usd', conversion_rate: '0.01', metadata: { team: 'growth' }, status: 'published' });
    expect((await api.get(`/v1/prices/units/${u.id}`)).body).toEqual(u);
    expect((await api.get('/v1/prices/units/code/crd')).body).toEqual(u);
    expect((await api.get('/v1/prices/units/code/zzz')).status).toBe(404);
  });

  it('accepts conversion_rate as a JSON number', async () => {
    expect((await created(api, '/v1/prices/units', unitBody('num', { conversion_rate: 0.5 }))).conversion_rate).toBe('0.5');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['a 2-character code', { code: 'ab' }, 'code'],
    ['a 4-character code', { code: 'abcd' }, 'code'],
    ['a zero conversion rate', { conversion_rate: '0' }, 'conversion_rate'],
    ['a negative conversion rate', { conversion_rate: '-1' }, 'conversion_rate'],
    ['a malformed conversion rate', { conversion_rate: 'one' }, 'conversion_rate'],
    ['a bad base currency', { base_currency: 'u1' }, 'base_currency'],
    ['a blank name', { name: ' ' }, 'name'],
    ['no symbol', { symbol: undefined }, 'symbol'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_n, extra, field) => {
    const before = await unitCount();
    const res = await api.post('/v1/prices/units', JSON.parse(JSON.stringify(unitBody('bad', extra))));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(Object.keys(res.body.details)).toContain(field);
    expect(await unitCount()).toBe(before);
  });

  it('keeps codes unique among published units (409), freed once archived', async () => {
    const u = await created(api, '/v1/prices/units', unitBody('dup'));
    const before = await unitCount();
    const res = await api.post('/v1/prices/units', unitBody('dup'));
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('already_exists');
    expect(await unitCount()).toBe(before);
    const del = await api.request('DELETE', `/v1/prices/units/${u.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ message: 'Price unit deleted successfully' });
    expect((await api.get(`/v1/prices/units/${u.id}`)).body.status).toBe('archived');
    expect((await api.get('/v1/prices/units/code/dup')).status).toBe(404);
    await created(api, '/v1/prices/units', unitBody('dup'));
    expect((await api.request('DELETE', `/v1/prices/units/${u.id}`)).status).toBe(200);
  });

  it('updates only name and metadata', async () => {
    const u = await created(api, '/v1/prices/units', unitBody('upd'));
    const res = await api.put(`/v1/prices/units/${u.id}`, { name: 'Credits v2', metadata: { a: 'b' }, conversion_rate: '5' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Credits v2', metadata: { a: 'b' }, conversion_rate: '0.01', code: 'upd' });
    expect((await api.put(`/v1/prices/units/${u.id}`, { name: '' })).status).toBe(400);
    expect((await api.put('/v1/prices/units/price_unit_missing', { name: 'x' })).status).toBe(404);
  });

  it('refuses to delete a unit an active price uses (400), allows it once the price has ended', async () => {
    const u = await created(api, '/v1/prices/units', unitBody('use'));
    const planId = await insertPlan(server, devScope(server));
    const p = await createPrice(api, fixedPrice(planId, { amount: undefined, price_unit_type: 'CUSTOM', price_unit_config: { price_unit: 'use', amount: '10' } }));
    const res = await api.request('DELETE', `/v1/prices/units/${u.id}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_operation');
    expect((await api.get(`/v1/prices/units/${u.id}`)).body.status).toBe('published');
    expect((await api.request('DELETE', `/v1/prices/${p.id}`)).status).toBe(200);
    expect((await api.request('DELETE', `/v1/prices/units/${u.id}`)).status).toBe(200);
  });

  it('lists and searches with paging, sort, filters and status', async () => {
    for (const code of ['la1', 'la2', 'la3']) await created(api, '/v1/prices/units', unitBody(code, { name: `List ${code}` }));
    const page = await api.get('/v1/prices/units?limit=2&sort=code&order=desc');
    expect(page.status).toBe(200);
    expect(page.body.items).toHaveLength(2);
    expect(page.body.pagination.limit).toBe(2);
    expect(page.body.pagination.offset).toBe(2);
    const search = await api.post('/v1/prices/units/search', {
      filters: [{ field: 'name', operator: 'contains', data_type: 'string', value: { string: 'list' } }],
      sort: [{ field: 'code', direction: 'asc' }],
    });
    expect(search.body.items.map((u: any) => u.code)).toEqual(['la1', 'la2', 'la3']);
    expect(search.body.pagination.total).toBe(3);
    const byId = await api.post('/v1/prices/units/search', { price_unit_ids: [search.body.items[1].id] });
    expect(byId.body.items.map((u: any) => u.code)).toEqual(['la2']);
    expect((await api.post('/v1/prices/units/search', { sort: [{ field: 'colour', direction: 'asc' }] })).status).toBe(400);
    expect((await api.get('/v1/prices/units?sort=colour')).status).toBe(400);
    const archived = await api.get('/v1/prices/units?status=archived');
    expect(archived.body.items.every((u: any) => u.status === 'archived')).toBe(true);
  });

  it('is scoped to the environment', async () => {
    const u = await created(api, '/v1/prices/units', unitBody('iso'));
    const { client } = await productionClient(server);
    expect((await client.get(`/v1/prices/units/${u.id}`)).status).toBe(404);
    expect((await client.get('/v1/prices/units/code/iso')).status).toBe(404);
    expect((await client.put(`/v1/prices/units/${u.id}`, { name: 'x' })).status).toBe(404);
    expect((await client.request('DELETE', `/v1/prices/units/${u.id}`)).status).toBe(404);
    expect(await unitCount(client)).toBe(0);
    expect((await client.post('/v1/prices/units', unitBody('iso'))).status).toBe(201);
  });
});
