/**
 * Where deliveries may go, checked by the sender when it connects (real receivers on 127.0.0.1).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookSender } from '../../../src/modules/webhooks/index.ts';
import { startReceiver, type Receiver } from '../../support/webhook-receiver.ts';
import { startTestServer, productionApi, type TestServer } from '../../support/test-server.ts';

let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver((_d, n) => (n === 0 ? { status: 200, body: 'x'.repeat(5000) } : { status: 204 }));
});
afterAll(() => receiver?.close());

const sender = (allowPrivate: boolean, timeoutMs = 2000) => new WebhookSender({ allowPrivate, timeoutMs, maxResponseBytes: 1024 });

describe('the sender refuses addresses when it connects', () => {
  it('refuses a loopback receiver unless private networks are allowed, and the receiver never sees the request', async () => {
    const before = receiver.deliveries.length;
    const refused = await sender(false).send(receiver.url, {}, '{}');
    expect(refused).toMatchObject({ statusCode: null, error: expect.stringMatching(/^address refused: 127\.0\.0\.1 is a loopback address/) });
    const byName = await sender(false).send(receiver.url.replace('127.0.0.1', 'localhost'), {}, '{}');
    expect(byName.error).toMatch(/^address refused: localhost resolves to (127\.0\.0\.1|::1) is a loopback address/);
    expect(receiver.deliveries.length).toBe(before);
  });

  it('refuses link-local and metadata addresses even when private networks are allowed, without connecting', async () => {
    const s = sender(true);
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'http://[fd00:ec2::254]/', 'http://[::ffff:169.254.169.254]/', 'http://100.100.100.200/']) {
      const result = await s.send(url, {}, '{}');
      expect(result.statusCode, url).toBeNull();
      expect(result.error, url).toMatch(/^address refused: .*link-local or cloud metadata/);
      expect(result.durationMs, url).toBeLessThan(1000);
    }
  });

  it('delivers to a private receiver when allowed, reading at most 1 KiB of the answer', async () => {
    const ok = await sender(true).send(receiver.url, { 'webhook-id': 'sys_event_x' }, '{"a":1}');
    expect(ok.statusCode).toBe(200);
    expect(ok.error).toBeNull();
    expect(ok.responseBody).toBe('x'.repeat(1024));
  });

  it('does not follow a redirect: a 3xx is a failed attempt', async () => {
    const target = await startReceiver();
    const redirecting = createServer((_req, res) => res.writeHead(307, { location: target.url }).end());
    redirecting.listen(0, '127.0.0.1');
    await once(redirecting, 'listening');
    try {
      const result = await sender(true).send(`http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/`, {}, '{}');
      expect(result).toMatchObject({ statusCode: 307, error: 'endpoint answered 307' });
      expect(target.deliveries).toEqual([]);
    } finally {
      redirecting.close();
      await target.close();
    }
  });

  it('gives up on a receiver that never answers after the timeout', async () => {
    const hanging = await startReceiver(() => 'hang');
    try {
      const result = await sender(true, 300).send(hanging.url, {}, '{}');
      expect(result.statusCode).toBeNull();
      expect(result.error).toBe('timed out after 300 ms');
      expect(result.durationMs).toBeGreaterThanOrEqual(290);
      expect(result.durationMs).toBeLessThan(2000);
    } finally {
      await hanging.close();
    }
  });
});

describe('endpoint URLs', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.stop());

  it('refuses loopback and metadata literals (private networks not allowed), credentials, and http in production', async () => {
    const cases: Array<[string, RegExp]> = [
      ['http://127.0.0.1:9000/hooks', /url points at 127\.0\.0\.1 is a loopback address/],
      ['http://169.254.169.254/latest/meta-data', /link-local or cloud metadata/],
      ['https://user:secret@hooks.example.com/', /url must not contain a user name or password/],
      ['gopher://hooks.example.com/', /url must be an http or https URL/],
    ];
    for (const [url, message] of cases) {
      const res = await server.api.post('/v1/webhooks/endpoints', { url });
      expect(res.status, url).toBe(400);
      expect(res.body.message, url).toMatch(message);
      expect(Object.keys(res.body.details), url).toEqual(['url']);
    }
    const prod = await productionApi(server);
    const http = await prod.api.post('/v1/webhooks/endpoints', { url: 'http://hooks.example.com/' });
    expect(http.status).toBe(400);
    expect(http.body.details).toEqual({ url: 'must use https in a production environment (http is allowed in development environments)' });
    expect((await prod.api.post('/v1/webhooks/endpoints', { url: 'https://hooks.example.com/' })).status).toBe(201);
    expect((await server.api.post('/v1/webhooks/endpoints', { url: 'http://hooks.example.com/' })).status).toBe(201);
  });

  it('delivers nothing to a loopback host name when private networks are not allowed: the attempt is refused at connect time', async () => {
    const created = await server.api.post('/v1/webhooks/endpoints', { url: receiver.url.replace('127.0.0.1', 'localhost'), event_types: ['customer.created'] });
    expect(created.status).toBe(201);
    const before = receiver.deliveries.length;
    const customer = await server.api.post('/v1/customers', { external_customer_id: 'ssrf-1', name: 'S' });
    const events = await server.api.get(`/v1/webhooks/events?entity_id=${customer.body.id}`);
    const eventId = events.body.items[0].id;
    let attempts: Array<{ error: string }> = [];
    for (let i = 0; i < 100 && attempts.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 50));
      const deliveries = (await server.api.get(`/v1/webhooks/events/${eventId}/deliveries`)).body.items;
      attempts = deliveries.find((d: { endpoint_id: string }) => d.endpoint_id === created.body.id)?.attempts ?? [];
    }
    expect(attempts[0]!.error).toMatch(/^address refused: localhost resolves to .* loopback address/);
    expect(receiver.deliveries.length).toBe(before);
  });
});
