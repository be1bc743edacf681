/**
 * What is announced: an event row exactly when the change commits (never for a rolled-back one),
 * a snapshot of the entity at the change, for customers, features, entitlements and rejected events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type Receiver } from '../../support/webhook-receiver.ts';
import { startTestServer, productionApi, type TestServer } from '../../support/test-server.ts';

let server: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer({ TALLY_WEBHOOK_ALLOW_PRIVATE: '1' });
  receiver = await startReceiver();
  await sql(`create function refuse_poisoned_customers() returns trigger language plpgsql as $$
    begin
      if new.name = 'poison' then raise exception 'this customer cannot be stored'; end if;
      return new;
    end $$`);
  await sql('create trigger poison before insert or update on customers for each row execute function refuse_poisoned_customers()');
});
afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

function sql<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  return server.orm.em.fork().getConnection().execute<R[]>(text, params);
}

type EventItem = { id: string; event_type: string; entity_type: string; entity_id: string; payload: any; created_at: string };
const events = async (query: string): Promise<EventItem[]> => {
  const res = await server.api.get(`/v1/webhooks/events?${query}`);
  expect(res.status).toBe(200);
  return res.body.items;
};

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the outbox', () => {
  it('records an event exactly when the change commits, and nothing — row or delivery — for one that rolls back', async () => {
    const ep = await server.api.post('/v1/webhooks/endpoints', { url: receiver.url, event_types: ['customer.created', 'customer.updated'] });
    expect(ep.status).toBe(201);
    const total = async () => (await server.api.get('/v1/webhooks/events?event_type=customer.created&limit=1')).body.pagination.total as number;
    const before = await total();
    const received = receiver.deliveries.length;

    // The event row is written before the customer row (which the trigger refuses at commit): both roll back.
    const refused = await server.api.post('/v1/customers', { external_customer_id: 'poisoned', name: 'poison' });
    expect(refused.status).toBe(500);
    // The same inside a request transaction (Idempotency-Key): the use case is a savepoint of it.
    const refusedIdem = await server.api.post('/v1/customers', { external_customer_id: 'poisoned-2', name: 'poison' }, { 'Idempotency-Key': 'poison-1' });
    expect(refusedIdem.status).toBe(500);
    expect(await total()).toBe(before);

    const ok = await server.api.post('/v1/customers', { external_customer_id: 'committed', name: 'Committed' }, { 'Idempotency-Key': 'ok-1' });
    expect(ok.status).toBe(201);
    expect(await total()).toBe(before + 1);
    const [event] = await events(`entity_id=${ok.body.id}`);
    expect(event).toMatchObject({ event_type: 'customer.created', entity_type: 'customer', entity_id: ok.body.id, created_at: ok.body.created_at });
    // Notifications go out in commit order: once the committed one arrived, a rolled-back one would have too.
    const got = await receiver.waitFor(received + 1);
    expect(got.slice(received).map((d) => d.json.customer.external_id)).toEqual(['committed']);

    // An update that rolls back announces nothing either.
    const badUpdate = await server.api.put(`/v1/customers/${ok.body.id}`, { name: 'poison' });
    expect(badUpdate.status).toBe(500);
    expect(await events(`entity_id=${ok.body.id}`)).toHaveLength(1);
    await server.api.delete(`/v1/webhooks/endpoints/${ep.body.id}`);
  });

  it('announces customer updates and deletion with a snapshot of each moment, not the state when delivered', async () => {
    const c = await server.api.post('/v1/customers', {
      external_customer_id: 'snap',
      name: 'First',
      address_country: 'DE',
      metadata: { tier: 'gold' },
    });
    await server.api.put(`/v1/customers/${c.body.id}`, { name: 'Second' });
    await server.api.put(`/v1/customers/${c.body.id}`, { name: 'Third', email: 'third@x.test' });
    expect((await server.api.delete(`/v1/customers/${c.body.id}`)).status).toBe(204);
    const list = await events(`entity_type=customer&entity_id=${c.body.id}`);
    expect(list.map((e) => [e.event_type, e.payload.customer.name])).toEqual([
      ['customer.deleted', 'Third'],
      ['customer.updated', 'Third'],
      ['customer.updated', 'Second'],
      ['customer.created', 'First'],
    ]);
    expect(list[3]!.payload).toEqual({
      event_type: 'customer.created',
      customer: {
        id: c.body.id,
        external_id: 'snap',
        environment_id: c.body.environment_id,
        name: 'First',
        address_country: 'DE',
        timezone: 'UTC',
        metadata: { tier: 'gold' },
      },
    });
    expect(list[0]!.payload.customer.email).toBe('third@x.test');
  });

  it('announces features and entitlements: created (bulk: one each), updated, deleted', async () => {
    const feature = await server.api.post('/v1/features', {
      name: 'API calls',
      lookup_key: 'api-calls',
      type: 'metered',
      meter: { name: 'API calls', event_name: 'api_call', aggregation: { type: 'COUNT' }, reset_usage: 'BILLING_PERIOD' },
      unit_singular: 'call',
      unit_plural: 'calls',
    });
    expect(feature.status).toBe(201);
    const flag = await server.api.post('/v1/features', { name: 'SSO', lookup_key: 'sso', type: 'boolean' });
    await server.api.put(`/v1/features/${flag.body.id}`, { description: 'Single sign-on' });
    const plan = await server.api.post('/v1/plans', { name: 'Pro' });
    const bulk = await server.api.post('/v1/entitlements/bulk', {
      items: [
        { entity_type: 'PLAN', entity_id: plan.body.id, feature_id: feature.body.id, feature_type: 'metered', usage_limit: 1000, usage_reset_period: 'MONTHLY' },
        { entity_type: 'PLAN', entity_id: plan.body.id, feature_id: flag.body.id, feature_type: 'boolean', is_enabled: true },
      ],
    });
    expect(bulk.status).toBe(201);
    const [metered, sso] = bulk.body.items as Array<{ id: string }>;
    await server.api.put(`/v1/entitlements/${metered!.id}`, { usage_limit: 2000 });
    await server.api.delete(`/v1/entitlements/${sso!.id}`);
    await server.api.delete(`/v1/features/${flag.body.id}`);

    expect((await events(`entity_id=${feature.body.id}`)).map((e) => e.payload)).toEqual([
      {
        event_type: 'feature.created',
        feature: {
          id: feature.body.id,
          name: 'API calls',
          lookup_key: 'api-calls',
          type: 'metered',
          unit_singular: 'call',
          unit_plural: 'calls',
          meter_id: feature.body.meter_id,
        },
      },
    ]);
    expect((await events(`entity_id=${flag.body.id}`)).map((e) => [e.event_type, e.payload.feature.description ?? null])).toEqual([
      ['feature.deleted', 'Single sign-on'],
      ['feature.updated', 'Single sign-on'],
      ['feature.created', null],
    ]);
    expect((await events(`entity_id=${metered!.id}`)).map((e) => e.payload)).toEqual([
      {
        event_type: 'entitlement.updated',
        entitlement: {
          id: metered!.id,
          entity_type: 'PLAN',
          entity_id: plan.body.id,
          feature_id: feature.body.id,
          feature_type: 'metered',
          is_enabled: true,
          usage_limit: 2000,
          usage_reset_period: 'MONTHLY',
          is_soft_limit: false,
        },
      },
      expect.objectContaining({ event_type: 'entitlement.created', entitlement: expect.objectContaining({ usage_limit: 1000 }) }),
    ]);
    expect((await events(`entity_id=${sso!.id}`)).map((e) => e.event_type)).toEqual(['entitlement.deleted', 'entitlement.created']);
    // Deleting again changes nothing, so announces nothing.
    await server.api.delete(`/v1/features/${flag.body.id}`);
    expect(await events(`entity_id=${flag.body.id}`)).toHaveLength(3);
  });

  it('keeps every environment to its own events', async () => {
    const prod = await productionApi(server);
    const c = await prod.api.post('/v1/customers', { external_customer_id: 'prod-1', name: 'Prod' });
    const prodEvents = (await prod.api.get(`/v1/webhooks/events?entity_id=${c.body.id}`)).body.items;
    expect(prodEvents).toHaveLength(1);
    expect(await events(`entity_id=${c.body.id}`)).toEqual([]);
    expect((await server.api.get(`/v1/webhooks/events/${prodEvents[0].id}`)).status).toBe(404);
    expect((await server.api.get(`/v1/webhooks/events/${prodEvents[0].id}/deliveries`)).status).toBe(404);
  });

  it('filters the log by type, entity and time', async () => {
    const c = await server.api.post('/v1/customers', { external_customer_id: 'filter-1', name: 'F' });
    const at = c.body.created_at as string;
    expect(await events(`entity_id=${c.body.id}&start_time=${at}`)).toHaveLength(1);
    expect(await events(`entity_id=${c.body.id}&end_time=${at}`)).toHaveLength(0);
    expect(await events(`entity_id=${c.body.id}&event_type=customer.updated`)).toHaveLength(0);
    const bad = await server.api.get('/v1/webhooks/events?event_type=customer.exploded');
    expect(bad.status).toBe(400);
    expect(Object.keys(bad.body.details)).toEqual(['event_type']);
    const backwards = await server.api.get('/v1/webhooks/events?start_time=2026-01-02T00:00:00Z&end_time=2026-01-01T00:00:00Z');
    expect(backwards.body.details).toEqual({ end_time: 'must not be before start_time' });
  });
});

describe('event.rejected', () => {
  it("announces an ingested event no meter counts, with FlexPrice's reasons, at most once per name in the window", async () => {
    await server.api.post('/v1/meters', {
      name: 'Tokens',
      event_name: 'llm_tokens',
      aggregation: { type: 'SUM', field: 'tokens' },
      filters: [{ key: 'model', values: ['gpt-4'] }],
      reset_usage: 'BILLING_PERIOD',
    });
    const ingest = (event_name: string, properties: Record<string, unknown>, event_id: string) =>
      server.api.post('/v1/events', { event_name, external_customer_id: 'cust-r', event_id, properties });
    expect((await ingest('llm_tokens', { model: 'gpt-4', tokens: 5 }, 'counted-1')).status).toBe(202);
    expect((await ingest('unknown_name', { a: 1 }, 'nameless-1')).status).toBe(202);
    // Sent as text: the property keeps digits a double cannot hold.
    const exact = '{"event_name":"llm_tokens","external_customer_id":"cust-r","event_id":"filtered-1","properties":{"model":"gpt-3","tokens":12345678901234567891}}';
    expect((await server.api.post('/v1/events', exact)).status).toBe(202);
    expect((await server.api.post('/v1/events/bulk', { events: [
      { event_name: 'unknown_name', external_customer_id: 'cust-r', event_id: 'nameless-2' },
      { event_name: 'llm_tokens', external_customer_id: 'cust-r', event_id: 'filtered-2', properties: { model: 'gpt-3' } },
    ] })).status).toBe(202);
    const rejected = await eventually(() => events('event_type=event.rejected'), (l) => l.length >= 2, 'two event.rejected');
    await new Promise((r) => setTimeout(r, 200));
    const byEntity = Object.fromEntries((await events('event_type=event.rejected')).map((e) => [e.entity_id, e.payload]));
    expect(Object.keys(byEntity).sort()).toEqual(['filtered-1', 'nameless-1']);
    expect(byEntity['nameless-1']).toEqual({
      event_type: 'event.rejected',
      reason: 'no_meter_for_event_name',
      event: { id: 'nameless-1', event_name: 'unknown_name', external_customer_id: 'cust-r', properties: { a: 1 }, timestamp: expect.stringMatching(/Z$/) },
    });
    expect(byEntity['filtered-1']).toMatchObject({ reason: 'no_matching_meter', event: { id: 'filtered-1', event_name: 'llm_tokens' } });
    const id = rejected.find((e) => e.entity_id === 'filtered-1')!.id;
    const raw = await fetch(`${server.url}/v1/webhooks/events/${id}`, { headers: { 'x-api-key': server.apiKey } });
    expect(raw.status).toBe(200);
    expect(await raw.text()).toContain('"tokens":12345678901234567891');

    // After the window, the same name is announced again.
    server.clock.advance(10 * 60 * 1000 + 1);
    await ingest('unknown_name', {}, 'nameless-3');
    await eventually(() => events('event_type=event.rejected&entity_id=nameless-3'), (l) => l.length === 1, 'the next window');
  });
});
