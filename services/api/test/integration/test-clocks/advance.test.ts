import { describe, expect, it } from 'vitest';
import type { AuthContext } from '../../../src/auth-context.ts';
import { boundQuery, Transactions } from '../../../src/db/transactions.ts';
import type { DueScope, DueWork } from '../../../src/jobs/due-work.ts';
import type { Services } from '../../../src/services.ts';
import { createCustomer, createTestClock, expectRefused, unique, useTestServer } from '../../support/fixtures.ts';

/**
 * `POST /test_clocks/{id}/advance` end to end, with fake due work registered through the test
 * server's hook: an in-memory list of items per customer ("renewals" and the "invoices" they make),
 * which records, for every item it runs, the instant and what `nowFor` said the customer's time was.
 */

type Item = { customerId: string; testClockId: string | null; at: Date; label: string };
type Ran = { label: string; at: string; now: string };

const auth = (): AuthContext => ({ tenantId: server.bootstrap.tenantId, environmentId: server.bootstrap.defaultEnvironmentId, secretId: 'system' });
const inScope = (item: Item, scope: DueScope) => item.testClockId === scope.testClockId;

/** Items in memory; `then` may make more work (for this handler or another) when an item runs. */
class FakeWork implements DueWork {
  readonly name: string;
  readonly items: (Item & { then?: (item: Item) => void })[] = [];
  readonly ran: Ran[] = [];
  /** Set to make the handler throw when it runs an item with this label. */
  failOn: string | undefined;
  /** Set to hold the handler, inside runDue, until the promise settles. */
  gate: Promise<void> | undefined;
  #services: Services | undefined;

  constructor(name: string) {
    this.name = name;
  }

  attach(services: Services): this {
    this.#services = services;
    return this;
  }

  add(item: Item, then?: (item: Item) => void): void {
    this.items.push({ ...item, then });
  }

  async nextDue(scope: DueScope, until: Date): Promise<Date | null> {
    const due = this.items.filter((i) => inScope(i, scope) && i.at <= until).map((i) => i.at.getTime());
    return due.length ? new Date(Math.min(...due)) : null;
  }

  async runDue(scope: DueScope, at: Date): Promise<number> {
    const due = this.items.filter((i) => inScope(i, scope) && i.at <= at).sort((a, b) => a.at.getTime() - b.at.getTime());
    for (const item of due) {
      await this.gate;
      if (this.failOn === item.label) throw new Error(`fake failure on ${item.label}`);
      const now = await new Transactions(server.orm).read((tx) => this.#services!.testClocks.nowFor(tx, auth(), item.customerId));
      this.items.splice(this.items.indexOf(item), 1);
      this.ran.push({ label: item.label, at: at.toISOString(), now: now.toISOString() });
      item.then?.(item);
    }
    return due.length;
  }
}

/** Registered first: it finalizes what renewals make due at the same instant, in the next round. */
const invoices = new FakeWork('fake-invoices');
const renewals = new FakeWork('fake-renewals');
/** Reports work it never does, when `due` is set. */
const stuck: DueWork & { due: Date | null; scopeId: string | null } = {
  name: 'fake-stuck',
  due: null,
  scopeId: null,
  nextDue: async (scope, until) => (stuck.due && scope.testClockId === stuck.scopeId && stuck.due <= until ? stuck.due : null),
  runDue: async () => 0,
};

const server = useTestServer(
  { TALLY_BILLING_WORKER: '0', TALLY_TEST_CLOCK_ADVANCE_WAIT_SECONDS: '3' },
  { dueWork: (services) => [invoices.attach(services), renewals.attach(services), stuck] },
);

const iso = (s: string) => new Date(s).toISOString();
const addMonth = (d: Date) => {
  const next = new Date(d);
  next.setUTCMonth(next.getUTCMonth() + 1);
  return next;
};

/** A monthly renewal from `first` on, each making an invoice due at its own instant. */
function subscribe(customerId: string, testClockId: string | null, first: string, label: string): void {
  const renew = (at: Date): void =>
    renewals.add({ customerId, testClockId, at, label: `${label} renewal ${at.toISOString().slice(0, 10)}` }, (item) => {
      invoices.add({ customerId, testClockId, at: item.at, label: `${label} invoice ${item.at.toISOString().slice(0, 10)}` });
      renew(addMonth(item.at));
    });
  renew(new Date(first));
}

const advance = (id: string, frozenTime: string, headers?: Record<string, string>) => server.api.post(`/v1/test_clocks/${id}/advance`, { frozen_time: frozenTime }, headers);

/**
 * Advances and, when the answer is still `advancing` (the 3 s wait ran out on a loaded machine),
 * reads the clock until it is `ready` again: the clock as it is once its due work has run.
 */
async function advanceUntilReady(id: string, frozenTime: string): Promise<any> {
  const res = await advance(id, frozenTime);
  expect(res.status).toBe(200);
  let body = res.body;
  for (let i = 0; body.status === 'advancing' && i < 600; i++) {
    await new Promise((r) => setTimeout(r, 100));
    body = (await server.api.get(`/v1/test_clocks/${id}`)).body;
  }
  return body;
}

describe('advancing a test clock', () => {
  it('with nothing due, answers ready at the new time', async () => {
    const clock = await createTestClock(server.api, { frozen_time: '2025-01-01T00:00:00Z' });
    const res = await advance(clock.id, '2025-02-01T00:00:00Z');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: clock.id, status: 'ready', status_details: {}, frozen_time: iso('2025-02-01T00:00:00Z') });
    expect(Date.parse(res.body.updated_at)).toBeGreaterThanOrEqual(Date.parse(clock.updated_at));
    expect((await server.api.get(`/v1/test_clocks/${clock.id}`)).body).toEqual(res.body);
  });

