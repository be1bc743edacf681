import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../../support/api-client.ts';
import { count, createCustomer, expectRefused, unique, useTestServer } from '../../support/fixtures.ts';
import { productionApi } from '../../support/test-server.ts';

const server = useTestServer();
let api: ApiClient;
let prod: ApiClient;
let vat: any;
let fee: any;
let customer: any;
beforeAll(async () => {
  api = server.api;
  prod = (await productionApi(server)).api;
  vat = (await api.post('/v1/taxes/rates', { name: 'VAT', code: unique('VAT'), tax_rate_type: 'percentage', percentage_value: '20' })).body;
  fee = (await api.post('/v1/taxes/rates', { name: 'Levy', code: unique('LEVY'), tax_rate_type: 'fixed', fixed_value: '0.5' })).body;
  customer = await createCustomer(api, { external_id: unique('tax-cust') });
});

const associationId = /^ta_[0-9A-HJKMNP-TV-Z]{26}$/;
const ids = (res: { body: { items: Array<{ id: string }> } }) => res.body.items.map((a) => a.id);

async function associate(body: Record<string, unknown>, client = api): Promise<any> {
  const res = await client.post('/v1/taxes/associations', body);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
}

/** Associations of the environment, any status. */
const associationCount = () => count(api, '/v1/taxes/associations', [undefined, 'archived']);
const refuse = (body: unknown, status: number, fields: string[], code?: string) =>
  expectRefused(api, { path: '/v1/taxes/associations', body }, { status, fields, code }, associationCount);

describe('POST /v1/taxes/associations', () => {
  it('links a rate to a customer by id with every field: 200 (as FlexPrice), as FlexPrice sends it', async () => {
    const a = await associate({
      tax_rate_code: vat.code,
      entity_type: 'customer',
      entity_id: customer.id,
      priority: 2,
      auto_apply: true,
      currency: 'EUR',
      start_date: '2026-01-01T00:00:00+01:00',
      end_date: '2027-01-01T00:00:00Z',
      metadata: { source: 'test' },
    });
    expect(a.id).toMatch(associationId);
    expect(a).toEqual({
      id: a.id,
      tax_rate_id: vat.id,
      entity_type: 'customer',
      entity_id: customer.id,
      priority: 2,
      auto_apply: true,
      currency: 'eur',
      start_date: '2025-12-31T23:00:00.000Z',
      end_date: '2027-01-01T00:00:00.000Z',
      metadata: { source: 'test' },
      environment_id: server.bootstrap.defaultEnvironmentId,
      tenant_id: server.bootstrap.tenantId,
      status: 'published',
      created_at: a.created_at,
      updated_at: a.created_at,
      created_by: a.created_by,
      updated_by: a.created_by,
    });
    // A get embeds the rate.
    expect((await api.get(`/v1/taxes/associations/${a.id}`)).body).toEqual({ ...a, tax_rate: vat });
  });

  it('defaults: priority 0, auto_apply false, no currency or end_date member, start_date now (the server clock)', async () => {
    server.clock.freeze(new Date('2026-03-04T05:06:07.890Z'));
    try {
      const a = await associate({ tax_rate_code: fee.code, entity_type: 'customer', entity_id: customer.id });
      expect(a).toMatchObject({ priority: 0, auto_apply: false, start_date: '2026-03-04T05:06:07.890Z', created_at: '2026-03-04T05:06:07.890Z' });
      expect('currency' in a || 'end_date' in a).toBe(false);
    } finally {
      server.clock.freeze(new Date());
    }
  });

  it('resolves external_customer_id to the customer (entity_type customer implied, or given)', async () => {
    const a = await associate({ tax_rate_code: vat.code, external_customer_id: customer.external_id, auto_apply: true });
    expect(a).toMatchObject({ entity_type: 'customer', entity_id: customer.id });
    const b = await associate({ tax_rate_code: vat.code, entity_type: 'customer', entity_id: customer.id, external_customer_id: customer.external_id });
    expect(b.entity_id).toBe(customer.id);
  });

  it('links to the tenant (entity_id is the caller\'s tenant); a subscription or invoice it names must exist (404 naming entity_id)', async () => {
    const t = await associate({ tax_rate_code: fee.code, entity_type: 'tenant' });
    expect(t).toMatchObject({ entity_type: 'tenant', entity_id: server.bootstrap.tenantId });
    const t2 = await associate({ tax_rate_code: fee.code, entity_type: 'tenant', entity_id: server.bootstrap.tenantId });
    expect(t2.entity_id).toBe(server.bootstrap.tenantId);
    const before = await associationCount();
    for (const [entity_type, entity_id] of [['subscription', 'subs_01ABC'], ['invoice', 'inv_01ABC']]) {
      const res = await api.post('/v1/taxes/associations', { tax_rate_code: vat.code, entity_type, entity_id });
      expect([res.status, res.body.code, Object.keys(res.body.details ?? {})]).toEqual([404, 'not_found', ['entity_id']]);
    }
    expect(await associationCount()).toBe(before);
    for (const id of [t.id, t2.id]) await api.delete(`/v1/taxes/associations/${id}`);
  });
});

