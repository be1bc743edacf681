// Cara and Ivo subscribe on 1 January 2025 to Starter: $20 a month in advance plus $0.01 per call in
// arrears. Each makes 500 calls in January: the 1 February invoices bill $5 + February's $20 = $25.
// On 10 February both cancel. Cara sets `cancel_at` to the end of her current period (1 March): the
// 1 March renewal bills her 200 February calls, $2, and no March fee, then cancels her. Ivo sets
// `cancel_at` to 15 February, inside the period: he is cancelled then, and — as documented — his
// February calls are never billed. Nothing is billed to either afterwards, calls or not.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
type Who = 'cara' | 'ivo';
const customers: Record<Who, any> = { cara: undefined, ivo: undefined };
const subs: Record<Who, string> = { cara: '', ivo: '' };
let meter: any;

const january = ['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'] as const;
const february = ['2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'] as const;

const send = (who: Who, timestamp: string, count: number, prefix: string) =>
  sendEvents(server.api, { eventName: meter.event_name, customer: customers[who].external_id, timestamp, count, prefix: `${prefix}-${who}` });

describe('cancelling at the period’s end and inside it', () => {
  it('opens both subscriptions on 1 January with January’s $20', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const api = server.api;
    meter = await createMeter(api, { name: 'API calls' });
    const plan = await createPlan(api, { name: 'Starter' });
    await createPrice(api, fixedPrice(plan.id, { amount: '20', display_name: 'Starter fee' }));
    await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.01' }));
    for (const who of ['cara', 'ivo'] as const) {
      customers[who] = await createCustomer(api, { name: who });
      const sub = await subscribe(api, { customer_id: customers[who].id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
      subs[who] = sub.id;
      expect(linesOf(sub.latest_invoice)).toEqual([['Starter fee', '1', '20', ...january]]);
      expect(headlineOf(sub.latest_invoice)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CREATE', subtotal: '20', total: '20', amount_due: '20' });
    }
  });

  it('bills 500 January calls and February’s fee on 1 February: $5 + $20 = $25 each', async () => {
    at(server, '2025-01-31T00:00:00Z');
    await send('cara', '2025-01-20T00:00:00Z', 500, 'jan');
    await send('ivo', '2025-01-20T00:00:00Z', 500, 'jan');
    expect(await billAt(server, '2025-02-01T00:00:00Z')).toBe(2);
    for (const who of ['cara', 'ivo'] as const) {
      const [, feb] = await invoicesOf(server.api, subs[who]);
      expect(linesOf(feb)).toEqual([
        ['API calls', '500', '5', ...january], // 500 × $0.01
        ['Starter fee', '1', '20', ...february], // February in advance
      ]);
      expect(headlineOf(feb)).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CYCLE', subtotal: '25', total: '25', amount_due: '25' });
    }
  });

  it('takes both cancellations on 10 February without an invoice', async () => {
    at(server, '2025-02-10T00:00:00Z');
    await send('cara', '2025-02-05T00:00:00Z', 200, 'feb');
    await send('ivo', '2025-02-05T00:00:00Z', 200, 'feb');
    const cara = await server.api.put(`/v1/subscriptions/${subs.cara}`, { cancel_at: '2025-03-01T00:00:00Z' });
    expect(cara.status, JSON.stringify(cara.body)).toBe(200);
    expect(cara.body).toMatchObject({ subscription_status: 'active', cancel_at: '2025-03-01T00:00:00.000Z', end_date: '2025-03-01T00:00:00.000Z' });
    const ivo = await server.api.put(`/v1/subscriptions/${subs.ivo}`, { cancel_at: '2025-02-15T00:00:00Z' });
    expect(ivo.status, JSON.stringify(ivo.body)).toBe(200);
    expect(ivo.body).toMatchObject({ subscription_status: 'active', cancel_at: '2025-02-15T00:00:00.000Z', end_date: '2025-02-15T00:00:00.000Z' });
    for (const who of ['cara', 'ivo'] as const) expect(await invoicesOf(server.api, subs[who])).toHaveLength(2);
  });

  it('cancels Ivo on 15 February with nothing billed for his 200 February calls', async () => {
    expect(await billAt(server, '2025-02-15T00:00:00Z')).toBe(1); // one cancellation
    expect(await subscriptionOf(server.api, subs.ivo)).toMatchObject({ subscription_status: 'cancelled', end_date: '2025-02-15T00:00:00.000Z', cancelled_at: '2025-02-15T00:00:00.000Z' });
    expect(await subscriptionOf(server.api, subs.cara)).toMatchObject({ subscription_status: 'active' });
    expect(await invoicesOf(server.api, subs.ivo)).toHaveLength(2);
  });

  it('bills Cara’s 200 February calls on 1 March, $2 and no March fee, and cancels her', async () => {
    expect(await billAt(server, '2025-03-01T00:00:00Z')).toBe(1); // her last renewal, finalized in the same item
    const invoices = await invoicesOf(server.api, subs.cara);
    expect(invoices).toHaveLength(3);
    expect(linesOf(invoices[2])).toEqual([['API calls', '200', '2', ...february]]); // 200 × $0.01; no fee for March
    expect(headlineOf(invoices[2])).toMatchObject({ invoice_status: 'FINALIZED', billing_reason: 'SUBSCRIPTION_CYCLE', subtotal: '2', total: '2', amount_due: '2' });
    expect(await subscriptionOf(server.api, subs.cara)).toMatchObject({ subscription_status: 'cancelled', end_date: '2025-03-01T00:00:00.000Z' });
    expect(await invoicesOf(server.api, subs.ivo)).toHaveLength(2);
  });

  it('bills neither again: March calls and a run on 1 April change nothing', async () => {
    at(server, '2025-03-20T00:00:00Z');
    await send('cara', '2025-03-10T00:00:00Z', 300, 'mar');
    await send('ivo', '2025-03-10T00:00:00Z', 300, 'mar');
    expect(await billAt(server, '2025-04-01T00:00:00Z')).toBe(0);
    expect((await invoicesOf(server.api, subs.cara)).map((i) => i.total)).toEqual(['20', '25', '2']);
    expect((await invoicesOf(server.api, subs.ivo)).map((i) => i.total)).toEqual(['20', '25']);
  });
});
