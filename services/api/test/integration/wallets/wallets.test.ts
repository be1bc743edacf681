import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { count, createCustomer, expectRefused, unique, useTestServer } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';
import { expectLedgerHolds, ledgerOf } from './wallet-ledger.ts';

const server = useTestServer();
let api: ApiClient;

async function createWallet(body: Record<string, unknown>) {
  const res = await api.post('/v1/wallets', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function topUp(walletId: string, body: Record<string, unknown>) {
  const res = await api.post(`/v1/wallets/${walletId}/top-up`, body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function debit(walletId: string, credits: string, key = unique('debit')) {
  const res = await api.post(`/v1/wallets/${walletId}/debit`, { credits, transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: key });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

const wallet = async (id: string) => (await api.get(`/v1/wallets/${id}`)).body;
const walletRows = () => count(api, '/v1/wallets');
const eventsOf = async (entityId: string) =>
  (await api.get(`/v1/webhooks/events?entity_id=${entityId}&limit=100`)).body.items.map((e: any) => e.event_type).reverse();
/** What a refused request must leave as it was: the wallet's balances and its ledger's length. */
const stateOf = (walletId: string) => async () => {
  const w = await wallet(walletId);
  return [w.credit_balance, w.wallet_status, (await ledgerOf(api, walletId)).length];
};

beforeAll(async () => {
  api = server.api;
  at(server, '2025-10-01T00:00:00Z');
});

describe('POST /v1/wallets', () => {
  it('creates a prepaid wallet with FlexPrice’s defaults and loads initial credits (rate 0.5: 200 credits are worth $100)', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ customer_id: customer.id, currency: 'USD', conversion_rate: '0.5', initial_credits_to_load: '200', metadata: { team: 'a' } });
    expect(w).toEqual({
      id: expect.stringMatching(/^wallet_[0-9A-HJKMNP-TV-Z]{26}$/),
      customer_id: customer.id,
      name: 'Prepaid Wallet - USD',
      currency: 'usd',
      wallet_type: 'PRE_PAID',
      wallet_status: 'active',
      credit_balance: '200',
      balance: '100',
      conversion_rate: '0.5',
      topup_conversion_rate: '0.5',
      config: { allowed_price_types: ['USAGE'] },
      alert_state: 'ok',
      credits_available_breakdown: { purchased: '0', free: '200' },
      metadata: { team: 'a' },
      environment_id: server.bootstrap.defaultEnvironmentId,
      tenant_id: server.bootstrap.tenantId,
      status: 'published',
      created_at: '2025-10-01T00:00:00.000Z',
      updated_at: '2025-10-01T00:00:00.000Z',
      created_by: expect.any(String),
      updated_by: expect.any(String),
    });
    const [grant] = await ledgerOf(api, w.id);
    expect(grant).toMatchObject({ type: 'credit', transaction_reason: 'FREE_CREDIT_GRANT', credit_amount: '200', amount: '100', credits_available: '200', credit_balance_before: '0', credit_balance_after: '200', transaction_status: 'completed', currency: 'usd', topup_conversion_rate: '0.5' });
    expect(await eventsOf(w.id)).toEqual(['wallet.created']);
    expect(await eventsOf(grant.id)).toEqual(['wallet.transaction.created']);
    const event = (await api.get(`/v1/webhooks/events?entity_id=${grant.id}`)).body.items[0];
    expect((await api.get(`/v1/webhooks/events/${event.id}`)).body.payload).toMatchObject({ transaction: { id: grant.id, wallet_id: w.id, type: 'credit', credit_amount: '200', amount: '100', transaction_reason: 'FREE_CREDIT_GRANT' } });
  });

  it('finds the customer by external id; a postpaid wallet defaults to ALL price types; a zero conversion rate reads as 1', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ external_customer_id: customer.external_id, currency: 'eur', wallet_type: 'POST_PAID', conversion_rate: '0' });
    expect(w).toMatchObject({ customer_id: customer.id, name: 'Postpaid Wallet - EUR', wallet_type: 'POST_PAID', config: { allowed_price_types: ['ALL'] }, conversion_rate: '1', topup_conversion_rate: '1', credit_balance: '0', balance: '0' });
  });

  it('stores valid alert settings and auto top-up', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({
      customer_id: customer.id, currency: 'usd',
      alert_settings: { alert_enabled: true, critical: { threshold: '10', condition: 'below' }, warning: { threshold: '50', condition: 'below' }, info: { threshold: 100, condition: 'below' } },
      auto_topup: { enabled: true, threshold: '5', amount: '100', invoicing: false, cooldown: { value: 1, unit: 'HOUR' } },
    });
    expect(w.alert_settings).toEqual({ alert_enabled: true, critical: { threshold: '10', condition: 'below' }, warning: { threshold: '50', condition: 'below' }, info: { threshold: '100', condition: 'below' } });
    expect(w.auto_topup).toEqual({ enabled: true, threshold: '5', amount: '100', invoicing: false, cooldown: { value: 1, unit: 'HOUR' } });
  });

  it('allows one active wallet per customer, currency and type (409); another type or currency is fine', async () => {
    const customer = await createCustomer(api);
    await createWallet({ customer_id: customer.id, currency: 'usd' });
    await expectRefused(api, { path: '/v1/wallets', body: { customer_id: customer.id, currency: 'USD' } }, { status: 409, code: 'already_exists' }, walletRows);
    await createWallet({ customer_id: customer.id, currency: 'usd', wallet_type: 'POST_PAID' });
    await createWallet({ customer_id: customer.id, currency: 'gbp' });
  });

  it('refuses bad requests naming the fields, writing nothing', async () => {
    const customer = await createCustomer(api);
    await expectRefused(api, { path: '/v1/wallets', body: { currency: 'usd' } }, { fields: ['customer_id'] }, walletRows);
    await expectRefused(api, { path: '/v1/wallets', body: { customer_id: customer.id, currency: 'dollars' } }, { fields: ['currency'] }, walletRows);
    await expectRefused(api, { path: '/v1/wallets', body: { customer_id: customer.id, currency: 'usd', topup_conversion_rate: '0' } }, { fields: ['topup_conversion_rate'] }, walletRows);
    await expectRefused(api, { path: '/v1/wallets', body: { customer_id: customer.id, currency: 'usd', initial_credits_to_load: '-5' } }, { fields: ['initial_credits_to_load'] }, walletRows);
    await expectRefused(api, { path: '/v1/wallets', body: { customer_id: customer.id, currency: 'usd', initial_credits_to_load: '5', initial_credits_expiry_date_utc: '2025-09-30T00:00:00Z' } }, { fields: ['initial_credits_expiry_date_utc'] }, walletRows);
    await expectRefused(api, { path: '/v1/wallets', body: { customer_id: customer.id, currency: 'usd', alert_settings: { alert_enabled: true } } }, { fields: ['alert_settings'] }, walletRows);
    await expectRefused(
      api,
      { path: '/v1/wallets', body: { customer_id: customer.id, currency: 'usd', alert_settings: { critical: { threshold: '50', condition: 'below' }, warning: { threshold: '10', condition: 'below' } } } },
      { fields: ['alert_settings.warning.threshold'] },
      walletRows,
    );
    await expectRefused(api, { path: '/v1/wallets', body: { customer_id: customer.id, currency: 'usd', alert_settings: { warning: { threshold: '10', condition: 'above' } } } }, { fields: ['alert_settings.warning'] }, walletRows);
    await expectRefused(api, { path: '/v1/wallets', body: { customer_id: customer.id, currency: 'usd', auto_topup: { enabled: true, amount: '0' } } }, { fields: ['auto_topup.amount', 'auto_topup.threshold', 'auto_topup.invoicing'] }, walletRows);
    await expectRefused(api, { path: '/v1/wallets', body: { customer_id: 'cust_unknown', currency: 'usd' } }, { status: 404, code: 'not_found', fields: ['customer_id'] }, walletRows);
  });
});

