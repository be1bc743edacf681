// Oli subscribes on 1 March to a $50 monthly plan with `payment_behavior: allow_incomplete`: his
// subscription is `incomplete` until the opening invoice is paid, and incomplete subscriptions are not
// renewed. He pays part ($20, PENDING), then the rest (SUCCEEDED): the subscription becomes `active`
// and the bill run renews it from then on. Pia, on `send_invoice` with `default_incomplete` and a
// plan with nothing to pay up front, is `active` at once.
import { describe, expect, it } from 'vitest';
import { at, billAt, invoicesOf, subscribe, subscriptionOf } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let oli: any;

describe('an incomplete subscription activated by payment', () => {
  it('leaves Oli incomplete with his $50 opening invoice pending', async () => {
    at(server, '2025-03-01T00:00:00Z');
    const plan = await createPlan(server.api, { name: 'Plus' });
    await createPrice(server.api, fixedPrice(plan.id, { amount: '50' }));
    oli = await subscribe(server.api, {
      customer_id: (await createCustomer(server.api, { name: 'Oli' })).id,
      plan_id: plan.id,
      currency: 'usd',
      billing_period: 'MONTHLY',
      payment_behavior: 'allow_incomplete',
      payment_terms: '15 NET',
    });
    expect(oli).toMatchObject({ subscription_status: 'incomplete', payment_behavior: 'allow_incomplete', payment_terms: '15 NET' });
    expect(oli.latest_invoice).toMatchObject({ total: '50', payment_status: 'PENDING', due_date: '2025-04-16T00:00:00.000Z' }); // period end (1 Apr) + 15 days
  });

  it('is not renewed while incomplete', async () => {
    expect(await billAt(server, '2025-04-01T00:00:00Z')).toBe(0);
    expect(await invoicesOf(server.api, oli.id)).toHaveLength(1);
  });

  it('stays incomplete after a partial payment of $20; becomes active when the rest is paid', async () => {
    const invoice = oli.latest_invoice;
    const partial = await server.api.put(`/v1/invoices/${invoice.id}/payment`, { payment_status: 'PENDING', amount: '20' });
    expect(partial.body).toMatchObject({ payment_status: 'PENDING', amount_paid: '20', amount_remaining: '30' }); // 50 − 20
    expect((await subscriptionOf(server.api, oli.id)).subscription_status).toBe('incomplete');
    const paid = await server.api.put(`/v1/invoices/${invoice.id}/payment`, { payment_status: 'SUCCEEDED' });
    expect(paid.body).toMatchObject({ payment_status: 'SUCCEEDED', amount_paid: '50', amount_remaining: '0', paid_at: '2025-04-01T00:00:00.000Z' });
    expect((await subscriptionOf(server.api, oli.id)).subscription_status).toBe('active');
  });

  it('is renewed once active: the missed 1 April renewal is made on the next run', async () => {
    await billAt(server, '2025-04-01T00:00:00Z');
    const invoices = await invoicesOf(server.api, oli.id);
    expect(invoices.map((i) => [i.billing_reason, i.period_start, i.total])).toEqual([
      ['SUBSCRIPTION_CREATE', '2025-03-01T00:00:00.000Z', '50'],
      ['SUBSCRIPTION_CYCLE', '2025-03-01T00:00:00.000Z', '50'], // April's $50 in advance
    ]);
  });

  it('makes Pia active at once when nothing is due up front, even with default_incomplete', async () => {
    const meter = await createMeter(server.api);
    const plan = await createPlan(server.api, { name: 'Metered' });
    await createPrice(server.api, usagePrice(plan.id, meter.id));
    const pia = await subscribe(server.api, {
      customer_id: (await createCustomer(server.api, { name: 'Pia' })).id,
      plan_id: plan.id,
      currency: 'usd',
      billing_period: 'MONTHLY',
      collection_method: 'send_invoice',
      payment_behavior: 'default_incomplete',
    });
    expect(pia).toMatchObject({ subscription_status: 'active', collection_method: 'send_invoice' });
    expect(pia.latest_invoice).toBeUndefined(); // the opening invoice was SKIPPED
  });
});
