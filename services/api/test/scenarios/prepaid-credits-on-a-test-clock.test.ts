// Lia, a test customer on a test clock frozen at 1 January 2025 (the wall clock says 4 December 2026),
// holds a prepaid wallet of 10 credits and subscribes to Calls: $0.01 per call in arrears. She makes
// 1,500 calls in January. When the clock is advanced to 1 February 2025 her $15 invoice takes the 10
// credits: $5 remains, and the debit is dated at the clock's time. Advanced to 3 February, the invoice
// is voided: the $10 of credits it was funded by come back to her wallet, dated 3 February 2025.
import { describe, expect, it } from 'vitest';
import { at, headlineOf, invoicesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, createTestClock, usagePrice, useTestServer } from '../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from '../integration/wallets/wallet-ledger.ts';

const server = useTestServer();
let clock: any;
let customer: any;
let meter: any;
let walletId: string;
let subscriptionId: string;

const advance = async (to: string) => {
  const res = await server.api.post(`/v1/test_clocks/${clock.id}/advance`, { frozen_time: to });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  await server.testClocks.settled();
};
const wallet = async () => (await server.api.get(`/v1/wallets/${walletId}`)).body;

describe('prepaid credits and a void refund on a test clock', () => {
  it('gives Lia, on a clock at 1 January 2025, a wallet of 10 credits and a subscription', async () => {
    at(server, '2024-12-20T00:00:00Z');
    meter = await createMeter(server.api, { name: 'Calls' });
    const plan = await createPlan(server.api, { name: 'Calls' });
    await createPrice(server.api, usagePrice(plan.id, meter.id, { amount: '0.01', display_name: 'Calls' }));
    at(server, '2026-12-04T09:00:00Z');
    clock = await createTestClock(server.api, { name: 'Lia', frozen_time: '2025-01-01T00:00:00Z' });
    customer = await createCustomer(server.api, { name: 'Lia', test_clock_id: clock.id });
    const w = await server.api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', initial_credits_to_load: '10' });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    walletId = w.body.id;
    expect([w.body.credit_balance, w.body.created_at]).toEqual(['10', '2025-01-01T00:00:00.000Z']);
    subscriptionId = (await subscribe(server.api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' })).id;
  });

  it('advanced to 1 February 2025: the $15 invoice takes the 10 credits, $5 remains', async () => {
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-01-20T00:00:00Z', count: 1500, prefix: 'lia-jan' });
    await advance('2025-02-01T00:00:00Z');
    const [, january] = await invoicesOf(server.api, subscriptionId);
    expect(headlineOf(january)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_CYCLE',
      period_start: '2025-01-01T00:00:00.000Z',
      period_end: '2025-02-01T00:00:00.000Z',
      subtotal: '15', // 1,500 × $0.01
      total_discount: '0',
      total_tax: '0',
      total: '5', //     15 − 10 of credits
      amount_due: '5',
      invoice_number: 'INV-202502-00001',
    });
    expect([january.total_prepaid_credits_applied, january.line_items[0].prepaid_credits_applied, january.amount_remaining]).toEqual(['10', '10', '5']);
    const ledger = await ledgerOf(server.api, walletId);
    expect(ledger.map((t: any) => [t.type, t.transaction_reason, t.credit_amount, t.created_at])).toEqual([
      ['credit', 'FREE_CREDIT_GRANT', '10', '2025-01-01T00:00:00.000Z'],
      ['debit', 'CREDIT_ADJUSTMENT', '10', '2025-02-01T00:00:00.000Z'], // the clock's time, not the wall clock's
    ]);
    expect((await wallet()).credit_balance).toBe('0');
  });

  it('advanced to 3 February 2025 and voided: the 10 credits that funded it come back, dated then', async () => {
    await advance('2025-02-03T00:00:00Z');
    const [, january] = await invoicesOf(server.api, subscriptionId);
    expect((await server.api.post(`/v1/invoices/${january.id}/void`, {})).status).toBe(200);
    const voided = (await server.api.get(`/v1/invoices/${january.id}`)).body;
    expect([voided.invoice_status, voided.payment_status, voided.voided_at, voided.refunded_amount, voided.amount_paid]).toEqual(['VOIDED', 'REFUNDED', '2025-02-03T00:00:00.000Z', '10', '0']);
    const w = await wallet();
    expect([w.credit_balance, w.balance]).toEqual(['10', '10']);
    const ledger = await ledgerOf(server.api, walletId);
    expect(ledger.map((t: any) => [t.type, t.transaction_reason, t.credit_amount, t.created_at])[2]).toEqual(['credit', 'INVOICE_VOID_REFUND', '10', '2025-02-03T00:00:00.000Z']);
    expectLedgerHolds(w, ledger);
  });
});
