import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, subscribe } from '../../support/billing.ts';
import { createCustomer, createFeature, createPlan, createPrice, inlineMeter, usagePrice, useTestServer } from '../../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from './wallet-ledger.ts';
import { defaultScope, runnersOf } from './wallet-runners.ts';

/** Wallet alerts and the automatic top-up through the API; the balance check with 4 runners side by side. CI runs it on PGlite and PostgreSQL. */
const server = useTestServer();
let api: ApiClient;
const t0 = '2025-10-01T00:00:00.000Z';

async function walletOf(body: Record<string, unknown>) {
  const customer = await createCustomer(api);
  const res = await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
async function debit(walletId: string, credits: string, key: string) {
  const res = await api.post(`/v1/wallets/${walletId}/debit`, { credits, transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: key });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}
/** The wallet's alert events, oldest first: [event_type, state, current_balance, credit_balance]. */
async function alertEvents(walletId: string) {
  const res = await api.get(`/v1/webhooks/events?entity_id=${walletId}&limit=100`);
  return res.body.items
    .filter((e: any) => e.event_type.includes('_balance.'))
    .sort((a: any, b: any) => a.created_at.localeCompare(b.created_at) || a.id.localeCompare(b.id))
    .map((e: any) => [e.event_type, e.payload.alert.state, e.payload.alert.current_balance, e.payload.alert.credit_balance]);
}
const autoTopUps = async (walletId: string) =>
  (await ledgerOf(api, walletId)).filter((t) => t.metadata?.auto_topup === 'true').map((t) => [t.transaction_reason, t.credit_amount, t.credit_balance_after, t.created_at]);

beforeAll(() => {
  api = server.api;
  at(server, t0);
});

describe('credit-balance alerts', () => {
  it('evaluate "above" thresholds on the currency balance in the transaction of each change (rate 2: 300 credits are $600)', async () => {
    at(server, t0);
    const w = await walletOf({ conversion_rate: '2', initial_credits_to_load: '100', alert_settings: { alert_enabled: true, critical: { threshold: '1000', condition: 'above' }, warning: { threshold: '500', condition: 'above' } } });
    expect(w.alert_state).toBe('ok');
    const top = async (credits: string) => (await api.post(`/v1/wallets/${w.id}/top-up`, { credits_to_add: credits, transaction_reason: 'FREE_CREDIT_GRANT' })).body.wallet;
    expect(await top('150')).toMatchObject({ credit_balance: '250', balance: '500', alert_state: 'warning' });
    expect(await top('250')).toMatchObject({ credit_balance: '500', balance: '1000', alert_state: 'in_alarm' });
    expect(await debit(w.id, '200.5', 'a')).toMatchObject({ credit_balance: '299.5', balance: '599', alert_state: 'warning' });
    expect(await alertEvents(w.id)).toEqual([
      ['wallet.credit_balance.dropped', 'warning', '500', '250'],
      ['wallet.credit_balance.dropped', 'in_alarm', '1000', '500'],
      ['wallet.credit_balance.recovered', 'warning', '599', '299.5'],
    ]);
    const event = (await api.get(`/v1/webhooks/events?entity_id=${w.id}&event_type=wallet.credit_balance.recovered`)).body.items[0];
    expect(event.payload.wallet).toMatchObject({ id: w.id, credit_balance: '299.5', balance: '599' });
    expect(event.payload.alert.alert_settings.critical).toEqual({ threshold: '1000', condition: 'above' });
  });

  it('are evaluated when credits bought on an invoice land: paying it recovers the wallet from in_alarm', async () => {
    at(server, t0);
    const w = await walletOf({ initial_credits_to_load: '20', alert_settings: { alert_enabled: true, critical: { threshold: '50', condition: 'below' } } });
    expect(await debit(w.id, '15', 'p1')).toMatchObject({ credit_balance: '5', alert_state: 'in_alarm' });
    const bought = await api.post(`/v1/wallets/${w.id}/top-up`, { credits_to_add: '100', transaction_reason: 'PURCHASED_CREDIT_INVOICED' });
    expect(bought.status, JSON.stringify(bought.body)).toBe(200);
    expect(bought.body.wallet).toMatchObject({ credit_balance: '5', alert_state: 'in_alarm' }); // pending: nothing moved yet
    const invoiceId = bought.body.wallet_transaction.reference_id;
    const paid = await api.post('/v1/payments', { amount: '100', currency: 'usd', destination_type: 'INVOICE', destination_id: invoiceId, payment_method_type: 'OFFLINE' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    expect((await api.get(`/v1/wallets/${w.id}`)).body).toMatchObject({ credit_balance: '105', alert_state: 'ok' });
    expect(await alertEvents(w.id)).toEqual([
      ['wallet.credit_balance.dropped', 'in_alarm', '20', '20'], // created below the threshold
      ['wallet.credit_balance.recovered', 'ok', '105', '105'], //   the paid purchase lands: 5 + 100
    ]);
  });

  it('are not evaluated while alerts are off', async () => {
    const w = await walletOf({ initial_credits_to_load: '100', alert_settings: { alert_enabled: false, critical: { threshold: '50', condition: 'below' } } });
    expect(await debit(w.id, '90', 'b')).toMatchObject({ credit_balance: '10', alert_state: 'ok' });
    expect(await alertEvents(w.id)).toEqual([]);
  });
});

describe('automatic top-up', () => {
  it('with invoicing: true, buys the credits on a WALLET_AUTO_TOPUP invoice; none again while it is unpaid; they land when it is paid', async () => {
    at(server, t0);
    const w = await walletOf({ initial_credits_to_load: '30', auto_topup: { enabled: true, threshold: '10', amount: '50', invoicing: true } });
    expect(w.auto_topup).toMatchObject({ enabled: true, threshold: '10', amount: '50', invoicing: true });
    expect(await debit(w.id, '22', 'i1')).toMatchObject({ credit_balance: '8' }); // 30 − 22 = 8 ≤ 10: 50 credits bought, pending
    expect(await debit(w.id, '3', 'i2')).toMatchObject({ credit_balance: '5' }); //  still unpaid: no second purchase
    const pending = (await ledgerOf(api, w.id)).filter((t) => t.metadata?.auto_topup === 'true');
    expect(pending.map((t) => [t.transaction_reason, t.transaction_status, t.credit_amount])).toEqual([['PURCHASED_CREDIT_INVOICED', 'pending', '50']]);
    const invoices = (await api.get(`/v1/invoices?customer_id=${w.customer_id}&limit=10`)).body.items;
    expect(invoices.map((i: any) => [i.invoice_type, i.billing_reason, i.invoice_status, i.amount_due])).toEqual([['ONE_OFF', 'WALLET_AUTO_TOPUP', 'FINALIZED', '50']]); // 50 credits × top-up rate 1
    const paid = await api.post('/v1/payments', { amount: '50', currency: 'usd', destination_type: 'INVOICE', destination_id: invoices[0].id, payment_method_type: 'OFFLINE' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(201);
    const after = (await api.get(`/v1/wallets/${w.id}`)).body;
    expect(after.credit_balance).toBe('55'); // 5 + 50
    expect((await ledgerOf(api, w.id)).filter((t) => t.metadata?.auto_topup === 'true').map((t) => t.transaction_status)).toEqual(['completed']);
    expectLedgerHolds(after, await ledgerOf(api, w.id));
  });

  it('tops up once per drop to the threshold, not again within the cooldown', async () => {
    at(server, t0);
    const w = await walletOf({ initial_credits_to_load: '30', auto_topup: { enabled: true, threshold: '10', amount: '20', invoicing: false, cooldown: { value: 1, unit: 'HOUR' } } });
    expect(await debit(w.id, '20', 'c1')).toMatchObject({ credit_balance: '30' }); // 10 → +20
    expect(await debit(w.id, '20', 'c1')).toMatchObject({ credit_balance: '30' }); // the same debit again: nothing
    at(server, '2025-10-01T00:30:00Z');
    expect(await debit(w.id, '25', 'c2')).toMatchObject({ credit_balance: '5' }); // within the hour: no top-up
    at(server, '2025-10-01T01:00:00Z');
    expect(await debit(w.id, '1', 'c3')).toMatchObject({ credit_balance: '24' }); // 4 → +20
    expect(await autoTopUps(w.id)).toEqual([
      ['PURCHASED_CREDIT_DIRECT', '20', '30', t0],
      ['PURCHASED_CREDIT_DIRECT', '20', '24', '2025-10-01T01:00:00.000Z'],
    ]);
    const after = (await api.get(`/v1/wallets/${w.id}`)).body;
    expect(after.credits_available_breakdown).toEqual({ purchased: '24', free: '0' });
    expectLedgerHolds(after, await ledgerOf(api, w.id));
  });

  it('does not top up a wallet being terminated', async () => {
    at(server, t0);
    const w = await walletOf({ initial_credits_to_load: '30', auto_topup: { enabled: true, threshold: '10', amount: '20', invoicing: false } });
    expect((await api.post(`/v1/wallets/${w.id}/terminate`, {})).status).toBe(200);
    expect(await autoTopUps(w.id)).toEqual([]);
    expect((await api.get(`/v1/wallets/${w.id}`)).body).toMatchObject({ credit_balance: '0', wallet_status: 'closed' });
  });
});

describe('the balance check (due work)', () => {
  it('4 runners side by side: one check, one top-up (keyed by the check’s instant); the next check an hour later', async () => {
    at(server, '2025-11-01T00:00:00Z');
    const w = await walletOf({
      initial_credits_to_load: '8',
      alert_settings: { alert_enabled: true, critical: { threshold: '10', condition: 'below' } },
      auto_topup: { enabled: true, threshold: '10', amount: '15', invoicing: false },
    });
    // Loading credits is no drop: nothing yet; the credit balance is in alarm from the start.
    expect(await autoTopUps(w.id)).toEqual([]);
    expect(w.alert_state).toBe('in_alarm');
    const runners = runnersOf(server, 4);
    const scope = defaultScope(server);
    const when = new Date('2025-11-01T00:10:00Z');
    at(server, when.toISOString());
    await Promise.all(runners.map((r) => r.dueWork.runDueNow(scope, when)));
    expect(await autoTopUps(w.id)).toEqual([['PURCHASED_CREDIT_DIRECT', '15', '23', '2025-11-01T00:10:00.000Z']]);
    // The real-time balance after the top-up: 23, ok; the credit balance recovered in the top-up's transaction.
    expect(await alertEvents(w.id)).toEqual([
      ['wallet.credit_balance.dropped', 'in_alarm', '8', '8'],
      ['wallet.credit_balance.recovered', 'ok', '23', '23'],
    ]);
    const cached = (await api.get(`/v1/wallets/${w.id}/balance/real-time-cached`)).body;
    expect(cached).toMatchObject({ real_time_balance: '23', real_time_credit_balance: '23', is_cached_fallback: true, balance_updated_at: '2025-11-01T00:10:00.000Z', alert_state: 'ok' });
    expect(await runners[0]!.dueWork.runDueNow(scope, new Date('2025-11-01T01:09:59Z'))).toBe(0);
    // An hour later: checked again (with the other wallets of this file that have alerts or top-ups on), no new top-up.
    expect(await runners[1]!.dueWork.runDueNow(scope, new Date('2025-11-01T01:10:00Z'))).toBeGreaterThanOrEqual(1);
    expect((await api.get(`/v1/wallets/${w.id}/balance/real-time-cached`)).body.balance_updated_at).toBe('2025-11-01T01:10:00.000Z');
    expect(await autoTopUps(w.id)).toHaveLength(1);
  });

  it('answers the cached route by computing when the wallet is not checked', async () => {
    at(server, t0);
    const w = await walletOf({ initial_credits_to_load: '12.5' });
    const cached = (await api.get(`/v1/wallets/${w.id}/balance/real-time-cached`)).body;
    expect(cached).toMatchObject({ real_time_balance: '12.5', current_period_usage: '0', unpaid_invoices_amount: '0', is_cached_fallback: false, balance_updated_at: t0 });
    const fromCache = (await api.get(`/v1/wallets/${w.id}/balance/real-time?from_cache=true`)).body;
    expect(fromCache).toMatchObject({ real_time_balance: '12.5', is_cached_fallback: false });
  });

  it('announces a feature’s wallet-balance alert (feature.wallet_balance.alert) for the features the customer’s subscriptions bill', async () => {
    at(server, '2025-12-01T00:00:00Z');
    const feature = await createFeature(api, { type: 'metered', meter: inlineMeter({ type: 'COUNT' }), alert_settings: { alert_enabled: true, critical: { threshold: '10', condition: 'below' } } });
    const plan = await createPlan(api);
    await createPrice(api, usagePrice(plan.id, feature.meter_id, { amount: '1' }));
    const customer = await createCustomer(api);
    await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    const res = await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', initial_credits_to_load: '7.5', alert_settings: { alert_enabled: true, critical: { threshold: '1', condition: 'below' } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const when = new Date('2025-12-01T00:05:00Z');
    at(server, when.toISOString());
    await runnersOf(server, 1)[0]!.dueWork.runDueNow(defaultScope(server), when);
    await runnersOf(server, 1)[0]!.dueWork.runDueNow(defaultScope(server), new Date('2025-12-01T01:05:00Z'));
    const events = (await api.get(`/v1/webhooks/events?entity_id=${feature.id}&event_type=feature.wallet_balance.alert`)).body.items;
    expect(events.map((e: any) => e.payload)).toEqual([
      { event_type: 'feature.wallet_balance.alert', alert_type: 'feature_wallet_balance', alert_status: 'in_alarm', feature_id: feature.id, wallet_id: res.body.id, customer_id: customer.id, currency: 'usd', current_balance: '7.5', credit_balance: '7.5' },
    ]);
  });
});
