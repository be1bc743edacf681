// Wren rents a build farm by the week, paid in arrears on 30-day terms: a $20 weekly fee charged at
// the end of each week, plus $0.10 per build. Wren subscribes on Wednesday 1 January 2025, so each
// week runs Wednesday to Wednesday; nothing is owed on subscribing (the opening invoice is skipped).
// Week 1 has no builds: $20, due 30 days after the week ends (7 February). Week 2 has 45 builds:
// $4.50 + $20 = $24.50, due 14 February. Week 3 has 101 builds, one of them sent at the very
// instant week 4 began (week 4's): 100 × $0.10 + $20 = $30, due 21 February.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let meter: any;
let customer: any;
let subscriptionId = '';

const week = (n: number) => [new Date(Date.UTC(2025, 0, 1 + 7 * (n - 1))).toISOString(), new Date(Date.UTC(2025, 0, 1 + 7 * n)).toISOString()] as const;
const weekly = { billing_period: 'WEEKLY', invoice_cadence: 'ARREAR' };

async function weekInvoice(n: number): Promise<any> {
  const invoices = await invoicesOf(server.api, subscriptionId);
  expect(invoices).toHaveLength(n + 1);
  return invoices[n];
}

describe('a weekly fee and builds in arrears on 30 NET terms', () => {
  it('subscribes Wren on Wednesday 1 January: weekly periods, nothing owed yet', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'Builds' });
    const plan = await createPlan(api, { name: 'Build farm' });
    await createPrice(api, fixedPrice(plan.id, { display_name: 'Farm', amount: '20', ...weekly }));
    await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.10', billing_period: 'WEEKLY' }));
    customer = await createCustomer(api, { name: 'Wren' });
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'WEEKLY', payment_terms: '30 NET' });
    subscriptionId = sub.id;
    expect(sub).toMatchObject({ current_period_start: week(1)[0], current_period_end: week(1)[1], payment_terms: '30 NET' });
    const [opening] = await invoicesOf(api, subscriptionId);
    expect(headlineOf(opening)).toMatchObject({ invoice_status: 'SKIPPED', billing_reason: 'SUBSCRIPTION_CREATE', total: '0', amount_due: '0' });
  });

  it('bills week 1 on 8 January: the $20 fee alone, due 7 February', async () => {
    expect(await billAt(server, '2025-01-08T00:00:00Z')).toBe(1);
    const invoice = await weekInvoice(1);
    expect(linesOf(invoice).sort((a, b) => a[0].localeCompare(b[0]))).toEqual([
      ['Builds', '0', '0', ...week(1)], // no builds
      ['Farm', '1', '20', ...week(1)], //  the week's fee, in arrears
    ]);
    expect(headlineOf(invoice)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CYCLE', period_start: week(1)[0], period_end: week(1)[1], subtotal: '20', total: '20', amount_due: '20' });
    expect(invoice.due_date).toBe('2025-02-07T00:00:00.000Z'); // 8 January + 30 days
  });

  it('bills week 2 on 15 January: 45 builds $4.50 + $20 = $24.50, due 14 February', async () => {
    at(server, '2025-01-14T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-10T09:00:00Z', count: 45, prefix: 'w2' });
    expect(await billAt(server, '2025-01-15T00:00:00Z')).toBe(1);
    const invoice = await weekInvoice(2);
    expect(linesOf(invoice).sort((a, b) => a[0].localeCompare(b[0]))).toEqual([
      ['Builds', '45', '4.5', ...week(2)], // 45 × $0.10
      ['Farm', '1', '20', ...week(2)],
    ]);
    expect(headlineOf(invoice)).toMatchObject({ period_start: week(2)[0], period_end: week(2)[1], subtotal: '24.5', total: '24.5', amount_due: '24.5' });
    expect(invoice.due_date).toBe('2025-02-14T00:00:00.000Z');
  });

  it('bills week 3 on 22 January: 100 builds (the 101st is week 4’s) $10 + $20 = $30, due 21 February', async () => {
    at(server, '2025-01-21T23:59:59Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-15T00:00:00Z', count: 60, prefix: 'w3-first-instant' });
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-21T23:59:59Z', count: 40, prefix: 'w3-last-second' });
    at(server, '2025-01-22T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-22T00:00:00Z', count: 1, prefix: 'w4' });
    expect(await billAt(server, '2025-01-22T00:00:00Z')).toBe(1);
    const invoice = await weekInvoice(3);
    expect(linesOf(invoice).sort((a, b) => a[0].localeCompare(b[0]))).toEqual([
      ['Builds', '100', '10', ...week(3)], // 60 at the week's first instant + 40 in its last second: 100 × $0.10
      ['Farm', '1', '20', ...week(3)],
    ]);
    expect(headlineOf(invoice)).toMatchObject({ period_start: week(3)[0], period_end: week(3)[1], subtotal: '30', total: '30', amount_due: '30' });
    expect(invoice.due_date).toBe('2025-02-21T00:00:00.000Z');
    const sub = await server.api.get(`/v1/subscriptions/${subscriptionId}`);
    expect(sub.body).toMatchObject({ current_period_start: week(4)[0], current_period_end: week(4)[1] });
  });
});
