import { beforeAll, describe, expect, it } from 'vitest';
import { Transactions } from '../../../src/db/transactions.ts';
import { addonReader } from '../../../src/modules/addons/index.ts';
import { CreditGrantDueWork, CreditGrantService } from '../../../src/modules/credit-grants/index.ts';
import { customerReader } from '../../../src/modules/customers/index.ts';
import { planReader } from '../../../src/modules/plans/index.ts';
import { subscriptionReader } from '../../../src/modules/subscriptions/index.ts';
import { WalletService } from '../../../src/modules/wallets/index.ts';
import { at, subscribe } from '../../support/billing.ts';
import { createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../../support/fixtures.ts';
import { expectLedgerHolds } from '../wallets/wallet-ledger.ts';
import { creditsOf, upcomingOf, walletOf } from './credit-grant-reads.ts';

/**
 * Three runners of the credit grant due work at once — as three instances on one PostgreSQL would —
 * catch up three months of applications of 12 subscriptions: each (grant, period) is credited once.
 * On PGlite the runners take turns; on PostgreSQL (DATABASE_URL) they really race, and the claim's
 * FOR UPDATE SKIP LOCKED, the deposit's idempotency key and the unique (grant, period start) decide.
 */
const server = useTestServer();
const subs: { customer: any; sub: any }[] = [];

function runner(errors: unknown[]): CreditGrantDueWork {
  const ctx = { db: new Transactions(server.orm), clock: server.clock };
  const wallets = new WalletService(ctx, { customers: customerReader, time: { nowFor: async () => server.clock.now() } });
  const grants = new CreditGrantService(ctx, {
    plans: planReader,
    addons: addonReader,
    subscriptions: subscriptionReader,
    customers: customerReader,
    time: { nowFor: async () => server.clock.now() },
    deposit: (tx, auth, d) => wallets.deposit(tx, auth, d),
  });
  return new CreditGrantDueWork(ctx, { applier: grants.applier, subscriptions: subscriptionReader, onError: (err) => errors.push(err) });
}

beforeAll(async () => {
  at(server, '2025-01-01T00:00:00Z');
  const plan = await createPlan(server.api);
  await createPrice(server.api, fixedPrice(plan.id, { amount: '0' }));
  const res = await server.api.post('/v1/creditgrants', { name: 'Monthly', scope: 'PLAN', plan_id: plan.id, credits: '100', cadence: 'RECURRING', period: 'MONTHLY', period_count: 1, expiration_type: 'NEVER' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  for (let i = 0; i < 12; i++) {
    const customer = await createCustomer(server.api);
    subs.push({ customer, sub: await subscribe(server.api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' }) });
  }
});

describe('credit grant applications, exactly once', () => {
  it('three runners at once credit February, March and April once each for every subscription', async () => {
    const when = at(server, '2025-04-01T00:00:00Z');
    const errors: unknown[] = [];
    const scope = { testClockId: null };
    const runners = [runner(errors), runner(errors), runner(errors)];
    expect(await runners[0]!.nextDue(scope, when)).toEqual(new Date('2025-02-01T00:00:00Z'));
    const done = await Promise.all(runners.map((r) => r.runDue(scope, when)));
    expect(errors).toEqual([]);
    expect(done.reduce((a, b) => a + b, 0)).toBe(36); // 12 × Feb, Mar, Apr: each claimed by one runner only
    expect(await runners[1]!.nextDue(scope, when)).toBeNull();
    for (const { customer, sub } of subs) {
      const { wallet, ledger } = await walletOf(server.api, customer.id);
      expect(creditsOf(ledger).map(([credits]) => credits)).toEqual(['100', '100', '100', '100']); // Jan (at subscribing), Feb, Mar, Apr
      expect(ledger.filter((t) => t.type === 'credit').map((t) => t.created_at)).toEqual(['2025-01-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z', '2025-04-01T00:00:00.000Z']);
      expect(new Set(ledger.map((t) => t.idempotency_key)).size).toBe(4);
      expect(wallet.credit_balance).toBe('400');
      expectLedgerHolds(wallet, ledger);
      expect((await upcomingOf(server.api, sub.id)).map((a) => a[0])).toEqual(['2025-05-01T00:00:00.000Z']);
    }
  });
});