describe('POST /v1/taxes/associations refusals: 4xx naming the field, nothing written', () => {
  it.each<[string, () => Record<string, unknown>, number, string[], string?]>([
    ['a missing tax_rate_code', () => ({ entity_type: 'tenant' }), 400, ['tax_rate_code'], 'validation_error'],
    ['a blank tax_rate_code', () => ({ tax_rate_code: '  ', entity_type: 'tenant' }), 400, ['tax_rate_code']],
    ['an unknown tax_rate_code', () => ({ tax_rate_code: 'NO_SUCH_RATE', entity_type: 'tenant' }), 404, ['tax_rate_code'], 'not_found'],
    ['a tax_rate_code in the wrong case', () => ({ tax_rate_code: vat.code.toLowerCase(), entity_type: 'tenant' }), 404, ['tax_rate_code'], 'not_found'],
    ['no entity_type and no external_customer_id', () => ({ tax_rate_code: vat.code, entity_id: customer.id }), 400, ['entity_type']],
    ['an unknown entity_type', () => ({ tax_rate_code: vat.code, entity_type: 'plan', entity_id: 'plan_1' }), 400, ['entity_type']],
    ['a customer association without entity_id', () => ({ tax_rate_code: vat.code, entity_type: 'customer' }), 400, ['entity_id']],
    ['a subscription association without entity_id', () => ({ tax_rate_code: vat.code, entity_type: 'subscription' }), 400, ['entity_id']],
    ['an unknown customer', () => ({ tax_rate_code: vat.code, entity_type: 'customer', entity_id: 'cust_NOPE' }), 404, ['entity_id'], 'not_found'],
    ['an unknown external_customer_id', () => ({ tax_rate_code: vat.code, external_customer_id: 'nobody' }), 404, ['external_customer_id'], 'not_found'],
    ['external_customer_id with another entity_type', () => ({ tax_rate_code: vat.code, entity_type: 'tenant', external_customer_id: customer.external_id }), 400, ['entity_type']],
    ['external_customer_id and entity_id naming two customers', () => ({ tax_rate_code: vat.code, entity_type: 'customer', entity_id: 'cust_OTHER', external_customer_id: customer.external_id }), 400, ['external_customer_id']],
    ['a tenant entity_id that is not the caller\'s tenant', () => ({ tax_rate_code: vat.code, entity_type: 'tenant', entity_id: 'tenant_OTHER' }), 400, ['entity_id']],
    ['a negative priority', () => ({ tax_rate_code: vat.code, entity_type: 'tenant', priority: -1 }), 400, ['priority']],
    ['a currency that is not three letters', () => ({ tax_rate_code: vat.code, entity_type: 'tenant', currency: 'u$' }), 400, ['currency']],
    ['end_date not after start_date', () => ({ tax_rate_code: vat.code, entity_type: 'tenant', start_date: '2026-02-01T00:00:00Z', end_date: '2026-02-01T00:00:00Z' }), 400, ['end_date']],
    ['end_date before now when start_date is absent', () => ({ tax_rate_code: vat.code, entity_type: 'tenant', end_date: '2000-01-01T00:00:00Z' }), 400, ['end_date']],
  ])('refuses %s', async (_, body, status, fields, code) => {
    await refuse(body(), status, fields, code);
  });

  it('refuses an INACTIVE rate (400 invalid_operation) and a deleted one (404)', async () => {
    const inactive = (await api.post('/v1/taxes/rates', { name: 'Old', code: unique('OLD'), tax_rate_type: 'percentage', percentage_value: '1' })).body;
    await api.put(`/v1/taxes/rates/${inactive.id}`, { tax_rate_status: 'INACTIVE' });
    await refuse({ tax_rate_code: inactive.code, entity_type: 'tenant' }, 400, ['tax_rate_code'], 'invalid_operation');
    const gone = (await api.post('/v1/taxes/rates', { name: 'Gone', code: unique('GONE'), tax_rate_type: 'percentage', percentage_value: '1' })).body;
    await api.delete(`/v1/taxes/rates/${gone.id}`);
    await refuse({ tax_rate_code: gone.code, entity_type: 'tenant' }, 404, ['tax_rate_code'], 'not_found');
  });

  it('refuses a deleted customer', async () => {
    const c = await createCustomer(api);
    await api.delete(`/v1/customers/${c.id}`);
    await refuse({ tax_rate_code: vat.code, entity_type: 'customer', entity_id: c.id }, 404, ['entity_id'], 'not_found');
    await refuse({ tax_rate_code: vat.code, external_customer_id: c.external_id }, 404, ['external_customer_id'], 'not_found');
  });
});

