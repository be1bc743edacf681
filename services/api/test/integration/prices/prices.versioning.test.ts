import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { insertPlan } from '../../support/catalog-rows.ts';
import { createMeter, createPrice, devScope, fixedPrice, priceCount, referenceTiers, unique, usagePrice, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;
let planId: string;
let meterId: string;
beforeAll(async () => {
  api = server.api;
  planId = await insertPlan(server, devScope(server), 'Pro');
  meterId = (await createMeter(api)).id;
});

async function put(id: string, body: unknown, status = 200): Promise<Record<string, any>> {
  const res = await api.put(`/v1/prices/${id}`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  return res.body;
}

describe('PUT /v1/prices/{id} — in place', () => {
  it('changes descriptive fields without a new version; "" clears text', async () => {
    const p = await createPrice(api, fixedPrice(planId, { description: 'old', lookup_key: unique('k') }));
    const before = await priceCount(api);
    const key = unique('k2');
    const updated = await put(p.id, { description: '', display_name: 'Pro seat', metadata: { a: 'b' }, lookup_key: key });
    expect(updated).toMatchObject({ id: p.id, description: '', display_name: 'Pro seat', metadata: { a: 'b' }, lookup_key: key, amount: '49', parent_price_id: '' });
    expect(updated.end_date).toBeUndefined();
    expect(await priceCount(api)).toBe(before);
  });

  it('refuses a lookup key another active price holds (409)', async () => {
    const key = unique('taken');
    await createPrice(api, fixedPrice(planId, { lookup_key: key }));
    const p = await createPrice(api, fixedPrice(planId));
    const res = await api.put(`/v1/prices/${p.id}`, { lookup_key: key });
    expect(res.status).toBe(409);
    expect((await api.get(`/v1/prices/${p.id}`)).body.lookup_key).toBe('');
  });
});

describe('PUT /v1/prices/{id} — versioning', () => {
  it('ends the old price at effective_from and starts a new one there, parent = root of the lineage', async () => {
    const key = unique('pro');
    const v1 = await createPrice(api, fixedPrice(planId, { lookup_key: key, start_date: '2025-01-01T00:00:00Z', metadata: { x: '1' } }));
    const v2 = await put(v1.id, { amount: '59', effective_from: '2025-07-01T00:00:00Z' });
    expect(v2.id).not.toBe(v1.id);
    expect(v2).toMatchObject({ amount: '59', display_amount: '$59', parent_price_id: v1.id, start_date: '2025-07-01T00:00:00.000Z', lookup_key: key, metadata: { x: '1' }, display_name: 'Pro' });
    expect(v2.end_date).toBeUndefined();
    const old = (await api.get(`/v1/prices/${v1.id}`)).body;
    expect(old).toMatchObject({ amount: '49', end_date: '2025-07-01T00:00:00.000Z', status: 'published' });
    // a third version still points at the root, and the lookup key follows the live version
    const v3 = await put(v2.id, { amount: '69', description: 'third' });
    expect(v3).toMatchObject({ amount: '69', parent_price_id: v1.id, description: 'third' });
    expect((await api.get(`/v1/prices/${v2.id}`)).body.end_date).toBe(v3.start_date);
    expect((await api.get(`/v1/prices/lookup/${key}`)).body.id).toBe(v3.id);
    const lineage = await api.post('/v1/prices/search', { parent_price_id: v1.id, allow_expired_prices: true });
    expect(lineage.body.items.map((p: any) => p.id).sort()).toEqual([v2.id, v3.id].sort());
    // the old version prices at its own amount
    expect((await api.post(`/v1/prices/${v1.id}/cost`, { quantity: 2 })).body.amount).toBe('98');
  });

  it('versions tiers, tier_mode, billing_model and transform_quantity, validating the result', async () => {
    const p = await createPrice(api, usagePrice(planId, meterId, { billing_model: 'TIERED', tier_mode: 'VOLUME', tiers: referenceTiers, amount: undefined }));
    const slab = await put(p.id, { tier_mode: 'SLAB' });
    expect(slab).toMatchObject({ tier_mode: 'SLAB', parent_price_id: p.id, meter_id: meterId });
    expect((await api.post(`/v1/prices/${slab.id}/cost`, { quantity: 6000 })).body.amount).toBe('480');
    const before = await priceCount(api);
    const res = await api.put(`/v1/prices/${slab.id}`, { billing_model: 'PACKAGE' });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details).sort()).toEqual(['amount', 'transform_quantity']);
    expect(await priceCount(api)).toBe(before);
    expect((await api.get(`/v1/prices/${slab.id}`)).body.end_date).toBeUndefined();
    const pkg = await put(slab.id, { billing_model: 'PACKAGE', amount: '5', transform_quantity: { divide_by: 1000 } });
    expect(pkg).toMatchObject({ billing_model: 'PACKAGE', amount: '5', transform_quantity: { divide_by: 1000 }, parent_price_id: p.id });
    expect(pkg.tiers).toBeUndefined();
    expect(pkg.tier_mode).toBeUndefined();
    expect((await api.post(`/v1/prices/${pkg.id}/cost`, { quantity: 2500 })).body.amount).toBe('15');
  });

  it('versions a custom-unit price through price_unit_amount, converting at the price’s rate', async () => {
    const unit = await api.post('/v1/prices/units', { name: 'Credits', code: 'vcr', symbol: 'C', base_currency: 'usd', conversion_rate: '0.01' });
    expect(unit.status).toBe(201);
    const p = await createPrice(api, fixedPrice(planId, { amount: undefined, price_unit_type: 'CUSTOM', price_unit_config: { price_unit: 'vcr', amount: '100' } }));
    expect(p.amount).toBe('1');
    const v2 = await put(p.id, { price_unit_amount: '250' });
    expect(v2).toMatchObject({ amount: '2.5', price_unit_amount: '250', conversion_rate: '0.01', price_unit: 'vcr', parent_price_id: p.id });
    const mixed = await api.put(`/v1/prices/${v2.id}`, { amount: '3' });
    expect(mixed.status).toBe(400);
    expect(Object.keys(mixed.body.details)).toEqual(['amount']);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['effective_from without a pricing change', { effective_from: '2030-01-01T00:00:00Z', description: 'x' }, 'effective_from'],
    ['effective_from before start_date', { amount: '1', effective_from: '2020-01-01T00:00:00Z' }, 'effective_from'],
    ['FIAT and CUSTOM fields together', { amount: '1', price_unit_amount: '1' }, 'price_unit_amount'],
    ['price_unit_amount on a FIAT price', { price_unit_amount: '1' }, 'price_unit_amount'],
    ['a negative amount', { amount: '-1' }, 'amount'],
    ['a group_id', { group_id: 'g' }, 'group_id'],
  ])('refuses %s with 400, writing nothing', async (_name, body, field) => {
    const p = await createPrice(api, fixedPrice(planId, { start_date: '2025-01-01T00:00:00Z' }));
    const before = await priceCount(api);
    const res = await api.put(`/v1/prices/${p.id}`, body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(Object.keys(res.body.details)).toContain(field);
    expect(await priceCount(api)).toBe(before);
    expect((await api.get(`/v1/prices/${p.id}`)).body).toEqual(p);
  });

  it('refuses any change to an ended price (400) and an unknown price (404)', async () => {
    const p = await createPrice(api, fixedPrice(planId));
    expect((await api.request('DELETE', `/v1/prices/${p.id}`)).status).toBe(200);
    const res = await api.put(`/v1/prices/${p.id}`, { amount: '1' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_operation');
    expect((await api.put(`/v1/prices/${p.id}`, { description: 'x' })).status).toBe(400);
    expect((await api.put('/v1/prices/price_missing', { description: 'x' })).status).toBe(404);
  });
});
