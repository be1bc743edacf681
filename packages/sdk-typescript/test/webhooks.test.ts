import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tally, TallyWebhookVerificationError, verifyWebhook } from '../src/index.js';
import { type RunningTally, startTally } from './tally-server.js';

const secret = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;
const body = '{"event_type":"customer.created","customer":{"id":"cust_1","name":"Acme"}}';

function signed(at = new Date(), key = secret) {
  const id = 'sys_event_01JD2Z7Q8K3M4N5P6R7S8T9V0W';
  const signature = new Webhook(key).sign(id, at, body);
  return { 'webhook-id': id, 'webhook-timestamp': String(Math.floor(at.getTime() / 1000)), 'webhook-signature': signature };
}

describe('verifyWebhook', () => {
  it('returns the parsed body of a delivery signed with the secret (string or bytes, any header shape)', () => {
    expect(verifyWebhook(body, signed(), secret)).toEqual({ event_type: 'customer.created', customer: { id: 'cust_1', name: 'Acme' } });
    expect(verifyWebhook(Buffer.from(body), new Headers(signed()), secret).event_type).toBe('customer.created');
    const upper = Object.fromEntries(Object.entries(signed()).map(([k, v]) => [k.toUpperCase(), v]));
    expect(verifyWebhook(body, upper, secret).event_type).toBe('customer.created');
  });

  it("accepts FlexPrice Cloud's svix-* header names", () => {
    const svix = Object.fromEntries(Object.entries(signed()).map(([k, v]) => [k.replace('webhook-', 'svix-'), v]));
    expect(verifyWebhook(body, svix, secret).event_type).toBe('customer.created');
  });

  it('accepts a delivery carrying two signatures (during a secret rotation) with either secret', () => {
    const other = `whsec_${Buffer.alloc(32, 2).toString('base64')}`;
    const a = signed();
    const both = { ...a, 'webhook-signature': `${new Webhook(other).sign(a['webhook-id'], new Date(Number(a['webhook-timestamp']) * 1000), body)} ${a['webhook-signature']}` };
    expect(verifyWebhook(body, both, secret).event_type).toBe('customer.created');
    expect(verifyWebhook(body, both, other).event_type).toBe('customer.created');
  });

  it('refuses a wrong secret, an altered body, a timestamp older than 5 minutes, missing headers', () => {
    const wrong = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;
    expect(() => verifyWebhook(body, signed(), wrong)).toThrow(TallyWebhookVerificationError);
    expect(() => verifyWebhook(body.replace('Acme', 'Evil'), signed(), secret)).toThrow('No matching signature found');
    expect(() => verifyWebhook(body, signed(new Date(Date.now() - 6 * 60_000)), secret)).toThrow('Message timestamp too old');
    expect(() => verifyWebhook(body, {}, secret)).toThrow('Missing required headers');
  });
});

describe('a receiver verifying live deliveries from Tally', () => {
  let server: RunningTally;
  let receiver: Server;
  const received: Array<{ body: string; headers: IncomingMessage['headers'] }> = [];

  beforeAll(async () => {
    server = await startTally();
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
        received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
        res.writeHead(204).end();
      });
    });
    receiver.listen(0, '127.0.0.1');
    await once(receiver, 'listening');
  });
  afterAll(async () => {
    receiver?.close();
    await server?.stop();
  });

  it('creates an endpoint, creates a customer, and verifies the signed customer.created', async () => {
    const tally = new Tally({ apiKey: server.apiKey, baseUrl: server.baseUrl });
    const endpoint = await tally.webhooks.createWebhookEndpoint({
      createWebhookEndpointRequest: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, event_types: ['customer.created'] },
    });
    const customer = await tally.customers.createCustomer({ createCustomerRequest: { external_id: 'sdk-hook', name: 'Hooked' } });
    for (let i = 0; i < 200 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    const [delivery] = received;
    const event = verifyWebhook(delivery!.body, delivery!.headers, endpoint.secret!);
    expect(event).toMatchObject({ event_type: 'customer.created', customer: { id: customer.id, external_id: 'sdk-hook', name: 'Hooked' } });
    expect(() => verifyWebhook(delivery!.body, delivery!.headers, `whsec_${Buffer.alloc(32, 3).toString('base64')}`)).toThrow(TallyWebhookVerificationError);
  });
});