describe('GET /v1/taxes/associations', () => {
  it('filters by entity, external customer, rate (tax_rate_id or tax_rate_ids), currency, auto_apply and the active window; expand=tax_rate embeds rates', async () => {
    const c = await createCustomer(api, { external_id: unique('list-cust') });
    const a = await associate({ tax_rate_code: vat.code, entity_type: 'customer', entity_id: c.id, auto_apply: true, currency: 'usd', start_date: '2026-01-01T00:00:00Z', end_date: '2026-07-01T00:00:00Z' });
    const b = await associate({ tax_rate_code: fee.code, entity_type: 'customer', entity_id: c.id, priority: 1, start_date: '2026-06-01T00:00:00Z' });
    const of = `entity_type=customer&entity_id=${c.id}`;

    const all = await api.get(`/v1/taxes/associations?${of}&order=asc`);
    expect(ids(all)).toEqual([a.id, b.id]);
    expect(all.body.pagination).toEqual({ total: 2, limit: 50, offset: 50 });
    expect(all.body.items.some((x: object) => 'tax_rate' in x)).toBe(false);

    expect(ids(await api.get(`/v1/taxes/associations?external_customer_id=${c.external_id}&order=asc`))).toEqual([a.id, b.id]);
    expect(ids(await api.get(`/v1/taxes/associations?${of}&tax_rate_id=${fee.id}`))).toEqual([b.id]);
    expect(ids(await api.get(`/v1/taxes/associations?${of}&tax_rate_ids=${vat.id}`))).toEqual([a.id]);
    expect(ids(await api.get(`/v1/taxes/associations?${of}&currency=USD`))).toEqual([a.id]);
    expect(ids(await api.get(`/v1/taxes/associations?${of}&auto_apply=false`))).toEqual([b.id]);
    expect(ids(await api.get(`/v1/taxes/associations?${of}&sort=priority&order=desc`))).toEqual([b.id, a.id]);
    // In effect at some instant of the window: [Feb, Mar] only a; [Jul 1, Aug] only b (a ends Jul 1, exclusive).
    expect(ids(await api.get(`/v1/taxes/associations?${of}&start_date=2026-02-01T00:00:00Z&end_date=2026-03-01T00:00:00Z`))).toEqual([a.id]);
    expect(ids(await api.get(`/v1/taxes/associations?${of}&start_date=2026-07-01T00:00:00Z&end_date=2026-08-01T00:00:00Z`))).toEqual([b.id]);
    expect(ids(await api.get(`/v1/taxes/associations?${of}&start_date=2026-06-15T00:00:00Z&end_date=2026-06-16T00:00:00Z&order=asc`))).toEqual([a.id, b.id]);

    const expanded = await api.get(`/v1/taxes/associations?${of}&expand=tax_rate&order=asc`);
    expect(expanded.body.items.map((x: any) => [x.id, x.tax_rate.code, x.tax_rate.percentage_value, x.tax_rate.fixed_value])).toEqual([
      [a.id, vat.code, '20', '0'],
      [b.id, fee.code, '0', '0.5'],
    ]);
  });

  it('refuses an unknown external customer (404), a mismatched entity_id, a window ending before it starts and an unknown expand', async () => {
    expect((await api.get('/v1/taxes/associations?external_customer_id=nobody')).status).toBe(404);
    const mismatch = await api.get(`/v1/taxes/associations?external_customer_id=${customer.external_id}&entity_id=cust_OTHER`);
    expect(mismatch.status).toBe(400);
    expect(Object.keys(mismatch.body.details)).toEqual(['external_customer_id']);
    const window = await api.get('/v1/taxes/associations?start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z');
    expect(window.body.details).toEqual({ end_date: 'must be on or after start_date' });
    expect((await api.get('/v1/taxes/associations?expand=customer')).body.details).toEqual({ expand: "cannot expand 'customer'; allowed: tax_rate" });
    expect((await api.get('/v1/taxes/associations?entity_type=plan')).status).toBe(400);
  });
});

