import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { createCustomer, createTestClock, useTestServer } from '../../support/fixtures.ts';
import { expectLedgerHolds, ledgerOf } from './wallet-ledger.ts';
import { defaultScope, runnersOf } from './wallet-runners.ts';

/**
 * Credit expiry as due work: what is left of a credit past its expiry is debited (CREDIT_EXPIRED)
 * once, keyed by the credit, however many runners look. CI runs this file on PGlite and PostgreSQL.
 */
const server = useTestServer();
let api: ApiClient;

const jan1 = '2025-01-01T00:00:00.000Z';
const feb1 = '2025-02-01T00:00:00.000Z';

/** A wallet with 5 credits that never expire and 10 that expire on 1 February, 4 of them spent. */
async function walletWithExpiring(customerId: string) {
  const res = await api.post('/v1/wallets', { customer_id: customerId, currency: 'usd', initial_credits_to_load: '5' });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  const w = res.body;
  const top = await api.post(`/v1/wallets/${w.id}/top-up`, { credits_to_add: '10', transaction_reason: 'FREE_CREDIT_GRANT', expiry_date_utc: feb1 });
  expect(top.status, JSON.stringify(top.body)).toBe(200);
  // The soonest expiry is consumed first: 4 of the expiring 10.
  const debit = await api.post(`/v1/wallets/${w.id}/debit`, { credits: '4', transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: `spend-${w.id}` });
  expect(debit.body.credit_balance).toBe('11');
  return { wallet: w, expiring: top.body.wallet_transaction };
}

const expiredOf = async (walletId: string) => (await ledgerOf(api, walletId)).filter((t) => t.transaction_reason === 'CREDIT_EXPIRED');

beforeAll(() => {
  api = server.api;
  at(server, jan1);
});

describe('credit expiry', () => {
  it('is due at the expiry instant, not before; 4 runners side by side debit what is left of each credit once', async () => {
    at(server, jan1);
    const made = [];
    for (let i = 0; i < 3; i++) made.push(await walletWithExpiring((await createCustomer(api)).id));
    const runners = runnersOf(server, 4);
    const scope = defaultScope(server);
    expect(await runners[0]!.dueWork.runDueNow(scope, new Date(Date.parse(feb1) - 1))).toBe(0);
    at(server, '2025-02-02T00:00:00Z');
    const processed = await Promise.all(runners.map((r) => r.dueWork.runDueNow(scope, new Date(feb1))));
    expect(processed.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(3);
    for (const { wallet, expiring } of made) {
      const expired = await expiredOf(wallet.id);
      // 10 − 4 spent = 6 left, worth $6 at conversion rate 1.
      expect(expired.map((t) => [t.type, t.credit_amount, t.amount, t.credit_balance_before, t.credit_balance_after, t.created_at, t.idempotency_key])).toEqual([
        ['debit', '6', '6', '11', '5', feb1, `expiry:${expiring.id}`],
      ]);
      const ledger = await ledgerOf(api, wallet.id);
      expect(ledger.find((t) => t.id === expiring.id).credits_available).toBe('0');
      const after = (await api.get(`/v1/wallets/${wallet.id}`)).body;
      expect(after).toMatchObject({ credit_balance: '5', balance: '5', credits_available_breakdown: { free: '5', purchased: '0' } });
      expectLedgerHolds(after, ledger);
    }
    // Nothing is left due.
    expect(await runners[1]!.dueWork.runDueNow(scope, new Date('2025-02-02T00:00:00Z'))).toBe(0);
  });

  it('runs on a test clock’s advance, at the credit’s expiry instant; a conversion rate prices the debit', async () => {
    const clock = await createTestClock(api, { frozen_time: jan1 });
    const c = await createCustomer(api, { test_clock_id: clock.id });
    const res = await api.post('/v1/wallets', { customer_id: c.id, currency: 'usd', conversion_rate: '0.5', initial_credits_to_load: '8', initial_credits_expiry_date_utc: feb1 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const advanced = await api.post(`/v1/test_clocks/${clock.id}/advance`, { frozen_time: '2025-03-15T00:00:00Z' });
    expect(advanced.body).toMatchObject({ status: 'ready' });
    const expired = await expiredOf(res.body.id);
    // 8 credits at $0.50: $4.
    expect(expired.map((t) => [t.credit_amount, t.amount, t.credit_balance_after, t.created_at])).toEqual([['8', '4', '0', feb1]]);
    const after = (await api.get(`/v1/wallets/${res.body.id}`)).body;
    expect(after).toMatchObject({ credit_balance: '0', balance: '0' });
    expectLedgerHolds(after, await ledgerOf(api, res.body.id));
  });
});
