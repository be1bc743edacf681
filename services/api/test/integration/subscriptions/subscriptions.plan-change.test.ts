import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, billAt, invoicesOf, subscribe, subscriptionOf } from '../../support/billing.ts';
import { createCustomer, createPlan, createPrice, createTestClock, fixedPrice, productionClient, useTestServer } from '../../support/fixtures.ts';
import { useBasicPlan } from './basic-plan.ts';
import { grantsOf, walletOf } from '../credit-grants/credit-grant-reads.ts';

/**
 * POST /subscriptions/{id}/change/v2/preview|execute: refusals (each writes nothing), trials, the
 * schedule called off, a test clock doing the period end change, events. The amounts are in
 * test/scenarios/upgrade-mid-period-prorated.test.ts.
 */
const server = useTestServer();
let api: ApiClient;
const fresh = useBasicPlan(server);
let pro: any;
let annualPro: any;

beforeAll(async () => {
  api = server.api;
  at(server, '2025-06-01T00:00:00Z');
  pro = await createPlan(api, { name: 'Pro' });
  await createPrice(api, fixedPrice(pro.id, { amount: '60', display_name: 'Pro fee' }));
  annualPro = await createPlan(api, { name: 'Annual only' });
  await createPrice(api, fixedPrice(annualPro.id, { amount: '600', billing_period: 'ANNUAL' }));
});

const change = (id: string, body: Record<string, unknown>, step: 'preview' | 'execute' = 'execute') => api.post(`/v1/subscriptions/${id}/change/v2/${step}`, body);
const upgrade = (extra: Record<string, unknown> = {}) => ({ target_plan_id: pro.id, proration_behavior: 'create_prorations', ...extra });

/** What must not have moved after a refused change. */
async function expectUnchanged(sub: any): Promise<void> {
  const after = await subscriptionOf(api, sub.id);
  expect(after).toMatchObject({ plan_id: sub.plan_id, version: sub.version, subscription_status: sub.subscription_status });
  expect(after.line_items.map((l: any) => [l.id, l.end_date ?? null])).toEqual(sub.line_items.map((l: any) => [l.id, l.end_date ?? null]));
  expect((await invoicesOf(api, sub.id)).map((i) => i.billing_reason)).toEqual(['SUBSCRIPTION_CREATE']);
  const schedules = await api.get(`/v1/subscriptions/${sub.id}/schedules`);
  expect(schedules.body.schedules.filter((s: any) => s.schedule_type === 'plan_change')).toEqual([]);
}

