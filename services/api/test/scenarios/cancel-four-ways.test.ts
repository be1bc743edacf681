// Ana, Ben, Cid and Dee subscribe on 1 April 2025 to Pro: $30 a month in advance plus $0.01 per
// call in arrear; April has 30 days. Each makes 300 calls on 3 April; Ana, Ben and Cid 100 more on
// 8 April, and everyone 50 on 25 April.
// They leave through POST /subscriptions/{id}/cancel, each another way:
// - Ana, on 16 April, at once, with a final invoice and proration: the final invoice (PRORATION,
//   1 → 16 April) bills her 400 calls, $4; the unused half of April's $30 — (30 d − 1 s − 15 d) ÷
//   (30 d − 1 s) = 1,295,999 ÷ 2,591,999 of $30 = $14.99999…, rounded once: $15.00 — goes into a new
//   PRE_PAID wallet as 15 credits (SUBSCRIPTION_CREDIT_GRANT). Her calls of 25 April are never billed.
// - Ben, on 10 April, at the end of the period: stays active; on 1 May his 450 calls are billed ($4.50)
//   and no May fee; cancelled then.
// - Cid, on 10 April, on a scheduled date, 20 April: his period is cut to end then; on 20 April his
//   400 calls are billed ($4), nothing in advance; cancelled then. His calls of 25 April are not billed.
// - Dee, on 10 April, on a scheduled date already past, 5 April: her period ends 5 April; the next
//   bill run bills her 300 calls of 3 April ($3) and cancels her as of 5 April.
import { describe, expect, it } from 'vitest';
import { expectLedgerHolds, ledgerOf } from '../integration/wallets/wallet-ledger.ts';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
type Who = 'ana' | 'ben' | 'cid' | 'dee';
const everyone: Who[] = ['ana', 'ben', 'cid', 'dee'];
const customers = {} as Record<Who, any>;
const subs = {} as Record<Who, string>;
let meter: any;

const april = ['2025-04-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'] as const;
const send = (who: Who, timestamp: string, count: number, prefix: string) =>
  sendEvents(server.api, { eventName: meter.event_name, customer: customers[who].external_id, timestamp, count, prefix: `${prefix}-${who}` });
const cancel = (who: Who, body: Record<string, unknown>) => server.api.post(`/v1/subscriptions/${subs[who]}/cancel`, body);

