// Prepaid credits at finalization: the customer's PRE_PAID wallet pays the usage lines of a subscription
// invoice after their discounts, once, in the finalization's transaction. The server keeps period-end
// invoices as drafts for an hour, so each test finalizes its draft through the API.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, billAt, invoicesOf, sendEvents, subscribe } from '../../support/billing.ts';
import { created, createCustomer, createMeter, createPlan, createPrice, fixedPrice, usagePrice, useTestServer } from '../../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from '../wallets/wallet-ledger.ts';

const server = useTestServer({ TALLY_INVOICE_FINALIZATION_DELAY_SECONDS: '3600' });
let api: ApiClient;
let meter: any;
let plan: any;
let usageOnly: any;
let month = 0;

beforeAll(async () => {
  api = server.api;
  at(server, '2024-12-01T00:00:00Z');
  meter = await createMeter(api, { name: 'Calls' });
  plan = await createPlan(api, { name: 'Calls and fee' });
  await createPrice(api, fixedPrice(plan.id, { amount: '20', invoice_cadence: 'ARREAR', display_name: 'Fee' }));
  await createPrice(api, usagePrice(plan.id, meter.id, { amount: '0.01', display_name: 'Calls' }));
  usageOnly = await createPlan(api, { name: 'Calls only' });
  await createPrice(api, usagePrice(usageOnly.id, meter.id, { amount: '0.01', display_name: 'Calls' }));
});

const wallet = async (id: string) => (await api.get(`/v1/wallets/${id}`)).body;

/**
 * A customer on `planId` from the first of a month of its own (each test bills another month, the bill
 * run being global), with a PRE_PAID wallet made by `walletBody`, `calls` calls in the month, and the
 * period-end draft; returns the draft and the wallet.
 */
