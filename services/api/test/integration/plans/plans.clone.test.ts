import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { insertPrice, type RowScope } from '../../support/catalog-rows.ts';
import { created, devScope, priceBody, unique, useTestServer } from '../../support/fixtures.ts';
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

/** Rows of the environment, any status, read through the lists' totals. */
async function counts(): Promise<{ plans: number; prices: number; entitlements: number }> {
  const em = server.orm.em.fork();
  const count = async (table: string) =>
    Number((await em.getConnection().execute(`select count(*) as n from ${table} where environment_id = ?`, [dev.environmentId]))[0].n);
  return { plans: await count('plans'), prices: await count('prices'), entitlements: await count('entitlements') };
}

/**
 * A source plan with: a flat monthly fee ending tomorrow, a tiered usage price changed once (so its
 * live version has a parent and the first version has ended), a price that ended in January 2025 and
 * an archived one (neither copied); a quota entitlement and a deleted one (not copied).
 */
async function sourcePlan() {
  const plan = await created(api, '/v1/plans', {
    name: 'Pro',
    lookup_key: unique('pro'),
    description: 'For growing teams',
    display_order: 2,
    metadata: { tier: 'pro', region: 'us' },
  });
  const meter = await created(api, '/v1/meters', { name: 'Tokens', event_name: 'llm', aggregation: { type: 'SUM', field: 'tokens' }, reset_usage: 'BILLING_PERIOD' });
  const tomorrow = new Date(server.clock.now().getTime() + 86_400_000).toISOString();
  const flat = await created(api, '/v1/prices', priceBody('PLAN', plan.id, { amount: '49.99', lookup_key: unique('pro_flat'), metadata: { kind: 'base' }, end_date: tomorrow }));
  const tieredV1 = await created(
    api,
    '/v1/prices',
    priceBody('PLAN', plan.id, {
      type: 'USAGE',
      billing_model: 'TIERED',
      tier_mode: 'SLAB',
      tiers: [{ up_to: 1000, unit_amount: '0.12' }, { unit_amount: '0.06' }],
      meter_id: meter.id,
      invoice_cadence: 'ARREAR',
      lookup_key: unique('pro_tokens'),
    }),
  );
  server.clock.advance(1000);
  const changed = await api.put(`/v1/prices/${tieredV1.id}`, { tiers: [{ up_to: 1000, unit_amount: '0.10' }, { unit_amount: '0.05', flat_amount: '2.5' }] });
  expect(changed.status, JSON.stringify(changed.body)).toBe(200);
  const tiered = changed.body;
  expect(tiered.parent_price_id).toBe(tieredV1.id);
  server.clock.advance(1000);
  const ended = await created(api, '/v1/prices', priceBody('PLAN', plan.id, { amount: '39', start_date: '2024-12-01T00:00:00Z', end_date: '2025-01-01T00:00:00Z' }));
  // The prices API never archives a price; such a row can only be written directly.
  const archived = await insertPrice(server.orm, dev, { entityType: 'PLAN', entityId: plan.id, amount: '1', status: 'archived' });
  const feature = await created(api, '/v1/features', { name: 'Tokens', lookup_key: unique('tokens'), type: 'metered', meter_id: meter.id });
  const quota = await created(api, '/v1/entitlements', {
    entity_type: 'PLAN',
    entity_id: plan.id,
    feature_id: feature.id,
    feature_type: 'metered',
    usage_limit: 50000,
    usage_reset_period: 'MONTHLY',
    is_soft_limit: true,
  });
  const sso = await created(api, '/v1/features', { name: 'SSO', lookup_key: unique('sso'), type: 'boolean' });
  const dropped = await created(api, '/v1/entitlements', { entity_type: 'PLAN', entity_id: plan.id, feature_id: sso.id, feature_type: 'boolean', is_enabled: true });
  expect((await api.delete(`/v1/entitlements/${dropped.id}`)).status).toBe(200);
  return { plan, meter, feature, flat, tieredV1, tiered, ended, archived, quota, tomorrow };
}

