import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer();
let developmentId: string;
let productionId: string;

beforeAll(async () => {
  const envs = await server.api.get('/v1/environments');
  developmentId = envs.body.environments.find((e: { type: string }) => e.type === 'development').id;
  productionId = envs.body.environments.find((e: { type: string }) => e.type === 'production').id;
});

const ulid = '[0-9A-HJKMNP-TV-Z]{26}';
const isoMs = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

async function allKeys(as = server.api, status?: string): Promise<Array<Record<string, any>>> {
  const res = await as.get(`/v1/secrets/api/keys?limit=1000${status ? `&status=${status}` : ''}`);
  expect(res.status).toBe(200);
  return res.body.items;
}

/** A fresh environment holding exactly one key, and that key. */
async function environmentWithOneKey(name: string): Promise<{ environmentId: string; key: string; secretId: string }> {
  const env = await server.api.post('/v1/environments', { name, type: 'development' });
  expect(env.status).toBe(201);
  const { api_key, secret } = await createApiKey(server.api, { name: `${name} key`, environment_id: env.body.id });
  return { environmentId: env.body.id, key: api_key, secretId: secret.id };
}

describe('POST /v1/secrets/api/keys', () => {
  it('creates a private key: the key once, and its record', async () => {
    const before = server.clock.now();
    const res = await server.api.post('/v1/secrets/api/keys', { name: 'Backend server', type: 'private_key' });
    expect(res.status).toBe(201);
    const { api_key, secret } = res.body;
    expect(api_key).toMatch(new RegExp(`^sk_${ulid}$`));
    expect(secret).toEqual({
      id: expect.stringMatching(new RegExp(`^secret_${ulid}$`)),
      name: 'Backend server',
      type: 'private_key',
      provider: 'flexprice',
      display_id: `${api_key.slice(0, 5)}***${api_key.slice(-2)}`,
      status: 'published',
      environment_id: developmentId,
      roles: [],
      user_type: 'service_account',
      created_at: expect.stringMatching(isoMs),
      updated_at: expect.stringMatching(isoMs),
    });
    expect(Date.parse(secret.created_at)).toBeGreaterThanOrEqual(before.getTime());
    expect(secret.updated_at).toBe(secret.created_at);
  });

  it('prefixes each key type as FlexPrice does', async () => {
    const cases = { private_key: 'sk', publishable_key: 'pk', integration: 'key' } as const;
    for (const [type, prefix] of Object.entries(cases)) {
      const { api_key, secret } = await createApiKey(server.api, { name: type, type });
      expect(api_key).toMatch(new RegExp(`^${prefix}_${ulid}$`));
      expect(secret.type).toBe(type);
      expect(secret.display_id).toBe(`${api_key.slice(0, 5)}***${api_key.slice(-2)}`);
    }
  });

  it('returns a key that authenticates in the same environment', async () => {
    const { api_key, secret } = await createApiKey(server.api, { name: 'works' });
    const res = await server.as(api_key).get('/v1/secrets/api/keys?limit=1000');
    expect(res.status).toBe(200);
    expect(res.body.items.map((k: { id: string }) => k.id)).toContain(secret.id);
  });

  it('keeps expires_at and returns it', async () => {
    const expiresAt = new Date(server.clock.now().getTime() + 7 * 86400_000);
    const { secret } = await createApiKey(server.api, { name: 'a week', expires_at: expiresAt.toISOString() });
    expect(secret.expires_at).toBe(expiresAt.toISOString());
    expect((await allKeys()).find((k) => k.id === secret.id)?.expires_at).toBe(expiresAt.toISOString());
  });

  it('accepts expires_at with an offset and returns it in UTC', async () => {
    const at = new Date(server.clock.now().getTime() + 86400_000);
    at.setUTCMilliseconds(0);
    const local = new Date(at.getTime() + 2 * 3600_000).toISOString().replace(/\.000Z$/, '+02:00');
    const { secret } = await createApiKey(server.api, { name: 'offset', expires_at: local });
    expect(secret.expires_at).toBe(at.toISOString());
  });

  it('refuses expires_at in the past, naming the field', async () => {
    const res = await server.api.post('/v1/secrets/api/keys', {
      name: 'stale',
      type: 'private_key',
      expires_at: new Date(server.clock.now().getTime() - 60_000).toISOString(),
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_error', http_status_code: 400, details: { expires_at: 'must be in the future' } });
    expect(res.body.message).toContain('expires_at');
  });

  it('refuses an expires_at that is not a date-time', async () => {
    const res = await server.api.post('/v1/secrets/api/keys', { name: 'bad date', type: 'private_key', expires_at: 'tomorrow' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.details).toEqual({ expires_at: 'must be a valid date-time' });
  });

  it('refuses an unknown type, listing the allowed ones', async () => {
    const res = await server.api.post('/v1/secrets/api/keys', { name: 'x', type: 'secret_key' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_error', details: { type: 'must be one of: private_key, publishable_key, integration' } });
    expect(res.body.message).toContain('type');
  });

  it('refuses a missing name and a missing type', async () => {
    const res = await server.api.post('/v1/secrets/api/keys', {});
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({ name: 'is required', type: 'is required' });
  });

  it('creates a key for the production environment with environment_id', async () => {
    const { api_key, secret } = await createApiKey(server.api, { name: 'prod', environment_id: productionId });
    expect(secret.environment_id).toBe(productionId);
    const prodKeys = await allKeys(server.as(api_key));
    expect(prodKeys.map((k) => k.id)).toEqual([secret.id]);
    expect(prodKeys[0].environment_id).toBe(productionId);
    expect((await allKeys()).map((k) => k.id)).not.toContain(secret.id);
  });

  it('answers 404 for an unknown environment_id and creates nothing', async () => {
    const count = (await allKeys()).length;
    const res = await server.api.post('/v1/secrets/api/keys', { name: 'nowhere', type: 'private_key', environment_id: 'env_01JD2Z7Q8K3M4N5P6R7S8T9V0W' });
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', details: { environment_id: 'env_01JD2Z7Q8K3M4N5P6R7S8T9V0W' } });
    expect(await allKeys()).toHaveLength(count);
  });
});

describe('GET /v1/secrets/api/keys', () => {
  it('never shows a key, only its display_id', async () => {
    const { api_key, secret } = await createApiKey(server.api, { name: 'hidden' });
    const res = await server.api.get('/v1/secrets/api/keys?limit=1000');
    expect(res.status).toBe(200);
    const raw = JSON.stringify(res.body);
    expect(raw).not.toContain(api_key);
    expect(raw).not.toContain(api_key.slice(5, -2));
    expect(raw).not.toContain(server.apiKey);
    const listed = res.body.items.find((k: { id: string }) => k.id === secret.id);
    expect(listed).toEqual({ ...secret });
    expect(Object.keys(listed)).not.toContain('api_key');
  });

  it('pages newest first with FlexPrice pagination', async () => {
    const env = await environmentWithOneKey('Paging');
    const as = server.as(env.key);
    const ids = [env.secretId];
    for (let i = 1; i <= 4; i++) {
      server.clock.advance(1000);
      ids.push((await createApiKey(as, { name: `page ${i}` })).secret.id);
    }
    const newestFirst = [...ids].reverse();

    const first = await as.get('/v1/secrets/api/keys?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.items.map((k: { id: string }) => k.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.body.pagination).toEqual({ total: 5, limit: 2, offset: 2 });

    const second = await as.get('/v1/secrets/api/keys?limit=2&offset=2');
    expect(second.body.items.map((k: { id: string }) => k.id)).toEqual(newestFirst.slice(2, 4));
    expect(second.body.pagination).toEqual({ total: 5, limit: 2, offset: 4 });

    const last = await as.get('/v1/secrets/api/keys?limit=2&offset=4');
    expect(last.body.items.map((k: { id: string }) => k.id)).toEqual(newestFirst.slice(4));

    const beyond = await as.get('/v1/secrets/api/keys?offset=10');
    expect(beyond.body).toEqual({ items: [], pagination: { total: 5, limit: 50, offset: 60 } });
  });

  it('refuses a limit over 1000 and a negative offset', async () => {
    const big = await server.api.get('/v1/secrets/api/keys?limit=1001');
    expect(big.status).toBe(400);
    expect(big.body.details).toHaveProperty('limit');
    const negative = await server.api.get('/v1/secrets/api/keys?offset=-1');
    expect(negative.status).toBe(400);
    expect(negative.body.details).toHaveProperty('offset');
  });

  it('lists deleted keys only when asked with status=deleted', async () => {
    const { secret } = await createApiKey(server.api, { name: 'soon deleted' });
    expect((await server.api.delete(`/v1/secrets/api/keys/${secret.id}`)).status).toBe(204);
    expect((await allKeys()).map((k) => k.id)).not.toContain(secret.id);
    const deleted = (await allKeys(server.api, 'deleted')).find((k) => k.id === secret.id);
    expect(deleted).toMatchObject({ id: secret.id, status: 'deleted', name: 'soon deleted' });
    expect(Date.parse(deleted!.updated_at)).toBeGreaterThanOrEqual(Date.parse(secret.updated_at));
  });
});

describe('DELETE /v1/secrets/api/keys/{id}', () => {
  it('revokes a key: 204, then 401 with it, then 404 for a second delete', async () => {
    const { api_key, secret } = await createApiKey(server.api, { name: 'revoked' });
    const res = await server.api.delete(`/v1/secrets/api/keys/${secret.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect((await server.as(api_key).get('/v1/customers')).status).toBe(401);
    const again = await server.api.delete(`/v1/secrets/api/keys/${secret.id}`);
    expect(again.status).toBe(404);
    expect(again.body).toMatchObject({ code: 'not_found', details: { id: secret.id } });
  });

  it('answers 404 for an unknown id', async () => {
    const res = await server.api.delete('/v1/secrets/api/keys/secret_01JD2Z7Q8K3M4N5P6R7S8T9V0W');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      code: 'not_found',
      message: 'API key with ID secret_01JD2Z7Q8K3M4N5P6R7S8T9V0W was not found',
      http_status_code: 404,
      details: { id: 'secret_01JD2Z7Q8K3M4N5P6R7S8T9V0W' },
      success: false,
      error: { message: 'API key with ID secret_01JD2Z7Q8K3M4N5P6R7S8T9V0W was not found', internal_error: '' },
    });
  });

  it('lets a key delete itself while another working key remains', async () => {
    const { api_key, secret } = await createApiKey(server.api, { name: 'self' });
    expect((await server.as(api_key).delete(`/v1/secrets/api/keys/${secret.id}`)).status).toBe(204);
    expect((await server.as(api_key).get('/v1/customers')).status).toBe(401);
  });

  it("refuses to delete an environment's last working key, which keeps working", async () => {
    const env = await environmentWithOneKey('Lonely');
    const res = await server.as(env.key).delete(`/v1/secrets/api/keys/${env.secretId}`);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_operation', http_status_code: 400, details: { environment_id: env.environmentId } });
    expect(res.body.message).toContain('last working API key');
    const still = await server.as(env.key).get('/v1/secrets/api/keys');
    expect(still.status).toBe(200);
    expect(still.body.items).toEqual([expect.objectContaining({ id: env.secretId, status: 'published' })]);
  });

  it('lets only one of two keys revoking each other at once succeed', async () => {
    for (let round = 0; round < 3; round++) {
      const env = await environmentWithOneKey(`Duel ${round}`);
      const other = await createApiKey(server.as(env.key), { name: 'second' });
      const [a, b] = await Promise.all([
        server.as(env.key).delete(`/v1/secrets/api/keys/${other.secret.id}`),
        server.as(other.api_key).delete(`/v1/secrets/api/keys/${env.secretId}`),
      ]);
      // The loser is refused as the last key (400) or, if the winner finished before it was even
      // authenticated, as a revoked key (401); never do both deletes go through.
      const statuses = [a.status, b.status].sort();
      expect(statuses[0]).toBe(204);
      expect([400, 401]).toContain(statuses[1]);
      const survivor = a.status === 204 ? env.key : other.api_key;
      const remaining = await server.as(survivor).get('/v1/secrets/api/keys');
      expect(remaining.status).toBe(200);
      expect(remaining.body.pagination.total).toBe(1);
    }
  });

  it('does not count an expired key as working', async () => {
    const env = await environmentWithOneKey('Expiring');
    const as = server.as(env.key);
    const soon = await createApiKey(as, { name: 'short-lived', expires_at: new Date(server.clock.now().getTime() + 60_000).toISOString() });
    server.clock.advance(120_000);
    const res = await as.delete(`/v1/secrets/api/keys/${env.secretId}`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_operation');
    // The expired key itself may go.
    expect((await as.delete(`/v1/secrets/api/keys/${soon.secret.id}`)).status).toBe(204);
  });
});

describe('storage', () => {
  it('keeps only a SHA-256 of the key, never the key', async () => {
    const { api_key, secret } = await createApiKey(server.api, { name: 'stored' });
    const rows: Array<Record<string, unknown>> = await server.orm.em.fork().getConnection().execute('select * from secrets');
    expect(rows.length).toBeGreaterThan(1);
    const row = rows.find((r) => r.id === secret.id);
    expect(row).toBeDefined();
    expect(row!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row!.key_hash).toBe(createHash('sha256').update(api_key).digest('hex'));
    expect(row!.display_id).toBe(secret.display_id);
    for (const r of rows) {
      for (const [column, value] of Object.entries(r)) {
        const text = value instanceof Date ? value.toISOString() : String(value);
        expect(text, column).not.toContain(api_key);
        expect(text, column).not.toContain(api_key.slice(5, -2));
        expect(text, column).not.toContain(server.apiKey.slice(5, -2));
      }
    }
  });
});