async function draftWithWallet(planId: string, calls: number, walletBody: Record<string, unknown> | null) {
  month += 1;
  const start = new Date(Date.UTC(2025, month - 1, 1));
  const end = new Date(Date.UTC(2025, month, 1));
  at(server, start.toISOString());
  const customer = await createCustomer(api);
  const w = walletBody ? await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', ...walletBody }) : null;
  if (w) expect(w.status, JSON.stringify(w.body)).toBe(200);
  const sub = await subscribe(api, { customer_id: customer.id, plan_id: planId, currency: 'usd', billing_period: 'MONTHLY' });
  at(server, new Date(start.getTime() + 10 * 86_400_000).toISOString());
  await sendEvents(api, { eventName: meter.event_name, customer: customer.external_id, timestamp: new Date(start.getTime() + 5 * 86_400_000).toISOString(), count: calls, prefix: `m${month}` });
  await billAt(server, end.toISOString());
  const draft = (await invoicesOf(api, sub.id)).find((i) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
  return { customer, sub, draft, walletId: w?.body.id as string | undefined };
}

const finalize = async (id: string) => {
  const res = await api.post(`/v1/invoices/${id}/finalize`, {});
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return (await api.get(`/v1/invoices/${id}`)).body;
};
const amounts = (i: any) => [i.subtotal, i.total_discount, i.total_prepaid_credits_applied, i.total_tax, i.total, i.amount_due, i.amount_paid, i.amount_remaining, i.payment_status];
const lineCredits = (i: any) => i.line_items.map((l: any) => [l.display_name, l.amount, l.prepaid_credits_applied]);

describe('prepaid credits at finalization', () => {
  it('a draft shows no credits; finalized, 30 credits pay $30 of the $40 usage line, never the $20 fee: $30 remains', async () => {
    const { draft, walletId } = await draftWithWallet(plan.id, 4000, { initial_credits_to_load: '30' });
    expect(amounts(draft)).toEqual(['60', '0', '0', '0', '60', '60', '0', '60', 'PENDING']);
    const preview = await api.post('/v1/invoices/preview', { subscription_id: draft.subscription_id, period_start: draft.period_start, period_end: draft.period_end });
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.total_prepaid_credits_applied).toBe('0'); // previews show what the period costs, before credits
    const invoice = await finalize(draft.id);
    expect(amounts(invoice)).toEqual([
      '60', //   40 (4,000 × $0.01) + 20
      '0',
      '30', //   the wallet's 30 credits × $1
      '0',
      '30', //   60 − 30
      '30',
      '0',
      '30',
      'PENDING',
    ]);
    expect(lineCredits(invoice).sort()).toEqual([['Calls', '40', '30'], ['Fee', '20', '0']]);
    const w = await wallet(walletId!);
    expect([w.credit_balance, w.balance]).toEqual(['0', '0']);
    const ledger = await ledgerOf(api, walletId!);
    expect(ledger.map((t: any) => [t.type, t.transaction_reason, t.credit_amount, t.amount])).toEqual([
      ['credit', 'FREE_CREDIT_GRANT', '30', '30'],
      ['debit', 'CREDIT_ADJUSTMENT', '30', '30'],
    ]);
    expect(ledger[1]).toMatchObject({ reference_type: 'INVOICE', reference_id: invoice.id, idempotency_key: `invoice-prepaid-credits-${invoice.id}`, transaction_status: 'completed' });
    expectLedgerHolds(w, ledger);
  });

  it('credits worth more than the usage pay it all (rate 0.5: 100 credits = $50 pay $40 with 80 credits): the invoice is paid at once', async () => {
    const { draft, walletId } = await draftWithWallet(usageOnly.id, 4000, { initial_credits_to_load: '100', conversion_rate: '0.5' });
    const invoice = await finalize(draft.id);
    expect(amounts(invoice)).toEqual(['40', '0', '40', '0', '0', '0', '0', '0', 'SUCCEEDED']);
    expect(invoice.paid_at).toBe(invoice.finalized_at);
    const w = await wallet(walletId!);
    expect([w.credit_balance, w.balance]).toEqual(['20', '10']); // 100 − 40 ÷ 0.5; 20 × 0.5
    expectLedgerHolds(w, await ledgerOf(api, walletId!));
  });

  it('five finalizations at once: one finalizes, four are refused, and the wallet is debited once', async () => {
    const { draft, walletId } = await draftWithWallet(usageOnly.id, 1234, { initial_credits_to_load: '100' });
    const results = await Promise.all(Array.from({ length: 5 }, () => api.post(`/v1/invoices/${draft.id}/finalize`, {})));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400]);
    const invoice = (await api.get(`/v1/invoices/${draft.id}`)).body;
    expect(amounts(invoice)).toEqual(['12.34', '0', '12.34', '0', '0', '0', '0', '0', 'SUCCEEDED']);
    const ledger = await ledgerOf(api, walletId!);
    expect(ledger.filter((t: any) => t.type === 'debit').map((t: any) => t.credit_amount)).toEqual(['12.34']);
    const w = await wallet(walletId!);
    expect(w.credit_balance).toBe('87.66'); // 100 − 12.34
    expectLedgerHolds(w, ledger);
  });

  it('a wallet whose allowed_price_types is FIXED pays nothing, and no debit is written', async () => {
    const { draft, walletId } = await draftWithWallet(plan.id, 1000, { initial_credits_to_load: '100', config: { allowed_price_types: ['FIXED'] } });
    const invoice = await finalize(draft.id);
    expect(amounts(invoice)).toEqual(['30', '0', '0', '0', '30', '30', '0', '30', 'PENDING']);
    expect((await ledgerOf(api, walletId!)).map((t: any) => t.type)).toEqual(['credit']);
  });

  it('credits that expire before the period ends do not pay it; those with a later expiry do', async () => {
    month += 1; // a month of its own: 1 to 31 of it
    const start = new Date(Date.UTC(2025, month - 1, 1));
    at(server, start.toISOString());
    const customer = await createCustomer(api);
    const w = (await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd' })).body;
    const topUp = (credits: string, expiry: Date) => api.post(`/v1/wallets/${w.id}/top-up`, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', credits_to_add: credits, expiry_date_utc: expiry.toISOString() });
    expect((await topUp('50', new Date(start.getTime() + 20 * 86_400_000))).status).toBe(200); // expires on day 21
    expect((await topUp('7', new Date(Date.UTC(2025, month, 15)))).status).toBe(200); // after the period
    const sub = await subscribe(api, { customer_id: customer.id, plan_id: usageOnly.id, currency: 'usd', billing_period: 'MONTHLY' });
    at(server, new Date(start.getTime() + 2 * 86_400_000).toISOString());
    await sendEvents(api, { eventName: meter.event_name, customer: customer.external_id, timestamp: new Date(start.getTime() + 86_400_000).toISOString(), count: 2000, prefix: `m${month}` });
    await billAt(server, new Date(Date.UTC(2025, month, 1)).toISOString());
    const draft = (await invoicesOf(api, sub.id)).find((i) => i.billing_reason === 'SUBSCRIPTION_CYCLE');
    const invoice = await finalize(draft.id);
    expect(amounts(invoice)).toEqual(['20', '0', '7', '0', '13', '13', '0', '13', 'PENDING']); // 2,000 × $0.01; only the 7 unexpired at the period end
    const after = await wallet(w.id);
    expect(after.credit_balance).toBe('50'); // the 50 expired (no expiry run here), the 7 spent
    expectLedgerHolds(after, await ledgerOf(api, w.id));
  });

  it('a customer without a wallet: nothing applied', async () => {
    const { draft } = await draftWithWallet(usageOnly.id, 500, null);
    expect(amounts(await finalize(draft.id))).toEqual(['5', '0', '0', '0', '5', '5', '0', '5', 'PENDING']);
  });
});