describe('PUT /v1/taxes/associations/{id}', () => {
  it('changes priority, auto_apply and metadata only; absent fields stay', async () => {
    const a = await associate({ tax_rate_code: vat.code, entity_type: 'customer', entity_id: customer.id, priority: 1, auto_apply: true, currency: 'usd', metadata: { a: '1' } });
    const paused = await api.put(`/v1/taxes/associations/${a.id}`, { auto_apply: false, entity_id: 'cust_OTHER', currency: 'eur' });
    expect(paused.status).toBe(200);
    expect(paused.body).toEqual({ ...a, auto_apply: false, updated_at: paused.body.updated_at });
    const more = await api.put(`/v1/taxes/associations/${a.id}`, { priority: 7, metadata: { b: '2' } });
    expect(more.body).toMatchObject({ priority: 7, auto_apply: false, metadata: { b: '2' }, currency: 'usd', entity_id: customer.id });
  });

  it('refuses a negative priority and answers 404 for an unknown id', async () => {
    const a = await associate({ tax_rate_code: vat.code, entity_type: 'tenant' });
    const res = await api.put(`/v1/taxes/associations/${a.id}`, { priority: -2 });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)).toEqual(['priority']);
    expect((await api.get(`/v1/taxes/associations/${a.id}`)).body.priority).toBe(0);
    expect((await api.put('/v1/taxes/associations/ta_NOPE', { priority: 1 })).status).toBe(404);
    await api.delete(`/v1/taxes/associations/${a.id}`);
  });
});

