import type { Context, Middleware } from 'koa';
import pg from 'pg';
import { AppError } from '../errors/app-error.ts';
import { checkKey, type KeyAuthenticator, type KeyCheck } from './auth.ts';
import { RateLimitCounter, type ConsumeResult, type CounterStore } from './rate-limit-counter.ts';
import { postgresCounterStore } from './rate-limit-store.ts';

/** How often an instance shares its counts with the others through PostgreSQL. */
export const syncIntervalMs = 100;

export type RateLimitOptions = {
  /** Requests per window per API key, for every /v1 route but event ingestion. */
  perWindow: number;
  /** Requests per window per API key on event ingestion, POST /v1/events and /v1/events/bulk (it sends far more). */
  eventsPerWindow: number;
  /** Requests with an unknown, expired or revoked key per window per client address. */
  failedAuthPerWindow: number;
  windowSeconds: number;
  /** With PostgreSQL, instances share their counts through the database, so all of them enforce one limit. */
  databaseUrl?: string;
  /** Another shared store instead of `databaseUrl`'s (tests pass one on PGlite). */
  store?: CounterStore;
  /** How often counts are shared with the store; {@link syncIntervalMs} unless a test needs the timing fixed. */
  syncEveryMs?: number;
  onPoolError?: (err: Error) => void;
};

/** Made before the app, the middleware needs the app's API keys: it is built with them. */
export type RateLimitMiddleware = (keys: KeyAuthenticator) => Middleware;

export type RateLimit = { middleware: RateLimitMiddleware; close(): Promise<void> };

/** How often windows that are over are forgotten when no store does it (no PostgreSQL). */
const sweepIntervalMs = 1_000;

function setHeaders(ctx: Context, limit: number, res: ConsumeResult): void {
  ctx.set('X-RateLimit-Limit', String(limit));
  ctx.set('X-RateLimit-Remaining', String(res.remaining));
  ctx.set('X-RateLimit-Reset', String(Math.ceil((Date.now() + res.msBeforeNext) / 1000)));
}

/** Sets the headers of `res`'s window and, past its limit, refuses the request with 429 and `Retry-After`. */
function admit(ctx: Context, limit: number, res: ConsumeResult, windowSeconds: number, what: string): void {
  setHeaders(ctx, limit, res);
  if (res.allowed) return;
  const retryAfter = Math.max(1, Math.ceil(res.msBeforeNext / 1000));
  ctx.set('Retry-After', String(retryAfter));
  throw new AppError('too_many_requests', `Rate limit of ${limit} ${what} per ${windowSeconds} s exceeded; retry in ${retryAfter} s`, {
    limit,
    retry_after_seconds: retryAfter,
  });
}

/**
 * `X-RateLimit-*` on every /v1 response; past the limit, 429 `too_many_requests` with `Retry-After`.
 *
 * - A request with a key that authenticates counts against that key's window (by its secret id).
 * - A request with a key that does not (unknown, expired, revoked) counts against its client
 *   address's failed-authentication window, never a window of its own: guessing keys buys no fresh
 *   buckets, and a guessed key never becomes a row in `rate_limits`. Once an address is past that
 *   limit, a key this instance does not already know is refused with 429 before it is looked up;
 *   keys it knows (ApiKeyService.isKnown, from memory) keep working, so one client's bad key does not
 *   lock out others behind the same address.
 * - A request without a key counts against its client address's ordinary window.
 */
export async function createRateLimit(options: RateLimitOptions): Promise<RateLimit> {
  // Counters are worth nothing after a crash, so their writes skip the commit flush to disk
  // (synchronous_commit=off). Requests are counted in memory and shared every syncIntervalMs,
  // so no request waits for the database.
  const pool = options.databaseUrl
    ? new pg.Pool({ connectionString: options.databaseUrl, max: 2, options: '-c synchronous_commit=off' })
    : undefined;
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it, and the counts wait in memory for the next sync.
  pool?.on('error', (err) => options.onPoolError?.(err));
  const store: CounterStore | undefined = options.store ?? (pool ? await postgresCounterStore(pool) : undefined);
  const counter = new RateLimitCounter(options.windowSeconds * 1000);
  let syncing: Promise<void> = Promise.resolve();
  const timer = store
    ? setInterval(() => {
        syncing = syncing.then(() => counter.sync(store)).catch((err: Error) => options.onPoolError?.(err));
      }, options.syncEveryMs ?? syncIntervalMs)
    : setInterval(() => counter.sweep(), sweepIntervalMs);
  timer.unref();
  const { windowSeconds, failedAuthPerWindow } = options;
  const middleware: RateLimitMiddleware = (keys) => async (ctx, next) => {
    if (ctx.path !== '/v1' && !ctx.path.startsWith('/v1/')) return next();
    // Only ingestion gets the higher limit; reading events and usage count as ordinary requests.
    const isEvents = ctx.method === 'POST' && (ctx.path === '/v1/events' || ctx.path === '/v1/events/bulk');
    const [name, limit] = isEvents ? ['events', options.eventsPerWindow] : ['api', options.perWindow];
    const apiKey = ctx.get('x-api-key');
    if (!apiKey) {
      admit(ctx, limit, counter.consume(`tally_rl_${name}:ip:${ctx.ip}`, limit), windowSeconds, 'requests');
      return next();
    }
    const failedAuth = `tally_rl_auth:ip:${ctx.ip}`;
    const failedWhat = 'failed authentications from one address';
    // A key this instance has not resolved before holds one failed attempt up front, counted once it
    // fails and given back if it authenticates: an address past its limit is refused before any
    // lookup, concurrent guesses cannot all slip through while their lookups run, and a key that
    // authenticates never leaves a failed attempt in the shared count.
    const reserved = keys.isKnown(apiKey) ? undefined : counter.reserve(failedAuth, failedAuthPerWindow);
    if (reserved) admit(ctx, failedAuthPerWindow, reserved, windowSeconds, failedWhat);
    let check: KeyCheck;
    try {
      check = await checkKey(ctx, keys);
    } catch (err) {
      // The lookup failed (database down): not the caller's failure.
      if (reserved) counter.release(failedAuth);
      throw err;
    }
    if (check.refusal) {
      if (reserved) counter.confirm(failedAuth);
      admit(ctx, failedAuthPerWindow, reserved ?? counter.consume(failedAuth, failedAuthPerWindow), windowSeconds, failedWhat);
      // The operation answers the 401 (an unknown path its 404).
      return next();
    }
    if (reserved) counter.release(failedAuth);
    admit(ctx, limit, counter.consume(`tally_rl_${name}:key:${check.auth.secretId}`, limit), windowSeconds, 'requests');
    await next();
  };
  return {
    middleware,
    close: async () => {
      clearInterval(timer);
      if (store) await syncing.then(() => counter.sync(store)).catch(() => undefined);
      await pool?.end();
    },
  };
}
