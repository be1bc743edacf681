// Lea subscribes on 1 January to a $10 monthly plan with $0.01 per call. The bill run does not run
// for three months (the server was down). When it runs again on 1 April 12:00 it catches up one
// invoice per missed period — January's, February's and March's — each with that month's calls and
// the next month's fee, exactly once however often the run is repeated. They are finalized when the
// run does it — on 1 April — so they are numbered in April, in period order (a number is never
// backdated into a month whose numbers may already be issued).
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let sub: any;

describe('three missed periods caught up', () => {
  it('catches up January, February and March on 1 April, one invoice each', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    const meter = await createMeter(api, { name: 'Calls' });
    const plan = await createPlan(api, { name: 'Basic' });
    await createPrice(api, fixedPrice(plan.id, { amount: '10' }));
    await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.01' }));
    const customer = await createCustomer(api, { name: 'Lea' });
    sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    at(server, '2025-04-01T12:00:00Z');
    for (const [month, count] of [['01', 100], ['02', 200], ['03', 300]] as const) {
      await sendEvents(api, { eventName: meter.event_name, customer: customer.external_id, timestamp: `2025-${month}-10T00:00:00Z`, count, prefix: `m${month}` });
    }
    expect(await billAt(server, '2025-04-01T12:00:00Z')).toBe(3); // three renewals, each finalizing its invoice
    const invoices = await invoicesOf(server.api, sub.id);
    expect(invoices.map(headlineOf)).toEqual([
      { invoice_status: 'FINALIZED', payment_status: 'PENDING', billing_reason: 'SUBSCRIPTION_CREATE', period_start: '2025-01-01T00:00:00.000Z', period_end: '2025-02-01T00:00:00.000Z', subtotal: '10', total_discount: '0', total_tax: '0', total: '10', amount_due: '10', invoice_number: 'INV-202501-00001' },
      { invoice_status: 'FINALIZED', payment_status: 'PENDING', billing_reason: 'SUBSCRIPTION_CYCLE', period_start: '2025-01-01T00:00:00.000Z', period_end: '2025-02-01T00:00:00.000Z', subtotal: '11', total_discount: '0', total_tax: '0', total: '11', amount_due: '11', invoice_number: 'INV-202504-00001' }, // 100 × $0.01 + $10
      { invoice_status: 'FINALIZED', payment_status: 'PENDING', billing_reason: 'SUBSCRIPTION_CYCLE', period_start: '2025-02-01T00:00:00.000Z', period_end: '2025-03-01T00:00:00.000Z', subtotal: '12', total_discount: '0', total_tax: '0', total: '12', amount_due: '12', invoice_number: 'INV-202504-00002' }, // 200 × $0.01 + $10
      { invoice_status: 'FINALIZED', payment_status: 'PENDING', billing_reason: 'SUBSCRIPTION_CYCLE', period_start: '2025-03-01T00:00:00.000Z', period_end: '2025-04-01T00:00:00.000Z', subtotal: '13', total_discount: '0', total_tax: '0', total: '13', amount_due: '13', invoice_number: 'INV-202504-00003' }, // 300 × $0.01 + $10
    ]);
    expect(linesOf(invoices[3])).toEqual([
      ['Calls', '300', '3', '2025-03-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z'],
      ['Basic', '1', '10', '2025-04-01T00:00:00.000Z', '2025-05-01T00:00:00.000Z'],
    ]);
    expect(invoices.map((i) => i.billing_sequence)).toEqual([1, 2, 3, 4]);
    expect(await subscriptionOf(server.api, sub.id)).toMatchObject({ current_period_start: '2025-04-01T00:00:00.000Z', current_period_end: '2025-05-01T00:00:00.000Z' });
  });

  it('bills nothing more when the run is repeated', async () => {
    expect(await billAt(server, '2025-04-01T12:00:00Z')).toBe(0);
    expect(await invoicesOf(server.api, sub.id)).toHaveLength(4);
  });
});
