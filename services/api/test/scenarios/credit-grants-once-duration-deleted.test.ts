// Bea subscribes on 10 January to Basic ($10 a month). Her account manager grants her, on the
// subscription itself, 500 welcome credits once on 20 January (never expiring) and 300 credits every
// month from 10 January, each lapsing 10 days after its month starts. On 15 February a 100-a-month
// grant is backdated to 10 January: January's would already have lapsed (skipped), February's is
// credited at once. The same day the 300-a-month grant is deleted from 1 March: its March credits are
// cancelled, what it already gave stays.
import { describe, expect, it } from 'vitest';
import { at, billAt, subscribe } from '../support/billing.ts';
import { createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../support/fixtures.ts';
import { expectLedgerHolds } from '../integration/wallets/wallet-ledger.ts';
import { creditsOf, upcomingOf, walletOf } from '../integration/credit-grants/credit-grant-reads.ts';

const server = useTestServer();
let bea: any;
let sub: any;
let welcome: any;
let monthly: any;
let backdated: any;

const grant = async (body: Record<string, unknown>) => {
  const res = await server.api.post('/v1/creditgrants', { scope: 'SUBSCRIPTION', subscription_id: sub.id, ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
};

const jan10 = '2025-01-10T00:00:00.000Z';
const jan20 = '2025-01-20T00:00:00.000Z';
const feb10 = '2025-02-10T00:00:00.000Z';
const feb20 = '2025-02-20T00:00:00.000Z';
const mar10 = '2025-03-10T00:00:00.000Z';

describe('one-time, DURATION-expiring and deleted subscription grants', () => {
  it('credits the monthly grant’s first 300 at once (expiring 10 days later) and schedules the welcome credits', async () => {
    at(server, jan10);
    const api = server.api;
    const plan = await createPlan(api, { name: 'Basic' });
    await createPrice(api, fixedPrice(plan.id, { amount: '10' }));
    bea = await createCustomer(api, { name: 'Bea' });
    sub = await subscribe(api, { customer_id: bea.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
    welcome = await grant({ name: 'Welcome', credits: '500', cadence: 'ONETIME', expiration_type: 'NEVER', start_date: jan20, period: 'MONTHLY' });
    expect(welcome).toMatchObject({ scope: 'SUBSCRIPTION', cadence: 'ONETIME', start_date: jan20, credit_grant_anchor: jan20, expiration_type: 'NEVER' });
    expect(welcome.period).toBeUndefined(); // a ONETIME grant drops period, as FlexPrice does
    monthly = await grant({ name: 'Monthly', credits: '300', cadence: 'RECURRING', period: 'MONTHLY', period_count: 1, expiration_type: 'DURATION', expiration_duration: 10, expiration_duration_unit: 'DAY', start_date: jan10 });

    const { wallet, ledger } = await walletOf(api, bea.id);
    expect(creditsOf(ledger)).toEqual([['300', jan20, '300', monthly.id]]); // Jan 10 + 10 days
    expect(wallet).toMatchObject({ credit_balance: '300', credits_available_breakdown: { free: '300', purchased: '0' } });
    expectLedgerHolds(wallet, ledger);
    expect(await upcomingOf(api, sub.id)).toEqual([
      [jan20, jan20, null, 'onetime_credit_grant', '500', 'pending'],
      [feb10, feb10, '2025-03-10T00:00:00.000Z', 'recurring_credit_grant', '300', 'pending'],
    ]);
  });

  it('credits the 500 welcome credits on 20 January, never expiring; January’s 300 lapse then', async () => {
    await billAt(server, jan20);
    const { wallet, ledger } = await walletOf(server.api, bea.id);
    expect(creditsOf(ledger).map(([c, e, , g]) => [c, e, g])).toEqual([
      ['300', jan20, monthly.id],
      ['500', null, welcome.id],
    ]);
    expectLedgerHolds(wallet, ledger);
    at(server, '2025-01-25T00:00:00Z');
    expect((await walletOf(server.api, bea.id)).wallet.credits_available_breakdown).toEqual({ free: '500', purchased: '0' }); // 300 lapsed on the 20th
    expect(await upcomingOf(server.api, sub.id)).toEqual([[feb10, feb10, mar10, 'recurring_credit_grant', '300', 'pending']]);
  });

  it('credits February’s 300 on 10 February, expiring 20 February', async () => {
    await billAt(server, feb10);
    const { wallet, ledger } = await walletOf(server.api, bea.id);
    expect(creditsOf(ledger).map(([c, e, , g]) => [c, e, g])).toEqual([
      ['300', jan20, monthly.id],
      ['500', null, welcome.id],
      ['300', feb20, monthly.id],
    ]);
    expectLedgerHolds(wallet, ledger);
  });

  it('skips the backdated grant’s lapsed January and credits its February at once', async () => {
    at(server, '2025-02-15T00:00:00Z');
    backdated = await grant({ name: 'Backdated', credits: '100', cadence: 'RECURRING', period: 'MONTHLY', period_count: 1, expiration_type: 'DURATION', expiration_duration: 10, expiration_duration_unit: 'DAY', start_date: jan10 });
    const { wallet, ledger } = await walletOf(server.api, bea.id);
    // January's 100 would have lapsed on 20 January: skipped. February's (10 Feb + 10 days) is credited now.
    expect(creditsOf(ledger).filter(([, , , g]) => g === backdated.id)).toEqual([['100', feb20, '100', backdated.id]]);
    expect(wallet.credits_available_breakdown).toEqual({ free: '900', purchased: '0' }); // 500 + 300 + 100
    expectLedgerHolds(wallet, ledger);
  });

  it('deletes the 300-a-month grant from 1 March: March’s application is cancelled, given credits stay', async () => {
    const res = await server.api.request('DELETE', `/v1/creditgrants/${monthly.id}`, { effective_date: '2025-03-01T00:00:00Z' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ message: 'credit grant deleted successfully' });
    const after = await server.api.get(`/v1/creditgrants/${monthly.id}`);
    expect(after.body).toMatchObject({ status: 'published', end_date: '2025-03-01T00:00:00.000Z' });
    expect(await upcomingOf(server.api, sub.id)).toEqual([[mar10, mar10, '2025-04-10T00:00:00.000Z', 'recurring_credit_grant', '100', 'pending']]); // the backdated grant's only
    expect((await walletOf(server.api, bea.id)).wallet.credits_available_breakdown).toEqual({ free: '900', purchased: '0' });
  });

  it('credits only the backdated grant on 10 March', async () => {
    await billAt(server, mar10);
    const { wallet, ledger } = await walletOf(server.api, bea.id);
    expect(creditsOf(ledger).map(([c, e, , g]) => [c, e, g])).toEqual([
      ['300', jan20, monthly.id],
      ['500', null, welcome.id],
      ['300', feb20, monthly.id],
      ['100', feb20, backdated.id],
      ['100', '2025-03-20T00:00:00.000Z', backdated.id],
    ]);
    expectLedgerHolds(wallet, ledger);
    at(server, '2025-03-15T00:00:00Z');
    expect((await walletOf(server.api, bea.id)).wallet.credits_available_breakdown).toEqual({ free: '600', purchased: '0' }); // 500 + March's 100
  });
});
