/**
 * INTERIM — the due-work interface is the test-clocks branch's (worktree `clocks`), copied here so this
 * branch compiles and its bill run can be tested; replace this file with the real one at merge (the
 * handlers in modules/subscriptions and modules/invoices implement it as it is).
 */

/** Whose due work to do: a test clock's customers, or (null) every customer on no clock; optionally one environment. */
export type DueScope = { testClockId: string | null; tenantId?: string; environmentId?: string };

/**
 * Background work that falls due at instants stored in the database (a period's end, a trial's end, a
 * scheduled cancellation, a draft's finalization). `nextDue` finds the earliest instant ≤ `until` with
 * work; `runDue` does everything due at `at`, each item in its own transaction, and returns how many.
 */
export interface DueWork {
  readonly name: string;
  nextDue(scope: DueScope, until: Date): Promise<Date | null>;
  runDue(scope: DueScope, at: Date): Promise<number>;
}

/**
 * INTERIM runner (the clocks branch brings the real one): every instant that has work up to `until`,
 * in chronological order, runs every handler in registry order. Returns how many items were done.
 */
export async function runDueWork(handlers: readonly DueWork[], scope: DueScope, until: Date): Promise<number> {
  let done = 0;
  for (;;) {
    const dues = (await Promise.all(handlers.map((h) => h.nextDue(scope, until)))).filter((d): d is Date => d !== null);
    if (!dues.length) return done;
    const at = new Date(Math.min(...dues.map((d) => d.getTime())));
    let progress = 0;
    for (const handler of handlers) progress += await handler.runDue(scope, at);
    done += progress;
    // An instant that still reports work after a full pass (an item that keeps failing) is not retried in this call.
    if (progress === 0) return done;
  }
}
