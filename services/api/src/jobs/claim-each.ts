import type { Transactions, Tx } from '../db/transactions.ts';

/** One item of due work claimed in a unit of work: its id and environment. */
export type DueClaim = { id: string; tenantId: string; environmentId: string };

export type ClaimEachSteps = {
  /** Claims one due item not among `except` (FOR UPDATE SKIP LOCKED), or null when none is left. */
  claim(tx: Tx, except: string[]): Promise<DueClaim | null>;
  /** Does the item, in the unit of work that claimed it. */
  work(tx: Tx, claim: DueClaim): Promise<void>;
  /** An item failed: it is reported and left for the next run; the others go on. */
  onError(err: unknown, id: string): void;
};

/**
 * The loop of a row-based `DueWork.runDue`: claim an item and do it, each in its own transaction, until
 * none is left. A failure before anything was claimed (the database is away) is thrown. Returns how
 * many items were done.
 */
export async function claimEach(db: Transactions, steps: ClaimEachSteps): Promise<number> {
  const failed: string[] = [];
  let done = 0;
  for (;;) {
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
