import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { count, createAddon, createEntitlement, createFeature, createPlan, expectRefused, useTestServer, withArchived } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();
let api: ApiClient;
let prod: ApiClient;
beforeAll(async () => {
  api = server.api;
  prod = (await productionApi(server)).api;
});

const entitlementId = /^ent_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Entitlements of the environment, any status, read through the list totals. */
const entitlementCount = () => count(api, '/v1/entitlements', withArchived);

/** A request that must fail with `status` and write nothing; returns the error body. */
const refused = (method: 'post' | 'put', path: string, body: unknown, status = 400) =>
  expectRefused(api, { method: method.toUpperCase(), path, body }, { status }, entitlementCount);
const refuseCreate = (body: unknown, status = 400) => refused('post', '/v1/entitlements', body, status);

describe('POST /v1/entitlements', () => {
  it('creates a metered entitlement on a plan: FlexPrice’s fields, the feature embedded', async () => {
    const plan = await createPlan(api);
    const feature = await createFeature.metered(api);
    const e = await createEntitlement(api, {
      entity_type: 'PLAN',
      entity_id: plan.id,
      feature_id: feature.id,
      feature_type: 'metered',
      is_enabled: false,
      usage_limit: 1_000_000,
      usage_reset_period: 'MONTHLY',
      is_soft_limit: true,
    });
    expect(e.id).toMatch(entitlementId);
    expect(e).toMatchObject({
      entity_type: 'PLAN',
      entity_id: plan.id,
      plan_id: plan.id,
      feature_id: feature.id,
      feature_type: 'metered',
      is_enabled: true, // forced for metered, as FlexPrice
      usage_limit: 1_000_000,
      usage_reset_period: 'MONTHLY',
      is_soft_limit: true,
      static_value: '',
      display_order: 0,
      aggregation_mode: 'additive',
      status: 'published',
      tenant_id: server.bootstrap.tenantId,
      environment_id: server.bootstrap.defaultEnvironmentId,
    });
    expect(e.created_by).toMatch(/^secret_/);
    expect(e.feature).toMatchObject({ id: feature.id, type: 'metered', name: 'LLM tokens' });
    expect(e.plan).toMatchObject({ id: plan.id, name: 'Pro', status: 'published' });
    expect(Object.keys(e).sort()).toEqual(
      [
        'id', 'entity_type', 'entity_id', 'plan_id', 'feature_id', 'feature_type', 'is_enabled', 'usage_limit', 'usage_reset_period',
        'is_soft_limit', 'static_value', 'display_order', 'aggregation_mode', 'feature', 'plan', 'environment_id', 'tenant_id', 'status',
        'created_at', 'updated_at', 'created_by', 'updated_by',
      ].sort(),
    );

    const got = await api.get(`/v1/entitlements/${e.id}`);
    expect(got.status).toBe(200);
    const { feature: gotFeature, plan: gotPlan, ...rest } = got.body;
    const { feature: _f, plan: _p, ...created } = e;
    expect(rest).toEqual(created);
    expect(gotPlan).toEqual(e.plan);
    expect(gotFeature.meter).toMatchObject({ id: feature.meter_id, aggregation: { type: 'SUM', field: 'tokens' } });
  });

  it('takes the legacy plan_id as entity_type PLAN; entity_type + entity_id win when both are given', async () => {
    const plan = await createPlan(api);
    const addon = await createAddon(api);
    const feature = await createFeature.boolean(api);
    const legacy = await createEntitlement(api, { plan_id: plan.id, feature_id: feature.id, feature_type: 'boolean', is_enabled: true });
    expect(legacy).toMatchObject({ entity_type: 'PLAN', entity_id: plan.id, plan_id: plan.id });
    const both = await createEntitlement(api, { plan_id: plan.id, entity_type: 'ADDON', entity_id: addon.id, feature_id: feature.id, feature_type: 'boolean' });
    expect(both).toMatchObject({ entity_type: 'ADDON', entity_id: addon.id, plan_id: addon.id, addon: { id: addon.id, lookup_key: addon.lookup_key } });
    expect(both).not.toHaveProperty('plan');
    expect((await api.get(`/v1/entitlements/${both.id}`)).body.addon).toMatchObject({ id: addon.id });
  });

  it('metered: null (or absent) usage_limit is unlimited; the largest exact limit is kept to the digit', async () => {
    const plan = await createPlan(api);
    const unlimited = await createEntitlement(api, { plan_id: plan.id, feature_id: (await createFeature.metered(api)).id, feature_type: 'metered', usage_limit: null });
    expect(unlimited).toMatchObject({ usage_limit: null, usage_reset_period: '', is_soft_limit: false });
    const absent = await createEntitlement(api, { plan_id: plan.id, feature_id: (await createFeature.metered(api)).id, feature_type: 'metered' });
    expect(absent.usage_limit).toBeNull();

    const big = await createEntitlement(api, { plan_id: plan.id, feature_id: (await createFeature.metered(api)).id, feature_type: 'metered', usage_limit: 9007199254740991 });
    const raw = await fetch(`${server.url}/v1/entitlements/${big.id}`, { headers: { 'x-api-key': server.apiKey } });
    expect(await raw.text()).toContain('"usage_limit":9007199254740991,');
    const zero = await createEntitlement(api, { plan_id: plan.id, feature_id: (await createFeature.metered(api)).id, feature_type: 'metered', usage_limit: 0 });
    expect(zero.usage_limit).toBe(0);
  });

  it('metered: a limit that JSON cannot carry exactly, a negative or fractional one, or a bad period is refused', async () => {
    const plan = await createPlan(api);
    const feature = await createFeature.metered(api);
    const base = { plan_id: plan.id, feature_id: feature.id, feature_type: 'metered' };
    for (const usage_limit of ['9007199254740992', '9223372036854775807', '-1', '1.5']) {
      const body = await refuseCreate(`{"plan_id":"${plan.id}","feature_id":"${feature.id}","feature_type":"metered","usage_limit":${usage_limit}}`);
      expect(Object.keys(body.details)).toEqual(['usage_limit']);
    }
    expect(Object.keys((await refuseCreate({ ...base, usage_limit: '100' })).details)).toEqual(['usage_limit']);
    expect(Object.keys((await refuseCreate({ ...base, usage_reset_period: 'YEARLY' })).details)).toEqual(['usage_reset_period']);
  });

  it('boolean: is_enabled is the switch (default false); metered-only fields are refused', async () => {
    const plan = await createPlan(api);
    const on = await createEntitlement(api, { plan_id: plan.id, feature_id: (await createFeature.boolean(api)).id, feature_type: 'boolean', is_enabled: true });
    expect(on).toMatchObject({ is_enabled: true, usage_limit: null, usage_reset_period: '', static_value: '' });
    const off = await createEntitlement(api, { plan_id: plan.id, feature_id: (await createFeature.boolean(api)).id, feature_type: 'boolean' });
    expect(off.is_enabled).toBe(false);

    const feature = await createFeature.boolean(api);
    const base = { plan_id: plan.id, feature_id: feature.id, feature_type: 'boolean' };
    expect((await refuseCreate({ ...base, usage_limit: 10 })).details).toEqual({ usage_limit: 'applies only to metered features; this feature is boolean' });
    expect((await refuseCreate({ ...base, usage_reset_period: 'MONTHLY' })).details).toEqual({
      usage_reset_period: 'applies only to metered features; this feature is boolean',
    });
    expect((await refuseCreate({ ...base, is_soft_limit: true })).details).toEqual({ is_soft_limit: 'applies only to metered features; this feature is boolean' });
    expect((await refuseCreate({ ...base, static_value: 'x' })).details).toEqual({ static_value: 'applies only to static features; this feature is boolean' });
    // Explicit defaults are fine.
    await createEntitlement(api, { ...base, usage_limit: null, is_soft_limit: false, static_value: '', config_value: {} });
  });

  it('static: static_value is required and stored; it is enabled whatever is_enabled says', async () => {
    const plan = await createPlan(api);
    const feature = await createFeature.static(api);
    const base = { plan_id: plan.id, feature_id: feature.id, feature_type: 'static' };
    expect((await refuseCreate(base)).details).toEqual({ static_value: 'is required for a static feature' });
    expect((await refuseCreate({ ...base, static_value: '' })).details).toEqual({ static_value: 'is required for a static feature' });
    const e = await createEntitlement(api, { ...base, static_value: '24/7 support', is_enabled: false });
    expect(e).toMatchObject({ static_value: '24/7 support', is_enabled: true, usage_limit: null });
  });

  it('config: config_value is stored as given; blank keys, and config_value on other types, are refused', async () => {
    const plan = await createPlan(api);
    const feature = await createFeature.config(api);
    const base = { plan_id: plan.id, feature_id: feature.id, feature_type: 'config' };
    expect((await refuseCreate({ ...base, config_value: { ' ': 1 } })).details).toEqual({ config_value: 'keys must not be empty or whitespace' });
    const config = { max_projects: 10, regions: ['eu', 'us'], sso: { enabled: true } };
    const e = await createEntitlement(api, { ...base, config_value: config, is_enabled: false });
    expect(e).toMatchObject({ config_value: config, is_enabled: true });
    expect((await api.get(`/v1/entitlements/${e.id}`)).body.config_value).toEqual(config);

    const metered = await createFeature.metered(api);
    expect((await refuseCreate({ plan_id: plan.id, feature_id: metered.id, feature_type: 'metered', config_value: { a: 1 } })).details).toEqual({
      config_value: 'applies only to config features; this feature is metered',
    });
  });

  it('refuses a feature_type that is not the feature’s type (400 naming feature_type), nothing written', async () => {
    const plan = await createPlan(api);
    const feature = await createFeature.boolean(api);
    const body = await refuseCreate({ plan_id: plan.id, feature_id: feature.id, feature_type: 'static', static_value: 'x' });
    expect(body).toMatchObject({ code: 'validation_error', details: { feature_type: `must be boolean, the type of feature ${feature.id}` } });
    expect(body.message).toMatch(/^feature type mismatch/);
  });

  it('needs a published feature of the environment (404 naming feature_id)', async () => {
    const plan = await createPlan(api);
    const missing = await refuseCreate({ plan_id: plan.id, feature_id: 'feat_nope', feature_type: 'boolean' }, 404);
    expect(missing).toMatchObject({ code: 'not_found', message: 'Feature with ID feat_nope was not found', details: { feature_id: 'feat_nope' } });
    const feature = await createFeature.boolean(api);
    expect((await api.delete(`/v1/features/${feature.id}`)).status).toBe(200);
    const archived = await refuseCreate({ plan_id: plan.id, feature_id: feature.id, feature_type: 'boolean' }, 404);
    expect(archived.details).toEqual({ feature_id: feature.id });
    expect(archived.message).toMatch(/is archived/);
  });

  it('needs the plan, addon or subscription to exist in the environment', async () => {
    const feature = await createFeature.boolean(api);
    const base = { feature_id: feature.id, feature_type: 'boolean' };
    expect(await refuseCreate({ ...base, plan_id: 'plan_nope' }, 404)).toMatchObject({ message: 'Plan with ID plan_nope was not found', details: { plan_id: 'plan_nope' } });
    expect(await refuseCreate({ ...base, entity_type: 'PLAN', entity_id: 'plan_nope' }, 404)).toMatchObject({ details: { entity_id: 'plan_nope' } });
    expect(await refuseCreate({ ...base, entity_type: 'ADDON', entity_id: 'addon_nope' }, 404)).toMatchObject({
      message: 'Addon with ID addon_nope was not found',
      details: { entity_id: 'addon_nope' },
    });
    const plan = await createPlan(api);
    // A plan id is not an addon id.
    expect(await refuseCreate({ ...base, entity_type: 'ADDON', entity_id: plan.id }, 404)).toMatchObject({ details: { entity_id: plan.id } });
    const sub = await refuseCreate({ ...base, entity_type: 'SUBSCRIPTION', entity_id: 'subs_1' }, 404);
    expect(sub).toMatchObject({ message: 'Subscription with ID subs_1 was not found', details: { entity_id: 'subs_1' } });
    expect((await refuseCreate(base)).details).toEqual({
      entity_type: 'is required: give entity_type and entity_id, or plan_id',
      entity_id: 'is required: give entity_type and entity_id, or plan_id',
    });
    expect((await refuseCreate({ ...base, entity_type: 'PLAN' })).details).toEqual({ entity_id: 'is required: give entity_type and entity_id, or plan_id' });
    expect(Object.keys((await refuseCreate({ ...base, plan_id: plan.id, feature_type: 'gauge' })).details)).toEqual(['feature_type']);
    expect(Object.keys((await refuseCreate({ plan_id: plan.id, feature_type: 'boolean' })).details)).toEqual(['feature_id']);

    const archivedPlan = await createPlan(api);
    expect((await api.delete(`/v1/plans/${archivedPlan.id}`)).status).toBe(200);
    expect((await refuseCreate({ ...base, plan_id: archivedPlan.id }, 404)).message).toMatch(/is archived/);
  });

  it('refuses a metered entitlement on a bucketed MAX meter (400 naming feature_id); an unbucketed MAX is fine', async () => {
    const plan = await createPlan(api);
    const bucketed = await createFeature.metered(api, { type: 'MAX', field: 'gb', bucket_size: 'HOUR' });
    const body = await refuseCreate({ plan_id: plan.id, feature_id: bucketed.id, feature_type: 'metered', usage_limit: 5 });
    expect(body.details.feature_id).toMatch(/bucketed MAX meter \(bucket_size HOUR\); entitlements are not supported for it$/);
    const plain = await createFeature.metered(api, { type: 'MAX', field: 'gb' });
    await createEntitlement(api, { plan_id: plan.id, feature_id: plain.id, feature_type: 'metered', usage_limit: 5 });
  });

  it('allows one published entitlement per entity and feature (409, as FlexPrice’s unique index); deleting frees it', async () => {
    const plan = await createPlan(api);
    const addon = await createAddon(api);
    const feature = await createFeature.metered(api);
    const first = await createEntitlement(api, { plan_id: plan.id, feature_id: feature.id, feature_type: 'metered', usage_limit: 10 });
    const clash = await refuseCreate({ entity_type: 'PLAN', entity_id: plan.id, feature_id: feature.id, feature_type: 'metered', usage_limit: 20 }, 409);
    expect(clash).toMatchObject({ code: 'already_exists', details: { feature_id: feature.id, entity_type: 'PLAN', entity_id: plan.id } });
    expect(clash.message).toContain(first.id);
    // The same feature on another entity is fine.
    await createEntitlement(api, { entity_type: 'ADDON', entity_id: addon.id, feature_id: feature.id, feature_type: 'metered', usage_limit: 5 });
    expect((await api.delete(`/v1/entitlements/${first.id}`)).status).toBe(200);
    await createEntitlement(api, { plan_id: plan.id, feature_id: feature.id, feature_type: 'metered', usage_limit: 20 });
  });

  it('lets exactly one of several simultaneous creates for the same plan and feature through (unique index)', async () => {
    const plan = await createPlan(api);
    const feature = await createFeature.boolean(api);
    const body = { plan_id: plan.id, feature_id: feature.id, feature_type: 'boolean', is_enabled: true };
    const results = await Promise.all(Array.from({ length: 6 }, () => api.post('/v1/entitlements', body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    const listed = await api.get(`/v1/plans/${plan.id}/entitlements`);
    expect(listed.body.items.map((e: { id: string }) => e.id)).toEqual([results.find((r) => r.status === 201)!.body.id]);
  });

  it('stores and echoes grant fields; FlexPrice’s grant coherence rules apply', async () => {
    const plan = await createPlan(api);
    const feature = await createFeature.metered(api);
    const base = { plan_id: plan.id, feature_id: feature.id, feature_type: 'metered' };
    const grant = {
      grant_measure: 'quantity',
      grant_quota: 1500.5,
      grant_duration_value: 30,
      grant_duration_unit: 'day',
      grant_allocation_behavior: 'first_usage',
      aggregation_mode: 'parallel',
    };
    const e = await createEntitlement(api, { ...base, ...grant });
    expect(e).toMatchObject({ ...grant, grant_quota: '1500.5' });
    // Parallel grants are exempt from the one-per-entity-and-feature rule (FlexPrice's index too).
    await createEntitlement(api, { ...base, ...grant, grant_quota: '10.000' });
    await createEntitlement(api, { ...base, usage_limit: 100 });

    expect((await refuseCreate({ ...base, aggregation_mode: 'parallel' })).details).toEqual({
      aggregation_mode: 'parallel requires a grant config (grant_measure, grant_quota, grant duration)',
    });
    expect((await refuseCreate({ ...base, ...grant, grant_quota: '0' })).details).toEqual({ grant_quota: 'must be greater than 0' });
    expect(Object.keys((await refuseCreate({ ...base, ...grant, grant_quota: 'lots' })).details)).toEqual(['grant_quota']);
    expect((await refuseCreate({ ...base, grant_quota: '5', aggregation_mode: 'parallel' })).details).toEqual({
      grant_measure: 'is required for a grant-based entitlement',
      grant_duration_unit: 'is required for a grant-based entitlement',
    });
    expect((await refuseCreate({ ...base, ...grant, grant_duration_unit: 'subscription_period' })).details).toEqual({
      grant_duration_value: 'must not be set for subscription_period grants (the window is the billing period)',
      grant_allocation_behavior: 'must not be set for subscription_period grants (they align with the billing period)',
    });
    expect(Object.keys((await refuseCreate({ ...base, ...grant, grant_measure: 'bytes' })).details)).toEqual(['grant_measure']);
    const boolFeature = await createFeature.boolean(api);
    expect((await refuseCreate({ plan_id: plan.id, feature_id: boolFeature.id, feature_type: 'boolean', grant_quota: '5' })).details).toEqual({
      grant_quota: 'a grant config applies only to metered features; this feature is boolean',
    });
  });
});

describe('POST /v1/entitlements/bulk', () => {
  it('creates every item in one go, in request order, each with its feature', async () => {
    const plan = await createPlan(api);
    const addon = await createAddon(api);
    const metered = await createFeature.metered(api);
    const flag = await createFeature.boolean(api);
    const res = await api.post('/v1/entitlements/bulk', {
      items: [
        { plan_id: plan.id, feature_id: metered.id, feature_type: 'metered', usage_limit: 500, usage_reset_period: 'DAILY' },
        { entity_type: 'PLAN', entity_id: plan.id, feature_id: flag.id, feature_type: 'boolean', is_enabled: true },
        { entity_type: 'ADDON', entity_id: addon.id, feature_id: metered.id, feature_type: 'metered', usage_limit: null },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.items.map((e: any) => [e.entity_id, e.feature_id, e.usage_limit, e.is_enabled, e.feature.id])).toEqual([
      [plan.id, metered.id, 500, true, metered.id],
      [plan.id, flag.id, null, true, flag.id],
      [addon.id, metered.id, null, true, metered.id],
    ]);
    const listed = await api.post('/v1/entitlements/search', { entity_ids: [plan.id, addon.id], order: 'asc' });
    expect(listed.body.items.map((e: any) => e.id)).toEqual(res.body.items.map((e: any) => e.id));
  });

  it('is all or nothing: one bad item (any kind of error) writes none, and the error names the item', async () => {
    const plan = await createPlan(api);
    const metered = await createFeature.metered(api);
    const flag = await createFeature.boolean(api);
    const good = { plan_id: plan.id, feature_id: metered.id, feature_type: 'metered', usage_limit: 1 };
    const post = (items: unknown[], status: number) => refused('post', '/v1/entitlements/bulk', { items }, status);

    expect((await post([good, { plan_id: plan.id, feature_id: flag.id, feature_type: 'metered' }], 400)).details).toEqual({
      'items[1].feature_type': `must be boolean, the type of feature ${flag.id}`,
    });
    expect((await post([good, { plan_id: plan.id, feature_id: flag.id, feature_type: 'boolean', usage_limit: 3 }, { feature_type: 'static', feature_id: 'x', plan_id: plan.id }], 400)).details).toEqual({
      'items[1].usage_limit': 'applies only to metered features; this feature is boolean',
      'items[2].static_value': 'is required for a static feature',
    });
    expect((await post([good, { plan_id: plan.id, feature_id: 'feat_nope', feature_type: 'boolean' }], 404)).details).toEqual({ 'items[1].feature_id': 'feat_nope' });
    expect((await post([good, { plan_id: 'plan_nope', feature_id: flag.id, feature_type: 'boolean' }], 404)).details).toEqual({ 'items[1].plan_id': 'plan_nope' });
    expect((await post([good, good], 409)).details).toMatchObject({ 'items[1].feature_id': metered.id });
    const schema = await post([good, { plan_id: plan.id, feature_type: 'boolean' }], 400);
    expect(Object.keys(schema.details)).toEqual([expect.stringMatching(/^items\[1\]\.feature_id$/)]);
    expect(Object.keys((await post([], 400)).details)).toEqual(['items']);
    expect(Object.keys((await post(Array.from({ length: 101 }, () => good), 400)).details)).toEqual(['items']);
  });
});

describe('GET / PUT / DELETE /v1/entitlements/{id}', () => {
  it('updates only what is given; usage_limit 0 means unlimited and null leaves it, as in FlexPrice', async () => {
    const plan = await createPlan(api);
    const e = await createEntitlement(api, { plan_id: plan.id, feature_id: (await createFeature.metered(api)).id, feature_type: 'metered', usage_limit: 100, usage_reset_period: 'MONTHLY' });
    server.clock.advance?.(1000);
    const put = async (body: unknown) => {
      const res = await api.put(`/v1/entitlements/${e.id}`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body;
    };
    const a = await put({ usage_limit: 250, is_soft_limit: true, is_enabled: false });
    expect(a).toMatchObject({ usage_limit: 250, is_soft_limit: true, is_enabled: true, usage_reset_period: 'MONTHLY' });
    expect(a.feature.id).toBe(e.feature_id);
    expect((await put({ usage_limit: null })).usage_limit).toBe(250);
    expect((await put({ usage_reset_period: 'ANNUAL' })).usage_reset_period).toBe('ANNUAL');
    expect((await put({ usage_limit: 0 })).usage_limit).toBeNull();
    expect((await api.get(`/v1/entitlements/${e.id}`)).body).toMatchObject({ usage_limit: null, usage_reset_period: 'ANNUAL', is_soft_limit: true });
  });

  it('applies the per-type rules to the result; static_value "" leaves it; grant config can be cleared', async () => {
    const plan = await createPlan(api);
    const flag = await createEntitlement(api, { plan_id: plan.id, feature_id: (await createFeature.boolean(api)).id, feature_type: 'boolean', is_enabled: true });
    expect((await api.put(`/v1/entitlements/${flag.id}`, { is_enabled: false })).body.is_enabled).toBe(false);
    expect((await refused('put', `/v1/entitlements/${flag.id}`, { usage_limit: 5 })).details).toEqual({
      usage_limit: 'applies only to metered features; this feature is boolean',
    });
    expect((await api.get(`/v1/entitlements/${flag.id}`)).body.usage_limit).toBeNull();

    const st = await createEntitlement(api, { plan_id: plan.id, feature_id: (await createFeature.static(api)).id, feature_type: 'static', static_value: 'email' });
    expect((await api.put(`/v1/entitlements/${st.id}`, { static_value: 'phone' })).body.static_value).toBe('phone');
    expect(Object.keys((await refused('put', `/v1/entitlements/${st.id}`, { static_value: '' })).details)).toEqual(['static_value']);
    expect((await refused('put', `/v1/entitlements/${st.id}`, { config_value: { a: 1 } })).details).toEqual({
      config_value: 'applies only to config features; this feature is static',
    });

    const cfg = await createEntitlement(api, { plan_id: plan.id, feature_id: (await createFeature.config(api)).id, feature_type: 'config', config_value: { a: 1 } });
    expect((await api.put(`/v1/entitlements/${cfg.id}`, { config_value: { b: 2 } })).body.config_value).toEqual({ b: 2 });

    const metered = await createFeature.metered(api);
    const g = await createEntitlement(api, {
      plan_id: plan.id,
      feature_id: metered.id,
      feature_type: 'metered',
      grant_measure: 'amount',
      grant_quota: '20',
      grant_duration_unit: 'subscription_period',
    });
    expect((await api.put(`/v1/entitlements/${g.id}`, { grant_quota: '35.250' })).body.grant_quota).toBe('35.25');
    const cleared = (await api.put(`/v1/entitlements/${g.id}`, { clear_grant_config: true })).body;
    for (const f of ['grant_measure', 'grant_quota', 'grant_duration_unit', 'grant_duration_value', 'grant_allocation_behavior']) expect(cleared).not.toHaveProperty(f);
    expect(cleared.aggregation_mode).toBe('additive');
  });

  it('soft-deletes: archived, still readable, out of lists, cannot be updated; deleting again is fine', async () => {
    const plan = await createPlan(api);
    const e = await createEntitlement(api, { plan_id: plan.id, feature_id: (await createFeature.boolean(api)).id, feature_type: 'boolean' });
    const del = await api.delete(`/v1/entitlements/${e.id}`);
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ message: 'entitlement deleted successfully' });
    expect((await api.get(`/v1/entitlements/${e.id}`)).body.status).toBe('archived');
    expect((await api.get(`/v1/entitlements?entity_ids=${plan.id}`)).body.items).toEqual([]);
    expect((await api.get(`/v1/entitlements?entity_ids=${plan.id}&status=archived`)).body.items.map((x: any) => x.id)).toEqual([e.id]);
    expect((await refused('put', `/v1/entitlements/${e.id}`, { is_enabled: true })).code).toBe('invalid_operation');
    expect((await api.delete(`/v1/entitlements/${e.id}`)).status).toBe(200);
  });

  it('answers 404 for an unknown id', async () => {
    expect((await api.get('/v1/entitlements/ent_nope')).status).toBe(404);
    expect((await api.put('/v1/entitlements/ent_nope', { is_enabled: true })).status).toBe(404);
    const del = await api.delete('/v1/entitlements/ent_nope');
    expect(del.status).toBe(404);
    expect(del.body).toMatchObject({ code: 'not_found', message: 'Entitlement with ID ent_nope was not found' });
  });
});

describe('GET /v1/entitlements and POST /v1/entitlements/search', () => {
  it('filters by entity, feature, type and switch; expands features; pages FlexPrice’s way', async () => {
    const plan = await createPlan(api);
    const addon = await createAddon(api);
    const metered = await createFeature.metered(api);
    const flag = await createFeature.boolean(api);
    const m = await createEntitlement(api, { plan_id: plan.id, feature_id: metered.id, feature_type: 'metered', usage_limit: 7 });
    const f = await createEntitlement(api, { plan_id: plan.id, feature_id: flag.id, feature_type: 'boolean', is_enabled: false });
    const a = await createEntitlement(api, { entity_type: 'ADDON', entity_id: addon.id, feature_id: flag.id, feature_type: 'boolean', is_enabled: true });
    const ids = async (body: Record<string, unknown>) => {
      const res = await api.post('/v1/entitlements/search', body);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return res.body.items.map((x: any) => x.id);
    };
    const mine = { entity_ids: [plan.id, addon.id] };
    expect(await ids(mine)).toEqual([a.id, f.id, m.id]);
    expect(await ids({ ...mine, order: 'asc' })).toEqual([m.id, f.id, a.id]);
    expect(await ids({ ...mine, entity_type: 'ADDON' })).toEqual([a.id]);
    expect(await ids({ plan_ids: [plan.id] })).toEqual([f.id, m.id]);
    expect(await ids({ ...mine, feature_ids: [flag.id] })).toEqual([a.id, f.id]);
    expect(await ids({ ...mine, feature_type: 'metered' })).toEqual([m.id]);
    expect(await ids({ ...mine, is_enabled: false })).toEqual([f.id]);
    expect(await ids({ ...mine, filters: [{ field: 'feature_type', operator: 'eq', data_type: 'string', value: { string: 'boolean' } }] })).toEqual([a.id, f.id]);
    expect(await ids({ ...mine, sort: [{ field: 'entity_type', direction: 'asc' }] })).toEqual([a.id, f.id, m.id]);

    const page = await api.post('/v1/entitlements/search', { ...mine, limit: 2, offset: 1, expand: 'features' });
    expect(page.body.pagination).toEqual({ total: 3, limit: 2, offset: 3 });
    expect(page.body.items.map((x: any) => [x.id, x.feature.id])).toEqual([
      [f.id, flag.id],
      [m.id, metered.id],
    ]);
    expect((await api.post('/v1/entitlements/search', mine)).body.items[0]).not.toHaveProperty('feature');

    const get = await api.get(`/v1/entitlements?entity_ids=${plan.id}&entity_ids=${addon.id}&feature_type=boolean&is_enabled=true&expand=features`);
    expect(get.status).toBe(200);
    expect(get.body.items.map((x: any) => [x.id, x.feature.id])).toEqual([[a.id, flag.id]]);
    expect((await api.get(`/v1/entitlements?plan_ids=${plan.id}&sort=created_at&order=asc`)).body.items.map((x: any) => x.id)).toEqual([m.id, f.id]);
  });

  it('refuses unknown expand tokens, filter fields and sort fields with 400', async () => {
    expect((await api.post('/v1/entitlements/search', { expand: 'plans' })).body.details).toEqual({ expand: "cannot expand 'plans'; allowed: features" });
    expect((await api.get('/v1/entitlements?expand=meters')).status).toBe(400);
    const bad = await api.post('/v1/entitlements/search', { filters: [{ field: 'usage_limitx', operator: 'eq', data_type: 'string', value: { string: '1' } }] });
    expect(bad.status).toBe(400);
    expect((await api.get('/v1/entitlements?sort=nope')).status).toBe(400);
  });
});

describe('GET /v1/plans/{id}/entitlements and /v1/addons/{id}/entitlements', () => {
  it('lists every published entitlement of the plan or addon with features and meters; 404 for an unknown one', async () => {
    const plan = await createPlan(api);
    const addon = await createAddon(api);
    const metered = await createFeature.metered(api);
    const flag = await createFeature.boolean(api);
    const m = await createEntitlement(api, { plan_id: plan.id, feature_id: metered.id, feature_type: 'metered', usage_limit: 42 });
    const f = await createEntitlement(api, { plan_id: plan.id, feature_id: flag.id, feature_type: 'boolean', is_enabled: true });
    const gone = await createEntitlement(api, { entity_type: 'ADDON', entity_id: addon.id, feature_id: metered.id, feature_type: 'metered' });
    const ad = await createEntitlement(api, { entity_type: 'ADDON', entity_id: addon.id, feature_id: flag.id, feature_type: 'boolean' });
    await api.delete(`/v1/entitlements/${gone.id}`);

    const p = await api.get(`/v1/plans/${plan.id}/entitlements`);
    expect(p.status).toBe(200);
    expect(p.body.pagination).toEqual({ total: 2, limit: 0, offset: 0 });
    expect(p.body.items.map((x: any) => x.id)).toEqual([f.id, m.id]);
    expect(p.body.items[1].feature.meter).toMatchObject({ id: metered.meter_id });
    expect(p.body.items[1].usage_limit).toBe(42);

    const a = await api.get(`/v1/addons/${addon.id}/entitlements`);
    expect(a.body).toMatchObject({ items: [{ id: ad.id, entity_type: 'ADDON', feature: { id: flag.id } }], pagination: { total: 1, limit: 0, offset: 0 } });

    const empty = await createPlan(api);
    expect((await api.get(`/v1/plans/${empty.id}/entitlements`)).body).toEqual({ items: [], pagination: { total: 0, limit: 0, offset: 0 } });
    expect((await api.get('/v1/plans/plan_nope/entitlements')).status).toBe(404);
    expect((await api.get('/v1/addons/addon_nope/entitlements')).body).toMatchObject({ code: 'not_found', message: 'Addon with ID addon_nope was not found' });
    expect((await api.get(`/v1/addons/${plan.id}/entitlements`)).status).toBe(404);
  });
});

describe('deleting a feature that entitlements grant', () => {
  it('is refused (400 invalid_operation naming the plans and addons) until its entitlements are deleted', async () => {
    const plan = await createPlan(api);
    const addon = await createAddon(api);
    const feature = await createFeature.metered(api);
    const onPlan = await createEntitlement(api, { plan_id: plan.id, feature_id: feature.id, feature_type: 'metered', usage_limit: 1 });
    const onAddon = await createEntitlement(api, { entity_type: 'ADDON', entity_id: addon.id, feature_id: feature.id, feature_type: 'metered', usage_limit: 1 });

    const refusedDelete = await api.delete(`/v1/features/${feature.id}`);
    expect(refusedDelete.status).toBe(400);
    expect(refusedDelete.body).toMatchObject({
      code: 'invalid_operation',
      message: `Feature is linked to some plans, please remove the feature from the plans first (feature ${feature.id} is granted by plans ${plan.id}; addons ${addon.id})`,
      details: { feature_id: feature.id, plan_ids: [plan.id], addon_ids: [addon.id] },
    });
    const still = (await api.get(`/v1/features/${feature.id}`)).body;
    expect(still.status).toBe('published');
    expect(still.meter.status).toBe('published');

    await api.delete(`/v1/entitlements/${onPlan.id}`);
    const again = await api.delete(`/v1/features/${feature.id}`);
    expect(again.status).toBe(400);
    expect(again.body.details).toEqual({ feature_id: feature.id, plan_ids: [], addon_ids: [addon.id] });

    await api.delete(`/v1/entitlements/${onAddon.id}`);
    const ok = await api.delete(`/v1/features/${feature.id}`);
    expect(ok.status).toBe(200);
    expect((await api.get(`/v1/features/${feature.id}`)).body.status).toBe('archived');
  });
});

describe('environments are isolated', () => {
  it('another environment’s key sees none of these entitlements and cannot use this environment’s plans or features', async () => {
    const plan = await createPlan(api);
    const addon = await createAddon(api);
    const feature = await createFeature.boolean(api);
    const e = await createEntitlement(api, { plan_id: plan.id, feature_id: feature.id, feature_type: 'boolean' });

    expect((await prod.get(`/v1/entitlements/${e.id}`)).status).toBe(404);
    expect((await prod.put(`/v1/entitlements/${e.id}`, { is_enabled: true })).status).toBe(404);
    expect((await prod.delete(`/v1/entitlements/${e.id}`)).status).toBe(404);
    expect((await prod.get('/v1/entitlements')).body).toEqual({ items: [], pagination: { total: 0, limit: 50, offset: 50 } });
    expect((await prod.post('/v1/entitlements/search', { entity_ids: [plan.id] })).body.items).toEqual([]);
    expect((await prod.get(`/v1/plans/${plan.id}/entitlements`)).status).toBe(404);
    expect((await prod.get(`/v1/addons/${addon.id}/entitlements`)).status).toBe(404);

    // This environment's plan and feature are unknown there.
    expect((await prod.post('/v1/entitlements', { plan_id: plan.id, feature_id: feature.id, feature_type: 'boolean' })).status).toBe(404);
    const prodPlan = await createPlan(prod);
    const missingFeature = await prod.post('/v1/entitlements', { plan_id: prodPlan.id, feature_id: feature.id, feature_type: 'boolean' });
    expect(missingFeature.status).toBe(404);
    expect(missingFeature.body.details).toEqual({ feature_id: feature.id });

    // Production's own entitlement of the same shape is independent, and dev's feature guard ignores it.
    const prodFeature = await createFeature.boolean(prod);
    const pe = await createEntitlement(prod, { plan_id: prodPlan.id, feature_id: prodFeature.id, feature_type: 'boolean' });
    expect(pe.environment_id).not.toBe(e.environment_id);
    expect((await api.get(`/v1/entitlements/${pe.id}`)).status).toBe(404);
    await api.delete(`/v1/entitlements/${e.id}`);
    expect((await api.delete(`/v1/features/${feature.id}`)).status).toBe(200);
  });
});
