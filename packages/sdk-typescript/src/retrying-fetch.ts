import { backoffDelayMs, retryAfterMs, sleep } from './backoff.js';
import { TallyConnectionError, TallyTimeoutError } from './errors.js';
import type { ResolvedOptions } from './options.js';

export const idempotencyHeader = 'Idempotency-Key';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** A request with this Idempotency-Key is still running on the server: worth waiting for. */
async function isInProgressConflict(response: Response, headers: Headers): Promise<boolean> {
  if (response.status !== 409 || !headers.has(idempotencyHeader)) return false;
  const body: unknown = await response.clone().json().catch(() => undefined);
  return typeof body === 'object' && body !== null && (body as { code?: unknown }).code === 'version_conflict';
}

async function isRetryable(response: Response, headers: Headers): Promise<boolean> {
  return response.status === 429 || response.status >= 500 || (await isInProgressConflict(response, headers));
}

/**
 * fetch with the SDK's transport rules: a per-attempt timeout; retries with exponential backoff
 * and full jitter on network errors, timeouts, 429, 5xx (and 409 from a request with the same
 * Idempotency-Key still in flight), waiting `Retry-After` when the server sends it; and one
 * Idempotency-Key per logical POST, kept across its retries so the server runs it at most once.
 * The response of the last attempt is returned whatever its status; errors are raised above.
 */
export function createRetryingFetch(options: ResolvedOptions): Fetch {
  return async (input, init = {}) => {
    const method = (init.method ?? (input instanceof Request ? input.method : 'GET')).toUpperCase();
    const headers = new Headers(init.headers);
    if (method === 'POST' && !headers.has(idempotencyHeader)) headers.set(idempotencyHeader, crypto.randomUUID());
    const callerSignal = init.signal ?? undefined;

    for (let attempt = 0; ; attempt++) {
      const timeout = AbortSignal.timeout(options.timeoutMs);
      const signal = callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
      let response: Response;
      try {
        response = await options.fetch(input, { ...init, headers, signal });
      } catch (err) {
        if (callerSignal?.aborted) throw err; // cancelled by the caller: not ours to retry
        const failure = timeout.aborted
          ? new TallyTimeoutError(`${method} ${String(input)}: no response within ${options.timeoutMs} ms`, { cause: err })
          : new TallyConnectionError(`${method} ${String(input)}: ${(err as Error)?.message ?? String(err)}`, { cause: err });
        if (attempt >= options.maxRetries) throw failure;
        await sleep(backoffDelayMs(attempt, options.initialRetryDelayMs, options.maxRetryDelayMs), callerSignal);
        continue;
      }
      if (attempt >= options.maxRetries || !(await isRetryable(response, headers))) return response;
      const delay = retryAfterMs(response.headers.get('retry-after')) ?? backoffDelayMs(attempt, options.initialRetryDelayMs, options.maxRetryDelayMs);
      await response.body?.cancel().catch(() => undefined);
      await sleep(delay, callerSignal);
    }
  };
}
