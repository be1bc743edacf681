import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { at, subscribe } from '../../support/billing.ts';
import { count, createAddon, createCustomer, createPlan, createPrice, createTestClock, expectRefused, fixedPrice, productionClient, useTestServer, withArchived } from '../../support/fixtures.ts';
import { creditsOf, upcomingOf } from './credit-grant-reads.ts';

/** Credit grants through the HTTP API: templates and subscription grants, every refusal, isolation. */
const server = useTestServer();
let api: ApiClient;
let plan: any;
let addon: any;
let sub: any;
let customer: any;

const grants = () => count(api, '/v1/creditgrants', withArchived);
const planGrant = (extra: Record<string, unknown> = {}) => ({ name: 'Monthly credits', scope: 'PLAN', plan_id: plan.id, credits: '1000', cadence: 'RECURRING', period: 'MONTHLY', period_count: 1, expiration_type: 'BILLING_CYCLE', ...extra });
const subGrant = (extra: Record<string, unknown> = {}) => ({ name: 'Boost', scope: 'SUBSCRIPTION', subscription_id: sub.id, credits: '50', cadence: 'ONETIME', expiration_type: 'NEVER', start_date: '2025-06-01T00:00:00Z', ...extra });
const post = (body: unknown) => ({ path: '/v1/creditgrants', body });

