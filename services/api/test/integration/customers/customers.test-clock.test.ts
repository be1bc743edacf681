import { describe, expect, it } from 'vitest';
import { count, createApiKey, createCustomer, createTestClock, expectRefused, productionClient, unique, useTestServer } from '../../support/fixtures.ts';

const server = useTestServer({ TALLY_BILLING_WORKER: '0' });

const liveCount = () => count(server.api, '/v1/customers');

describe('POST /v1/customers with test_clock_id (Tally extension)', () => {
  it('puts the customer on the clock and says so in every answer', async () => {
    const clock = await createTestClock(server.api);
    const res = await server.api.post('/v1/customers', { external_id: unique('on-clock'), name: 'Clocked', test_clock_id: clock.id });
    expect(res.status).toBe(201);
    expect(res.body.test_clock_id).toBe(clock.id);
    expect((await server.api.get(`/v1/customers/${res.body.id}`)).body.test_clock_id).toBe(clock.id);
    expect((await server.api.get(`/v1/customers/external/${res.body.external_id}`)).body.test_clock_id).toBe(clock.id);
    const listed = await server.api.get(`/v1/customers?customer_ids=${res.body.id}`);
    expect(listed.body.items.map((c: { test_clock_id?: string }) => c.test_clock_id)).toEqual([clock.id]);
  });

  it('leaves test_clock_id out for a customer on no clock', async () => {
    const c = await createCustomer(server.api);
    expect('test_clock_id' in c).toBe(false);
  });

  it('keeps the customer on its clock: an update cannot move it', async () => {
    const clock = await createTestClock(server.api);
    const other = await createTestClock(server.api);
    const c = await createCustomer(server.api, { test_clock_id: clock.id });
    const res = await server.api.put(`/v1/customers/${c.id}`, { name: 'Renamed', test_clock_id: other.id });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Renamed', test_clock_id: clock.id });
  });

  it('refuses a clock the environment does not have with 404 naming test_clock_id, writing nothing', async () => {
    const body = await expectRefused(
      server.api,
      { path: '/v1/customers', body: { external_id: unique('nope'), name: 'Nope', test_clock_id: 'clock_01JD2Z7Q8K3M4N5P6R7S8T9V0W' } },
      { status: 404, code: 'not_found', fields: ['test_clock_id'] },
      liveCount,
    );
    expect(body.message).toBe('Test clock with test_clock_id clock_01JD2Z7Q8K3M4N5P6R7S8T9V0W was not found');
  });

  it('refuses a clock of another development environment with 404', async () => {
    const env = await server.api.post('/v1/environments', { name: 'Staging', type: 'development' });
    expect(env.status).toBe(201);
    const key = await createApiKey(server.api, { environment_id: env.body.id });
    const elsewhere = await createTestClock(server.as(key.api_key));
    await expectRefused(
      server.api,
      { path: '/v1/customers', body: { external_id: unique('cross'), name: 'Cross', test_clock_id: elsewhere.id } },
      { status: 404, code: 'not_found', fields: ['test_clock_id'] },
      liveCount,
    );
  });

  it('refuses test_clock_id in a production environment with 400 naming it and the environment type', async () => {
    const { client } = await productionClient(server);
    const clock = await createTestClock(server.api);
    const prodCount = () => count(client, '/v1/customers');
    const body = await expectRefused(
      client,
      { path: '/v1/customers', body: { external_id: unique('prod'), name: 'Prod', test_clock_id: clock.id } },
      { status: 400, code: 'validation_error', fields: ['test_clock_id'] },
      prodCount,
    );
    expect(body.details.test_clock_id).toMatch(/^test clocks exist only in development environments; environment env_\w+ is a production environment$/);
  });

  it('refuses an empty test_clock_id with 400', async () => {
    await expectRefused(
      server.api,
      { path: '/v1/customers', body: { external_id: unique('empty'), name: 'Empty', test_clock_id: '' } },
      { status: 400, code: 'validation_error', fields: ['test_clock_id'] },
      liveCount,
    );
  });
});
