// Acme subscribes on 1 January 2025 to Pro: a $20 platform fee a month in advance and $0.01 per API
// call in arrears. In January they make 3,000 calls. They pay $20 on subscribing; the 1 February
// invoice bills January's calls ($30) and February's fee ($20): $50. One call made exactly at
// 1 February 00:00 belongs to February and waits for the 1 March invoice.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let subscriptionId: string;
let customer: any;
let meter: any;

describe('a $20 platform fee and $0.01 per call', () => {
  it('bills the first month’s fee on subscribing: $20', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'API calls' });
    const plan = await createPlan(api, { name: 'Pro' });
    await createPrice(api, fixedPrice(plan.id, { amount: '20', display_name: 'Platform fee' }));
    await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.01' }));
    customer = await createCustomer(api, { name: 'Acme' });
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    subscriptionId = sub.id;
    expect(sub).toMatchObject({ subscription_status: 'active', current_period_start: '2025-01-01T00:00:00.000Z', current_period_end: '2025-02-01T00:00:00.000Z' });
    expect(headlineOf(sub.latest_invoice)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_CREATE',
      period_start: '2025-01-01T00:00:00.000Z',
      period_end: '2025-02-01T00:00:00.000Z',
      subtotal: '20',
      total_discount: '0',
      total_tax: '0',
      total: '20', // the fee for January, in advance; no usage on the opening invoice
      amount_due: '20',
      invoice_number: 'INV-202501-00001',
    });
    expect(linesOf(sub.latest_invoice)).toEqual([['Platform fee', '1', '20', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z']]);
  });

  it('bills January’s 3,000 calls and February’s fee on 1 February: $30 + $20 = $50', async () => {
    at(server, '2025-01-31T23:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-15T12:00:00Z', count: 2999, prefix: 'jan' });
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-01T00:00:00Z', count: 1, prefix: 'first' });
    at(server, '2025-02-01T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-02-01T00:00:00Z', count: 1, prefix: 'feb' });
    expect(await billAt(server, '2025-02-01T00:00:00Z')).toBe(1); // one renewal, finalizing its invoice
    const [, february] = await invoicesOf(server.api, subscriptionId);
    expect(headlineOf(february)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_CYCLE',
      period_start: '2025-01-01T00:00:00.000Z',
      period_end: '2025-02-01T00:00:00.000Z',
      subtotal: '50', // 30 + 20
      total_discount: '0',
      total_tax: '0',
      total: '50',
      amount_due: '50',
      invoice_number: 'INV-202502-00001',
    });
    expect(linesOf(february)).toEqual([
      ['API calls', '3000', '30', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'], // 3,000 × $0.01, January in arrears
      ['Platform fee', '1', '20', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'], // February in advance
    ]);
    expect(february).toMatchObject({ billing_sequence: 2, due_date: '2025-02-02T00:00:00.000Z' }); // no payment terms: 1 day after the period
    expect(await subscriptionOf(server.api, subscriptionId)).toMatchObject({ current_period_start: '2025-02-01T00:00:00.000Z', current_period_end: '2025-03-01T00:00:00.000Z' });
  });

  it('bills the call made at 1 February 00:00 on the 1 March invoice: $0.01 + $20', async () => {
    expect(await billAt(server, '2025-03-01T00:00:00Z')).toBe(1);
    const invoices = await invoicesOf(server.api, subscriptionId);
    expect(invoices).toHaveLength(3);
    expect(linesOf(invoices[2])).toEqual([
      ['API calls', '1', '0.01', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'], // 1 × $0.01
      ['Platform fee', '1', '20', '2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z'],
    ]);
    expect(headlineOf(invoices[2])).toMatchObject({ subtotal: '20.01', total: '20.01', invoice_number: 'INV-202503-00001' });
  });

  it('running the bill run again at the same instant bills nothing twice', async () => {
    expect(await billAt(server, '2025-03-01T00:00:00Z')).toBe(0);
    expect(await invoicesOf(server.api, subscriptionId)).toHaveLength(3);
  });
});
