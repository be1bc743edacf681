import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { createCustomer, expectRefused, unique, useTestServer } from '../../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from './wallet-ledger.ts';

/** `POST /v1/wallets/{id}/modify`: a PRE_PAID wallet converted into a POST_PAID one (docs/api/wallets.md#converting-a-prepaid-wallet-to-postpaid). */
const server = useTestServer();
let api: ApiClient;

async function createWallet(body: Record<string, unknown>) {
  const res = await api.post('/v1/wallets', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

async function debit(walletId: string, credits: string) {
  const res = await api.post(`/v1/wallets/${walletId}/debit`, { credits, transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: unique('debit') });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

const modify = (walletId: string) => api.post(`/v1/wallets/${walletId}/modify`, { modification_type: 'prepaid_to_postpaid' });
const wallet = async (id: string) => (await api.get(`/v1/wallets/${id}`)).body;
const walletsOf = async (customerId: string) => (await api.get(`/v1/customers/${customerId}/wallets`)).body as any[];
const eventsOf = async (entityId: string) =>
  (await api.get(`/v1/webhooks/events?entity_id=${entityId}&limit=100`)).body.items.map((e: any) => e.event_type).reverse();
/** What a refused modification must leave as it was: every wallet of the customer, and the wallet's ledger. */
const stateOf = (customerId: string, walletId: string) => async () => [await walletsOf(customerId), await ledgerOf(api, walletId)];

beforeAll(() => {
  api = server.api;
  at(server, '2025-10-01T00:00:00Z');
});

describe('POST /v1/wallets/{id}/modify', () => {
  it('closes a PRE_PAID wallet of 100 credits with 30 spent and moves the 70 left to a new POST_PAID wallet', async () => {
    const customer = await createCustomer(api);
    const alertSettings = { alert_enabled: true, critical: { threshold: '5', condition: 'below' } };
    const autoTopup = { enabled: true, threshold: '1', amount: '50', invoicing: false };
    const prepaid = await createWallet({
      customer_id: customer.id,
      currency: 'usd',
      conversion_rate: '0.5',
      topup_conversion_rate: '0.25',
      initial_credits_to_load: '100',
      alert_settings: alertSettings,
      auto_topup: autoTopup,
    });
    await debit(prepaid.id, '30');
    at(server, '2025-10-05T12:00:00Z');

    const res = await modify(prepaid.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const { original_wallet: original, new_wallet: postpaid } = res.body;
    // 70 credits at 0.5 are $35; the closed wallet holds nothing.
    expect(original).toMatchObject({ id: prepaid.id, wallet_type: 'PRE_PAID', wallet_status: 'closed', credit_balance: '0', balance: '0', credits_available_breakdown: { purchased: '0', free: '0' } });
    expect(postpaid).toEqual({
      id: expect.stringMatching(/^wallet_[0-9A-HJKMNP-TV-Z]{26}$/),
      customer_id: customer.id,
      name: 'Postpaid Wallet - USD',
      description: `Converted from prepaid wallet ${prepaid.id}`,
      currency: 'usd',
      wallet_type: 'POST_PAID',
      wallet_status: 'active',
      credit_balance: '70',
      balance: '35',
      conversion_rate: '0.5',
      topup_conversion_rate: '0.25',
      config: { allowed_price_types: ['ALL'] },
      alert_settings: alertSettings,
      alert_state: 'ok',
      auto_topup: autoTopup,
      credits_available_breakdown: { purchased: '0', free: '70' },
      metadata: { converted_from: prepaid.id },
      environment_id: server.bootstrap.defaultEnvironmentId,
      tenant_id: server.bootstrap.tenantId,
      status: 'published',
      created_at: '2025-10-05T12:00:00.000Z',
      updated_at: '2025-10-05T12:00:00.000Z',
      created_by: expect.any(String),
      updated_by: expect.any(String),
    });
    expect(await wallet(prepaid.id)).toEqual(original);
    expect(await wallet(postpaid.id)).toEqual(postpaid);

    const closedLedger = await ledgerOf(api, prepaid.id);
    expect(closedLedger.map((t) => [t.type, t.transaction_reason, t.credit_amount, t.credits_available])).toEqual([
      ['credit', 'FREE_CREDIT_GRANT', '100', '0'],
      ['debit', 'MANUAL_BALANCE_DEBIT', '30', '0'],
      ['debit', 'WALLET_TERMINATION', '70', '0'],
    ]);
    expect(closedLedger[2]).toMatchObject({ amount: '35', credit_balance_before: '70', credit_balance_after: '0', reference_type: 'REQUEST', reference_id: postpaid.id, description: 'Wallet conversion - prepaid to postpaid' });
    expectLedgerHolds(original, closedLedger);

    const newLedger = await ledgerOf(api, postpaid.id);
    // A credit's amount is what the credits cost at the top-up rate: 70 × 0.25 = $17.50.
    expect(newLedger).toEqual([
      expect.objectContaining({ type: 'credit', transaction_reason: 'FREE_CREDIT_GRANT', transaction_status: 'completed', credit_amount: '70', amount: '17.5', credits_available: '70', credit_balance_before: '0', credit_balance_after: '70', reference_type: 'REQUEST', reference_id: prepaid.id, description: `Credits transferred from prepaid wallet ${prepaid.id}` }),
    ]);
    expect(newLedger[0].expiry_date).toBeUndefined();
    expectLedgerHolds(postpaid, newLedger);

    expect(await eventsOf(prepaid.id)).toEqual(['wallet.created', 'wallet.terminated']);
    expect(await eventsOf(postpaid.id)).toEqual(['wallet.created']);
    expect(await eventsOf(closedLedger[2].id)).toEqual(['wallet.transaction.created']);
    expect(await eventsOf(newLedger[0].id)).toEqual(['wallet.transaction.created']);
    const created = (await api.get(`/v1/webhooks/events?entity_id=${postpaid.id}`)).body.items[0];
    expect((await api.get(`/v1/webhooks/events/${created.id}`)).body.payload).toEqual({
      event_type: 'wallet.created',
      wallet: { id: postpaid.id, customer_id: customer.id, currency: 'usd', balance: '0', credit_balance: '0', wallet_status: 'active', name: 'Postpaid Wallet - USD', wallet_type: 'POST_PAID', conversion_rate: '0.5' },
    });

    // The closed wallet refuses everything; the customer's slot for a PRE_PAID wallet in usd is free again.
    await expectRefused(api, { path: `/v1/wallets/${prepaid.id}/modify`, body: { modification_type: 'prepaid_to_postpaid' } }, { code: 'invalid_operation' }, stateOf(customer.id, prepaid.id));
    await createWallet({ customer_id: customer.id, currency: 'usd' });
  });

  it('moves only credits: a balance a manual debit took below zero stays on the closed wallet, and the new wallet starts empty', async () => {
    const customer = await createCustomer(api);
    const prepaid = await createWallet({ customer_id: customer.id, currency: 'usd', initial_credits_to_load: '10' });
    await debit(prepaid.id, '15');
    const res = await modify(prepaid.id);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.original_wallet).toMatchObject({ wallet_status: 'closed', credit_balance: '-5', balance: '-5' });
    expect(res.body.new_wallet).toMatchObject({ wallet_type: 'POST_PAID', credit_balance: '0', balance: '0', conversion_rate: '1', config: { allowed_price_types: ['ALL'] } });
    expect(await ledgerOf(api, res.body.new_wallet.id)).toEqual([]);
    const ledger = await ledgerOf(api, prepaid.id);
    expect(ledger.map((t) => t.transaction_reason)).toEqual(['FREE_CREDIT_GRANT', 'MANUAL_BALANCE_DEBIT']);
    expectLedgerHolds(res.body.original_wallet, ledger);
  });

  it('refuses a POST_PAID wallet, a closed one, and a customer who already has an active POST_PAID wallet in the currency — changing nothing', async () => {
    const customer = await createCustomer(api);
    const postpaid = await createWallet({ customer_id: customer.id, currency: 'usd', wallet_type: 'POST_PAID', initial_credits_to_load: '20' });
    const prepaid = await createWallet({ customer_id: customer.id, currency: 'usd', initial_credits_to_load: '40' });
    const body = { modification_type: 'prepaid_to_postpaid' };

    const notPrepaid = await expectRefused(api, { path: `/v1/wallets/${postpaid.id}/modify`, body }, { code: 'invalid_operation' }, stateOf(customer.id, postpaid.id));
    expect(notPrepaid.message).toBe(`wallet ${postpaid.id} is not a prepaid wallet; only a PRE_PAID wallet can be converted to postpaid`);
    const taken = await expectRefused(api, { path: `/v1/wallets/${prepaid.id}/modify`, body }, { status: 409, code: 'already_exists' }, stateOf(customer.id, prepaid.id));
    expect(taken.details).toMatchObject({ currency: 'usd', wallet_id: postpaid.id });
    await expectRefused(api, { path: `/v1/wallets/${prepaid.id}/modify`, body: { modification_type: 'postpaid_to_prepaid' } }, { fields: ['modification_type'] }, stateOf(customer.id, prepaid.id));
    await expectRefused(api, { path: `/v1/wallets/${prepaid.id}/modify`, body: {} }, { fields: ['modification_type'] }, stateOf(customer.id, prepaid.id));
    await expectRefused(api, { path: '/v1/wallets/wallet_unknown/modify', body }, { status: 404, code: 'not_found' }, stateOf(customer.id, prepaid.id));

    // A POST_PAID wallet in another currency is no obstacle.
    const eur = await createWallet({ customer_id: customer.id, currency: 'eur', initial_credits_to_load: '5' });
    await createWallet({ customer_id: customer.id, currency: 'gbp', wallet_type: 'POST_PAID' });
    expect((await modify(eur.id)).body.new_wallet).toMatchObject({ currency: 'eur', credit_balance: '5' });

    // Once the POST_PAID wallet is terminated, the conversion goes through; the closed wallet is then refused.
    expect((await api.post(`/v1/wallets/${postpaid.id}/terminate`, {})).status).toBe(200);
    expect((await modify(prepaid.id)).body.new_wallet).toMatchObject({ credit_balance: '40', balance: '40' });
    const closed = await expectRefused(api, { path: `/v1/wallets/${prepaid.id}/modify`, body }, { code: 'invalid_operation' }, stateOf(customer.id, prepaid.id));
    expect(closed.message).toBe(`wallet ${prepaid.id} is closed; only an active wallet can be converted`);
  });

  it('converts once when asked five times at once', async () => {
    const customer = await createCustomer(api);
    const prepaid = await createWallet({ customer_id: customer.id, currency: 'usd', initial_credits_to_load: '25' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => modify(prepaid.id)));
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400, 400, 400, 400]);
    const wallets = await walletsOf(customer.id);
    expect(wallets.map((w) => [w.wallet_type, w.wallet_status, w.credit_balance])).toEqual([
      ['POST_PAID', 'active', '25'],
      ['PRE_PAID', 'closed', '0'],
    ]);
    for (const w of wallets) expectLedgerHolds(w, await ledgerOf(api, w.id));
  });
});
