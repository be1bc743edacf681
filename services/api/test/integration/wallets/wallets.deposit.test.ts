import { beforeAll, describe, expect, it } from 'vitest';
import { Transactions, type Tx } from '../../../src/db/transactions.ts';
import type { ApiClient } from '../../support/api-client.ts';
import { at } from '../../support/billing.ts';
import { createCustomer, useTestServer } from '../../support/fixtures.ts';
import { expectLedgerHolds } from './wallet-ledger.ts';
import { walletServiceOf, wireLedger } from './wallet-service.ts';

/** Deposits: what credit grants, credit notes, void refunds and proration credits put into a wallet. */
const server = useTestServer();
let api: ApiClient;

beforeAll(() => {
  api = server.api;
  at(server, '2025-10-01T00:00:00Z');
});

const run = <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => new Transactions(server.orm).run(fn);

describe('deposit', () => {
  it('creates a PRE_PAID wallet when the customer has none, announces it, and a repeated key adds nothing', async () => {
    const { wallets, auth } = walletServiceOf(server);
    const customer = await createCustomer(api);
    const deposit = { customerId: customer.id, currency: 'usd', reason: 'CREDIT_NOTE' as const, idempotencyKey: 'cn_1', at: server.clock.now(), amount: '30', referenceType: 'EXTERNAL' as const, referenceId: 'cn_1' };
    const first = await run((tx) => wallets.deposit(tx, auth, deposit));
    const again = await run((tx) => wallets.deposit(tx, auth, deposit));
    expect(again.transaction.id).toBe(first.transaction.id);
    expect(again.wallet.id).toBe(first.wallet.id);
    const { wallet, ledger } = await wireLedger(wallets, auth, first.wallet.id);
    expect(wallet).toMatchObject({ wallet_type: 'PRE_PAID', currency: 'usd', credit_balance: '30', balance: '30', conversion_rate: '1', config: { allowed_price_types: ['USAGE'] }, name: 'Prepaid Wallet - USD' });
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ type: 'credit', transaction_reason: 'CREDIT_NOTE', credit_amount: '30', amount: '30', reference_type: 'EXTERNAL', reference_id: 'cn_1', idempotency_key: 'cn_1' });
    expectLedgerHolds(wallet, ledger);
    const events = await api.get('/v1/webhooks/events?event_type=wallet.created&limit=100');
    expect(events.status).toBe(200);
    expect(events.body.items.filter((e: any) => JSON.stringify(e).includes(first.wallet.id))).toHaveLength(1);
  });

  it('goes into the existing active PRE_PAID wallet; an amount becomes credits at its conversion_rate (rate 0.5: $30 → 60 credits)', async () => {
    const { wallets, auth } = walletServiceOf(server);
    const customer = await createCustomer(api);
    const created = await api.post('/v1/wallets', { customer_id: customer.id, currency: 'usd', conversion_rate: '0.5', initial_credits_to_load: '10' });
    expect(created.status, JSON.stringify(created.body)).toBe(200);
    const { wallet: into } = await run((tx) => wallets.deposit(tx, auth, { customerId: customer.id, currency: 'usd', reason: 'INVOICE_VOID_REFUND', idempotencyKey: 'inv_9', at: server.clock.now(), amount: '30' }));
    expect(into.id).toBe(created.body.id);
    const { wallet, ledger } = await wireLedger(wallets, auth, created.body.id);
    expect(wallet).toMatchObject({ credit_balance: '70', balance: '35' });
    expect(ledger[1]).toMatchObject({ transaction_reason: 'INVOICE_VOID_REFUND', credit_amount: '60' });
    expectLedgerHolds(wallet, ledger);
  });

  it('keeps the expiry and priority it is given (a credit grant\'s application)', async () => {
    const { wallets, auth } = walletServiceOf(server);
    const customer = await createCustomer(api);
    const expiry = new Date('2025-11-01T00:00:00Z');
    const { transaction } = await run((tx) => wallets.deposit(tx, auth, { customerId: customer.id, currency: 'eur', reason: 'SUBSCRIPTION_CREDIT_GRANT', idempotencyKey: 'cga_1', at: server.clock.now(), credits: '1000', expiryDate: expiry, priority: 2, conversionRate: '0.01' }));
    expect(transaction).toMatchObject({ creditAmount: '1000', amount: '10', expiryDate: expiry, priority: 2, transactionReason: 'SUBSCRIPTION_CREDIT_GRANT' });
  });
});
