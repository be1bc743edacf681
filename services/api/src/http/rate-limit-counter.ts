/**
 * Fixed-window request counters kept in this process and, when a shared store is given, merged with
 * every other instance's counts a few times a second.
 *
 * A window starts with a key's first request and lasts `windowMs`. A request is allowed while
 * `known + pending + inFlight < limit`, where `known` is the shared total the store last reported
 * (every instance's requests), `pending` this process's requests not yet sent and `inFlight` those
 * being sent. So one instance counts exactly; several instances together may admit at most what the
 * others accepted since their last sync (one sync interval of traffic) beyond the limit.
 */
export type ConsumeResult = { allowed: boolean; remaining: number; msBeforeNext: number };

/** One key's window as sent to and returned by the shared store. */
export type CounterUpdate = { key: string; points: number; expiresAt: number };

/** Adds each key's points to the shared count of its window and returns the shared totals. */
export type CounterStore = (updates: CounterUpdate[], nowMs: number) => Promise<CounterUpdate[]>;

type Counter = { expiresAt: number; known: number; pending: number; inFlight: number };

export class RateLimitCounter {
  readonly #windowMs: number;
  readonly #now: () => number;
  readonly #counters = new Map<string, Counter>();

  constructor(windowMs: number, now: () => number = Date.now) {
    this.#windowMs = windowMs;
    this.#now = now;
  }

  /** Counts one request for `key` against `limit` if there is room left in its window. */
  consume(key: string, limit: number): ConsumeResult {
    const now = this.#now();
    let counter = this.#counters.get(key);
    if (!counter || now >= counter.expiresAt) {
      counter = { expiresAt: now + this.#windowMs, known: 0, pending: 0, inFlight: 0 };
      this.#counters.set(key, counter);
    }
    const used = counter.known + counter.pending + counter.inFlight;
    const msBeforeNext = counter.expiresAt - now;
    if (used >= limit) return { allowed: false, remaining: 0, msBeforeNext };
    counter.pending += 1;
    return { allowed: true, remaining: limit - used - 1, msBeforeNext };
  }

  /**
   * Gives back one point that `consume` took and that has not been shared yet: a reservation that
   * turned out not to count (a key that authenticated after all). Once sent, a point stays counted.
   */
  release(key: string): void {
    const counter = this.#counters.get(key);
    if (counter && counter.pending > 0) counter.pending -= 1;
  }

  /** Forgets windows that are over (without a store nothing else would: every client address would stay). */
  sweep(): void {
    const now = this.#now();
    for (const [key, counter] of this.#counters) if (now >= counter.expiresAt) this.#counters.delete(key);
  }

  /** How many windows are kept in memory. */
  get size(): number {
    return this.#counters.size;
  }

  /** Sends the counts not yet shared, takes in the shared totals, and forgets windows that are over. */
  async sync(store: CounterStore): Promise<void> {
    const now = this.#now();
    const sent = new Map<string, Counter>();
    const updates: CounterUpdate[] = [];
    for (const [key, counter] of this.#counters) {
      if (now >= counter.expiresAt) {
        this.#counters.delete(key);
        continue;
      }
      if (counter.pending === 0) continue;
      counter.inFlight = counter.pending;
      counter.pending = 0;
      sent.set(key, counter);
      updates.push({ key, points: counter.inFlight, expiresAt: counter.expiresAt });
    }
    if (updates.length === 0) return;
    try {
      for (const shared of await store(updates, now)) {
        const counter = sent.get(shared.key);
        // The window may have ended (and a new one begun) while the store answered: keep the new one.
        if (!counter || this.#counters.get(shared.key) !== counter) continue;
        counter.known = shared.points;
        counter.expiresAt = shared.expiresAt;
        counter.inFlight = 0;
      }
    } finally {
      // Whatever the store did not take (it failed) is sent again next time.
      for (const counter of sent.values()) {
        counter.pending += counter.inFlight;
        counter.inFlight = 0;
      }
    }
  }
}