  it('runs its customers’ due work instant by instant, in order, each at that instant’s time, and nobody else’s', async () => {
    const clock = await createTestClock(server.api, { frozen_time: '2025-01-15T00:00:00Z' });
    const other = await createTestClock(server.api, { frozen_time: '2025-01-15T00:00:00Z' });
    const a = await createCustomer(server.api, { test_clock_id: clock.id });
    const b = await createCustomer(server.api, { test_clock_id: clock.id });
    const elsewhere = await createCustomer(server.api, { test_clock_id: other.id });
    const wall = await createCustomer(server.api);
    subscribe(a.id, clock.id, '2025-02-01T00:00:00Z', 'A');
    subscribe(b.id, clock.id, '2025-01-20T00:00:00Z', 'B');
    subscribe(elsewhere.id, other.id, '2025-02-01T00:00:00Z', 'X');
    subscribe(wall.id, null, '2025-02-01T00:00:00Z', 'W');
    renewals.ran.length = invoices.ran.length = 0;

    expect(await advanceUntilReady(clock.id, '2025-04-10T00:00:00Z')).toMatchObject({ status: 'ready', frozen_time: iso('2025-04-10T00:00:00Z') });

    // Each renewal at its own instant, the customer's time being that instant; its invoice in the
    // next round at the same instant; three months caught up, nothing after the target.
    const run = (label: string, at: string) => ({ label, at: iso(at), now: iso(at) });
    expect(renewals.ran).toEqual([
      run('B renewal 2025-01-20', '2025-01-20T00:00:00Z'),
      run('A renewal 2025-02-01', '2025-02-01T00:00:00Z'),
      run('B renewal 2025-02-20', '2025-02-20T00:00:00Z'),
      run('A renewal 2025-03-01', '2025-03-01T00:00:00Z'),
      run('B renewal 2025-03-20', '2025-03-20T00:00:00Z'),
      run('A renewal 2025-04-01', '2025-04-01T00:00:00Z'),
    ]);
    expect(invoices.ran).toEqual(renewals.ran.map((r) => ({ ...r, label: r.label.replace('renewal', 'invoice') })));
    // The other clock's customer and the wall clock's are untouched; the next renewals wait.
    expect(renewals.items.filter((i) => i.testClockId !== clock.id).map((i) => i.label).sort()).toEqual(['W renewal 2025-02-01', 'X renewal 2025-02-01']);
    expect(renewals.items.filter((i) => i.testClockId === clock.id).map((i) => i.label).sort()).toEqual(['A renewal 2025-05-01', 'B renewal 2025-04-20']);
    expect((await server.api.get(`/v1/test_clocks/${other.id}`)).body.frozen_time).toBe(iso('2025-01-15T00:00:00Z'));
  });