describe('POST /v1/wallets/{id}/top-up', () => {
  it('converts an amount with topup_conversion_rate: $10 at 0.25 buys 40 credits, worth $20 at conversion_rate 0.5', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ customer_id: customer.id, currency: 'usd', conversion_rate: '0.5', topup_conversion_rate: '0.25' });
    at(server, '2025-10-02T00:00:00Z');
    const res = await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', amount: '10' });
    expect(res.wallet_transaction).toMatchObject({ type: 'credit', credit_amount: '40', amount: '10', credits_available: '40', credit_balance_before: '0', credit_balance_after: '40', transaction_reason: 'PURCHASED_CREDIT_DIRECT', topup_conversion_rate: '0.25' });
    expect(res.wallet).toMatchObject({ id: w.id, credit_balance: '40', balance: '20', credits_available_breakdown: { purchased: '40', free: '0' }, updated_at: '2025-10-02T00:00:00.000Z' });
    // credits_to_add 0 falls back to the amount.
    const third = await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', amount: '1', credits_to_add: '0' });
    expect(third.wallet_transaction.credit_amount).toBe('4');
    expectLedgerHolds(await wallet(w.id), await ledgerOf(api, w.id));
  });

  it('adds bonus credits as a linked PURCHASED_CREDIT_BONUS credit', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ customer_id: customer.id, currency: 'usd' });
    const res = await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', credits_to_add: '100', bonus_credits_to_add: '10', bonus_credits_expiry_date_utc: '2026-01-01T00:00:00Z', priority: 3 });
    expect(res.wallet).toMatchObject({ credit_balance: '110', credits_available_breakdown: { purchased: '100', free: '10' } });
    const ledger = await ledgerOf(api, w.id);
    expect(ledger.map((t: any) => [t.transaction_reason, t.credit_amount, t.parent_transaction_id, t.expiry_date, t.priority])).toEqual([
      ['PURCHASED_CREDIT_DIRECT', '100', undefined, undefined, 3],
      ['PURCHASED_CREDIT_BONUS', '10', res.wallet_transaction.id, '2026-01-01T00:00:00.000Z', 3],
    ]);
  });

  it('returns the first top-up for a repeated idempotency_key and adds nothing', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ customer_id: customer.id, currency: 'usd' });
    const first = await topUp(w.id, { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '25', idempotency_key: 'promo-1' });
    const again = await topUp(w.id, { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '25', idempotency_key: 'promo-1' });
    expect(again.wallet_transaction).toEqual(first.wallet_transaction);
    expect(again.wallet.credit_balance).toBe('25');
    expect(first.wallet_transaction.idempotency_key).toBe('promo-1');
    expect(await ledgerOf(api, w.id)).toHaveLength(1);
  });

  it('refuses what it cannot do yet, naming transaction_reason, and bad amounts and dates', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ customer_id: customer.id, currency: 'usd' });
    const path = `/v1/wallets/${w.id}/top-up`;
    for (const reason of ['SUBSCRIPTION_CREDIT_GRANT', 'CREDIT_NOTE', 'INVOICE_VOID_REFUND', 'INVOICE_PAYMENT', 'PURCHASED_CREDIT_BONUS']) {
      const body = await expectRefused(api, { path, body: { transaction_reason: reason, credits_to_add: '5' } }, { fields: ['transaction_reason'] }, stateOf(w.id));
      expect(body.details.transaction_reason).toContain(reason);
    }
    await expectRefused(api, { path, body: { transaction_reason: 'FREE_CREDIT_GRANT' } }, { fields: ['credits_to_add'] }, stateOf(w.id));
    await expectRefused(api, { path, body: { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '-1' } }, { fields: ['credits_to_add'] }, stateOf(w.id));
    await expectRefused(api, { path, body: { transaction_reason: 'FREE_CREDIT_GRANT', amount: '0' } }, { fields: ['amount'] }, stateOf(w.id));
    await expectRefused(api, { path, body: { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '5', expiry_date_utc: '2025-01-01T00:00:00Z' } }, { fields: ['expiry_date_utc'] }, stateOf(w.id));
    await expectRefused(api, { path, body: { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '5', priority: -1 } }, { fields: ['priority'] }, stateOf(w.id));
    await expectRefused(api, { path: '/v1/wallets/wallet_unknown/top-up', body: { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '5' } }, { status: 404 }, stateOf(w.id));
  });
});

