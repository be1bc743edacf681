import { afterAll, beforeAll, expect } from 'vitest';
import type { ApiClient, ApiResponse } from './api-client.ts';
import type { RowScope } from './catalog-rows.ts';
import { productionApi, startTestServer, type TestServer, type TestServerOptions } from './test-server.ts';

/**
 * The shared fixtures of the API tests: the server preamble, unique keys, create helpers, list
 * counts and the check that a refused request wrote nothing.
 *
 * Two ways to create through the API:
 * - `createPlan(api, overrides)` and its siblings make a valid resource when the test needs *one*:
 *   defaults (unique keys included) with `overrides` on top. A field set to `undefined` is left out
 *   of the request.
 * - `created(api, path, body)` posts exactly `body`, for tests whose subject is what the API makes
 *   of that body.
 * Both assert the 201 (with the answer in the failure message) and return the created resource.
 */

type Body = Record<string, unknown>;

// ---- the server ------------------------------------------------------------------------------

/**
 * Starts a test server (`startTestServer(env)`) before the file's tests and stops it after them.
 * Returns a handle usable as the `TestServer` inside tests and hooks registered after this call
 * (hooks run in the order they are registered): `const server = useTestServer();`.
 */
export function useTestServer(env: Record<string, string> = {}, options: TestServerOptions = {}): TestServer {
  let started: TestServer | undefined;
  beforeAll(async () => {
    started = await startTestServer(env, options);
  });
  afterAll(() => started?.stop());
  return new Proxy({} as TestServer, {
    get(_, property) {
      if (!started) throw new Error(`the test server is not started: read server.${String(property)} inside a test or a hook registered after useTestServer()`);
      const value = Reflect.get(started, property);
      return typeof value === 'function' ? value.bind(started) : value;
    },
  });
}

/** The tenant and development environment of a test server, for rows written directly. */
export const devScope = (server: TestServer): RowScope => ({ tenantId: server.bootstrap.tenantId, environmentId: server.bootstrap.defaultEnvironmentId });

/** A second environment's client (production) and its scope, for isolation checks. */
export async function productionClient(server: TestServer): Promise<{ client: ApiClient; scope: RowScope }> {
  const { api, environmentId } = await productionApi(server);
  return { client: api, scope: { tenantId: server.bootstrap.tenantId, environmentId } };
}

// ---- unique keys -----------------------------------------------------------------------------

let seq = 0;
/** `base` with a suffix no other call in this test file gets, so lookup keys and codes never clash by accident. */
export const unique = (base: string) => `${base}_${++seq}`;

// ---- creating through the API ------------------------------------------------------------------

