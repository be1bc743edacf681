import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, sendEvents } from '../../support/billing.ts';
import { count, createCoupon, createCustomer, createEntitlement, createFeature, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;
let plan: any;
let fee: any;
let calls: any;
let feature: any;
let entitlement: any;
let customer: any;

const create = async (extra: Record<string, unknown>) => {
  const res = await api.post('/v1/subscriptions', { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};
const preview = async (subscriptionId: string) => {
  const res = await api.post('/v1/invoices/preview', { subscription_id: subscriptionId });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

beforeAll(async () => {
  api = server.api;
  at(server, '2025-05-01T00:00:00Z');
  feature = await createFeature.metered(api, { type: 'COUNT' });
  plan = await createPlan(api, { name: 'Scale' });
  fee = await createPrice(api, fixedPrice(plan.id, { amount: '100' }));
  calls = await createPrice(api, usagePrice(plan.id, feature.meter_id, { amount: '0.01', display_name: 'Calls' }));
  entitlement = await createEntitlement(api, { plan_id: plan.id, feature_id: feature.id, feature_type: 'metered', usage_limit: 1000, usage_reset_period: 'MONTHLY' });
  customer = await createCustomer(api);
});

describe('override_line_items', () => {
  it('bills a subscription-scoped copy of a plan price with the new amount, parent_price_id naming the plan price; quantity alone changes the line', async () => {
    const s = await create({ override_line_items: [{ price_id: fee.id, amount: '80', quantity: '3' }, { price_id: calls.id, quantity: '0' }] });
    const [feeLine, callsLine] = s.line_items;
    expect(feeLine.price_id).not.toBe(fee.id);
    expect(feeLine).toMatchObject({ quantity: '3', entity_type: 'plan', entity_id: plan.id });
    expect(feeLine.price).toMatchObject({ amount: '80', entity_type: 'SUBSCRIPTION', entity_id: s.id, parent_price_id: fee.id, billing_period: 'MONTHLY' });
    expect(callsLine.price_id).toBe(calls.id); // no pricing field: the plan price itself
    expect(s.latest_invoice.line_items.map((l: any) => [l.price_id, l.quantity, l.amount])).toEqual([[feeLine.price_id, '3', '240']]); // 3 × $80
    const own = await api.post('/v1/prices/search', { subscription_id: s.id });
    expect(own.body.items.map((p: any) => p.id)).toEqual([feeLine.price_id]);
    expect((await api.get(`/v1/prices/${fee.id}`)).body.amount).toBe('100'); // the plan's price is untouched
  });

  it('refuses an override whose pricing does not hold, naming the field, writing nothing', async () => {
    const before = await count(api, '/v1/prices?allow_expired_prices=true');
    const res = await api.post('/v1/subscriptions', { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', override_line_items: [{ price_id: fee.id, billing_model: 'TIERED' }] });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)[0]).toMatch(/^override_line_items\[0\]\./);
    expect(await count(api, '/v1/prices?allow_expired_prices=true')).toBe(before);
  });
});

describe('included usage: the plan’s entitlement, an override, and SUBSCRIPTION entitlements', () => {
  it('takes the plan’s 1,000 calls, or the override’s 5,000, off the period’s usage', async () => {
    const standard = await create({});
    const generous = await create({ override_entitlements: [{ entitlement_id: entitlement.id, usage_limit: 5000 }] });
    at(server, '2025-05-20T00:00:00Z');
    await sendEvents(api, { eventName: feature.meter.event_name, customer: customer.external_id, timestamp: '2025-05-10T00:00:00Z', count: 6000, prefix: 'may' });
    const usage = (inv: any) => inv.line_items.find((l: any) => l.price_type === 'USAGE');
    expect(usage(await preview(standard.id))).toMatchObject({ quantity: '5000', adjusted_entitlement_quantity: '1000', amount: '50' }); // (6,000 − 1,000) × $0.01
    expect(usage(await preview(generous.id))).toMatchObject({ quantity: '1000', adjusted_entitlement_quantity: '5000', amount: '10' }); // (6,000 − 5,000) × $0.01
    const overrides = await api.post('/v1/entitlements/search', { entity_type: 'SUBSCRIPTION', entity_ids: [generous.id] });
    expect(overrides.body.items).toEqual([expect.objectContaining({ entity_type: 'SUBSCRIPTION', entity_id: generous.id, parent_entitlement_id: entitlement.id, usage_limit: 5000 })]);
    // An entitlement made for the standard subscription adds to the plan's: 1,000 + 2,000 included.
    await createEntitlement(api, { entity_type: 'SUBSCRIPTION', entity_id: standard.id, feature_id: feature.id, feature_type: 'metered', usage_limit: 2000, usage_reset_period: 'MONTHLY' });
    expect(usage(await preview(standard.id))).toMatchObject({ quantity: '3000', adjusted_entitlement_quantity: '3000', amount: '30' });
    at(server, '2025-05-01T00:00:00Z');
  });
});

describe('extra line_items', () => {
  it('adds an inline one-time setup fee as a SUBSCRIPTION price, billed on the opening invoice', async () => {
    const s = await create({ line_items: [{ display_name: 'Setup', price: { type: 'FIXED', billing_period: 'ONETIME', billing_model: 'FLAT_FEE', invoice_cadence: 'ADVANCE', amount: '250' } }] });
    const setup = s.line_items[2];
    expect(setup).toMatchObject({ entity_type: 'subscription', entity_id: s.id, display_name: 'Setup', billing_period: 'ONETIME', quantity: '1' });
    expect(setup.price).toMatchObject({ entity_type: 'SUBSCRIPTION', entity_id: s.id, amount: '250', currency: 'usd' });
    expect(s.latest_invoice.line_items.map((l: any) => [l.display_name, l.amount, l.period_start, l.period_end])).toEqual([
      ['Scale', '100', '2025-05-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'],
      ['Setup', '250', '2025-05-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'], // once, at its start
    ]);
    expect(s.latest_invoice.total).toBe('350');
  });

  it('refuses a price billed more often than the subscription, and one in another currency', async () => {
    const weekly = await createPrice(api, fixedPrice(plan.id, { billing_period: 'WEEKLY', amount: '5' }));
    const euro = await createPrice(api, fixedPrice(plan.id, { currency: 'eur', amount: '5' }));
    for (const price of [weekly, euro]) {
      const res = await api.post('/v1/subscriptions', { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', line_items: [{ price_id: price.id }] });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.details)).toEqual(['line_items[0].price_id']);
    }
  });
});

describe('subscription_coupons', () => {
  it('attaches an invoice coupon and a line coupon; the line coupon first, then the invoice one on what is left', async () => {
    const tenOff = await createCoupon(api, { coupon_code: 'TENOFF', amount_off: '10', currency: 'usd', cadence: 'forever' });
    const quarter = await createCoupon(api, { type: 'percentage', coupon_code: 'QUARTER', percentage_off: '25', cadence: 'repeated', duration_in_periods: 2 });
    const s = await create({ subscription_coupons: [{ coupon_code: 'quarter' }, { coupon_code: 'TenOff', price_id: fee.id }] });
    expect(s.coupon_associations.map((a: any) => [a.coupon_id, a.subscription_line_item_id ?? null, a.start_date, a.end_date ?? null])).toEqual([
      [quarter.id, null, '2025-05-01T00:00:00.000Z', '2025-06-30T23:59:59.000Z'], // 2 monthly periods less a second
      [tenOff.id, s.line_items[0].id, '2025-05-01T00:00:00.000Z', null],
    ]);
    expect(s.coupon_associations[0].coupon).toMatchObject({ id: quarter.id, total_redemptions: 1 });
    // $100 − $10 (line) = $90; 25% of $90 = $22.50 off the invoice → $67.50
    expect(s.latest_invoice).toMatchObject({ subtotal: '100', total_discount: '32.5', total: '67.5' });
    expect(s.latest_invoice.line_items[0]).toMatchObject({ line_item_discount: '10', invoice_level_discount: '22.5' });
    expect(s.latest_invoice.coupon_applications.map((a: any) => [a.coupon_id, a.original_price, a.discounted_amount, a.final_price])).toEqual([
      [tenOff.id, '100', '10', '90'],
      [quarter.id, '90', '22.5', '67.5'],
    ]);
  });

  it('refuses a fixed coupon in another currency and one past its redemptions', async () => {
    await createCoupon(api, { coupon_code: 'EUROS', amount_off: '5', currency: 'eur' });
    await createCoupon(api, { coupon_code: 'ONEUSE', max_redemptions: 1 });
    await create({ subscription_coupons: [{ coupon_code: 'oneuse' }] });
    for (const code of ['euros', 'oneuse']) {
      const res = await api.post('/v1/subscriptions', { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', subscription_coupons: [{ coupon_code: code }] });
      expect(res.status).toBe(400);
      expect(Object.keys(res.body.details)).toEqual(['subscription_coupons[0].coupon_code']);
    }
  });
});

describe('SUBSCRIPTION prices through POST /v1/prices', () => {
  it('creates one for a subscription in its currency; refuses another currency (400) and an unknown subscription (404)', async () => {
    const s = await create({});
    const price = await api.post('/v1/prices', { ...fixedPrice(s.id, { entity_type: 'SUBSCRIPTION', amount: '7' }) });
    expect(price.status, JSON.stringify(price.body)).toBe(201);
    expect(price.body).toMatchObject({ entity_type: 'SUBSCRIPTION', entity_id: s.id, display_name: '' });
    expect((await api.post('/v1/prices', fixedPrice(s.id, { entity_type: 'SUBSCRIPTION', currency: 'eur' }))).body.details).toEqual({ currency: "must be the subscription's currency (usd)" });
    expect((await api.post('/v1/prices', fixedPrice('subs_missing', { entity_type: 'SUBSCRIPTION' }))).status).toBe(404);
  });
});
