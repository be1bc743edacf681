import { beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/errors/app-error.ts';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { createCustomer, useTestServer } from '../../support/fixtures.ts';
import { expectLedgerHolds } from './wallet-ledger.ts';
import { walletServiceOf, wireLedger } from './wallet-service.ts';

/**
 * Debits lock the wallet's row (SELECT … FOR UPDATE), so concurrent debits never read the same
 * balance: on PGlite (one connection, transactions take turns) and on PostgreSQL (a pool, real
 * concurrency) alike. CI runs this file on both.
 */
const server = useTestServer();
let api: ApiClient;

async function walletWith(credits: string) {
  const customer = await createCustomer(api);
  const res = await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', initial_credits_to_load: credits });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

beforeAll(() => {
  api = server.api;
  at(server, '2025-10-01T00:00:00Z');
});

describe('concurrent debits', () => {
  it('20 simultaneous debits of 1 credit against 10 credits: exactly 10 succeed, the others are refused as insufficient balance', async () => {
    const { wallets, auth } = walletServiceOf(server);
    const wallet = await walletWith('10');
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => wallets.consumeNow(auth, wallet.id, { credits: '1', reason: 'CREDIT_ADJUSTMENT', referenceType: 'INVOICE', referenceId: `inv_${i}` })),
    );
    const succeeded = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(succeeded).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(AppError);
      expect(r.reason).toMatchObject({ code: 'invalid_operation', message: 'insufficient balance' });
    }
    const { wallet: after, ledger } = await wireLedger(wallets, auth, wallet.id);
    expect(after.credit_balance).toBe('0');
    expect(ledger.filter((t) => t.type === 'debit')).toHaveLength(10);
    expectLedgerHolds(after, ledger);
  });

  it('a debit the credits cannot cover is refused and writes nothing; a repeated idempotency key debits once', async () => {
    const { wallets, auth } = walletServiceOf(server);
    const wallet = await walletWith('5');
    await expect(wallets.consumeNow(auth, wallet.id, { credits: '6', reason: 'CREDIT_ADJUSTMENT' })).rejects.toMatchObject({ code: 'invalid_operation', message: 'insufficient balance' });
    const first = await wallets.consumeNow(auth, wallet.id, { credits: '2', reason: 'CREDIT_ADJUSTMENT', idempotencyKey: 'inv_1' });
    const again = await wallets.consumeNow(auth, wallet.id, { credits: '2', reason: 'CREDIT_ADJUSTMENT', idempotencyKey: 'inv_1' });
    expect(again.id).toBe(first.id);
    const { wallet: after, ledger } = await wireLedger(wallets, auth, wallet.id);
    expect(after.credit_balance).toBe('3');
    expect(ledger).toHaveLength(2);
    expectLedgerHolds(after, ledger);
  });

  it('20 simultaneous manual debits through the API lose no update', async () => {
    const wallet = await walletWith('100');
    const responses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.post(`/v1/wallets/${wallet.id}/debit`, { credits: '1.5', transaction_reason: 'MANUAL_BALANCE_DEBIT', idempotency_key: `burst-${i}` })),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    const { wallets, auth } = walletServiceOf(server);
    const { wallet: after, ledger } = await wireLedger(wallets, auth, wallet.id);
    expect(after.credit_balance).toBe('70'); // 100 − 20 × 1.5
    expectLedgerHolds(after, ledger);
  });
});
