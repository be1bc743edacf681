// Kavi's company bills from India: his customer record says Asia/Kolkata (UTC+05:30). He subscribes
// on 10 March 2025 (11:30 local) to a calendar-monthly plan of $0.01 per call. His
// months end at local midnight: 1 April 00:00 IST = 31 March 18:30 UTC. A call at 18:29:59 UTC on
// 31 March is March's; one at 18:30:00 UTC is April's.
import { describe, expect, it } from 'vitest';
import { at, billAt, invoicesOf, linesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let sub: any;
let customer: any;
let meter: any;

describe('a customer in Asia/Kolkata on calendar billing', () => {
  it('ends his first period at 1 April 00:00 in Kolkata (31 March 18:30 UTC)', async () => {
    at(server, '2025-03-10T06:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'Calls' });
    const plan = await createPlan(api, { name: 'India' });
    await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.01' }));
    customer = await createCustomer(api, { name: 'Kavi', timezone: 'Asia/Kolkata' });
    sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', billing_cycle: 'calendar', timezone: 'UTC' });
    expect(sub).toMatchObject({ timezone: 'Asia/Kolkata', billing_anchor: '2025-03-31T18:30:00.000Z', current_period_end: '2025-03-31T18:30:00.000Z' });
  });

  it('bills the call at 18:29:59 UTC in March and the one at 18:30 UTC in April', async () => {
    at(server, '2025-03-31T18:40:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-03-31T18:29:59Z', count: 1, prefix: 'march' });
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-03-31T18:30:00Z', count: 1, prefix: 'april' });
    await billAt(server, '2025-03-31T18:30:00Z');
    await billAt(server, '2025-04-30T18:30:00Z');
    const invoices = (await invoicesOf(server.api, sub.id)).filter((i) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    expect(invoices.map((i) => [i.period_start, i.period_end])).toEqual([
      ['2025-03-10T06:00:00.000Z', '2025-03-31T18:30:00.000Z'],
      ['2025-03-31T18:30:00.000Z', '2025-04-30T18:30:00.000Z'], // 1 May 00:00 IST
    ]);
    expect(linesOf(invoices[0])).toEqual([['Calls', '1', '0.01', '2025-03-10T06:00:00.000Z', '2025-03-31T18:30:00.000Z']]);
    expect(linesOf(invoices[1])).toEqual([['Calls', '1', '0.01', '2025-03-31T18:30:00.000Z', '2025-04-30T18:30:00.000Z']]);
  });
});
