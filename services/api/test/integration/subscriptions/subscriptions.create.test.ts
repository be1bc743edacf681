import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { count, createAddon, createCustomer, createMeter, createPlan, createPrice, expectRefused, fixedPrice, usagePrice, useTestServer } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();
let api: ApiClient;
let plan: any;
let fee: any;
let calls: any;
let customer: any;
let meter: any;

const subscriptionCount = () => count(api, '/v1/subscriptions', ['published', 'archived']);
const writes = async () => ({ subscriptions: await subscriptionCount(), invoices: await count(api, '/v1/invoices') });
const body = (extra: Record<string, unknown> = {}) => ({ customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', ...extra });
const refuse = (extra: Record<string, unknown>, field: string, status = 400, code?: string) =>
  expectRefused(api, { path: '/v1/subscriptions', body: body(extra) }, { status, fields: [field], ...(code ? { code } : {}) }, writes);

beforeAll(async () => {
  api = server.api;
  at(server, '2025-03-01T00:00:00Z');
  meter = await createMeter(api, { name: 'Calls' });
  plan = await createPlan(api, { name: 'Growth' });
  fee = await createPrice(api, fixedPrice(plan.id, { amount: '49', display_name: 'Growth fee' }));
  calls = await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.002' }));
  await createPrice(api, fixedPrice(plan.id, { amount: '490', billing_period: 'ANNUAL' })); // not taken by a monthly subscription
  await createPrice(api, fixedPrice(plan.id, { amount: '45', currency: 'eur' })); // not taken by a usd one
  customer = await createCustomer(api, { name: 'Acme', external_id: 'acme-subs', timezone: 'Europe/Berlin' });
});

describe('POST /v1/subscriptions', () => {
  it('subscribes a customer to the plan’s prices in its currency and period, with FlexPrice’s fields', async () => {
    const res = await api.post('/v1/subscriptions', body({ lookup_key: 'acme-growth', metadata: { team: 'core' }, payment_terms: '30 NET', start_date: '2025-03-01T00:00:00Z' }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const s = res.body;
    expect(s.id).toMatch(/^subs_[0-9A-HJKMNP-TV-Z]{26}$/);
    const { line_items, plan: embeddedPlan, customer: embeddedCustomer, coupon_associations, latest_invoice, ...fields } = s;
    expect(fields).toEqual({
      id: s.id,
      lookup_key: 'acme-growth',
      customer_id: customer.id,
      plan_id: plan.id,
      subscription_status: 'active',
      currency: 'usd',
      billing_anchor: '2025-03-01T00:00:00.000Z',
      billing_cycle: 'anniversary',
      start_date: '2025-03-01T00:00:00.000Z',
      current_period_start: '2025-03-01T00:00:00.000Z',
      // 01:00 in Berlin on 1 March → 01:00 on 1 April, summer time by then: 23:00 UTC on 31 March.
      current_period_end: '2025-03-31T23:00:00.000Z',
      cancel_at: null,
      cancel_at_period_end: false,
      trial_start: null,
      trial_end: null,
      billing_cadence: 'RECURRING',
      billing_period: 'MONTHLY',
      billing_period_count: 1,
      version: 1,
      metadata: { team: 'core' },
      pause_status: 'none',
      payment_behavior: 'default_active',
      collection_method: 'charge_automatically',
      timezone: 'Europe/Berlin', // the customer's
      proration_behavior: 'none',
      enable_true_up: false,
      payment_terms: '30 NET',
      subscription_type: 'standalone',
      environment_id: server.bootstrap.defaultEnvironmentId,
      tenant_id: server.bootstrap.tenantId,
      status: 'published',
      created_at: '2025-03-01T00:00:00.000Z',
      updated_at: '2025-03-01T00:00:00.000Z',
      created_by: expect.stringMatching(/^secret_/),
      updated_by: expect.stringMatching(/^secret_/),
    });
    expect(line_items.map((l: any) => [l.price_id, l.price_type, l.display_name, l.quantity, l.invoice_cadence, l.entity_type, l.price.amount])).toEqual([
      [fee.id, 'FIXED', 'Growth fee', '1', 'ADVANCE', 'plan', '49'],
      [calls.id, 'USAGE', 'Calls', '0', 'ARREAR', 'plan', '0.002'],
    ]);
    expect(line_items[1]).toMatchObject({ meter_id: meter.id, meter_display_name: 'Calls', subscription_id: s.id, customer_id: customer.id, start_date: '2025-03-01T00:00:00.000Z' });
    expect(embeddedPlan).toMatchObject({ id: plan.id, name: 'Growth' });
    expect(embeddedPlan.prices).toHaveLength(4);
    expect(embeddedCustomer).toMatchObject({ id: customer.id, external_id: 'acme-subs' });
    expect(coupon_associations).toEqual([]);
    expect(latest_invoice).toMatchObject({ billing_reason: 'SUBSCRIPTION_CREATE', subtotal: '49', total: '49', due_date: '2025-04-30T23:00:00.000Z' }); // the period's end + 30 days, 01:00 in Berlin
    expect((await api.get(`/v1/subscriptions/${s.id}`)).body).toEqual({ ...s, latest_invoice: undefined });
  });

  it('finds the customer by external id; customer_id wins when both are given', async () => {
    const byExternal = await api.post('/v1/subscriptions', { ...body({ customer_id: undefined }), external_customer_id: 'acme-subs' });
    expect(byExternal.body.customer_id).toBe(customer.id);
    const other = await createCustomer(api);
    const both = await api.post('/v1/subscriptions', body({ customer_id: other.id, external_customer_id: 'acme-subs' }));
    expect(both.body.customer_id).toBe(other.id);
  });

  it('starts incomplete with allow_incomplete, and maps FlexPrice’s legacy collection_method default_incomplete to it', async () => {
    const incomplete = await api.post('/v1/subscriptions', body({ payment_behavior: 'allow_incomplete' }));
    expect(incomplete.body).toMatchObject({ subscription_status: 'incomplete', payment_behavior: 'allow_incomplete' });
    const legacy = await api.post('/v1/subscriptions', body({ collection_method: 'default_incomplete' }));
    expect(legacy.body).toMatchObject({ subscription_status: 'incomplete', collection_method: 'charge_automatically', payment_behavior: 'allow_incomplete' });
  });

  it('refuses error_if_incomplete when the opening invoice has something to pay (no gateway to charge it), writing nothing', async () => {
    const refusal = await refuse({ payment_behavior: 'error_if_incomplete' }, 'payment_behavior', 400, 'invalid_operation');
    expect(refusal.message).toMatch(/no payment gateway/);
  });

  it.each([
    ['neither customer_id nor external_customer_id', { customer_id: undefined }, 'customer_id'],
    ['a 2-letter currency', { currency: 'us' }, 'currency'],
    ['a ONETIME billing period', { billing_period: 'ONETIME' }, 'billing_period'],
    ['billing_anchor with calendar billing', { billing_cycle: 'calendar', billing_anchor: '2025-03-05T00:00:00Z' }, 'billing_anchor'],
    ['an end before the start', { start_date: '2025-03-01T00:00:00Z', end_date: '2025-02-01T00:00:00Z' }, 'end_date'],
    ['send_invoice with allow_incomplete', { collection_method: 'send_invoice', payment_behavior: 'allow_incomplete' }, 'payment_behavior'],
    ['subscription_status active', { subscription_status: 'active' }, 'subscription_status'],
    ['trialing without a trial', { subscription_status: 'trialing' }, 'subscription_status'],
    ['a negative commitment_amount', { commitment_amount: '-1' }, 'commitment_amount'],
    ['an overage_factor below 1', { overage_factor: '0.9' }, 'overage_factor'],
    ['a commitment_duration other than the billing period', { commitment_duration: 'ANNUAL' }, 'commitment_duration'],
    ['a backdated start with create_prorations', { proration_behavior: 'create_prorations', start_date: '2025-02-27T00:00:00Z' }, 'start_date'],
    ['addons with a draft subscription', { subscription_status: 'draft', addons: [{ addon_id: 'addon_1' }] }, 'addons'],
    ['an addon override (not supported yet)', { addons: [{ addon_id: 'addon_1', override_line_items: [{ price_id: 'price_1' }] }] }, 'addons[0].override_line_items'],
    ['phases (not supported yet)', { phases: [{ start_date: '2025-03-01T00:00:00Z' }] }, 'phases'],
    ['deprecated coupons', { coupons: ['coupon_1'] }, 'coupons'],
    ['the same price overridden twice', { override_line_items: [{ price_id: 'price_a', amount: '1' }, { price_id: 'price_a', amount: '2' }] }, 'override_line_items[1].price_id'],
    ['an override of a price the plan does not give this subscription', { override_line_items: [{ price_id: 'price_unknown', amount: '1' }] }, 'override_line_items[0].price_id'],
    ['a line item with both price_id and price', { line_items: [{ price_id: 'price_x', price: { type: 'FIXED', billing_period: 'MONTHLY', billing_model: 'FLAT_FEE', invoice_cadence: 'ADVANCE', amount: '1' } }] }, 'line_items[0].price_id'],
    ['a line item of an unknown price', { line_items: [{ price_id: 'price_unknown' }] }, 'line_items[0].price_id'],
    ['an inline price without an amount', { line_items: [{ price: { type: 'FIXED', billing_period: 'MONTHLY', billing_model: 'FLAT_FEE', invoice_cadence: 'ADVANCE' } }] }, 'line_items[0].price.amount'],
    ['an unknown coupon code', { subscription_coupons: [{ coupon_code: 'nope' }] }, 'subscription_coupons[0].coupon_code'],
    ['an override entitlement not of the plan', { override_entitlements: [{ entitlement_id: 'ent_unknown', usage_limit: 5 }] }, 'override_entitlements[0].entitlement_id'],
  ])('refuses %s with 400 naming the field, writing nothing', async (_name, extra, field) => {
    await refuse(extra, field);
  });

  it('answers 404 for an unknown customer, external id or plan, and 400 for an archived plan or one with no price in the currency and period', async () => {
    await refuse({ customer_id: 'cust_missing' }, 'customer_id', 404);
    await refuse({ customer_id: undefined, external_customer_id: 'nobody' }, 'external_customer_id', 404);
    await refuse({ plan_id: 'plan_missing' }, 'plan_id', 404);
    expect((await refuse({ currency: 'gbp' }, 'plan_id')).message).toMatch(/no valid prices found for subscription/);
    const archived = await createPlan(api);
    await createPrice(api, fixedPrice(archived.id));
    expect((await api.delete(`/v1/plans/${archived.id}`)).status).toBe(200);
    await refuse({ plan_id: archived.id }, 'plan_id');
  });

  it('inherits the trial of the plan’s recurring fixed prices, which must agree', async () => {
    const trialPlan = await createPlan(api);
    await createPrice(api, fixedPrice(trialPlan.id, { amount: '10', trial_period_days: 7 }));
    await createPrice(api, fixedPrice(trialPlan.id, { amount: '5', trial_period_days: 7 }));
    const s = await api.post('/v1/subscriptions', body({ plan_id: trialPlan.id }));
    expect(s.body).toMatchObject({ subscription_status: 'trialing', trial_start: '2025-03-01T00:00:00.000Z', trial_end: '2025-03-08T00:00:00.000Z' });
    await createPrice(api, fixedPrice(trialPlan.id, { amount: '1', trial_period_days: 3 }));
    const refusal = await refuse({ plan_id: trialPlan.id }, 'trial_period_days');
    expect(refusal.details.trial_period_days).toMatch(/must have the same trial_period_days/);
    expect((await api.post('/v1/subscriptions', body({ plan_id: trialPlan.id, trial_period_days: 2 }))).body).toMatchObject({ trial_end: '2025-03-03T00:00:00.000Z' });
  });
});

describe('draft subscriptions and POST /v1/subscriptions/{id}/activate', () => {
  it('creates a draft without an invoice, then activates it from a new start: periods computed again, opening invoice raised', async () => {
    const invoicesBefore = await count(api, '/v1/invoices');
    const draft = await api.post('/v1/subscriptions', body({ subscription_status: 'draft' }));
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ subscription_status: 'draft', current_period_end: '2025-03-31T23:00:00.000Z' });
    expect(draft.body.latest_invoice).toBeUndefined();
    expect(await count(api, '/v1/invoices')).toBe(invoicesBefore);
    const activated = await api.post(`/v1/subscriptions/${draft.body.id}/activate`, { start_date: '2025-03-10T00:00:00Z' });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    expect(activated.body).toMatchObject({
      subscription_status: 'active',
      start_date: '2025-03-10T00:00:00.000Z',
      billing_anchor: '2025-03-10T00:00:00.000Z',
      current_period_start: '2025-03-10T00:00:00.000Z',
      current_period_end: '2025-04-09T23:00:00.000Z', // 01:00 in Berlin, summer time
    });
    expect(activated.body.line_items.map((l: any) => l.start_date)).toEqual(['2025-03-10T00:00:00.000Z', '2025-03-10T00:00:00.000Z']);
    expect(activated.body.latest_invoice).toMatchObject({ billing_reason: 'SUBSCRIPTION_CREATE', period_start: '2025-03-10T00:00:00.000Z', total: '49' });
    const again = await expectRefused(api, { path: `/v1/subscriptions/${draft.body.id}/activate`, body: { start_date: '2025-03-10T00:00:00Z' } }, { code: 'invalid_operation' }, writes);
    expect(again.message).toMatch(/only a draft subscription can be activated/);
  });
});

describe('deleting what a subscription uses', () => {
  it('refuses to delete a plan with a subscription that is not cancelled (FlexPrice’s 400), and allows it once cancelled', async () => {
    const p = await createPlan(api);
    await createPrice(api, fixedPrice(p.id));
    const s = await api.post('/v1/subscriptions', body({ plan_id: p.id }));
    const refusal = await api.delete(`/v1/plans/${p.id}`);
    expect(refusal.status).toBe(400);
    expect(refusal.body).toMatchObject({ code: 'invalid_operation', message: 'Please remove the active subscriptions before deleting this plan.', details: { plan_id: p.id, subscriptions: 1 } });
    expect((await api.put(`/v1/subscriptions/${s.body.id}`, { status: 'cancelled' })).status).toBe(200);
    expect((await api.delete(`/v1/plans/${p.id}`)).status).toBe(200);
  });

  it('refuses to delete an addon whose price a live subscription bills as an extra line item', async () => {
    const addon = await createAddon(api);
    const addonPrice = await createPrice(api, fixedPrice(addon.id, { entity_type: 'ADDON', amount: '5' }));
    const s = await api.post('/v1/subscriptions', body({ line_items: [{ price_id: addonPrice.id, quantity: '2' }] }));
    expect(s.status, JSON.stringify(s.body)).toBe(201);
    expect(s.body.line_items[2]).toMatchObject({ price_id: addonPrice.id, entity_type: 'addon', entity_id: addon.id, quantity: '2' });
    expect(s.body.latest_invoice.total).toBe('59'); // 49 + 2 × 5
    const refusal = await api.delete(`/v1/addons/${addon.id}`);
    expect(refusal.body).toMatchObject({ code: 'invalid_operation', message: 'cannot delete addon that is in use' });
  });
});

describe('webhooks and isolation', () => {
  it('announces subscription.created with FlexPrice’s trimmed subscription and customer', async () => {
    const s = (await api.post('/v1/subscriptions', body({ lookup_key: 'hooked' }))).body;
    const events = await api.get('/v1/webhooks/events?event_type=subscription.created&limit=100');
    const event = events.body.items.find((e: any) => e.entity_id === s.id);
    expect(event.payload).toEqual({
      event_type: 'subscription.created',
      subscription: {
        id: s.id,
        customer_id: customer.id,
        plan_id: plan.id,
        lookup_key: 'hooked',
        subscription_status: 'active',
        currency: 'usd',
        start_date: '2025-03-01T00:00:00.000Z',
        current_period_start: '2025-03-01T00:00:00.000Z',
        current_period_end: '2025-03-31T23:00:00.000Z',
        cancel_at: null,
        cancel_at_period_end: false,
        trial_start: null,
        trial_end: null,
        billing_cadence: 'RECURRING',
        billing_period: 'MONTHLY',
        billing_period_count: 1,
        pause_status: 'none',
        subscription_type: 'standalone',
        metadata: {},
        payment_behavior: 'default_active',
        collection_method: 'charge_automatically',
        customer: { id: customer.id, external_id: 'acme-subs', environment_id: server.bootstrap.defaultEnvironmentId, name: 'Acme', timezone: 'Europe/Berlin' },
      },
    });
  });

  it('answers 404 to another environment’s key and leaves its lists empty of this environment’s subscriptions', async () => {
    const { api: prod } = await productionApi(server);
    const s = (await api.post('/v1/subscriptions', body())).body;
    expect((await prod.get(`/v1/subscriptions/${s.id}`)).status).toBe(404);
    expect((await prod.put(`/v1/subscriptions/${s.id}`, { status: 'cancelled' })).status).toBe(404);
    expect((await prod.post(`/v1/subscriptions/${s.id}/activate`, { start_date: '2025-03-01T00:00:00Z' })).status).toBe(404);
    expect((await prod.get('/v1/subscriptions')).body.pagination.total).toBe(0);
    expect((await prod.post('/v1/subscriptions', body())).status).toBe(404); // the customer is not theirs
  });
});
