import { describe, expect, it } from 'vitest';
import { useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();

const envId = /^env_[0-9A-HJKMNP-TV-Z]{26}$/;
const toSecond = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

describe('environments', () => {
  let development: Record<string, string>;
  let production: Record<string, string>;

  it('lists the two bootstrap environments, oldest first, in FlexPrice envelope', async () => {
    const res = await server.api.get('/v1/environments');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      environments: [
        { id: expect.stringMatching(envId), name: 'Development', type: 'development', created_at: expect.stringMatching(toSecond), updated_at: expect.stringMatching(toSecond) },
        { id: expect.stringMatching(envId), name: 'Production', type: 'production', created_at: expect.stringMatching(toSecond), updated_at: expect.stringMatching(toSecond) },
      ],
      total: 2,
      offset: 0,
      limit: 50,
    });
    [development, production] = res.body.environments;
    expect(development.id).not.toBe(production.id);
    // The bootstrap key belongs to development.
    const keys = await server.api.get('/v1/secrets/api/keys');
    expect(keys.body.items[0].environment_id).toBe(development.id);
  });

  it('pages with the request offset (not the next one)', async () => {
    const res = await server.api.get('/v1/environments?limit=1&offset=1');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ environments: [production], total: 2, offset: 1, limit: 1 });
  });

  it('gets one environment', async () => {
    const res = await server.api.get(`/v1/environments/${production.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(production);
  });

  it('creates an environment (201) that lists after the others', async () => {
    const before = server.clock.now();
    const res = await server.api.post('/v1/environments', { name: 'Staging', type: 'development' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(envId),
      name: 'Staging',
      type: 'development',
      created_at: expect.stringMatching(toSecond),
      updated_at: expect.stringMatching(toSecond),
    });
    const created = Date.parse(res.body.created_at);
    expect(created).toBeGreaterThanOrEqual(Math.floor(before.getTime() / 1000) * 1000);
    expect(created).toBeLessThanOrEqual(server.clock.now().getTime());

    const list = await server.api.get('/v1/environments');
    expect(list.body.total).toBe(3);
    expect(list.body.environments.map((e: { name: string }) => e.name)).toEqual(['Development', 'Production', 'Staging']);
    expect((await server.api.get(`/v1/environments/${res.body.id}`)).body).toEqual(res.body);
  });

  it('starts a new environment with no keys and no data of another', async () => {
    const env = await server.api.post('/v1/environments', { name: 'Empty', type: 'production' });
    await server.api.post('/v1/customers', { external_id: 'dev-only', name: 'Dev only' });
    const key = await server.api.post('/v1/secrets/api/keys', { name: 'empty env', type: 'private_key', environment_id: env.body.id });
    expect(key.status).toBe(201);
    const as = server.as(key.body.api_key);
    expect((await as.get('/v1/secrets/api/keys')).body.items.map((k: { id: string }) => k.id)).toEqual([key.body.secret.id]);
    expect((await as.get('/v1/customers')).body.pagination.total).toBe(0);
    // Environments belong to the tenant: the new key sees all of them.
    expect((await as.get('/v1/environments')).body.total).toBe(4);
  });

  it('renames an environment and changes its type; absent fields stay', async () => {
    const created = (await server.api.post('/v1/environments', { name: 'Sandbox', type: 'development' })).body;
    server.clock.advance(5000);

    const renamed = await server.api.put(`/v1/environments/${created.id}`, { name: 'Sandbox EU' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toEqual({ ...created, name: 'Sandbox EU', updated_at: expect.stringMatching(toSecond) });
    expect(Date.parse(renamed.body.updated_at) - Date.parse(created.updated_at)).toBeGreaterThanOrEqual(4000);

    const retyped = await server.api.put(`/v1/environments/${created.id}`, { type: 'production' });
    expect(retyped.status).toBe(200);
    expect(retyped.body).toMatchObject({ id: created.id, name: 'Sandbox EU', type: 'production', created_at: created.created_at });

    expect((await server.api.get(`/v1/environments/${created.id}`)).body).toEqual(retyped.body);
  });

  it('answers 404 for an unknown environment on get and update', async () => {
    const id = 'env_01JD2Z7Q8K3M4N5P6R7S8T9V0W';
    const get = await server.api.get(`/v1/environments/${id}`);
    expect(get.status).toBe(404);
    expect(get.body).toMatchObject({ code: 'not_found', http_status_code: 404, message: `Environment with ID ${id} was not found`, details: { id } });
    const put = await server.api.put(`/v1/environments/${id}`, { name: 'Ghost' });
    expect(put.status).toBe(404);
    expect(put.body.code).toBe('not_found');
    expect((await server.api.get('/v1/environments?limit=1000')).body.environments.map((e: { name: string }) => e.name)).not.toContain('Ghost');
  });

  it('refuses an unknown type, naming the field', async () => {
    const res = await server.api.post('/v1/environments', { name: 'QA', type: 'staging' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_error', http_status_code: 400, details: { type: 'must be one of: development, production' } });
    expect(res.body.message).toContain('type');
    const put = await server.api.put(`/v1/environments/${production.id}`, { type: 'Production' });
    expect(put.status).toBe(400);
    expect(put.body.details).toEqual({ type: 'must be one of: development, production' });
  });

  it('refuses a missing or empty name', async () => {
    const missing = await server.api.post('/v1/environments', { type: 'development' });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'validation_error', details: { name: 'is required' } });
    expect(missing.body.message).toContain('name');
    const empty = await server.api.put(`/v1/environments/${production.id}`, { name: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.details).toEqual({ name: 'must not be empty' });
    expect((await server.api.get(`/v1/environments/${production.id}`)).body.name).toBe('Production');
  });
});
