import { ulid } from 'ulid';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiKeyService } from '../../src/modules/api-keys/api-key.service.ts';
import { createApiKey, useTestServer } from '../support/fixtures.ts';
import { fromAddress } from '../support/from-address.ts';

const failedLimit = 20;
const perKeyLimit = 1000;
const server = useTestServer({
  TALLY_FAILED_AUTH_RATE_LIMIT_PER_MINUTE: String(failedLimit),
  TALLY_RATE_LIMIT_PER_MINUTE: String(perKeyLimit),
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** Each test is another client: its own loopback address. */
const client = (address: string) => fromAddress(server.url, address);
const guess = () => `sk_${ulid()}`;

describe('failed authentication is limited per client address', () => {
  it('answers 60 random keys from one address with 401 up to the limit, then 429 without looking them up', async () => {
    const lookups = vi.spyOn(ApiKeyService.prototype, 'authenticate');
    const guesser = client('127.0.0.2');
    const results = [];
    for (let i = 0; i < 60; i++) results.push(await guesser.get('/v1/customers', guess()));

    const refused = results.slice(0, failedLimit);
    expect(refused.map((r) => r.status)).toEqual(Array(failedLimit).fill(401));
    expect(refused.every((r) => r.body.message === 'Invalid API key')).toBe(true);
    expect(refused.map((r) => r.headers.get('X-RateLimit-Limit'))).toEqual(Array(failedLimit).fill(String(failedLimit)));
    expect(refused.map((r) => Number(r.headers.get('X-RateLimit-Remaining')))).toEqual(Array.from({ length: failedLimit }, (_, i) => failedLimit - 1 - i));

    const limited = results.slice(failedLimit);
    expect(limited.map((r) => r.status)).toEqual(Array(60 - failedLimit).fill(429));
    expect(limited[0]!.body).toMatchObject({
      code: 'too_many_requests',
      http_status_code: 429,
      success: false,
      message: expect.stringContaining(`Rate limit of ${failedLimit} failed authentications from one address per 60 s exceeded`),
      details: { limit: failedLimit },
    });
    for (const r of limited) {
      const retryAfter = Number(r.headers.get('Retry-After'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(r.headers.get('X-RateLimit-Remaining')).toBe('0');
    }
    // Only the first 20 were looked up.
    expect(lookups).toHaveBeenCalledTimes(failedLimit);

    // Another client is not held back by this one.
    const other = await client('127.0.0.3').get('/v1/customers', guess());
    expect(other.status).toBe(401);
    expect(other.headers.get('X-RateLimit-Remaining')).toBe(String(failedLimit - 1));
  });

  it('keeps serving a working key from an address past the limit, on its own window', async () => {
    const fresh = await createApiKey(server.api, { name: 'not used yet' });
    const guesser = client('127.0.0.6');
    for (let i = 0; i < failedLimit + 1; i++) await guesser.get('/v1/customers', guess());
    expect((await guesser.get('/v1/customers', guess())).status).toBe(429);

    // The bootstrap key is in use (this test created a key with it): it is served, counted on its own window.
    const served = await guesser.get('/v1/customers', server.apiKey);
    expect(served.status).toBe(200);
    expect(served.headers.get('X-RateLimit-Limit')).toBe(String(perKeyLimit));

    // A key this instance has never seen is not looked up for that address until the window ends…
    const unseen = await guesser.get('/v1/customers', fresh.api_key);
    expect(unseen.status).toBe(429);
    // …but works from anywhere else, and from then on from that address too.
    expect((await server.as(fresh.api_key).get('/v1/customers')).status).toBe(200);
    expect((await guesser.get('/v1/customers', fresh.api_key)).status).toBe(200);
  });

  it('counts revoked and expired keys as failed authentications', async () => {
    const revoked = await createApiKey(server.api, { name: 'revoked' });
    expect((await server.as(revoked.api_key).get('/v1/customers')).status).toBe(200);
    expect((await server.api.delete(`/v1/secrets/api/keys/${revoked.secret.id}`)).status).toBe(204);
    const expired = await createApiKey(server.api, { name: 'expired', expires_at: new Date(server.clock.now().getTime() + 1000).toISOString() });
    server.clock.advance(5000);

    const caller = client('127.0.0.4');
    const first = await caller.get('/v1/customers', revoked.api_key);
    expect(first.status).toBe(401);
    expect(first.body.message).toBe('Invalid API key');
    expect(first.headers.get('X-RateLimit-Remaining')).toBe(String(failedLimit - 1));
    const second = await caller.get('/v1/customers', expired.api_key);
    expect(second.status).toBe(401);
    expect(second.body.message).toBe('API key has expired');
    expect(second.headers.get('X-RateLimit-Remaining')).toBe(String(failedLimit - 2));
  });

  it('counts a request without a key on the address’s ordinary window', async () => {
    const res = await client('127.0.0.5').get('/v1/customers');
    expect(res.status).toBe(401);
    expect(res.body.message).toBe('Missing API key: send it in the x-api-key header');
    expect(res.headers.get('X-RateLimit-Limit')).toBe(String(perKeyLimit));
  });

  // The counts are shared through PostgreSQL only; PGlite keeps them in memory (src/http/rate-limit.test.ts
  // proves the same on a PGlite-backed store).
  if (process.env.DATABASE_URL) {
    it('keeps no rate_limits row for a guessed key on PostgreSQL', async () => {
      const guesser = client('127.0.0.7');
      for (let i = 0; i < 30; i++) await guesser.get('/v1/customers', guess());
      const connection = server.orm.em.fork().getConnection();
      const rows = await vi.waitFor(
        async () => {
          const found = (await connection.execute(`select key, points from rate_limits order by key`)) as Array<{ key: string; points: number }>;
          expect(found).toContainEqual({ key: 'tally_rl_auth:ip:127.0.0.7', points: failedLimit });
          return found;
        },
        { timeout: 5000, interval: 100 },
      );
      const keys = rows.map((r) => r.key);
      // One row per client address that failed, one per key that authenticated, one per address without a key.
      for (const key of keys) expect(key).toMatch(/^tally_rl_(?:(?:api|events|auth):ip:127\.0\.0\.\d+|(?:api|events):key:secret_[0-9A-Z]{26})$/);
      expect(keys.filter((k) => k.startsWith('tally_rl_auth:')).sort()).toEqual(
        ['127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.6', '127.0.0.7'].map((a) => `tally_rl_auth:ip:${a}`),
      );
      expect(rows.length).toBeLessThan(15);
    });
  }
});
