import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from './support/webhook-receiver.ts';
import { startTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer({ TALLY_WEBHOOK_ALLOW_PRIVATE: '1' });
  receiver = await startReceiver();
});
afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

describe('a customer change reaches an endpoint', () => {
  it('delivers a signed customer.created that the standardwebhooks library verifies with the endpoint secret', async () => {
    const created = await server.api.post('/v1/webhooks/endpoints', { url: receiver.url, description: 'test receiver' });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const customer = await server.api.post('/v1/customers', { external_customer_id: 'wh-1', name: 'Webhook Co', email: 'a@b.test' });
    expect(customer.status).toBe(201);
    const [delivery] = await receiver.waitFor(1);
    const payload = new Webhook(created.body.secret).verify(delivery!.body, delivery!.headers);
    expect(payload).toEqual({
      event_type: 'customer.created',
      customer: { id: customer.body.id, external_id: 'wh-1', environment_id: customer.body.environment_id, name: 'Webhook Co', email: 'a@b.test', timezone: 'UTC' },
    });
    expect(delivery!.headers['svix-id']).toBe(delivery!.headers['webhook-id']);
    expect(delivery!.headers['svix-signature']).toBe(delivery!.headers['webhook-signature']);
    expect(delivery!.headers['webhook-id']).toMatch(/^sys_event_[0-9A-Z]{26}$/);
  });
});
