// Quinn subscribes on 1 May to Studio, a $20.00 monthly fee in advance, with `collection_method:
// send_invoice` and `payment_behavior: default_incomplete`: the subscription is `incomplete` until its
// $20.00 opening invoice is paid. Quinn pays by bank transfer in two parts, recorded as OFFLINE
// payments: $7.50 on 3 May, then $12.50 on 9 May (a slip of $12.51 is refused: more than remains).
// After the first the invoice is partly paid and the subscription still incomplete; after the second
// the invoice is paid and the subscription active. A third payment, of anything, is refused: nothing
// remains to pay.
import { describe, expect, it } from 'vitest';
import { at, subscribe, subscriptionOf } from '../support/billing.ts';
import { count, createCustomer, createPlan, createPrice, expectRefused, fixedPrice, useTestServer, withArchived } from '../support/fixtures.ts';

const server = useTestServer();
let sub: any;
let invoiceId: string;

const invoice = async () => (await server.api.get(`/v1/invoices/${invoiceId}`)).body;
const payOffline = async (amount: string) => {
  const res = await server.api.post('/v1/payments', { amount, currency: 'usd', destination_type: 'INVOICE', destination_id: invoiceId, payment_method_type: 'OFFLINE' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

describe('an incomplete subscription paid by two offline payments', () => {
  it('opens Quinn’s subscription incomplete, with a $20.00 opening invoice to pay', async () => {
    at(server, '2025-05-01T00:00:00Z');
    const plan = await createPlan(server.api, { name: 'Studio' });
    await createPrice(server.api, fixedPrice(plan.id, { amount: '20.00' }));
    sub = await subscribe(server.api, {
      customer_id: (await createCustomer(server.api, { name: 'Quinn' })).id,
      plan_id: plan.id,
      currency: 'usd',
      billing_period: 'MONTHLY',
      collection_method: 'send_invoice',
      payment_behavior: 'default_incomplete',
    });
    expect(sub).toMatchObject({ subscription_status: 'incomplete', collection_method: 'send_invoice', payment_behavior: 'default_incomplete' });
    invoiceId = sub.latest_invoice.id;
    expect(await invoice()).toMatchObject({
      invoice_status: 'FINALIZED',
      billing_reason: 'SUBSCRIPTION_CREATE',
      total: '20', //            1 × $20.00, May in advance
      amount_due: '20',
      amount_paid: '0',
      amount_remaining: '20',
      payment_status: 'PENDING',
    });
  });

  it('records $7.50 on 3 May: $12.50 remains, the invoice PENDING, the subscription still incomplete', async () => {
    at(server, '2025-05-03T10:00:00Z');
    const first = await payOffline('7.50');
    expect(first).toMatchObject({ amount: '7.5', payment_status: 'SUCCEEDED', succeeded_at: '2025-05-03T10:00:00.000Z' });
    expect(await invoice()).toMatchObject({
      amount_paid: '7.5', //       $7.50
      amount_remaining: '12.5', // $20.00 − $7.50 = $12.50
      payment_status: 'PENDING',
    });
    expect((await subscriptionOf(server.api, sub.id)).subscription_status).toBe('incomplete');
  });

  it('records $12.50 on 9 May: the invoice is paid and the subscription active', async () => {
    at(server, '2025-05-09T15:30:00Z');
    const tooMuch = await server.api.post('/v1/payments', { amount: '12.51', currency: 'usd', destination_type: 'INVOICE', destination_id: invoiceId, payment_method_type: 'OFFLINE' });
    expect(tooMuch.body.details).toEqual({ amount: "exceeds the invoice's amount_remaining (12.5 usd)" }); // $12.51 > $20.00 − $7.50
    const second = await payOffline('12.50');
    expect(second).toMatchObject({ amount: '12.5', payment_status: 'SUCCEEDED', invoice_number: (await invoice()).invoice_number });
    expect(await invoice()).toMatchObject({
      amount_paid: '20', //      $7.50 + $12.50 = $20.00
      amount_remaining: '0', //  $20.00 − $20.00
      payment_status: 'SUCCEEDED',
      paid_at: '2025-05-09T15:30:00.000Z',
    });
    expect((await subscriptionOf(server.api, sub.id)).subscription_status).toBe('active');
  });

  it('refuses a third payment: nothing remains to pay', async () => {
    const written = async () => ({ payments: await count(server.api, '/v1/payments', withArchived), invoice: await invoice() });
    const refusal = await expectRefused(
      server.api,
      { path: '/v1/payments', body: { amount: '0.01', currency: 'usd', destination_type: 'INVOICE', destination_id: invoiceId, payment_method_type: 'OFFLINE' } },
      { fields: ['destination_id'] },
      written,
    );
    expect(refusal.details).toEqual({ destination_id: `invoice ${invoiceId} is already paid (payment status SUCCEEDED)` });
    const payments = (await server.api.get(`/v1/payments?destination_id=${invoiceId}&order=asc`)).body.items;
    expect(payments.map((p: any) => [p.amount, p.payment_status])).toEqual([
      ['7.5', 'SUCCEEDED'],
      ['12.5', 'SUCCEEDED'],
    ]);
  });
});