beforeAll(async () => {
  api = server.api;
  at(server, '2025-06-01T00:00:00Z');
  plan = await createPlan(api);
  await createPrice(api, fixedPrice(plan.id, { amount: '20' }));
  addon = await createAddon(api);
  customer = await createCustomer(api);
  sub = await subscribe(api, { customer_id: customer.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY' });
});

describe('creating credit grants', () => {
  it('creates a PLAN template with every field it keeps, and reads it back', async () => {
    const res = await api.post('/v1/creditgrants', planGrant({ priority: 2, conversion_rate: '0.5', topup_conversion_rate: 0.25, metadata: { a: 'b' }, subscription_id: 'ignored', expiration_duration: 3 }));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.id).toMatch(/^cg_[0-9A-Z]{26}$/);
    expect(res.body).toEqual({
      id: res.body.id,
      name: 'Monthly credits',
      scope: 'PLAN',
      plan_id: plan.id,
      credits: '1000',
      cadence: 'RECURRING',
      period: 'MONTHLY',
      period_count: 1,
      expiration_type: 'BILLING_CYCLE',
      priority: 2,
      conversion_rate: '0.5',
      topup_conversion_rate: '0.25',
      metadata: { a: 'b' },
      environment_id: server.bootstrap.defaultEnvironmentId,
      tenant_id: server.bootstrap.tenantId,
      status: 'published',
      created_at: '2025-06-01T00:00:00.000Z',
      updated_at: '2025-06-01T00:00:00.000Z',
      created_by: expect.any(String),
      updated_by: expect.any(String),
    });
    expect((await api.get(`/v1/creditgrants/${res.body.id}`)).body).toEqual(res.body);
    expect((await api.get(`/v1/plans/${plan.id}/creditgrants`)).body).toEqual({ items: [res.body], pagination: { total: 1, limit: 0, offset: 0 } });
  });

  it('creates an ADDON template, listed on the addon', async () => {
    const res = await api.post('/v1/creditgrants', { ...planGrant(), scope: 'ADDON', plan_id: undefined, addon_id: addon.id, cadence: 'ONETIME', expiration_type: 'DURATION', expiration_duration: 2, expiration_duration_unit: 'WEEK' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ scope: 'ADDON', addon_id: addon.id, cadence: 'ONETIME', expiration_duration: 2, expiration_duration_unit: 'WEEK' });
    expect(res.body.period).toBeUndefined();
    const listed = await api.get(`/v1/addons/${addon.id}/creditgrants`);
    expect(listed.body.items.map((g: any) => g.id)).toEqual([res.body.id]);
  });

  it('creates a SUBSCRIPTION grant starting now: applied at once into a new PRE_PAID wallet at the grant’s rates', async () => {
    const other = await createCustomer(api);
    const otherSub = await subscribe(api, { customer_id: other.id, plan_id: (await createPlanWithPrice()).id, currency: 'eur', billing_period: 'MONTHLY' });
    const res = await api.post('/v1/creditgrants', { ...subGrant(), subscription_id: otherSub.id, credits: '40', conversion_rate: '0.5', priority: 3 });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ scope: 'SUBSCRIPTION', subscription_id: otherSub.id, start_date: '2025-06-01T00:00:00.000Z', credit_grant_anchor: '2025-06-01T00:00:00.000Z' });
    const wallets = (await api.get(`/v1/customers/${other.id}/wallets`)).body;
    expect(wallets.map((w: any) => [w.currency, w.conversion_rate, w.credit_balance, w.balance])).toEqual([['eur', '0.5', '40', '20']]); // 40 credits × 0.5
    expect(await upcomingOf(api, otherSub.id)).toEqual([]);
  });

  it.each([
    ['a blank name', { name: ' ' }, ['name']],
    ['no plan_id on a PLAN grant', { plan_id: '' }, ['plan_id']],
    ['dates on a PLAN template', { start_date: '2025-06-01T00:00:00Z', end_date: '2025-07-01T00:00:00Z' }, ['start_date', 'end_date']],
    ['credits of 0', { credits: '0' }, ['credits']],
    ['negative credits', { credits: '-5' }, ['credits']],
    ['credits that are not a number', { credits: 'lots' }, ['credits']],
    ['a RECURRING grant without period and period_count', { period: undefined, period_count: undefined }, ['period', 'period_count']],
    ['DURATION expiry without its duration and unit', { expiration_type: 'DURATION' }, ['expiration_duration', 'expiration_duration_unit']],
    ['a conversion_rate of 0', { conversion_rate: '0' }, ['conversion_rate']],
    ['a negative topup_conversion_rate', { topup_conversion_rate: '-1' }, ['topup_conversion_rate']],
    ['an unknown scope', { scope: 'CUSTOMER' }, ['scope']],
    ['an unknown cadence', { cadence: 'WEEKLY' }, ['cadence']],
    ['an unknown period', { period: 'FORTNIGHTLY' }, ['period']],
    ['a period_count of 0', { period_count: 0 }, ['period_count']],
    ['no expiration_type', { expiration_type: undefined }, ['expiration_type']],
    ['an unknown expiration unit', { expiration_type: 'DURATION', expiration_duration: 1, expiration_duration_unit: 'HOUR' }, ['expiration_duration_unit']],
    ['a non-integer priority', { priority: 1.5 }, ['priority']],
  ])('refuses %s, naming the field', async (_, change, fields) => {
    await expectRefused(api, post(planGrant(change)), { status: 400, fields }, grants);
  });

  it.each([
    ['no subscription_id', { subscription_id: undefined }, ['subscription_id']],
    ['no start_date', { start_date: undefined }, ['start_date']],
    ['an end before the start', { end_date: '2025-05-01T00:00:00Z' }, ['end_date']],
    ['an anchor before the start', { credit_grant_anchor: '2025-05-01T00:00:00Z' }, ['credit_grant_anchor']],
    ['a date that is not a date', { start_date: 'June' }, ['start_date']],
    ['a start before the subscription’s', { start_date: '2025-05-31T23:59:59Z' }, ['start_date']],
  ])('refuses a SUBSCRIPTION grant with %s, naming the field', async (_, change, fields) => {
    await expectRefused(api, post(subGrant(change)), { status: 400, fields }, grants);
  });

  it('answers 404 naming the field for a plan, addon or subscription that does not exist (or is another environment’s)', async () => {
    await expectRefused(api, post(planGrant({ plan_id: 'plan_missing' })), { status: 404, code: 'not_found', fields: ['plan_id'] }, grants);
    await expectRefused(api, post({ ...planGrant(), scope: 'ADDON', addon_id: 'addon_missing' }), { status: 404, fields: ['addon_id'] }, grants);
    await expectRefused(api, post(subGrant({ subscription_id: 'subs_missing' })), { status: 404, fields: ['subscription_id'] }, grants);
    await expectRefused(api, post(subGrant({ plan_id: 'plan_missing' })), { status: 404, fields: ['plan_id'] }, grants);
    const { client } = await productionClient(server);
    const foreign = await client.post('/v1/creditgrants', planGrant());
    expect(foreign.status).toBe(404);
  });

  it('refuses a grant on a cancelled subscription', async () => {
    const c = await createCustomer(api);
    const ending = await subscribe(api, { customer_id: c.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', end_date: '2025-06-15T00:00:00Z' });
    at(server, '2025-06-15T00:00:00Z');
    await server.billing.tick();
    expect((await api.get(`/v1/subscriptions/${ending.id}`)).body.subscription_status).toBe('cancelled');
    await expectRefused(api, post(subGrant({ subscription_id: ending.id })), { status: 400, fields: ['subscription_id'] }, grants);
    at(server, '2025-06-01T00:00:00Z');
  });
});

async function createPlanWithPrice(currency = 'eur'): Promise<any> {
  const p = await createPlan(api);
  await createPrice(api, fixedPrice(p.id, { amount: '20', currency }));
  return p;
}

describe('reading, updating and deleting credit grants', () => {
  it('lists by plan, subscription, id and scope; unknown owners are 404', async () => {
    const list = async (q: string) => (await api.get(`/v1/creditgrants?${q}`)).body.items.map((g: any) => g.scope);
    expect(await list(`plan_ids=${plan.id}&scope=PLAN`)).toEqual(['PLAN']);
    expect(await list(`subscription_ids=${sub.id}`)).toEqual([]); // subscribed before the plan had grants
    expect((await api.get('/v1/plans/plan_missing/creditgrants')).status).toBe(404);
    expect((await api.get('/v1/addons/addon_missing/creditgrants')).status).toBe(404);
    expect((await api.get('/v1/subscriptions/subs_missing/grants/upcoming')).status).toBe(404);
    expect((await api.get('/v1/customers/cust_missing/grants/upcoming')).status).toBe(404);
    expect((await api.get('/v1/creditgrants/cg_missing')).status).toBe(404);
  });

  it('renames, replaces metadata and moves a SUBSCRIPTION grant’s end, cancelling applications from it on', async () => {
    const g = (await api.post('/v1/creditgrants', subGrant({ cadence: 'RECURRING', period: 'MONTHLY', period_count: 1, credits: '5' }))).body;
    expect(await upcomingOf(api, sub.id)).toEqual([['2025-07-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z', '2025-08-01T00:00:00.000Z', 'recurring_credit_grant', '5', 'pending']]);
    const res = await api.put(`/v1/creditgrants/${g.id}`, { name: 'Renamed', metadata: { x: 'y' }, end_date: '2025-07-01T00:00:00Z' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', metadata: { x: 'y' }, end_date: '2025-07-01T00:00:00.000Z', credits: '5' });
    expect(await upcomingOf(api, sub.id)).toEqual([]);
  });

  it.each([
    ['a blank name', { name: '' }, 'name'],
    ['an end in the past', { end_date: '2025-05-01T00:00:00Z' }, 'end_date'],
  ])('refuses an update with %s', async (_, body, field) => {
    const g = (await api.post('/v1/creditgrants', subGrant())).body;
    await expectRefused(api, { method: 'PUT', path: `/v1/creditgrants/${g.id}`, body }, { status: 400, fields: [field] }, async () => (await api.get(`/v1/creditgrants/${g.id}`)).body);
  });

  it('refuses a delete with an effective_date that is not a date, and answers 404 for an unknown grant', async () => {
    const g = (await api.post('/v1/creditgrants', subGrant())).body;
    const read = async () => (await api.get(`/v1/creditgrants/${g.id}`)).body;
    await expectRefused(api, { method: 'DELETE', path: `/v1/creditgrants/${g.id}`, body: { effective_date: 'soon' } }, { status: 400, fields: ['effective_date'] }, read);
    await expectRefused(api, { method: 'DELETE', path: '/v1/creditgrants/cg_missing' }, { status: 404, code: 'not_found' }, read);
    await expectRefused(api, { method: 'PUT', path: '/v1/creditgrants/cg_missing', body: { name: 'x' } }, { status: 404, code: 'not_found' }, read);
  });

  it('refuses an end_date on a template', async () => {
    const g = (await api.post('/v1/creditgrants', planGrant())).body;
    await expectRefused(api, { method: 'PUT', path: `/v1/creditgrants/${g.id}`, body: { end_date: '2026-01-01T00:00:00Z' } }, { status: 400, fields: ['end_date'] }, async () => (await api.get(`/v1/creditgrants/${g.id}`)).body);
  });

  it('archives a PLAN template on delete: new subscriptions no longer get it, existing copies stay', async () => {
    const p = await createPlanWithPrice('usd');
    const t = (await api.post('/v1/creditgrants', planGrant({ plan_id: p.id, credits: '7' }))).body;
    const c1 = await createCustomer(api);
    const s1 = await subscribe(api, { customer_id: c1.id, plan_id: p.id, currency: 'usd', billing_period: 'MONTHLY' });
    const del = await api.delete(`/v1/creditgrants/${t.id}`);
    expect(del.body).toEqual({ message: 'credit grant deleted successfully' });
    expect((await api.get(`/v1/creditgrants/${t.id}`)).body.status).toBe('archived');
    const c2 = await createCustomer(api);
    const s2 = await subscribe(api, { customer_id: c2.id, plan_id: p.id, currency: 'usd', billing_period: 'MONTHLY' });
    expect((await api.get(`/v1/creditgrants?subscription_ids=${s1.id}`)).body.items.map((g: any) => g.credits)).toEqual(['7']);
    expect((await api.get(`/v1/creditgrants?subscription_ids=${s2.id}`)).body.items).toEqual([]);
    expect((await api.get(`/v1/plans/${p.id}/creditgrants`)).body.items).toEqual([]);
  });

  it('copies a plan’s templates onto its clone', async () => {
    const p = await createPlanWithPrice('usd');
    const t = (await api.post('/v1/creditgrants', planGrant({ plan_id: p.id, credits: '9', metadata: { k: 'v' } }))).body;
    const clone = await api.post(`/v1/plans/${p.id}/clone`, { name: 'Copy', lookup_key: `copy-${p.id}` });
    expect(clone.status, JSON.stringify(clone.body)).toBe(201);
    const copies = (await api.get(`/v1/plans/${clone.body.id}/creditgrants`)).body.items;
    expect(copies).toHaveLength(1);
    expect(copies[0]).toMatchObject({ scope: 'PLAN', plan_id: clone.body.id, credits: '9', cadence: 'RECURRING', period: 'MONTHLY', expiration_type: 'BILLING_CYCLE', metadata: { k: 'v' } });
    expect(copies[0].id).not.toBe(t.id);
  });

  it('gives a draft its plan’s grants when it is activated, from the start date it is given then', async () => {
    const p = await createPlanWithPrice('usd');
    await api.post('/v1/creditgrants', planGrant({ plan_id: p.id, credits: '11' }));
    const c = await createCustomer(api);
    const draft = await subscribe(api, { customer_id: c.id, plan_id: p.id, currency: 'usd', billing_period: 'MONTHLY', subscription_status: 'draft' });
    expect(draft.subscription_status).toBe('draft');
    expect((await api.get(`/v1/creditgrants?subscription_ids=${draft.id}`)).body.items).toEqual([]);
    at(server, '2025-06-05T00:00:00Z');
    const activated = await api.post(`/v1/subscriptions/${draft.id}/activate`, { start_date: '2025-06-05T00:00:00Z' });
    expect(activated.status, JSON.stringify(activated.body)).toBe(200);
    const copies = (await api.get(`/v1/creditgrants?subscription_ids=${draft.id}`)).body.items;
    expect(copies.map((g: any) => [g.start_date, g.credits])).toEqual([['2025-06-05T00:00:00.000Z', '11']]);
    expect((await api.get(`/v1/customers/${c.id}/wallets`)).body.map((w: any) => w.credit_balance)).toEqual(['11']);
    expect((await upcomingOf(api, draft.id)).map((a) => a[0])).toEqual(['2025-07-05T00:00:00.000Z']);
    at(server, '2025-06-01T00:00:00Z');
  });

  it('takes the calendar’s extremes without a 5xx', async () => {
    const far = await api.post('/v1/creditgrants', subGrant({ cadence: 'RECURRING', period: 'ANNUAL', period_count: 1000, start_date: '9999-12-31T23:59:59Z', expiration_type: 'DURATION', expiration_duration: 10000, expiration_duration_unit: 'YEAR' }));
    expect(far.status, JSON.stringify(far.body)).toBe(201);
    expect((await api.get(`/v1/subscriptions/${sub.id}/grants/upcoming`)).status).toBe(200);
    const ended = await api.request('DELETE', `/v1/creditgrants/${far.body.id}`, { effective_date: '0001-01-01T00:00:00Z' });
    expect(ended.status, JSON.stringify(ended.body)).toBe(200);
    expect((await api.get(`/v1/creditgrants/${far.body.id}`)).body.end_date).toBe('0001-01-01T00:00:00.000Z');
    expect((await api.get('/v1/creditgrants?sort=credits&order=asc&limit=1000')).status).toBe(200);
    expect((await api.get('/v1/creditgrants?sort=nonsense')).status).toBe(400);
  });

  it('keeps another environment’s grants out of reach', async () => {
    const g = (await api.post('/v1/creditgrants', planGrant())).body;
    const { client } = await productionClient(server);
    expect((await client.get(`/v1/creditgrants/${g.id}`)).status).toBe(404);
    expect((await client.put(`/v1/creditgrants/${g.id}`, { name: 'x' })).status).toBe(404);
    expect((await client.delete(`/v1/creditgrants/${g.id}`)).status).toBe(404);
    expect((await client.get('/v1/creditgrants')).body.pagination.total).toBe(0);
  });
});

describe('applications and the subscription’s status', () => {
  it('waits while the subscription is incomplete, and applies once it is paid', async () => {
    const p = await createPlanWithPrice('usd');
    await api.post('/v1/creditgrants', planGrant({ plan_id: p.id, credits: '100' }));
    const c = await createCustomer(api);
    const s = await subscribe(api, { customer_id: c.id, plan_id: p.id, currency: 'usd', billing_period: 'MONTHLY', payment_behavior: 'allow_incomplete' });
    expect(s.subscription_status).toBe('incomplete');
    expect(await upcomingOf(api, s.id)).toEqual([['2025-06-01T00:00:00.000Z', '2025-06-01T00:00:00.000Z', '2025-07-01T00:00:00.000Z', 'first_time_recurring_credit_grant', '100', 'pending']]);
    expect((await server.billing.tick()).processed).toBe(0); // not due while incomplete
    const paid = await api.put(`/v1/invoices/${s.latest_invoice.id}/payment`, { payment_status: 'SUCCEEDED' });
    expect(paid.status, JSON.stringify(paid.body)).toBe(200);
    expect((await server.billing.tick()).processed).toBe(1);
    const wallets = (await api.get(`/v1/customers/${c.id}/wallets`)).body;
    expect(wallets.map((w: any) => w.credit_balance)).toEqual(['100']);
    expect((await upcomingOf(api, s.id)).map((a) => a[0])).toEqual(['2025-07-01T00:00:00.000Z']);
  });

  it('applies in a trial, and cancels what is left when the subscription ends', async () => {
    const p = await createPlan(api);
    // Free after the trial too, so it is active (not incomplete, which would defer the applications) when the trial ends.
    await createPrice(api, fixedPrice(p.id, { amount: '0', trial_period_days: 7 }));
    await api.post('/v1/creditgrants', planGrant({ plan_id: p.id, credits: '10', period: 'WEEKLY' }));
    const c = await createCustomer(api);
    const s = await subscribe(api, { customer_id: c.id, plan_id: p.id, currency: 'usd', billing_period: 'MONTHLY', end_date: '2025-06-10T00:00:00Z' });
    expect(s.subscription_status).toBe('trialing');
    const wallet = async () => (await api.get(`/v1/customers/${c.id}/wallets`)).body[0];
    expect((await wallet()).credit_balance).toBe('10');
    expect((await wallet()).credits_available_breakdown.free).toBe('10');
    // In the trial the billing cycle is the trial: the first 10 lapse on 8 June.
    expect(creditsOf((await api.get(`/v1/wallets/${(await wallet()).id}/transactions`)).body.items)).toEqual([['10', '2025-06-08T00:00:00.000Z', '10', expect.any(String)]]);
    at(server, '2025-06-08T00:00:00Z');
    await server.billing.tick(); // the trial ends (active: nothing to pay), the 8 June application is credited (until 10 June, the end)
    // The trial's 10 lapse (nothing unpaid defers them): 10 + 10 − 10.
    expect((await wallet()).credit_balance).toBe('10');
    at(server, '2025-06-15T00:00:00Z');
    await server.billing.tick(); // ended on 10 June: no application starts after the end
    expect((await api.get(`/v1/subscriptions/${s.id}`)).body.subscription_status).toBe('cancelled');
    // The 8 June credits lapsed on 10 June.
    expect((await wallet()).credit_balance).toBe('0');
    const ledger = (await api.get(`/v1/wallets/${(await wallet()).id}/transactions?order=asc`)).body.items;
    expect(ledger.filter((t: any) => t.transaction_reason === 'CREDIT_EXPIRED').map((t: any) => [t.credit_amount, t.created_at])).toEqual([
      ['10', '2025-06-08T00:00:00.000Z'],
      ['10', '2025-06-15T00:00:00.000Z'],
    ]);
    expect(await upcomingOf(api, s.id)).toEqual([]);
    at(server, '2025-06-01T00:00:00Z');
  });

  it('cancels the pending application of a subscription cancelled before it falls due', async () => {
    const p = await createPlanWithPrice('usd');
    await api.post('/v1/creditgrants', planGrant({ plan_id: p.id, credits: '3', period: 'WEEKLY' }));
    const c = await createCustomer(api);
    const s = await subscribe(api, { customer_id: c.id, plan_id: p.id, currency: 'usd', billing_period: 'MONTHLY' });
    expect((await upcomingOf(api, s.id)).map((a) => a[0])).toEqual(['2025-06-08T00:00:00.000Z']);
    const put = await api.put(`/v1/subscriptions/${s.id}`, { cancel_at: '2025-06-05T00:00:00Z' });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(await upcomingOf(api, s.id)).toEqual([]); // it will not come: the subscription ends first
    at(server, '2025-06-05T00:00:00Z');
    await server.billing.tick();
    expect((await api.get(`/v1/subscriptions/${s.id}`)).body.subscription_status).toBe('cancelled');
    at(server, '2025-06-08T00:00:00Z');
    expect((await server.billing.tick()).processed).toBe(1); // the application, cancelled
    expect((await api.get(`/v1/customers/${c.id}/wallets`)).body.map((w: any) => w.credit_balance)).toEqual(['3']); // only the first
    expect((await server.billing.tick()).processed).toBe(0);
    at(server, '2025-06-01T00:00:00Z');
  });

  it('cancels the pending application of a subscription cancelled at once (POST …/cancel)', async () => {
    const p = await createPlanWithPrice('usd');
    await api.post('/v1/creditgrants', planGrant({ plan_id: p.id, credits: '4', period: 'WEEKLY' }));
    const c = await createCustomer(api);
    const s = await subscribe(api, { customer_id: c.id, plan_id: p.id, currency: 'usd', billing_period: 'MONTHLY' });
    const cancelled = await api.post(`/v1/subscriptions/${s.id}/cancel`, { cancellation_type: 'immediate' });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(await upcomingOf(api, s.id)).toEqual([]);
    at(server, '2025-06-08T00:00:00Z');
    await server.billing.tick();
    expect((await api.get(`/v1/customers/${c.id}/wallets`)).body.map((w: any) => w.credit_balance)).toEqual(['4']); // the first week's only
    at(server, '2025-06-01T00:00:00Z');
  });

  it('applies at most 100 applications of a backdated grant in the request, the rest as due work', async () => {
    const c = await createCustomer(api);
    const s = await subscribe(api, { customer_id: c.id, plan_id: (await createPlanWithPrice('usd')).id, currency: 'usd', billing_period: 'MONTHLY', start_date: '2025-01-01T00:00:00Z' });
    const res = await api.post('/v1/creditgrants', { name: 'Daily', scope: 'SUBSCRIPTION', subscription_id: s.id, credits: '1', cadence: 'RECURRING', period: 'DAILY', period_count: 1, expiration_type: 'NEVER', start_date: '2025-01-01T00:00:00Z' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const balance = async () => (await api.get(`/v1/customers/${c.id}/wallets`)).body[0].credit_balance;
    expect(await balance()).toBe('100');
    await server.billing.tick();
    expect(await balance()).toBe('152'); // 1 January to 1 June inclusive: 31 + 28 + 31 + 30 + 31 + 1 days
    expect((await upcomingOf(api, s.id)).map((a) => a[0])).toEqual(['2025-06-02T00:00:00.000Z']);
  });

  it('runs on a test clock’s advance, each application at its own instant', async () => {
    const clock = await createTestClock(api, { frozen_time: '2025-01-01T00:00:00Z' });
    const p = await createPlanWithPrice('usd');
    await api.post('/v1/creditgrants', planGrant({ plan_id: p.id, credits: '1000' }));
    const c = await createCustomer(api, { test_clock_id: clock.id });
    const s = await subscribe(api, { customer_id: c.id, plan_id: p.id, currency: 'usd', billing_period: 'MONTHLY' });
    const res = await api.post(`/v1/test_clocks/${clock.id}/advance`, { frozen_time: '2025-03-15T00:00:00Z' });
    expect(res.body).toMatchObject({ status: 'ready' });
    const w = (await api.get(`/v1/customers/${c.id}/wallets`)).body[0];
    const ledger = (await api.get(`/v1/wallets/${w.id}/transactions?order=asc`)).body.items;
    expect(creditsOf(ledger).map(([credits, expiry]) => [credits, expiry])).toEqual([
      ['1000', '2025-02-01T00:00:00.000Z'],
      ['1000', '2025-03-01T00:00:00.000Z'],
      ['1000', '2025-04-01T00:00:00.000Z'],
    ]);
    expect(ledger.filter((t: any) => t.type === 'credit').map((t: any) => t.created_at)).toEqual(['2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z', '2025-03-01T00:00:00.000Z']);
    expect(w.credits_available_breakdown.free).toBe('1000');
    expect((await upcomingOf(api, s.id)).map((a) => a[0])).toEqual(['2025-04-01T00:00:00.000Z']);
  });
});
