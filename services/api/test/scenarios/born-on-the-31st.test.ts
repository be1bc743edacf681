// Odile subscribes on 31 January 2024 (a leap year) to Pro: $30 a month in advance and $0.01 per
// call in arrears, anniversary billing. Months have no 31st in February and April, so her periods
// end on the last day of those months and return to the 31st when the month has one: 31 January →
// 29 February → 31 March → 30 April → 31 May. Every period is billed the full $30 (no proration:
// they are whole periods, however long). She makes 100 calls in her first period, 250 in the second
// (one of them at 30 March 23:59:59, the period's last second) and 40 in the third.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let meter: any;
let customer: any;
let subscriptionId = '';

const p1 = ['2024-01-31T00:00:00.000Z', '2024-02-29T00:00:00.000Z'] as const;
const p2 = ['2024-02-29T00:00:00.000Z', '2024-03-31T00:00:00.000Z'] as const;
const p3 = ['2024-03-31T00:00:00.000Z', '2024-04-30T00:00:00.000Z'] as const;
const p4 = ['2024-04-30T00:00:00.000Z', '2024-05-31T00:00:00.000Z'] as const;
const byName = (invoice: any) => linesOf(invoice).sort((a, b) => a[0].localeCompare(b[0]));

describe('a subscription born on the 31st', () => {
  it('bills $30 for 31 January → 29 February on subscribing', async () => {
    at(server, '2024-01-31T00:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'Calls' });
    const plan = await createPlan(api, { name: 'Pro' });
    await createPrice(api, fixedPrice(plan.id, { amount: '30', display_name: 'Pro' }));
    await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.01' }));
    customer = await createCustomer(api, { name: 'Odile' });
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    subscriptionId = sub.id;
    expect(sub).toMatchObject({ billing_anchor: p1[0], current_period_start: p1[0], current_period_end: p1[1] });
    const [opening] = await invoicesOf(api, subscriptionId);
    expect(byName(opening)).toEqual([['Pro', '1', '30', ...p1]]);
    expect(headlineOf(opening)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CREATE', total: '30', amount_due: '30' });
  });

  it('on 29 February: 100 calls $1 + $30 for 29 February → 31 March (back on the 31st)', async () => {
    at(server, '2024-02-20T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2024-02-10T00:00:00Z', count: 100, prefix: 'p1' });
    expect(await billAt(server, '2024-02-29T00:00:00Z')).toBe(1);
    const [, invoice] = await invoicesOf(server.api, subscriptionId);
    expect(byName(invoice)).toEqual([
      ['Calls', '100', '1', ...p1], // 100 × $0.01
      ['Pro', '1', '30', ...p2], //    a whole period: $30, though it is 31 days long
    ]);
    expect(headlineOf(invoice)).toMatchObject({ period_start: p1[0], period_end: p1[1], subtotal: '31', total: '31', amount_due: '31' });
    expect(await subscriptionOf(server.api, subscriptionId)).toMatchObject({ current_period_start: p2[0], current_period_end: p2[1], billing_anchor: p1[0] });
  });

  it('on 31 March: 250 calls $2.50 + $30 for 31 March → 30 April', async () => {
    at(server, '2024-03-30T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2024-02-29T00:00:00Z', count: 249, prefix: 'p2' });
    at(server, '2024-03-31T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2024-03-30T23:59:59Z', count: 1, prefix: 'p2-last-second' });
    expect(await billAt(server, '2024-03-31T00:00:00Z')).toBe(1);
    const invoices = await invoicesOf(server.api, subscriptionId);
    expect(byName(invoices[2])).toEqual([
      ['Calls', '250', '2.5', ...p2], // 249 at the period's first instant + 1 in its last second: 250 × $0.01
      ['Pro', '1', '30', ...p3], //     30 days, still $30
    ]);
    expect(headlineOf(invoices[2])).toMatchObject({ period_start: p2[0], period_end: p2[1], subtotal: '32.5', total: '32.5' });
  });

  it('on 30 April: 40 calls $0.40 + $30 for 30 April → 31 May', async () => {
    at(server, '2024-04-29T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2024-04-01T00:00:00Z', count: 40, prefix: 'p3' });
    expect(await billAt(server, '2024-04-30T00:00:00Z')).toBe(1);
    const invoices = await invoicesOf(server.api, subscriptionId);
    expect(invoices).toHaveLength(4);
    expect(byName(invoices[3])).toEqual([
      ['Calls', '40', '0.4', ...p3],
      ['Pro', '1', '30', ...p4],
    ]);
    expect(headlineOf(invoices[3])).toMatchObject({ subtotal: '30.4', total: '30.4', amount_due: '30.4' });
    expect(await subscriptionOf(server.api, subscriptionId)).toMatchObject({ current_period_start: p4[0], current_period_end: p4[1] });
  });
});
