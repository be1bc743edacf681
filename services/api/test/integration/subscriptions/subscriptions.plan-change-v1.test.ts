import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, billAt, invoicesOf, linesOf, subscribe, subscriptionOf } from '../../support/billing.ts';
import { createCustomer, createPlan, createPrice, createTestClock, fixedPrice, productionClient, useTestServer } from '../../support/fixtures.ts';
import { useBasicPlan } from './basic-plan.ts';

/**
 * POST /subscriptions/{id}/change/preview|execute (v1: the subscription replaced by a new one):
 * refusals (each writes nothing), execute = preview, a credit larger than the new opening charges,
 * a trialing subscription, a request in an Idempotency-Key's transaction. The story with its amounts
 * is test/scenarios/plan-change-v1-new-subscription.test.ts.
 */
const server = useTestServer();
let api: ApiClient;
const fresh = useBasicPlan(server);
let pro: any;
let annualPro: any;
let basicId: string;

beforeAll(async () => {
  api = server.api;
  at(server, '2025-06-01T00:00:00Z');
  pro = await createPlan(api, { name: 'Pro' });
  await createPrice(api, fixedPrice(pro.id, { amount: '60', display_name: 'Pro fee' }));
  annualPro = await createPlan(api, { name: 'Annual only' });
  await createPrice(api, fixedPrice(annualPro.id, { amount: '600', billing_period: 'ANNUAL' }));
  basicId = (await fresh()).plan_id;
});

const change = (id: string, body: Record<string, unknown>, step: 'preview' | 'execute' = 'execute') => api.post(`/v1/subscriptions/${id}/change/${step}`, body);
const upgrade = (extra: Record<string, unknown> = {}) => ({
  target_plan_id: pro.id,
  proration_behavior: 'create_prorations',
  billing_cadence: 'RECURRING',
  billing_period: 'MONTHLY',
  billing_cycle: 'anniversary',
  ...extra,
});
const without = (key: string) => () => Object.fromEntries(Object.entries(upgrade()).filter(([k]) => k !== key));

/** What must not have moved after a refused change: the subscription, its invoices, its schedules, the customer's subscriptions. */
async function expectUnchanged(sub: any): Promise<void> {
  const after = await subscriptionOf(api, sub.id);
  expect(after).toMatchObject({ plan_id: sub.plan_id, version: sub.version, subscription_status: sub.subscription_status });
  expect((await invoicesOf(api, sub.id)).map((i) => i.billing_reason)).toEqual(['SUBSCRIPTION_CREATE']);
  const schedules = await api.get(`/v1/subscriptions/${sub.id}/schedules`);
  expect(schedules.body.schedules.filter((s: any) => s.schedule_type === 'plan_change')).toEqual([]);
  expect((await api.get(`/v1/subscriptions?customer_id=${sub.customer_id}`)).body.items).toHaveLength(1);
}

