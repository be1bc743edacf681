import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../../src/auth-context.ts';
import { Transactions, type Tx } from '../../../src/db/transactions.ts';
import { CustomerService } from '../../../src/modules/customers/index.ts';
import { TestClockReader, TestClockService, type TestClockDeletionHook, type TestClockView } from '../../../src/modules/test-clocks/index.ts';
import { createCustomer, createTestClock, useTestServer } from '../../support/fixtures.ts';

/**
 * The `TestClockDeletionHook` seam: what another module (subscriptions) attaches to a clock's
 * customers is ended by its hook, in the deletion's transaction, before the customers are deleted.
 * The composition root registers the hooks; here a service is built with a fake one.
 */
const server = useTestServer({ TALLY_BILLING_WORKER: '0' });

const auth = (): AuthContext => ({ tenantId: server.bootstrap.tenantId, environmentId: server.bootstrap.defaultEnvironmentId, secretId: 'secret_test' });

function serviceWith(hook: TestClockDeletionHook): TestClockService {
  const ctx = { db: new Transactions(server.orm), clock: server.clock };
  const reader = new TestClockReader(ctx);
  const customers = new CustomerService(ctx, { testClocks: reader });
  return new TestClockService(ctx, {
    reader,
    dueWork: async () => ({ stopped: false }),
    deleteCustomers: (tx, a, id) => customers.deleteOnTestClock(tx, a, id),
    deletionHooks: [hook],
    advanceWaitMs: 0,
    onError: (err) => {
      throw err;
    },
  });
}

describe('TestClockDeletionHook', () => {
  it('runs in the deletion’s transaction, with the clock, while its customers still live', async () => {
    const clock = await createTestClock(server.api, { frozen_time: '2025-03-01T00:00:00Z' });
    const customer = await createCustomer(server.api, { test_clock_id: clock.id });
    const seen: { clock: TestClockView; customerTime: string; inTransaction: boolean }[] = [];
    const reader = new TestClockReader({ db: new Transactions(server.orm), clock: server.clock });
    const service = serviceWith(async (tx: Tx, a, view) => {
      seen.push({ clock: view, customerTime: (await reader.nowFor(tx, a, customer.id)).toISOString(), inTransaction: tx.isInTransaction() });
    });
    await service.delete(auth(), clock.id);
    expect(seen).toEqual([
      { clock: { id: clock.id, name: 'clock', frozenTime: new Date('2025-03-01T00:00:00Z'), status: 'ready', deleted: false }, customerTime: '2025-03-01T00:00:00.000Z', inTransaction: true },
    ]);
    expect((await server.api.get(`/v1/customers/${customer.id}`)).status).toBe(404);
    expect((await server.api.get(`/v1/test_clocks/${clock.id}`)).status).toBe(404);
  });

  it('refuses the deletion by throwing: nothing is deleted', async () => {
    const clock = await createTestClock(server.api);
    const customer = await createCustomer(server.api, { test_clock_id: clock.id });
    const service = serviceWith(async () => {
      throw new Error('subscriptions could not be cancelled');
    });
    await expect(service.delete(auth(), clock.id)).rejects.toThrow('subscriptions could not be cancelled');
    expect((await server.api.get(`/v1/customers/${customer.id}`)).status).toBe(200);
    expect((await server.api.get(`/v1/test_clocks/${clock.id}`)).body.status).toBe('ready');
  });
});

describe('TestClockReader', () => {
  it('gives a customer’s time: its clock’s, or the wall clock’s; 404 for a customer the environment lacks', async () => {
    const reader = new TestClockReader({ db: new Transactions(server.orm), clock: { now: () => new Date('2030-01-01T00:00:00Z') } });
    const clock = await createTestClock(server.api, { frozen_time: '2025-07-04T12:00:00Z' });
    const onClock = await createCustomer(server.api, { test_clock_id: clock.id });
    const wall = await createCustomer(server.api);
    const db = new Transactions(server.orm);
    await db.read(async (tx) => {
      expect(await reader.nowFor(tx, auth(), onClock.id)).toEqual(new Date('2025-07-04T12:00:00Z'));
      expect(await reader.nowFor(tx, auth(), { testClockId: clock.id })).toEqual(new Date('2025-07-04T12:00:00Z'));
      expect(await reader.nowFor(tx, auth(), wall.id)).toEqual(new Date('2030-01-01T00:00:00Z'));
      expect(await reader.nowFor(tx, auth(), { testClockId: null })).toEqual(new Date('2030-01-01T00:00:00Z'));
      expect(await reader.clockOf(tx, auth(), onClock.id)).toEqual({ id: clock.id, name: 'clock', frozenTime: new Date('2025-07-04T12:00:00Z'), status: 'ready', deleted: false });
      expect(await reader.clockOf(tx, auth(), wall.id)).toBeNull();
      await expect(reader.nowFor(tx, auth(), 'cust_nobody')).rejects.toMatchObject({ code: 'not_found', details: { id: 'cust_nobody' } });
      // Another environment's customer is unknown here.
      await expect(reader.nowFor(tx, { ...auth(), environmentId: 'env_other' }, onClock.id)).rejects.toMatchObject({ code: 'not_found' });
    });
    // A deleted clock's (deleted) customer still reads the clock's last time.
    expect((await server.api.delete(`/v1/test_clocks/${clock.id}`)).status).toBe(204);
    await db.read(async (tx) => {
      expect(await reader.clockOf(tx, auth(), onClock.id)).toMatchObject({ id: clock.id, deleted: true, frozenTime: new Date('2025-07-04T12:00:00Z') });
    });
  });
});
