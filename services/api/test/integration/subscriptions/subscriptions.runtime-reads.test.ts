// What customers and apps ask at run time. Acme subscribes on 1 May 2025 to Pro: $0.01 a call with 1,000
// calls included a month, SSO and "24/7" support; and to an add-on plan with 500 more calls and "email"
// support. By 20 May it has made 3,000 calls.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, sendEvents, subscribe } from '../../support/billing.ts';
import {
  createApiKey,
  createCustomer,
  createEntitlement,
  createFeature,
  createPlan,
  createPrice,
  fixedPrice,
  productionClient,
  usagePrice,
  useTestServer,
} from '../../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;
let calls: any;
let sso: any;
let support: any;
let pro: any;
let extra: any;
let acme: any;
let proSub: any;
let extraSub: any;
let callsOnPro: any;
let dee: any;

beforeAll(async () => {
  api = server.api;
  at(server, '2025-05-01T00:00:00Z');
  calls = await createFeature.metered(api, { type: 'COUNT' });
  sso = await createFeature.boolean(api);
  support = await createFeature.static(api);
  pro = await createPlan(api, { name: 'Pro' });
  await createPrice(api, fixedPrice(pro.id, { amount: '20', display_name: 'Platform fee' }));
  await createPrice(api, usagePrice(pro.id, calls.meter_id, { amount: '0.01', display_name: 'Calls' }));
  callsOnPro = await createEntitlement(api, { plan_id: pro.id, feature_id: calls.id, feature_type: 'metered', usage_limit: 1000, usage_reset_period: 'MONTHLY' });
  await createEntitlement(api, { plan_id: pro.id, feature_id: sso.id, feature_type: 'boolean', is_enabled: true });
  await createEntitlement(api, { plan_id: pro.id, feature_id: support.id, feature_type: 'static', static_value: '24/7' });
  extra = await createPlan(api, { name: 'Extra calls' });
  await createPrice(api, fixedPrice(extra.id, { amount: '5' }));
  await createEntitlement(api, { plan_id: extra.id, feature_id: calls.id, feature_type: 'metered', usage_limit: 500, usage_reset_period: 'MONTHLY', is_soft_limit: true });
  await createEntitlement(api, { plan_id: extra.id, feature_id: support.id, feature_type: 'static', static_value: 'email' });
  acme = await createCustomer(api, { external_id: 'acme', name: 'Acme' });
  proSub = await subscribe(api, { customer_id: acme.id, plan_id: pro.id, currency: 'usd', billing_period: 'MONTHLY' });
  extraSub = await subscribe(api, { customer_id: acme.id, plan_id: extra.id, currency: 'usd', billing_period: 'MONTHLY' });
  // Dee's plan includes 300 calls a day (a DAILY reset on a monthly subscription).
  const daily = await createPlan(api, { name: 'Daily' });
  await createPrice(api, fixedPrice(daily.id, { amount: '1' }));
  await createEntitlement(api, { plan_id: daily.id, feature_id: calls.id, feature_type: 'metered', usage_limit: 300, usage_reset_period: 'DAILY' });
  dee = await createCustomer(api, { external_id: 'dee', name: 'Dee' });
  await subscribe(api, { customer_id: dee.id, plan_id: daily.id, currency: 'usd', billing_period: 'MONTHLY' });
  at(server, '2025-05-20T00:00:00Z');
  await sendEvents(api, { eventName: calls.meter.event_name, customer: 'acme', timestamp: '2025-05-10T00:00:00Z', count: 3000, prefix: 'may' });
  await sendEvents(api, { eventName: calls.meter.event_name, customer: 'dee', timestamp: '2025-05-19T12:00:00Z', count: 50, prefix: 'dee-19' });
  await sendEvents(api, { eventName: calls.meter.event_name, customer: 'dee', timestamp: '2025-05-20T00:00:00Z', count: 100, prefix: 'dee-20' });
  // Outside the current period: not counted.
  await sendEvents(api, { eventName: calls.meter.event_name, customer: 'acme', timestamp: '2025-04-30T23:59:59Z', count: 7, prefix: 'april' });
});

