import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

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
