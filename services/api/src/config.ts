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
};

const levels: LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function port(value: string | undefined): number {
  if (value === undefined || value === '') return 8080;
  // Digits only: Number() would read ' ' as 0 (a random port) and '0x50' as 80.
  const n = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new Error(`PORT must be an integer 0–65535, got "${value}"`);
  return n;
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
  };
}