describe('void of a funded invoice', () => {
  it('refunds the credits applied and the payment, less what a credit note refunded, into the PRE_PAID wallet: 30 + 30 − 10 = 50', async () => {
    const { draft, walletId } = await draftWithWallet(plan.id, 4000, { initial_credits_to_load: '30' });
    const invoice = await finalize(draft.id); // $60: 30 of credits, $30 to pay
    const pay = await api.post('/v1/payments', { amount: '30', currency: 'usd', destination_type: 'INVOICE', destination_id: invoice.id, payment_method_type: 'OFFLINE' });
    expect(pay.status, JSON.stringify(pay.body)).toBe(201);
    const fee = invoice.line_items.find((l: any) => l.display_name === 'Fee');
    const note = await api.post('/v1/creditnotes', { invoice_id: invoice.id, reason: 'SERVICE_ISSUE', line_items: [{ invoice_line_item_id: fee.id, amount: '10' }] });
    expect(note.status, JSON.stringify(note.body)).toBe(201);
    const refunded = (await api.get(`/v1/invoices/${invoice.id}`)).body;
    expect([refunded.payment_status, refunded.amount_paid, refunded.total_prepaid_credits_applied, refunded.refunded_amount]).toEqual(['PARTIALLY_REFUNDED', '30', '30', '10']);
    expect((await wallet(walletId!)).credit_balance).toBe('10'); // 30 − 30 applied + 10 refunded

    expect((await api.post(`/v1/invoices/${invoice.id}/void`, {})).body).toEqual({ message: 'invoice voided successfully' });
    const voided = (await api.get(`/v1/invoices/${invoice.id}`)).body;
    expect([voided.invoice_status, voided.payment_status, voided.amount_paid, voided.total_prepaid_credits_applied, voided.refunded_amount]).toEqual([
      'VOIDED',
      'REFUNDED',
      '30',
      '30',
      '60', // 10 by the credit note + 50 by the void
    ]);
    expect((await api.post(`/v1/invoices/${invoice.id}/void`, {})).status).toBe(400); // once
    const w = await wallet(walletId!);
    expect([w.credit_balance, w.balance]).toEqual(['60', '60']); // 10 + 50
    const ledger = await ledgerOf(api, walletId!);
    expect(ledger.map((t: any) => [t.type, t.transaction_reason, t.credit_amount])).toEqual([
      ['credit', 'FREE_CREDIT_GRANT', '30'],
      ['debit', 'CREDIT_ADJUSTMENT', '30'],
      ['credit', 'CREDIT_NOTE', '10'],
      ['credit', 'INVOICE_VOID_REFUND', '50'], // 30 paid + 30 of credits − 10 refunded
    ]);
    expect(ledger[3]).toMatchObject({ reference_type: 'INVOICE', reference_id: invoice.id, idempotency_key: `invoice-void-refund-${invoice.id}` });
    expectLedgerHolds(w, ledger);
    const events = (await api.get('/v1/webhooks/events?event_type=wallet.transaction.created&limit=1000')).body.items;
    expect(events.filter((e: any) => JSON.stringify(e).includes(ledger[3].id))).toHaveLength(1);
  });

  it('a funded invoice of a customer without a wallet: the refund makes one (credits applied 0, paid in full $5)', async () => {
    const { draft, customer } = await draftWithWallet(usageOnly.id, 500, null);
    const invoice = await finalize(draft.id);
    expect((await api.put(`/v1/invoices/${invoice.id}/payment`, { payment_status: 'SUCCEEDED' })).status).toBe(200);
    expect((await api.post(`/v1/invoices/${invoice.id}/void`, {})).status).toBe(200);
    const wallets = (await api.get(`/v1/customers/${customer.id}/wallets`)).body;
    expect(wallets.map((w: any) => [w.wallet_type, w.currency, w.credit_balance, w.config.allowed_price_types])).toEqual([['PRE_PAID', 'usd', '5', ['USAGE']]]);
  });
});
