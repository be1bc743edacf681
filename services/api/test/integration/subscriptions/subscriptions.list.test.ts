import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, billAt, invoicesOf, subscriptionOf } from '../../support/billing.ts';
import { createCoupon, createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;
let plan: any;
let other: any;
let ana: any;
let ben: any;
const subs: Record<string, any> = {};

const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((s) => s.id);
const create = async (extra: Record<string, unknown>) => {
  const res = await api.post('/v1/subscriptions', { currency: 'usd', billing_period: 'MONTHLY', plan_id: plan.id, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

beforeAll(async () => {
  api = server.api;
  at(server, '2025-06-01T00:00:00Z');
  const meter = await createMeter(api);
  plan = await createPlan(api, { name: 'Plan A' });
  await createPrice(api, fixedPrice(plan.id, { amount: '10' }));
  await createPrice(api, usagePrice(plan.id, meter.id));
  other = await createPlan(api, { name: 'Plan B' });
  await createPrice(api, fixedPrice(other.id, { amount: '20', billing_period: 'ANNUAL' }));
  ana = await createCustomer(api, { external_id: 'ana', name: 'Ana' });
  ben = await createCustomer(api, { external_id: 'ben', name: 'Ben' });
  await createCoupon(api, { coupon_code: 'five', amount_off: '5', currency: 'usd', cadence: 'forever' });
  subs.anaMonthly = await create({ customer_id: ana.id, subscription_coupons: [{ coupon_code: 'five' }] });
  subs.anaDraft = await create({ customer_id: ana.id, subscription_status: 'draft' });
  at(server, '2025-06-02T00:00:00Z');
  subs.benAnnual = await create({ customer_id: ben.id, plan_id: other.id, billing_period: 'ANNUAL' });
});

describe('GET /v1/subscriptions and POST /v1/subscriptions/search', () => {
  it('lists newest first, each with its plan and nothing else unless expanded', async () => {
    const res = await api.get('/v1/subscriptions');
    expect(ids(res)).toEqual([subs.benAnnual.id, subs.anaDraft.id, subs.anaMonthly.id]);
    expect(res.body.pagination).toEqual({ total: 3, limit: 50, offset: 50 });
    expect(res.body.items[0].plan).toMatchObject({ id: other.id, name: 'Plan B' });
    expect(res.body.items[0].plan.prices).toBeUndefined();
    expect(res.body.items[0].customer).toBeUndefined();
    expect(res.body.items[0].line_items).toBeUndefined();
  });

  it('filters by customer, external customer, plan, status, billing period, ids, current period and active_at', async () => {
    const search = async (body: Record<string, unknown>) => ids(await api.post('/v1/subscriptions/search', body));
    expect(await search({ customer_id: ana.id })).toEqual([subs.anaDraft.id, subs.anaMonthly.id]);
    expect(await search({ external_customer_id: 'ben' })).toEqual([subs.benAnnual.id]);
    expect(await search({ customer_ids: [ben.id], plan_id: other.id })).toEqual([subs.benAnnual.id]);
    expect(await search({ subscription_status: ['draft'] })).toEqual([subs.anaDraft.id]);
    expect(await search({ billing_period: ['ANNUAL'] })).toEqual([subs.benAnnual.id]);
    expect(await search({ subscription_ids: [subs.anaMonthly.id, subs.benAnnual.id], order: 'asc' })).toEqual([subs.anaMonthly.id, subs.benAnnual.id]);
    expect(await search({ end_time: '2025-07-01T00:00:00Z' })).toEqual([subs.anaDraft.id, subs.anaMonthly.id]); // current period ends by 1 July
    expect(await search({ start_time: '2025-06-02T00:00:00Z' })).toEqual([subs.benAnnual.id]);
    expect(await search({ active_at: '2025-06-01T12:00:00Z' })).toEqual([subs.anaDraft.id, subs.anaMonthly.id]);
    expect(await search({ subscription_type: ['parent'] })).toEqual([]);
    expect(await search({ filters: [{ field: 'currency', operator: 'eq', data_type: 'string', value: { string: 'usd' } }], sort: [{ field: 'start_date', direction: 'asc' }] })).toHaveLength(3);
    expect(ids(await api.get(`/v1/subscriptions?subscription_status=active&plan_id=${plan.id}`))).toEqual([subs.anaMonthly.id]);
  });

  it('expands customer, line items with prices, coupon associations with coupons; refuses an unknown token, field or external id', async () => {
    const res = await api.post('/v1/subscriptions/search', { subscription_ids: [subs.anaMonthly.id], expand: 'customer,subscription_line_items.prices,coupon_associations.coupon,prices' });
    const [s] = res.body.items;
    expect(s.customer).toMatchObject({ id: ana.id });
    expect(s.line_items.map((l: any) => [l.price_type, l.price.amount])).toEqual([['FIXED', '10'], ['USAGE', '0.002']]);
    expect(s.coupon_associations[0].coupon).toMatchObject({ coupon_code: 'five' });
    expect(s.plan.prices).toHaveLength(2);
    expect((await api.post('/v1/subscriptions/search', { expand: 'schedule' })).body.details).toMatchObject({ expand: expect.stringContaining("'schedule'") });
    expect((await api.post('/v1/subscriptions/search', { filters: [{ field: 'secret', operator: 'eq', data_type: 'string', value: { string: 'x' } }] })).status).toBe(400);
    expect((await api.post('/v1/subscriptions/search', { external_customer_id: 'nobody' })).status).toBe(404);
  });
});

describe('GET /v1/subscriptions/{id}/v2', () => {
  it('embeds only what expand asks for', async () => {
    const bare = (await api.get(`/v1/subscriptions/${subs.anaMonthly.id}/v2`)).body;
    expect(bare).toMatchObject({ id: subs.anaMonthly.id, plan_prices_out_of_sync: false });
    expect(bare.plan).toBeUndefined();
    expect(bare.line_items).toBeUndefined();
    const full = (await api.get(`/v1/subscriptions/${subs.anaMonthly.id}/v2?expand=plan,customer,subscription_line_items,coupon_associations`)).body;
    expect(full.plan).toMatchObject({ id: plan.id });
    expect(full.customer).toMatchObject({ id: ana.id });
    expect(full.line_items).toHaveLength(2);
    expect(full.line_items[0].price).toBeUndefined();
    expect(full.coupon_associations).toHaveLength(1);
    expect((await api.get(`/v1/subscriptions/${subs.anaMonthly.id}/v2?expand=pauses`)).status).toBe(400);
  });
});

describe('PUT /v1/subscriptions/{id} and what the bill run does with cancel_at and end_date', () => {
  it('sets the fields as given and announces subscription.updated; cancel_at_period_end is false unless sent', async () => {
    const res = await api.put(`/v1/subscriptions/${subs.anaMonthly.id}`, { cancel_at_period_end: true });
    expect(res.body).toMatchObject({ cancel_at_period_end: true, version: 2 });
    expect((await api.put(`/v1/subscriptions/${subs.anaMonthly.id}`, {})).body).toMatchObject({ cancel_at_period_end: false, version: 3 });
    const events = await api.get('/v1/webhooks/events?event_type=subscription.updated');
    expect(events.body.items.filter((e: any) => e.entity_id === subs.anaMonthly.id)).toHaveLength(2);
    expect((await api.put(`/v1/subscriptions/${subs.anaMonthly.id}`, { parent_subscription_id: 'subs_x' })).status).toBe(400);
  });

  it('cancels at a cancel_at inside the period without billing the partial period', async () => {
    const s = await create({ customer_id: ben.id });
    expect((await api.put(`/v1/subscriptions/${s.id}`, { cancel_at: '2025-06-20T00:00:00Z' })).body).toMatchObject({ cancel_at: '2025-06-20T00:00:00.000Z', end_date: '2025-06-20T00:00:00.000Z' });
    await billAt(server, '2025-06-20T00:00:00Z');
    expect(await subscriptionOf(api, s.id)).toMatchObject({ subscription_status: 'cancelled', end_date: '2025-06-20T00:00:00.000Z', cancelled_at: '2025-06-20T00:00:00.000Z' });
    expect((await invoicesOf(api, s.id)).map((i) => i.billing_reason)).toEqual(['SUBSCRIPTION_CREATE']);
    const cancelled = await api.get('/v1/webhooks/events?event_type=subscription.cancelled');
    expect(cancelled.body.items.map((e: any) => e.entity_id)).toContain(s.id);
  });

  it('bills the last period of a subscription with an end date, without a next period’s fee, then cancels it', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const s = await create({ customer_id: ben.id, start_date: '2025-06-01T00:00:00Z', end_date: '2025-07-15T00:00:00Z' });
    await billAt(server, '2025-07-15T00:00:00Z');
    const invoices = await invoicesOf(api, s.id);
    expect(invoices.map((i) => [i.billing_reason, i.period_start, i.period_end, i.subtotal])).toEqual([
      ['SUBSCRIPTION_CREATE', '2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z', '10'],
      ['SUBSCRIPTION_CYCLE', '2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z', '10'], // 1–15 July in advance: the last period, cut by the end date, is charged whole (FlexPrice)
      ['SUBSCRIPTION_CYCLE', '2025-07-01T00:00:00.000Z', '2025-07-15T00:00:00.000Z', '0'], // no usage, no period after it: SKIPPED
    ]);
    expect(await subscriptionOf(api, s.id)).toMatchObject({ subscription_status: 'cancelled', end_date: '2025-07-15T00:00:00.000Z' });
  });
});
