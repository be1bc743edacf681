import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/fixtures.ts';

const limit = 5;
const windowSeconds = 2;
const server = useTestServer({ TALLY_RATE_LIMIT_PER_MINUTE: String(limit), TALLY_RATE_LIMIT_WINDOW_SECONDS: String(windowSeconds) });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until a fresh window starts, so a test's requests all fall in one window. */
async function freshWindow(): Promise<void> {
  await sleep(windowSeconds * 1000 + 100);
}

describe('rate limits per API key', () => {
  it('sends the headers on every response and answers 429 exactly past the limit, then resets', async () => {
    await freshWindow();
    const remaining: string[] = [];
    for (let i = 0; i < limit; i++) {
      const res = await server.api.get('/v1/environments');
      expect(res.status).toBe(200);
      expect(res.headers.get('X-RateLimit-Limit')).toBe(String(limit));
      remaining.push(res.headers.get('X-RateLimit-Remaining') ?? '');
      const reset = Number(res.headers.get('X-RateLimit-Reset'));
      const now = Date.now() / 1000;
      expect(reset).toBeGreaterThanOrEqual(Math.floor(now));
      expect(reset).toBeLessThanOrEqual(Math.ceil(now + windowSeconds));
    }
    expect(remaining).toEqual(['4', '3', '2', '1', '0']);
    const over = await server.api.post('/v1/customers', { external_id: 'limited', name: 'Limited' });
    expect(over.status).toBe(429);
    expect(over.body).toMatchObject({ code: 'too_many_requests', http_status_code: 429, success: false });
    expect(over.headers.get('X-RateLimit-Remaining')).toBe('0');
    const retryAfter = Number(over.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(windowSeconds);
    await sleep(retryAfter * 1000 + 100);
    const afterReset = await server.api.get('/v1/environments');
    expect(afterReset.status).toBe(200);
    expect(afterReset.headers.get('X-RateLimit-Remaining')).toBe(String(limit - 1));
    // The refused POST wrote nothing.
    expect((await server.api.get('/v1/customers?external_id=limited')).body.pagination.total).toBe(0);
  });

  it('counts each key on its own', async () => {
    const other = (await server.api.post('/v1/secrets/api/keys', { name: 'other', type: 'private_key' })).body.api_key as string;
    await freshWindow();
    for (let i = 0; i < limit; i++) expect((await server.api.get('/v1/environments')).status).toBe(200);
    expect((await server.api.get('/v1/environments')).status).toBe(429);
    const res = await server.as(other).get('/v1/environments');
    expect(res.status).toBe(200);
    expect(res.headers.get('X-RateLimit-Remaining')).toBe(String(limit - 1));
  });

  it('limits requests without a key too, and leaves /health and the docs alone', async () => {
    await freshWindow();
    const anonymous = server.as(undefined);
    for (let i = 0; i < limit; i++) {
      const res = await anonymous.get('/v1/customers');
      expect(res.status).toBe(401);
      expect(res.headers.get('X-RateLimit-Limit')).toBe(String(limit));
    }
    expect((await anonymous.get('/v1/customers')).status).toBe(429);
    const health = await anonymous.get('/health');
    expect(health.status).toBe(200);
    expect(health.headers.get('X-RateLimit-Limit')).toBeNull();
  });
});
