import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCustomer, createTestClock, unique, useTestServer } from '../../support/fixtures.ts';

/**
 * Event timestamps for customers on a test clock: accepted up to the clock's time + 5 minutes (not
 * only the server's). The server's clock is frozen on 1 June 2025 at noon; the test clock is months
 * ahead of it, on 1 January 2026.
 */
const server = useTestServer({ TALLY_BILLING_WORKER: '0' });

const serverNow = new Date('2025-06-01T12:00:00Z');
const clockTime = new Date('2026-01-01T00:00:00Z');
/** Where a test below advances the clock; the bulk tests run after it. */
const advancedTo = new Date('2026-03-01T00:00:00Z');
const plus = (at: Date, ms: number) => new Date(at.getTime() + ms).toISOString();
const fiveMinutes = 5 * 60_000;

let onClock: { id: string; external_id: string };
let offClock: { id: string; external_id: string };
let clockId: string;

beforeAll(async () => {
  server.clock.freeze(serverNow);
  const clock = await createTestClock(server.api, { frozen_time: clockTime.toISOString() });
  clockId = clock.id;
  onClock = await createCustomer(server.api, { external_id: unique('on-clock'), test_clock_id: clock.id });
  offClock = await createCustomer(server.api, { external_id: unique('off-clock') });
});
afterAll(() => server.clock.freeze(new Date()));

const allTime = { start_time: '1970-01-01T00:00:00Z', end_time: '2100-01-01T00:00:00Z' };
const idsOf = async (externalId: string) =>
  ((await server.api.post('/v1/events/query', { ...allTime, external_customer_id: externalId, page_size: 1000, order: 'asc' })).body.events as { id: string }[]).map((e) => e.id);

const event = (externalId: string, timestamp: string, id = unique('evt')) => ({ event_name: 'api_call', external_customer_id: externalId, event_id: id, timestamp });

describe('POST /v1/events for a customer on a test clock', () => {
  it('accepts a timestamp up to 5 minutes after the clock’s time, however far ahead of the server it is', async () => {
    const edge = event(onClock.external_id, plus(clockTime, fiveMinutes), 'evt-clock-edge');
    const res = await server.api.post('/v1/events', edge);
    expect(res.status).toBe(202);
    expect(await idsOf(onClock.external_id)).toContain('evt-clock-edge');
  });

  it('refuses one further ahead, naming the clock’s time', async () => {
    const res = await server.api.post('/v1/events', event(onClock.external_id, plus(clockTime, fiveMinutes + 1)));
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({
      timestamp: `must not be more than 5 minutes after the time of customer ${onClock.external_id}'s test clock (2026-01-01T00:00:00.000Z)`,
    });
  });

  it('keeps the server’s limit for every other customer', async () => {
    const ok = await server.api.post('/v1/events', event(offClock.external_id, plus(serverNow, fiveMinutes)));
    expect(ok.status).toBe(202);
    const res = await server.api.post('/v1/events', event(offClock.external_id, plus(clockTime, 0)));
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({ timestamp: 'must not be more than 5 minutes in the future (server time 2025-06-01T12:00:00.000Z)' });
    // An external id no customer has: the server's limit too.
    const unknown = await server.api.post('/v1/events', event('nobody-by-this-id', plus(serverNow, fiveMinutes + 1)));
    expect(unknown.status).toBe(400);
  });

  it('follows the clock when it is advanced', async () => {
    const later = advancedTo;
    const before = await server.api.post('/v1/events', event(onClock.external_id, plus(later, 0)));
    expect(before.status).toBe(400);
    const advanced = await server.api.post(`/v1/test_clocks/${clockId}/advance`, { frozen_time: later.toISOString() });
    expect(advanced.body).toMatchObject({ status: 'ready', frozen_time: later.toISOString() });
    const after = await server.api.post('/v1/events', event(onClock.external_id, plus(later, fiveMinutes), 'evt-after-advance'));
    expect(after.status).toBe(202);
  });

  it('never refuses what the server’s own limit allows, even past a clock that is behind the server', async () => {
    const behind = await createTestClock(server.api, { frozen_time: '2024-01-01T00:00:00Z' });
    const customer = await createCustomer(server.api, { test_clock_id: behind.id });
    // The look-up is made only for events beyond the server's limit: this one is within it.
    const res = await server.api.post('/v1/events', event(customer.external_id, plus(serverNow, fiveMinutes)));
    expect(res.status).toBe(202);
  });

  it('forgets the clock once the customer is deleted', async () => {
    const clock = await createTestClock(server.api, { frozen_time: clockTime.toISOString() });
    const customer = await createCustomer(server.api, { test_clock_id: clock.id });
    expect((await server.api.post('/v1/events', event(customer.external_id, plus(clockTime, 0)))).status).toBe(202);
    expect((await server.api.delete(`/v1/customers/${customer.id}`)).status).toBe(204);
    expect((await server.api.post('/v1/events', event(customer.external_id, plus(clockTime, 0)))).status).toBe(400);
  });
});

describe('POST /v1/events/bulk for customers on test clocks', () => {
  it('accepts each event against its own customer’s limit, all in one batch', async () => {
    const ids = ['bulk-clock-1', 'bulk-clock-2', 'bulk-off-1'];
    const res = await server.api.post('/v1/events/bulk?return_event_ids=true', {
      events: [
        event(onClock.external_id, plus(clockTime, fiveMinutes), ids[0]),
        event(onClock.external_id, plus(clockTime, -60_000), ids[1]),
        event(offClock.external_id, plus(serverNow, fiveMinutes), ids[2]),
      ],
    });
    expect(res.status).toBe(202);
    expect(res.body.event_ids).toEqual(ids);
    expect(await idsOf(onClock.external_id)).toEqual(expect.arrayContaining(['bulk-clock-1', 'bulk-clock-2']));
  });

  it('refuses the whole batch, naming each event beyond its own customer’s limit and every other problem', async () => {
    const before = [(await idsOf(onClock.external_id)).length, (await idsOf(offClock.external_id)).length];
    const res = await server.api.post('/v1/events/bulk', {
      events: [
        event(onClock.external_id, plus(clockTime, fiveMinutes)), // fine
        event(offClock.external_id, plus(clockTime, 0)), // the server's limit: refused
        event(onClock.external_id, plus(advancedTo, fiveMinutes + 1)), // the clock's limit: refused
        { ...event(onClock.external_id, plus(clockTime, 0)), event_name: ' ' }, // blank name
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body.details).toEqual({
      'events[1].timestamp': 'must not be more than 5 minutes in the future (server time 2025-06-01T12:00:00.000Z)',
      'events[2].timestamp': `must not be more than 5 minutes after the time of customer ${onClock.external_id}'s test clock (2026-03-01T00:00:00.000Z)`,
      'events[3].event_name': 'must not be blank',
    });
    expect([(await idsOf(onClock.external_id)).length, (await idsOf(offClock.external_id)).length]).toEqual(before);
  });
});
