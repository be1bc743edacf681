import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import { count, expectRefused, useTestServer } from '../support/fixtures.ts';

// Every input a hostile client sent that once answered 500 or was stored differently from what it
// acknowledged: each must now be a 4xx in the error envelope, naming the field, with nothing written.
const server = useTestServer();

const lists = ['/v1/customers', '/v1/plans', '/v1/addons', '/v1/coupons', '/v1/features', '/v1/meters'];
const everything = async () => Promise.all(lists.map((path) => count(server.api, path)));

/** Sends raw JSON text (escapes such as `\ud800` stay as the client wrote them) and expects a 400 naming `field`. */
const refusedText = (method: string, path: string, text: string, field: string) =>
  expectRefused(server.api, { method, path, body: text }, { code: 'validation_error', fields: [field] }, everything);

/** Raw bytes, for what a JSON string cannot say (invalid UTF-8). */
async function postBytes(path: string, bytes: Uint8Array): Promise<{ status: number; body: any }> {
  const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'x-api-key': server.apiKey, 'content-type': 'application/json' }, body: bytes });
  return { status: res.status, body: await res.json() };
}

function nested(levels: number): string {
  return `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
}

describe('a "__proto__" key is refused with 400 naming it, anywhere in a body', () => {
  it('at the top of a create body', async () => {
    const body = await refusedText('POST', '/v1/customers', '{"external_id":"p1","name":"x","__proto__":1}', '__proto__');
    expect(body.details.__proto__).toBe('must not use "__proto__" as a key');
  });

  it('inside metadata and inside a search body', async () => {
    await refusedText('POST', '/v1/customers', '{"external_id":"p2","name":"x","metadata":{"__proto__":{"admin":"1"}}}', 'metadata.__proto__');
    await refusedText('POST', '/v1/plans', '{"name":"p","metadata":{"__proto__":"x"}}', 'metadata.__proto__');
    await refusedText('POST', '/v1/customers/search', '{"metadata":{"__proto__":"x"}}', 'metadata.__proto__');
    await refusedText('PUT', '/v1/customers?external_customer_id=none', '{"__proto__":{"name":"y"}}', '__proto__');
  });

  it('in an event property', async () => {
    await refusedText('POST', '/v1/events', '{"event_name":"e","external_customer_id":"c","properties":{"__proto__":{"x":1}}}', 'properties.__proto__');
  });
});

describe('an unpaired UTF-16 surrogate is refused with 400, never a 500 or a silent U+FFFD', () => {
  const message = 'must be valid Unicode (it holds an unpaired UTF-16 surrogate)';
  it.each([
    ['customer metadata', '/v1/customers', '{"external_id":"s9","name":"x","metadata":{"k":"v\\ud800"}}', 'metadata.k'],
    ['customer name (a text column)', '/v1/customers', '{"external_id":"s10","name":"x\\udc00"}', 'name'],
    ['plan metadata', '/v1/plans', '{"name":"p","metadata":{"k":"\\ud800"}}', 'metadata.k'],
    ['addon metadata', '/v1/addons', '{"name":"a","lookup_key":"a-s","metadata":{"k":"\\ud800"}}', 'metadata.k'],
    ['coupon metadata', '/v1/coupons', '{"name":"c","type":"fixed","amount_off":"1","currency":"usd","cadence":"once","metadata":{"k":"\\ud800"}}', 'metadata.k'],
    ['coupon rules', '/v1/coupons', '{"name":"c","type":"fixed","amount_off":"1","currency":"usd","cadence":"once","rules":{"plans":["\\ud800"]}}', 'rules.plans[0]'],
    ['feature metadata', '/v1/features', '{"name":"f","type":"boolean","lookup_key":"f-s","metadata":{"k":"\\ud800"}}', 'metadata.k'],
    ['meter filter values', '/v1/meters', '{"name":"m","event_name":"e","aggregation":{"type":"COUNT"},"filters":[{"key":"model","values":["\\ud800"]}]}', 'filters[0].values[0]'],
  ])('%s', async (_what, path, text, field) => {
    const body = await refusedText('POST', path, text, field);
    expect(body.details[field]).toBe(message);
  });
});

describe('bytes that are not UTF-8 are refused with 400, never stored as U+FFFD', () => {
  it.each([
    ['FF FE in a customer name', '/v1/customers', [...Buffer.from('{"external_id":"u8","name":"a'), 0xff, 0xfe, ...Buffer.from('b"}')]],
    ['C3 28 in an event property', '/v1/events', [...Buffer.from('{"event_name":"e","external_customer_id":"c","event_id":"bad-utf8","properties":{"p":"'), 0xc3, 0x28, ...Buffer.from('"}}')]],
  ])('%s', async (_what, path, bytes) => {
    const before = await everything();
    const res = await postBytes(path, Uint8Array.from(bytes));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_error', details: { body: 'is not valid UTF-8' } });
    expect(await everything()).toEqual(before);
    expect((await server.api.get('/v1/events/lookup?id=bad-utf8')).status).toBe(404);
  });
});

describe('JSON nested deeper than 32 levels is refused with 400 saying so', () => {
  it.each([
    ['a create body', '/v1/customers'],
    ['a search body', '/v1/plans/search'],
    ['an event', '/v1/events'],
    ['an event batch', '/v1/events/bulk'],
  ])('%s, 3000 levels deep', async (_what, path) => {
    const res = await server.api.request('POST', path, nested(3000));
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('validation_error');
    expect(res.body.message).toContain('nested too deeply');
    expect(res.body.message).toContain('32 levels');
  });

  it('an event property reaching level 33 is refused, naming where; level 32 is stored', async () => {
    // body (level 1) → properties (2) → k (3, the first of `levels` nested objects).
    const event = (levels: number) => `{"event_name":"deep","external_customer_id":"c","event_id":"deep-${levels}","properties":{"k":${nested(levels)}}}`;
    await refusedText('POST', '/v1/events', event(31), `properties.k${'.a'.repeat(30)}`);
    expect((await server.api.get('/v1/events/lookup?id=deep-31')).status).toBe(404);
    const fits = await server.api.request('POST', '/v1/events', event(30));
    expect(fits.status, JSON.stringify(fits.body)).toBe(202);
    const stored = await server.api.get('/v1/events/lookup?id=deep-30');
    expect(JSON.stringify(stored.body.event.properties)).toBe(`{"k":${nested(30)}}`);
  });
});

/** A raw request, for headers fetch would not send. */
function rawRequest(options: { method: string; path: string; headers: Record<string, string> }): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const url = new URL(server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method: options.method, path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('failures of HTTP itself carry the error envelope', () => {
  it('a 64 KiB x-api-key header answers 431 with the envelope', async () => {
    const res = await rawRequest({ method: 'GET', path: '/v1/customers', headers: { 'x-api-key': 'k'.repeat(64 * 1024) } });
    expect(res.status).toBe(431);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(res.body)).toMatchObject({ code: 'validation_error', http_status_code: 431, success: false, message: expect.stringContaining('headers are too large') });
  });

  it('a known path with a method it does not have answers 405 with Allow', async () => {
    const res = await server.api.request('PATCH', '/v1/customers/cust_X', {});
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')!.split(', ').sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PUT']);
    expect(res.body).toMatchObject({ code: 'invalid_operation', http_status_code: 405, details: { method: 'PATCH' } });
    const trace = await rawRequest({ method: 'TRACE', path: '/v1/customers', headers: {} });
    expect(trace.status).toBe(405);
    expect(String(trace.headers.allow).split(', ')).toEqual(expect.arrayContaining(['GET', 'POST']));
    expect(JSON.parse(trace.body).http_status_code).toBe(405);
  });

  it('an unknown path is still a 404', async () => {
    expect((await server.api.request('PATCH', '/v1/nowhere', {})).status).toBe(404);
  });
});
