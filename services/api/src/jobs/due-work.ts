/**
 * Due work: what falls due at an instant — a renewal at a period end, a trial end, a scheduled
 * cancellation, an invoice to finalize — found in Tally's own tables and done by handlers that
 * the billing modules register. One runner drives them two ways: the billing worker at the wall
 * clock's now for every customer not on a test clock, and a test clock's advance instant by instant
 * for that clock's customers. docs/development/due-work.md says what a handler must guarantee.
 */

/**
 * Whose work a run covers. `testClockId: null`: every customer that is not on a test clock (the
 * billing worker's scope); a clock's id: only that clock's customers. `tenantId` and
 * `environmentId`, when given, narrow the run to one environment (a clock's scope always has them).
 */
export type DueScope = { testClockId: string | null; tenantId?: string; environmentId?: string };

export interface DueWork {
  readonly name: string;
  /** The earliest instant ≤ until at which this handler has work in the scope, or null. */
  nextDue(scope: DueScope, until: Date): Promise<Date | null>;
  /** Does everything due at or before `at` in the scope (each item in its own transaction, rows claimed with FOR UPDATE SKIP LOCKED); returns how many items it processed. */
  runDue(scope: DueScope, at: Date): Promise<number>;
}

/** What the caller of {@link DueWorkRunner.advance} hears, and may say, on the way. */
export type AdvanceHooks = {
  /** Called before the handlers run at `at`: each instant once, in chronological order (a test clock moves its time here). */
  onInstant?(at: Date): Promise<void>;
  /** Asked before each instant; true ends the advance there (it resolves with `stopped: true`). */
  shouldStop?(): boolean;
};

export type AdvanceResult = {
  /** Distinct instants at which the handlers ran. */
  instants: number;
  /** Items the handlers processed, over every instant. */
  processed: number;
  /** Ended early by `shouldStop`. */
  stopped: boolean;
};

export type DueWorkFailureKind = 'failed' | 'stuck' | 'runaway';

/**
 * Due work could not be done at `at`. `failed`: handlers threw (`causes`, one per handler named in
 * `work`); `stuck`: handlers reported work due at `at` that their `runDue` did not process (it would
 * be reported again forever); `runaway`: more instants or rounds than the runner allows. The message
 * names the handlers and the instant, never a cause's own text (that goes to the log).
 */
export class DueWorkError extends Error {
  readonly kind: DueWorkFailureKind;
  readonly work: readonly string[];
  readonly at: Date;
  readonly causes: readonly unknown[];

  constructor(kind: DueWorkFailureKind, work: readonly string[], at: Date, message: string, causes: readonly unknown[] = []) {
    super(message, causes.length ? { cause: causes.length === 1 ? causes[0] : new AggregateError(causes) } : undefined);
    this.name = 'DueWorkError';
    this.kind = kind;
    this.work = work;
    this.at = at;
    this.causes = causes;
  }
}

export type DueWorkRunnerOptions = {
  /** Distinct instants one `advance` may run before it gives up as a runaway (default 100,000). */
  maxInstants?: number;
  /** Rounds of every handler at one instant (work done at an instant may make more due then) before a runaway (default 100). */
  maxRoundsPerInstant?: number;
};

const names = (works: readonly DueWork[]) => works.map((w) => `'${w.name}'`).join(', ');

/**
 * The registry of due-work handlers and the two ways of running them. Handlers run one after the
 * other, in the order they were registered, never two at once within one run.
 */
export class DueWorkRunner {
  readonly #works: DueWork[] = [];
  readonly #maxInstants: number;
  readonly #maxRounds: number;

  constructor(options: DueWorkRunnerOptions = {}) {
    this.#maxInstants = options.maxInstants ?? 100_000;
    this.#maxRounds = options.maxRoundsPerInstant ?? 100;
  }

