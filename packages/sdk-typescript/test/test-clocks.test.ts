import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Tally, TallyValidationError } from '../src/index.js';
import { type RunningTally, startTally } from './tally-server.js';

let server: RunningTally;
let tally: Tally;

beforeAll(async () => {
  server = await startTally();
  tally = new Tally({ apiKey: server.apiKey, baseUrl: server.baseUrl, initialRetryDelayMs: 10, maxRetryDelayMs: 50 });
});

afterAll(async () => {
  await server?.stop();
});

describe('test clocks through the TypeScript SDK against a live Tally', () => {
  it('creates a clock, puts a customer on it, advances it, and deletes both', async () => {
    const clock = await tally.testClocks.createTestClock({ createTestClockRequest: { name: 'sdk', frozen_time: new Date('2025-01-01T00:00:00Z') } });
    expect(clock.id).toMatch(/^clock_[0-9A-Z]{26}$/);
    expect(clock).toMatchObject({ name: 'sdk', status: 'ready', status_details: {}, frozen_time: new Date('2025-01-01T00:00:00Z') });

    const customer = await tally.customers.createCustomer({ createCustomerRequest: { external_id: `sdk-clock-${clock.id}`, name: 'On a clock', test_clock_id: clock.id } });
    expect(customer.test_clock_id).toBe(clock.id);

    const advanced = await tally.testClocks.advanceTestClock({ id: clock.id, advanceTestClockRequest: { frozen_time: new Date('2025-04-01T00:00:00Z') } });
    expect(advanced).toMatchObject({ status: 'ready', frozen_time: new Date('2025-04-01T00:00:00Z') });
    await expect(tally.testClocks.advanceTestClock({ id: clock.id, advanceTestClockRequest: { frozen_time: new Date('2025-03-01T00:00:00Z') } })).rejects.toBeInstanceOf(
      TallyValidationError,
    );

    const listed = await tally.testClocks.listTestClocks({ limit: 1000 });
    expect(listed.items.map((c) => c.id)).toContain(clock.id);

    await tally.testClocks.deleteTestClock({ id: clock.id });
    await expect(tally.customers.getCustomer({ id: customer.id })).rejects.toMatchObject({ http_status_code: 404 });
  });
});