  it('runs past-due work first, at the clock’s own time: a clock never goes back', async () => {
    const clock = await createTestClock(server.api, { frozen_time: '2025-06-01T00:00:00Z' });
    const c = await createCustomer(server.api, { test_clock_id: clock.id });
    renewals.add({ customerId: c.id, testClockId: clock.id, at: new Date('2025-05-01T00:00:00Z'), label: 'late' });
    renewals.ran.length = 0;
    expect((await advanceUntilReady(clock.id, '2025-06-02T00:00:00Z')).status).toBe('ready');
    expect(renewals.ran).toEqual([{ label: 'late', at: iso('2025-05-01T00:00:00Z'), now: iso('2025-06-01T00:00:00Z') }]);
  });

  it('refuses to go back or stay, naming frozen_time, and changes nothing', async () => {
    const clock = await createTestClock(server.api, { frozen_time: '2025-03-01T00:00:00Z' });
    const state = async () => (await server.api.get(`/v1/test_clocks/${clock.id}`)).body;
    for (const frozenTime of ['2025-02-28T23:59:59Z', '2025-03-01T00:00:00Z']) {
      const body = await expectRefused(server.api, { path: `/v1/test_clocks/${clock.id}/advance`, body: { frozen_time: frozenTime } }, { code: 'validation_error', fields: ['frozen_time'] }, state);
      expect(body.details.frozen_time).toBe("must be later than the clock's frozen_time 2025-03-01T00:00:00.000Z (a clock only moves forward)");
    }
    await expectRefused(server.api, { path: `/v1/test_clocks/${clock.id}/advance`, body: { frozen_time: '10000-01-01T00:00:00Z' } }, { code: 'validation_error', fields: ['frozen_time'] }, state);
    await expectRefused(server.api, { path: `/v1/test_clocks/${clock.id}/advance`, body: {} }, { code: 'validation_error', fields: ['frozen_time'] }, state);
  });

