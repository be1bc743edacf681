// Acme pays $0.10 a call, monthly in arrears, from 1 January. January's 150 calls make a $15.00
// invoice on 1 February that stays unpaid. On 2 February Acme opens a prepaid wallet with 100 credits
// ($1 each), alerts at 80 (info), 60 (warning) and 20 (critical) and an automatic top-up of 50
// credits at 10 or below. By 10 February it has made 300 calls ($30.00): its real-time balance is
// $100 − $30 − $15 = $55, FlexPrice's example, and the hourly balance check raises a warning. Paying
// January's invoice recovers to info. Two manual debits take the credits to 8: the wallet tops itself
// up to 58 in the same transaction. 5 credits bought on 14 February expire on 20 February, but their
// expiry waits while February is not invoiced and paid. On 1 March February's $30 invoice is paid at
// finalization by 30 of the wallet's credits (the expired 5 do not count), and then the 5 lapse
// (CREDIT_EXPIRED 5): 28 credits left.
import { describe, expect, it } from 'vitest';
import { at, billAt, invoicesOf, sendEvents, subscribe } from '../support/billing.ts';
import { createCustomer, createFeature, createPlan, createPrice, usagePrice, useTestServer } from '../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from '../integration/wallets/wallet-ledger.ts';

const server = useTestServer();
let customer: any;
let sub: any;
let eventName: string;
let wallet: any;

const feb10noon = '2025-02-10T12:00:00.000Z';

