import { operationTable } from '@tally/contract';
import { beforeAll, describe, expect, it } from 'vitest';
import { notImplementedRouter, notImplementedRoutes, routerPath } from '../../src/http/not-implemented.ts';
import type { ApiClient } from '../support/api-client.ts';
import { useTestServer } from '../support/fixtures.ts';

const server = useTestServer();
let api: ApiClient;

beforeAll(async () => {
  api = server.api;
});

const notImplemented = (method: string, path: string) => ({
  code: 'not_implemented',
  message: `${method} ${path} is not implemented in Tally yet`,
  http_status_code: 501,
  details: { method, path },
  success: false,
  error: { message: `${method} ${path} is not implemented in Tally yet`, internal_error: '' },
});

describe('FlexPrice routes Tally does not implement yet', () => {
  it.each([
    // Each would otherwise be read as the {id} route beside it.
    ['GET', '/v1/coupons/associations', '/v1/coupons/associations'],
    ['GET', '/v1/events/monitoring', '/v1/events/monitoring'],
  ])('answer %s %s with 501 before the {id} route can read it', async (method, url, template) => {
    const res = await api.request(method, url, method === 'POST' ? {} : undefined);
    expect(res.status).toBe(501);
    expect(res.body).toEqual(notImplemented(method, template));
  });

  it('answer parameterised routes with the route they matched', async () => {
    const pdf = await api.get('/v1/invoices/inv_01JD2Z7Q8K3M4N5P6R7S8T9V0W/pdf');
    expect(pdf.body).toEqual(notImplemented('GET', '/v1/invoices/{id}/pdf'));
    const sync = await api.post('/v1/plans/plan_01/sync/subscriptions', {});
    expect(sync.status).toBe(501);
    expect(sync.body.details).toEqual({ method: 'POST', path: '/v1/plans/{id}/sync/subscriptions' });
  });

  it('want an API key, except the routes FlexPrice serves without one', async () => {
    const anonymous = server.as(undefined);
    expect((await anonymous.get('/v1/customers/wallets')).status).toBe(401);
    expect((await anonymous.post('/v1/invoices', {})).status).toBe(401);
    const webhook = await anonymous.post('/v1/webhooks/stripe/tenant_1/env_1', {});
    expect(webhook.status).toBe(501);
    expect(webhook.body.details).toEqual({ method: 'POST', path: '/v1/webhooks/stripe/{tenant_id}/{environment_id}' });
    expect((await anonymous.post('/v1/auth/login', {})).status).toBe(501);
  });

  it('leave implemented routes beside them alone', async () => {
    const created = await api.post('/v1/customers', { external_id: 'ni-acme', name: 'Acme' });
    expect(created.status).toBe(201);
    const byId = await api.get(`/v1/customers/${created.body.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body.external_id).toBe('ni-acme');
    expect((await api.get('/v1/customers/external/ni-acme')).body.id).toBe(created.body.id);
    expect((await api.post('/v1/customers/search', { external_ids: ['ni-acme'] })).body.pagination.total).toBe(1);
    // Another method on a 501 path still reaches the implemented route it names: PUT /customers/{id}.
    expect((await api.put('/v1/customers/wallets', { name: 'x' })).status).toBe(404);
    expect((await api.get('/v1/coupons/code/none')).body.code).toBe('not_found');
    expect((await api.get('/v1/events/lookup?id=none')).body.code).toBe('not_found');
  });
});

describe('the table of routes not implemented yet', () => {
  const router = notImplementedRouter(async (_ctx, next) => next());
  const implemented = new Set(operationTable.map((row) => `${row.method.toUpperCase()} ${row.prefix}${row.path}`));

  it('holds no Tally operation and no route twice', () => {
    const rows = notImplementedRoutes.map((r) => `${r.method} ${r.path}`);
    expect(rows.filter((r) => implemented.has(r))).toEqual([]);
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('shadows no Tally operation: a concrete URL of each is matched by no row', () => {
    const shadowed = operationTable
      .map((row) => ({ method: row.method.toUpperCase(), url: `${row.prefix}${row.path.replace(/\{\w+\}/g, 'x_01')}` }))
      .filter(({ method, url }) => router.match(url, method).route);
    expect(shadowed).toEqual([]);
  });

  it('has no row on a path Tally serves with another method (that request is a 405, not a 501)', () => {
    const tallyPaths = new Set(operationTable.map((row) => `${row.prefix}${row.path}`));
    expect(notImplementedRoutes.filter((r) => tallyPaths.has(r.path)).map((r) => `${r.method} ${r.path}`)).toEqual([]);
  });

  it('matches every row at its own template', () => {
    const unmatched = notImplementedRoutes.filter((r) => {
      const url = r.path.replace(/\{\w+\}/g, 'x_01');
      return !router.match(url, r.method).pathAndMethod.some((layer) => layer.path === routerPath(r.path));
    });
    expect(unmatched).toEqual([]);
  });
});
