import { describe, expect, it } from 'vitest';
import { backoffDelayMs, retryAfterMs } from '../src/backoff.js';
import * as generatedApis from '../src/generated/apis/index.js';
import { CustomersApi, Tally, TallyConnectionError, TallyRateLimitError, TallyServerError, TallyTimeoutError, TallyValidationError } from '../src/index.js';

// Transport rules against a scripted fetch: no server needed, every attempt is recorded.
type Step = (() => Response) | Error;
const envelope = (status: number, code: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ code, message: `${code} happened`, http_status_code: status, success: false, error: { message: `${code} happened`, internal_error: '' }, ...extra });
const json = (status: number, body: string, headers: Record<string, string> = {}) => () =>
  new Response(body, { status, headers: { 'content-type': 'application/json', 'x-request-id': 'req_123', ...headers } });
const customer = json(201, JSON.stringify({ id: 'cust_1', external_id: 'e1', name: 'N' }));

function scripted(steps: Step[]) {
  const attempts: { method: string; idempotencyKey: string | null; at: number }[] = [];
  const fetchImpl: typeof fetch = async (_input, init) => {
    attempts.push({ method: init?.method ?? 'GET', idempotencyKey: new Headers(init?.headers).get('idempotency-key'), at: performance.now() });
    const step = steps.shift();
    if (step === undefined) throw new Error('no more scripted responses');
    if (step instanceof Error) throw step;
    return step();
  };
  const tally = new Tally({ apiKey: 'sk_test', baseUrl: 'http://tally.invalid/v1', fetch: fetchImpl, initialRetryDelayMs: 1, maxRetryDelayMs: 5 });
  return { tally, attempts };
}

const create = (tally: Tally) => tally.customers.createCustomer({ createCustomerRequest: { external_id: 'e1', name: 'N' } });

describe('retries', () => {
  it('retries network errors, 429 and 5xx, keeping one Idempotency-Key for the whole POST', async () => {
    const { tally, attempts } = scripted([new TypeError('fetch failed'), json(503, envelope(503, 'service_unavailable')), json(429, envelope(429, 'too_many_requests'), { 'retry-after': '0' }), customer]);
    await expect(create(tally)).resolves.toMatchObject({ id: 'cust_1' });
    expect(attempts).toHaveLength(4);
    expect(new Set(attempts.map((a) => a.idempotencyKey)).size).toBe(1);
    expect(attempts[0].idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gives each logical POST its own key, and sends none on GET', async () => {
    const { tally, attempts } = scripted([customer, customer, json(200, JSON.stringify({ id: 'cust_1' }))]);
    await create(tally);
    await create(tally);
    await tally.customers.getCustomer({ id: 'cust_1' });
    expect(attempts[0].idempotencyKey).not.toBe(attempts[1].idempotencyKey);
    expect(attempts[2]).toMatchObject({ method: 'GET', idempotencyKey: null });
  });

  it('keeps an Idempotency-Key the caller chose', async () => {
    const { tally, attempts } = scripted([json(500, envelope(500, 'internal_error')), customer]);
    await tally.customers.createCustomer({ createCustomerRequest: { external_id: 'e1', name: 'N' } }, { headers: { 'Idempotency-Key': 'order-42' } });
    expect(attempts.map((a) => a.idempotencyKey)).toEqual(['order-42', 'order-42']);
  });

  it('stops after maxRetries and throws the typed error of the last answer', async () => {
    const { tally, attempts } = scripted(Array.from({ length: 4 }, () => json(502, envelope(502, 'bad_gateway'))));
    const error = await create(tally).catch((err: unknown) => err);
    expect(attempts).toHaveLength(4); // 1 + the default 3 retries
    expect(error).toBeInstanceOf(TallyServerError);
    expect(error).toMatchObject({ code: 'bad_gateway', http_status_code: 502, request_id: 'req_123' });
  });

  it('throws a connection error when the network keeps failing', async () => {
    const { tally, attempts } = scripted(Array.from({ length: 4 }, () => new TypeError('ECONNREFUSED')));
    await expect(create(tally)).rejects.toBeInstanceOf(TallyConnectionError);
    expect(attempts).toHaveLength(4);
  });

  it('does not retry a 400', async () => {
    const { tally, attempts } = scripted([json(400, envelope(400, 'validation_error', { details: { name: 'is required' } }))]);
    const error = await create(tally).catch((err: unknown) => err);
    expect(attempts).toHaveLength(1);
    expect(error).toBeInstanceOf(TallyValidationError);
    expect(error).toMatchObject({ details: { name: 'is required' }, request_id: 'req_123', message: 'validation_error happened' });
  });

  it('waits for Retry-After before retrying a 429', async () => {
    const { tally, attempts } = scripted([json(429, envelope(429, 'too_many_requests'), { 'retry-after': '1' }), customer]);
    await create(tally);
    expect(attempts[1].at - attempts[0].at).toBeGreaterThanOrEqual(950);
  });

  it('gives up on 429 with a typed rate-limit error when retries are off', async () => {
    const fetchImpl: typeof fetch = async () => json(429, envelope(429, 'too_many_requests'), { 'retry-after': '30' })();
    const tally = new Tally({ apiKey: 'k', baseUrl: 'http://tally.invalid/v1', fetch: fetchImpl, maxRetries: 0 });
    await expect(create(tally)).rejects.toBeInstanceOf(TallyRateLimitError);
  });

  it('times out a slow attempt and reports a timeout', async () => {
    const hanging: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal?.reason)));
    const tally = new Tally({ apiKey: 'k', baseUrl: 'http://tally.invalid/v1', fetch: hanging, timeoutMs: 20, maxRetries: 1, initialRetryDelayMs: 1 });
    await expect(create(tally)).rejects.toBeInstanceOf(TallyTimeoutError);
  });
});

