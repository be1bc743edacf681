import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { claimEach } from '../../jobs/claim-each.ts';
import type { DueScope, DueWork } from '../../jobs/due-work.ts';
import { RunMemo } from '../../jobs/run-memo.ts';
import { touch } from '../../records.ts';
import type { ServiceContext } from '../../service-context.ts';
import { systemActor, type InvoiceService } from '../invoices/index.ts';
import { periodFrom } from './subscription-periods.ts';
import type { SubscriptionReads } from './subscription-reads.ts';
import type { Subscription } from './subscription.entity.ts';
import type { DueKind, SubscriptionRepo } from './subscription.repo.ts';
import { cancel } from './subscription-cancellation.ts';
import { endPause, startPause } from './subscription-pausing.ts';
import { billingEndOf, endTrial } from './subscription-trial-ending.ts';

export type DueWorkFaces = { repo: SubscriptionRepo; reads: SubscriptionReads; invoices: InvoiceService; onError: (err: unknown, item: string) => void };

/** What the claim of `kind` selects (`dueWork` in subscription.repo.ts), for the row as read in the unit of work. */
export function isDue(kind: DueKind, sub: Subscription, at: Date): boolean {
  if (sub.status !== 'published') return false;
  switch (kind) {
    case 'renewal':
      return sub.subscriptionStatus === 'active' && sub.currentPeriodEnd <= at;
    case 'trialEnd':
      return sub.subscriptionStatus === 'trialing' && !!sub.trialEnd && sub.trialEnd <= at;
    case 'cancellation':
      return !!sub.cancelAt && sub.cancelAt <= at && sub.subscriptionStatus !== 'cancelled' && (sub.subscriptionStatus !== 'active' || sub.cancelAt < sub.currentPeriodEnd);
    case 'pauseStart':
      return sub.pauseStatus === 'scheduled' && sub.subscriptionStatus === 'active' && !!sub.pauseDueAt && sub.pauseDueAt <= at;
    case 'pauseEnd':
      return sub.pauseStatus === 'active' && sub.subscriptionStatus === 'paused' && !!sub.pauseDueAt && sub.pauseDueAt <= at;
  }
}

/**
 * One kind of a subscription's background work (docs/api/subscriptions.md#the-bill-run), due at an
 * instant stored on it: each subscription claimed in its own transaction with SKIP LOCKED, its
 * invoice and its new state committed together — so a retry, a crash or a second instance never bills
 * a period twice (the invoice's partial unique index is the last word). A subscription that fails is
 * reported and left for the next run; the others go on.
 */
export class SubscriptionDueWork implements DueWork {
  readonly name: string;
  readonly #kind: DueKind;
  readonly #ctx: ServiceContext;
  readonly #faces: DueWorkFaces;

  constructor(kind: DueKind, ctx: ServiceContext, faces: DueWorkFaces) {
    this.#kind = kind;
    this.name = `subscription-${kind}`;
    this.#ctx = ctx;
    this.#faces = faces;
  }

  nextDue(scope: DueScope, until: Date): Promise<Date | null> {
    return this.#ctx.db.read((tx) => this.#faces.repo.nextDue(tx, this.#kind, scope, until));
  }

  runDue(scope: DueScope, at: Date): Promise<number> {
    // The run's subscriptions share their plans' catalogue: read once for the run.
    const memo = new RunMemo();
    return claimEach(this.#ctx.db, {
      claim: (tx, except) => this.#faces.repo.claimDue(tx, this.#kind, scope, at, except),
      work: async (tx, claim) => {
        const auth = systemActor(claim.tenantId, claim.environmentId);
        const sub = claim.subscription;
        // The claim's row lock keeps what it found due still due here. Checked again because the
        // invoice's unique index would not stop the worst case, a row read after another run moved it
        // on: that would bill the next period, which has not ended, under its own (unique) key.
        if (!isDue(this.#kind, sub, at)) return;
        if (this.#kind === 'renewal') await this.#renew(tx, auth, sub, at, memo);
        else if (this.#kind === 'trialEnd') await endTrial(tx, auth, sub, at, this.#faces, memo);
        else if (this.#kind === 'pauseStart') await startPause(tx, auth, sub, sub.pauseDueAt!);
        else if (this.#kind === 'pauseEnd') await endPause(tx, auth, sub, sub.pauseDueAt!, 'auto');
        else await cancel(tx, auth, sub, sub.cancelAt!, at);
      },
      onError: this.#faces.onError,
    });
  }

  /**
   * The period that ended is invoiced (ARREAR and usage for it, ADVANCE for the next, finalized after
   * the finalization delay) and the subscription moves to the next period — or, when billing ends
   * with this period, is cancelled. Several missed periods are caught up one invoice per period.
   */
  async #renew(tx: Tx, auth: AuthContext, sub: Subscription, at: Date, memo: RunMemo): Promise<void> {
    const period = { start: sub.currentPeriodStart, end: sub.currentPeriodEnd };
    const billable = await this.#faces.reads.billableOf(tx, auth, sub, memo);
    await this.#faces.invoices.billPeriod(tx, auth, { subscription: billable, billingReason: 'SUBSCRIPTION_CYCLE', period, at: period.end, finalize: 'later', runAt: at, memo });
    const end = billingEndOf(sub);
    if (end && end <= period.end) {
      await cancel(tx, auth, sub, end, at);
      return;
    }
    const next = periodFrom(period.end, { anchor: sub.billingAnchor, unit: sub.billingPeriod, count: sub.billingPeriodCount, timezone: sub.timezone, end });
    sub.currentPeriodStart = next.start;
    sub.currentPeriodEnd = next.end;
    sub.version += 1;
    touch(sub, auth, at);
  }
}