describe('POST /v1/subscriptions/{id}/change/execute refuses, naming the field, and changes nothing', () => {
  it.each<[string, (sub: any) => Record<string, unknown>, string]>([
    ['no target_plan_id', without('target_plan_id'), 'target_plan_id'],
    ['no proration_behavior', without('proration_behavior'), 'proration_behavior'],
    ['no billing_cadence', without('billing_cadence'), 'billing_cadence'],
    ['no billing_period', without('billing_period'), 'billing_period'],
    ['no billing_cycle', without('billing_cycle'), 'billing_cycle'],
    ['a ONETIME billing_cadence', () => upgrade({ billing_cadence: 'ONETIME' }), 'billing_cadence'],
    ['a ONETIME billing_period', () => upgrade({ billing_period: 'ONETIME' }), 'billing_period'],
    ['a negative billing_period_count', () => upgrade({ billing_period_count: -1 }), 'billing_period_count'],
    ['an unknown change_at', () => upgrade({ change_at: 'tomorrow' }), 'change_at'],
    ['the plan it is on', (sub) => upgrade({ target_plan_id: sub.plan_id }), 'target_plan_id'],
    ['a target without a price billed that period', () => upgrade({ target_plan_id: annualPro.id }), 'target_plan_id'],
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

  it('an unknown target plan, an unknown subscription and one of another environment are 404', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh();
    expect((await change(sub.id, upgrade({ target_plan_id: 'plan_unknown' }))).status).toBe(404);
    expect((await change('subs_unknown', upgrade())).status).toBe(404);
    const { client } = await productionClient(server);
    expect((await client.post(`/v1/subscriptions/${sub.id}/change/execute`, upgrade())).status).toBe(404);
    await expectUnchanged(sub);
  });

  it('refuses a draft, a cancelled, a paused and a cancelling subscription, and a trialing one at the period end, with invalid_operation', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const draft = await fresh({ subscription_status: 'draft' });
    const cancelled = await fresh();
    expect((await api.post(`/v1/subscriptions/${cancelled.id}/cancel`, { cancellation_type: 'immediate' })).status).toBe(200);
    const paused = await fresh();
    expect((await api.post(`/v1/subscriptions/${paused.id}/pause`, { pause_mode: 'immediate', pause_days: 5 })).status).toBe(200);
    const cancelling = await fresh();
    expect((await api.post(`/v1/subscriptions/${cancelling.id}/cancel`, { cancellation_type: 'end_of_period' })).status).toBe(200);
    const trialing = await fresh({ trial_period_days: 14 });
    const cases: [any, Record<string, unknown>][] = [[draft, upgrade()], [cancelled, upgrade()], [paused, upgrade()], [cancelling, upgrade()], [trialing, upgrade({ proration_behavior: 'none', change_at: 'end_of_period' })]];
    for (const [sub, body] of cases) {
      const before = await subscriptionOf(api, sub.id);
      for (const step of ['preview', 'execute'] as const) {
        const res = await change(sub.id, body, step);
        expect(res.status, `${sub.subscription_status}: ${JSON.stringify(res.body)}`).toBe(400);
        expect(res.body.code).toBe('invalid_operation');
      }
      expect(await subscriptionOf(api, sub.id)).toMatchObject({ version: before.version, subscription_status: before.subscription_status, plan_id: before.plan_id });
    }
  });

  it('refuses create_prorations with mixed billing periods, and a second pending plan change', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const annual = { type: 'FIXED', billing_period: 'ANNUAL', billing_model: 'FLAT_FEE', invoice_cadence: 'ADVANCE', amount: '300' };
    const mixed = await fresh({ line_items: [{ price: annual }] });
    const res = await change(mixed.id, upgrade());
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.details).toHaveProperty('proration_behavior');
    expect((await subscriptionOf(api, mixed.id)).plan_id).toBe(mixed.plan_id);

    const sub = await fresh();
    const first = await change(sub.id, upgrade({ proration_behavior: 'none', change_at: 'end_of_period' }));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    for (const body of [upgrade(), upgrade({ proration_behavior: 'none', change_at: 'end_of_period' })]) {
      const second = await change(sub.id, body);
      expect(second.status).toBe(400);
      expect(second.body).toMatchObject({ code: 'invalid_operation' });
      expect(second.body.message).toContain('already has a plan change scheduled');
    }
    // v2 sees the v1 schedule too.
    expect((await api.post(`/v1/subscriptions/${sub.id}/change/v2/execute`, { target_plan_id: pro.id, proration_behavior: 'none' })).status).toBe(400);
    expect((await subscriptionOf(api, sub.id)).plan_id).toBe(sub.plan_id);
  });
});

