// Tally here finalizes period-end invoices an hour after the period ends
// (TALLY_INVOICE_FINALIZATION_DELAY_SECONDS=3600), so late usage still counts. Uma subscribes on
// 1 January to $10 a month and $0.01 per call. On 1 February 00:00 the bill run drafts her invoice:
// 500 January calls ($5) + February's $10 = $15. At 00:30 200 more January calls arrive late; she
// recalculates the draft without finalizing it: $17. At 01:00 the bill run finalizes it (computing it
// once more: still $17) and numbers it. She then voids her unpaid opening invoice, and the February
// one after paying it: the $17 she paid goes back to her as 17 credits in a new prepaid wallet.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, linesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer({ TALLY_INVOICE_FINALIZATION_DELAY_SECONDS: '3600' });
let sub: any;
let customer: any;
let meter: any;

describe('a draft recalculated with late usage, then voiding', () => {
  it('drafts January’s invoice at 1 February 00:00 without a number: $5 + $10 = $15', async () => {
    at(server, '2025-01-01T00:00:00Z');
    meter = await createMeter(server.api, { name: 'Calls' });
    const plan = await createPlan(server.api, { name: 'Pay as you go' });
    await createPrice(server.api, fixedPrice(plan.id, { amount: '10' }));
    await createPrice(server.api, usagePrice(plan.id, meter.id, { amount: '0.01' }));
    customer = await createCustomer(server.api, { name: 'Uma' });
    sub = await subscribe(server.api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    at(server, '2025-01-31T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-20T00:00:00Z', count: 500, prefix: 'on-time' });
    expect(await billAt(server, '2025-02-01T00:00:00Z')).toBe(1); // the renewal; the draft is due for finalization at 01:00
    const [, february] = await invoicesOf(server.api, sub.id);
    expect(headlineOf(february)).toMatchObject({ invoice_status: 'DRAFT', invoice_number: null, subtotal: '15', total: '15' });
  });

  it('recalculates the draft with 200 late January calls, keeping it a draft: $7 + $10 = $17', async () => {
    at(server, '2025-02-01T00:30:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-31T23:00:00Z', count: 200, prefix: 'late' });
    const [, february] = await invoicesOf(server.api, sub.id);
    const res = await server.api.post(`/v1/invoices/${february.id}/recalculate-v2?finalize=false`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.id).toBe(february.id);
    expect(headlineOf(res.body)).toMatchObject({ invoice_status: 'DRAFT', invoice_number: null, subtotal: '17', total: '17' });
    expect(linesOf(res.body)).toEqual([
      ['Calls', '700', '7', '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'], // (500 + 200) × $0.01
      ['Pay as you go', '1', '10', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z'],
    ]);
  });

  it('finalizes it at 01:00 and numbers it', async () => {
    expect(await billAt(server, '2025-02-01T01:00:00Z')).toBe(1);
    const [, february] = await invoicesOf(server.api, sub.id);
    expect(headlineOf(february)).toMatchObject({ invoice_status: 'FINALIZED', invoice_number: 'INV-202502-00001', total: '17' });
    expect(february.finalized_at).toBe('2025-02-01T01:00:00.000Z');
  });

  it('voids the unpaid opening invoice, then the February one once paid: its $17 refunded into a new prepaid wallet', async () => {
    const [opening, february] = await invoicesOf(server.api, sub.id);
    const voided = await server.api.post(`/v1/invoices/${opening.id}/void`, { metadata: { reason: 'goodwill' } });
    expect(voided.body).toEqual({ message: 'invoice voided successfully' });
    expect((await server.api.get(`/v1/invoices/${opening.id}`)).body).toMatchObject({ invoice_status: 'VOIDED', voided_at: '2025-02-01T01:00:00.000Z', metadata: { reason: 'goodwill' } });
    expect((await server.api.put(`/v1/invoices/${february.id}/payment`, { payment_status: 'SUCCEEDED' })).status).toBe(200);
    expect((await server.api.post(`/v1/invoices/${february.id}/void`)).body).toEqual({ message: 'invoice voided successfully' });
    const voidedFebruary = (await server.api.get(`/v1/invoices/${february.id}`)).body;
    expect([voidedFebruary.invoice_status, voidedFebruary.payment_status, voidedFebruary.total, voidedFebruary.amount_paid, voidedFebruary.refunded_amount]).toEqual(['VOIDED', 'REFUNDED', '17', '17', '17']);
    const wallets = (await server.api.get(`/v1/customers/${customer.id}/wallets`)).body;
    expect(wallets.map((w: any) => [w.wallet_type, w.currency, w.credit_balance, w.balance])).toEqual([['PRE_PAID', 'usd', '17', '17']]); // $17 at a conversion rate of 1
    const ledger = (await server.api.get(`/v1/wallets/${wallets[0].id}/transactions?order=asc`)).body.items;
    expect(ledger.map((t: any) => [t.type, t.transaction_reason, t.credit_amount, t.reference_type, t.reference_id])).toEqual([['credit', 'INVOICE_VOID_REFUND', '17', 'INVOICE', february.id]]);
  });
});
