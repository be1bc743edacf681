/** How a Tally client talks to the API. Every field is optional. */
export interface TallyOptions {
  /** Sent as `x-api-key`. Default: the `TALLY_API_KEY` environment variable. */
  apiKey?: string;
  /** Default: `TALLY_BASE_URL`, else `http://localhost:8080/v1`. */
  baseUrl?: string;
  /** Per attempt, until the whole response has arrived. Default 30 000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt on network errors, timeouts, 429 and 5xx. Default 3; 0 disables. */
  maxRetries?: number;
  /** Backoff before the first retry is drawn from [0, this); it doubles per retry. Default 500 ms. */
  initialRetryDelayMs?: number;
  /** Cap on the backoff window. Default 8 000 ms. */
  maxRetryDelayMs?: number;
  /** The fetch to send requests with (a proxy-aware one, or a fake in tests). Default: global fetch. */
  fetch?: typeof fetch;
  /** Extra headers on every request. */
  headers?: Record<string, string>;
}

export const defaultBaseUrl = 'http://localhost:8080/v1';

export interface ResolvedOptions {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  initialRetryDelayMs: number;
  maxRetryDelayMs: number;
  fetch: typeof fetch;
  headers: Record<string, string>;
}

// Browsers have no process; Node, Deno and Bun do.
function env(name: string): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const value = proc?.env?.[name];
  return value === undefined || value === '' ? undefined : value;
}

function nonNegative(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`Tally option ${name} must be a number >= 0, got ${value}`);
  return value;
}

export function resolveOptions(options: TallyOptions): ResolvedOptions {
  const apiKey = options.apiKey ?? env('TALLY_API_KEY');
  if (!apiKey) throw new TypeError('Tally needs an API key: pass { apiKey } or set TALLY_API_KEY');
  const baseUrl = (options.baseUrl ?? env('TALLY_BASE_URL') ?? defaultBaseUrl).replace(/\/+$/, '');
  return {
    apiKey,
    baseUrl,
    timeoutMs: nonNegative('timeoutMs', options.timeoutMs, 30_000),
    maxRetries: Math.floor(nonNegative('maxRetries', options.maxRetries, 3)),
    initialRetryDelayMs: nonNegative('initialRetryDelayMs', options.initialRetryDelayMs, 500),
    maxRetryDelayMs: nonNegative('maxRetryDelayMs', options.maxRetryDelayMs, 8_000),
    fetch: options.fetch ?? globalThis.fetch.bind(globalThis),
    headers: { ...options.headers },
  };
}
