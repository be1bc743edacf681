import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import Koa from 'koa';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error.ts';
import { createLogger } from '../logger.ts';
import type { ApiKeyAuth } from '../modules/api-keys/api-key.service.ts';
import { authenticate, type KeyAuthenticator } from './auth.ts';
import { errorMapper } from './error-mapper.ts';
import { createRateLimit, type RateLimit } from './rate-limit.ts';
import { postgresCounterStore } from './rate-limit-store.ts';

/** Keys as ApiKeyService treats them: real ones become known once looked up; every lookup is counted. */
function fakeKeys(real: string[]) {
  const known = new Set<string>();
  const lookups: string[] = [];
  const keys: KeyAuthenticator = {
    isKnown: (key) => known.has(key),
    authenticate: async (key) => {
      if (!key) throw new AppError('unauthorized', 'Missing API key: send it in the x-api-key header');
      lookups.push(key);
      await new Promise((r) => setTimeout(r, 5));
      if (key === 'sk_database_down') throw new Error('connection refused');
      if (!real.includes(key)) throw new AppError('unauthorized', 'Invalid API key');
      known.add(key);
      return { tenantId: 't', environmentId: 'e', secretId: `secret_${key}`, keyType: 'private_key' } satisfies ApiKeyAuth;
    },
  };
  return { keys, lookups };
}

let db: PGlite;
let limiter: RateLimit | undefined;
let server: Server | undefined;
beforeAll(async () => {
  db = new PGlite();
});
afterEach(async () => {
  server?.close();
  await limiter?.close();
  server = undefined;
  limiter = undefined;
  await db.query('delete from rate_limits');
});
afterAll(() => db.close());

/** The rate limit in front of an operation that authenticates, as in the app, on a PGlite-backed store. */
async function start(real: string[], failedAuthPerWindow = 3) {
  limiter = await createRateLimit({ perWindow: 100, eventsPerWindow: 100, failedAuthPerWindow, windowSeconds: 60, store: await postgresCounterStore(db) });
  const { keys, lookups } = fakeKeys(real);
  const app = new Koa();
  app.use(errorMapper(createLogger('silent')));
  app.use(limiter.middleware(keys));
  app.use(authenticate(keys));
  app.use((ctx) => {
    ctx.body = { secret_id: (ctx.state.auth as ApiKeyAuth).secretId };
  });
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/things`;
  const call = async (key?: string) => {
    const res = await fetch(url, { headers: key ? { 'x-api-key': key } : {} });
    const body = (await res.json()) as Record<string, unknown>;
    return { status: res.status, body, limit: res.headers.get('x-ratelimit-limit'), remaining: res.headers.get('x-ratelimit-remaining'), retryAfter: res.headers.get('retry-after') };
  };
  return { call, lookups };
}

const rows = async () => (await db.query<{ key: string; points: number }>('select key, points from rate_limits order by key')).rows;

describe('rate limit of failed authentication', () => {
  it('counts guessed keys against the address, then refuses them with 429 before looking them up', async () => {
    const { call, lookups } = await start([]);
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await call(`sk_guess${i}`));
    expect(results.map((r) => [r.status, r.limit, r.remaining])).toEqual([
      [401, '3', '2'],
      [401, '3', '1'],
      [401, '3', '0'],
      [429, '3', '0'],
      [429, '3', '0'],
      [429, '3', '0'],
    ]);
    expect(results[0]!.body).toMatchObject({ code: 'unauthorized', message: 'Invalid API key' });
    expect(results[3]!.body).toMatchObject({ code: 'too_many_requests', message: expect.stringContaining('3 failed authentications from one address per 60 s') });
    expect(Number(results[3]!.retryAfter)).toBeGreaterThanOrEqual(59);
    expect(lookups).toEqual(['sk_guess0', 'sk_guess1', 'sk_guess2']);
  });

  it('looks up no more guesses than the limit when they arrive all at once', async () => {
    const { call, lookups } = await start([]);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => call(`sk_burst${i}`)));
    expect(results.filter((r) => r.status === 401)).toHaveLength(3);
    expect(results.filter((r) => r.status === 429)).toHaveLength(9);
    expect(lookups).toHaveLength(3);
  });

  it('keeps serving a key it knows to an address past the limit, on the key’s own window', async () => {
    const { call, lookups } = await start(['sk_real', 'sk_new']);
    expect((await call('sk_real')).status).toBe(200);
    for (let i = 0; i < 4; i++) await call(`sk_guess${i}`);
    const served = await call('sk_real');
    expect(served).toMatchObject({ status: 200, body: { secret_id: 'secret_sk_real' }, limit: '100', remaining: '98' });
    // A real key this instance has not seen yet is not looked up for an address past the limit.
    expect(await call('sk_new')).toMatchObject({ status: 429, limit: '3' });
    expect(lookups).not.toContain('sk_new');
  });

  it('does not count a real key’s first lookup as a failure', async () => {
    const { call } = await start(['sk_a', 'sk_b', 'sk_c']);
    for (const key of ['sk_a', 'sk_b', 'sk_c']) expect((await call(key)).status).toBe(200);
    expect(await call('sk_guess')).toMatchObject({ status: 401, limit: '3', remaining: '2' });
  });

  it('does not count a lookup that failed (database down) against the address', async () => {
    const { call } = await start([]);
    expect(await call('sk_database_down')).toMatchObject({ status: 500, body: { code: 'internal_error' } });
    expect(await call('sk_guess')).toMatchObject({ status: 401, limit: '3', remaining: '2' });
  });

  it('counts requests without a key against the address’s ordinary window, not the failed-auth one', async () => {
    const { call, lookups } = await start([]);
    expect(await call()).toMatchObject({ status: 401, limit: '100', remaining: '99' });
    expect(await call('sk_guess')).toMatchObject({ status: 401, limit: '3', remaining: '2' });
    expect(lookups).toEqual(['sk_guess']);
  });

  it('stores one row for the address and one per real key, never one per guessed key', async () => {
    const { call } = await start(['sk_real'], 20);
    expect((await call('sk_real')).status).toBe(200);
    for (let i = 0; i < 60; i++) await call(`sk_guess${i}`);
    expect((await call('sk_real')).status).toBe(200);
    await call();
    await limiter!.close();
    limiter = undefined;
    expect(await rows()).toEqual([
      { key: 'tally_rl_api:ip:127.0.0.1', points: 1 },
      { key: 'tally_rl_api:key:secret_sk_real', points: 2 },
      { key: 'tally_rl_auth:ip:127.0.0.1', points: 20 },
    ]);
  });
});
