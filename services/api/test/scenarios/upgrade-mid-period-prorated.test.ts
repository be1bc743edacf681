// Ann, Bob and Cid subscribe on 1 April 2025 (April has 30 days); Ann to Basic, $30 a month in
// advance, Bob and Cid to Pro, $60 a month in advance. They change plan in place through
// POST /subscriptions/{id}/change/v2/preview|execute:
// - Ann, on 16 April (mid-period), Basic → Pro at once with proration. The coefficient is
//   (30 d − 1 s − 15 d) ÷ (30 d − 1 s) = 1,295,999 ÷ 2,591,999: credit for Basic's unused half,
//   $30 × that = $14.99999… → $15.00; charge for Pro's rest of April, $60 × that = $29.99998… → $30.00;
//   net +$15.00, invoiced at once (SUBSCRIPTION_UPDATE: a $30 charge line and a −$15 credit line).
//   Her preview shows exactly that, and executing then does it. On 1 May she pays Pro's $60.
// - Bob, on 16 April, Pro → Basic at once with proration: credit $30.00, charge $15.00, net −$15.00,
//   deposited as 15 credits into a new PRE_PAID wallet (SUBSCRIPTION_CREDIT_GRANT). On 1 May: $30.
// - Cid, on 10 April, Pro → Basic at the period end: a pending plan_change schedule for 1 May; nothing
//   is billed now. The 1 May bill run swaps his plan before renewing, so May's invoice is Basic's $30.
import { describe, expect, it } from 'vitest';
import { expectLedgerHolds, ledgerOf } from '../integration/wallets/wallet-ledger.ts';
import { at, billAt, headlineOf, linesOf, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
type Who = 'ann' | 'bob' | 'cid';
const subs = {} as Record<Who, any>;
const plans = {} as Record<'basic' | 'pro', any>;
const april = ['2025-04-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'] as const;
const may = ['2025-05-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z'] as const;
const rest = ['2025-04-16T00:00:00.000Z', '2025-05-01T00:00:00.000Z'] as const;
const change = (who: Who, step: 'preview' | 'execute', body: Record<string, unknown>) => server.api.post(`/v1/subscriptions/${subs[who].id}/change/v2/${step}`, body);

/** The subscription's invoices in the order they were issued. */
async function invoicesOf(who: Who): Promise<any[]> {
  const res = await server.api.get(`/v1/invoices?subscription_id=${subs[who].id}&limit=1000`);
  expect(res.status).toBe(200);
  return [...res.body.items].sort((a, b) => a.created_at.localeCompare(b.created_at) || a.invoice_number.localeCompare(b.invoice_number));
}

/** What a change response shows, without the ids a preview cannot know (rolled back: its invoice, wallet transaction, new line items and schedule) or the change's time of writing. */
function comparable(body: any) {
  const { subscription, changed_resources: cr, schedule_id: _scheduleId, ...restOf } = body;
  const inv = cr.invoices.map(({ id: _id, status: _status, invoice, wallet_transaction: wt, ...i }: any) => ({
    ...i,
    ...(invoice ? { invoice: { headline: headlineOf(invoice), lines: linesOf(invoice), type: invoice.invoice_type } } : {}),
    ...(wt ? { wallet_transaction: { amount: wt.amount, credit_amount: wt.credit_amount, reason: wt.transaction_reason, type: wt.type } } : {}),
  }));
  const lines = cr.line_items.map(({ id, ...l }: any) => (l.change_action === 'ended' ? { id, ...l } : l));
  return { ...restOf, plan_id: subscription.plan_id, line_items: subscription.line_items.length, changed_resources: { invoices: inv, line_items: lines, subscriptions: cr.subscriptions } };
}

describe('changing plan in place through POST /subscriptions/{id}/change/v2', () => {
  it('opens Ann on Basic ($30) and Bob and Cid on Pro ($60) on 1 April', async () => {
    at(server, '2025-04-01T00:00:00Z');
    const api = server.api;
    plans.basic = await createPlan(api, { name: 'Basic' });
    await createPrice(api, fixedPrice(plans.basic.id, { amount: '30', display_name: 'Basic fee' }));
    plans.pro = await createPlan(api, { name: 'Pro' });
    await createPrice(api, fixedPrice(plans.pro.id, { amount: '60', display_name: 'Pro fee' }));
    for (const [who, plan] of [['ann', plans.basic], ['bob', plans.pro], ['cid', plans.pro]] as const) {
      const customer = await createCustomer(api, { name: who });
      subs[who] = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    }
    expect(linesOf(subs.ann.latest_invoice)).toEqual([['Basic fee', '1', '30', ...april]]);
    expect(linesOf(subs.bob.latest_invoice)).toEqual([['Pro fee', '1', '60', ...april]]);
    expect(linesOf(subs.cid.latest_invoice)).toEqual([['Pro fee', '1', '60', ...april]]);
  });

  it('schedules Cid’s downgrade for 1 May on 10 April, billing nothing now', async () => {
    at(server, '2025-04-10T00:00:00Z');
    const body = { target_plan_id: plans.basic.id, proration_behavior: 'none', change_at: 'end_of_period' };
    const preview = await change('cid', 'preview', body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body).toMatchObject({ is_scheduled: true, scheduled_at: '2025-05-01T00:00:00.000Z' });
    expect(preview.body).not.toHaveProperty('schedule_id');
    expect((await server.api.get(`/v1/subscriptions/${subs.cid.id}/schedules`)).body.schedules).toEqual([]);
    const res = await change('cid', 'execute', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(comparable(res.body)).toEqual(comparable(preview.body));
    expect(res.body).toMatchObject({
      from_plan: { id: plans.pro.id, name: 'Pro' },
      to_plan: { id: plans.basic.id, name: 'Basic' },
      change_type: 'downgrade',
      effective_at: '2025-05-01T00:00:00.000Z',
      is_scheduled: true,
      schedule_id: expect.stringMatching(/^sched_/),
      scheduled_at: '2025-05-01T00:00:00.000Z',
      changed_resources: { invoices: [], line_items: [], subscriptions: [] },
    });
    expect(await subscriptionOf(server.api, subs.cid.id)).toMatchObject({ plan_id: plans.pro.id, current_period_end: '2025-05-01T00:00:00.000Z' });
    const schedules = await server.api.get(`/v1/subscriptions/${subs.cid.id}/schedules`);
    expect(schedules.status).toBe(200);
    expect(schedules.body.schedules.map((s: any) => [s.schedule_type, s.status, s.scheduled_at])).toEqual([['plan_change', 'pending', '2025-05-01T00:00:00.000Z']]);
    expect(await invoicesOf('cid')).toHaveLength(1);
  });

  it('previews Ann’s upgrade on 16 April: credit $15.00, charge $30.00, net +$15.00 — and changes nothing', async () => {
    at(server, '2025-04-16T00:00:00Z');
    const body = { target_plan_id: plans.pro.id, proration_behavior: 'create_prorations', change_at: 'immediate' };
    const preview = await change('ann', 'preview', body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    const [settled] = preview.body.changed_resources.invoices;
    expect(settled).toMatchObject({ action: 'created', status: 'preview' });
    expect(settled).not.toHaveProperty('id');
    expect(linesOf(settled.invoice)).toEqual([
      ['Charge for Pro fee (2025-04-16 to 2025-05-01)', '1', '30', ...rest], // $60 × 1,295,999 ÷ 2,591,999 = $29.99998… → $30.00
      ['Credit for Basic fee (2025-04-16 to 2025-05-01)', '1', '-15', ...rest], // $30 × 1,295,999 ÷ 2,591,999 = $14.99999… → $15.00
    ]);
    expect(headlineOf(settled.invoice)).toMatchObject({ billing_reason: 'SUBSCRIPTION_UPDATE', period_start: rest[0], period_end: rest[1], subtotal: '15', total: '15', amount_due: '15' });
    expect(preview.body).toMatchObject({ change_type: 'upgrade', effective_at: rest[0], is_scheduled: false });
    const after = await subscriptionOf(server.api, subs.ann.id);
    expect(after).toMatchObject({ plan_id: plans.basic.id, version: subs.ann.version });
    expect(after.line_items.map((l: any) => [l.price_id, l.end_date])).toEqual(subs.ann.line_items.map((l: any) => [l.price_id, l.end_date]));
    expect(await invoicesOf('ann')).toHaveLength(1);

    const executed = await change('ann', 'execute', body);
    expect(executed.status, JSON.stringify(executed.body)).toBe(200);
    expect(comparable(executed.body)).toEqual(comparable(preview.body));
    const issued = executed.body.changed_resources.invoices[0];
    expect(issued).toMatchObject({ id: issued.invoice.id, action: 'created', status: 'issued' });
    const invoices = await invoicesOf('ann');
    expect(invoices).toHaveLength(2);
    expect(linesOf(invoices[1])).toEqual(linesOf(settled.invoice));
    expect(headlineOf(invoices[1])).toEqual({ ...headlineOf(settled.invoice), invoice_number: invoices[1].invoice_number });
    expect(invoices[1]).toMatchObject({ id: issued.id, invoice_type: 'ONE_OFF', invoice_status: 'FINALIZED', total: '15' });
    const sub = await subscriptionOf(server.api, subs.ann.id);
    expect(sub).toMatchObject({ plan_id: plans.pro.id, current_period_start: april[0], current_period_end: april[1] });
    expect(sub.line_items.map((l: any) => [l.plan_display_name, l.start_date, l.end_date ?? null]).sort()).toEqual([['Basic', april[0], rest[0]], ['Pro', rest[0], null]]);
    const events = await server.api.get('/v1/webhooks/events?limit=1000');
    const types = events.body.items.filter((e: any) => e.entity_id === subs.ann.id).map((e: any) => e.event_type);
    expect(types.filter((t: string) => t === 'subscription.plan_changed')).toHaveLength(1);
  });

  it('downgrades Bob at once on 16 April: credit $30.00, charge $15.00, net −$15.00 into a new wallet', async () => {
    const body = { target_plan_id: plans.basic.id, proration_behavior: 'create_prorations' };
    const preview = await change('bob', 'preview', body);
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.changed_resources.invoices).toMatchObject([{ action: 'wallet_credit', status: 'preview', wallet_transaction: { credit_amount: '15', amount: '15' } }]);
    expect((await server.api.get(`/v1/customers/${subs.bob.customer_id}/wallets`)).body).toEqual([]);
    const res = await change('bob', 'execute', body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(comparable(res.body)).toEqual(comparable(preview.body));
    expect(res.body).toMatchObject({ change_type: 'downgrade', effective_at: rest[0] });
    const [credit] = res.body.changed_resources.invoices;
    expect(credit).toMatchObject({ action: 'wallet_credit', status: 'issued', wallet_transaction: { transaction_reason: 'SUBSCRIPTION_CREDIT_GRANT', credit_amount: '15', amount: '15' } });
    expect(await invoicesOf('bob')).toHaveLength(1);
    const wallets = await server.api.get(`/v1/customers/${subs.bob.customer_id}/wallets`);
    expect(wallets.body).toHaveLength(1);
    expect(wallets.body[0]).toMatchObject({ wallet_type: 'PRE_PAID', currency: 'usd', credit_balance: '15', balance: '15' });
    const ledger = await ledgerOf(server.api, wallets.body[0].id);
    expect(ledger.map((t: any) => [t.type, t.transaction_reason, t.credit_amount])).toEqual([['credit', 'SUBSCRIPTION_CREDIT_GRANT', '15']]);
    expectLedgerHolds(wallets.body[0], ledger);
  });

  it('on 1 May swaps Cid to Basic before renewing, and bills everyone their new plan', async () => {
    expect(await billAt(server, '2025-05-01T00:00:00Z')).toBeGreaterThanOrEqual(4);
    const cid = await subscriptionOf(server.api, subs.cid.id);
    expect(cid).toMatchObject({ plan_id: plans.basic.id, current_period_start: may[0], current_period_end: may[1] });
    const schedules = await server.api.get(`/v1/subscriptions/${subs.cid.id}/schedules`);
    expect(schedules.body.schedules.map((s: any) => [s.schedule_type, s.status])).toEqual([['plan_change', 'executed']]);
    const last = async (who: Who) => (await invoicesOf(who)).at(-1);
    expect(linesOf(await last('ann'))).toEqual([['Pro fee', '1', '60', ...may]]);
    expect(linesOf(await last('bob'))).toEqual([['Basic fee', '1', '30', ...may]]);
    expect(linesOf(await last('cid'))).toEqual([['Basic fee', '1', '30', ...may]]);
    expect(headlineOf(await last('cid'))).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CYCLE', total: '30', amount_due: '30' });
    expect((await invoicesOf('ann')).map((i) => i.total)).toEqual(['30', '15', '60']);
    expect((await invoicesOf('bob')).map((i) => i.total)).toEqual(['60', '30']);
    expect((await invoicesOf('cid')).map((i) => i.total)).toEqual(['60', '30']);
  });
});