const byFeature = (features: any[]) => Object.fromEntries(features.map((f) => [f.feature.id, f]));

describe('GET /v1/subscriptions/{id}/entitlements', () => {
  it('lists the plan’s features, combined, with their sources', async () => {
    const res = await api.get(`/v1/subscriptions/${proSub.id}/entitlements`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ subscription_id: proSub.id, plan_id: pro.id });
    const f = byFeature(res.body.features);
    expect(Object.keys(f).sort()).toEqual([calls.id, sso.id, support.id].sort());
    expect(f[calls.id].entitlement).toEqual({ is_enabled: true, usage_limit: 1000, is_soft_limit: false, usage_reset_period: 'MONTHLY', static_values: [] });
    expect(f[calls.id].sources).toEqual([
      {
        subscription_id: proSub.id,
        entity_type: 'plan',
        entity_id: pro.id,
        entity_name: 'Pro',
        quantity: 1,
        entitlement_id: callsOnPro.id,
        is_enabled: true,
        usage_limit: 1000,
        usage_reset_period: 'MONTHLY',
        static_value: '',
      },
    ]);
    expect(f[sso.id].entitlement).toMatchObject({ is_enabled: true, usage_limit: null, usage_reset_period: null });
    expect(f[support.id].entitlement.static_values).toEqual(['24/7']);
  });

  it('narrows to feature_ids; an override replaces the plan’s entitlement', async () => {
    const res = await api.get(`/v1/subscriptions/${proSub.id}/entitlements?feature_ids=${calls.id}`);
    expect(res.body.features.map((f: any) => f.feature.id)).toEqual([calls.id]);
    const custom = await subscribe(api, {
      customer_id: (await createCustomer(api)).id,
      plan_id: pro.id,
      currency: 'usd',
      billing_period: 'MONTHLY',
      override_entitlements: [{ entitlement_id: callsOnPro.id, usage_limit: 5000 }],
    });
    const over = await api.get(`/v1/subscriptions/${custom.id}/entitlements?feature_ids=${calls.id}`);
    expect(over.body.features[0].entitlement.usage_limit).toBe(5000);
    expect(over.body.features[0].sources).toEqual([expect.objectContaining({ entity_type: 'subscription', entity_id: custom.id, usage_limit: 5000 })]);
  });

  it('is 404 for an unknown subscription and for another environment', async () => {
    expect((await api.get('/v1/subscriptions/subs_unknown/entitlements')).status).toBe(404);
    const { client } = await productionClient(server);
    expect((await client.get(`/v1/subscriptions/${proSub.id}/entitlements`)).status).toBe(404);
  });
});

