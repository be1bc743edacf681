import { createHash } from 'node:crypto';
import type { Middleware } from 'koa';
import pg from 'pg';
import rateLimiterFlexible, { type RateLimiterAbstract, type RateLimiterRes as LimitResult } from 'rate-limiter-flexible';
import { AppError } from '../errors/app-error.ts';

const { RateLimiterMemory, RateLimiterPostgres, RateLimiterRes } = rateLimiterFlexible;

export type RateLimitOptions = {
  /** Requests per window per API key, for every /v1 route but event ingestion. */
  perWindow: number;
  /** Requests per window per API key on event ingestion, POST /v1/events and /v1/events/bulk (it sends far more). */
  eventsPerWindow: number;
  windowSeconds: number;
  /** With PostgreSQL, counters live in the database so every instance enforces one limit. */
  databaseUrl?: string;
  onPoolError?: (err: Error) => void;
};

export type RateLimit = { middleware: Middleware; close(): Promise<void> };

/** Counted per API key (by its hash, before the key is even looked up); requests without a key per client address. */
function identityOf(apiKey: string, ip: string): string {
  return apiKey ? `key:${createHash('sha256').update(apiKey).digest('hex')}` : `ip:${ip}`;
}

function setHeaders(ctx: Parameters<Middleware>[0], limit: number, res: LimitResult): void {
  ctx.set('X-RateLimit-Limit', String(limit));
  ctx.set('X-RateLimit-Remaining', String(Math.max(0, res.remainingPoints)));
  ctx.set('X-RateLimit-Reset', String(Math.ceil((Date.now() + res.msBeforeNext) / 1000)));
}

async function limiterFor(name: string, points: number, options: RateLimitOptions, pool: pg.Pool | undefined): Promise<RateLimiterAbstract> {
  const base = { keyPrefix: `tally_rl_${name}`, points, duration: options.windowSeconds };
  if (!pool) return new RateLimiterMemory(base);
  return new Promise((resolve, reject) => {
    const limiter: RateLimiterAbstract = new RateLimiterPostgres(
      // If the database stumbles, count in memory rather than fail every request.
      // One row per key and limit, overwritten each window: nothing piles up, so no purge timer
      // (which would outlive the pool on shutdown).
      { ...base, storeClient: pool, tableName: 'rate_limits', clearExpiredByTimeout: false, insuranceLimiter: new RateLimiterMemory(base) },
      (err?: Error) => (err ? reject(err) : resolve(limiter)),
    );
  });
}

/** `X-RateLimit-*` on every /v1 response; past the limit, 429 `too_many_requests` with `Retry-After`. */
export async function createRateLimit(options: RateLimitOptions): Promise<RateLimit> {
  // Counters are worth nothing after a crash, so their writes skip the commit flush to disk
  // (synchronous_commit=off): one fsync per request would cap the whole API's throughput.
  const pool = options.databaseUrl
    ? new pg.Pool({ connectionString: options.databaseUrl, max: 8, options: '-c synchronous_commit=off' })
    : undefined;
  // An idle connection dropped by the server (restart, failover) must not crash the process;
  // the pool replaces it, and the insurance limiter covers the gap.
  pool?.on('error', (err) => options.onPoolError?.(err));
  const general = await limiterFor('api', options.perWindow, options, pool);
  const events = await limiterFor('events', options.eventsPerWindow, options, pool);
  const middleware: Middleware = async (ctx, next) => {
    if (ctx.path !== '/v1' && !ctx.path.startsWith('/v1/')) return next();
    // Only ingestion gets the higher limit; reading events and usage count as ordinary requests.
    const isEvents = ctx.method === 'POST' && (ctx.path === '/v1/events' || ctx.path === '/v1/events/bulk');
    const [limiter, limit] = isEvents ? [events, options.eventsPerWindow] : [general, options.perWindow];
    try {
      setHeaders(ctx, limit, await limiter.consume(identityOf(ctx.get('x-api-key'), ctx.ip)));
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      setHeaders(ctx, limit, err);
      const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      ctx.set('Retry-After', String(retryAfter));
      throw new AppError('too_many_requests', `Rate limit of ${limit} requests per ${options.windowSeconds} s exceeded; retry in ${retryAfter} s`, {
        limit,
        retry_after_seconds: retryAfter,
      });
    }
    await next();
  };
  return { middleware, close: async () => pool?.end() };
}
