import { describe, expect, it } from 'vitest';
import { createCustomer, createPlan, createPrice, fixedPrice, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();

type Customer = Record<string, any> & { id: string; external_id: string };

const full = (externalId: string) => ({
  external_id: externalId,
  name: 'Original Name',
  email: 'original@example.test',
  contact: '555-0100',
  address_line1: '1 Old Road',
  address_line2: 'Floor 2',
  address_city: 'Springfield',
  address_state: 'IL',
  address_postal_code: '62701',
  address_country: 'US',
  timezone: 'America/Chicago',
  metadata: { tier: 'gold', region: 'us' },
});

async function get(id: string): Promise<Customer> {
  const res = await server.api.get(`/v1/customers/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

/** The three ways to address an update; each must behave the same. */
const updateForms: [string, string, (c: Customer) => string][] = [
  ['PUT /v1/customers/{id}', '-path', (c) => `/v1/customers/${c.id}`],
  ['PUT /v1/customers?id=', '-query-id', (c) => `/v1/customers?id=${encodeURIComponent(c.id)}`],
  ['PUT /v1/customers?external_customer_id=', '-query-ext', (c) => `/v1/customers?external_customer_id=${encodeURIComponent(c.external_id)}`],
];

describe.each(updateForms)('%s', (_form, tag, pathOf) => {

  it('changes only the given fields and keeps the rest', async () => {
    const original = await createCustomer(server.api, full(`upd-partial${tag}`));
    const res = await server.api.put(pathOf(original), { name: 'New Name', address_city: 'Shelbyville' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...original, name: 'New Name', address_city: 'Shelbyville', updated_at: res.body.updated_at });
    expect(await get(original.id)).toEqual(res.body);
  });

  it('replaces the whole metadata map', async () => {
    const original = await createCustomer(server.api, full(`upd-meta${tag}`));
    const res = await server.api.put(pathOf(original), { metadata: { tier: 'silver' } });
    expect(res.status).toBe(200);
    expect(res.body.metadata).toEqual({ tier: 'silver' });
    expect((await get(original.id)).metadata).toEqual({ tier: 'silver' });
  });

  it('changes every field at once', async () => {
    const original = await createCustomer(server.api, full(`upd-all${tag}`));
    const changes = {
      external_id: `upd-all-renamed${tag}`,
      name: 'Renamed',
      email: 'renamed@example.test',
      contact: '555-0199',
      address_line1: '2 New Road',
      address_line2: 'Floor 9',
      address_city: 'Capital City',
      address_state: 'NY',
      address_postal_code: '10001',
      address_country: 'CA',
      timezone: 'Asia/Tokyo',
      metadata: { tier: 'platinum' },
    };
    const res = await server.api.put(pathOf(original), changes);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      ...changes,
      metadata: { tier: 'platinum', old_external_ids: original.external_id },
      id: original.id,
      created_at: original.created_at,
    });
  });

  it('answers 404 for an unknown customer and changes nothing', async () => {
    const ghost = { id: 'cust_01ARZ3NDEKTSV4RRFFQ69G5FAV', external_id: 'ghost-customer' };
    const res = await server.api.put(pathOf(ghost), { name: 'Nobody' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', http_status_code: 404, success: false });
  });
});

describe('PUT /v1/customers — addressing', () => {
  it('answers 400 when neither id nor external_customer_id is given', async () => {
    const res = await server.api.put('/v1/customers', { name: 'Who?' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(Object.keys(res.body.details)).toEqual(['id']);
    expect(res.body.message).toContain('external_customer_id');
  });

  it('answers 400 when empty id and external_customer_id are given', async () => {
    const res = await server.api.put('/v1/customers?id=&external_customer_id=', { name: 'Who?' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
  });

  it('accepts id and external_customer_id naming the same customer', async () => {
    const c = await createCustomer(server.api, { external_id: 'addr-same', name: 'Same' });
    const res = await server.api.put(`/v1/customers?id=${c.id}&external_customer_id=addr-same`, { name: 'Same Again' });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Same Again');
  });

  it('answers 400 naming external_customer_id when the two name different customers, and changes neither', async () => {
    const a = await createCustomer(server.api, { external_id: 'addr-a', name: 'A' });
    const b = await createCustomer(server.api, { external_id: 'addr-b', name: 'B' });
    const res = await server.api.put(`/v1/customers?id=${a.id}&external_customer_id=addr-b`, { name: 'Clobbered' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(Object.keys(res.body.details)).toEqual(['external_customer_id']);
    expect((await get(a.id)).name).toBe('A');
    expect((await get(b.id)).name).toBe('B');
  });

  it('answers 404 when id is known but external_customer_id is not', async () => {
    const a = await createCustomer(server.api, { external_id: 'addr-half', name: 'Half' });
    const res = await server.api.put(`/v1/customers?id=${a.id}&external_customer_id=addr-missing`, { name: 'X' });
    expect(res.status).toBe(404);
    expect(res.body.details).toEqual({ external_id: 'addr-missing' });
    expect((await get(a.id)).name).toBe('Half');
  });

  it('answers 404 with the id in details for an unknown path id', async () => {
    const res = await server.api.put('/v1/customers/cust_01ARZ3NDEKTSV4RRFFQ69G5FAV', { name: 'X' });
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      code: 'not_found',
      message: 'Customer with ID cust_01ARZ3NDEKTSV4RRFFQ69G5FAV was not found',
      http_status_code: 404,
      details: { id: 'cust_01ARZ3NDEKTSV4RRFFQ69G5FAV' },
      success: false,
      error: { message: 'Customer with ID cust_01ARZ3NDEKTSV4RRFFQ69G5FAV was not found', internal_error: '' },
    });
  });
});

describe('PUT /v1/customers — field rules', () => {
  it('with an empty body changes nothing but updated_at', async () => {
    const c = await createCustomer(server.api, full('rules-empty'));
    server.clock.advance(60_000);
    const res = await server.api.put(`/v1/customers/${c.id}`, {});
    expect(res.status).toBe(200);
    expect({ ...res.body, updated_at: c.updated_at }).toEqual(c);
  });

  it('advances updated_at by the clock and never moves created_at', async () => {
    const c = await createCustomer(server.api, { external_id: 'rules-times', name: 'Times' });
    server.clock.advance(60_000);
    const first = await server.api.put(`/v1/customers/${c.id}`, { name: 'Times 2' });
    expect(first.body.created_at).toBe(c.created_at);
    const gap1 = Date.parse(first.body.updated_at) - Date.parse(c.updated_at);
    expect(gap1).toBeGreaterThanOrEqual(60_000);
    expect(gap1).toBeLessThan(70_000);
    server.clock.advance(60_000);
    const second = await server.api.put(`/v1/customers/${c.id}`, { name: 'Times 3' });
    expect(second.body.created_at).toBe(c.created_at);
    expect(Date.parse(second.body.updated_at) - Date.parse(first.body.updated_at)).toBeGreaterThanOrEqual(60_000);
    expect((await get(c.id)).updated_at).toBe(second.body.updated_at);
  });

  it('records the replaced external_id in metadata.old_external_ids, comma separated after two changes', async () => {
    const c = await createCustomer(server.api, { external_id: 'ext-v1', name: 'Renamer', metadata: { keep: 'me' } });
    const first = await server.api.put(`/v1/customers/${c.id}`, { external_id: 'ext-v2' });
    expect(first.status).toBe(200);
    expect(first.body.external_id).toBe('ext-v2');
    expect(first.body.metadata).toEqual({ keep: 'me', old_external_ids: 'ext-v1' });
    const second = await server.api.put('/v1/customers?external_customer_id=ext-v2', { external_id: 'ext-v3' });
    expect(second.status).toBe(200);
    expect(second.body.external_id).toBe('ext-v3');
    expect(second.body.metadata).toEqual({ keep: 'me', old_external_ids: 'ext-v1,ext-v2' });
    // The customer moves with its external id.
    expect((await server.api.get('/v1/customers/external/ext-v3')).body.id).toBe(c.id);
    expect((await server.api.get('/v1/customers/external/ext-v1')).status).toBe(404);
    expect((await server.api.get('/v1/customers/external/ext-v2')).status).toBe(404);
  });

  it('accepts external_customer_id in the body as the alias of external_id', async () => {
    const c = await createCustomer(server.api, { external_id: 'alias-upd-1', name: 'Alias' });
    const res = await server.api.put(`/v1/customers/${c.id}`, { external_customer_id: 'alias-upd-2' });
    expect(res.status).toBe(200);
    expect(res.body.external_id).toBe('alias-upd-2');
    expect(res.body.metadata.old_external_ids).toBe('alias-upd-1');
  });

  it('does not record an external_id that is set to its current value', async () => {
    const c = await createCustomer(server.api, { external_id: 'same-ext', name: 'Same', metadata: { a: 'b' } });
    const res = await server.api.put(`/v1/customers/${c.id}`, { external_id: 'same-ext', name: 'Same 2' });
    expect(res.status).toBe(200);
    expect(res.body.metadata).toEqual({ a: 'b' });
  });

  it('answers 409 when changing to another live customer’s external_id, and changes nothing', async () => {
    const taken = await createCustomer(server.api, { external_id: 'taken-ext', name: 'Owner' });
    const mover = await createCustomer(server.api, { external_id: 'mover-ext', name: 'Mover', metadata: { m: '1' } });
    const res = await server.api.put(`/v1/customers/${mover.id}`, { external_id: 'taken-ext', name: 'Moved' });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'already_exists', http_status_code: 409, details: { external_id: 'taken-ext' }, success: false });
    expect(await get(mover.id)).toEqual(mover);
    expect(await get(taken.id)).toEqual(taken);
  });

  it('lets only one of two customers concurrently renamed to the same external_id have it', async () => {
    const a = await createCustomer(server.api, { external_id: 'race-upd-a', name: 'A' });
    const b = await createCustomer(server.api, { external_id: 'race-upd-b', name: 'B' });
    const results = await Promise.all([
      server.api.put(`/v1/customers/${a.id}`, { external_id: 'race-upd-target' }),
      server.api.put(`/v1/customers/${b.id}`, { external_id: 'race-upd-target' }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const loser = results.find((r) => r.status === 409);
    expect(loser?.body).toMatchObject({ code: 'already_exists', details: { external_id: 'race-upd-target' } });
    const winner = results.find((r) => r.status === 200)?.body as Customer;
    expect((await server.api.get('/v1/customers/external/race-upd-target')).body.id).toBe(winner.id);
    const other = winner.id === a.id ? b : a;
    expect(await get(other.id)).toEqual(other);
  });

  it('may take the external_id of a deleted customer', async () => {
    const gone = await createCustomer(server.api, { external_id: 'freed-ext', name: 'Gone' });
    expect((await server.api.delete(`/v1/customers/${gone.id}`)).status).toBe(204);
    const c = await createCustomer(server.api, { external_id: 'taker-ext', name: 'Taker' });
    const res = await server.api.put(`/v1/customers/${c.id}`, { external_id: 'freed-ext' });
    expect(res.status).toBe(200);
    expect(res.body.external_id).toBe('freed-ext');
    expect((await server.api.get('/v1/customers/external/freed-ext')).body.id).toBe(c.id);
  });

  it('refuses invalid fields with 400 naming each, and changes nothing', async () => {
    const c = await createCustomer(server.api, full('rules-invalid'));
    for (const [body, fields] of [
      [{ email: 'nope' }, ['email']],
      [{ name: '' }, ['name']],
      [{ name: 'x'.repeat(256) }, ['name']],
      [{ contact: '1'.repeat(21) }, ['contact']],
      [{ timezone: 'Mars/Base' }, ['timezone']],
      [{ timezone: '+01:00' }, ['timezone']],
      [{ address_country: 'XX' }, ['address_country']],
      [{ address_country: 'us' }, ['address_country']],
      [{ external_id: '' }, ['external_id']],
      [{ external_id: 'x-1', external_customer_id: 'x-2' }, ['external_customer_id']],
      [{ timezone: 'Mars/Base', address_country: 'XX' }, ['address_country', 'timezone']],
      [{ metadata: { n: 1 } }, ['metadata.n']],
      [{ name: 'a\u0000b', metadata: { k: '\u0000' } }, ['metadata.k', 'name']],
    ] as const) {
      const res = await server.api.put(`/v1/customers/${c.id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.code).toBe('validation_error');
      expect(Object.keys(res.body.details).sort(), JSON.stringify(body)).toEqual(fields);
    }
    expect(await get(c.id)).toEqual(c);
  });

  it('canonicalises the spelling of a time zone', async () => {
    const c = await createCustomer(server.api, { external_id: 'tz-case', name: 'Zone' });
    const res = await server.api.put(`/v1/customers/${c.id}`, { timezone: 'europe/berlin' });
    expect(res.status).toBe(200);
    expect(res.body.timezone).toBe('Europe/Berlin');
  });
});

