// Sam subscribes on 1 April to Team, $100.00 a month in advance; the opening invoice of $100.00 is not
// paid yet. On 3 April the seller finds a billing error and issues a credit note of $40.00: the invoice
// is unpaid, so the note is an ADJUSTMENT — Sam now owes $60.00 (amount_due and amount_remaining), and
// no money moves to a wallet. A payment of $60.01 on 5 April is refused (more than remains); Sam pays
// $60.00 and the invoice is SUCCEEDED.
import { describe, expect, it } from 'vitest';
import { at, subscribe } from '../support/billing.ts';
import { createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let customerId: string;
let invoiceId: string;

const amounts = async () => {
  const i = (await server.api.get(`/v1/invoices/${invoiceId}`)).body;
  return { total: i.total, amount_due: i.amount_due, amount_paid: i.amount_paid, amount_remaining: i.amount_remaining, refunded_amount: i.refunded_amount, adjustment_amount: i.adjustment_amount, payment_status: i.payment_status };
};
const pay = (amount: string) => server.api.post('/v1/payments', { amount, currency: 'usd', destination_type: 'INVOICE', destination_id: invoiceId, payment_method_type: 'OFFLINE' });

describe('an unpaid invoice adjusted by a credit note, then paid', () => {
  it('bills Sam $100.00 on 1 April, unpaid', async () => {
    at(server, '2025-04-01T00:00:00Z');
    const plan = await createPlan(server.api, { name: 'Team' });
    await createPrice(server.api, fixedPrice(plan.id, { amount: '100.00' }));
    customerId = (await createCustomer(server.api, { name: 'Sam' })).id;
    const sub = await subscribe(server.api, { customer_id: customerId, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    invoiceId = sub.latest_invoice.id;
    expect(await amounts()).toEqual({
      total: '100', //             1 × $100.00, April in advance
      amount_due: '100',
      amount_paid: '0',
      amount_remaining: '100',
      refunded_amount: '0',
      adjustment_amount: '0',
      payment_status: 'PENDING',
    });
  });

  it('adjusts $40.00 off on 3 April: Sam owes $60.00, no wallet is touched', async () => {
    at(server, '2025-04-03T11:00:00Z');
    const lineId = (await server.api.get(`/v1/invoices/${invoiceId}`)).body.line_items[0].id;
    const res = await server.api.post('/v1/creditnotes', { invoice_id: invoiceId, reason: 'BILLING_ERROR', memo: 'Seats billed twice', line_items: [{ invoice_line_item_id: lineId, amount: '40.00' }] });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ credit_note_number: 'CN-00001', credit_note_type: 'ADJUSTMENT', credit_note_status: 'FINALIZED', total_amount: '40', memo: 'Seats billed twice' });
    expect(await amounts()).toEqual({
      total: '100', //             the invoice's total stays what was billed
      amount_due: '60', //         100 − 40 adjusted
      amount_paid: '0',
      amount_remaining: '60', //   max(60 − 0, 0)
      refunded_amount: '0',
      adjustment_amount: '40',
      payment_status: 'PENDING',
    });
    expect((await server.api.get(`/v1/customers/${customerId}/wallets`)).body).toEqual([]);
  });

  it('refuses $60.01 and takes $60.00 on 5 April: the invoice is paid', async () => {
    at(server, '2025-04-05T16:45:00Z');
    const tooMuch = await pay('60.01');
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.details).toEqual({ amount: "exceeds the invoice's amount_remaining (60 usd)" }); // $60.01 > $100 − $40
    const payment = await pay('60.00');
    expect(payment.status, JSON.stringify(payment.body)).toBe(201);
    expect(await amounts()).toEqual({
      total: '100',
      amount_due: '60',
      amount_paid: '60',
      amount_remaining: '0', //    60 − 60
      refunded_amount: '0',
      adjustment_amount: '40',
      payment_status: 'SUCCEEDED',
    });
    expect((await server.api.get(`/v1/invoices/${invoiceId}`)).body.paid_at).toBe('2025-04-05T16:45:00.000Z');
    expect((await server.api.get(`/v1/customers/${customerId}/wallets`)).body).toEqual([]);
  });
});
