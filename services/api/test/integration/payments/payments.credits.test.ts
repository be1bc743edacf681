// CREDITS payments: a POST_PAID wallet pays an invoice (POST /payments, payment_method_type CREDITS,
// payment_method_id the wallet's id), debited at its conversion rate within what its
// allowed_price_types let it pay; concurrent payments never spend more than the wallet holds.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { count, createCustomer, useTestServer, withArchived } from '../../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from '../wallets/wallet-ledger.ts';

const server = useTestServer();
let api: ApiClient;

beforeAll(() => {
  api = server.api;
  at(server, '2025-10-01T00:00:00Z');
});

async function invoiceOf(customerId: string, lines: [string, 'FIXED' | 'USAGE'][]) {
  const total = lines.reduce((s, [a]) => s + Number(a), 0).toFixed(2);
  const res = await api.post('/v1/invoices', {
    customer_id: customerId, currency: 'usd', invoice_type: 'ONE_OFF', subtotal: total, total, amount_due: total,
    line_items: lines.map(([amount, price_type]) => ({ display_name: price_type, amount, quantity: '1', price_type })),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}
async function walletOf(customerId: string, body: Record<string, unknown>) {
  const res = await api.post('/v1/wallets', { customer_id: customerId, currency: 'usd', wallet_type: 'POST_PAID', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
const pay = (invoiceId: string, amount: string, extra: Record<string, unknown> = {}) =>
  api.post('/v1/payments', { amount, currency: 'usd', destination_type: 'INVOICE', destination_id: invoiceId, payment_method_type: 'CREDITS', ...extra });
const invoice = async (id: string) => (await api.get(`/v1/invoices/${id}`)).body;
const wallet = async (id: string) => (await api.get(`/v1/wallets/${id}`)).body;
const state = (i: any) => [i.amount_due, i.amount_paid, i.amount_remaining, i.payment_status];

describe('CREDITS payments from a POST_PAID wallet', () => {
  it('pays $30 of $50 (rate 0.5: 60 credits), then the $20 left from the customer’s wallet chosen by Tally', async () => {
    const customer = await createCustomer(api);
    const w = await walletOf(customer.id, { initial_credits_to_load: '200', conversion_rate: '0.5' }); // $100
    const inv = await invoiceOf(customer.id, [['50', 'FIXED']]);
    const first = await pay(inv.id, '30', { payment_method_id: w.id });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ payment_status: 'SUCCEEDED', payment_method_type: 'CREDITS', payment_method_id: w.id, amount: '30' });
    expect(state(await invoice(inv.id))).toEqual(['50', '30', '20', 'PENDING']);
    expect([(await wallet(w.id)).credit_balance, (await wallet(w.id)).balance]).toEqual(['140', '70']); // 200 − 30 ÷ 0.5; 140 × 0.5

    const second = await pay(inv.id, '20');
    expect(second.status, JSON.stringify(second.body)).toBe(201);
    expect(second.body).toMatchObject({ payment_status: 'SUCCEEDED', payment_method_id: w.id });
    expect(state(await invoice(inv.id))).toEqual(['50', '50', '0', 'SUCCEEDED']);
    const after = await wallet(w.id);
    expect(after.credit_balance).toBe('100'); // 140 − 40
    const ledger = await ledgerOf(api, w.id);
    expect(ledger.map((t: any) => [t.type, t.transaction_reason, t.credit_amount, t.amount])).toEqual([
      ['credit', 'FREE_CREDIT_GRANT', '200', '100'],
      ['debit', 'INVOICE_PAYMENT', '60', '30'], // $30 ÷ 0.5
      ['debit', 'INVOICE_PAYMENT', '40', '20'],
    ]);
    expect(ledger.slice(1).map((t: any) => [t.reference_type, t.reference_id, t.idempotency_key])).toEqual([
      ['PAYMENT', first.body.id, `payment-${first.body.id}`],
      ['PAYMENT', second.body.id, `payment-${second.body.id}`],
    ]);
    expectLedgerHolds(after, ledger);
  });

  it('refuses, writing nothing: a PRE_PAID wallet, another customer’s wallet, no POST_PAID wallet, more than the wallet holds', async () => {
    const customer = await createCustomer(api);
    const other = await createCustomer(api);
    const inv = await invoiceOf(customer.id, [['50', 'FIXED']]);
    const prepaid = (await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', initial_credits_to_load: '100' })).body;
    const theirs = await walletOf(other.id, { initial_credits_to_load: '100' });
    const before = await count(api, `/v1/payments?destination_id=${inv.id}`, withArchived);
    for (const [extra, field] of [[{ payment_method_id: prepaid.id }, 'payment_method_id'], [{ payment_method_id: theirs.id }, 'payment_method_id'], [{}, 'payment_method_id']] as const) {
      const res = await pay(inv.id, '10', extra);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      expect(Object.keys(res.body.details)).toEqual([field]);
    }
    const small = await walletOf(customer.id, { initial_credits_to_load: '5' });
    const short = await pay(inv.id, '10', { payment_method_id: small.id });
    expect(short.status).toBe(400);
    expect(short.body).toMatchObject({ code: 'invalid_operation', message: 'insufficient balance' });
    expect(await count(api, `/v1/payments?destination_id=${inv.id}`, withArchived)).toBe(before);
    expect(state(await invoice(inv.id))).toEqual(['50', '0', '50', 'PENDING']);
    expect((await wallet(small.id)).credit_balance).toBe('5');
    expect((await wallet(theirs.id)).credit_balance).toBe('100');
  });

  it('a wallet allowed USAGE only pays the $10 usage line of a $30 invoice, not the $20 fixed one', async () => {
    const customer = await createCustomer(api);
    const w = await walletOf(customer.id, { initial_credits_to_load: '100', config: { allowed_price_types: ['USAGE'] } });
    const inv = await invoiceOf(customer.id, [['20', 'FIXED'], ['10', 'USAGE']]);
    const tooMuch = await pay(inv.id, '15', { payment_method_id: w.id });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.details.amount).toMatch(/^exceeds what wallet .* may pay of the invoice \(10 usd/);
    expect((await pay(inv.id, '6', { payment_method_id: w.id })).status).toBe(201);
    expect((await pay(inv.id, '4.01', { payment_method_id: w.id })).body.details.amount).toMatch(/\(4 usd/); // 10 − 6 paid
    expect((await pay(inv.id, '4', { payment_method_id: w.id })).status).toBe(201);
    expect(state(await invoice(inv.id))).toEqual(['30', '10', '20', 'PENDING']);
    expect((await wallet(w.id)).credit_balance).toBe('90');
  });

  it('ten $10 payments at once against a wallet holding $50: exactly five succeed', async () => {
    const customer = await createCustomer(api);
    const w = await walletOf(customer.id, { initial_credits_to_load: '50' });
    const inv = await invoiceOf(customer.id, [['100', 'FIXED']]);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => pay(inv.id, '10', { payment_method_id: w.id, idempotency_key: `credits-race-${w.id}-${i}` })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 400, 400, 400, 400, 400]);
    for (const r of results.filter((r) => r.status === 400)) expect(r.body.message).toBe('insufficient balance');
    expect(state(await invoice(inv.id))).toEqual(['100', '50', '50', 'PENDING']);
    const after = await wallet(w.id);
    expect(after.credit_balance).toBe('0');
    const ledger = await ledgerOf(api, w.id);
    expect(ledger.filter((t: any) => t.type === 'debit').map((t: any) => t.credit_amount)).toEqual(['10', '10', '10', '10', '10']);
    expectLedgerHolds(after, ledger);
  });
});
