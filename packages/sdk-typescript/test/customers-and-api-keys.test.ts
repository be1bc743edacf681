import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CustomerResponse,
  Tally,
  TallyAuthenticationError,
  TallyConflictError,
  TallyNotFoundError,
  TallyValidationError,
} from '../src/index.js';
import { type RunningTally, startTally } from './tally-server.js';

let server: RunningTally;
let tally: Tally;

beforeAll(async () => {
  server = await startTally();
  tally = new Tally({ apiKey: server.apiKey, baseUrl: server.baseUrl, initialRetryDelayMs: 10, maxRetryDelayMs: 50 });
});

afterAll(async () => {
  await server?.stop();
});

const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

describe('customers through the TypeScript SDK against a live Tally', () => {
  it('reaches the health check at the API root, outside /v1', async () => {
    await expect(tally.health.getHealth()).resolves.toMatchObject({ status: 'ok' });
  });

  it('creates, reads by id and by external id, and updates a customer', async () => {
    const externalId = unique('acme');
    const created = await tally.customers.createCustomer({
      createCustomerRequest: { external_id: externalId, name: 'Acme Corp', email: 'billing@acme.test', metadata: { plan: 'pro' } },
    });
    expect(created.id).toMatch(/^cust_[0-9A-Z]{26}$/);
    expect(created).toMatchObject({ external_id: externalId, name: 'Acme Corp', email: 'billing@acme.test', timezone: 'UTC', status: 'published' });

    const byId = await tally.customers.getCustomer({ id: created.id });
    expect(byId).toMatchObject({ id: created.id, external_id: externalId, metadata: { plan: 'pro' } });

    const byExternalId = await tally.customers.getCustomerByExternalId({ externalId });
    expect(byExternalId.id).toBe(created.id);

    const updated = await tally.customers.updateCustomerById({ id: created.id, updateCustomerRequest: { name: 'Acme Inc.', timezone: 'Europe/Berlin' } });
    expect(updated).toMatchObject({ id: created.id, name: 'Acme Inc.', timezone: 'Europe/Berlin', email: 'billing@acme.test' });
    expect((await tally.customers.getCustomer({ id: created.id })).name).toBe('Acme Inc.');
  });

  it('walks every page of a list: 7 customers in pages of 3', async () => {
    const externalIds = Array.from({ length: 7 }, (_, i) => unique(`page-${i}`));
    for (const externalId of externalIds) {
      await tally.customers.createCustomer({ createCustomerRequest: { external_id: externalId, name: `Paged ${externalId}` } });
    }
    const pageSizes: number[] = [];
    const seen: CustomerResponse[] = [];
    for await (const customer of tally.paginate(async (page) => {
      const answer = await tally.customers.listCustomers({ ...page, externalIds });
      pageSizes.push(answer.items.length);
      return answer;
    }, { limit: 3 })) {
      seen.push(customer);
    }
    expect(pageSizes).toEqual([3, 3, 1]);
    expect(seen.map((c) => c.external_id).sort()).toEqual([...externalIds].sort());
  });

  it('searches by name (contains) across pages', async () => {
    const token = unique('zebra');
    const names = [`${token} One`, `Two ${token}`, `${token} Three`];
    for (const name of names) await tally.customers.createCustomer({ createCustomerRequest: { external_id: unique('search'), name } });
    await tally.customers.createCustomer({ createCustomerRequest: { external_id: unique('search'), name: 'Someone else' } });

    const found = await tally.collectAll(
      (page) =>
        tally.customers.queryCustomer({
          customerFilter: { ...page, filters: [{ field: 'name', operator: 'contains', data_type: 'string', value: { string: token } }] },
        }),
      { limit: 2 },
    );
    expect(found.map((c) => c.name).sort()).toEqual([...names].sort());
  });

  it('deletes a customer, after which it answers a typed 404', async () => {
    const customer = await tally.customers.createCustomer({ createCustomerRequest: { external_id: unique('gone'), name: 'Gone Ltd' } });
    await tally.customers.deleteCustomer({ id: customer.id });

    const error = await tally.customers.getCustomer({ id: customer.id }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TallyNotFoundError);
    const notFound = error as TallyNotFoundError;
    expect(notFound.code).toBe('not_found');
    expect(notFound.http_status_code).toBe(404);
    expect(notFound.message).not.toBe('');
    expect(notFound.request_id).toMatch(/\S/);
  });

  it('surfaces a 400 as a typed validation error naming the field', async () => {
    const error = await tally.customers
      .createCustomer({ createCustomerRequest: { external_id: unique('nameless') } })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TallyValidationError);
    const invalid = error as TallyValidationError;
    expect(invalid.code).toBe('validation_error');
    expect(invalid.http_status_code).toBe(400);
    expect(invalid.details).toHaveProperty('name');
    expect(invalid.message).toContain('name');
    expect(invalid.request_id).toMatch(/\S/);
  });

  it('surfaces a duplicate external id as a typed 409 (two logical POSTs, two Idempotency-Keys)', async () => {
    const externalId = unique('dup');
    await tally.customers.createCustomer({ createCustomerRequest: { external_id: externalId, name: 'First' } });
    const error = await tally.customers.createCustomer({ createCustomerRequest: { external_id: externalId, name: 'Second' } }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TallyConflictError);
    expect((error as TallyConflictError).code).toBe('already_exists');
  });

  it('retries a POST whose response was lost with the same Idempotency-Key, creating exactly one customer', async () => {
    const attempts: { idempotencyKey: string | null; replayed: string | null; status: number }[] = [];
    let failedOnce = false;
    // The first attempt reaches the server and creates the customer; its response is then "lost".
    const flakyFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const idempotencyKey = new Headers(init?.headers).get('idempotency-key');
      attempts.push({ idempotencyKey, replayed: response.headers.get('idempotent-replayed'), status: response.status });
      if (!failedOnce && init?.method === 'POST') {
        failedOnce = true;
        await response.body?.cancel();
        throw new TypeError('fetch failed: connection reset after the request was sent');
      }
      return response;
    };
    const flaky = new Tally({ apiKey: server.apiKey, baseUrl: server.baseUrl, fetch: flakyFetch, initialRetryDelayMs: 10, maxRetryDelayMs: 20 });

    const externalId = unique('retried');
    const customer = await flaky.customers.createCustomer({ createCustomerRequest: { external_id: externalId, name: 'Retried Co' } });

    expect(attempts).toHaveLength(2);
    expect(attempts[0].idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(attempts[1].idempotencyKey).toBe(attempts[0].idempotencyKey);
    expect(attempts[0].status).toBe(201);
    expect(attempts[1]).toMatchObject({ status: 201, replayed: 'true' });
    expect(customer.external_id).toBe(externalId);

    const list = await tally.customers.listCustomers({ externalIds: [externalId] });
    expect(list.items.map((c) => c.id)).toEqual([customer.id]);
    expect(list.pagination.total).toBe(1);
  });
});

