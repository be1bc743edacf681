// Acme subscribes on 1 January to Pro ($20 a month in advance), whose plan grants 1,000 credits every
// month that lapse at the end of the billing cycle. On subscribing, the plan's grant is copied onto
// the subscription and its first application is made at once: 1,000 credits expiring 1 February.
// On 1 February the bill run renews the subscription and applies the second: 1,000 more, expiring
// 1 March; January's lapse. On 1 March the third. Each month the customer can spend 1,000 credits.
import { describe, expect, it } from 'vitest';
import { at, billAt, subscribe } from '../support/billing.ts';
import { createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../support/fixtures.ts';
import { expectLedgerHolds } from '../integration/wallets/wallet-ledger.ts';
import { creditsOf, grantsOf, upcomingOf, walletOf } from '../integration/credit-grants/credit-grant-reads.ts';

const server = useTestServer();
let customer: any;
let sub: any;
let template: any;
let grant: any;

const jan1 = '2025-01-01T00:00:00.000Z';
const feb1 = '2025-02-01T00:00:00.000Z';
const mar1 = '2025-03-01T00:00:00.000Z';
const apr1 = '2025-04-01T00:00:00.000Z';

describe('a monthly credit grant that lapses with the billing cycle', () => {
  it('copies the plan’s grant onto the subscription and credits 1,000 at once, expiring 1 February', async () => {
    at(server, jan1);
    const api = server.api;
    const plan = await createPlan(api, { name: 'Pro' });
    await createPrice(api, fixedPrice(plan.id, { amount: '20' }));
    const res = await api.post('/v1/creditgrants', {
      name: 'Monthly credits',
      scope: 'PLAN',
      plan_id: plan.id,
      credits: '1000',
      cadence: 'RECURRING',
      period: 'MONTHLY',
      period_count: 1,
      expiration_type: 'BILLING_CYCLE',
      priority: 1,
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    template = res.body;
    customer = await createCustomer(api, { name: 'Acme' });
    sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    expect(sub).toMatchObject({ subscription_status: 'active', current_period_end: feb1 });

    const grants = await grantsOf(api, sub.id);
    expect(grants).toHaveLength(1);
    grant = grants[0];
    expect(grant).toMatchObject({
      scope: 'SUBSCRIPTION',
      name: 'Monthly credits',
      plan_id: plan.id,
      subscription_id: sub.id,
      credits: '1000',
      cadence: 'RECURRING',
      period: 'MONTHLY',
      period_count: 1,
      expiration_type: 'BILLING_CYCLE',
      priority: 1,
      start_date: jan1,
      credit_grant_anchor: jan1,
      status: 'published',
    });
    expect(grant.id).not.toBe(template.id);

    const { wallet, ledger } = await walletOf(api, customer.id);
    expect(wallet).toMatchObject({ wallet_type: 'PRE_PAID', currency: 'usd', conversion_rate: '1', credit_balance: '1000', balance: '1000', credits_available_breakdown: { free: '1000', purchased: '0' } });
    expect(creditsOf(ledger)).toEqual([['1000', feb1, '1000', grant.id]]);
    expect(ledger[0]).toMatchObject({ transaction_reason: 'SUBSCRIPTION_CREDIT_GRANT', priority: 1, created_at: jan1 });
    expect(ledger[0].idempotency_key).toMatch(/^cga_/);
    expectLedgerHolds(wallet, ledger);

    // Next: February's 1,000, due 1 February.
    expect(await upcomingOf(api, sub.id)).toEqual([[feb1, feb1, mar1, 'recurring_credit_grant', '1000', 'pending']]);
  });

  it('leaves 1,000 credits to spend in mid-January', async () => {
    at(server, '2025-01-15T00:00:00Z');
    const { wallet } = await walletOf(server.api, customer.id);
    expect(wallet.credits_available_breakdown).toEqual({ free: '1000', purchased: '0' });
  });

  it('credits February’s 1,000 on 1 February, expiring 1 March', async () => {
    await billAt(server, feb1);
    const { wallet, ledger } = await walletOf(server.api, customer.id);
    expect(creditsOf(ledger)).toEqual([
      ['1000', feb1, expect.any(String), grant.id], // January's: lapses now (the expiry job debits what is left)
      ['1000', mar1, '1000', grant.id], // February's
    ]);
    expect(ledger.filter((t) => t.type === 'credit')[1]).toMatchObject({ created_at: feb1, transaction_reason: 'SUBSCRIPTION_CREDIT_GRANT' });
    expectLedgerHolds(wallet, ledger);
    expect(await upcomingOf(server.api, sub.id)).toEqual([[mar1, mar1, apr1, 'recurring_credit_grant', '1000', 'pending']]);
  });

  it('leaves only February’s 1,000 to spend in mid-February', async () => {
    at(server, '2025-02-15T00:00:00Z');
    const { wallet } = await walletOf(server.api, customer.id);
    expect(wallet.credits_available_breakdown).toEqual({ free: '1000', purchased: '0' });
  });

  it('credits March’s 1,000 on 1 March, once however often the bill run looks', async () => {
    await billAt(server, mar1);
    expect(await billAt(server, mar1)).toBe(0); // nothing left due
    const { wallet, ledger } = await walletOf(server.api, customer.id);
    expect(creditsOf(ledger).map(([credits, expiry]) => [credits, expiry])).toEqual([
      ['1000', feb1],
      ['1000', mar1],
      ['1000', apr1],
    ]);
    expectLedgerHolds(wallet, ledger);
    expect(await upcomingOf(server.api, sub.id)).toEqual([[apr1, apr1, '2025-05-01T00:00:00.000Z', 'recurring_credit_grant', '1000', 'pending']]);
    at(server, '2025-03-15T00:00:00Z');
    expect((await walletOf(server.api, customer.id)).wallet.credits_available_breakdown).toEqual({ free: '1000', purchased: '0' });
    // The customer's view lists the same upcoming application.
    const forCustomer = await server.api.get(`/v1/customers/${customer.id}/grants/upcoming`);
    expect(forCustomer.body.items.map((a: any) => [a.subscription_id, a.credit_grant_id, a.scheduled_for])).toEqual([[sub.id, grant.id, apr1]]);
  });

  it('keeps the plan’s template a template: listed on the plan, never applied itself', async () => {
    const res = await server.api.get(`/v1/plans/${template.plan_id}/creditgrants`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((g: any) => [g.id, g.scope])).toEqual([[template.id, 'PLAN']]);
    expect(template.start_date).toBeUndefined();
  });
});