  /** Adds a handler; its name must be new. */
  register(work: DueWork): void {
    if (this.#works.some((w) => w.name === work.name)) throw new Error(`due work '${work.name}' is already registered`);
    this.#works.push(work);
  }

  get registered(): readonly string[] {
    return this.#works.map((w) => w.name);
  }

  /**
   * Everything due at or before `at` in the scope: every handler, round after round, until a round
   * processes nothing. A handler that throws is left out of the later rounds, the others carry on,
   * and the call then rejects with a `failed` {@link DueWorkError}. Returns the items processed.
   */
  async runDueNow(scope: DueScope, at: Date): Promise<number> {
    const failures = new Map<string, unknown>();
    let total = 0;
    for (let round = 1; ; round++) {
      if (round > this.#maxRounds) throw this.#runawayRounds(at);
      const processed = await this.#round(scope, at, failures);
      total += processed;
      if (processed === 0) break;
    }
    if (failures.size) throw failed(failures, at);
    return total;
  }

  /**
   * Runs the scope's due work up to `to`, in chronological order: take the earliest instant ≤ `to`
   * at which any handler has work, run every handler at it (as `runDueNow` does, one round), and
   * again, until nothing is due at or before `to`. An instant earlier than one already run (work
   * made past due by later work) runs at the later one: time never goes back. Rejects with a
   * {@link DueWorkError} when a handler throws (after the round's other handlers ran), when due work
   * is not processed (`stuck`), or past the runner's bounds (`runaway`); what was done before stays
   * done.
   */
  async advance(scope: DueScope, to: Date, hooks: AdvanceHooks = {}): Promise<AdvanceResult> {
    let instants = 0;
    let processed = 0;
    let last: Date | undefined;
    let roundsAtLast = 0;
    for (;;) {
      if (hooks.shouldStop?.()) return { instants, processed, stopped: true };
      const { next, due } = await this.#earliest(scope, to);
      if (!next) return { instants, processed, stopped: false };
      const at = last && next.getTime() <= last.getTime() ? last : next;
      if (at === last) {
        if (++roundsAtLast >= this.#maxRounds) throw this.#runawayRounds(at);
      } else {
        roundsAtLast = 0;
        if (++instants > this.#maxInstants) {
          throw new DueWorkError('runaway', this.registered, at, `due work ran at more than ${this.#maxInstants} instants before ${to.toISOString()}; stopped at ${at.toISOString()}`);
        }
        await hooks.onInstant?.(at);
      }
      const failures = new Map<string, unknown>();
      const done = await this.#round(scope, at, failures);
      if (failures.size) throw failed(failures, at);
      if (done === 0) {
        throw new DueWorkError('stuck', due.map((w) => w.name), at, `due work ${names(due)} reported work due at ${next.toISOString()} that it did not process at ${at.toISOString()}`);
      }
      processed += done;
      last = at;
    }
  }

  /** Every handler once at `at`, skipping those that failed earlier in the call; failures are collected, not thrown. */
  async #round(scope: DueScope, at: Date, failures: Map<string, unknown>): Promise<number> {
    let processed = 0;
    for (const work of this.#works) {
      if (failures.has(work.name)) continue;
      try {
        processed += await work.runDue(scope, at);
      } catch (err) {
        failures.set(work.name, err);
      }
    }
    return processed;
  }

  /** The earliest instant ≤ until over every handler, and the handlers due then. An answer after `until` is ignored. */
  async #earliest(scope: DueScope, until: Date): Promise<{ next: Date | null; due: DueWork[] }> {
    let next: Date | null = null;
    let due: DueWork[] = [];
    for (const work of this.#works) {
      let at: Date | null;
      try {
        at = await work.nextDue(scope, until);
      } catch (err) {
        throw failed(new Map([[work.name, err]]), until, 'looking for work due up to');
      }
      if (!at || at.getTime() > until.getTime()) continue;
      if (!next || at.getTime() < next.getTime()) {
        next = at;
        due = [work];
      } else if (at.getTime() === next.getTime()) due.push(work);
    }
    return { next, due };
  }

  #runawayRounds(at: Date): DueWorkError {
    return new DueWorkError('runaway', this.registered, at, `due work was still finding work due at ${at.toISOString()} after ${this.#maxRounds} rounds`);
  }
}

/** `doing`: what the handlers failed at (`at` follows it in the message). */
function failed(failures: Map<string, unknown>, at: Date, doing = 'at'): DueWorkError {
  const work = [...failures.keys()];
  const list = work.map((n) => `'${n}'`).join(', ');
  return new DueWorkError('failed', work, at, `due work ${list} failed ${doing} ${at.toISOString()}`, [...failures.values()]);
}