/** POSTs exactly `body` to `path`, expects 201, and returns the created resource (typed as loosely as `ApiClient` types bodies). */
export async function created(api: ApiClient, path: string, body: unknown): Promise<any> {
  const res = await api.post(path, body);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** A plan: "Pro" with a unique lookup key unless `overrides` says otherwise. */
export const createPlan = (api: ApiClient, overrides: Body = {}) => created(api, '/v1/plans', { name: 'Pro', lookup_key: unique('plan'), ...overrides });

/** An addon: "Extra seats" with a unique lookup key unless `overrides` says otherwise. */
export const createAddon = (api: ApiClient, overrides: Body = {}) => created(api, '/v1/addons', { name: 'Extra seats', lookup_key: unique('addon'), ...overrides });

/** A meter: a COUNT of a unique event name, reset each billing period, unless `overrides` says otherwise. */
export const createMeter = (api: ApiClient, overrides: Body = {}) =>
  created(api, '/v1/meters', { name: 'API calls', event_name: unique('api.call'), aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD', ...overrides });

/** The inline meter a metered feature gets by default: a SUM of `tokens` (or `aggregation`) of a unique event name. */
export const inlineMeter = (aggregation: Body = { type: 'SUM', field: 'tokens' }) => ({
  name: 'Tokens',
  event_name: unique('llm.completion'),
  aggregation,
  reset_usage: 'BILLING_PERIOD',
});

const featureDefaults: Record<string, () => Body> = {
  boolean: () => ({ name: 'SSO', lookup_key: unique('sso') }),
  static: () => ({ name: 'Support', lookup_key: unique('support') }),
  config: () => ({ name: 'Limits', lookup_key: unique('limits') }),
  metered: () => ({ name: 'LLM tokens', lookup_key: unique('tokens') }),
};

/**
 * A feature of `overrides.type` (boolean unless given) with a name and a unique lookup key; a
 * metered one gets an inline meter (`inlineMeter()`) unless `overrides` has `meter` or `meter_id`.
 * The shortcuts make one of each type; `createFeature.metered(api, aggregation)` sets its meter's aggregation.
 */
export const createFeature = Object.assign(
  (api: ApiClient, overrides: Body = {}) => {
    const type = (overrides.type as string | undefined) ?? 'boolean';
    const meter = type === 'metered' && !('meter' in overrides) && !('meter_id' in overrides) ? { meter: inlineMeter() } : {};
    return created(api, '/v1/features', { type, ...featureDefaults[type]?.(), ...meter, ...overrides });
  },
  {
    metered: (api: ApiClient, aggregation?: Body) => createFeature(api, { type: 'metered', meter: inlineMeter(aggregation) }),
    boolean: (api: ApiClient) => createFeature(api, { type: 'boolean' }),
    static: (api: ApiClient) => createFeature(api, { type: 'static' }),
    config: (api: ApiClient) => createFeature(api, { type: 'config' }),
  },
);

/** A price: `body` as given (see `fixedPrice`, `usagePrice` and `priceBody` for bodies). */
export const createPrice = (api: ApiClient, body: Body) => created(api, '/v1/prices', body);

/** An entitlement: `body` as given (it names its plan or addon and its feature). */
export const createEntitlement = (api: ApiClient, body: Body) => created(api, '/v1/entitlements', body);

const couponDefaults: Record<string, Body> = {
  fixed: { name: 'Ten dollars', amount_off: '10', currency: 'usd', cadence: 'once' },
  percentage: { name: 'Twenty off', percentage_off: '20', cadence: 'forever' },
};

/** A coupon of `overrides.type` (fixed unless given): $10 off once, or 20% off forever, unless `overrides` says otherwise. */
export function createCoupon(api: ApiClient, overrides: Body = {}): Promise<any> {
  const type = (overrides.type as string | undefined) ?? 'fixed';
  return created(api, '/v1/coupons', { type, ...couponDefaults[type], ...overrides });
}

/** A customer: "Acme" with a unique external id unless `overrides` says otherwise. */
export const createCustomer = (api: ApiClient, overrides: Body = {}) => created(api, '/v1/customers', { external_id: unique('customer'), name: 'Acme', ...overrides });

/** A test clock frozen at `frozen_time` (1 January 2025 unless `overrides` says otherwise). */
export const createTestClock = (api: ApiClient, overrides: Body = {}) => created(api, '/v1/test_clocks', { name: 'clock', frozen_time: '2025-01-01T00:00:00Z', ...overrides });

/** An API key (`{ api_key, secret }`): a private key named "test key" unless `overrides` says otherwise. */
export const createApiKey = (api: ApiClient, overrides: Body = {}) => created(api, '/v1/secrets/api/keys', { name: 'test key', type: 'private_key', ...overrides });

// ---- request bodies ----------------------------------------------------------------------------

/** A recurring FIXED flat fee of $49 a month on a plan; override any field. */
export const fixedPrice = (planId: string, extra: Body = {}) => ({
  entity_type: 'PLAN',
  entity_id: planId,
  type: 'FIXED',
  currency: 'usd',
  amount: '49',
  billing_period: 'MONTHLY',
  billing_period_count: 1,
  billing_model: 'FLAT_FEE',
  invoice_cadence: 'ADVANCE',
  ...extra,
});

/** A USAGE price of $0.002 per unit of `meterId` on a plan, billed in arrears; override any field. */
export const usagePrice = (planId: string, meterId: string, extra: Body = {}) => ({
  entity_type: 'PLAN',
  entity_id: planId,
  type: 'USAGE',
  meter_id: meterId,
  currency: 'usd',
  amount: '0.002',
  billing_period: 'MONTHLY',
  billing_period_count: 1,
  billing_model: 'FLAT_FEE',
  invoice_cadence: 'ARREAR',
  ...extra,
});

/** A flat monthly USD fee of 10 of the given plan or addon; override any field. */
export function priceBody(entityType: 'PLAN' | 'ADDON', entityId: string, body: Body = {}): Body {
  return {
    entity_type: entityType,
    entity_id: entityId,
    type: 'FIXED',
    currency: 'usd',
    amount: '10',
    billing_period: 'MONTHLY',
    billing_period_count: 1,
    billing_model: 'FLAT_FEE',
    invoice_cadence: 'ADVANCE',
    ...body,
  };
}

/** FlexPrice's tiered example (docs/flexprice-compatibility.md#price-math): up to 1,000 at $0.10; up to 5,000 at $0.08 + $10 flat; beyond at $0.05. */
export const referenceTiers = [
  { up_to: 1000, unit_amount: '0.10' },
  { up_to: 5000, unit_amount: '0.08', flat_amount: '10' },
  { up_to: null, unit_amount: '0.05' },
];

// ---- counting ----------------------------------------------------------------------------------

/** The list's default filter and archived rows: every row of a resource that archives on delete. */
export const withArchived = [undefined, 'archived'] as const;

/**
 * How many rows a list endpoint holds, read through `pagination.total` (the GET must answer 200),
 * summed over `statuses`: one read per entry, `undefined` for the list's default filter.
 * `listPath` may carry a query of its own (`/v1/prices?allow_expired_prices=true`).
 */
export async function count(api: ApiClient, listPath: string, statuses: ReadonlyArray<string | undefined> = [undefined]): Promise<number> {
  let total = 0;
  for (const status of statuses) {
    const path = `${listPath}${listPath.includes('?') ? '&' : '?'}limit=1${status ? `&status=${status}` : ''}`;
    const res = await api.get(path);
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(200);
    total += res.body.pagination.total as number;
  }
  return total;
}

/** Every price row of the environment, any status, ended ones included. */
export const priceCount = (api: ApiClient) => count(api, '/v1/prices?allow_expired_prices=true', withArchived);

// ---- refusals ----------------------------------------------------------------------------------

export type Refusal = {
  /** The status, also the envelope's `http_status_code`; 400 unless given. */
  status?: number;
  /** The envelope's `code`, when the test pins it. */
  code?: string;
  /** Fields the error's `details` must name (among others). */
  fields?: string[];
};

/**
 * Sends a request that must be refused and proves it wrote nothing: the status, the error envelope
 * (`success: false`, `http_status_code`, `error.message` = `message`; the `code` and the `details`
 * fields when given), and `written()` — a count, or an object or array of counts, taken before and
 * after — unchanged. A string body is sent as raw text. Returns the error body.
 */
export async function expectRefused(
  api: ApiClient,
  request: { method?: string; path: string; body?: unknown },
  expected: Refusal,
  written: () => Promise<unknown>,
): Promise<Record<string, any>> {
  const status = expected.status ?? 400;
  const before = await written();
  const res: ApiResponse = await api.request(request.method ?? 'POST', request.path, request.body);
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body, JSON.stringify(res.body)).toMatchObject({ http_status_code: status, success: false, ...(expected.code ? { code: expected.code } : {}) });
  expect(res.body.error).toEqual({ message: res.body.message, internal_error: '' });
  for (const field of expected.fields ?? []) expect(Object.keys(res.body.details ?? {}), JSON.stringify(res.body)).toContain(field);
  expect(await written()).toEqual(before);
  return res.body;
}