describe('DELETE /v1/taxes/associations/{id}', () => {
  it('archives it and answers 200 with the archived association; again changes nothing', async () => {
    const a = await associate({ tax_rate_code: vat.code, entity_type: 'customer', entity_id: customer.id, auto_apply: true });
    server.clock.advance(1000);
    const res = await api.delete(`/v1/taxes/associations/${a.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...a, status: 'archived', updated_at: res.body.updated_at });
    expect(new Date(res.body.updated_at).getTime()).toBeGreaterThan(new Date(a.updated_at).getTime());
    expect((await api.get(`/v1/taxes/associations/${a.id}`)).body.status).toBe('archived');
    expect(ids(await api.get(`/v1/taxes/associations?tax_association_ids=${a.id}`))).toEqual([]);
    expect(ids(await api.get(`/v1/taxes/associations?tax_association_ids=${a.id}&status=archived`))).toEqual([a.id]);
    const again = await api.delete(`/v1/taxes/associations/${a.id}`);
    expect(again.body).toEqual(res.body);
  });

  it('answers 404 for an unknown id', async () => {
    expect((await api.delete('/v1/taxes/associations/ta_NOPE')).status).toBe(404);
  });
});

describe('customer creation copies the tenant\'s auto-applied associations', () => {
  it('a new customer gets a copy of each live auto-applied tenant association, from now, with its end date; in the same request', async () => {
    const rate = (await api.post('/v1/taxes/rates', { name: 'State', code: unique('STATE'), tax_rate_type: 'percentage', percentage_value: '6' })).body;
    const start = new Date(server.clock.now().getTime() - 86_400_000).toISOString();
    const end = new Date(server.clock.now().getTime() + 30 * 86_400_000).toISOString();
    const live = await associate({ tax_rate_code: rate.code, entity_type: 'tenant', auto_apply: true, priority: 3, currency: 'usd', start_date: start, end_date: end, metadata: { k: 'v' } });
    const paused = await associate({ tax_rate_code: rate.code, entity_type: 'tenant', auto_apply: false });
    const ended = await associate({ tax_rate_code: rate.code, entity_type: 'tenant', auto_apply: true, start_date: '2020-01-01T00:00:00Z', end_date: '2021-01-01T00:00:00Z' });
    try {
      const c = await createCustomer(api);
      const copies = (await api.get(`/v1/taxes/associations?entity_type=customer&entity_id=${c.id}`)).body.items;
      expect(copies).toHaveLength(1);
      expect(copies[0]).toMatchObject({ tax_rate_id: rate.id, entity_type: 'customer', entity_id: c.id, priority: 3, auto_apply: true, currency: 'usd', end_date: new Date(end).toISOString(), metadata: { k: 'v' } });
      // Starts when the customer was created, not when the tenant association did.
      expect(copies[0].start_date).toBe(c.created_at);
      expect(copies[0].id).not.toBe(live.id);
    } finally {
      for (const a of [live, paused, ended]) await api.delete(`/v1/taxes/associations/${a.id}`);
    }
  });

  it('a customer created when the tenant has none gets none', async () => {
    const c = await createCustomer(api);
    expect((await api.get(`/v1/taxes/associations?entity_type=customer&entity_id=${c.id}`)).body.items).toEqual([]);
  });
});

describe('isolation', () => {
  it('answers 404 to another environment and refuses its rates and customers', async () => {
    const a = await associate({ tax_rate_code: vat.code, entity_type: 'customer', entity_id: customer.id });
    expect((await prod.get(`/v1/taxes/associations/${a.id}`)).status).toBe(404);
    expect((await prod.put(`/v1/taxes/associations/${a.id}`, { priority: 1 })).status).toBe(404);
    expect((await prod.delete(`/v1/taxes/associations/${a.id}`)).status).toBe(404);
    expect((await prod.get(`/v1/taxes/associations?tax_association_ids=${a.id}`)).body.items).toEqual([]);
    // The development environment's rate code and customer do not exist in production.
    const byCode = await prod.post('/v1/taxes/associations', { tax_rate_code: vat.code, entity_type: 'tenant' });
    expect(byCode.status).toBe(404);
    const prodRate = (await prod.post('/v1/taxes/rates', { name: 'P', code: unique('P'), tax_rate_type: 'percentage', percentage_value: '1' })).body;
    const byCustomer = await prod.post('/v1/taxes/associations', { tax_rate_code: prodRate.code, entity_type: 'customer', entity_id: customer.id });
    expect(byCustomer.status).toBe(404);
    expect((await prod.get(`/v1/taxes/associations?external_customer_id=${customer.external_id}`)).status).toBe(404);
    expect((await api.get(`/v1/taxes/associations/${a.id}`)).body.status).toBe('published');
  });
});
