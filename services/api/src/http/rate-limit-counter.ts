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

/**
 * `known`: the shared total; `pending`: counted here, not yet sent; `inFlight`: being sent; `held`:
 * reserved here and never sent until confirmed (a failed attempt that may turn out not to be one).
 */
type Counter = { expiresAt: number; known: number; pending: number; inFlight: number; held: number };

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
    return this.#take(key, limit, 'pending');
  }

  /**
   * Holds one point for `key` as `consume` would count it, but keeps it out of the shared count until
   * `confirm`; `release` gives it back. For an attempt whose outcome is not known yet (a key being
   * looked up): concurrent attempts cannot all slip through, and one that does not count never
   * reaches the store, however long its outcome takes.
   */
  reserve(key: string, limit: number): ConsumeResult {
    return this.#take(key, limit, 'held');
  }

  /** Turns a point `reserve` held into a counted one (shared with the next sync). */
  confirm(key: string): void {
    const counter = this.#counters.get(key);
    if (counter && counter.held > 0) {
      counter.held -= 1;
      counter.pending += 1;
    }
  }

  /** Gives back a point `reserve` held. */
  release(key: string): void {
    const counter = this.#counters.get(key);
    if (counter && counter.held > 0) counter.held -= 1;
  }

  #take(key: string, limit: number, into: 'pending' | 'held'): ConsumeResult {
    const now = this.#now();
    let counter = this.#counters.get(key);
    if (!counter || now >= counter.expiresAt) {
      counter = { expiresAt: now + this.#windowMs, known: 0, pending: 0, inFlight: 0, held: 0 };
      this.#counters.set(key, counter);
    }
    const used = counter.known + counter.pending + counter.inFlight + counter.held;
    const msBeforeNext = counter.expiresAt - now;
    if (used >= limit) return { allowed: false, remaining: 0, msBeforeNext };
    counter[into] += 1;
    return { allowed: true, remaining: limit - used - 1, msBeforeNext };
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