describe('GET /v1/customers/{id}/entitlements and /customers/external/{external_id}/entitlements', () => {
  it('adds up both subscriptions: 1,000 + 500 calls, soft because one source is, both support values', async () => {
    for (const path of [`/v1/customers/${acme.id}/entitlements`, '/v1/customers/external/acme/entitlements']) {
      const res = await api.get(path);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.customer_id).toBe(acme.id);
      const f = byFeature(res.body.features);
      expect(f[calls.id].entitlement).toEqual({ is_enabled: true, usage_limit: 1500, is_soft_limit: true, usage_reset_period: 'MONTHLY', static_values: [] });
      expect(f[calls.id].sources.map((s: any) => [s.subscription_id, s.entity_name, s.usage_limit])).toEqual(
        expect.arrayContaining([
          [proSub.id, 'Pro', 1000],
          [extraSub.id, 'Extra calls', 500],
        ]),
      );
      expect(f[support.id].entitlement.static_values.sort()).toEqual(['24/7', 'email']);
    }
  });

  it('narrows to subscription_ids, and an unlimited source makes the feature unlimited', async () => {
    const only = await api.get(`/v1/customers/${acme.id}/entitlements?subscription_ids=${extraSub.id}`);
    expect(byFeature(only.body.features)[calls.id].entitlement.usage_limit).toBe(500);
    const bo = await createCustomer(api);
    const unlimited = await createPlan(api, { name: 'Unlimited' });
    await createPrice(api, fixedPrice(unlimited.id, { amount: '99' }));
    await createEntitlement(api, { plan_id: unlimited.id, feature_id: calls.id, feature_type: 'metered', usage_limit: null, usage_reset_period: 'MONTHLY' });
    await subscribe(api, { customer_id: bo.id, plan_id: pro.id, currency: 'usd', billing_period: 'MONTHLY' });
    await subscribe(api, { customer_id: bo.id, plan_id: unlimited.id, currency: 'usd', billing_period: 'MONTHLY' });
    const res = await api.get(`/v1/customers/${bo.id}/entitlements?feature_ids=${calls.id}`);
    expect(res.body.features[0].entitlement.usage_limit).toBeNull();
  });

  it('leaves out draft and cancelled subscriptions; a customer without any has no features', async () => {
    const cy = await createCustomer(api);
    await subscribe(api, { customer_id: cy.id, plan_id: pro.id, currency: 'usd', billing_period: 'MONTHLY', subscription_status: 'draft' });
    const res = await api.get(`/v1/customers/${cy.id}/entitlements`);
    expect(res.body).toEqual({ customer_id: cy.id, features: [] });
  });

  it('is 404 for an unknown customer, by id or external id, and for another environment’s key', async () => {
    expect((await api.get('/v1/customers/cust_unknown/entitlements')).status).toBe(404);
    expect((await api.get('/v1/customers/external/nobody/entitlements')).status).toBe(404);
    const { client } = await productionClient(server);
    for (const res of [
      await client.get(`/v1/customers/${acme.id}/entitlements`),
      await client.get('/v1/customers/external/acme/entitlements'),
      await client.get('/v1/customers/external/acme/subscriptions'),
      await client.get(`/v1/customers/usage?customer_id=${acme.id}`),
      await client.get(`/v1/customers/${acme.id}/usage`),
      await client.post('/v1/subscriptions/usage', { subscription_id: proSub.id }),
      await client.post('/v1/events/analytics', { external_customer_id: 'acme' }),
    ]) {
      expect(res.status).toBe(404);
    }
  });
});

describe('GET /v1/customers/usage', () => {
  it('counts 3,000 calls in May against 1,500 included: 200%, reset on 1 June', async () => {
    for (const path of [`/v1/customers/usage?customer_id=${acme.id}`, '/v1/customers/usage?customer_lookup_key=acme', `/v1/customers/${acme.id}/usage`]) {
      const res = await api.get(path);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.customer_id).toBe(acme.id);
      expect(res.body.period).toEqual({ start_time: '2025-05-01T00:00:00.000Z', end_time: '2025-06-01T00:00:00.000Z', period: 'MONTHLY' });
      expect(res.body.features).toHaveLength(1); // metered features only
      expect(res.body.features[0]).toMatchObject({
        feature: { id: calls.id },
        current_usage: '3000', // the 7 April calls are outside the period
        total_limit: 1500,
        usage_percent: '200', // 3,000 ÷ 1,500 × 100
        is_enabled: true,
        is_soft_limit: true,
        is_unlimited: false,
        next_usage_reset_at: '2025-06-01T00:00:00.000Z',
      });
      expect(res.body.features[0].sources).toHaveLength(2);
    }
  });

  it('narrows to the Pro subscription (3,000 of 1,000: 300%) and to features by lookup key', async () => {
    const res = await api.get(`/v1/customers/usage?customer_id=${acme.id}&subscription_ids=${proSub.id}&feature_lookup_keys=${calls.lookup_key}`);
    expect(res.body.features[0]).toMatchObject({ current_usage: '3000', total_limit: 1000, usage_percent: '300' });
    const none = await api.get(`/v1/customers/usage?customer_id=${acme.id}&feature_lookup_keys=nothing`);
    expect(none.body.features).toEqual([]);
    const byPath = await api.get(`/v1/customers/${acme.id}/usage?subscription_ids=${proSub.id}&feature_ids=${calls.id}`);
    expect(byPath.body.features[0]).toMatchObject({ current_usage: '3000', total_limit: 1000, usage_percent: '300' });
  });

  it('counts a DAILY allowance over today only: 100 of 300 calls, 33.33%, reset at midnight', async () => {
    const res = await api.get(`/v1/customers/usage?customer_lookup_key=dee`);
    expect(res.body.features[0]).toMatchObject({
      current_usage: '100', // the 50 calls of 19 May were yesterday's
      total_limit: 300,
      usage_percent: '33.33', // 100 ÷ 300 × 100, rounded once
      next_usage_reset_at: '2025-05-21T00:00:00.000Z',
    });
  });

  it('needs customer_id or customer_lookup_key (400 naming customer_id); an unknown customer is 404', async () => {
    const res = await api.get('/v1/customers/usage');
    expect(res.status).toBe(400);
    expect(res.body.details).toHaveProperty('customer_id');
    expect((await api.get('/v1/customers/usage?customer_lookup_key=nobody')).status).toBe(404);
    expect((await api.get('/v1/customers/cust_nobody/usage')).status).toBe(404);
  });
});