describe('POST /v1/subscriptions/{id}/change/v2/execute refuses, naming the field, and changes nothing', () => {
  it.each<[string, (sub: any) => Record<string, unknown>, string]>([
    ['no target_plan_id', () => ({ proration_behavior: 'none' }), 'target_plan_id'],
    ['no proration_behavior', () => ({ target_plan_id: pro.id }), 'proration_behavior'],
    ['an unknown change_at', () => upgrade({ change_at: 'tomorrow' }), 'change_at'],
    ['an unknown proration_behavior', () => upgrade({ proration_behavior: 'always' }), 'proration_behavior'],
    ['create_prorations at the period end', () => upgrade({ change_at: 'end_of_period' }), 'proration_behavior'],
    ['the plan it is on', (sub) => ({ target_plan_id: sub.plan_id, proration_behavior: 'none' }), 'target_plan_id'],
  ])('%s', async (_case, body, field) => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh();
    for (const step of ['preview', 'execute'] as const) {
      const res = await change(sub.id, body(sub), step);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(Object.keys(res.body.details ?? {})).toContain(field);
    }
    await expectUnchanged(sub);
  });

  it('a target plan that does not exist is 404; a target without a price in the subscription period is 400', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh();
    expect((await change(sub.id, upgrade({ target_plan_id: 'plan_unknown' }))).status).toBe(404);
    const res = await change(sub.id, upgrade({ target_plan_id: annualPro.id }));
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.details).toHaveProperty('target_plan_id');
    await expectUnchanged(sub);
  });

  it('refuses a draft, a cancelled, a paused and a cancelling subscription with invalid_operation', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const draft = await fresh({ subscription_status: 'draft' });
    const cancelled = await fresh();
    expect((await api.post(`/v1/subscriptions/${cancelled.id}/cancel`, { cancellation_type: 'immediate' })).status).toBe(200);
    const paused = await fresh();
    expect((await api.post(`/v1/subscriptions/${paused.id}/pause`, { pause_mode: 'immediate', pause_days: 5 })).status).toBe(200);
    const cancelling = await fresh();
    expect((await api.post(`/v1/subscriptions/${cancelling.id}/cancel`, { cancellation_type: 'end_of_period' })).status).toBe(200);
    for (const sub of [draft, cancelled, paused, cancelling]) {
      const before = await subscriptionOf(api, sub.id);
      for (const step of ['preview', 'execute'] as const) {
        const res = await change(sub.id, upgrade(), step);
        expect(res.status, `${sub.id} ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.code).toBe('invalid_operation');
      }
      expect(await subscriptionOf(api, sub.id)).toMatchObject({ plan_id: before.plan_id, version: before.version });
    }
  });

  it('refuses create_prorations with mixed billing periods, and a second pending plan change', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const annual = { type: 'FIXED', billing_period: 'ANNUAL', billing_model: 'FLAT_FEE', invoice_cadence: 'ADVANCE', amount: '300' };
    const mixed = await fresh({ line_items: [{ price: annual }] });
    const res = await change(mixed.id, upgrade());
    expect(res.status).toBe(400);
    expect(res.body.details).toHaveProperty('proration_behavior');
    await expectUnchanged(mixed);

    const sub = await fresh();
    const first = await change(sub.id, { target_plan_id: pro.id, proration_behavior: 'none', change_at: 'end_of_period' });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const second = await change(sub.id, { target_plan_id: pro.id, proration_behavior: 'none' });
    expect(second.status).toBe(400);
    expect(second.body).toMatchObject({ code: 'invalid_operation' });
    expect(second.body.message).toContain('already has a plan change scheduled');
    expect((await subscriptionOf(api, sub.id)).plan_id).toBe(sub.plan_id);
  });

  it('a subscription of another environment is 404', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh();
    const { client } = await productionClient(server);
    expect((await client.post(`/v1/subscriptions/${sub.id}/change/v2/execute`, upgrade())).status).toBe(404);
    expect((await change('subs_unknown', upgrade())).status).toBe(404);
    await expectUnchanged(sub);
  });
});

describe('what a plan change does besides the amounts', () => {
  it('a preview at the period end schedules nothing; the schedule called off leaves the plan at the period end', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh({ start_date: '2025-06-01T00:00:00Z' });
    const body = { target_plan_id: pro.id, proration_behavior: 'none', change_at: 'end_of_period' };
    const preview = await change(sub.id, body, 'preview');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ is_scheduled: true, scheduled_at: '2025-07-01T00:00:00.000Z', change_type: 'upgrade' });
    expect(preview.body).not.toHaveProperty('schedule_id');
    expect((await api.get(`/v1/subscriptions/${sub.id}/schedules`)).body.count).toBe(0);
    const res = await change(sub.id, body);
    expect(res.body).toMatchObject({ is_scheduled: true, schedule_id: expect.stringMatching(/^sched_/) });
    expect((await api.post(`/v1/subscriptions/schedules/${res.body.schedule_id}/cancel`, {})).status).toBe(200);
    await billAt(server, '2025-07-01T00:00:00Z');
    const after = await subscriptionOf(api, sub.id);
    expect(after).toMatchObject({ plan_id: sub.plan_id, current_period_start: '2025-07-01T00:00:00.000Z' });
    expect((await invoicesOf(api, sub.id)).map((i) => i.total)).toEqual(['30', '30']);
  });

  it('a trialing subscription changes plan without settling anything', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh({ trial_period_days: 14 });
    expect(sub.subscription_status).toBe('trialing');
    const res = await change(sub.id, upgrade());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.changed_resources.invoices).toEqual([]);
    expect((await subscriptionOf(api, sub.id))).toMatchObject({ plan_id: pro.id, subscription_status: 'trialing' });
    expect((await api.get(`/v1/customers/${sub.customer_id}/wallets`)).body).toEqual([]);
  });

  it('proration none swaps at once, settles nothing, and announces subscription.plan_changed and subscription.updated', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh();
    const res = await change(sub.id, { target_plan_id: pro.id, proration_behavior: 'none' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ change_type: 'upgrade', is_scheduled: false, effective_at: '2025-06-10T00:00:00.000Z', changed_resources: { invoices: [] } });
    expect((await subscriptionOf(api, sub.id)).version).toBe(sub.version + 1);
    const events = await api.get('/v1/webhooks/events?limit=1000');
    const types = events.body.items.filter((e: any) => e.entity_id === sub.id).map((e: any) => e.event_type);
    expect(types.filter((t: string) => t === 'subscription.plan_changed')).toHaveLength(1);
    expect(types.filter((t: string) => t === 'subscription.updated')).toHaveLength(1);
    const again = await change(sub.id, { target_plan_id: pro.id, proration_behavior: 'none' });
    expect(again.status).toBe(400);
    expect(again.body.details).toHaveProperty('target_plan_id');
  });

  it('credit grants follow the plan: the old plan’s copy ends at the change, the new plan’s is copied and applied then', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const grantOf = async (planId: string, credits: string) => {
      const res = await api.post('/v1/creditgrants', { name: `${credits} credits`, scope: 'PLAN', plan_id: planId, credits, cadence: 'ONETIME', expiration_type: 'NEVER' });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
    };
    const small = await createPlan(api, { name: 'Small' });
    await createPrice(api, fixedPrice(small.id, { amount: '10' }));
    await grantOf(small.id, '100');
    const large = await createPlan(api, { name: 'Large' });
    await createPrice(api, fixedPrice(large.id, { amount: '20' }));
    await grantOf(large.id, '500');
    const customer = await createCustomer(api);
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: small.id, currency: 'usd', billing_period: 'MONTHLY' });
    expect((await walletOf(api, customer.id)).wallet).toMatchObject({ credit_balance: '100' });
    at(server, '2025-06-10T00:00:00Z');
    const preview = await change(sub.id, { target_plan_id: large.id, proration_behavior: 'none' }, 'preview');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect((await grantsOf(api, sub.id)).map((g: any) => [g.plan_id, g.end_date ?? null])).toEqual([[small.id, null]]);
    expect((await change(sub.id, { target_plan_id: large.id, proration_behavior: 'none' })).status).toBe(200);
    const grants = (await grantsOf(api, sub.id)).map((g: any) => [g.plan_id, g.credits, g.start_date, g.end_date ?? null]);
    expect(grants.sort()).toEqual([[small.id, '100', '2025-06-01T00:00:00.000Z', '2025-06-10T00:00:00.000Z'], [large.id, '500', '2025-06-10T00:00:00.000Z', null]].sort());
    // The one-off grant already applied stays; the new plan's is applied at the change: 100 + 500.
    expect((await walletOf(api, customer.id)).wallet).toMatchObject({ credit_balance: '600' });
  });

  it('with an Idempotency-Key (the request in one transaction), a preview still writes nothing and an execution is replayed', async () => {
    at(server, '2025-06-16T00:00:00Z');
    const sub = await fresh({ start_date: '2025-06-01T00:00:00Z' });
    const path = `/v1/subscriptions/${sub.id}/change/v2`;
    const preview = await api.request('POST', `${path}/preview`, upgrade(), { 'Idempotency-Key': `pc-preview-${sub.id}` });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.changed_resources.invoices[0].invoice.total).toBe('15');
    await expectUnchanged(sub);
    const first = await api.request('POST', `${path}/execute`, upgrade(), { 'Idempotency-Key': `pc-execute-${sub.id}` });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const again = await api.request('POST', `${path}/execute`, upgrade(), { 'Idempotency-Key': `pc-execute-${sub.id}` });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    // 30 June days, from 16 June: $60 and $30 × (30 d − 1 s − 15 d) ÷ (30 d − 1 s) → charge $30.00, credit $15.00.
    expect((await invoicesOf(api, sub.id)).map((i) => [i.billing_reason, i.total]).sort()).toEqual([['SUBSCRIPTION_CREATE', '30'], ['SUBSCRIPTION_UPDATE', '15']]);
  });

  it('a test clock advanced past the period end does the scheduled change before renewing', async () => {
    at(server, '2025-06-10T00:00:00Z');
    // The clock starts when the plans' prices do (1 June): a price never applies before its start.
    const clock = await createTestClock(api, { name: 'plan change', frozen_time: '2025-06-01T00:00:00Z' });
    const customer = await createCustomer(api, { name: 'Clocked', test_clock_id: clock.id });
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: (await fresh()).plan_id, currency: 'usd', billing_period: 'MONTHLY' });
    expect(sub).toMatchObject({ current_period_start: '2025-06-01T00:00:00.000Z', current_period_end: '2025-07-01T00:00:00.000Z' });
    const res = await change(sub.id, { target_plan_id: pro.id, proration_behavior: 'none', change_at: 'end_of_period' });
    expect(res.body).toMatchObject({ is_scheduled: true, scheduled_at: '2025-07-01T00:00:00.000Z' });
    const advanced = await api.post(`/v1/test_clocks/${clock.id}/advance`, { frozen_time: '2025-07-01T00:00:00Z' });
    expect(advanced.status, JSON.stringify(advanced.body)).toBe(200);
    await server.testClocks.settled();
    expect(await subscriptionOf(api, sub.id)).toMatchObject({ plan_id: pro.id, current_period_start: '2025-07-01T00:00:00.000Z' });
    const [june, july] = await invoicesOf(api, sub.id);
    expect([june.total, july.total]).toEqual(['30', '60']);
    expect(july.line_items.map((l: any) => [l.display_name, l.amount, l.period_start, l.period_end])).toEqual([['Pro fee', '60', '2025-07-01T00:00:00.000Z', '2025-08-01T00:00:00.000Z']]);
    const schedules = await api.get(`/v1/subscriptions/${sub.id}/schedules`);
    expect(schedules.body.schedules.map((s: any) => [s.schedule_type, s.status])).toEqual([['plan_change', 'executed']]);
  });
});