  it('answers advancing after the wait and goes on in the background; meanwhile a second advance and a delete are 409', async () => {
    const clock = await createTestClock(server.api, { frozen_time: '2025-01-01T00:00:00Z' });
    const c = await createCustomer(server.api, { test_clock_id: clock.id });
    subscribe(c.id, clock.id, '2025-02-01T00:00:00Z', 'slow');
    let release!: () => void;
    renewals.gate = new Promise((resolve) => (release = resolve));
    try {
      const res = await advance(clock.id, '2025-03-15T00:00:00Z');
      expect(res.status).toBe(200);
      // Held at its first instant: the clock shows how far it got and where it goes.
      const advancing = {
        status: 'advancing',
        frozen_time: iso('2025-02-01T00:00:00Z'),
        status_details: { advancing: { target_frozen_time: iso('2025-03-15T00:00:00Z') } },
      };
      expect(res.body).toMatchObject(advancing);
      expect((await server.api.get(`/v1/test_clocks/${clock.id}`)).body).toMatchObject(advancing);
      const list = await server.api.get('/v1/test_clocks?limit=1000');
      expect(list.body.items.find((i: { id: string }) => i.id === clock.id)).toMatchObject(advancing);

      const again = await advance(clock.id, '2025-04-01T00:00:00Z');
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ code: 'version_conflict', details: { id: clock.id, status: 'advancing' } });
      expect(again.body.message).toBe(`Test clock ${clock.id} is advancing to 2025-03-15T00:00:00.000Z; wait until its status is ready`);
      expect((await server.api.delete(`/v1/test_clocks/${clock.id}`)).status).toBe(409);
    } finally {
      release();
      renewals.gate = undefined;
    }
    await server.testClocks.settled();
    expect((await server.api.get(`/v1/test_clocks/${clock.id}`)).body).toMatchObject({ status: 'ready', status_details: {}, frozen_time: iso('2025-03-15T00:00:00Z') });
    expect(renewals.ran.filter((r) => r.label.startsWith('slow')).map((r) => r.label)).toEqual(['slow renewal 2025-02-01', 'slow renewal 2025-03-01']);
  });

  it('stops at a failing instant with internal_failure, and a new advance retries from there without redoing what was done', async () => {
    const clock = await createTestClock(server.api, { frozen_time: '2025-01-01T00:00:00Z' });
    const c = await createCustomer(server.api, { test_clock_id: clock.id });
    subscribe(c.id, clock.id, '2025-02-01T00:00:00Z', 'flaky');
    invoices.failOn = 'flaky invoice 2025-03-01';
    try {
      const res = await advance(clock.id, '2025-05-15T00:00:00Z');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        status: 'internal_failure',
        frozen_time: iso('2025-03-01T00:00:00Z'),
        status_details: {
          internal_failure: {
            target_frozen_time: iso('2025-05-15T00:00:00Z'),
            failed_at: iso('2025-03-01T00:00:00Z'),
            message: "due work 'fake-invoices' failed at 2025-03-01T00:00:00.000Z",
          },
        },
      });
      // Still only forward from where it stopped.
      expect((await advance(clock.id, '2025-02-01T00:00:00Z')).status).toBe(400);
    } finally {
      invoices.failOn = undefined;
    }
    const retry = await advance(clock.id, '2025-03-01T00:00:00Z'); // its current time: allowed after a failure
    expect(retry.body).toMatchObject({ status: 'ready', status_details: {}, frozen_time: iso('2025-03-01T00:00:00Z') });
    const done = await advance(clock.id, '2025-05-15T00:00:00Z');
    expect(done.body).toMatchObject({ status: 'ready', frozen_time: iso('2025-05-15T00:00:00Z') });
    const labels = [...renewals.ran, ...invoices.ran].filter((r) => r.label.startsWith('flaky')).map((r) => r.label).sort();
    expect(labels).toEqual([
      'flaky invoice 2025-02-01',
      'flaky invoice 2025-03-01',
      'flaky invoice 2025-04-01',
      'flaky invoice 2025-05-01',
      'flaky renewal 2025-02-01',
      'flaky renewal 2025-03-01',
      'flaky renewal 2025-04-01',
      'flaky renewal 2025-05-01',
    ]);
    // Ready again at the same time: the current time is no longer a valid target.
    expect((await advance(clock.id, '2025-05-15T00:00:00Z')).status).toBe(400);
  });

  it('reports due work that is never done as internal_failure instead of looping', async () => {
    const clock = await createTestClock(server.api, { frozen_time: '2025-01-01T00:00:00Z' });
    stuck.scopeId = clock.id;
    stuck.due = new Date('2025-01-10T00:00:00Z');
    try {
      const res = await advance(clock.id, '2025-02-01T00:00:00Z');
      expect(res.body).toMatchObject({
        status: 'internal_failure',
        frozen_time: iso('2025-01-10T00:00:00Z'),
        status_details: {
          internal_failure: {
            failed_at: iso('2025-01-10T00:00:00Z'),
            message: "due work 'fake-stuck' reported work due at 2025-01-10T00:00:00.000Z that it did not process at 2025-01-10T00:00:00.000Z",
          },
        },
      });
      // A clock that failed may be deleted.
      expect((await server.api.delete(`/v1/test_clocks/${clock.id}`)).status).toBe(204);
    } finally {
      stuck.due = null;
    }
  });

  it('with an Idempotency-Key, advances once and replays the first answer', async () => {
    const clock = await createTestClock(server.api, { frozen_time: '2025-01-01T00:00:00Z' });
    const c = await createCustomer(server.api, { test_clock_id: clock.id });
    renewals.add({ customerId: c.id, testClockId: clock.id, at: new Date('2025-01-05T00:00:00Z'), label: 'once' });
    const key = { 'Idempotency-Key': unique('advance') };
    const first = await advance(clock.id, '2025-01-10T00:00:00Z', key);
    expect(first.body).toMatchObject({ status: 'ready', frozen_time: iso('2025-01-10T00:00:00Z') });
    const retry = await advance(clock.id, '2025-01-10T00:00:00Z', key);
    expect(retry.status).toBe(200);
    expect(retry.headers.get('Idempotent-Replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(renewals.ran.filter((r) => r.label === 'once')).toHaveLength(1);
  });
});

