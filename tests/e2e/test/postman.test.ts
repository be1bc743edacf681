import { readFileSync } from 'node:fs';
import newman, { type NewmanRunSummary } from 'newman';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../../services/api/test/support/test-server.ts';
import { buildPostman, collectionPath, environmentPath, serialize, specPath, type Collection, type Environment } from '../../../tools/codegen/src/postman.ts';

// The folders run end to end, in the collection's order. Each cleans up after itself (creates first,
// deletes last), so a second run passes too; a new resource's folder joins once its examples chain.
// Not yet: Features and Plans (their clone's copy keeps the example lookup_key, so a second run
// answers 409), Events, Prices and Entitlements (their requests name an event, a meter, a plan or a
// feature by an example id that only another request creates), Tax Associations (its example names
// the rate and the customer that the Tax Rates and Customers folders delete when they end), Webhooks
// (its event requests name an example event id: events are recorded by changes, never created, so no
// request of the folder can store one), Subscriptions, Invoices, Payments and Wallets (their examples
// name a customer, plan, invoice or wallet that only other folders create).
const folders = ['Health', 'Customers', 'Environments', 'Secrets', 'Meters', 'Price units', 'Addons', 'Coupons', 'Tax Rates', 'Test clocks'];

type Built = { collection: Collection; environment: Environment };
let built: Built;
let server: TestServer;
let summary: NewmanRunSummary;

beforeAll(async () => {
  [built, server] = await Promise.all([buildPostman(), startTestServer()]);
});
afterAll(() => server?.stop());

function run(collection: Collection, values: Record<string, string>): Promise<NewmanRunSummary> {
  return new Promise((resolve, reject) =>
    newman.run(
      {
        collection: collection as never,
        environment: { ...built.environment, values: built.environment.values.map((v) => ({ ...v, value: values[v.key] ?? v.value })) } as never,
        folder: folders,
        reporters: [],
        timeoutRequest: 10_000,
        bail: ['folder'],
      },
      (err, result) => (err ? reject(err) : resolve(result)),
    ),
  );
}

const requestsIn = (collection: Collection, folder: string) => collection.item.find((f) => f.name === folder)?.item?.map((i) => i.name) ?? [];

describe('Postman collection', () => {
  it('is what npm run postman writes from the current spec', () => {
    // Generated and committed; a spec change without `npm run postman` shows up here.
    const stale = 'out of date with spec/dist/openapi.json: run `npm run postman` and commit tests/e2e/postman/';
    expect(readFileSync(collectionPath, 'utf8') === serialize(built.collection), `${collectionPath} is ${stale}`).toBe(true);
    expect(readFileSync(environmentPath, 'utf8') === serialize(built.environment), `${environmentPath} is ${stale}`).toBe(true);
  });

  it('has one request per operation of the spec, authenticated by {{apiKey}} in x-api-key, on {{baseUrl}}', () => {
    const spec = JSON.parse(readFileSync(specPath, 'utf8'));
    const operations = Object.values(spec.paths as Record<string, object>).flatMap((item) => Object.keys(item).filter((k) => ['get', 'put', 'post', 'delete', 'patch'].includes(k)));
    const requests = built.collection.item.flatMap((folder) => folder.item ?? []);
    expect(requests).toHaveLength(operations.length);
    expect(built.collection.auth).toEqual({ type: 'apikey', apikey: [{ key: 'key', value: 'x-api-key' }, { key: 'value', value: '{{apiKey}}' }, { key: 'in', value: 'header' }] });
    // {{origin}} is {{baseUrl}} without /v1, for the operations outside it (health).
    for (const request of requests) expect(request.request!.url.host, request.name).toEqual([request.name === 'Health check' ? '{{origin}}' : '{{baseUrl}}']);
    for (const request of requests) expect(request.request!.auth ?? null, request.name).toEqual(request.name === 'Health check' ? { type: 'noauth' } : null);
    expect(built.environment.values).toEqual([
      { key: 'baseUrl', value: 'http://localhost:8080/v1', type: 'default', enabled: true },
      { key: 'apiKey', value: '', type: 'secret', enabled: true },
    ]);
  });

  it(`passes every request of ${folders.join(', ')} under newman against a live server`, async () => {
    summary = await run(built.collection, { baseUrl: `${server.url}/v1`, apiKey: server.apiKey });
    const executions = summary.run.executions.map((e) => ({
      name: e.item.name,
      status: e.response?.code,
      failed: (e.assertions ?? []).filter((a) => a.error).map((a) => `${a.assertion}: ${a.error!.message}`),
      passed: (e.assertions ?? []).filter((a) => !a.error).map((a) => a.assertion),
      body: e.response?.stream?.toString('utf8').slice(0, 300),
    }));
    const failures = summary.run.failures.map((f) => `${f.source?.name ?? '?'}: ${f.error.name}: ${f.error.message}`);
    expect(failures, JSON.stringify(executions, null, 2)).toEqual([]);
    // Every request of the chosen folders ran, in the collection's order, and met its documented status.
    expect(executions.map((e) => e.name)).toEqual(folders.flatMap((f) => requestsIn(built.collection, f)));
    for (const e of executions) {
      expect(e.status, `${e.name}: ${e.body}`).toBeLessThan(500);
      expect(e.failed, e.name).toEqual([]);
      expect(e.passed, e.name).toEqual([expect.stringMatching(/ answers 2\d\d$/)]);
    }
    expect(Object.fromEntries(executions.map((e) => [e.name, e.status]))).toMatchObject({
      'Health check': 200,
      'Create customer': 201,
      'List customers': 200,
      'Search customers': 200,
      'Get customer by external id': 200,
      'Get customer': 200,
      'Delete customer': 204,
      'Create API key': 201,
      'List API keys': 200,
      'Delete API key': 204,
    });
  });

  it('left the server as a re-run needs it: the example customer and the new API key deleted', async () => {
    expect(summary, 'the newman run above did not finish').toBeDefined();
    const created = summary.run.executions.find((e) => e.item.name === 'Create customer')!;
    const customer = JSON.parse(created.response.stream!.toString('utf8'));
    expect(customer.external_id).toBe('cust-acme-001');
    expect((await server.api.get(`/v1/customers/${customer.id}`)).status).toBe(404);
    expect((await server.api.get('/v1/customers/external/cust-acme-001')).status).toBe(404);
    const keys = await server.api.get('/v1/secrets/api/keys?status=deleted');
    expect(keys.status).toBe(200);
    expect(keys.body.items.map((k: { name: string }) => k.name)).toContain('Backend server');
  });

  it('runs a second time against the same server', async () => {
    expect(summary, 'the newman run above did not finish').toBeDefined();
    const again = await run(built.collection, { baseUrl: `${server.url}/v1`, apiKey: server.apiKey });
    expect(again.run.failures.map((f) => `${f.source?.name}: ${f.error.message}`)).toEqual([]);
    expect(again.run.executions).toHaveLength(summary.run.executions.length);
  });
});