describe('what a v1 plan change does', () => {
  it('a downgrade whose credit exceeds the new opening charges: Basic $30 − $30 = $0 (SKIPPED), the $20.00 left over is not carried', async () => {
    at(server, '2025-06-01T00:00:00Z');
    const customer = await createCustomer(api);
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: pro.id, currency: 'usd', billing_period: 'MONTHLY' });
    // 6 June of a 30-day June: Pro's unused $60 × (25 d − 1 s) ÷ (30 d − 1 s) = $49.99998… → $50.00.
    at(server, '2025-06-06T00:00:00Z');
    const body = upgrade({ target_plan_id: basicId });
    const preview = await change(sub.id, body, 'preview');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({
      change_type: 'downgrade',
      proration_details: { credit_amount: '50', charge_amount: '0', net_amount: '-50', days_used: 5, days_remaining: 25 },
      next_invoice_preview: { subtotal: '0', total: '0', line_items: [{ amount: '0', quantity: '1', unit_price: '0', is_proration: true }] },
      warnings: [
        'This is a downgrade. You may lose access to certain features.',
        "The credit for unused time (50 usd) exceeds the new subscription's opening fixed charges; 20 is not carried over.",
      ],
    });
    await expectUnchanged(sub);
    const res = await change(sub.id, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.proration_applied).toEqual(preview.body.proration_details);
    expect(res.body.invoice).toMatchObject({ invoice_status: 'SKIPPED', billing_reason: 'SUBSCRIPTION_CREATE', subtotal: '0', total: '0', amount_due: '0' });
    expect(res.body.invoice.line_items[0]).toMatchObject({ amount: '0', metadata: { plan_change_credit: '30' } });
    // The old subscription's final invoice has nothing to bill (its fee was paid in advance); no wallet is credited.
    expect((await invoicesOf(api, sub.id)).map((i) => [i.billing_reason, i.invoice_status, i.total])).toEqual([['SUBSCRIPTION_CREATE', 'FINALIZED', '60'], ['PRORATION', 'SKIPPED', '0']]);
    expect((await api.get(`/v1/customers/${customer.id}/wallets`)).body).toEqual([]);
  });

  it('proration none: nothing netted, the new subscription pays its whole first period', async () => {
    at(server, '2025-06-16T00:00:00Z');
    const sub = await fresh({ start_date: '2025-06-01T00:00:00Z' });
    const res = await change(sub.id, upgrade({ proration_behavior: 'none', billing_cycle: 'calendar' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).not.toHaveProperty('proration_applied');
    // Calendar without proration: 16 June – 1 July charged whole.
    expect(res.body.new_subscription).toMatchObject({ current_period_start: '2025-06-16T00:00:00.000Z', current_period_end: '2025-07-01T00:00:00.000Z' });
    expect(linesOf(res.body.invoice)).toEqual([['Pro fee', '1', '60', '2025-06-16T00:00:00.000Z', '2025-07-01T00:00:00.000Z']]);
  });

  it('calendar with create_prorations: the new first period is prorated, then the credit netted — $30.00 − $15.00 = $15.00', async () => {
    at(server, '2025-06-16T00:00:00Z');
    const sub = await fresh({ start_date: '2025-06-01T00:00:00Z' });
    const body = upgrade({ billing_cycle: 'calendar' });
    const preview = await change(sub.id, body, 'preview');
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const res = await change(sub.id, body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    // Both use (1 July − 1 s − 16 June) ÷ (1 July − 1 s − 1 June) = 1,295,999 ÷ 2,591,999:
    // Basic's unused $30 → $15.00; Pro's 16 June – 1 July of $60 → $30.00; less the credit → $15.00.
    expect(res.body.proration_applied).toMatchObject({ credit_amount: '15', net_amount: '-15' });
    expect(linesOf(res.body.invoice)).toEqual([['Pro fee', '1', '15', '2025-06-16T00:00:00.000Z', '2025-07-01T00:00:00.000Z']]);
    expect(res.body.invoice.line_items[0].metadata.plan_change_credit).toBe('15');
    expect(preview.body.next_invoice_preview).toMatchObject({ subtotal: '15', total: '15', line_items: [{ amount: '15', period_start: '2025-06-16T00:00:00.000Z', period_end: '2025-07-01T00:00:00.000Z' }] });
    expect(preview.body.proration_details).toEqual(res.body.proration_applied);
  });

  it('a trialing subscription: no credit, no final invoice, the new subscription has no trial', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh({ trial_period_days: 14 });
    expect(sub.subscription_status).toBe('trialing');
    const res = await change(sub.id, upgrade());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).not.toHaveProperty('proration_applied');
    expect(res.body.old_subscription).toMatchObject({ id: sub.id, status: 'cancelled' });
    expect((await invoicesOf(api, sub.id)).map((i) => i.billing_reason)).toEqual(['SUBSCRIPTION_TRIAL_START']);
    const created = await subscriptionOf(api, res.body.new_subscription.id);
    expect(created).toMatchObject({ subscription_status: 'active', plan_id: pro.id, trial_start: null, trial_end: null });
    expect(linesOf(res.body.invoice)).toEqual([['Pro fee', '1', '60', '2025-06-10T00:00:00.000Z', '2025-07-10T00:00:00.000Z']]);
  });

  it('with an Idempotency-Key (the request in one transaction), a preview writes nothing and an execution is replayed', async () => {
    at(server, '2025-06-16T00:00:00Z');
    const sub = await fresh({ start_date: '2025-06-01T00:00:00Z' });
    const path = `/v1/subscriptions/${sub.id}/change`;
    const preview = await api.request('POST', `${path}/preview`, upgrade(), { 'Idempotency-Key': `v1-preview-${sub.id}` });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    // 30-day June, from 16 June: $30 × (15 d − 1 s) ÷ (30 d − 1 s) → $15.00; Pro's $60 − $15 = $45.
    expect(preview.body.next_invoice_preview.total).toBe('45');
    await expectUnchanged(sub);
    const first = await api.request('POST', `${path}/execute`, upgrade(), { 'Idempotency-Key': `v1-execute-${sub.id}` });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const again = await api.request('POST', `${path}/execute`, upgrade(), { 'Idempotency-Key': `v1-execute-${sub.id}` });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(first.body);
    expect(first.body.invoice.total).toBe('45');
    expect((await api.get(`/v1/subscriptions?customer_id=${sub.customer_id}`)).body.items).toHaveLength(2);
  });

  it('a test clock advanced past the period end replaces the subscription there, before renewing it', async () => {
    at(server, '2025-06-10T00:00:00Z');
    // The clock starts when the plans' prices do (1 June): a price never applies before its start.
    const clock = await createTestClock(api, { name: 'v1 plan change', frozen_time: '2025-06-01T00:00:00Z' });
    const customer = await createCustomer(api, { name: 'Clocked', test_clock_id: clock.id });
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: basicId, currency: 'usd', billing_period: 'MONTHLY' });
    const res = await change(sub.id, upgrade({ proration_behavior: 'none', change_at: 'end_of_period' }));
    expect(res.body).toMatchObject({ is_scheduled: true, scheduled_at: '2025-07-01T00:00:00.000Z', change_type: 'upgrade' });
    const advanced = await api.post(`/v1/test_clocks/${clock.id}/advance`, { frozen_time: '2025-07-15T00:00:00Z' });
    expect(advanced.status, JSON.stringify(advanced.body)).toBe(200);
    await server.testClocks.settled();
    expect(await subscriptionOf(api, sub.id)).toMatchObject({ subscription_status: 'cancelled', end_date: '2025-07-01T00:00:00.000Z' });
    // June's $30 was paid in advance; the final invoice has nothing to bill and there is no July Basic fee.
    expect((await invoicesOf(api, sub.id)).map((i) => [i.billing_reason, i.invoice_status, i.total])).toEqual([['SUBSCRIPTION_CREATE', 'FINALIZED', '30'], ['PRORATION', 'SKIPPED', '0']]);
    const [schedule] = (await api.get(`/v1/subscriptions/${sub.id}/schedules`)).body.schedules;
    expect(schedule).toMatchObject({ schedule_type: 'plan_change', status: 'executed', execution_result: { old_subscription_id: sub.id, to_plan_id: pro.id } });
    const created = await subscriptionOf(api, schedule.execution_result.new_subscription_id);
    expect(created).toMatchObject({ customer_id: customer.id, plan_id: pro.id, subscription_status: 'active', start_date: '2025-07-01T00:00:00.000Z', current_period_start: '2025-07-01T00:00:00.000Z', current_period_end: '2025-08-01T00:00:00.000Z' });
    const [opening] = await invoicesOf(api, created.id);
    expect(linesOf(opening)).toEqual([['Pro fee', '1', '60', '2025-07-01T00:00:00.000Z', '2025-08-01T00:00:00.000Z']]);
  });

  it('a scheduled v1 change called off leaves the subscription as it was', async () => {
    at(server, '2025-06-10T00:00:00Z');
    const sub = await fresh({ start_date: '2025-06-01T00:00:00Z' });
    const res = await change(sub.id, upgrade({ proration_behavior: 'none', change_at: 'end_of_period' }));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ is_scheduled: true, scheduled_at: '2025-07-01T00:00:00.000Z', old_subscription: { id: sub.id, status: 'active' }, new_subscription: {} });
    expect((await api.post(`/v1/subscriptions/schedules/${res.body.schedule_id}/cancel`, {})).status).toBe(200);
    const schedules = (await api.get(`/v1/subscriptions/${sub.id}/schedules`)).body.schedules;
    expect(schedules.map((s: any) => [s.id, s.status])).toEqual([[res.body.schedule_id, 'cancelled']]);
    // 1 July: Basic renews as if nothing had been asked.
    await billAt(server, '2025-07-01T00:00:00Z');
    expect(await subscriptionOf(api, sub.id)).toMatchObject({ subscription_status: 'active', plan_id: sub.plan_id, current_period_start: '2025-07-01T00:00:00.000Z' });
    expect((await invoicesOf(api, sub.id)).map((i) => [i.billing_reason, i.total])).toEqual([['SUBSCRIPTION_CREATE', '30'], ['SUBSCRIPTION_CYCLE', '30']]);
    expect((await api.get(`/v1/subscriptions?customer_id=${sub.customer_id}`)).body.items).toHaveLength(1);
  });
});
