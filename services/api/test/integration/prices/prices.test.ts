import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { insertAddon, insertPlan, type RowScope } from '../../support/catalog-rows.ts';
import {
  createMeter,
  createPrice,
  devScope,
  expectRefused,
  fixedPrice,
  priceCount,
  productionClient,
  referenceTiers,
  unique,
  usagePrice,
  useTestServer,
} from '../../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;
let scope: RowScope;
let planId: string;
let meterId: string;
beforeAll(async () => {
  api = server.api;
  scope = devScope(server);
  planId = await insertPlan(server, scope, 'Pro');
  meterId = (await createMeter(api, { name: 'API calls' })).id;
});

const priceId = /^price_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Posts a create that must fail with `status` naming `field`, and proves no price was written. */
const refusePrice = (body: unknown, status: number, field: string, path = '/v1/prices') =>
  expectRefused(api, { path, body }, { status, fields: [field] }, () => priceCount(api));

describe('POST /v1/prices', () => {
  it('creates a FIXED flat-fee price with FlexPrice’s fields and defaults', async () => {
    const p = await createPrice(api, fixedPrice(planId, { amount: '12.50', currency: 'USD', metadata: { tier: 'pro' } }));
    expect(p.id).toMatch(priceId);
    expect(p).toMatchObject({
      amount: '12.5',
      display_amount: '$12.5',
      currency: 'usd',
      price_unit_type: 'FIAT',
      type: 'FIXED',
      billing_period: 'MONTHLY',
      billing_period_count: 1,
      billing_model: 'FLAT_FEE',
      billing_cadence: 'RECURRING',
      invoice_cadence: 'ADVANCE',
      trial_period_days: 0,
      meter_id: '',
      lookup_key: '',
      description: '',
      display_name: 'Pro',
      metadata: { tier: 'pro' },
      entity_type: 'PLAN',
      entity_id: planId,
      parent_price_id: '',
      group_id: '',
      status: 'published',
      environment_id: scope.environmentId,
      tenant_id: scope.tenantId,
    });
    expect(p.end_date).toBeUndefined();
    expect(p.tiers).toBeUndefined();
    expect((await api.get(`/v1/prices/${p.id}`)).body).toEqual(p);
  });

  it('creates a USAGE TIERED price with its meter embedded and the meter’s name as display name', async () => {
    const p = await createPrice(api, usagePrice(planId, meterId, { billing_model: 'TIERED', tier_mode: 'SLAB', tiers: referenceTiers, amount: undefined }));
    expect(p).toMatchObject({ amount: '0', meter_id: meterId, display_name: 'API calls', tier_mode: 'SLAB' });
    expect(p.tiers).toEqual([{ up_to: 1000, unit_amount: '0.1' }, { up_to: 5000, unit_amount: '0.08', flat_amount: '10' }, { unit_amount: '0.05' }]);
    expect(p.meter).toMatchObject({ id: meterId, name: 'API calls' });
  });

  it('creates an ADDON price, a PACKAGE price, min_quantity and trial days on FIXED, and accepts filter_values', async () => {
    const addonId = await insertAddon(server, scope, 'Extra seats');
    const a = await createPrice(api, fixedPrice(addonId, { entity_type: 'ADDON', min_quantity: 2, trial_period_days: 14, filter_values: { region: ['eu'] } }));
    expect(a).toMatchObject({ entity_type: 'ADDON', display_name: 'Extra seats', min_quantity: '2', trial_period_days: 14 });
    expect(a.filter_values).toBeUndefined();
    const pkg = await createPrice(api, usagePrice(planId, meterId, { billing_model: 'PACKAGE', amount: 5, transform_quantity: { divide_by: 1000, round: 'down' } }));
    expect(pkg).toMatchObject({ amount: '5', transform_quantity: { divide_by: 1000, round: 'down' } });
    const once = await createPrice(api, fixedPrice(planId, { billing_period: 'ONETIME', display_name: 'Setup fee', description: 'once' }));
    expect(once).toMatchObject({ billing_period: 'ONETIME', display_name: 'Setup fee', description: 'once' });
  });

  it('stores a backdated start_date and an end_date after it', async () => {
    const p = await createPrice(api, fixedPrice(planId, { start_date: '2025-01-01T00:00:00Z', end_date: '2099-01-01T00:00:00Z' }));
    expect(p.start_date).toBe('2025-01-01T00:00:00.000Z');
    expect(p.end_date).toBe('2099-01-01T00:00:00.000Z');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['USAGE without meter_id', { type: 'USAGE', invoice_cadence: 'ARREAR' }, 'meter_id'],
    ['USAGE in ADVANCE', { type: 'USAGE', meter_id: 'm', invoice_cadence: 'ADVANCE' }, 'invoice_cadence'],
    ['ONETIME in ARREAR', { billing_period: 'ONETIME', invoice_cadence: 'ARREAR' }, 'invoice_cadence'],
    ['min_quantity on USAGE', { type: 'USAGE', meter_id: 'm', invoice_cadence: 'ARREAR', min_quantity: 1 }, 'min_quantity'],
    ['trial days on USAGE', { type: 'USAGE', meter_id: 'm', invoice_cadence: 'ARREAR', trial_period_days: 7 }, 'trial_period_days'],
    ['trial days on ONETIME', { billing_period: 'ONETIME', trial_period_days: 7 }, 'trial_period_days'],
    ['FLAT_FEE without amount', { amount: undefined }, 'amount'],
    ['negative amount', { amount: '-1' }, 'amount'],
    ['malformed amount', { amount: '1,5' }, 'amount'],
    ['PACKAGE without transform_quantity', { billing_model: 'PACKAGE' }, 'transform_quantity'],
    ['PACKAGE without amount', { billing_model: 'PACKAGE', amount: undefined, transform_quantity: { divide_by: 10 } }, 'amount'],
    ['divide_by 0', { billing_model: 'PACKAGE', transform_quantity: { divide_by: 0 } }, 'transform_quantity.divide_by'],
    ['TIERED without tier_mode (FlexPrice prices it at 0)', { billing_model: 'TIERED', tiers: referenceTiers }, 'tier_mode'],
    ['TIERED without tiers', { billing_model: 'TIERED', tier_mode: 'VOLUME' }, 'tiers'],
    ['tiers not ascending', { billing_model: 'TIERED', tier_mode: 'VOLUME', tiers: [{ up_to: 10, unit_amount: '1' }, { up_to: 5, unit_amount: '1' }, { unit_amount: '1' }] }, 'tiers[1].up_to'],
    ['an open tier before the last', { billing_model: 'TIERED', tier_mode: 'VOLUME', tiers: [{ unit_amount: '1' }, { up_to: 5, unit_amount: '1' }] }, 'tiers[0].up_to'],
    ['a tier without unit_amount', { billing_model: 'TIERED', tier_mode: 'VOLUME', tiers: [{ up_to: 5 }, { unit_amount: '1' }] }, 'tiers[0].unit_amount'],
    ['a negative flat_amount', { billing_model: 'TIERED', tier_mode: 'SLAB', tiers: [{ unit_amount: '1', flat_amount: '-1' }] }, 'tiers[0].flat_amount'],
    ['billing_period_count 0 (FlexPrice errors or prices 0)', { billing_period_count: 0 }, 'billing_period_count'],
    ['billing_period_count missing', { billing_period_count: undefined }, 'billing_period_count'],
    ['a 2-letter currency', { currency: 'us' }, 'currency'],
    ['end_date before start_date', { start_date: '2025-02-01T00:00:00Z', end_date: '2025-01-01T00:00:00Z' }, 'end_date'],
    ['end_date equal to start_date', { start_date: '2025-02-01T00:00:00Z', end_date: '2025-02-01T00:00:00Z' }, 'end_date'],
    ['price_unit_config on a FIAT price', { price_unit_config: { price_unit: 'crd', amount: '1' } }, 'price_unit_config'],
    ['CUSTOM without price_unit_config', { price_unit_type: 'CUSTOM', amount: undefined }, 'price_unit_config'],
    ['PRICE entity type (no price overrides)', { entity_type: 'PRICE' }, 'entity_type'],
    ['COSTSHEET entity type', { entity_type: 'COSTSHEET' }, 'entity_type'],
    ['a group_id (no groups yet)', { group_id: 'group_1' }, 'group_id'],
    ['an unknown billing_model', { billing_model: 'PER_SEAT' }, 'billing_model'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_name, extra, field) => {
    const body = JSON.parse(JSON.stringify(fixedPrice(planId, extra)));
    await refusePrice(body, 400, field);
  });

  it('answers 404 naming entity_id for an unknown plan or addon, and meter_id for an unknown or disabled meter', async () => {
    const missing = await refusePrice(fixedPrice('plan_missing'), 404, 'entity_id');
    expect(missing.message).toContain('plan_missing');
    await refusePrice(fixedPrice('addon_missing', { entity_type: 'ADDON' }), 404, 'entity_id');
    await refusePrice(fixedPrice('subs_missing', { entity_type: 'SUBSCRIPTION' }), 404, 'entity_id');
    await refusePrice(usagePrice(planId, 'meter_missing'), 404, 'meter_id');
    const disabled = (await createMeter(api, { name: 'Old' })).id;
    expect((await api.post(`/v1/meters/${disabled}/disable`)).status).toBe(200);
    await refusePrice(usagePrice(planId, disabled), 404, 'meter_id');
  });

  it('refuses an archived plan with 400 naming entity_id', async () => {
    const archived = await insertPlan(server, scope, 'Old', 'archived');
    await refusePrice(fixedPrice(archived), 400, 'entity_id');
  });

  it('keeps lookup_key unique among active prices (409), and frees it once the price has ended', async () => {
    const key = unique('pro_monthly');
    const p = await createPrice(api, fixedPrice(planId, { lookup_key: key }));
    const body = await refusePrice(fixedPrice(planId, { lookup_key: key }), 409, 'lookup_key');
    expect(body.code).toBe('already_exists');
    expect((await api.get(`/v1/prices/lookup/${key}`)).body.id).toBe(p.id);
    expect((await api.request('DELETE', `/v1/prices/${p.id}`)).status).toBe(200);
    expect((await api.get(`/v1/prices/lookup/${key}`)).status).toBe(404);
    const again = await createPrice(api, fixedPrice(planId, { lookup_key: key }));
    expect((await api.get(`/v1/prices/lookup/${key}`)).body.id).toBe(again.id);
  });

  it('custom units: converts amounts and tiers exactly, requires the unit’s base currency and a published unit', async () => {
    const code = 'tk' + String.fromCharCode(97 + (Date.now() % 26));
    const unit = await api.post('/v1/prices/units', { name: 'Tokens', code, symbol: 'T', base_currency: 'eur', conversion_rate: '0.0003' });
    expect(unit.status).toBe(201);
    const tiered = await createPrice(
      api,
      usagePrice(planId, meterId, {
        currency: 'eur',
        amount: undefined,
        billing_model: 'TIERED',
        tier_mode: 'VOLUME',
        price_unit_type: 'CUSTOM',
        price_unit_config: { price_unit: code, price_unit_tiers: [{ up_to: 100, unit_amount: '2', flat_amount: '10' }, { unit_amount: 1 }] },
      }),
    );
    expect(tiered).toMatchObject({ price_unit_type: 'CUSTOM', price_unit: code, price_unit_id: unit.body.id, conversion_rate: '0.0003', amount: '0' });
    expect(tiered.tiers).toEqual([{ up_to: 100, unit_amount: '0.0006', flat_amount: '0.003' }, { unit_amount: '0.0003' }]);
    expect(tiered.price_unit_tiers).toEqual([{ up_to: 100, unit_amount: '2', flat_amount: '10' }, { unit_amount: '1' }]);
    expect(tiered.pricing_unit).toMatchObject({ id: unit.body.id, code });
    const custom = (extra: Record<string, unknown>) =>
      fixedPrice(planId, { amount: undefined, price_unit_type: 'CUSTOM', price_unit_config: { price_unit: code, amount: '3' }, currency: 'eur', ...extra });
    await refusePrice(custom({ currency: 'usd' }), 400, 'currency');
    await refusePrice(custom({ price_unit_config: { price_unit: 'zzz', amount: '3' } }), 404, 'price_unit_config.price_unit');
    await refusePrice(custom({ amount: '3' }), 400, 'amount');
    await refusePrice(custom({ price_unit_config: { price_unit: code } }), 400, 'price_unit_config.amount');
  });
});

describe('POST /v1/prices/bulk', () => {
  it('creates every item, in order, in one go', async () => {
    const before = await priceCount(api);
    const res = await api.post('/v1/prices/bulk', { items: [fixedPrice(planId, { amount: '10' }), usagePrice(planId, meterId, { amount: '0.01' })] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.items.map((p: any) => p.amount)).toEqual(['10', '0.01']);
    expect(await priceCount(api)).toBe(before + 2);
  });

  it('writes nothing when one item is invalid, naming items[i].field', async () => {
    await refusePrice({ items: [fixedPrice(planId), fixedPrice(planId, { amount: '-5' })] }, 400, 'items[1].amount', '/v1/prices/bulk');
    await refusePrice({ items: [fixedPrice(planId), fixedPrice('plan_missing')] }, 404, 'items[1].entity_id', '/v1/prices/bulk');
    const key = unique('dup');
    await refusePrice({ items: [fixedPrice(planId, { lookup_key: key }), fixedPrice(planId, { lookup_key: key })] }, 409, 'items[1].lookup_key', '/v1/prices/bulk');
    await refusePrice({ items: [] }, 400, 'items', '/v1/prices/bulk');
  });
});

describe('DELETE /v1/prices/{id}', () => {
  it('ends the price now (or at the given end_date) and keeps it published', async () => {
    const p = await createPrice(api, fixedPrice(planId, { start_date: '2025-01-01T00:00:00Z' }));
    const res = await api.request('DELETE', `/v1/prices/${p.id}`, { end_date: '2025-06-30T00:00:00Z' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'price deleted successfully' });
    const ended = (await api.get(`/v1/prices/${p.id}`)).body;
    expect(ended).toMatchObject({ status: 'published', end_date: '2025-06-30T00:00:00.000Z' });
    const q = await createPrice(api, fixedPrice(planId));
    expect((await api.request('DELETE', `/v1/prices/${q.id}`)).status).toBe(200);
    expect((await api.get(`/v1/prices/${q.id}`)).body.end_date).toBeDefined();
  });

  it('refuses an ended price and an end before the start with 400, and an unknown id with 404', async () => {
    const p = await createPrice(api, fixedPrice(planId, { start_date: '2025-01-01T00:00:00Z' }));
    const early = await api.request('DELETE', `/v1/prices/${p.id}`, { end_date: '2024-12-31T00:00:00Z' });
    expect(early.status).toBe(400);
    expect(Object.keys(early.body.details)).toEqual(['end_date']);
    expect((await api.get(`/v1/prices/${p.id}`)).body.end_date).toBeUndefined();
    expect((await api.request('DELETE', `/v1/prices/${p.id}`)).status).toBe(200);
    expect((await api.request('DELETE', `/v1/prices/${p.id}`)).status).toBe(400);
    expect((await api.request('DELETE', '/v1/prices/price_missing')).status).toBe(404);
  });
});

describe('GET /v1/prices and POST /v1/prices/search', () => {
  let plan: string;
  let ids: string[];
  beforeAll(async () => {
    plan = await insertPlan(server, scope, 'Listing');
    ids = [];
    for (const amount of ['30', '10', '20']) ids.push((await createPrice(api, fixedPrice(plan, { amount }))).id);
    ids.push((await createPrice(api, usagePrice(plan, meterId, { amount: '1', billing_period: 'ANNUAL' }))).id);
    const ended = await createPrice(api, fixedPrice(plan, { amount: '99', start_date: '2024-01-01T00:00:00Z' }));
    await api.request('DELETE', `/v1/prices/${ended.id}`, { end_date: '2024-06-01T00:00:00Z' });
    ids.push(ended.id);
  });

  it('lists the plan’s active prices newest first, with FlexPrice paging', async () => {
    const res = await api.get(`/v1/prices?plan_ids=${plan}&limit=2`);
    expect(res.status).toBe(200);
    expect(res.body.pagination).toEqual({ total: 4, limit: 2, offset: 2 });
    expect(res.body.items.map((p: any) => p.id)).toEqual([ids[3], ids[2]]);
    const page2 = await api.get(`/v1/prices?plan_ids=${plan}&limit=2&offset=2`);
    expect(page2.body.items.map((p: any) => p.id)).toEqual([ids[1], ids[0]]);
    expect(page2.body.pagination).toEqual({ total: 4, limit: 2, offset: 4 });
  });

  it('includes ended prices with allow_expired_prices, and filters by billing period, meter and entity', async () => {
    expect((await api.get(`/v1/prices?plan_ids=${plan}&allow_expired_prices=true`)).body.pagination.total).toBe(5);
    const annual = await api.post('/v1/prices/search', { plan_ids: [plan], billing_periods: ['ANNUAL'] });
    expect(annual.body.items.map((p: any) => p.id)).toEqual([ids[3]]);
    const byMeter = await api.post('/v1/prices/search', { entity_ids: [plan], entity_type: 'PLAN', meter_ids: [meterId], expand: 'meters' });
    expect(byMeter.body.items).toHaveLength(1);
    expect(byMeter.body.items[0].meter).toMatchObject({ id: meterId });
    const byIds = await api.post('/v1/prices/search', { price_ids: [ids[0], ids[4]], allow_expired_prices: true });
    expect(byIds.body.items.map((p: any) => p.id).sort()).toEqual([ids[0], ids[4]].sort());
    const old = await api.post('/v1/prices/search', { plan_ids: [plan], allow_expired_prices: true, start_date_lt: '2025-01-01T00:00:00Z' });
    expect(old.body.items.map((p: any) => p.id)).toEqual([ids[4]]);
    expect((await api.post('/v1/prices/search', { plan_ids: [plan], subscription_id: 'subs_1' })).body.items).toEqual([]);
  });

  it('sorts by one column (a string), applies filters, and refuses unknown fields and expansions', async () => {
    const sorted = await api.post('/v1/prices/search', { plan_ids: [plan], sort: 'amount', order: 'asc', filters: [{ field: 'type', operator: 'eq', data_type: 'string', value: { string: 'FIXED' } }] });
    expect(sorted.status, JSON.stringify(sorted.body)).toBe(200);
    expect(sorted.body.items.map((p: any) => p.amount)).toEqual(['10', '20', '30']);
    const viaGet = await api.get(`/v1/prices?plan_ids=${plan}&sort=amount&order=desc&limit=1`);
    expect(viaGet.body.items[0].amount).toBe('30');
    expect((await api.post('/v1/prices/search', { sort: 'colour' })).status).toBe(400);
    expect((await api.post('/v1/prices/search', { filters: [{ field: 'colour', operator: 'eq', data_type: 'string', value: { string: 'x' } }] })).status).toBe(400);
    expect((await api.post('/v1/prices/search', { expand: 'plan' })).status).toBe(400);
    expect((await api.get('/v1/prices?limit=1001')).status).toBe(400);
  });
});

describe('environment isolation', () => {
  it('a price of another environment is 404 and absent from its lists; its plans cannot be priced', async () => {
    const { client, scope: prodScope } = await productionClient(server);
    const key = unique('iso');
    const p = await createPrice(api, fixedPrice(planId, { lookup_key: key }));
    expect((await client.get(`/v1/prices/${p.id}`)).status).toBe(404);
    expect((await client.get(`/v1/prices/lookup/${key}`)).status).toBe(404);
    expect((await client.post(`/v1/prices/${p.id}/cost`, { quantity: 1 })).status).toBe(404);
    expect((await client.put(`/v1/prices/${p.id}`, { description: 'x' })).status).toBe(404);
    expect((await client.request('DELETE', `/v1/prices/${p.id}`)).status).toBe(404);
    expect((await client.get('/v1/prices')).body.pagination.total).toBe(0);
    const res = await client.post('/v1/prices', fixedPrice(planId));
    expect(res.status).toBe(404);
    expect(Object.keys(res.body.details)).toEqual(['entity_id']);
    expect((await client.post('/v1/prices', usagePrice(await insertPlan(server, prodScope), meterId))).status).toBe(404);
    // the same lookup key is free in the other environment
    const prodPlan = await insertPlan(server, prodScope, 'Prod plan');
    expect((await client.post('/v1/prices', fixedPrice(prodPlan, { lookup_key: key }))).status).toBe(201);
    expect((await api.get(`/v1/prices/${p.id}`)).body.end_date).toBeUndefined();
  });
});
