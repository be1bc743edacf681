import type { Transactions, Tx } from '../db/transactions.ts';

/** One item of due work claimed in a unit of work: its id and environment. */
export type DueClaim = { id: string; tenantId: string; environmentId: string };

export type ClaimEachSteps<C extends DueClaim = DueClaim> = {
  /** Claims one due item not among `except` (FOR UPDATE SKIP LOCKED), or null when none is left. */
  claim(tx: Tx, except: string[]): Promise<C | null>;
  /** Does the item, in the unit of work that claimed it (the claim may carry the row it locked). */
  work(tx: Tx, claim: C): Promise<void>;
  /** An item failed: it is reported and left for the next run; the others go on. */
  onError(err: unknown, id: string): void;
};

/**
 * The loop of a row-based `DueWork.runDue`: claim an item and do it, each in its own transaction, until
 * none is left — `db.parallelism` loops side by side on a pool (SKIP LOCKED gives each its own items),
 * one on PGlite. Between items a loop yields to the event loop, so requests are served during a long
 * run (PGlite answers in-process: without it, a run would hold the event loop to its end). A failure
 * before anything was claimed (the database is away) is thrown. Returns how many items were done.
 */
export async function claimEach<C extends DueClaim>(db: Transactions, steps: ClaimEachSteps<C>): Promise<number> {
  const failed: string[] = [];
  const loops = Array.from({ length: db.parallelism }, () => claimLoop(db, steps, failed));
  // Every loop ends before the call does, even when one of them fails.
  const results = await Promise.allSettled(loops);
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) throw failure.reason;
  return results.reduce((sum, r) => sum + (r.status === 'fulfilled' ? r.value : 0), 0);
}

async function claimLoop<C extends DueClaim>(db: Transactions, steps: ClaimEachSteps<C>, failed: string[]): Promise<number> {
  let done = 0;
  for (;;) {
    await new Promise<void>((resolve) => setImmediate(resolve));
    let claimed: string | undefined;
    try {
      const more = await db.run(async (tx) => {
        const claim = await steps.claim(tx, failed);
        if (!claim) return false;
        claimed = claim.id;
        await steps.work(tx, claim);
        return true;
      });
      if (!more) return done;
      done++;
    } catch (err) {
      if (!claimed) throw err;
      failed.push(claimed);
      steps.onError(err, claimed);
    }
  }
}
