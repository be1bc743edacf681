import type { AuthContext } from '../../auth-context.ts';
import type { PageOf } from '../../db/find-page.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields } from '../../errors/app-error.ts';
import { orNotFound } from '../../errors/not-found.ts';
import { newId, ulid } from '../../ids.ts';
import type { ListQuery } from '../../listing/list-query.ts';
import { newRecord, touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import type { NewTestClock } from './test-clock.convert.ts';
import type { TestClock } from './test-clock.entity.ts';
import type { CustomerTime, TestClockReader, TestClockView } from './test-clock.reader.ts';
import { TestClockRepo, type AdvanceClaim } from './test-clock.repo.ts';

/** The due work of one clock's customers. */
export type ClockScope = { testClockId: string; tenantId: string; environmentId: string };

/** What an advance tells the due-work runner, and hears from it. */
export type ClockAdvanceHooks = {
  /** The runner is about to run the work due at `at`: the clock moves there (never backwards). */
  onInstant(at: Date): Promise<void>;
  /** True when this process must stop advancing (it is shutting down, or another process took the advance over). */
  shouldStop(): boolean;
};

/**
 * Runs a clock's due work, instant by instant, up to `to` (the composition root passes the due-work
 * runner's `advance`). Resolves when done or stopped; rejects when due work failed (a `DueWorkError`,
 * whose message names the work and the instant, is shown on the clock; any other error is only logged).
 */
export type ClockDueWork = (scope: ClockScope, to: Date, hooks: ClockAdvanceHooks) => Promise<{ stopped: boolean }>;

/**
 * What another module attached to a clock's customers and ends when the clock is deleted (a
 * subscription is cancelled), in the deletion's transaction, before the customers are deleted.
 * Registered at the composition root; throwing refuses the deletion.
 */
export type TestClockDeletionHook = (tx: Tx, auth: AuthContext, clock: TestClockView) => Promise<void>;

export type TestClockServiceOptions = {
  reader: TestClockReader;
  dueWork: ClockDueWork;
  /** Deletes the clock's live customers (the customers module's), after every hook; returns how many. */
  deleteCustomers: (tx: Tx, auth: AuthContext, testClockId: string) => Promise<number>;
  deletionHooks?: TestClockDeletionHook[];
  /** How long an advance request waits for its due work before answering `advancing` (0: never waits). */
  advanceWaitMs: number;
  /** How long an advance stays this process's without a sign of life before another may take it over. */
  leaseMs?: number;
  onError: (err: unknown, what: string) => void;
};

const defaultLeaseMs = 60_000;
/** Abandoned advances taken over per look (each then runs in the background). */
const resumeBatch = 10;

/** The claim was taken over by another process: this one stops without touching the clock. */
class LostClaim extends Error {}

/**
 * What a failed advance records: which work failed when (a due-work failure's own message names
 * them), never an error's own text (that goes to the log).
 */
function failureMessageOf(err: unknown): string {
  return err instanceof Error && err.name === 'DueWorkError' ? err.message : 'the advance failed; the server log has the error';
}

function sleep(ms: number): { promise: Promise<void>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

/**
 * Test clocks: create, read, list, delete, and advance — which runs the clock's due work in this
 * process, in the background, fenced by a token and a lease so that exactly one process advances a
 * clock at a time and a dead process's advance is taken over (`resumeAbandoned`, called by the
 * billing worker).
 */
export class TestClockService {
  readonly #ctx: ServiceContext;
  readonly #repo = new TestClockRepo();
  readonly #options: TestClockServiceOptions;
  readonly #leaseMs: number;
  readonly #running = new Map<string, Promise<void>>();
  #stopping = false;

  constructor(ctx: ServiceContext, options: TestClockServiceOptions) {
    this.#ctx = ctx;
    this.#options = options;
    this.#leaseMs = options.leaseMs ?? defaultLeaseMs;
  }

  /** Time for a customer (see {@link TestClockReader.nowFor}). */
  nowFor(tx: Tx, auth: AuthContext, customer: string | CustomerTime): Promise<Date> {
    return this.#options.reader.nowFor(tx, auth, customer);
  }

  /** The clock a customer lives on (see {@link TestClockReader.clockOf}). */
  clockOf(tx: Tx, auth: AuthContext, customer: string | CustomerTime): Promise<TestClockView | null> {
    return this.#options.reader.clockOf(tx, auth, customer);
  }

  create(auth: AuthContext, input: NewTestClock): Promise<TestClock> {
    return this.#ctx.db.run(async (tx) => {
      await this.#options.reader.requireDevelopment(tx, auth);
      return this.#repo.add(tx, { id: newId('testClock'), name: input.name, frozenTime: input.frozenTime, clockStatus: 'ready', ...newRecord(auth, this.#ctx.clock.now()) });
    });
  }

  get(auth: AuthContext, id: string): Promise<TestClock> {
    return this.#ctx.db.read(async (tx) => orNotFound(await this.#repo.findLive(tx, auth, id), 'Test clock', 'id', id));
  }

  list(auth: AuthContext, query: ListQuery): Promise<PageOf<TestClock>> {
    return this.#ctx.db.read((tx) => this.#repo.page(tx, auth, query));
  }

  /**
   * Deletes the clock and what is attached to it, all in one transaction: the deletion hooks
   * (subscriptions cancel theirs), then the clock's customers, then the clock. Not while it advances.
   */
  async delete(auth: AuthContext, id: string): Promise<void> {
    await this.#ctx.db.run(async (tx) => {
      const clock = orNotFound(await this.#repo.lockLive(tx, auth, id), 'Test clock', 'id', id);
      if (clock.clockStatus === 'advancing') throw this.#advancing(clock);
      const view: TestClockView = { id: clock.id, name: clock.name, frozenTime: clock.frozenTime, status: clock.clockStatus, deleted: false };
      for (const hook of this.#options.deletionHooks ?? []) await hook(tx, auth, view);
      await this.#options.deleteCustomers(tx, auth, clock.id);
      clock.status = 'deleted';
      touch(clock, auth, this.#ctx.clock.now());
    });
  }

  /**
   * Moves the clock forward to `target`, running its customers' due work on the way. The claim
   * (status `advancing`) commits first, on its own; the work then runs in the background and this
   * answers when it is done or after the configured wait, whichever comes first — the clock as it
   * is then (`ready` at `target`, `advancing`, or `internal_failure`).
   */
  async advance(auth: AuthContext, id: string, target: Date): Promise<TestClock> {
    const claim = await this.#ctx.db.run(async (tx) => {
      await this.#options.reader.requireDevelopment(tx, auth);
      const clock = orNotFound(await this.#repo.lockLive(tx, auth, id), 'Test clock', 'id', id);
      if (clock.clockStatus === 'advancing') throw this.#advancing(clock);
      const retry = clock.clockStatus === 'internal_failure' && target.getTime() === clock.frozenTime.getTime();
      if (target.getTime() <= clock.frozenTime.getTime() && !retry) {
        throw invalidFields({ frozen_time: `must be later than the clock's frozen_time ${clock.frozenTime.toISOString()} (a clock only moves forward)` });
      }
      const now = this.#ctx.clock.now();
      Object.assign(clock, {
        clockStatus: 'advancing',
        advanceTarget: target,
        advanceToken: ulid(),
        leaseUntil: new Date(now.getTime() + this.#leaseMs),
        failedAt: null,
        failureMessage: null,
      });
      touch(clock, auth, now);
      return { id: clock.id, tenantId: clock.tenantId, environmentId: clock.environmentId, target, token: clock.advanceToken as string } satisfies AdvanceClaim;
    });
    const done = this.#launch(claim);
    if (this.#options.advanceWaitMs > 0) {
      const wait = sleep(this.#options.advanceWaitMs);
      await Promise.race([done, wait.promise]);
      wait.cancel();
    }
    return this.get(auth, id);
  }

  /**
   * Takes over advances whose process died (their lease ran out) or stopped (handed back), and runs
   * them on in the background. Returns how many it took. The billing worker calls it on every poll.
   */
  async resumeAbandoned(): Promise<number> {
    if (this.#stopping) return 0;
    const now = this.#ctx.clock.now();
    const claims = await this.#ctx.db.run((tx) => this.#repo.claimAbandoned(tx, ulid(), now, new Date(now.getTime() + this.#leaseMs), resumeBatch));
    for (const claim of claims) void this.#launch(claim);
    return claims.length;
  }

  /**
   * Makes every advance found running resumable at once. Only at the start of a process that alone
   * uses its database (PGlite): the advances it finds were left by a dead process.
   */
  releaseAbandonedAtStart(): Promise<number> {
    return this.#ctx.db.run((tx) => this.#repo.releaseAll(tx));
  }

  /** Advances running in this process (tests wait for them). */
  async settled(): Promise<void> {
    while (this.#running.size) await Promise.all(this.#running.values());
  }

  /**
   * Stops advancing: each running advance ends after the instant it is running and hands its clock
   * back (still `advancing`) for another process — or this one after a restart — to finish.
   * Waits up to `timeoutMs` for them.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.#stopping = true;
    const wait = sleep(timeoutMs);
    await Promise.race([Promise.all(this.#running.values()), wait.promise]);
    wait.cancel();
  }

  #advancing(clock: TestClock): AppError {
    return new AppError(
      'version_conflict',
      `Test clock ${clock.id} is advancing to ${clock.advanceTarget?.toISOString()}; wait until its status is ready`,
      { id: clock.id, status: clock.clockStatus },
    );
  }

  /** Runs an advance this process holds in the background; the promise never rejects. */
  #launch(claim: AdvanceClaim): Promise<void> {
    const run = this.#run(claim).finally(() => this.#running.delete(claim.id));
    this.#running.set(claim.id, run);
    return run;
  }

  async #run(claim: AdvanceClaim): Promise<void> {
    const { db, clock } = this.#ctx;
    const leaseFromNow = () => new Date(clock.now().getTime() + this.#leaseMs);
    let lost = false;
    // A long instant (a large bill run) must not look dead: the lease is renewed while it runs too.
    const heartbeat = setInterval(() => {
      db.run((tx) => this.#repo.renewLease(tx, claim, leaseFromNow()))
        .then((held) => {
          if (!held) lost = true;
        })
        .catch((err: unknown) => this.#options.onError(err, `renewing the lease of test clock ${claim.id}`));
    }, Math.max(1, Math.floor(this.#leaseMs / 3)));
    heartbeat.unref();
    try {
      const scope = { testClockId: claim.id, tenantId: claim.tenantId, environmentId: claim.environmentId };
      const { stopped } = await this.#options.dueWork(scope, claim.target, {
        onInstant: async (at) => {
          if (!(await db.run((tx) => this.#repo.moveTo(tx, claim, at, leaseFromNow(), clock.now())))) throw new LostClaim();
        },
        shouldStop: () => lost || this.#stopping,
      });
      if (lost) return;
      if (stopped) {
        await db.run((tx) => this.#repo.release(tx, claim));
        return;
      }
      await db.run((tx) => this.#repo.finish(tx, claim, clock.now()));
    } catch (err) {
      if (err instanceof LostClaim) return;
      this.#options.onError(err, `advancing test clock ${claim.id} to ${claim.target.toISOString()}`);
      await db.run((tx) => this.#repo.fail(tx, claim, failureMessageOf(err), clock.now())).catch((e: unknown) => this.#options.onError(e, `recording the failure of test clock ${claim.id}`));
    } finally {
      clearInterval(heartbeat);
    }
  }
}