describe('debits', () => {
  it('consume credits by priority, then soonest expiry, then larger credit; a manual debit may go beyond them', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ customer_id: customer.id, currency: 'usd', conversion_rate: '2' });
    const a = (await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', credits_to_add: '100', priority: 2 })).wallet_transaction;
    const b = (await topUp(w.id, { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '50', priority: 1, expiry_date_utc: '2026-06-01T00:00:00Z' })).wallet_transaction;
    const c = (await topUp(w.id, { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '30', priority: 1, expiry_date_utc: '2026-01-01T00:00:00Z' })).wallet_transaction;
    const d = (await topUp(w.id, { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '20' })).wallet_transaction;
    const e = (await topUp(w.id, { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '40' })).wallet_transaction;
    const available = async () => Object.fromEntries((await ledgerOf(api, w.id)).filter((t: any) => t.type === 'credit').map((t: any) => [t.id, t.credits_available]));

    const after60 = await debit(w.id, '60');
    expect(after60).toMatchObject({ credit_balance: '180', balance: '360' });
    expect(await available()).toEqual({ [a.id]: '100', [b.id]: '20', [c.id]: '0', [d.id]: '20', [e.id]: '40' }); // c (sooner expiry) whole, then 30 of b

    const after150 = await debit(w.id, '150');
    // b's last 20, a's 100 (priority 2), then of the unprioritised the larger, e: 30 of its 40.
    expect(await available()).toEqual({ [a.id]: '0', [b.id]: '0', [c.id]: '0', [d.id]: '20', [e.id]: '10' });
    expect(after150).toMatchObject({ credit_balance: '30', balance: '60' });

    const over = await debit(w.id, '45.5');
    expect(over).toMatchObject({ credit_balance: '-15.5', balance: '-31' });
    expect(await available()).toEqual({ [a.id]: '0', [b.id]: '0', [c.id]: '0', [d.id]: '0', [e.id]: '0' });
    const last = (await ledgerOf(api, w.id)).at(-1);
    expect(last).toMatchObject({ type: 'debit', transaction_reason: 'MANUAL_BALANCE_DEBIT', credit_amount: '45.5', amount: '91', conversion_rate: '2', credits_available: '0', credit_balance_before: '30', credit_balance_after: '-15.5' });
    expectLedgerHolds(await wallet(w.id), await ledgerOf(api, w.id));
  });

  it('skip expired credits, and a repeated idempotency_key debits once', async () => {
    const customer = await createCustomer(api);
    at(server, '2025-10-01T00:00:00Z');
    const w = await createWallet({ customer_id: customer.id, currency: 'usd' });
    const soon = (await topUp(w.id, { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '10', expiry_date_utc: '2025-10-05T00:00:00Z', priority: 0 })).wallet_transaction;
    const later = (await topUp(w.id, { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '10' })).wallet_transaction;
    at(server, '2025-10-06T00:00:00Z');
    expect((await wallet(w.id)).credits_available_breakdown).toEqual({ purchased: '0', free: '10' });
    await debit(w.id, '4', 'fix-1');
    const again = await debit(w.id, '4', 'fix-1');
    expect(again.credit_balance).toBe('16'); // the expired credit still counts until it is expired by a debit (not yet made)
    const ledger = await ledgerOf(api, w.id);
    expect(ledger).toHaveLength(3);
    expect(ledger.find((t: any) => t.id === soon.id).credits_available).toBe('10');
    expect(ledger.find((t: any) => t.id === later.id).credits_available).toBe('6');
    at(server, '2025-10-01T00:00:00Z');
  });

  it('refuse a debit with another reason, or without credits, naming the field', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ customer_id: customer.id, currency: 'usd' });
    const path = `/v1/wallets/${w.id}/debit`;
    await expectRefused(api, { path, body: { credits: '5', transaction_reason: 'CREDIT_ADJUSTMENT', idempotency_key: 'k' } }, { fields: ['transaction_reason'] }, stateOf(w.id));
    await expectRefused(api, { path, body: { credits: '0', transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: 'k' } }, { fields: ['credits'] }, stateOf(w.id));
    await expectRefused(api, { path, body: { credits: '5', transaction_reason: 'MANUAL_BALANCE_DEBIT' } }, { fields: ['idempotency_key'] }, stateOf(w.id));
  });
});