describe('API keys through the TypeScript SDK against a live Tally', () => {
  it('creates a key that works, lists it, deletes it, and the deleted key is refused', async () => {
    const created = await tally.secrets.createApiKey({ createAPIKeyRequest: { name: unique('backend'), type: 'private_key' } });
    expect(created.api_key).toMatch(/^sk_/);
    expect(created.secret).toMatchObject({ type: 'private_key', status: 'published' });

    const withNewKey = new Tally({ apiKey: created.api_key, baseUrl: server.baseUrl, maxRetries: 0 });
    await expect(withNewKey.customers.listCustomers({ limit: 1 })).resolves.toHaveProperty('items');

    const keys = await tally.collectAll((page) => tally.secrets.listApiKeys(page), { limit: 1 });
    expect(keys.map((k) => k.id)).toContain(created.secret.id);
    expect(keys.length).toBeGreaterThanOrEqual(2);

    await tally.secrets.deleteApiKey({ id: created.secret.id });
    const after = await tally.collectAll((page) => tally.secrets.listApiKeys(page));
    expect(after.map((k) => k.id)).not.toContain(created.secret.id);

    const refused = await withNewKey.customers.listCustomers({ limit: 1 }).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(TallyAuthenticationError);
    expect((refused as TallyAuthenticationError).http_status_code).toBe(401);
  });
});
