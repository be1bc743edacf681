// Nia subscribes on 1 March 2025 to Metered: $0.05 per call, billed in arrears. She holds a prepaid
// wallet of 100 credits at a conversion rate of 0.25 (worth $25). She makes 800 calls in March: on
// 1 April her $40 invoice takes the whole wallet — $25 — and $15 remains to pay. She buys 200 credits
// ($50 at the top-up rate of 0.25) and makes 300 calls in April: on 1 May the $15 invoice is paid
// entirely by 60 of them, so it is paid at once, and 140 credits ($35) stay in the wallet.
import { describe, expect, it } from 'vitest';
import { at, billAt, headlineOf, invoicesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createMeter, createPlan, createPrice, usagePrice, useTestServer } from '../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from '../integration/wallets/wallet-ledger.ts';

const server = useTestServer();
let customer: any;
let meter: any;
let walletId: string;
let subscriptionId: string;

const wallet = async () => (await server.api.get(`/v1/wallets/${walletId}`)).body;
const paid = (i: any) => [i.total_prepaid_credits_applied, i.amount_paid, i.amount_remaining, i.paid_at ?? null];

describe('prepaid credits pay a usage invoice partly, then fully', () => {
  it('subscribes Nia on 1 March with a wallet of 100 credits worth $25; nothing is due in advance', async () => {
    at(server, '2025-02-20T00:00:00Z');
    meter = await createMeter(server.api, { name: 'Calls' });
    const plan = await createPlan(server.api, { name: 'Metered' });
    await createPrice(server.api, usagePrice(plan.id, meter.id, { amount: '0.05', display_name: 'Calls' }));
    at(server, '2025-03-01T00:00:00Z');
    customer = await createCustomer(server.api, { name: 'Nia' });
    const w = await server.api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', conversion_rate: '0.25', initial_credits_to_load: '100' });
    expect(w.status, JSON.stringify(w.body)).toBe(200);
    walletId = w.body.id;
    expect([w.body.credit_balance, w.body.balance, w.body.config.allowed_price_types]).toEqual(['100', '25', ['USAGE']]); // 100 × 0.25
    const sub = await subscribe(server.api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    subscriptionId = sub.id;
    const [opening] = await invoicesOf(server.api, subscriptionId);
    expect(headlineOf(opening)).toMatchObject({ invoice_status: 'SKIPPED', subtotal: '0', total: '0' });
  });

  it('invoices March on 1 April: $40 of calls, $25 paid by the whole wallet, $15 to pay', async () => {
    at(server, '2025-03-20T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-03-10T00:00:00Z', count: 800, prefix: 'nia-mar' });
    await billAt(server, '2025-04-01T00:00:00Z');
    const march = (await invoicesOf(server.api, subscriptionId))[1];
    expect(headlineOf(march)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'PENDING',
      billing_reason: 'SUBSCRIPTION_CYCLE',
      period_start: '2025-03-01T00:00:00.000Z',
      period_end: '2025-04-01T00:00:00.000Z',
      subtotal: '40', //  800 × $0.05
      total_discount: '0',
      total_tax: '0',
      total: '15', //     40 − 25 of credits
      amount_due: '15',
      invoice_number: 'INV-202504-00001',
    });
    expect(paid(march)).toEqual(['25', '0', '15', null]);
    expect(march.line_items.map((l: any) => [l.display_name, l.quantity, l.amount, l.prepaid_credits_applied])).toEqual([['Calls', '800', '40', '25']]);
    const w = await wallet();
    expect([w.credit_balance, w.balance]).toEqual(['0', '0']); // 100 − 25 ÷ 0.25
    const ledger = await ledgerOf(server.api, walletId);
    expect(ledger.map((t: any) => [t.type, t.transaction_reason, t.credit_amount, t.amount, t.reference_id ?? null])).toEqual([
      ['credit', 'FREE_CREDIT_GRANT', '100', '25', null],
      ['debit', 'CREDIT_ADJUSTMENT', '100', '25', march.id],
    ]);
    expectLedgerHolds(w, ledger);
  });

  it('buys 200 credits on 2 April ($50 at the top-up rate 0.25)', async () => {
    at(server, '2025-04-02T00:00:00Z');
    const res = await server.api.post(`/v1/wallets/${walletId}/top-up`, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', amount: '50', idempotency_key: 'nia-april' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect([res.body.wallet_transaction.credit_amount, res.body.wallet.credit_balance, res.body.wallet.balance]).toEqual(['200', '200', '50']); // 50 ÷ 0.25; 200 × 0.25
  });

  it('invoices April on 1 May: $15 of calls, all paid by 60 credits — paid at once; 140 credits ($35) left', async () => {
    at(server, '2025-04-20T00:00:00Z');
    await sendEvents(server.api, { eventName: meter.event_name, customer: customer.external_id, timestamp: '2025-04-15T00:00:00Z', count: 300, prefix: 'nia-apr' });
    await billAt(server, '2025-05-01T00:00:00Z');
    const april = (await invoicesOf(server.api, subscriptionId))[2];
    expect(headlineOf(april)).toEqual({
      invoice_status: 'FINALIZED',
      payment_status: 'SUCCEEDED',
      billing_reason: 'SUBSCRIPTION_CYCLE',
      period_start: '2025-04-01T00:00:00.000Z',
      period_end: '2025-05-01T00:00:00.000Z',
      subtotal: '15', // 300 × $0.05
      total_discount: '0',
      total_tax: '0',
      total: '0', //     15 − 15 of credits
      amount_due: '0',
      invoice_number: 'INV-202505-00001',
    });
    expect(paid(april)).toEqual(['15', '0', '0', '2025-05-01T00:00:00.000Z']);
    expect(april.line_items.map((l: any) => [l.display_name, l.quantity, l.amount, l.prepaid_credits_applied])).toEqual([['Calls', '300', '15', '15']]);
    const w = await wallet();
    expect([w.credit_balance, w.balance, w.credits_available_breakdown]).toEqual(['140', '35', { purchased: '140', free: '0' }]); // 200 − 15 ÷ 0.25
    const ledger = await ledgerOf(server.api, walletId);
    expect(ledger.map((t: any) => [t.type, t.transaction_reason, t.credit_amount, t.amount, t.credits_available])).toEqual([
      ['credit', 'FREE_CREDIT_GRANT', '100', '25', '0'],
      ['debit', 'CREDIT_ADJUSTMENT', '100', '25', '0'],
      ['credit', 'PURCHASED_CREDIT_DIRECT', '200', '50', '140'],
      ['debit', 'CREDIT_ADJUSTMENT', '60', '15', '0'],
    ]);
    expectLedgerHolds(w, ledger);
    // The March invoice still has its $15 to pay: credits bought later do not pay a finalized invoice.
    expect(paid((await invoicesOf(server.api, subscriptionId))[1])).toEqual(['25', '0', '15', null]);
  });
});
