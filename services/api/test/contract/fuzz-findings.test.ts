import { describe, expect, it } from 'vitest';
import { useTestServer } from '../support/fixtures.ts';

// Regressions for what the Schemathesis run (tests/fuzz) found, each on the real server.
const server = useTestServer();

describe('a required request body that is not sent', () => {
  const required = { body: 'is required: send a JSON object ({} when no field applies)' };

  it('is refused on an update, which changes nothing', async () => {
    const created = await server.api.post('/v1/customers', { external_id: 'fz-nobody', name: 'No Body' });
    expect(created.status).toBe(201);
    const res = await server.api.request('PUT', `/v1/customers/${created.body.id}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 'validation_error',
      message: `Request validation failed: body ${required.body}`,
      http_status_code: 400,
      details: required,
      success: false,
      error: { message: `Request validation failed: body ${required.body}`, internal_error: '' },
    });
    expect((await server.api.get(`/v1/customers/${created.body.id}`)).body.updated_at).toBe(created.body.updated_at);
  });

  it('is refused on a search and on a create, with or without a content type', async () => {
    for (const path of ['/v1/customers/search', '/v1/plans/search', '/v1/events/query', '/v1/plans']) {
      const bare = await server.api.request('POST', path);
      expect(bare.status, path).toBe(400);
      expect(bare.body.details, path).toEqual(required);
      const typed = await server.api.request('POST', path, '  ', { 'content-type': 'application/json' });
      expect(typed.status, path).toBe(400);
      expect(typed.body.details, path).toEqual(required);
    }
  });

  it('is not needed where the operation has no body, and {} is still an empty update', async () => {
    const meter = await server.api.post('/v1/meters', { name: 'Calls', event_name: 'fz.call', aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' });
    expect(meter.status).toBe(201);
    expect((await server.api.request('POST', `/v1/meters/${meter.body.id}/disable`)).status).toBe(200);
    const customer = await server.api.post('/v1/customers', { external_id: 'fz-empty', name: 'Empty' });
    const res = await server.api.put(`/v1/customers/${customer.body.id}`, {});
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Empty');
  });
});

describe('an empty Idempotency-Key', () => {
  it('is refused with 400 naming the header, and nothing is created', async () => {
    const res = await server.api.post('/v1/customers', { external_id: 'fz-idem-empty', name: 'Empty key' }, { 'Idempotency-Key': '' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      code: 'validation_error',
      message: 'Request validation failed: Idempotency-Key must not be empty',
      details: { 'Idempotency-Key': 'must not be empty' },
    });
    expect((await server.api.get('/v1/customers?external_id=fz-idem-empty')).body.pagination.total).toBe(0);
  });

  it('is refused on a POST without a body of its own too (meter disable)', async () => {
    const meter = await server.api.post('/v1/meters', { name: 'Idem', event_name: 'fz.idem', aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' });
    const res = await server.api.post(`/v1/meters/${meter.body.id}/disable`, undefined, { 'Idempotency-Key': '' });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({ 'Idempotency-Key': 'must not be empty' });
    expect((await server.api.get(`/v1/meters/${meter.body.id}`)).body.status).toBe('published');
  });

  it('is ignored on other methods, as any Idempotency-Key is', async () => {
    const created = await server.api.post('/v1/customers', { external_id: 'fz-idem-put', name: 'Put' });
    const res = await server.api.put(`/v1/customers/${created.body.id}`, { name: 'Put 2' }, { 'Idempotency-Key': '' });
    expect(res.status).toBe(200);
    expect(res.body.name).toBe('Put 2');
  });
});
