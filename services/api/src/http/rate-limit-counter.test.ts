import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RateLimitCounter, type CounterStore } from './rate-limit-counter.ts';
import { postgresCounterStore } from './rate-limit-store.ts';

/** A clock the test moves by hand. */
function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const consumeN = (counter: RateLimitCounter, key: string, limit: number, n: number) =>
  Array.from({ length: n }, () => counter.consume(key, limit));

describe('RateLimitCounter on its own (one instance)', () => {
  it('allows exactly the limit per window, counts down remaining, then refuses until the window ends', () => {
    const time = clock();
    const counter = new RateLimitCounter(2_000, time.now);
    const results = consumeN(counter, 'k', 3, 4);
    expect(results.map((r) => [r.allowed, r.remaining])).toEqual([[true, 2], [true, 1], [true, 0], [false, 0]]);
    expect(results[3]!.msBeforeNext).toBe(2_000);
    time.advance(1_500);
    expect(counter.consume('k', 3)).toEqual({ allowed: false, remaining: 0, msBeforeNext: 500 });
    time.advance(500);
    // The window started with the first request and lasted 2 s: a new one begins.
    expect(counter.consume('k', 3)).toEqual({ allowed: true, remaining: 2, msBeforeNext: 2_000 });
  });

  it('holds a reserved point out of the shared count until it is confirmed, and gives it back on release', async () => {
    const counter = new RateLimitCounter(1_000, clock().now);
    const sent: number[][] = [];
    const store: CounterStore = async (updates) => {
      sent.push(updates.map((u) => u.points));
      return updates;
    };
    expect(counter.reserve('r', 3).remaining).toBe(2);
    expect(counter.reserve('r', 3).remaining).toBe(1);
    // Held points count here at once, but a sync while they are held sends nothing.
    await counter.sync(store);
    expect(sent).toEqual([]);
    counter.release('r');
    expect(counter.consume('r', 3).remaining).toBe(1);
    counter.confirm('r');
    await counter.sync(store);
    // The consumed point and the confirmed one; the released one never left this process.
    expect(sent).toEqual([[2]]);
    expect(counter.consume('r', 3)).toMatchObject({ allowed: true, remaining: 0 });
    expect(counter.reserve('r', 3)).toMatchObject({ allowed: false, remaining: 0 });
    // Nothing held: release and confirm change nothing, for a known or an unknown key.
    counter.release('r');
    counter.confirm('r');
    counter.release('unknown');
    expect(counter.size).toBe(1);
    await counter.sync(store);
    expect(sent).toEqual([[2], [1]]);
  });

  it('forgets windows that are over when swept', () => {
    const time = clock();
    const counter = new RateLimitCounter(1_000, time.now);
    counter.consume('old', 1);
    time.advance(600);
    counter.consume('young', 1);
    time.advance(400);
    counter.sweep();
    expect(counter.size).toBe(1);
    expect(counter.consume('young', 1).allowed).toBe(false);
    time.advance(600);
    counter.sweep();
    expect(counter.size).toBe(0);
  });

  it('keeps keys apart', () => {
    const counter = new RateLimitCounter(1_000, clock().now);
    consumeN(counter, 'a', 1, 1);
    expect(counter.consume('a', 1).allowed).toBe(false);
    expect(counter.consume('b', 1).allowed).toBe(true);
  });
});

describe('RateLimitCounter shared through a store', () => {
  it('sends only what is new, and resends what a failed sync did not deliver', async () => {
    const time = clock();
    const counter = new RateLimitCounter(1_000, time.now);
    const sent: number[][] = [];
    let fail = true;
    const store: CounterStore = async (updates) => {
      sent.push(updates.map((u) => u.points));
      if (fail) throw new Error('database down');
      return updates.map((u) => ({ ...u, points: u.points + 10 }));
    };
    consumeN(counter, 'k', 100, 3);
    await expect(counter.sync(store)).rejects.toThrow('database down');
    // While it failed, the three requests still counted.
    expect(counter.consume('k', 100).remaining).toBe(96);
    fail = false;
    await counter.sync(store);
    // The store reported 10 more from other instances: 4 + 10 used.
    expect(counter.consume('k', 100).remaining).toBe(85);
    await counter.sync(store);
    expect(sent).toEqual([[3], [4], [1]]);
  });
});

describe('postgresCounterStore on a real database (PGlite)', () => {
  let db: PGlite;
  let store: CounterStore;
  beforeAll(async () => {
    db = new PGlite();
    store = await postgresCounterStore(db);
  });
  afterAll(() => db.close());

  it('makes two instances enforce one limit once they have synced', async () => {
    const time = clock(5_000_000);
    const one = new RateLimitCounter(10_000, time.now);
    const two = new RateLimitCounter(10_000, time.now);
    expect(consumeN(one, 'shared', 10, 6).every((r) => r.allowed)).toBe(true);
    await one.sync(store);
    await two.sync(store);
    // Instance two has not counted anything yet, so it learns nothing until it sends something.
    expect(two.consume('shared', 10)).toMatchObject({ allowed: true, remaining: 9 });
    await two.sync(store);
    // Now it knows of all 7: three left between them.
    expect(consumeN(two, 'shared', 10, 4).map((r) => r.allowed)).toEqual([true, true, true, false]);
    await two.sync(store);
    await one.sync(store);
    expect(one.consume('shared', 10).allowed).toBe(true); // one has not sent since: it still believes 6 used…
    await one.sync(store);
    expect(one.consume('shared', 10).allowed).toBe(false); // …until the sync reports 11 of 10.
    const { rows } = await db.query<{ points: number; expire: string }>(`select points, expire::text as expire from rate_limits where key = 'shared'`);
    expect(rows).toEqual([{ points: 11, expire: '5010000' }]);
  });

  it('starts a new window when the stored one is over', async () => {
    const time = clock(9_000_000);
    const counter = new RateLimitCounter(1_000, time.now);
    consumeN(counter, 'rolling', 5, 5);
    await counter.sync(store);
    time.advance(1_000);
    consumeN(counter, 'rolling', 5, 2);
    await counter.sync(store);
    const { rows } = await db.query<{ points: number; expire: string }>(`select points, expire::text as expire from rate_limits where key = 'rolling'`);
    expect(rows).toEqual([{ points: 2, expire: '9002000' }]);
    expect(counter.consume('rolling', 5).remaining).toBe(2);
  });
});
