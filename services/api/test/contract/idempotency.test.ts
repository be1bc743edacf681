import { describe, expect, it } from 'vitest';
import { count, unique, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();

const key = (name: string) => ({ 'Idempotency-Key': unique(name) });
const countByExternalId = (externalId: string) => count(server.api, `/v1/customers?external_id=${encodeURIComponent(externalId)}`);

describe('Idempotency-Key on POST', () => {
  it('replays the first status and body to a retry, marked Idempotent-Replayed, and creates once', async () => {
    const headers = key('create');
    const first = await server.api.post('/v1/customers', { external_id: 'idem-1', name: 'Once' }, headers);
    expect(first.status).toBe(201);
    expect(first.headers.get('Idempotent-Replayed')).toBeNull();
    const retry = await server.api.post('/v1/customers', { external_id: 'idem-1', name: 'Once' }, headers);
    expect(retry.status).toBe(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await countByExternalId('idem-1')).toBe(1);
  });

  it('without the header a second identical POST runs again (here: 409 duplicate)', async () => {
    await server.api.post('/v1/customers', { external_id: 'idem-plain', name: 'Plain' });
    const again = await server.api.post('/v1/customers', { external_id: 'idem-plain', name: 'Plain' });
    expect(again.status).toBe(409);
  });

  it('refuses the same key on a different body or path with 422 idempotency_key_reused, running nothing', async () => {
    const headers = key('mismatch');
    expect((await server.api.post('/v1/customers', { external_id: 'idem-2', name: 'A' }, headers)).status).toBe(201);
    const otherBody = await server.api.post('/v1/customers', { external_id: 'idem-3', name: 'B' }, headers);
    expect(otherBody.status).toBe(422);
    expect(otherBody.body).toMatchObject({ code: 'idempotency_key_reused', http_status_code: 422, success: false });
    expect(otherBody.body.message).toContain(headers['Idempotency-Key']);
    const otherPath = await server.api.post('/v1/customers/search', {}, headers);
    expect(otherPath.status).toBe(422);
    expect(await countByExternalId('idem-3')).toBe(0);
  });

  it('stores 4xx answers too: a retried invalid request gets the same 400', async () => {
    const headers = key('invalid');
    const first = await server.api.post('/v1/customers', { external_id: 'idem-bad' }, headers);
    expect(first.status).toBe(400);
    const retry = await server.api.post('/v1/customers', { external_id: 'idem-bad' }, headers);
    expect(retry.status).toBe(400);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
  });

  it('lets only one of two concurrent requests with one key run; the other waits for nothing and gets 409 or the replay', async () => {
    const headers = key('race');
    const body = { external_id: 'idem-race', name: 'Race' };
    const results = await Promise.all([1, 2, 3].map(() => server.api.post('/v1/customers', body, headers)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThanOrEqual(1);
    for (const r of results) {
      if (r.status === 409) expect(r.body.code).toBe('version_conflict');
      else expect(r.status).toBe(201);
    }
    const created = results.filter((r) => r.status === 201 && r.headers.get('Idempotent-Replayed') === null);
    expect(created).toHaveLength(1);
    expect(await countByExternalId('idem-race')).toBe(1);
  });

  it('scopes keys to the environment: the same key in another environment is a new request', async () => {
    const envs = (await server.api.get('/v1/environments')).body.environments as { id: string; type: string }[];
    const prod = envs.find((e) => e.type === 'production')!;
    const prodKey = (await server.api.post('/v1/secrets/api/keys', { name: 'prod', type: 'private_key', environment_id: prod.id })).body.api_key;
    const headers = key('scoped');
    const body = { external_id: 'idem-scoped', name: 'Scoped' };
    const dev = await server.api.post('/v1/customers', body, headers);
    const prodRes = await server.as(prodKey).post('/v1/customers', body, headers);
    expect(dev.status).toBe(201);
    expect(prodRes.status).toBe(201);
    expect(prodRes.headers.get('Idempotent-Replayed')).toBeNull();
    expect(prodRes.body.id).not.toBe(dev.body.id);
    expect(prodRes.body.environment_id).toBe(prod.id);
  });

  it('keeps the record in the database for 24 hours, then treats the key as new', async () => {
    const headers = key('expiry');
    const body = { name: 'Expiring', type: 'private_key' };
    const first = await server.api.post('/v1/secrets/api/keys', body, headers);
    expect(first.status).toBe(201);
    const rows = await server.orm.em
      .fork()
      .getConnection()
      .execute<{ state: string; response_status: number; expires_at: Date; created_at: Date }[]>(
        'select state, response_status, expires_at, created_at from idempotency_keys where key = ?',
        [headers['Idempotency-Key']],
      );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ state: 'completed', response_status: 201 });
    expect(new Date(rows[0].expires_at).getTime() - new Date(rows[0].created_at).getTime()).toBe(24 * 3600 * 1000);
    server.clock.advance(23 * 3600 * 1000);
    const within = await server.api.post('/v1/secrets/api/keys', body, headers);
    expect(within.body.api_key).toBe(first.body.api_key);
    server.clock.advance(2 * 3600 * 1000);
    const after = await server.api.post('/v1/secrets/api/keys', body, headers);
    expect(after.status).toBe(201);
    expect(after.headers.get('Idempotent-Replayed')).toBeNull();
    expect(after.body.api_key).not.toBe(first.body.api_key);
  });

  it('refuses a key longer than 255 characters, naming the header', async () => {
    const res = await server.api.post('/v1/customers', { external_id: 'idem-long', name: 'Long' }, { 'Idempotency-Key': 'k'.repeat(256) });
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)).toEqual(['Idempotency-Key']);
    expect(await countByExternalId('idem-long')).toBe(0);
  });

  it('ignores the header on non-POST requests', async () => {
    const created = (await server.api.post('/v1/customers', { external_id: 'idem-put', name: 'Put' })).body;
    const headers = key('put');
    const a = await server.api.put(`/v1/customers/${created.id}`, { name: 'Put 1' }, headers);
    const b = await server.api.put(`/v1/customers/${created.id}`, { name: 'Put 2' }, headers);
    expect(a.body.name).toBe('Put 1');
    expect(b.body.name).toBe('Put 2');
    expect(b.headers.get('Idempotent-Replayed')).toBeNull();
  });
});
