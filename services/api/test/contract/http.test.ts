import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/fixtures.ts';

// A small body limit, so the oversize case needs no megabytes; every other request here fits in 1 kB.
const server = useTestServer({ TALLY_BODY_LIMIT: '1kb' });

const ulid = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('HTTP surface', () => {
  it('answers health without a key', async () => {
    const res = await server.as(undefined).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('creates a customer as the seed curl example does', async () => {
    const res = await server.api.post('/v1/customers', { external_customer_id: 'seed-1', name: 'Seed Customer' });
    expect(res.status).toBe(201);
    expect(res.body.id).toMatch(/^cust_[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(res.body.external_id).toBe('seed-1');
  });
});

describe('X-Request-ID', () => {
  it('echoes the id the client sent', async () => {
    const res = await server.api.get('/v1/customers', { 'X-Request-ID': 'client-req-42' });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-request-id')).toBe('client-req-42');
  });

  it('generates a ULID when none was sent, a new one per request', async () => {
    const a = (await server.api.get('/v1/customers')).headers.get('x-request-id');
    const b = (await server.as(undefined).get('/health')).headers.get('x-request-id');
    expect(a).toMatch(ulid);
    expect(b).toMatch(ulid);
    expect(a).not.toBe(b);
  });

  it('replaces an unusable client id with a ULID', async () => {
    for (const given of ['has spaces in it', 'x'.repeat(129), '<script>']) {
      const id = (await server.api.get('/v1/customers', { 'X-Request-ID': given })).headers.get('x-request-id');
      expect(id, given).toMatch(ulid);
    }
  });

  it('is on error responses too', async () => {
    const unauthorized = await server.as(undefined).get('/v1/customers', { 'X-Request-ID': 'err-1' });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('x-request-id')).toBe('err-1');
    const missing = await server.api.get('/v1/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toMatch(ulid);
    const invalid = await server.api.post('/v1/environments', { name: 'x' }, { 'X-Request-ID': 'err-2' });
    expect(invalid.status).toBe(400);
    expect(invalid.headers.get('x-request-id')).toBe('err-2');
  });
});

describe('CORS', () => {
  it('answers a preflight with the allowed origin, methods and max-age', async () => {
    const res = await fetch(`${server.url}/v1/customers/cust_1`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://app.example.test', 'Access-Control-Request-Method': 'PUT', 'Access-Control-Request-Headers': 'x-api-key, content-type' },
    });
    expect(res.status).toBeGreaterThanOrEqual(200);
    expect(res.status).toBeLessThan(300);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const methods = res.headers.get('access-control-allow-methods')!.split(',').map((m) => m.trim());
    expect(methods).toEqual(expect.arrayContaining(['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS']));
    expect(res.headers.get('access-control-max-age')).toBe('86400');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-api-key');
    // A preflight needs no key and never reaches the handler.
    expect(await res.text()).toBe('');
  });

  it('marks ordinary and error responses for any origin and exposes the request id', async () => {
    const ok = await server.api.get('/v1/customers', { Origin: 'https://app.example.test' });
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(ok.headers.get('access-control-expose-headers')).toContain('X-Request-ID');
    const denied = await server.as(undefined).get('/v1/customers', { Origin: 'https://app.example.test' });
    expect(denied.status).toBe(401);
    expect(denied.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('errors outside the handlers', () => {
  it('answers an unknown route with a 404 envelope naming it', async () => {
    const res = await server.api.get('/v1/nope?x=1');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({
      code: 'not_found',
      message: 'Route GET /v1/nope not found',
      http_status_code: 404,
      success: false,
      error: { message: 'Route GET /v1/nope not found', internal_error: '' },
    });
    const post = await server.as(undefined).post('/nowhere', {});
    expect(post.status).toBe(404);
    expect(post.body.message).toBe('Route POST /nowhere not found');
  });

  it('answers malformed JSON with 400 validation_error', async () => {
    const res = await server.api.request('POST', '/v1/customers', '{"external_id": "broken", "name": ');
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'validation_error',
      message: 'Invalid request format: the body is not valid JSON',
      http_status_code: 400,
      details: { body: 'is not valid JSON' },
      success: false,
      error: { message: 'Invalid request format: the body is not valid JSON', internal_error: '' },
    });
    expect((await server.api.get('/v1/customers/external/broken')).status).toBe(404);
  });

  it('refuses a body over TALLY_BODY_LIMIT with 400 naming the size, and writes nothing', async () => {
    const body = { external_id: 'too-big', name: 'Big', metadata: { blob: 'x'.repeat(2000) } };
    const res = await server.api.post('/v1/customers', body);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_error', http_status_code: 400, success: false });
    expect(res.body.message).toBe('Request body exceeds the maximum size of 1kb; split it into smaller requests');
    expect((await server.api.get('/v1/customers/external/too-big')).status).toBe(404);
    expect((await server.api.get('/v1/customers?external_id=too-big')).body.pagination.total).toBe(0);
  });

  it('accepts a body just under the limit', async () => {
    const body = { external_id: 'fits', name: 'Fits', metadata: { blob: 'x'.repeat(900) } };
    expect(JSON.stringify(body).length).toBeLessThan(1024);
    const res = await server.api.post('/v1/customers', body);
    expect(res.status).toBe(201);
    expect(res.body.metadata.blob).toHaveLength(900);
  });
});

describe('spec and health', () => {
  it('serves the bundled spec at /swagger/doc.json without a key', async () => {
    const res = await server.as(undefined).get('/swagger/doc.json');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.body.openapi).toBe('3.0.3');
    expect(res.body.paths).toHaveProperty('/customers');
    expect(res.body.paths).toHaveProperty('/secrets/api/keys');
    const bundled = JSON.parse(readFileSync(new URL('../../../../spec/dist/openapi.json', import.meta.url), 'utf8'));
    // Served as bundled, but with server URLs pointing at the server that answered (for Swagger UI's "Try it out").
    expect(res.body.servers).toEqual([{ url: `${server.url.replace('localhost', '127.0.0.1')}/v1`, description: 'This Tally server' }]);
    expect(res.body.paths['/health'].get.servers).toEqual([{ url: server.url.replace('localhost', '127.0.0.1') }]);
    expect(res.body.components).toEqual(bundled.components);
    expect(Object.keys(res.body.paths)).toEqual(Object.keys(bundled.paths));
    expect(res.body.paths['/customers']).toEqual(bundled.paths['/customers']);
  });

  it('answers health with a request id and no key', async () => {
    const res = await server.as(undefined).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
    expect(res.headers.get('x-request-id')).toMatch(ulid);
  });
});