describe('POST /v1/subscriptions/usage', () => {
  it('prices May’s 3,000 calls with 1,000 included: 2,000 × $0.01 = $20.00', async () => {
    const res = await api.post('/v1/subscriptions/usage', { subscription_id: proSub.id });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({
      amount: 20,
      amount_decimal: '20',
      currency: 'usd',
      display_amount: '$20',
      start_time: '2025-05-01T00:00:00.000Z',
      end_time: '2025-06-01T00:00:00.000Z',
    });
    expect(res.body.charges).toHaveLength(1); // usage lines only: no platform fee
    expect(res.body.charges[0]).toMatchObject({
      meter_id: calls.meter_id,
      quantity: 2000,
      quantity_decimal: '2000',
      amount: 20,
      amount_decimal: '20',
      currency: 'usd',
      display_amount: '$20',
      is_overage: false,
      price: { type: 'USAGE', amount: '0.01' },
    });
    expect(res.body).not.toHaveProperty('commitment_amount');
  });

  it('takes a window: 1–10 May holds none of the calls', async () => {
    const res = await api.post('/v1/subscriptions/usage', { subscription_id: proSub.id, start_time: '2025-05-01T00:00:00Z', end_time: '2025-05-10T00:00:00Z' });
    expect(res.body).toMatchObject({ amount: 0, amount_decimal: '0', end_time: '2025-05-10T00:00:00.000Z' });
    const life = await api.post('/v1/subscriptions/usage', { subscription_id: proSub.id, lifetime_usage: true });
    expect(life.body).toMatchObject({ amount_decimal: '20', start_time: '2025-05-01T00:00:00.000Z' });
  });

  it('refuses an end before the start (400 naming end_time) and an unknown subscription (404)', async () => {
    const bad = await api.post('/v1/subscriptions/usage', { subscription_id: proSub.id, start_time: '2025-05-10T00:00:00Z', end_time: '2025-05-01T00:00:00Z' });
    expect(bad.status).toBe(400);
    expect(bad.body.details).toHaveProperty('end_time');
    expect((await api.post('/v1/subscriptions/usage', { subscription_id: 'subs_unknown' })).status).toBe(404);
  });
});

describe('GET /v1/customers/external/{external_id}/subscriptions', () => {
  it('lists every subscription of the customer, newest first, not paged', async () => {
    const res = await api.get('/v1/customers/external/acme/subscriptions?expand=subscription_line_items');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.items.map((s: any) => s.id)).toEqual([extraSub.id, proSub.id]);
    expect(res.body.pagination).toEqual({ total: 2, limit: 2, offset: 0 });
    expect(res.body.items[1].line_items).toHaveLength(2);
    expect(res.body.items[1].plan).toMatchObject({ id: pro.id });
  });

  it('is 404 for an unknown external id; FlexPrice’s expand=entitlements is 400 naming expand', async () => {
    expect((await api.get('/v1/customers/external/nobody/subscriptions')).status).toBe(404);
    const res = await api.get('/v1/customers/external/acme/subscriptions?expand=entitlements');
    expect(res.status).toBe(400);
    expect(res.body.details).toHaveProperty('expand');
  });
});

