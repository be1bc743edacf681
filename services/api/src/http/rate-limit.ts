import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import pg from 'pg';
import { AppError } from '../errors/app-error.ts';
import { RateLimitCounter, type ConsumeResult, type CounterStore } from './rate-limit-counter.ts';
import { postgresCounterStore } from './rate-limit-store.ts';

/** How often an instance shares its counts with the others through PostgreSQL. */
export const syncIntervalMs = 100;

export type RateLimitOptions = {
  /** Requests per window per API key, for every /v1 route but event ingestion. */
  perWindow: number;
  /** Requests per window per API key on event ingestion, POST /v1/events and /v1/events/bulk (it sends far more). */
  eventsPerWindow: number;
  windowSeconds: number;
  /** With PostgreSQL, instances share their counts through the database, so all of them enforce one limit. */
  databaseUrl?: string;
  onPoolError?: (err: Error) => void;
};

export type RateLimit = { middleware: Middleware; close(): Promise<void> };

/** Counted per API key (by its hash, before the key is even looked up); requests without a key per client address. */
function identityOf(apiKey: string, ip: string): string {
  return apiKey ? `key:${createHash('sha256').update(apiKey).digest('hex')}` : `ip:${ip}`;
}

function setHeaders(ctx: Parameters<Middleware>[0], limit: number, res: ConsumeResult): void {
  ctx.set('X-RateLimit-Limit', String(limit));
  ctx.set('X-RateLimit-Remaining', String(res.remaining));
  ctx.set('X-RateLimit-Reset', String(Math.ceil((Date.now() + res.msBeforeNext) / 1000)));
}

/** `X-RateLimit-*` on every /v1 response; past the limit, 429 `too_many_requests` with `Retry-After`. */
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
  const store: CounterStore | undefined = pool ? await postgresCounterStore(pool) : undefined;
  const counter = new RateLimitCounter(options.windowSeconds * 1000);
  let syncing: Promise<void> = Promise.resolve();
  const timer = store
    ? setInterval(() => {
        syncing = syncing.then(() => counter.sync(store)).catch((err: Error) => options.onPoolError?.(err));
      }, syncIntervalMs)
    : undefined;
  timer?.unref();
  const middleware: Middleware = async (ctx, next) => {
    if (ctx.path !== '/v1' && !ctx.path.startsWith('/v1/')) return next();
    // Only ingestion gets the higher limit; reading events and usage count as ordinary requests.
    const isEvents = ctx.method === 'POST' && (ctx.path === '/v1/events' || ctx.path === '/v1/events/bulk');
    const [name, limit] = isEvents ? ['events', options.eventsPerWindow] : ['api', options.perWindow];
    const result = counter.consume(`tally_rl_${name}:${identityOf(ctx.get('x-api-key'), ctx.ip)}`, limit);
    setHeaders(ctx, limit, result);
    if (!result.allowed) {
      const retryAfter = Math.max(1, Math.ceil(result.msBeforeNext / 1000));
      ctx.set('Retry-After', String(retryAfter));
      throw new AppError('too_many_requests', `Rate limit of ${limit} requests per ${options.windowSeconds} s exceeded; retry in ${retryAfter} s`, {
        limit,
        retry_after_seconds: retryAfter,
      });
    }
    await next();
  };
  return {
    middleware,
    close: async () => {
      if (timer) clearInterval(timer);
      if (store) await syncing.then(() => counter.sync(store)).catch(() => undefined);
      await pool?.end();
    },
  };
}