describe('POST /v1/wallets/{id}/terminate', () => {
  it('debits the remaining balance, closes the wallet, and then refuses every change', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ customer_id: customer.id, currency: 'usd', conversion_rate: '0.5', initial_credits_to_load: '200' });
    await debit(w.id, '50');
    const res = await api.post(`/v1/wallets/${w.id}/terminate`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ message: 'wallet terminated successfully' });
    const closed = await wallet(w.id);
    expect(closed).toMatchObject({ wallet_status: 'closed', credit_balance: '0', balance: '0', credits_available_breakdown: { purchased: '0', free: '0' } });
    const last = (await ledgerOf(api, w.id)).at(-1);
    expect(last).toMatchObject({ type: 'debit', transaction_reason: 'WALLET_TERMINATION', credit_amount: '150', amount: '75', credit_balance_after: '0' });
    expectLedgerHolds(closed, await ledgerOf(api, w.id));
    expect(await eventsOf(w.id)).toEqual(['wallet.created', 'wallet.terminated']);
    const balance = (await api.get(`/v1/wallets/${w.id}/balance/real-time`)).body;
    expect(balance).toMatchObject({ real_time_balance: '0', real_time_credit_balance: '0' });

    await expectRefused(api, { path: `/v1/wallets/${w.id}/terminate`, body: {} }, { code: 'invalid_operation' }, stateOf(w.id));
    await expectRefused(api, { path: `/v1/wallets/${w.id}/top-up`, body: { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '5' } }, { code: 'invalid_operation' }, stateOf(w.id));
    await expectRefused(api, { path: `/v1/wallets/${w.id}/debit`, body: { credits: '5', transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: 'late' } }, { code: 'invalid_operation' }, stateOf(w.id));
    await expectRefused(api, { method: 'PUT', path: `/v1/wallets/${w.id}`, body: { name: 'x' } }, { code: 'invalid_operation' }, stateOf(w.id));
    // A closed wallet frees its slot.
    await createWallet({ customer_id: customer.id, currency: 'usd' });
  });
});