describe('POST /v1/events/analytics', () => {
  it('reports May’s 3,000 calls at list price: $30.00, one day window at a time', async () => {
    const res = await api.post('/v1/events/analytics', {
      external_customer_id: 'acme',
      start_time: '2025-05-09T00:00:00Z',
      end_time: '2025-05-12T00:00:00Z',
      window_size: 'DAY',
      expand: ['price', 'feature'],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ total_cost: '30', currency: 'usd' });
    expect(res.body.items).toHaveLength(1); // the Pro plan's usage line; the add-on plan bills no usage
    expect(res.body.items[0]).toMatchObject({
      feature_id: calls.id,
      meter_id: calls.meter_id,
      subscription_id: proSub.id,
      plan_id: pro.id,
      name: calls.name,
      event_name: calls.meter.event_name,
      aggregation_type: 'COUNT',
      total_usage: '3000',
      total_cost: '30', // 3,000 × $0.01: list price, before the 1,000 included
      currency: 'usd',
      window_size: 'DAY',
      feature: { id: calls.id },
      price: { amount: '0.01' },
    });
    expect(res.body.items[0].points).toEqual([
      { timestamp: '2025-05-09T00:00:00.000Z', usage: '0', cost: '0' },
      { timestamp: '2025-05-10T00:00:00.000Z', usage: '3000', cost: '30' },
      { timestamp: '2025-05-11T00:00:00.000Z', usage: '0', cost: '0' },
    ]);
  });

  it('reads every kind of meter in one statement: SUM, AVG, MAX, COUNT_UNIQUE, LATEST, windowed', async () => {
    const zed = await createCustomer(api, { external_id: 'zed' });
    const plan = await createPlan(api, { name: 'Many meters' });
    const kinds = [
      ['SUM', '20'], // 5 + 7 + 8
      ['AVG', '6.66666666666666666667'], // 20 ÷ 3, 20 places
      ['MAX', '8'],
      ['COUNT_UNIQUE', '2'], // regions eu, us
      ['LATEST', '8'],
    ] as const;
    const features: any[] = [];
    for (const [type] of kinds) {
      const field = type === 'COUNT_UNIQUE' ? 'region' : 'tokens';
      const feature = await createFeature.metered(api, { type, field });
      await createPrice(api, usagePrice(plan.id, feature.meter_id, { amount: '1' }));
      features.push(feature);
    }
    await subscribe(api, { customer_id: zed.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' }); // on 20 May
    at(server, '2025-05-21T00:00:00Z');
    for (const [i, [tokens, region, ts]] of [
      [5, 'eu', '2025-05-20T01:00:00Z'],
      [7, 'us', '2025-05-20T02:00:00Z'],
      [8, 'eu', '2025-05-20T03:00:00Z'],
    ].entries()) {
      for (const f of features) await sendEvents(api, { eventName: f.meter.event_name, customer: 'zed', timestamp: ts as string, count: 1, prefix: `zed-${f.id}-${i}`, properties: { tokens, region } });
    }
    const res = await api.post('/v1/events/analytics', { external_customer_id: 'zed', start_time: '2025-05-20T00:00:00Z', end_time: '2025-05-21T00:00:00Z', window_size: 'DAY' });
    at(server, '2025-05-20T00:00:00Z');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const usage = Object.fromEntries(res.body.items.map((i: any) => [i.aggregation_type, [i.total_usage, i.points.map((p: any) => p.usage)]]));
    expect(usage).toEqual(Object.fromEntries(kinds.map(([type, total]) => [type, [total, [total]]])));
  });

  it('defaults to the 7 days before now, narrows to feature_ids', async () => {
    const res = await api.post('/v1/events/analytics', { external_customer_id: 'acme' }); // now is 20 May: 13–20 May
    expect(res.body).toMatchObject({ total_cost: '0', items: [{ total_usage: '0' }] });
    expect(res.body.items[0]).not.toHaveProperty('points');
    const none = await api.post('/v1/events/analytics', { external_customer_id: 'acme', feature_ids: [sso.id] });
    expect(none.body).toEqual({ total_cost: '0', currency: '', items: [] });
  });

  it('refuses what it cannot do yet, naming the field; an unknown customer is 404', async () => {
    for (const [body, field] of [
      [{ sources: ['api'] }, 'sources'],
      [{ group_by: ['source'] }, 'group_by'],
      [{ property_filters: { region: ['eu'] } }, 'property_filters'],
      [{ expand: ['plan'] }, 'expand'],
      [{ start_time: '2025-05-10T00:00:00Z', end_time: '2025-05-01T00:00:00Z' }, 'end_time'],
    ] as const) {
      const res = await api.post('/v1/events/analytics', { external_customer_id: 'acme', ...body });
      expect(res.status, field).toBe(400);
      expect(res.body.details).toHaveProperty(field);
    }
    expect((await api.post('/v1/events/analytics', { external_customer_id: 'nobody' })).status).toBe(404);
  });
});

describe('no query per subscription or feature', () => {
  /** Statements the database runs while `fn` runs (the connection's, counted). */
  async function statementsOf(fn: () => Promise<unknown>): Promise<number> {
    const connection = server.orm.em.getConnection() as unknown as { execute: (...args: unknown[]) => Promise<unknown> };
    const original = connection.execute;
    let n = 0;
    connection.execute = function (this: unknown, ...args: unknown[]) {
      n++;
      return original.apply(this, args);
    };
    try {
      await fn();
    } finally {
      connection.execute = original;
    }
    return n;
  }

  it('reads a customer (and a subscription) with 1 subscription and 1 feature, or 4 and 8, with the same number of statements', async () => {
    const sized = async (subscriptions: number, features: number) => {
      const customer = await createCustomer(api);
      const plan = await createPlan(api);
      await createPrice(api, fixedPrice(plan.id, { amount: '1' }));
      for (let i = 0; i < features; i++) {
        const f = await createFeature.metered(api, { type: 'COUNT' });
        await createPrice(api, usagePrice(plan.id, f.meter_id, { amount: '0.01' }));
        await createEntitlement(api, { plan_id: plan.id, feature_id: f.id, feature_type: 'metered', usage_limit: 10, usage_reset_period: 'MONTHLY' });
      }
      let sub: any;
      for (let i = 0; i < subscriptions; i++) sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
      return { ...customer, sub };
    };
    const small = await sized(1, 1);
    const large = await sized(4, 8);
    const reads = (c: any) => [
      () => api.get(`/v1/customers/${c.id}/entitlements`),
      () => api.get(`/v1/customers/usage?customer_id=${c.id}`),
      () => api.get(`/v1/customers/external/${c.external_id}/subscriptions?expand=subscription_line_items`),
      () => api.post('/v1/events/analytics', { external_customer_id: c.external_id, window_size: 'DAY' }),
      () => api.get(`/v1/subscriptions/${c.sub.id}/entitlements`),
      () => api.post('/v1/subscriptions/usage', { subscription_id: c.sub.id }),
    ];
    for (const [i, read] of reads(small).entries()) {
      await read(); // warm: caches of the key and the environment
      const few = await statementsOf(read);
      const many = await statementsOf(reads(large)[i]!);
      expect(few, `read ${i}`).toBeGreaterThan(2); // the counter sees the reads
      expect(many, `read ${i}`).toBe(few);
    }
  });
});

describe('publishable keys', () => {
  it('may call none of these reads (403)', async () => {
    const key = await createApiKey(api, { type: 'publishable_key' });
    const pk = server.as(key.api_key);
    for (const res of [
      await pk.get(`/v1/subscriptions/${proSub.id}/entitlements`),
      await pk.get(`/v1/customers/${acme.id}/entitlements`),
      await pk.get('/v1/customers/external/acme/entitlements'),
      await pk.get('/v1/customers/external/acme/subscriptions'),
      await pk.get(`/v1/customers/usage?customer_id=${acme.id}`),
      await pk.post('/v1/subscriptions/usage', { subscription_id: proSub.id }),
      await pk.post('/v1/events/analytics', { external_customer_id: 'acme' }),
    ]) {
      expect(res.status).toBe(403);
    }
  });
});
