import { resolve } from 'node:path';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** Everything the server reads from its environment, parsed once at start. */
export type Config = {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  apiKey: string | undefined;
  logLevel: LogLevel;
  validateResponses: boolean;
  bodyLimit: string;
  eventsBodyLimit: string;
  rateLimit: { perWindow: number; eventsPerWindow: number; failedAuthPerWindow: number; windowSeconds: number };
  webhooks: WebhookConfig;
  billing: BillingConfig;
};

/** Due billing work and test clocks (see docs/development/due-work.md). */
export type BillingConfig = {
  /** Whether this instance runs the billing worker (renewals, trial ends, finalizations at the wall clock's time). */
  worker: boolean;
  /** How often the worker looks for due work. */
  pollMs: number;
  /** How long `POST /test_clocks/{id}/advance` waits for the due work before answering `advancing` (0: answers at once). */
  advanceWaitMs: number;
  /** How long after a period ends its draft invoice is finalized (late usage is billed in the meantime). */
  finalizationDelayMs: number;
};

/** Outbound webhook delivery (see the README's Webhooks section). */
export type WebhookConfig = {
  /** Deliver to loopback and private networks too (never to link-local or cloud metadata addresses). */
  allowPrivate: boolean;
  /** An attempt that has not got its whole answer by then fails. */
  timeoutMs: number;
  /** How long a claimed delivery is held before it counts as lost and is sent again; longer than `timeoutMs`. */
  leaseMs: number;
  concurrency: number;
  perEndpointConcurrency: number;
  /** Delivery log rows older than this are deleted. */
  retentionMs: number;
  /** The fallback poll when no notification comes. */
  pollMs: number;
  /** Whether this instance delivers (its delivery worker runs). */
  worker: boolean;
  /** At most one `event.rejected` per event name and environment within this window (0: every one). */
  rejectedEventWindowMs: number;
};

const levels: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function port(value: string | undefined): number {
  if (value === undefined || value === '') return 8080;
  // Digits only: Number() would read ' ' as 0 (a random port) and '0x50' as 80.
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`PORT must be an integer 0–65535, got "${value}"`);
  return n;
}

function nonNegativeInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return Number(value);
}

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  throw new Error(`${name} must be 1 or 0, got "${value}"`);
}

function webhookConfig(env: NodeJS.ProcessEnv): WebhookConfig {
  const timeoutMs = positiveInteger('TALLY_WEBHOOK_TIMEOUT_SECONDS', env.TALLY_WEBHOOK_TIMEOUT_SECONDS, 10) * 1000;
  const leaseMs = positiveInteger('TALLY_WEBHOOK_LEASE_SECONDS', env.TALLY_WEBHOOK_LEASE_SECONDS, timeoutMs / 1000 + 30) * 1000;
  if (leaseMs <= timeoutMs) throw new Error('TALLY_WEBHOOK_LEASE_SECONDS must be longer than TALLY_WEBHOOK_TIMEOUT_SECONDS');
  return {
    allowPrivate: flag('TALLY_WEBHOOK_ALLOW_PRIVATE', env.TALLY_WEBHOOK_ALLOW_PRIVATE, false),
    timeoutMs,
    leaseMs,
    concurrency: positiveInteger('TALLY_WEBHOOK_CONCURRENCY', env.TALLY_WEBHOOK_CONCURRENCY, 64),
    perEndpointConcurrency: positiveInteger('TALLY_WEBHOOK_ENDPOINT_CONCURRENCY', env.TALLY_WEBHOOK_ENDPOINT_CONCURRENCY, 32),
    retentionMs: positiveInteger('TALLY_WEBHOOK_RETENTION_DAYS', env.TALLY_WEBHOOK_RETENTION_DAYS, 30) * 24 * 3600 * 1000,
    pollMs: positiveInteger('TALLY_WEBHOOK_POLL_MS', env.TALLY_WEBHOOK_POLL_MS, 1000),
    worker: flag('TALLY_WEBHOOK_WORKER', env.TALLY_WEBHOOK_WORKER, true),
    rejectedEventWindowMs: nonNegativeInteger('TALLY_WEBHOOK_REJECTED_EVENT_WINDOW_SECONDS', env.TALLY_WEBHOOK_REJECTED_EVENT_WINDOW_SECONDS, 600) * 1000,
  };
}

function billingConfig(env: NodeJS.ProcessEnv): BillingConfig {
  return {
    worker: flag('TALLY_BILLING_WORKER', env.TALLY_BILLING_WORKER, true),
    pollMs: positiveInteger('TALLY_BILLING_POLL_SECONDS', env.TALLY_BILLING_POLL_SECONDS, 10) * 1000,
    advanceWaitMs: nonNegativeInteger('TALLY_TEST_CLOCK_ADVANCE_WAIT_SECONDS', env.TALLY_TEST_CLOCK_ADVANCE_WAIT_SECONDS, 10) * 1000,
    finalizationDelayMs: nonNegativeInteger('TALLY_INVOICE_FINALIZATION_DELAY_SECONDS', env.TALLY_INVOICE_FINALIZATION_DELAY_SECONDS, 0) * 1000,
  };
}

function positiveInteger(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new Error(`${name} must be a positive integer, got "${value}"`);
  return Number(value);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`LOG_LEVEL=` in a compose file) means unset, as for every other variable.
  const logLevel = (env.LOG_LEVEL || 'info') as LogLevel;
  if (!levels.includes(logLevel)) throw new Error(`LOG_LEVEL must be one of ${levels.join(', ')}, got "${logLevel}"`);
  return {
    port: port(env.PORT),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    // npm runs workspace scripts inside the workspace; INIT_CWD is where the user typed `npm start`.
    dataDir: resolve(env.INIT_CWD || process.cwd(), env.TALLY_DATA_DIR || './.data'),
    apiKey: env.TALLY_API_KEY || undefined,
    logLevel,
    validateResponses: env.TALLY_VALIDATE_RESPONSES === '1' || env.NODE_ENV === 'test',
    bodyLimit: env.TALLY_BODY_LIMIT || '1mb',
    // FlexPrice's cap for event ingestion bodies (32 MiB): a bulk of 1000 events with large properties.
    eventsBodyLimit: env.TALLY_EVENTS_BODY_LIMIT || '32mb',
    rateLimit: {
      perWindow: positiveInteger('TALLY_RATE_LIMIT_PER_MINUTE', env.TALLY_RATE_LIMIT_PER_MINUTE, 1000),
      eventsPerWindow: positiveInteger('TALLY_EVENTS_RATE_LIMIT_PER_MINUTE', env.TALLY_EVENTS_RATE_LIMIT_PER_MINUTE, 20000),
      // Per client address. A client retrying a bad key every two seconds stays under it; keys are
      // far too random to guess at any rate, so it only caps the lookups a guesser causes.
      failedAuthPerWindow: positiveInteger('TALLY_FAILED_AUTH_RATE_LIMIT_PER_MINUTE', env.TALLY_FAILED_AUTH_RATE_LIMIT_PER_MINUTE, 30),
      // Tests shorten the window; operators normally keep the minute the names promise.
      windowSeconds: positiveInteger('TALLY_RATE_LIMIT_WINDOW_SECONDS', env.TALLY_RATE_LIMIT_WINDOW_SECONDS, 60),
    },
    webhooks: webhookConfig(env),
    billing: billingConfig(env),
  };
}