describe('reads and updates', () => {
  it('lists, searches and reads a customer’s wallets, with real-time balances', async () => {
    const customer = await createCustomer(api);
    const usd = await createWallet({ customer_id: customer.id, currency: 'usd', conversion_rate: '0.5', initial_credits_to_load: '200' });
    const eur = await createWallet({ customer_id: customer.id, currency: 'eur' });
    const byId = (await api.get(`/v1/customers/${customer.id}/wallets`)).body;
    expect(byId.map((w: any) => w.id)).toEqual([eur.id, usd.id]);
    const byKey = await api.get(`/v1/customers/wallets?lookup_key=${customer.external_id}`);
    expect(byKey.status).toBe(200);
    expect(byKey.body.map((w: any) => [w.id, w.real_time_balance, w.real_time_credit_balance, w.current_period_usage, w.unpaid_invoices_amount])).toEqual([
      [eur.id, '0', '0', '0', '0'],
      [usd.id, '100', '200', '0', '0'],
    ]);
    const balance = (await api.get(`/v1/wallets/${usd.id}/balance/real-time`)).body;
    expect(balance).toMatchObject({ id: usd.id, balance: '100', credit_balance: '200', real_time_balance: '100', real_time_credit_balance: '200', is_cached_fallback: false, balance_updated_at: '2025-10-01T00:00:00.000Z' });
    expect((await api.get(`/v1/customers/wallets?id=${customer.id}&lookup_key=${customer.external_id}`)).status).toBe(400);
    expect((await api.get('/v1/customers/wallets')).status).toBe(400);
    expect((await api.get('/v1/customers/cust_unknown/wallets')).status).toBe(404);

    const list = (await api.get(`/v1/wallets?wallet_ids=${usd.id}&wallet_ids=${eur.id}&order=asc`)).body;
    expect(list.items.map((w: any) => w.id)).toEqual([usd.id, eur.id]);
    expect(list.pagination).toEqual({ total: 2, limit: 50, offset: 50 });
    const search = (await api.post('/v1/wallets/search', { wallet_ids: [usd.id, eur.id], status: 'active', sort: 'currency', order: 'asc' })).body;
    expect(search.items.map((w: any) => w.currency)).toEqual(['eur', 'usd']);
    expect((await api.post('/v1/wallets/search', { wallet_ids: [usd.id], status: 'closed' })).body.items).toEqual([]);
    expect((await api.post('/v1/wallets/search', { sort: 'nonsense' })).status).toBe(400);
  });

  it('searches transactions across wallets by reason and type', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ customer_id: customer.id, currency: 'usd', initial_credits_to_load: '10' });
    await topUp(w.id, { transaction_reason: 'PURCHASED_CREDIT_DIRECT', credits_to_add: '5', idempotency_key: unique('buy') });
    const found = (await api.post('/v1/wallets/transactions/search', { wallet_id: w.id, transaction_reason: 'PURCHASED_CREDIT_DIRECT' })).body;
    expect(found.items.map((t: any) => [t.credit_amount, t.transaction_reason])).toEqual([['5', 'PURCHASED_CREDIT_DIRECT']]);
    const credits = (await api.get(`/v1/wallets/${w.id}/transactions?type=credit&credits_available_gt=6`)).body;
    expect(credits.items.map((t: any) => t.credit_amount)).toEqual(['10']);
    const filtered = (await api.post('/v1/wallets/transactions/search', { wallet_id: w.id, filters: [{ field: 'credit_amount', operator: 'gt', data_type: 'number', value: { number: 6 } }] })).body;
    expect(filtered.items.map((t: any) => t.credit_amount)).toEqual(['10']);
    expect((await api.get('/v1/wallets/wallet_unknown/transactions')).status).toBe(404);
  });

  it('updates the name, metadata, config and alert settings, announcing wallet.updated', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ customer_id: customer.id, currency: 'usd' });
    at(server, '2025-10-03T00:00:00Z');
    const res = await api.put(`/v1/wallets/${w.id}`, { name: 'Research credits', description: 'for the lab', metadata: { lab: '7' }, config: { allowed_price_types: ['ALL'] }, alert_settings: { alert_enabled: true, critical: { threshold: '5', condition: 'below' } } });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ name: 'Research credits', description: 'for the lab', metadata: { lab: '7' }, config: { allowed_price_types: ['ALL'] }, alert_settings: { alert_enabled: true, critical: { threshold: '5', condition: 'below' } }, updated_at: '2025-10-03T00:00:00.000Z' });
    expect((await api.get('/v1/wallets?alert_enabled=true')).body.items.map((x: any) => x.id)).toContain(w.id);
    expect(await eventsOf(w.id)).toEqual(['wallet.created', 'wallet.updated']);
    await expectRefused(api, { method: 'PUT', path: `/v1/wallets/${w.id}`, body: { alert_settings: { alert_enabled: true } } }, { fields: ['alert_settings'] }, stateOf(w.id));
    at(server, '2025-10-01T00:00:00Z');
  });

  it('keeps environments apart: another environment’s key gets 404', async () => {
    const customer = await createCustomer(api);
    const w = await createWallet({ customer_id: customer.id, currency: 'usd' });
    const { api: other } = await productionApi(server);
    expect((await other.get(`/v1/wallets/${w.id}`)).status).toBe(404);
    expect((await other.post(`/v1/wallets/${w.id}/top-up`, { transaction_reason: 'FREE_CREDIT_GRANT', credits_to_add: '5' })).status).toBe(404);
    expect((await other.get(`/v1/customers/${customer.id}/wallets`)).status).toBe(404);
    expect((await other.post('/v1/wallets', { customer_id: customer.id, currency: 'usd' })).status).toBe(404);
  });
});
