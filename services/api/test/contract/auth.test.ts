import { operationTable } from '@tally/contract';
import { ulid } from 'ulid';
import { describe, expect, it, vi } from 'vitest';
import { createApiKey, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();

const unauthorized = (message: string) => ({
  code: 'unauthorized',
  message,
  http_status_code: 401,
  success: false,
  error: { message, internal_error: '' },
});

async function listedKey(id: string) {
  const res = await server.api.get('/v1/secrets/api/keys?limit=1000');
  expect(res.status).toBe(200);
  return (res.body.items as Array<Record<string, unknown>>).find((k) => k.id === id);
}

describe('API key authentication', () => {
  it('refuses a request without a key with 401 in the error envelope', async () => {
    const res = await server.as(undefined).get('/v1/customers');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body).toEqual(unauthorized('Missing API key: send it in the x-api-key header'));
  });

  it('treats an empty x-api-key header as missing', async () => {
    const res = await server.as(undefined).get('/v1/customers', { 'x-api-key': '' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthorized');
  });

  it('refuses an unknown key, even one of the right shape or a near miss of a real one', async () => {
    for (const key of [`sk_${ulid()}`, 'not-a-key', `${server.apiKey}X`, server.apiKey.slice(0, -1), server.apiKey.toLowerCase()]) {
      const res = await server.as(key).get('/v1/customers');
      expect(res.status, key).toBe(401);
      expect(res.body).toEqual(unauthorized('Invalid API key'));
    }
  });

  it('accepts the bootstrap key', async () => {
    const res = await server.api.get('/v1/customers');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: [], pagination: { total: 0, limit: 50, offset: 50 } });
  });

  it('authenticates every key type the same way (what each may call: key-permissions.test.ts)', async () => {
    for (const type of ['private_key', 'publishable_key', 'integration']) {
      const { api_key } = await createApiKey(server.api, { name: 'auth test', type });
      const res = await server.as(api_key).get('/v1/plans');
      expect(res.status, type).toBe(200);
      expect(res.body).toEqual({ items: [], pagination: { total: 0, limit: 50, offset: 50 } });
    }
  });

  it('refuses a deleted key at once', async () => {
    const { api_key, secret } = await createApiKey(server.api, { name: 'to revoke' });
    expect((await server.as(api_key).get('/v1/customers')).status).toBe(200);
    const del = await server.api.delete(`/v1/secrets/api/keys/${secret.id}`);
    expect(del.status).toBe(204);
    const res = await server.as(api_key).get('/v1/customers');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorized('Invalid API key'));
  });

  it('records last_used_at on the key after a successful request', async () => {
    const { api_key, secret } = await createApiKey(server.api, { name: 'tracked' });
    const listed = await listedKey(secret.id);
    expect(listed).toBeDefined();
    expect(listed).not.toHaveProperty('last_used_at');

    const before = server.clock.now().getTime();
    expect((await server.as(api_key).get('/v1/customers')).status).toBe(200);
    const after = server.clock.now().getTime();
    // The write is bookkeeping that does not hold up the request, so it may land a moment later.
    const usedAt = await vi.waitFor(async () => {
      const k = await listedKey(secret.id);
      expect(k?.last_used_at).toEqual(expect.any(String));
      return Date.parse(k!.last_used_at as string);
    });
    expect(usedAt).toBeGreaterThanOrEqual(before);
    expect(usedAt).toBeLessThanOrEqual(after);

    // Kept to the minute: a use 10 minutes later moves it.
    server.clock.advance(10 * 60_000);
    const later = server.clock.now().getTime();
    expect((await server.as(api_key).get('/v1/customers')).status).toBe(200);
    await vi.waitFor(async () => {
      const k = await listedKey(secret.id);
      expect(Date.parse(k!.last_used_at as string)).toBeGreaterThanOrEqual(later);
    });
  });

  it('does not record a refused key as used', async () => {
    const { api_key, secret } = await createApiKey(server.api, { name: 'expires', expires_at: new Date(server.clock.now().getTime() + 1000).toISOString() });
    server.clock.advance(5000);
    expect((await server.as(api_key).get('/v1/customers')).status).toBe(401);
    expect(await listedKey(secret.id)).not.toHaveProperty('last_used_at');
  });

  it('works until expires_at, then answers 401 "expired"', async () => {
    const expiresAt = new Date(server.clock.now().getTime() + 3600_000);
    const { api_key } = await createApiKey(server.api, { name: 'one hour', expires_at: expiresAt.toISOString() });
    expect((await server.as(api_key).get('/v1/customers')).status).toBe(200);

    server.clock.advance(2 * 3600_000);
    const res = await server.as(api_key).get('/v1/customers');
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorized('API key has expired'));
    // The bootstrap key never expires.
    expect((await server.api.get('/v1/customers')).status).toBe(200);
  });
});

describe('every secured operation', () => {
  const secured = operationTable.filter((op) => op.secured);
  const urlOf = (op: (typeof secured)[number]) => `${op.prefix}${op.path.replace(/\{(\w+)\}/g, (_, name: string) => `${name}_x`)}`;

  it('covers the /v1 operations of the spec', () => {
    expect(secured.length).toBeGreaterThanOrEqual(15);
    expect(secured.every((op) => op.prefix === '/v1')).toBe(true);
    expect(operationTable.filter((op) => !op.secured).map((op) => op.operationId)).toEqual(['getHealth']);
  });

  it.each(secured.map((op) => [op.operationId, op] as const))('%s answers 401 without a key, before validating input', async (_, op) => {
    const res = await server.as(undefined).request(op.method.toUpperCase(), urlOf(op), op.hasBody ? {} : undefined);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorized('Missing API key: send it in the x-api-key header'));
  });

  it.each(secured.map((op) => [op.operationId, op] as const))('%s answers 401 with an unknown key', async (_, op) => {
    const res = await server.as(`sk_${ulid()}`).request(op.method.toUpperCase(), urlOf(op), op.hasBody ? {} : undefined);
    expect(res.status).toBe(401);
    expect(res.body).toEqual(unauthorized('Invalid API key'));
  });

  it('health needs no key', async () => {
    expect((await server.as(undefined).get('/health')).status).toBe(200);
  });
});
