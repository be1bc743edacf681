import { describe, expect, it } from 'vitest';
import { count, createCustomer, createTestClock, expectRefused, productionClient, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer({ TALLY_BILLING_WORKER: '0' });

const clockId = /^clock_[0-9A-HJKMNP-TV-Z]{26}$/;
const clocks = () => count(server.api, '/v1/test_clocks');
const created = (body: Record<string, unknown>) => createTestClock(server.api, { name: undefined, ...body });

describe('POST /v1/test_clocks', () => {
  it('creates a clock at rest at its frozen time, with the record fields of every resource', async () => {
    const before = server.clock.now().getTime();
    const res = await server.api.post('/v1/test_clocks', { name: 'Renewals', frozen_time: '2025-01-31T10:00:00+02:00' });
    expect(res.status).toBe(201);
    const c = res.body;
    expect(c.id).toMatch(clockId);
    expect(c).toEqual({
      id: c.id,
      name: 'Renewals',
      frozen_time: '2025-01-31T08:00:00.000Z', // 10:00 at +02:00, in UTC
      status: 'ready',
      status_details: {},
      environment_id: server.bootstrap.defaultEnvironmentId,
      tenant_id: server.bootstrap.tenantId,
      created_at: c.created_at,
      updated_at: c.created_at,
      created_by: expect.stringMatching(/^secret_/),
      updated_by: c.created_by,
    });
    // Record times are the wall clock's, not the clock's.
    expect(Date.parse(c.created_at)).toBeGreaterThanOrEqual(before - 1000);
    expect((await server.api.get(`/v1/test_clocks/${c.id}`)).body).toEqual(c);
  });

  it('keeps the millisecond, drops finer digits, and names an empty clock with an empty string', async () => {
    const c = await created({ frozen_time: '2030-06-15T12:34:56.789999Z' });
    expect(c.frozen_time).toBe('2030-06-15T12:34:56.789Z');
    expect(c.name).toBe('');
  });

  it.each([
    [{}, 'frozen_time'],
    [{ frozen_time: 'tomorrow' }, 'frozen_time'],
    [{ frozen_time: '1969-12-31T23:59:59Z' }, 'frozen_time'],
    [{ frozen_time: '2025-01-01T00:00:00Z', name: 'x'.repeat(256) }, 'name'],
    [{ frozen_time: 20250101 }, 'frozen_time'],
  ])('refuses %j with 400 naming %s, writing nothing', async (body, field) => {
    await expectRefused(server.api, { path: '/v1/test_clocks', body }, { code: 'validation_error', fields: [field] }, clocks);
  });

  it('refuses in a production environment, naming the environment type', async () => {
    const { client } = await productionClient(server);
    const res = await client.post('/v1/test_clocks', { name: 'prod', frozen_time: '2025-01-01T00:00:00Z' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_operation', details: { environment_type: 'production' } });
    expect(res.body.message).toMatch(/^Test clocks exist only in development environments; environment env_\w+ is a production environment$/);
    expect((await client.get('/v1/test_clocks')).body.pagination.total).toBe(0);
  });
});

describe('GET /v1/test_clocks', () => {
  it('lists live clocks newest first with FlexPrice paging', async () => {
    const a = await createTestClock(server.api, { name: 'list a' });
    const b = await createTestClock(server.api, { name: 'list b' });
    const total = await clocks();
    const page = await server.api.get('/v1/test_clocks?limit=2');
    expect(page.status).toBe(200);
    expect(page.body.items.map((c: { id: string }) => c.id)).toEqual([b.id, a.id]);
    expect(page.body.pagination).toEqual({ total, limit: 2, offset: 2 });
    const next = await server.api.get('/v1/test_clocks?limit=2&offset=1');
    expect(next.body.items[0].id).toBe(a.id);
  });

  it('refuses a limit out of range', async () => {
    const res = await server.api.get('/v1/test_clocks?limit=1001');
    expect(res.status).toBe(400);
    expect(Object.keys(res.body.details)).toContain('limit');
  });
});

describe('another environment', () => {
  it('does not see the clocks of this one', async () => {
    const c = await createTestClock(server.api);
    const { client } = await productionClient(server);
    expect((await client.get(`/v1/test_clocks/${c.id}`)).status).toBe(404);
    expect((await client.delete(`/v1/test_clocks/${c.id}`)).status).toBe(404);
    expect((await server.api.get(`/v1/test_clocks/${c.id}`)).body.status).toBe('ready');
  });

  it('answers 404 for an unknown id', async () => {
    const res = await server.api.get('/v1/test_clocks/clock_01JD2Z7Q8K3M4N5P6R7S8T9V0W');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ code: 'not_found', details: { id: 'clock_01JD2Z7Q8K3M4N5P6R7S8T9V0W' } });
  });
});

describe('DELETE /v1/test_clocks/{id}', () => {
  it('deletes the clock and its customers (not the other customers), announcing each customer.deleted', async () => {
    const clock = await createTestClock(server.api);
    const on = [await createCustomer(server.api, { test_clock_id: clock.id }), await createCustomer(server.api, { test_clock_id: clock.id })];
    const off = await createCustomer(server.api);
    const liveBefore = await count(server.api, '/v1/customers');

    const res = await server.api.delete(`/v1/test_clocks/${clock.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();

    expect((await server.api.get(`/v1/test_clocks/${clock.id}`)).status).toBe(404);
    for (const c of on) expect((await server.api.get(`/v1/customers/${c.id}`)).status).toBe(404);
    expect((await server.api.get(`/v1/customers/${off.id}`)).status).toBe(200);
    expect(await count(server.api, '/v1/customers')).toBe(liveBefore - 2);
    // Their external ids are free again, as after DELETE /customers/{id}.
    await createCustomer(server.api, { external_id: on[0].external_id });
    for (const c of on) {
      const events = await server.api.get(`/v1/webhooks/events?entity_type=customer&entity_id=${c.id}&event_type=customer.deleted`);
      expect(events.body.items.map((e: { event_type: string }) => e.event_type)).toEqual(['customer.deleted']);
    }
    // Gone for good: a second delete, an advance and a new customer on it are 404.
    expect((await server.api.delete(`/v1/test_clocks/${clock.id}`)).status).toBe(404);
    expect((await server.api.post(`/v1/test_clocks/${clock.id}/advance`, { frozen_time: '2026-01-01T00:00:00Z' })).status).toBe(404);
    expect((await server.api.post('/v1/customers', { external_id: 'late', name: 'Late', test_clock_id: clock.id })).status).toBe(404);
  });
});