describe('POST /v1/plans/{id}/clone', () => {
  it('copies the plan with its live prices and published entitlements under new ids, in one answer', async () => {
    const src = await sourcePlan();
    const sourceBefore = (await api.get(`/v1/plans/${src.plan.id}`)).body;
    const lookup = unique('pro_eu');
    const res = await api.post(`/v1/plans/${src.plan.id}/clone`, { name: 'Pro (EU)', lookup_key: lookup, metadata: { region: 'eu' } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const copy = res.body;
    expect(copy.id).not.toBe(src.plan.id);
    expect(copy).toMatchObject({
      name: 'Pro (EU)',
      lookup_key: lookup,
      description: 'For growing teams',
      display_order: 2,
      metadata: { tier: 'pro', region: 'eu', source_plan_id: src.plan.id },
      status: 'published',
    });

    expect(copy.prices).toHaveLength(2);
    const priceIds = copy.prices.map((p: any) => p.id);
    for (const id of priceIds) expect([src.flat.id, src.tieredV1.id, src.tiered.id, src.ended.id, src.archived.id]).not.toContain(id);
    const flat = copy.prices.find((p: any) => p.type === 'FIXED');
    const tiered = copy.prices.find((p: any) => p.type === 'USAGE');
    expect(flat).toMatchObject({
      amount: '49.99',
      entity_type: 'PLAN',
      entity_id: copy.id,
      lookup_key: '',
      parent_price_id: '',
      metadata: { kind: 'base' },
      start_date: src.flat.start_date,
      end_date: src.tomorrow,
    });
    expect(tiered).toMatchObject({
      entity_id: copy.id,
      billing_model: 'TIERED',
      tier_mode: 'SLAB',
      tiers: [{ up_to: 1000, unit_amount: '0.1' }, { unit_amount: '0.05', flat_amount: '2.5' }],
      meter_id: src.meter.id,
      meter: { id: src.meter.id },
      lookup_key: '',
      parent_price_id: '',
      start_date: src.tiered.start_date,
    });
    expect(tiered).not.toHaveProperty('end_date');

    expect(copy.entitlements).toHaveLength(1);
    expect(copy.entitlements[0].id).not.toBe(src.quota.id);
    expect(copy.entitlements[0]).toMatchObject({
      entity_type: 'PLAN',
      entity_id: copy.id,
      feature_id: src.feature.id,
      usage_limit: 50000,
      usage_reset_period: 'MONTHLY',
      is_soft_limit: true,
    });

    const got = (await api.get(`/v1/plans/${copy.id}`)).body;
    expect(got.prices.map((p: any) => p.id).sort()).toEqual([...priceIds].sort());
    expect(got.entitlements.map((e: any) => e.id)).toEqual([copy.entitlements[0].id]);
    expect((await api.get(`/v1/plans/${src.plan.id}`)).body).toEqual(sourceBefore);
  });

  it('overrides description and display_order when given; a copy of a copy names its own source', async () => {
    const src = await created(api, '/v1/plans', { name: 'Base', lookup_key: unique('base'), description: 'Old', display_order: 1 });
    const first = await created(api, `/v1/plans/${src.id}/clone`, { name: 'Base 2', lookup_key: unique('base2'), description: 'New', display_order: 9 });
    expect(first).toMatchObject({ description: 'New', display_order: 9, metadata: { source_plan_id: src.id }, prices: [], entitlements: [] });
    const second = await created(api, `/v1/plans/${first.id}/clone`, { name: 'Base 3', lookup_key: unique('base3'), description: '' });
    expect(second).toMatchObject({ description: '', display_order: 9, metadata: { source_plan_id: first.id } });
  });

  it('refuses a lookup key of a published plan (the source’s own included) with 409, writing nothing', async () => {
    const src = await sourcePlan();
    const other = await created(api, '/v1/plans', { name: 'Other', lookup_key: unique('other') });
    const before = await counts();
    for (const taken of [other.lookup_key, src.plan.lookup_key]) {
      const res = await api.post(`/v1/plans/${src.plan.id}/clone`, { name: 'Clash', lookup_key: taken });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ code: 'already_exists', details: { lookup_key: taken } });
    }
    expect(await counts()).toEqual(before);
  });

  it('is all or nothing under concurrent clones to one key: one copy with all its rows, the others 409 with none', async () => {
    const src = await sourcePlan();
    const before = await counts();
    const lookup = unique('race');
    const results = await Promise.all([1, 2, 3].map((n) => api.post(`/v1/plans/${src.plan.id}/clone`, { name: `Race ${n}`, lookup_key: lookup })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await counts()).toEqual({ plans: before.plans + 1, prices: before.prices + 2, entitlements: before.entitlements + 1 });
  });

  it('may reuse the key of an archived plan', async () => {
    const retired = await created(api, '/v1/plans', { name: 'Retired', lookup_key: unique('retired') });
    await api.delete(`/v1/plans/${retired.id}`);
    const src = await created(api, '/v1/plans', { name: 'Src' });
    expect((await api.post(`/v1/plans/${src.id}/clone`, { name: 'Reuse', lookup_key: retired.lookup_key })).status).toBe(201);
  });

  it('requires name and lookup_key (400, nothing written) and answers 404 for an unknown source', async () => {
    const src = await created(api, '/v1/plans', { name: 'Src' });
    const before = await counts();
    const missing = await api.post(`/v1/plans/${src.id}/clone`, {});
    expect(missing.status).toBe(400);
    expect(missing.body.details).toEqual({ name: 'is required', lookup_key: 'is required' });
    const blank = await api.post(`/v1/plans/${src.id}/clone`, { name: ' ', lookup_key: ' ' });
    expect(blank.body.details).toEqual({ name: 'must not be blank', lookup_key: 'must not be blank' });
    const unknown = await api.post('/v1/plans/plan_nope/clone', { name: 'x', lookup_key: unique('x') });
    expect(unknown.status).toBe(404);
    expect(unknown.body.details).toEqual({ id: 'plan_nope' });
    expect(await counts()).toEqual(before);
  });

  it('clones within the caller’s environment only', async () => {
    const src = await created(api, '/v1/plans', { name: 'Dev', lookup_key: unique('dev') });
    const before = await counts();
    expect((await prod.post(`/v1/plans/${src.id}/clone`, { name: 'Stolen', lookup_key: unique('stolen') })).status).toBe(404);
    expect(await counts()).toEqual(before);
  });
});
