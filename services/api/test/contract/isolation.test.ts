import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../support/api-client.ts';
import { useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let dev: ApiClient;
let prod: ApiClient;
let devEnvId: string;
let prodEnvId: string;
let prodSecretId: string;
let devCustomer: Record<string, any>;

beforeAll(async () => {
  dev = server.api;
  const envs = (await dev.get('/v1/environments')).body.environments as Array<{ id: string; type: string }>;
  devEnvId = envs.find((e) => e.type === 'development')!.id;
  prodEnvId = envs.find((e) => e.type === 'production')!.id;
  const key = await dev.post('/v1/secrets/api/keys', { name: 'prod backend', type: 'private_key', environment_id: prodEnvId });
  expect(key.status).toBe(201);
  prod = server.as(key.body.api_key);
  prodSecretId = key.body.secret.id;

  const created = await dev.post('/v1/customers', { external_id: 'acme', name: 'Acme Dev', email: 'dev@acme.test', metadata: { tier: 'gold' } });
  expect(created.status).toBe(201);
  devCustomer = created.body;
  expect((await dev.post('/v1/customers', { external_id: 'globex', name: 'Globex Dev' })).status).toBe(201);
});

describe('a production key does not see development data', () => {
  it('gets 404 for a development customer by id', async () => {
    const res = await prod.get(`/v1/customers/${devCustomer.id}`);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', http_status_code: 404 });
    expect(JSON.stringify(res.body)).not.toContain('Acme Dev');
    // The same request with the development key finds it.
    expect((await dev.get(`/v1/customers/${devCustomer.id}`)).body).toEqual(devCustomer);
  });

  it('gets 404 by external id', async () => {
    const res = await prod.get('/v1/customers/external/acme');
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect((await dev.get('/v1/customers/external/acme')).body.id).toBe(devCustomer.id);
  });

  it('lists and searches nothing', async () => {
    const list = await prod.get('/v1/customers');
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ items: [], pagination: { total: 0, limit: 50, offset: 50 } });

    const byIds = await prod.get(`/v1/customers?customer_ids=${devCustomer.id}&external_id=acme`);
    expect(byIds.body.items).toEqual([]);

    const search = await prod.post('/v1/customers/search', {
      customer_ids: [devCustomer.id],
      filters: [{ field: 'name', operator: 'contains', data_type: 'string', value: { string: 'Acme' } }],
    });
    expect(search.status).toBe(200);
    expect(search.body).toEqual({ items: [], pagination: { total: 0, limit: 50, offset: 50 } });
    const all = await prod.post('/v1/customers/search', {});
    expect(all.body.pagination.total).toBe(0);

    expect((await dev.get('/v1/customers')).body.pagination.total).toBe(2);
  });

  it('cannot update a development customer, by id or by external id', async () => {
    const byId = await prod.put(`/v1/customers/${devCustomer.id}`, { name: 'Hijacked' });
    expect(byId.status).toBe(404);
    expect(byId.body.code).toBe('not_found');
    const byQueryId = await prod.put(`/v1/customers?id=${devCustomer.id}`, { name: 'Hijacked' });
    expect(byQueryId.status).toBe(404);
    const byExternal = await prod.put('/v1/customers?external_customer_id=acme', { name: 'Hijacked' });
    expect(byExternal.status).toBe(404);
    expect((await dev.get(`/v1/customers/${devCustomer.id}`)).body).toEqual(devCustomer);
  });

  it('cannot delete a development customer', async () => {
    const res = await prod.delete(`/v1/customers/${devCustomer.id}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    const still = await dev.get(`/v1/customers/${devCustomer.id}`);
    expect(still.body.status).toBe('published');
  });

  it('creates the same external_id in production independently', async () => {
    const res = await prod.post('/v1/customers', { external_id: 'acme', name: 'Acme Prod' });
    expect(res.status).toBe(201);
    expect(res.body.id).not.toBe(devCustomer.id);
    expect(res.body.environment_id).toBe(prodEnvId);
    expect(res.body.tenant_id).toBe(devCustomer.tenant_id);

    expect((await prod.get('/v1/customers/external/acme')).body).toMatchObject({ id: res.body.id, name: 'Acme Prod' });
    expect((await dev.get('/v1/customers/external/acme')).body).toMatchObject({ id: devCustomer.id, name: 'Acme Dev', environment_id: devEnvId });
    expect((await prod.get('/v1/customers')).body.items.map((c: { id: string }) => c.id)).toEqual([res.body.id]);

    // Updating and deleting the production one leaves the development one alone.
    expect((await prod.put(`/v1/customers/${res.body.id}`, { name: 'Acme Prod 2' })).status).toBe(200);
    expect((await prod.delete(`/v1/customers/${res.body.id}`)).status).toBe(204);
    expect((await dev.get(`/v1/customers/${devCustomer.id}`)).body).toEqual(devCustomer);
    // Development cannot reach the production customer either.
    expect((await dev.get(`/v1/customers/${res.body.id}`)).status).toBe(404);
  });
});

describe('API keys are scoped to their environment', () => {
  it("lists only the environment's own keys", async () => {
    const devKeys = (await dev.get('/v1/secrets/api/keys')).body.items as Array<{ id: string; environment_id: string }>;
    const prodKeys = (await prod.get('/v1/secrets/api/keys')).body.items as Array<{ id: string; environment_id: string }>;
    expect(prodKeys.map((k) => k.id)).toEqual([prodSecretId]);
    expect(devKeys.map((k) => k.id)).not.toContain(prodSecretId);
    expect(devKeys.length).toBeGreaterThanOrEqual(1);
    expect(devKeys.every((k) => k.environment_id === devEnvId)).toBe(true);
    expect(prodKeys.every((k) => k.environment_id === prodEnvId)).toBe(true);
  });

  it("cannot delete another environment's key", async () => {
    const second = await prod.post('/v1/secrets/api/keys', { name: 'prod second', type: 'private_key' });
    expect(second.status).toBe(201);
    expect(second.body.secret.environment_id).toBe(prodEnvId);

    const res = await dev.delete(`/v1/secrets/api/keys/${second.body.secret.id}`);
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('not_found');
    expect((await server.as(second.body.api_key).get('/v1/customers')).status).toBe(200);

    const devKeyId = (await dev.get('/v1/secrets/api/keys')).body.items[0].id;
    expect((await prod.delete(`/v1/secrets/api/keys/${devKeyId}`)).status).toBe(404);
    expect((await dev.get('/v1/customers')).status).toBe(200);
  });
});
