/**
 * The retry schedule, replay, signatures over time, rotation and disabling — driven by a test clock
 * and `runDue()` (the automatic worker is off), never by sleeping.
 */
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Answer, type Receiver } from '../../support/webhook-receiver.ts';
import { startTestServer, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let failing: Receiver;
let healthy: Receiver;
/** What the failing receiver answers; tests switch it. */
let failingAnswer: Answer = { status: 500, body: 'boom' };

const second = 1000;
const minute = 60 * second;
const hour = 60 * minute;

beforeAll(async () => {
  server = await startTestServer({ TALLY_WEBHOOK_ALLOW_PRIVATE: '1', TALLY_WEBHOOK_WORKER: '0' });
  failing = await startReceiver(() => failingAnswer);
  healthy = await startReceiver();
  server.clock.freeze(new Date('2026-03-01T00:00:00Z'));
});
afterAll(async () => {
  await server?.stop();
  await failing?.close();
  await healthy?.close();
});

const runDue = () => server.webhooks.runDue();
let seq = 0;

async function endpoint(url: string, eventTypes: string[] = []) {
  const res = await server.api.post('/v1/webhooks/endpoints', { url, event_types: eventTypes });
  expect(res.status).toBe(201);
  return res.body as { id: string; secret: string };
}

async function customerEvent(): Promise<string> {
  const c = await server.api.post('/v1/customers', { external_customer_id: `retry-${++seq}`, name: `Retry ${seq}` });
  expect(c.status).toBe(201);
  const events = await server.api.get(`/v1/webhooks/events?entity_id=${c.body.id}&event_type=customer.created`);
  return events.body.items[0].id;
}

async function deliveryTo(eventId: string, endpointId: string) {
  const res = await server.api.get(`/v1/webhooks/events/${eventId}/deliveries`);
  expect(res.status).toBe(200);
  return res.body.items.find((d: { endpoint_id: string }) => d.endpoint_id === endpointId);
}

describe('retries', () => {
  it("retries a failing endpoint on Svix's schedule (with at most 10% jitter), then marks the delivery failed", async () => {
    failingAnswer = { status: 500, body: 'boom' };
    const ep = await endpoint(failing.url, ['customer.created']);
    const eventId = await customerEvent();
    const start = server.clock.now().getTime();
    const hits = () => failing.deliveries.filter((d) => d.id === eventId).length;

    expect(await runDue()).toEqual({ attempts: 1 });
    expect(hits()).toBe(1);
    let delivery = await deliveryTo(eventId, ep.id);
    expect(delivery).toMatchObject({ state: 'pending', attempt_count: 1, last_status_code: 500, last_error: 'endpoint answered 500' });
    expect(delivery.attempts[0]).toMatchObject({ attempt: 1, status_code: 500, response_body: 'boom', error: 'endpoint answered 500' });

    const waits = [5 * second, 5 * minute, 30 * minute, 2 * hour, 5 * hour, 10 * hour, 10 * hour];
    for (const [i, wait] of waits.entries()) {
      const due = new Date(delivery.next_attempt_at).getTime() - server.clock.now().getTime();
      expect(due, `wait before attempt ${i + 2}`).toBeGreaterThanOrEqual(wait * 0.9 - 1);
      expect(due, `wait before attempt ${i + 2}`).toBeLessThanOrEqual(wait * 1.1 + 1);
      // Just before it is due nothing is sent; at the due time the next attempt goes out.
      server.clock.advance(due - 50);
      expect(await runDue()).toEqual({ attempts: 0 });
      server.clock.advance(50);
      expect(await runDue()).toEqual({ attempts: 1 });
      expect(hits()).toBe(i + 2);
      delivery = await deliveryTo(eventId, ep.id);
    }
    expect(delivery).toMatchObject({ state: 'failed', attempt_count: 8, next_attempt_at: null, last_status_code: 500 });
    expect(delivery.attempts.map((a: { attempt: number }) => a.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    // Every attempt carried the same webhook-id.
    expect(new Set(failing.deliveries.filter((d) => d.id === eventId).map((d) => d.headers['webhook-id']))).toEqual(new Set([eventId]));
    const elapsedHours = (server.clock.now().getTime() - start) / hour;
    expect(elapsedHours).toBeGreaterThan(27.6 * 0.9);
    expect(elapsedHours).toBeLessThan(27.6 * 1.1);
    server.clock.advance(48 * hour);
    expect(await runDue()).toEqual({ attempts: 0 });

    // Replay from the log: one more attempt now, same webhook-id; it succeeds.
    failingAnswer = { status: 200, body: 'thanks' };
    const retried = await server.api.post(`/v1/webhooks/events/${eventId}/retry`, {});
    expect(retried.status).toBe(202);
    expect(retried.body.items[0]).toMatchObject({ endpoint_id: ep.id, state: 'pending', attempt_count: 8 });
    expect(await runDue()).toEqual({ attempts: 1 });
    delivery = await deliveryTo(eventId, ep.id);
    expect(delivery).toMatchObject({ state: 'succeeded', attempt_count: 9, last_status_code: 200, last_error: null });
    expect(delivery.attempts[8]).toMatchObject({ attempt: 9, status_code: 200, response_body: 'thanks', error: null });
    expect(failing.deliveries.at(-1)!.headers['webhook-id']).toBe(eventId);

    // FlexPrice's hidden route does the same; a failed re-delivery is not retried further.
    failingAnswer = { status: 503 };
    const flex = await server.api.post('/v1/webhooks/retry', { system_event_id: eventId });
    expect(flex.status).toBe(202);
    expect(flex.body).toEqual({ success: true, message: 'Webhook delivery scheduled for the system event', system_event_id: eventId });
    expect(await runDue()).toEqual({ attempts: 1 });
    server.clock.advance(24 * hour);
    expect(await runDue()).toEqual({ attempts: 0 });
    expect(await deliveryTo(eventId, ep.id)).toMatchObject({ state: 'failed', attempt_count: 10, last_status_code: 503 });
    expect((await server.api.post('/v1/webhooks/retry', { system_event_id: 'sys_event_unknown' })).status).toBe(404);
    await server.api.put(`/v1/webhooks/endpoints/${ep.id}`, { disabled: true });
  });

  it('re-delivers to one named endpoint, even one the event never went to, and refuses a disabled one', async () => {
    failingAnswer = { status: 200 };
    const eventId = await customerEvent();
    await runDue();
    const late = await endpoint(healthy.url, ['feature.created']);
    expect(await deliveryTo(eventId, late.id)).toBeUndefined();
    const res = await server.api.post(`/v1/webhooks/events/${eventId}/retry`, { endpoint_id: late.id });
    expect(res.status).toBe(202);
    expect(res.body.items.map((d: { endpoint_id: string }) => d.endpoint_id)).toEqual([late.id]);
    expect(await runDue()).toEqual({ attempts: 1 });
    expect(healthy.deliveries.at(-1)!.json).toMatchObject({ event_type: 'customer.created' });
    await server.api.put(`/v1/webhooks/endpoints/${late.id}`, { disabled: true });
    const refused = await server.api.post(`/v1/webhooks/events/${eventId}/retry`, { endpoint_id: late.id });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('invalid_operation');
    expect((await server.api.post(`/v1/webhooks/events/${eventId}/retry`, { endpoint_id: 'whep_nope' })).status).toBe(404);
  });
});

describe('signatures', () => {
  it('verify with the endpoint secret, and fail with a wrong secret or a timestamp older than 5 minutes', async () => {
    const ep = await endpoint(healthy.url, ['customer.created']);
    // Sent "now" by the real clock so the library (which reads the real clock) can check the timestamp.
    server.clock.freeze(new Date());
    await customerEvent();
    await runDue();
    const fresh = healthy.deliveries.at(-1)!;
    expect(new Webhook(ep.secret).verify(fresh.body, fresh.headers)).toMatchObject({ event_type: 'customer.created' });
    const wrong = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
    expect(() => new Webhook(wrong).verify(fresh.body, fresh.headers)).toThrow('No matching signature found');
    expect(() => new Webhook(ep.secret).verify(fresh.body.replace('Retry', 'Retro'), fresh.headers)).toThrow('No matching signature found');

    server.clock.freeze(new Date(Date.now() - 6 * minute));
    await customerEvent();
    await runDue();
    const stale = healthy.deliveries.at(-1)!;
    expect(Number(stale.headers['webhook-timestamp'])).toBeLessThan(Date.now() / 1000 - 5 * 60);
    expect(() => new Webhook(ep.secret).verify(stale.body, stale.headers)).toThrow('Message timestamp too old');
    await server.api.delete(`/v1/webhooks/endpoints/${ep.id}`);
  });

  it('after a rotation, sign with the new and the previous secret for 24 hours, then with the new one only', async () => {
    const ep = await endpoint(healthy.url, ['customer.created']);
    server.clock.freeze(new Date());
    const rotated = await server.api.post(`/v1/webhooks/endpoints/${ep.id}/secret/rotate`, {});
    expect(rotated.status).toBe(200);
    expect(rotated.body.secret).not.toBe(ep.secret);
    expect(rotated.body.previous_secret_expires_at).toBe(new Date(server.clock.now().getTime() + 24 * hour).toISOString());
    expect((await server.api.get(`/v1/webhooks/endpoints/${ep.id}`)).body.secret).toBeUndefined();

    await customerEvent();
    await runDue();
    const during = healthy.deliveries.at(-1)!;
    expect(during.headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(ep.secret).verify(during.body, during.headers)).toBeTruthy();
    expect(new Webhook(rotated.body.secret).verify(during.body, during.headers)).toBeTruthy();

    // 24 hours later (the real clock cannot move, so the timestamp check is skipped by verifying "now").
    server.clock.advance(24 * hour + second);
    await customerEvent();
    await runDue();
    const after = healthy.deliveries.at(-1)!;
    expect(after.headers['webhook-signature'].split(' ')).toHaveLength(1);
    const sign = (secret: string) => new Webhook(secret).sign(after.id, new Date(Number(after.headers['webhook-timestamp']) * 1000), after.body);
    expect(after.headers['webhook-signature']).toBe(sign(rotated.body.secret));
    expect(after.headers['webhook-signature']).not.toBe(sign(ep.secret));
    await server.api.delete(`/v1/webhooks/endpoints/${ep.id}`);
  });
});

describe('an endpoint that fails every attempt for 5 days', () => {
  it('is disabled, says why, and that is announced as webhook_endpoint.disabled to the other endpoints', async () => {
    failingAnswer = { status: 502 };
    server.clock.freeze(new Date('2026-06-01T00:00:00Z'));
    const bad = await endpoint(failing.url, ['customer.updated']);
    const watcher = await endpoint(healthy.url, ['webhook_endpoint.disabled']);
    const c = await server.api.post('/v1/customers', { external_customer_id: `dis-${++seq}`, name: 'D' });
    const update = () => server.api.put(`/v1/customers/${c.body.id}`, { name: `D ${++seq}` });
    // A change every 12 hours, each retried on its schedule: the endpoint never succeeds.
    for (let hours = 0; hours <= 5 * 24 + 12; hours += 12) {
      await update();
      await runDue();
      const state = (await server.api.get(`/v1/webhooks/endpoints/${bad.id}`)).body;
      if (hours < 5 * 24) expect(state.disabled, `after ${hours} h`).toBe(false);
      server.clock.advance(12 * hour);
    }
    const disabled = (await server.api.get(`/v1/webhooks/endpoints/${bad.id}`)).body;
    expect(disabled).toMatchObject({ disabled: true, disabled_reason: 'every delivery attempt failed for 5 days' });
    const announced = await server.api.get(`/v1/webhooks/events?event_type=webhook_endpoint.disabled&entity_id=${bad.id}`);
    expect(announced.body.items).toHaveLength(1);
    expect(announced.body.items[0].payload).toMatchObject({
      event_type: 'webhook_endpoint.disabled',
      webhook_endpoint: { id: bad.id, url: failing.url, disabled: true, disabled_reason: 'every delivery attempt failed for 5 days' },
    });
    await runDue();
    expect(healthy.deliveries.at(-1)!.json).toMatchObject({ event_type: 'webhook_endpoint.disabled', webhook_endpoint: { id: bad.id } });

    // Disabled: nothing more goes out; its pending deliveries fail without being sent.
    const sentBefore = failing.deliveries.length;
    await update();
    server.clock.advance(30 * hour);
    await runDue();
    expect(failing.deliveries.length).toBe(sentBefore);

    // Enabled again: a fresh start.
    failingAnswer = { status: 200 };
    const enabled = await server.api.put(`/v1/webhooks/endpoints/${bad.id}`, { disabled: false });
    expect(enabled.body).toMatchObject({ disabled: false, disabled_reason: null, disabled_at: null });
    await update();
    await runDue();
    expect(failing.deliveries.length).toBe(sentBefore + 1);
    await server.api.delete(`/v1/webhooks/endpoints/${bad.id}`);
    await server.api.delete(`/v1/webhooks/endpoints/${watcher.id}`);
  });
});

describe('the log', () => {
  it('is pruned after the retention (30 days by default)', async () => {
    const ep = await endpoint(healthy.url, ['customer.created']);
    const eventId = await customerEvent();
    await runDue();
    expect((await deliveryTo(eventId, ep.id)).state).toBe('succeeded');
    server.clock.advance(29 * 24 * hour);
    await server.webhooks.prune();
    expect((await server.api.get(`/v1/webhooks/events/${eventId}`)).status).toBe(200);
    server.clock.advance(2 * 24 * hour);
    expect(await server.webhooks.prune()).toBeGreaterThanOrEqual(3);
    expect((await server.api.get(`/v1/webhooks/events/${eventId}`)).status).toBe(404);
  });
});