describe('backoff', () => {
  it('draws the delay from [0, min(max, initial * 2^attempt)) (full jitter)', () => {
    expect(backoffDelayMs(0, 500, 8000, () => 0.999)).toBe(499);
    expect(backoffDelayMs(3, 500, 8000, () => 0.5)).toBe(2000);
    expect(backoffDelayMs(10, 500, 8000, () => 0.999)).toBe(7992);
    expect(backoffDelayMs(2, 500, 8000, () => 0)).toBe(0);
  });

  it('reads Retry-After as seconds or an HTTP date, capped at 60 s', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('0.5')).toBe(500);
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs('3600')).toBe(60_000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
  });
});

describe('configuration', () => {
  it('exposes every generated API class as a property, customers → tally.customers', () => {
    const tally = new Tally({ apiKey: 'k' });
    expect(tally.customers).toBeInstanceOf(CustomersApi);
    const classes = Object.keys(generatedApis).filter((name) => name.endsWith('Api'));
    expect(classes.length).toBeGreaterThanOrEqual(4);
    for (const name of classes) {
      const property = name.charAt(0).toLowerCase() + name.slice(1, -3);
      expect(tally[property as keyof typeof tally], property).toBeInstanceOf(generatedApis[name as keyof typeof generatedApis]);
    }
  });

  it('reads TALLY_API_KEY and TALLY_BASE_URL, defaulting to localhost:8080/v1', () => {
    const saved = { key: process.env.TALLY_API_KEY, url: process.env.TALLY_BASE_URL };
    try {
      process.env.TALLY_API_KEY = 'sk_from_env';
      delete process.env.TALLY_BASE_URL;
      expect(new Tally().options).toMatchObject({ apiKey: 'sk_from_env', baseUrl: 'http://localhost:8080/v1', maxRetries: 3 });
      process.env.TALLY_BASE_URL = 'https://billing.example.test/v1/';
      expect(new Tally().options.baseUrl).toBe('https://billing.example.test/v1');
      delete process.env.TALLY_API_KEY;
      expect(() => new Tally()).toThrow(/TALLY_API_KEY/);
    } finally {
      for (const [name, value] of [['TALLY_API_KEY', saved.key], ['TALLY_BASE_URL', saved.url]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
