// Fay subscribes on 1 January to Starter: $30 a month in advance with a 14-day trial, and $0.01 per
// call. Her trial runs 1–15 January and costs nothing (a $0 trial-start invoice); the 100 calls she
// makes in it are never billed. On 15 January the trial ends: her periods now run from the 15th, an
// invoice of $30 for 15 January – 15 February is raised and she is `incomplete` until she pays it.
// She pays; she is `active`. On 15 February she is billed the 200 calls of her first paid period ($2)
// and the next period's $30. Gus, on the same plan with `trial_period_days: 0`, has no trial.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let fay: any;
let meter: any;
let plan: any;

describe('a 14-day trial, then a paid subscription', () => {
  it('starts Fay’s trial on 1 January with a $0 trial-start invoice; the trial comes from the plan’s price', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'Calls' });
    plan = await createPlan(api, { name: 'Starter' });
    await createPrice(api, fixedPrice(plan.id, { amount: '30', trial_period_days: 14 }));
    await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.01' }));
    const customer = await createCustomer(api, { name: 'Fay' });
    fay = { ...(await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' })), customer };
    expect(fay).toMatchObject({
      subscription_status: 'trialing',
      trial_start: '2025-01-01T00:00:00.000Z',
      trial_end: '2025-01-15T00:00:00.000Z',
      current_period_start: '2025-01-01T00:00:00.000Z',
      current_period_end: '2025-01-15T00:00:00.000Z',
    });
    expect(headlineOf(fay.latest_invoice)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'SUCCEEDED', // nothing to pay
      billing_reason: 'SUBSCRIPTION_TRIAL_START',
      period_start: '2025-01-01T00:00:00.000Z',
      period_end: '2025-01-15T00:00:00.000Z',
      subtotal: '0',
      total_discount: '0',
      total_tax: '0',
      total: '0',
      amount_due: '0',
      invoice_number: 'INV-202501-00001',
    });
    expect(linesOf(fay.latest_invoice)).toEqual([['Starter', '1', '0', '2025-01-01T00:00:00.000Z', '2025-01-15T00:00:00.000Z']]); // the fee, at 0 in the trial
  });

  it('gives Gus no trial when he asks for 0 days: active, $30 at once', async () => {
    const customer = await createCustomer(server.api, { name: 'Gus' });
    const gus = await subscribe(server.api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', trial_period_days: 0 });
    expect(gus).toMatchObject({ subscription_status: 'active', trial_start: null, trial_end: null, current_period_end: '2025-02-01T00:00:00.000Z' });
    expect(gus.latest_invoice).toMatchObject({ billing_reason: 'SUBSCRIPTION_CREATE', total: '30', invoice_number: 'INV-202501-00002' });
  });

  it('ends the trial on 15 January: anchor moved, $30 for 15 Jan – 15 Feb, incomplete until paid; trial usage not billed', async () => {
    at(server, '2025-01-14T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: fay.customer.external_id, timestamp: '2025-01-05T00:00:00Z', count: 100, prefix: 'trial' });
    await billAt(server, '2025-01-15T00:00:00Z');
    expect(await subscriptionOf(server.api, fay.id)).toMatchObject({
      subscription_status: 'incomplete',
      billing_anchor: '2025-01-15T00:00:00.000Z',
      current_period_start: '2025-01-15T00:00:00.000Z',
      current_period_end: '2025-02-15T00:00:00.000Z',
    });
    const invoices = await invoicesOf(server.api, fay.id);
    expect(invoices.map((i) => i.billing_reason)).toEqual(['SUBSCRIPTION_TRIAL_START', 'SUBSCRIPTION_TRIAL_END']);
    expect(headlineOf(invoices[1])).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_TRIAL_END',
      period_start: '2025-01-15T00:00:00.000Z',
      period_end: '2025-02-15T00:00:00.000Z',
      subtotal: '30',
      total_discount: '0',
      total_tax: '0',
      total: '30',
      amount_due: '30',
      invoice_number: 'INV-202501-00003',
    });
    expect(linesOf(invoices[1])).toEqual([['Starter', '1', '30', '2025-01-15T00:00:00.000Z', '2025-02-15T00:00:00.000Z']]);
  });

  it('activates Fay when she pays the trial-end invoice', async () => {
    const [, trialEnd] = await invoicesOf(server.api, fay.id);
    const paid = await server.api.put(`/v1/invoices/${trialEnd.id}/payment`, { payment_status: 'SUCCEEDED' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect(paid.body).toMatchObject({ payment_status: 'SUCCEEDED', amount_paid: '30', amount_remaining: '0', paid_at: '2025-01-15T00:00:00.000Z' });
    expect((await subscriptionOf(server.api, fay.id)).subscription_status).toBe('active');
  });

  it('bills her first paid period’s 200 calls and the next $30 on 15 February: $2 + $30', async () => {
    // Gus renews on 1 February (a run of its own, so his invoice is numbered first whatever runs side by side).
    expect(await billAt(server, '2025-02-01T00:00:00Z')).toBe(1);
    at(server, '2025-02-14T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: fay.customer.external_id, timestamp: '2025-01-20T00:00:00Z', count: 200, prefix: 'paid' });
    await billAt(server, '2025-02-15T00:00:00Z');
    const invoices = await invoicesOf(server.api, fay.id);
    expect(linesOf(invoices[2])).toEqual([
      ['Calls', '200', '2', '2025-01-15T00:00:00.000Z', '2025-02-15T00:00:00.000Z'], // 200 × $0.01; the trial's 100 calls are not in this window
      ['Starter', '1', '30', '2025-02-15T00:00:00.000Z', '2025-03-15T00:00:00.000Z'],
    ]);
    expect(headlineOf(invoices[2])).toMatchObject({ billing_reason: 'SUBSCRIPTION_CYCLE', total: '32', invoice_number: 'INV-202502-00002' }); // Gus's renewal on 1 Feb took 00001
  });
});