const realTime = async () => {
  const res = await server.api.get(`/v1/wallets/${wallet.id}/balance/real-time`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const b = res.body;
  return [b.credit_balance, b.current_period_usage, b.unpaid_invoices_amount, b.real_time_balance, b.real_time_credit_balance];
};
const walletNow = async () => (await server.api.get(`/v1/wallets/${wallet.id}`)).body;
/** The wallet's alert events, oldest first, as [event_type, state, current_balance]. */
const alertEvents = async () => {
  const res = await server.api.get(`/v1/webhooks/events?entity_id=${wallet.id}&limit=100`);
  return res.body.items
    .filter((e: any) => e.event_type.includes('_balance.'))
    .sort((a: any, b: any) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
    .map((e: any) => [e.event_type, e.payload.alert.state, e.payload.alert.current_balance]);
};
/** The subscription's billed invoices (the usage-only plan's $0 invoice at the start is SKIPPED). */
const billed = async () => (await invoicesOf(server.api, sub.id)).filter((i: any) => i.invoice_status !== 'SKIPPED');
const pay = async (invoiceId: string, amount: string) => {
  const res = await server.api.post('/v1/payments', { amount, currency: 'usd', destination_type: 'INVOICE', destination_id: invoiceId, payment_method_type: 'OFFLINE' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
};

describe('a prepaid wallet’s real-time balance, alerts, automatic top-up and expiry', () => {
  it('bills January’s 150 calls on 1 February: $15.00, finalized and unpaid', async () => {
    at(server, '2025-01-01T00:00:00Z');
    const feature = await createFeature.metered(server.api, { type: 'COUNT' });
    eventName = feature.meter.event_name;
    const plan = await createPlan(server.api, { name: 'API' });
    await createPrice(server.api, usagePrice(plan.id, feature.meter_id, { amount: '0.1', display_name: 'Calls' }));
    customer = await createCustomer(server.api, { name: 'Acme' });
    sub = await subscribe(server.api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    at(server, '2025-01-20T00:00:00Z');
    await sendEvents(server.api, { eventName, customer: customer.external_id, timestamp: '2025-01-15T00:00:00Z', count: 150, prefix: 'jan' });
    await billAt(server, '2025-02-01T00:00:00Z');
    const [january] = await billed();
    expect(january).toMatchObject({ invoice_status: 'FINALIZED', payment_status: 'PENDING', amount_due: '15', amount_remaining: '15', period_start: '2025-01-01T00:00:00.000Z' });
  });

  it('opens a wallet on 2 February: 100 credits, real-time 100 − 15 unpaid = 85', async () => {
    at(server, '2025-02-02T00:00:00Z');
    const res = await server.api.post('/v1/wallets', {
      customer_id: customer.id,
      currency: 'usd',
      initial_credits_to_load: '100',
      alert_settings: { alert_enabled: true, critical: { threshold: '20', condition: 'below' }, warning: { threshold: '60', condition: 'below' }, info: { threshold: '80', condition: 'below' } },
      auto_topup: { enabled: true, threshold: '10', amount: '50', invoicing: false },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    wallet = res.body;
    expect(wallet).toMatchObject({ credit_balance: '100', balance: '100', alert_state: 'ok' });
    expect(await realTime()).toEqual(['100', '15', '15', '85', '85']);
  });

  it('after 300 calls by 10 February: $100 − $30 usage − $15 unpaid = $55', async () => {
    at(server, feb10noon);
    await sendEvents(server.api, { eventName, customer: customer.external_id, timestamp: '2025-02-10T00:00:00Z', count: 300, prefix: 'feb' });
    // current_period_usage reports the usage with the unpaid part, as FlexPrice does.
    expect(await realTime()).toEqual(['100', '45', '15', '55', '55']);
    const list = await server.api.get(`/v1/customers/wallets?id=${customer.id}`);
    expect(list.body.map((w: any) => [w.id, w.real_time_balance, w.current_period_usage, w.unpaid_invoices_amount])).toEqual([[wallet.id, '55', '45', '15']]);
  });

  it('the balance check on 10 February finds $55: warning, announced; the cached balance is the check’s', async () => {
    await billAt(server, feb10noon);
    expect((await walletNow()).alert_state).toBe('warning');
    expect(await alertEvents()).toEqual([['wallet.ongoing_balance.dropped', 'warning', '55']]);
    const cached = (await server.api.get(`/v1/wallets/${wallet.id}/balance/real-time-cached`)).body;
    expect(cached).toMatchObject({ real_time_balance: '55', current_period_usage: '45', unpaid_invoices_amount: '15', is_cached_fallback: true, balance_updated_at: feb10noon });
    // The next check is an hour later: nothing more is due at this instant.
    expect(await billAt(server, feb10noon)).toBe(0);
  });

  it('paying January’s invoice on 11 February: $70, recovered to info at the next check', async () => {
    at(server, '2025-02-11T00:00:00Z');
    const [january] = await billed();
    await pay(january.id, '15');
    expect(await realTime()).toEqual(['100', '30', '0', '70', '70']);
    await billAt(server, '2025-02-11T00:00:00Z');
    expect((await walletNow()).alert_state).toBe('info');
    expect((await alertEvents()).slice(1)).toEqual([['wallet.ongoing_balance.recovered', 'info', '70']]);
  });

  it('a debit of 60 credits on 12 February: credit balance 40, warning in the same transaction', async () => {
    at(server, '2025-02-12T00:00:00Z');
    const res = await server.api.post(`/v1/wallets/${wallet.id}/debit`, { credits: '60', transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: 'debit-60' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ credit_balance: '40', alert_state: 'warning' });
    expect((await alertEvents()).slice(2)).toEqual([['wallet.credit_balance.dropped', 'warning', '40']]);
  });

  it('a debit of 32 on 13 February takes it to 8: in alarm, topped up by 50 to 58 at once', async () => {
    at(server, '2025-02-13T00:00:00Z');
    const res = await server.api.post(`/v1/wallets/${wallet.id}/debit`, { credits: '32', transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: 'debit-32' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ credit_balance: '58', balance: '58' });
    const ledger = await ledgerOf(server.api, wallet.id);
    expect(ledger.map((t: any) => [t.type, t.transaction_reason, t.credit_amount, t.credit_balance_after])).toEqual([
      ['credit', 'FREE_CREDIT_GRANT', '100', '100'],
      ['debit', 'MANUAL_BALANCE_DEBIT', '60', '40'],
      ['debit', 'MANUAL_BALANCE_DEBIT', '32', '8'],
      ['credit', 'PURCHASED_CREDIT_DIRECT', '50', '58'],
    ]);
    expect(ledger[3]).toMatchObject({ metadata: { auto_topup: 'true' }, idempotency_key: `auto_topup:${ledger[2].id}`, created_at: '2025-02-13T00:00:00.000Z' });
    expect((await alertEvents()).slice(3)).toEqual([
      ['wallet.credit_balance.dropped', 'in_alarm', '8'],
      ['wallet.credit_balance.recovered', 'warning', '58'],
    ]);
    // The real-time balance: 58 − 30 = 28, warning at the next check (from info).
    expect(await realTime()).toEqual(['58', '30', '0', '28', '28']);
    await billAt(server, '2025-02-13T00:00:00Z');
    expect((await alertEvents()).slice(5)).toEqual([['wallet.ongoing_balance.dropped', 'warning', '28']]);
    expect((await walletNow()).alert_state).toBe('warning');
  });

  it('5 credits bought on 14 February, expiring 20 February, wait while February is not invoiced', async () => {
    at(server, '2025-02-14T00:00:00Z');
    const res = await server.api.post(`/v1/wallets/${wallet.id}/top-up`, { credits_to_add: '5', transaction_reason: 'PURCHASED_CREDIT_DIRECT', expiry_date_utc: '2025-02-20T00:00:00Z' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    await billAt(server, '2025-02-21T00:00:00Z');
    const w = await walletNow();
    expect(w.credit_balance).toBe('63');
    expect(w.credits_available_breakdown).toEqual({ purchased: '50', free: '8' }); // the 5 expired credits no longer count
    expect((await ledgerOf(server.api, wallet.id)).filter((t: any) => t.transaction_reason === 'CREDIT_EXPIRED')).toEqual([]);
  });

  it('on 1 March February is billed $30.00 and the wallet’s credits pay it at finalization; the 5 expired credits then lapse, once', async () => {
    await billAt(server, '2025-03-01T00:00:00Z');
    await billAt(server, '2025-03-01T00:00:00Z');
    const [, february] = await billed();
    expect(february).toMatchObject({
      invoice_status: 'FINALIZED',
      payment_status: 'SUCCEEDED',
      subtotal: '30', // 300 calls × $0.10
      total: '0', // 30 − 30 of prepaid credits
      total_prepaid_credits_applied: '30', // 30 of the 58 spendable credits ($1 each); the 5 expired on 20 February do not count
      amount_due: '0',
      amount_remaining: '0',
      period_end: '2025-03-01T00:00:00.000Z',
    });
    const ledger = await ledgerOf(server.api, wallet.id);
    expect(ledger.slice(5).map((t: any) => [t.type, t.transaction_reason, t.credit_amount, t.credit_balance_after])).toEqual([
      ['debit', 'CREDIT_ADJUSTMENT', '30', '33'], // 63 − 30: February's invoice
      ['debit', 'CREDIT_EXPIRED', '5', '28'], //    33 − 5: nothing unpaid holds the expiry back any more
    ]);
    const expired = ledger[6];
    expect(expired).toMatchObject({ idempotency_key: `expiry:${ledger[4].id}`, created_at: '2025-03-01T00:00:00.000Z' });
    expect(ledger[4].credits_available).toBe('0');
    const w = await walletNow();
    expect(w).toMatchObject({ credit_balance: '28', balance: '28' });
    expect(await realTime()).toEqual(['28', '0', '0', '28', '28']); // March has no usage yet, nothing unpaid
    expectLedgerHolds(w, ledger);
  });
});
