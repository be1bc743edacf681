import { readFileSync } from 'node:fs';
import { operationTable, type OperationRow } from '@tally/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { managesKeys, mayCall, publishableKeyOperations } from '../../src/http/key-permissions.ts';
import { secretTypes, type SecretType } from '../../src/modules/api-keys/secret.entity.ts';
import type { ApiClient, ApiResponse } from '../support/api-client.ts';
import { fixedPrice, useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
const clients = {} as Record<SecretType, ApiClient>;
beforeAll(async () => {
  clients.private_key = server.api;
  for (const type of ['publishable_key', 'integration'] as const) {
    const res = await server.api.post('/v1/secrets/api/keys', { name: type, type });
    expect(res.status).toBe(201);
    clients[type] = server.as(res.body.api_key);
  }
});

const secured = operationTable.filter((op) => op.secured);
const fakeUrl = (op: OperationRow) => `${op.prefix}${op.path.replace(/\{(\w+)\}/g, (_, name: string) => `${name}_x`)}`;
const send = (client: ApiClient, op: OperationRow, url = fakeUrl(op), body: unknown = op.hasBody ? {} : undefined) =>
  client.request(op.method.toUpperCase(), url, body);

function expectForbidden(res: ApiResponse, keyType: SecretType, op: OperationRow) {
  const call = `${op.operationId} (${op.method.toUpperCase()} /v1${op.path})`;
  expect(res.status, `${keyType} → ${op.operationId}`).toBe(403);
  expect(res.body).toEqual({
    code: 'permission_denied',
    message: expect.stringContaining(call),
    http_status_code: 403,
    details: { key_type: keyType, operation_id: op.operationId },
    success: false,
    error: { message: res.body.message, internal_error: '' },
  });
  expect(res.body.message).toMatch(keyType === 'publishable_key' ? /^A publishable_key may not call / : new RegExp(`^A key of type ${keyType} may not call `));
}

describe('what each key type may call', () => {
  it('classifies every operation of the spec for publishable keys (a new one must be decided in key-permissions.ts)', () => {
    expect(Object.keys(publishableKeyOperations).sort()).toEqual(operationTable.map((op) => op.operationId).sort());
  });

  it('allows publishable keys only catalogue reads: no write, no customer, coupon, meter, event, environment or key operation', () => {
    const allowed = secured.filter((op) => mayCall('publishable_key', op));
    for (const op of allowed) {
      const read = op.method === 'get' || op.path.endsWith('/search') || op.operationId === 'getPriceCost';
      expect(read, op.operationId).toBe(true);
      expect(op.path, op.operationId).toMatch(/^\/(plans|prices|addons|features|entitlements)(\/|$)/);
    }
    expect(allowed.map((op) => op.operationId).sort()).toEqual(
      [
        'listPlans', 'queryPlan', 'getPlan', 'getPlanEntitlements',
        'listPrices', 'queryPrice', 'getPrice', 'getPriceByLookupKey', 'getPriceCost',
        'listPriceUnits', 'queryPriceUnit', 'getPriceUnit', 'getPriceUnitByCode',
        'listAddons', 'queryAddon', 'getAddon', 'getAddonByLookupKey', 'getAddonEntitlements',
        'listFeatures', 'queryFeature', 'getFeature',
        'listEntitlements', 'queryEntitlement', 'getEntitlement',
      ].sort(),
    );
  });

  it('documents 403 in the spec on exactly the operations some key type may not call', () => {
    const spec = JSON.parse(readFileSync(new URL('../../../../spec/dist/openapi.json', import.meta.url), 'utf8'));
    const mismatches = operationTable.flatMap((op) => {
      const documented = '403' in spec.paths[op.path][op.method].responses;
      const refusable = op.secured && secretTypes.some((type) => !mayCall(type, op));
      return documented === refusable ? [] : [`${op.operationId}: documented ${documented}, refusable ${refusable}`];
    });
    expect(mismatches).toEqual([]);
  });

  describe.each(secured.map((op) => [op.operationId, op] as const))('%s', (_, op) => {
    it('private key: never 403; integration key: 403 only when managing keys; publishable key: 403 unless allow-listed, else what a private key gets', async () => {
      const asPrivate = await send(clients.private_key, op);
      expect(asPrivate.status, JSON.stringify(asPrivate.body)).not.toBe(403);

      const asIntegration = await send(clients.integration, op);
      if (managesKeys(op)) expectForbidden(asIntegration, 'integration', op);
      else expect(asIntegration.status).toBe(asPrivate.status);

      const asPublishable = await send(clients.publishable_key, op);
      if (publishableKeyOperations[op.operationId as keyof typeof publishableKeyOperations]) {
        expect(asPublishable.status).toBe(asPrivate.status);
        expect(asPublishable.body).toEqual(asPrivate.body);
      } else {
        expectForbidden(asPublishable, 'publishable_key', op);
      }
    });
  });
});

describe('a publishable key on real data', () => {
  /** Real ids for every path parameter an allow-listed operation takes. */
  let pathValues: Record<string, Record<string, string>>;
  beforeAll(async () => {
    const api = server.api;
    const created = async (path: string, body: unknown) => {
      const res = await api.post(path, body);
      expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(201);
      return res.body;
    };
    const plan = await created('/v1/plans', { name: 'Pro', lookup_key: 'pro' });
    const price = await created('/v1/prices', fixedPrice(plan.id, { lookup_key: 'pro_monthly' }));
    const unit = await created('/v1/prices/units', { name: 'Credits', code: 'crd', symbol: 'C', base_currency: 'usd', conversion_rate: '0.01' });
    const addon = await created('/v1/addons', { name: 'Extra seats', lookup_key: 'seats' });
    const feature = await created('/v1/features', { name: 'Phone support', lookup_key: 'phone', type: 'boolean' });
    const entitlement = await created('/v1/entitlements', { entity_type: 'PLAN', entity_id: plan.id, feature_id: feature.id, feature_type: 'boolean', is_enabled: true });
    pathValues = {
      '/plans/': { id: plan.id },
      '/prices/units/': { id: unit.id, code: unit.code },
      '/prices/': { id: price.id, lookup_key: price.lookup_key },
      '/addons/': { id: addon.id, lookup_key: addon.lookup_key },
      '/features/': { id: feature.id },
      '/entitlements/': { id: entitlement.id },
    };
  });

  const realUrl = (op: OperationRow) =>
    `${op.prefix}${op.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const prefix = Object.keys(pathValues).find((p) => op.path.startsWith(p) && name in pathValues[p]!);
      if (!prefix) throw new Error(`no real value for {${name}} of ${op.operationId}: add one to this test`);
      return pathValues[prefix]![name]!;
    })}`;

  const allowed = secured.filter((op) => mayCall('publishable_key', op));
  it.each(allowed.map((op) => [op.operationId, op] as const))('%s succeeds with what a private key gets', async (_, op) => {
    const body = op.operationId === 'getPriceCost' ? { quantity: '3' } : op.hasBody ? {} : undefined;
    const asPublishable = await send(clients.publishable_key, op, realUrl(op), body);
    expect(asPublishable.status, JSON.stringify(asPublishable.body)).toBe(op.successStatus);
    const asPrivate = await send(clients.private_key, op, realUrl(op), body);
    expect(asPublishable.body).toEqual(asPrivate.body);
    if (op.method === 'get' && op.pathParams.length === 0) expect(asPublishable.body.items.length).toBeGreaterThan(0);
  });

  it('cannot mint or list keys, nor delete a customer, and a refused call changes nothing', async () => {
    const pk = clients.publishable_key;
    const keysBefore = (await server.api.get('/v1/secrets/api/keys')).body.pagination.total;
    for (const type of ['private_key', 'publishable_key', 'integration']) {
      expect((await pk.post('/v1/secrets/api/keys', { name: 'escalate', type })).status).toBe(403);
    }
    expect((await pk.get('/v1/secrets/api/keys')).status).toBe(403);
    expect((await server.api.get('/v1/secrets/api/keys')).body.pagination.total).toBe(keysBefore);

    const customer = (await server.api.post('/v1/customers', { external_id: 'acme', name: 'Acme' })).body;
    expect((await pk.delete(`/v1/customers/${customer.id}`)).status).toBe(403);
    expect((await pk.get(`/v1/customers/${customer.id}`)).status).toBe(403);
    expect((await server.api.get(`/v1/customers/${customer.id}`)).body.status).toBe('published');

  });

  it('refuses a write before reading its body, and stores no Idempotency-Key replay for it', async () => {
    const pk = clients.publishable_key;
    const headers = { 'Idempotency-Key': 'refused-then-real' };
    const refused = await pk.request('POST', '/v1/customers', '{not json', { ...headers, 'content-type': 'application/json' });
    expect(refused.status).toBe(403);
    const real = await server.api.post('/v1/customers', { external_id: 'idem', name: 'Idem' }, headers);
    expect(real.status).toBe(201);
    expect(real.headers.get('Idempotent-Replayed')).toBeNull();
  });

  it('lets an integration key do everything but manage keys', async () => {
    const integration = clients.integration;
    expect((await integration.post('/v1/customers', { external_id: 'by-integration', name: 'Integration' })).status).toBe(201);
    expect((await integration.get('/v1/secrets/api/keys')).status).toBe(403);
    expect((await integration.post('/v1/secrets/api/keys', { name: 'escalate', type: 'private_key' })).status).toBe(403);
  });
});