describe('DELETE /v1/customers/{id}', () => {
  it('answers 204 with an empty body', async () => {
    const c = await createCustomer(server.api, { external_id: 'del-204', name: 'Doomed' });
    const res = await server.api.delete(`/v1/customers/${c.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
  });

  it('removes the customer from get, get by external id, the list and the default search', async () => {
    const c = await createCustomer(server.api, { external_id: 'del-gone', name: 'Gone Soon', metadata: { del: 'gone' } });
    const bystander = await createCustomer(server.api, { external_id: 'del-stays', name: 'Stays', metadata: { del: 'gone' } });
    const listed = await server.api.get('/v1/customers?external_ids=del-gone&external_ids=del-stays');
    expect(listed.body.pagination.total).toBe(2);

    expect((await server.api.delete(`/v1/customers/${c.id}`)).status).toBe(204);

    const got = await server.api.get(`/v1/customers/${c.id}`);
    expect(got.status).toBe(404);
    expect(got.body).toMatchObject({ code: 'not_found', details: { id: c.id } });
    const byExternal = await server.api.get('/v1/customers/external/del-gone');
    expect(byExternal.status).toBe(404);
    expect(byExternal.body).toMatchObject({ code: 'not_found', details: { external_id: 'del-gone' } });

    const list = await server.api.get('/v1/customers?external_ids=del-gone&external_ids=del-stays');
    expect(list.body.items.map((x: Customer) => x.id)).toEqual([bystander.id]);
    expect(list.body.pagination.total).toBe(1);
    const search = await server.api.post('/v1/customers/search', { metadata: { del: 'gone' } });
    expect(search.body.items.map((x: Customer) => x.id)).toEqual([bystander.id]);
    const byCustomerId = await server.api.post('/v1/customers/search', { customer_ids: [c.id] });
    expect(byCustomerId.body).toEqual({ items: [], pagination: { total: 0, limit: 50, offset: 50 } });
  });

  it('keeps the row, visible with status deleted when searched for', async () => {
    const c = await createCustomer(server.api, { external_id: 'del-visible', name: 'Visible After' });
    server.clock.advance(60_000);
    await server.api.delete(`/v1/customers/${c.id}`);
    const search = await server.api.post('/v1/customers/search', { status: 'deleted', customer_ids: [c.id] });
    expect(search.status).toBe(200);
    expect(search.body.items).toHaveLength(1);
    const row = search.body.items[0];
    expect(row).toMatchObject({ id: c.id, external_id: 'del-visible', name: 'Visible After', status: 'deleted', created_at: c.created_at });
    expect(Date.parse(row.updated_at) - Date.parse(c.updated_at)).toBeGreaterThanOrEqual(60_000);
    const viaList = await server.api.get(`/v1/customers?status=deleted&customer_ids=${c.id}`);
    expect(viaList.body.items.map((x: Customer) => x.status)).toEqual(['deleted']);
  });

  it('answers 404 when deleting again', async () => {
    const c = await createCustomer(server.api, { external_id: 'del-twice', name: 'Twice' });
    expect((await server.api.delete(`/v1/customers/${c.id}`)).status).toBe(204);
    const again = await server.api.delete(`/v1/customers/${c.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 'not_found', http_status_code: 404, details: { id: c.id }, success: false });
  });

  it('answers 400 (not 500) for an id containing a NUL character, on update and delete', async () => {
    expect((await server.api.delete('/v1/customers/cust_%00')).status).toBe(400);
    expect((await server.api.put('/v1/customers/cust_%00', { name: 'X' })).status).toBe(400);
    expect((await server.api.put('/v1/customers?external_customer_id=a%00', { name: 'X' })).status).toBe(400);
  });

  it('answers 404 for an unknown id', async () => {
    const res = await server.api.delete('/v1/customers/cust_01ARZ3NDEKTSV4RRFFQ69G5FAV');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
  });

  it('makes a deleted customer impossible to update', async () => {
    const c = await createCustomer(server.api, { external_id: 'del-frozen', name: 'Frozen' });
    await server.api.delete(`/v1/customers/${c.id}`);
    for (const path of [`/v1/customers/${c.id}`, `/v1/customers?id=${c.id}`, '/v1/customers?external_customer_id=del-frozen']) {
      const res = await server.api.put(path, { name: 'Revived' });
      expect(res.status, path).toBe(404);
    }
    const row = await server.api.post('/v1/customers/search', { status: 'deleted', customer_ids: [c.id] });
    expect(row.body.items[0]).toMatchObject({ name: 'Frozen', status: 'deleted' });
  });

  it('updates the live customer, not a deleted namesake, by external_customer_id', async () => {
    const old = await createCustomer(server.api, { external_id: 'del-namesake', name: 'Old' });
    await server.api.delete(`/v1/customers/${old.id}`);
    const fresh = await createCustomer(server.api, { external_id: 'del-namesake', name: 'New' });
    const res = await server.api.put('/v1/customers?external_customer_id=del-namesake', { name: 'New 2' });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(fresh.id);
    const deleted = await server.api.post('/v1/customers/search', { status: 'deleted', customer_ids: [old.id] });
    expect(deleted.body.items[0].name).toBe('Old');
  });

  it('refuses a customer with a subscription that is not cancelled, then deletes it once cancelled', async () => {
    const plan = await createPlan(server.api, { name: 'Guarded' });
    await createPrice(server.api, fixedPrice(plan.id, { amount: '30' }));
    const c = await createCustomer(server.api, { external_id: 'del-subscribed', name: 'Subscribed' });
    const sub = await server.api.post('/v1/subscriptions', { customer_id: c.id, plan_id: plan.id, currency: 'usd', billing_period: 'MONTHLY', billing_cadence: 'RECURRING', start_date: new Date(server.clock.now()).toISOString() });
    expect(sub.status).toBe(201);
    const refused = await server.api.delete(`/v1/customers/${c.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalid_operation', details: { id: c.id } });
    expect(refused.body.message).toMatch(/subscriptions that are not cancelled/);
    expect((await get(c.id)).status).toBe('published');
    const cancelled = await server.api.post(`/v1/subscriptions/${sub.body.id}/cancel`, { cancellation_type: 'immediate' });
    expect(cancelled.status).toBe(200);
    expect((await server.api.delete(`/v1/customers/${c.id}`)).status).toBe(204);
  });

  it('refuses a customer with an active wallet, then deletes it once the wallet is terminated', async () => {
    const c = await createCustomer(server.api, { external_id: 'del-wallet', name: 'Walleted' });
    const wallet = await server.api.post('/v1/wallets', { customer_id: c.id, currency: 'usd' });
    expect(wallet.status).toBe(200);
    const refused = await server.api.delete(`/v1/customers/${c.id}`);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'invalid_operation', details: { id: c.id } });
    expect(refused.body.message).toMatch(/active wallets/);
    expect((await get(c.id)).status).toBe('published');
    expect((await server.api.post(`/v1/wallets/${wallet.body.id}/terminate`, {})).status).toBe(200);
    expect((await server.api.delete(`/v1/customers/${c.id}`)).status).toBe(204);
  });
});
