// Nora's team set up its catalogue on 20 December 2024 and tries its billing on 4 December 2026: their
// test customer Rio lives on a test clock frozen at 1 January 2025 and subscribes to Pro: a $20 platform fee a month in advance and $0.01 per
// API call in arrears, taxed 8.25% (the subscription's tax_rate_overrides). Everything Rio's
// subscription does happens at the clock's time: the opening invoice on 1 January 2025 ($20 + $1.65
// tax), and — when the clock is advanced through the API to 1 February 2025 — the renewal with
// January's 1,200 calls ($12 + $20 + $2.64 tax). The billing worker, which runs at the wall clock's
// time, leaves Rio's subscription alone even though its period ended long before 2026.
import { describe, expect, it } from 'vitest';
import { at, headlineOf, invoicesOf, linesOf, sendEvents, subscribe, subscriptionOf } from '../support/billing.ts';
import { created, createCustomer, createMeter, createPlan, createPrice, createTestClock, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let clock: any;
let customer: any;
let meter: any;
let subscriptionId: string;

describe('a customer on a test clock, taxed 8.25%', () => {
  it('subscribes at the clock’s time: the opening invoice is $20 + $1.65 tax, dated 1 January 2025', async () => {
    at(server, '2024-12-20T00:00:00Z'); // the wall clock: prices take effect when they are created
    const api = server.api;
    await created(api, '/v1/taxes/rates', { name: 'California', code: 'TAX_CA', tax_rate_type: 'percentage', percentage_value: '8.25' });
    meter = await createMeter(api, { name: 'API calls' });
    const plan = await createPlan(api, { name: 'Pro' });
    await createPrice(api, fixedPrice(plan.id, { amount: '20', display_name: 'Platform fee' }));
    await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.01' }));
    at(server, '2026-12-04T09:00:00Z');
    clock = await createTestClock(api, { name: 'Rio', frozen_time: '2025-01-01T00:00:00Z' });
    customer = await createCustomer(api, { name: 'Rio', test_clock_id: clock.id });
    const sub = await subscribe(api, {
      customer_id: customer.id,
      plan_id: plan.id,
      currency: 'usd',
      billing_period: 'MONTHLY',
      tax_rate_overrides: [{ tax_rate_code: 'TAX_CA', currency: 'usd' }],
    });
    subscriptionId = sub.id;
    expect(sub).toMatchObject({ subscription_status: 'active', start_date: '2025-01-01T00:00:00.000Z', current_period_end: '2025-02-01T00:00:00.000Z' });
    expect(headlineOf(sub.latest_invoice)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_CREATE',
      period_start: '2025-01-01T00:00:00.000Z',
      period_end: '2025-02-01T00:00:00.000Z',
      subtotal: '20',
      total_discount: '0',
      total_tax: '1.65', // 20 × 8.25% = 1.65
      total: '21.65', // 20 + 1.65
      amount_due: '21.65',
      invoice_number: 'INV-202501-00001', // finalized on the clock's 1 January 2025
    });
    expect(sub.latest_invoice.finalized_at).toBe('2025-01-01T00:00:00.000Z');
    expect(sub.latest_invoice.taxes.map((t: any) => [t.taxable_amount, t.tax_amount, t.currency])).toEqual([['20', '1.65', 'usd']]);
  });

  it('is not billed by the billing worker, which runs at the wall clock’s time', async () => {
    expect((await server.billing.tick()).processed).toBe(0);
    expect(await invoicesOf(server.api, subscriptionId)).toHaveLength(1);
    expect(await subscriptionOf(server.api, subscriptionId)).toMatchObject({ current_period_end: '2025-02-01T00:00:00.000Z' });
  });

  it('renews when the clock is advanced to 1 February 2025: $12 of calls + $20 fee + $2.64 tax = $34.64', async () => {
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-15T12:00:00Z', count: 1200, prefix: 'jan' });
    const res = await server.api.post(`/v1/test_clocks/${clock.id}/advance`, { frozen_time: '2025-02-01T00:00:00Z' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await server.testClocks.settled();
    expect((await server.api.get(`/v1/test_clocks/${clock.id}`)).body).toMatchObject({ status: 'ready', frozen_time: '2025-02-01T00:00:00.000Z' });
    const [, february] = await invoicesOf(server.api, subscriptionId);
    expect(headlineOf(february)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_CYCLE',
      period_start: '2025-01-01T00:00:00.000Z',
      period_end: '2025-02-01T00:00:00.000Z',
      subtotal: '32', // 1,200 × $0.01 = 12, + 20
      total_discount: '0',
      total_tax: '2.64', // 32 × 8.25% = 2.64
      total: '34.64',
      amount_due: '34.64',
      invoice_number: 'INV-202502-00001',
    });
    expect(linesOf(february)).toEqual([
      ['API calls', '1200', '12', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'],
      ['Platform fee', '1', '20', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'],
    ]);
    expect(february.taxes.map((t: any) => [t.taxable_amount, t.tax_amount])).toEqual([['32', '2.64']]);
    // The invoice.update.finalized webhook carries the same taxes.
    const events = await server.api.get(`/v1/webhooks/events?event_type=invoice.update.finalized&entity_id=${february.id}`);
    expect(events.body.items.map((e: any) => e.payload.invoice.taxes.map((t: any) => t.tax_amount))).toEqual([['2.64']]);
    expect(await subscriptionOf(server.api, subscriptionId)).toMatchObject({ current_period_start: '2025-02-01T00:00:00.000Z', current_period_end: '2025-03-01T00:00:00.000Z' });
  });
});

describe('deleting the clock', () => {
  it('cancels Rio’s subscription at the clock’s time and deletes Rio, in one go', async () => {
    expect((await server.api.delete(`/v1/test_clocks/${clock.id}`)).status).toBe(204);
    expect(await subscriptionOf(server.api, subscriptionId)).toMatchObject({
      subscription_status: 'cancelled',
      cancelled_at: '2025-02-01T00:00:00.000Z',
      end_date: '2025-02-01T00:00:00.000Z',
    });
    expect((await server.api.get(`/v1/customers/${customer.id}`)).status).toBe(404);
    expect((await server.api.get(`/v1/test_clocks/${clock.id}`)).status).toBe(404);
  });
});
