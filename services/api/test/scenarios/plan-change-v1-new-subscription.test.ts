// Ann and Bob subscribe on 1 April 2025 (April has 30 days). Basic is $30 a month in advance plus
// $0.01 per API call in arrears; Pro is $60 a month in advance. They change plan through FlexPrice's
// v1 routes, POST /subscriptions/{id}/change/preview|execute, which replace the subscription by a new
// one (a new id) instead of changing it in place:
// - Ann (Basic) makes 1,000 calls on 9 April. On 16 April (mid-period) she moves to Pro at once with
//   create_prorations, monthly, anniversary. The coefficient is (30 d − 1 s − 15 d) ÷ (30 d − 1 s) =
//   1,295,999 ÷ 2,591,999, so Basic's unused half is $30 × that = $14.99999… → $15.00. Her Basic
//   subscription is cancelled with a final invoice for its calls so far: 1,000 × $0.01 = $10.00. Her
//   new Pro subscription starts on 16 April (anchored there: 16 April – 16 May) and its opening
//   invoice nets the credit into the fee: $60 − $15 = $45. No wallet credit. Her preview shows exactly
//   that and changes nothing. On 1 May the Basic subscription bills nothing more; on 16 May Pro bills $60.
// - Bob (Pro) asks on 10 April to move to Basic at the period end. A pending plan_change schedule waits
//   for 1 May. The 1 May bill run cancels Pro there (its final invoice has nothing left to bill: Pro's
//   fee was paid in advance and it has no usage) and starts a Basic subscription at 1 May: $30. He
//   makes 500 calls in May; on 1 June Basic bills June's $30 and May's 500 × $0.01 = $5.00: $35.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
const plans = {} as Record<'basic' | 'pro', any>;
const customers = {} as Record<'ann' | 'bob', any>;
const subs = {} as Record<'ann' | 'bob' | 'annPro' | 'bobBasic', any>;
let meter: any;
const april = ['2025-04-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'] as const;
const firstHalf = ['2025-04-01T00:00:00.000Z', '2025-04-16T00:00:00.000Z'] as const;
const proFirst = ['2025-04-16T00:00:00.000Z', '2025-05-16T00:00:00.000Z'] as const;
const proSecond = ['2025-05-16T00:00:00.000Z', '2025-06-16T00:00:00.000Z'] as const;
const may = ['2025-05-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'] as const;
const june = ['2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z'] as const;
const change = (id: string, step: 'preview' | 'execute', body: Record<string, unknown>) => server.api.post(`/v1/subscriptions/${id}/change/${step}`, body);
const upgrade = () => ({ target_plan_id: plans.pro.id, proration_behavior: 'create_prorations', billing_cadence: 'RECURRING', billing_period: 'MONTHLY', billing_cycle: 'anniversary', change_at: 'immediate', metadata: { reason: 'more seats' } });

/** The webhook event types recorded for an entity, in order. */
async function eventsOf(entityId: string): Promise<string[]> {
  const res = await server.api.get('/v1/webhooks/events?limit=1000');
  expect(res.status).toBe(200);
  return res.body.items.filter((e: any) => e.entity_id === entityId).map((e: any) => e.event_type);
}

async function walletsOf(customerId: string): Promise<any[]> {
  const res = await server.api.get(`/v1/customers/${customerId}/wallets`);
  expect(res.status).toBe(200);
  return res.body;
}