describe('an advance whose process died', () => {
  /** Leaves the clock as a crashed process would: advancing towards `target`, its lease held until `leaseUntil`. */
  const abandon = (id: string, target: string, leaseUntil: Date | null) =>
    new Transactions(server.orm).run((tx) =>
      boundQuery(tx, `update test_clocks set clock_status = 'advancing', advance_target = $2::timestamptz, advance_token = 'dead', lease_until = $3::timestamptz where id = $1`, [
        id,
        target,
        leaseUntil?.toISOString() ?? null,
      ]),
    );

  it('is taken over by the billing worker once its lease runs out, and finished', async () => {
    const clock = await createTestClock(server.api, { frozen_time: '2025-01-01T00:00:00Z' });
    const c = await createCustomer(server.api, { test_clock_id: clock.id });
    renewals.add({ customerId: c.id, testClockId: clock.id, at: new Date('2025-01-20T00:00:00Z'), label: 'resumed' });
    const now = server.clock.now();
    await abandon(clock.id, '2025-02-01T00:00:00Z', new Date(now.getTime() + 60_000));

    // Its lease still runs: nobody takes it over.
    expect((await server.billing.tick()).resumedAdvances).toBe(0);
    expect((await server.api.get(`/v1/test_clocks/${clock.id}`)).body.status).toBe('advancing');

    server.clock.advance(61_000);
    try {
      expect((await server.billing.tick()).resumedAdvances).toBe(1);
      await server.testClocks.settled();
    } finally {
      server.clock.advance(-61_000);
    }
    expect((await server.api.get(`/v1/test_clocks/${clock.id}`)).body).toMatchObject({ status: 'ready', frozen_time: iso('2025-02-01T00:00:00Z') });
    expect(renewals.ran.filter((r) => r.label === 'resumed')).toEqual([{ label: 'resumed', at: iso('2025-01-20T00:00:00Z'), now: iso('2025-01-20T00:00:00Z') }]);
  });
});

describe('the billing worker', () => {
  it('runs the due work of customers on no test clock at the server’s time, and leaves test clocks’ customers alone', async () => {
    const clock = await createTestClock(server.api, { frozen_time: '2020-01-01T00:00:00Z' });
    const onClock = await createCustomer(server.api, { test_clock_id: clock.id });
    const wall = await createCustomer(server.api);
    const now = new Date(Math.floor(Date.now() / 1000) * 1000);
    server.clock.freeze(now);
    renewals.add({ customerId: wall.id, testClockId: null, at: new Date(now.getTime() - 86_400_000), label: 'wall due' });
    renewals.add({ customerId: wall.id, testClockId: null, at: now, label: 'wall due now' });
    renewals.add({ customerId: wall.id, testClockId: null, at: new Date(now.getTime() + 1), label: 'wall later' });
    renewals.add({ customerId: onClock.id, testClockId: clock.id, at: new Date('2019-01-01T00:00:00Z'), label: 'clock due' });
    const tick = await server.billing.tick();
    server.clock.freeze(new Date());
    expect(tick.processed).toBeGreaterThanOrEqual(1);
    const labels = renewals.ran.map((r) => r.label);
    expect(labels).toEqual(expect.arrayContaining(['wall due', 'wall due now']));
    expect(labels).not.toContain('wall later');
    expect(labels).not.toContain('clock due');
    // The worker runs at the server's time, which is a wall-clock customer's time.
    expect(renewals.ran.find((r) => r.label === 'wall due')).toEqual({ label: 'wall due', at: now.toISOString(), now: now.toISOString() });
  });
});