describe('cancelling four ways through POST /subscriptions/{id}/cancel', () => {
  it('opens four subscriptions on 1 April with April’s $30, and records their calls', async () => {
    at(server, '2025-04-01T00:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'API calls' });
    const plan = await createPlan(api, { name: 'Pro' });
    await createPrice(api, fixedPrice(plan.id, { amount: '30', display_name: 'Pro fee' }));
    await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.01' }));
    for (const who of everyone) {
      customers[who] = await createCustomer(api, { name: who });
      const sub = await subscribe(api, { customer_id: customers[who].id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
      subs[who] = sub.id;
      expect(linesOf(sub.latest_invoice)).toEqual([['Pro fee', '1', '30', ...april]]);
      expect(headlineOf(sub.latest_invoice)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CREATE', total: '30', amount_due: '30' });
    }
    at(server, '2025-04-09T00:00:00Z');
    for (const who of everyone) await send(who, '2025-04-03T00:00:00Z', 300, 'early');
    for (const who of ['ana', 'ben', 'cid'] as const) await send(who, '2025-04-08T00:00:00Z', 100, 'mid');
  });

  it('schedules Ben at the period end, Cid on 20 April and Dee on 5 April (past), on 10 April', async () => {
    at(server, '2025-04-10T00:00:00Z');
    const ben = await cancel('ben', { cancellation_type: 'end_of_period', reason: 'too expensive' });
    expect(ben.status, JSON.stringify(ben.body)).toBe(200);
    expect(ben.body).toEqual({
      subscription_id: subs.ben,
      cancellation_type: 'end_of_period',
      effective_date: '2025-05-01T00:00:00.000Z',
      status: 'active',
      reason: 'too expensive',
      proration_details: [],
      total_credit_amount: '0',
      message: 'Subscription will be cancelled at the end of the current period (2025-05-01)',
      processed_at: '2025-04-10T00:00:00.000Z',
    });
    expect(await subscriptionOf(server.api, subs.ben)).toMatchObject({
      subscription_status: 'active',
      cancel_at: '2025-05-01T00:00:00.000Z',
      cancel_at_period_end: true,
      end_date: '2025-05-01T00:00:00.000Z',
      cancelled_at: '2025-04-10T00:00:00.000Z',
      current_period_end: '2025-05-01T00:00:00.000Z',
      metadata: { cancellation_type: 'end_of_period', cancellation_reason: 'too expensive', effective_date: '2025-05-01T00:00:00.000Z' },
    });

    const cid = await cancel('cid', { cancellation_type: 'scheduled_date', cancel_at: '2025-04-20T00:00:00Z' });
    expect(cid.status, JSON.stringify(cid.body)).toBe(200);
    expect(cid.body).toMatchObject({ status: 'active', effective_date: '2025-04-20T00:00:00.000Z', message: 'Subscription end date set to 2025-04-20' });
    expect(await subscriptionOf(server.api, subs.cid)).toMatchObject({ cancel_at: '2025-04-20T00:00:00.000Z', cancel_at_period_end: false, end_date: '2025-04-20T00:00:00.000Z', current_period_end: '2025-04-20T00:00:00.000Z' });

    const again = await cancel('cid', { cancellation_type: 'end_of_period' });
    expect(again.status).toBe(400);
    expect(again.body.message).toContain('already scheduled to cancel');

    const dee = await cancel('dee', { cancellation_type: 'scheduled_date', cancel_at: '2025-04-05T00:00:00Z' });
    expect(dee.status, JSON.stringify(dee.body)).toBe(200);
    expect(dee.body).toMatchObject({ status: 'active', effective_date: '2025-04-05T00:00:00.000Z' });
    for (const who of everyone) expect(await invoicesOf(server.api, subs[who])).toHaveLength(1);
  });

  it('bills Dee’s 300 calls up to 5 April on the next run ($3) and cancels her as of then', async () => {
    expect(await billAt(server, '2025-04-10T00:00:00Z')).toBe(1); // her renewal (cut short), finalized in the same item
    const [, last] = await invoicesOf(server.api, subs.dee);
    expect(linesOf(last)).toEqual([['API calls', '300', '3', '2025-04-01T00:00:00.000Z', '2025-04-05T00:00:00.000Z']]);
    expect(headlineOf(last)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CYCLE', period_end: '2025-04-05T00:00:00.000Z', subtotal: '3', total: '3', amount_due: '3' });
    expect(await subscriptionOf(server.api, subs.dee)).toMatchObject({ subscription_status: 'cancelled', end_date: '2025-04-05T00:00:00.000Z' });
  });

  it('cancels Ana at once on 16 April: final invoice $4, $15.00 of unused April into a new wallet', async () => {
    at(server, '2025-04-16T00:00:00Z');
    const res = await cancel('ana', { cancellation_type: 'immediate', proration_behavior: 'create_prorations', cancel_immediately_inovice_policy: 'generate_invoice', reason: 'moving on' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { proration_invoice: invoice, proration_details: details, ...rest } = res.body;
    expect(rest).toEqual({
      subscription_id: subs.ana,
      cancellation_type: 'immediate',
      effective_date: '2025-04-16T00:00:00.000Z',
      status: 'cancelled',
      reason: 'moving on',
      total_credit_amount: '15',
      message: 'Subscription cancelled immediately with 15 credit for unused time',
      processed_at: '2025-04-16T00:00:00.000Z',
    });
    expect(details).toHaveLength(1);
    expect(details[0]).toMatchObject({ price_id: expect.any(String), original_amount: '30', credit_amount: '15', charge_amount: '0', proration_days: 15 });
    expect(linesOf(invoice)).toEqual([['API calls', '400', '4', '2025-04-01T00:00:00.000Z', '2025-04-16T00:00:00.000Z']]);
    expect(headlineOf(invoice)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'PRORATION', period_start: '2025-04-01T00:00:00.000Z', period_end: '2025-04-16T00:00:00.000Z', subtotal: '4', total: '4', amount_due: '4' });
    expect(await subscriptionOf(server.api, subs.ana)).toMatchObject({
      subscription_status: 'cancelled',
      cancel_at: '2025-04-16T00:00:00.000Z',
      end_date: '2025-04-16T00:00:00.000Z',
      cancelled_at: '2025-04-16T00:00:00.000Z',
      metadata: { cancellation_type: 'immediate', cancellation_reason: 'moving on', effective_date: '2025-04-16T00:00:00.000Z' },
    });
    const wallets = await server.api.get(`/v1/customers/${customers.ana.id}/wallets`);
    expect(wallets.status).toBe(200);
    expect(wallets.body).toHaveLength(1);
    expect(wallets.body[0]).toMatchObject({ wallet_type: 'PRE_PAID', currency: 'usd', credit_balance: '15', balance: '15' });
    const ledger = await ledgerOf(server.api, wallets.body[0].id);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ type: 'credit', transaction_reason: 'SUBSCRIPTION_CREDIT_GRANT', credit_amount: '15', amount: '15' });
    expectLedgerHolds(wallets.body[0], ledger);

    const twice = await cancel('ana', { cancellation_type: 'immediate' });
    expect(twice.status).toBe(400);
    expect(twice.body.message).toContain('already cancelled');
    expect((await server.api.get(`/v1/customers/${customers.ana.id}/wallets`)).body[0].credit_balance).toBe('15');
  });

  it('bills Cid’s 400 calls on 20 April ($4), nothing in advance, and cancels him', async () => {
    expect(await billAt(server, '2025-04-20T00:00:00Z')).toBe(1);
    const [, last] = await invoicesOf(server.api, subs.cid);
    expect(linesOf(last)).toEqual([['API calls', '400', '4', '2025-04-01T00:00:00.000Z', '2025-04-20T00:00:00.000Z']]);
    expect(headlineOf(last)).toMatchObject({ billing_reason: 'SUBSCRIPTION_CYCLE', period_end: '2025-04-20T00:00:00.000Z', total: '4' });
    expect(await subscriptionOf(server.api, subs.cid)).toMatchObject({ subscription_status: 'cancelled', end_date: '2025-04-20T00:00:00.000Z' });
  });

  it('bills Ben’s 450 calls on 1 May ($4.50) and no May fee, then bills nobody again', async () => {
    at(server, '2025-04-25T00:00:00Z');
    for (const who of everyone) await send(who, '2025-04-25T00:00:00Z', 50, 'late');
    expect(await billAt(server, '2025-05-01T00:00:00Z')).toBe(1);
    const [, last] = await invoicesOf(server.api, subs.ben);
    expect(linesOf(last)).toEqual([['API calls', '450', '4.5', ...april]]);
    expect(headlineOf(last)).toMatchObject({ billing_reason: 'SUBSCRIPTION_CYCLE', total: '4.5' });
    expect(await subscriptionOf(server.api, subs.ben)).toMatchObject({ subscription_status: 'cancelled', end_date: '2025-05-01T00:00:00.000Z' });
    expect(await billAt(server, '2025-06-01T00:00:00Z')).toBe(0);
    expect((await invoicesOf(server.api, subs.ana)).map((i) => i.total)).toEqual(['30', '4']);
    expect((await invoicesOf(server.api, subs.ben)).map((i) => i.total)).toEqual(['30', '4.5']);
    expect((await invoicesOf(server.api, subs.cid)).map((i) => i.total)).toEqual(['30', '4']);
    expect((await invoicesOf(server.api, subs.dee)).map((i) => i.total)).toEqual(['30', '3']);
  });
});