describe('a plan change that replaces the subscription (v1)', () => {
  it('opens Ann on Basic ($30 + calls) and Bob on Pro ($60) on 1 April', async () => {
    at(server, '2025-04-01T00:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'API calls' });
    plans.basic = await createPlan(api, { name: 'Basic' });
    await createPrice(api, fixedPrice(plans.basic.id, { amount: '30', display_name: 'Basic fee' }));
    await createPrice(api, usagePrice(plans.basic.id, meter.id, { amount: '0.01', display_name: 'API calls' }));
    plans.pro = await createPlan(api, { name: 'Pro' });
    await createPrice(api, fixedPrice(plans.pro.id, { amount: '60', display_name: 'Pro fee' }));
    customers.ann = await createCustomer(api, { name: 'Ann' });
    customers.bob = await createCustomer(api, { name: 'Bob' });
    subs.ann = await subscribe(api, { customer_id: customers.ann.id, plan_id: plans.basic.id, currency: 'usd', billing_period: 'MONTHLY', metadata: { team: 'red' } });
    subs.bob = await subscribe(api, { customer_id: customers.bob.id, plan_id: plans.pro.id, currency: 'usd', billing_period: 'MONTHLY' });
    expect(linesOf(subs.ann.latest_invoice)).toEqual([['Basic fee', '1', '30', ...april]]);
    expect(linesOf(subs.bob.latest_invoice)).toEqual([['Pro fee', '1', '60', ...april]]);
  });

  it('schedules Bob’s move to Basic for 1 May on 10 April, billing nothing now', async () => {
    at(server, '2025-04-10T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customers.ann.external_id, timestamp: '2025-04-09T12:00:00Z', count: 1000, prefix: 'ann-april' });
    const body = { target_plan_id: plans.basic.id, proration_behavior: 'none', billing_cadence: 'RECURRING', billing_period: 'MONTHLY', billing_cycle: 'anniversary', change_at: 'end_of_period' };
    const preview = await change(subs.bob.id, 'preview', body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toEqual({
      subscription_id: subs.bob.id,
      current_plan: { id: plans.pro.id, name: 'Pro', lookup_key: plans.pro.lookup_key },
      target_plan: { id: plans.basic.id, name: 'Basic', lookup_key: plans.basic.lookup_key },
      change_type: 'downgrade', // Basic's prices sum to 30.01, Pro's to 60
      effective_date: april[1],
      new_billing_cycle: { period_start: may[0], period_end: may[1], billing_anchor: may[0], billing_cadence: 'RECURRING', billing_period: 'MONTHLY', billing_period_count: 1 },
      warnings: ['This is a downgrade. You may lose access to certain features.'],
      metadata: {},
    });
    expect((await server.api.get(`/v1/subscriptions/${subs.bob.id}/schedules`)).body.schedules).toEqual([]);
    const res = await change(subs.bob.id, 'execute', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      is_scheduled: true,
      schedule_id: expect.stringMatching(/^sched_/),
      scheduled_at: april[1],
      old_subscription: { id: subs.bob.id, status: 'active', plan_id: plans.pro.id, current_period_start: april[0], current_period_end: april[1], billing_anchor: april[0], created_at: april[0] },
      new_subscription: {},
      change_type: 'downgrade',
      credit_grants: [],
      effective_date: april[1],
      metadata: {},
    });
    const schedules = (await server.api.get(`/v1/subscriptions/${subs.bob.id}/schedules`)).body.schedules;
    expect(schedules.map((s: any) => [s.id, s.schedule_type, s.status, s.scheduled_at, s.configuration.change_kind])).toEqual([[res.body.schedule_id, 'plan_change', 'pending', april[1], 'new_subscription']]);
    expect(await invoicesOf(server.api, subs.bob.id)).toHaveLength(1);
  });

  it('previews Ann’s upgrade on 16 April: credit $15.00, opening invoice $60 − $15 = $45 — and changes nothing', async () => {
    at(server, '2025-04-16T00:00:00Z');
    const preview = await change(subs.ann.id, 'preview', upgrade());
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toEqual({
      subscription_id: subs.ann.id,
      current_plan: { id: plans.basic.id, name: 'Basic', lookup_key: plans.basic.lookup_key },
      target_plan: { id: plans.pro.id, name: 'Pro', lookup_key: plans.pro.lookup_key },
      change_type: 'upgrade',
      proration_details: {
        credit_amount: '15', // $30 × 1,295,999 ÷ 2,591,999 = $14.99999… → $15.00
        credit_description: `Credit for unused time on plan ${plans.basic.id}`,
        charge_amount: '0',
        charge_description: 'Charge for plan change from 2025-04-16',
        net_amount: '-15',
        proration_date: firstHalf[1],
        current_period_start: april[0],
        current_period_end: april[1],
        days_used: 15,
        days_remaining: 15,
        currency: 'usd',
      },
      next_invoice_preview: {
        subtotal: '45',
        tax_amount: '0',
        total: '45',
        currency: 'usd',
        due_date: '2025-05-17T00:00:00.000Z', // the period end and a day, as for any opening invoice
        line_items: [{ description: 'Pro fee', amount: '45', quantity: '1', unit_price: '45', period_start: proFirst[0], period_end: proFirst[1], is_proration: true }], // $60 − $15
      },
      effective_date: proFirst[0],
      new_billing_cycle: { period_start: proFirst[0], period_end: proFirst[1], billing_anchor: proFirst[0], billing_cadence: 'RECURRING', billing_period: 'MONTHLY', billing_period_count: 1 },
      warnings: [],
      metadata: { reason: 'more seats' },
    });
    expect(await subscriptionOf(server.api, subs.ann.id)).toMatchObject({ subscription_status: 'active', plan_id: plans.basic.id, version: subs.ann.version });
    expect(await invoicesOf(server.api, subs.ann.id)).toHaveLength(1);
    expect((await server.api.get(`/v1/subscriptions?customer_id=${customers.ann.id}`)).body.items).toHaveLength(1);
  });

  it('executes Ann’s upgrade as previewed: Basic cancelled with its $10.00 of calls, Pro opened at $45', async () => {
    const previewed = (await change(subs.ann.id, 'preview', upgrade())).body;
    const res = await change(subs.ann.id, 'execute', upgrade());
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    subs.annPro = { id: res.body.new_subscription.id };
    expect(res.body.new_subscription.id).not.toBe(subs.ann.id);
    expect(res.body).toMatchObject({
      is_scheduled: false,
      old_subscription: { id: subs.ann.id, status: 'cancelled', plan_id: plans.basic.id, archived_at: firstHalf[1] },
      new_subscription: { status: 'active', plan_id: plans.pro.id, current_period_start: proFirst[0], current_period_end: proFirst[1], billing_anchor: proFirst[0], created_at: proFirst[0] },
      change_type: 'upgrade',
      proration_applied: previewed.proration_details,
      credit_grants: [],
      effective_date: proFirst[0],
      metadata: { reason: 'more seats' },
    });
    expect(res.body).not.toHaveProperty('schedule_id');
    // The opening invoice is the preview's, to the cent.
    const opening = res.body.invoice;
    expect(linesOf(opening)).toEqual([['Pro fee', '1', '45', ...proFirst]]);
    expect(opening.line_items[0].metadata).toEqual({ description: 'Pro fee (Fixed Charge)', plan_change_credit: '15' });
    expect(headlineOf(opening)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CREATE', subtotal: '45', total: '45', amount_due: '45' });
    expect({ subtotal: opening.subtotal, total: opening.total, lines: linesOf(opening).map(([d, q, a, s, e]) => [d, q, a, s, e]) }).toEqual({
      subtotal: previewed.next_invoice_preview.subtotal,
      total: previewed.next_invoice_preview.total,
      lines: previewed.next_invoice_preview.line_items.map((l: any) => [l.description, l.quantity, l.amount, l.period_start, l.period_end]),
    });

    const old = await subscriptionOf(server.api, subs.ann.id);
    expect(old).toMatchObject({ subscription_status: 'cancelled', plan_id: plans.basic.id, end_date: firstHalf[1], cancelled_at: firstHalf[1] });
    expect(old.metadata).toMatchObject({ team: 'red', cancellation_type: 'immediate', cancellation_reason: 'subscription_change' });
    const oldInvoices = await invoicesOf(server.api, subs.ann.id);
    expect(oldInvoices.map((i) => [i.billing_reason, i.total])).toEqual([['SUBSCRIPTION_CREATE', '30'], ['PRORATION', '10']]);
    expect(linesOf(oldInvoices[1])).toEqual([['API calls', '1000', '10', ...firstHalf]]); // 1,000 × $0.01
    expect(headlineOf(oldInvoices[1])).toMatchObject({ invoice_status: 'FINALIZED', period_start: firstHalf[0], period_end: firstHalf[1], total: '10', amount_due: '10' });

    const pro = await subscriptionOf(server.api, subs.annPro.id);
    expect(pro).toMatchObject({ customer_id: customers.ann.id, subscription_status: 'active', plan_id: plans.pro.id, start_date: proFirst[0], billing_cycle: 'anniversary', trial_end: null });
    expect(pro.metadata).toMatchObject({ team: 'red', reason: 'more seats' });
    expect((await invoicesOf(server.api, subs.annPro.id)).map((i) => [i.billing_reason, i.total])).toEqual([['SUBSCRIPTION_CREATE', '45']]);
    // The credit went into the opening invoice, not a wallet.
    expect(await walletsOf(customers.ann.id)).toEqual([]);
    expect(await eventsOf(subs.ann.id)).toEqual(expect.arrayContaining(['subscription.updated', 'subscription.cancelled']));
    expect(await eventsOf(subs.annPro.id)).toContain('subscription.created');
    // Executed once: the old subscription cannot change again.
    const again = await change(subs.ann.id, 'execute', upgrade());
    expect(again.status).toBe(400);
  });

  it('on 1 May ends Bob’s Pro at its period end and starts Basic there ($30); Ann’s Basic bills nothing more', async () => {
    expect(await billAt(server, '2025-05-01T00:00:00Z')).toBeGreaterThanOrEqual(1);
    const schedules = (await server.api.get(`/v1/subscriptions/${subs.bob.id}/schedules`)).body.schedules;
    expect(schedules.map((s: any) => [s.schedule_type, s.status])).toEqual([['plan_change', 'executed']]);
    const result = schedules[0].execution_result;
    subs.bobBasic = { id: result.new_subscription_id };
    expect(result).toEqual({ old_subscription_id: subs.bob.id, new_subscription_id: expect.stringMatching(/^subs_/), from_plan_id: plans.pro.id, to_plan_id: plans.basic.id, change_type: 'downgrade', effective_date: april[1] });
    expect(await subscriptionOf(server.api, subs.bob.id)).toMatchObject({ subscription_status: 'cancelled', plan_id: plans.pro.id, end_date: april[1] });
    // Pro's April was paid in advance and it bills no usage: its final invoice has nothing to bill, and there is no May Pro fee.
    const bobPro = await invoicesOf(server.api, subs.bob.id);
    expect(bobPro.map((i) => [i.billing_reason, i.invoice_status, i.total])).toEqual([['SUBSCRIPTION_CREATE', 'FINALIZED', '60'], ['PRORATION', 'SKIPPED', '0']]);
    const basic = await subscriptionOf(server.api, subs.bobBasic.id);
    expect(basic).toMatchObject({ subscription_status: 'active', plan_id: plans.basic.id, current_period_start: may[0], current_period_end: may[1] });
    const [opening] = await invoicesOf(server.api, subs.bobBasic.id);
    expect(linesOf(opening)).toEqual([['Basic fee', '1', '30', ...may]]);
    expect(headlineOf(opening)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CREATE', total: '30', amount_due: '30' });
    expect((await invoicesOf(server.api, subs.ann.id)).map((i) => i.total)).toEqual(['30', '10']);
    expect(await eventsOf(subs.bobBasic.id)).toContain('subscription.created');
    expect(await eventsOf(subs.bob.id)).toContain('subscription.cancelled');
  });

  it('renews Ann’s Pro on 16 May at $60 and Bob’s Basic on 1 June at $30 + May’s 500 calls ($35)', async () => {
    await billAt(server, '2025-05-16T00:00:00Z');
    const annPro = await invoicesOf(server.api, subs.annPro.id);
    expect(annPro.map((i) => [i.billing_reason, i.total])).toEqual([['SUBSCRIPTION_CREATE', '45'], ['SUBSCRIPTION_CYCLE', '60']]);
    expect(linesOf(annPro[1])).toEqual([['Pro fee', '1', '60', ...proSecond]]);
    at(server, '2025-05-21T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customers.bob.external_id, timestamp: '2025-05-20T12:00:00Z', count: 500, prefix: 'bob-may' });
    await billAt(server, '2025-06-01T00:00:00Z');
    const bobBasic = await invoicesOf(server.api, subs.bobBasic.id);
    expect(bobBasic.map((i) => [i.billing_reason, i.total])).toEqual([['SUBSCRIPTION_CREATE', '30'], ['SUBSCRIPTION_CYCLE', '35']]);
    expect(linesOf(bobBasic[1]).sort()).toEqual([['API calls', '500', '5', ...may], ['Basic fee', '1', '30', ...june]].sort()); // 500 × $0.01 = $5; June's fee $30
    // Nothing more on the replaced subscriptions, and no wallet anywhere.
    expect((await invoicesOf(server.api, subs.ann.id)).map((i) => i.total)).toEqual(['30', '10']);
    expect((await invoicesOf(server.api, subs.bob.id)).map((i) => i.total)).toEqual(['60', '0']);
    expect(await walletsOf(customers.ann.id)).toEqual([]);
    expect(await walletsOf(customers.bob.id)).toEqual([]);
  });
});
