import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../support/webhook-receiver.ts';
import { systemClock } from '../../../src/clock.ts';
import { Transactions } from '../../../src/db/transactions.ts';
import { WebhookDeliveryService } from '../../../src/modules/webhooks/index.ts';
import { startTestServer, productionApi, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer({ TALLY_WEBHOOK_ALLOW_PRIVATE: '1', TALLY_WEBHOOK_TIMEOUT_SECONDS: '3', TALLY_WEBHOOK_ENDPOINT_CONCURRENCY: '2' });
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

describe('endpoints', () => {
  it('are created, read, listed, updated and deleted; the secret shows only on create and rotate', async () => {
    const created = await server.api.post('/v1/webhooks/endpoints', {
      url: 'https://hooks.example.com/a',
      description: 'A',
      event_types: ['customer.created', 'invoice.update.finalized'],
      metadata: { team: 'billing' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^whep_[0-9A-Z]{26}$/),
      url: 'https://hooks.example.com/a',
      description: 'A',
      event_types: ['customer.created', 'invoice.update.finalized'],
      disabled: false,
      disabled_reason: null,
      disabled_at: null,
      metadata: { team: 'billing' },
      previous_secret_expires_at: null,
      status: 'published',
    });
    const id = created.body.id;
    const got = await server.api.get(`/v1/webhooks/endpoints/${id}`);
    expect(got.body).toEqual({ ...created.body, secret: undefined, updated_at: got.body.updated_at });
    expect('secret' in got.body).toBe(false);
    const listed = await server.api.get('/v1/webhooks/endpoints?limit=100');
    expect(listed.body.items.map((e: { id: string }) => e.id)).toContain(id);
    expect(listed.body.items.every((e: object) => !('secret' in e))).toBe(true);

    const updated = await server.api.put(`/v1/webhooks/endpoints/${id}`, { url: 'https://hooks.example.com/b', event_types: [], disabled: true });
    expect(updated.body).toMatchObject({ url: 'https://hooks.example.com/b', event_types: [], disabled: true, description: 'A', disabled_reason: null });
    expect(updated.body.disabled_at).not.toBeNull();

    const prod = await productionApi(server);
    expect((await prod.api.get(`/v1/webhooks/endpoints/${id}`)).status).toBe(404);

    expect((await server.api.delete(`/v1/webhooks/endpoints/${id}`)).body).toEqual({ message: 'Webhook endpoint deleted successfully' });
    expect((await server.api.get(`/v1/webhooks/endpoints/${id}`)).status).toBe(404);
    expect((await server.api.delete(`/v1/webhooks/endpoints/${id}`)).status).toBe(404);
  });

  it('refuses an unknown event type, a repeated one and a blank URL, naming the field', async () => {
    const unknown = await server.api.post('/v1/webhooks/endpoints', { url: 'https://x.example.com/', event_types: ['customer.created', 'customer.exploded'] });
    expect(unknown.status).toBe(400);
    expect(Object.keys(unknown.body.details)).toEqual(['event_types[1]']);
    const twice = await server.api.post('/v1/webhooks/endpoints', { url: 'https://x.example.com/', event_types: ['customer.created', 'customer.created'] });
    expect(twice.body.details).toEqual({ 'event_types[1]': 'lists customer.created a second time' });
    const blank = await server.api.post('/v1/webhooks/endpoints', { url: '  ' });
    expect(blank.body.details).toEqual({ url: 'must not be blank' });
  });

  it('deliver only the event types they filter on (empty: all), and only events recorded after they were created', async () => {
    const all = await startReceiver();
    const onlyCreated = await startReceiver();
    try {
      const customerBefore = await server.api.post('/v1/customers', { external_customer_id: 'before-endpoints', name: 'B' });
      const a = await server.api.post('/v1/webhooks/endpoints', { url: all.url });
      const c = await server.api.post('/v1/webhooks/endpoints', { url: onlyCreated.url, event_types: ['customer.created'] });
      const customer = await server.api.post('/v1/customers', { external_customer_id: 'filtered', name: 'F' });
      await server.api.put(`/v1/customers/${customer.body.id}`, { name: 'F2' });
      await server.api.put(`/v1/customers/${customerBefore.body.id}`, { name: 'B2' });
      await all.waitFor(3);
      await onlyCreated.waitFor(1);
      await new Promise((r) => setTimeout(r, 300));
      expect(all.deliveries.map((d) => [d.json.event_type, d.json.customer.name])).toEqual([
        ['customer.created', 'F'],
        ['customer.updated', 'F2'],
        ['customer.updated', 'B2'],
      ]);
      expect(onlyCreated.deliveries.map((d) => d.json.event_type)).toEqual(['customer.created']);
      await server.api.delete(`/v1/webhooks/endpoints/${a.body.id}`);
      await server.api.delete(`/v1/webhooks/endpoints/${c.body.id}`);
    } finally {
      await all.close();
      await onlyCreated.close();
    }
  });

  it('get a test event on request, whatever their filter, and no other endpoint does', async () => {
    const target = await startReceiver();
    const other = await startReceiver();
    try {
      const ep = await server.api.post('/v1/webhooks/endpoints', { url: target.url, event_types: ['invoice.update'] });
      const bystander = await server.api.post('/v1/webhooks/endpoints', { url: other.url });
      const sent = await server.api.post(`/v1/webhooks/endpoints/${ep.body.id}/test`, {});
      expect(sent.status).toBe(202);
      expect(sent.body).toMatchObject({ event_type: 'webhook_endpoint.test', entity_type: 'webhook_endpoint', entity_id: ep.body.id });
      const [d] = await target.waitFor(1);
      expect(new Webhook(ep.body.secret).verify(d!.body, d!.headers)).toEqual({
        event_type: 'webhook_endpoint.test',
        webhook_endpoint: expect.objectContaining({ id: ep.body.id, url: target.url, event_types: ['invoice.update'] }),
      });
      expect(d!.id).toBe(sent.body.id);
      await new Promise((r) => setTimeout(r, 300));
      expect(other.deliveries).toEqual([]);
      await server.api.put(`/v1/webhooks/endpoints/${ep.body.id}`, { disabled: true });
      expect((await server.api.post(`/v1/webhooks/endpoints/${ep.body.id}/test`, {})).status).toBe(400);
      await server.api.delete(`/v1/webhooks/endpoints/${ep.body.id}`);
      await server.api.delete(`/v1/webhooks/endpoints/${bystander.body.id}`);
    } finally {
      await target.close();
      await other.close();
    }
  });
});

describe('a receiver that hangs', () => {
  it('holds at most its per-endpoint share of the worker: another endpoint is served meanwhile, and requests are not slowed', async () => {
    const hanging = await startReceiver(() => 'hang');
    const fast = await startReceiver();
    try {
      const h = await server.api.post('/v1/webhooks/endpoints', { url: hanging.url, event_types: ['customer.created'] });
      const f = await server.api.post('/v1/webhooks/endpoints', { url: fast.url, event_types: ['customer.created'] });
      const started = Date.now();
      for (let i = 0; i < 6; i++) {
        const res = await server.api.post('/v1/customers', { external_customer_id: `hang-${i}`, name: 'H' });
        expect(res.status).toBe(201);
      }
      expect(Date.now() - started).toBeLessThan(2000);
      await fast.waitFor(6, 2500);
      expect(Date.now() - started).toBeLessThan(2500);
      // Two attempts at a time (TALLY_WEBHOOK_ENDPOINT_CONCURRENCY=2) reached the hanging receiver, no more.
      expect(hanging.deliveries.length).toBe(2);
      // The fast receiver has answered; the worker records the attempt just after, so read until it has.
      const fastState = async () => {
        const deliveries = await server.api.get(`/v1/webhooks/events/${hanging.deliveries[0]!.id}/deliveries`);
        return deliveries.body.items.find((d: { endpoint_id: string }) => d.endpoint_id === f.body.id).state as string;
      };
      let state = await fastState();
      for (let i = 0; i < 40 && state !== 'succeeded'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        state = await fastState();
      }
      expect(state).toBe('succeeded');
      await server.api.delete(`/v1/webhooks/endpoints/${h.body.id}`);
      await server.api.delete(`/v1/webhooks/endpoints/${f.body.id}`);
    } finally {
      await hanging.close();
      await fast.close();
    }
  });
});

describe('a commit wakes the worker', () => {
  let quiet: TestServer;
  beforeAll(async () => {
    // The fallback poll is out of the picture: only the commit's notification can start a delivery.
    quiet = await startTestServer({ TALLY_WEBHOOK_ALLOW_PRIVATE: '1', TALLY_WEBHOOK_POLL_MS: '600000' });
  });
  afterAll(async () => {
    await quiet?.stop();
  });

  it('at once, for a change committed by a request or inside an idempotent request, again and again', async () => {
    // PGlite notifies inside the committing query: a round started there once inherited that
    // request's finished transaction and failed, so deliveries waited for the poll.
    const fast = await startReceiver();
    try {
      expect((await quiet.api.post('/v1/webhooks/endpoints', { url: fast.url, event_types: ['customer.created'] })).status).toBe(201);
      for (let i = 0; i < 3; i++) {
        const headers = i === 1 ? { 'Idempotency-Key': `wake-${i}` } : undefined;
        const res = await quiet.api.post('/v1/customers', { external_customer_id: `wake-${i}`, name: 'W' }, headers);
        expect(res.status).toBe(201);
        const started = Date.now();
        const deliveries = await fast.waitFor(i + 1, 3000);
        expect(Date.now() - started).toBeLessThan(3000);
        expect(deliveries[i]!.json.customer.external_id).toBe(`wake-${i}`);
      }
    } finally {
      await fast.close();
    }
  });
});

describe('fanning out', () => {
  let idle: TestServer;
  beforeAll(async () => {
    idle = await startTestServer({ TALLY_WEBHOOK_ALLOW_PRIVATE: '1', TALLY_WEBHOOK_WORKER: '0' });
  });
  afterAll(async () => {
    await idle?.stop();
  });

  it('claims in the same statement the new deliveries there is room for, within the overall and per-endpoint limits, and leaves the rest pending', async () => {
    const deliveries = new WebhookDeliveryService({ db: new Transactions(idle.orm), clock: systemClock });
    const a = (await idle.api.post('/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/a' })).body.id as string;
    const b = (await idle.api.post('/v1/webhooks/endpoints', { url: 'http://127.0.0.1:9/b' })).body.id as string;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = await idle.api.post('/v1/customers', { external_customer_id: `fan-${i}`, name: `Fan ${i}` });
      ids.push(c.body.id);
    }
    // This process already runs one attempt to A: A has room for one more, B for two, three in all.
    const first = await deliveries.fanOut(10, 8, { claimLimit: 3, perEndpoint: 2, busy: new Map([[a, 1]]), leaseMs: 60_000 });
    expect(first.events).toBe(3);
    expect(first.pendingEndpoints.sort()).toEqual([a, b].sort());
    const claimed = first.claimed.map((d) => [d.endpointId, JSON.parse(d.payload).customer.id, d.attempt, d.previousState]);
    expect(claimed.sort()).toEqual(
      [
        [a, ids[0], 1, 'pending'],
        [b, ids[0], 1, 'pending'],
        [b, ids[1], 1, 'pending'],
      ].sort(),
    );
    expect(first.claimed.every((d) => d.url.startsWith('http://127.0.0.1:9/') && d.secret.startsWith('whsec_') && d.eventType === 'customer.created')).toBe(true);
    const rows = await idle.orm.em
      .fork()
      .getConnection()
      .execute<Array<{ state: string; attempts: number; n: number }>>(`select state, attempts, count(*)::int as n from webhook_deliveries group by 1, 2 order by 1`);
    expect(rows).toEqual([
      { state: 'delivering', attempts: 1, n: 3 },
      { state: 'pending', attempts: 0, n: 3 },
    ]);
    // Nothing is fanned out twice; the leftovers are claimed as due deliveries, still within the limits.
    expect((await deliveries.fanOut(10, 8, { claimLimit: 3, perEndpoint: 2, busy: new Map(), leaseMs: 60_000 })).events).toBe(0);
    const due = await deliveries.claim(10, 2, new Map([[a, 1], [b, 2]]), 60_000);
    expect(due.map((d) => d.endpointId)).toEqual([a]);
    const rest = await deliveries.claim(10, 2, new Map(), 60_000);
    expect(rest.map((d) => d.endpointId).sort()).toEqual([a, b].sort());
  });
});
