import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { touch } from '../../records.ts';
import { record } from '../webhooks/index.ts';
import type { ResumeMode, SubscriptionPause } from './subscription-pause.entity.ts';
import { SubscriptionPauseRepo } from './subscription-pause.repo.ts';
import type { Subscription } from './subscription.entity.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

const pauses = new SubscriptionPauseRepo();

async function activePauseOf(tx: Tx, auth: AuthContext, sub: Subscription): Promise<SubscriptionPause> {
  const pause = sub.activePauseId ? await pauses.get(tx, auth, sub.activePauseId) : null;
  if (!pause) throw new Error(`subscription ${sub.id} names pause ${sub.activePauseId}, which does not exist`);
  return pause;
}

/** A scheduled pause starts at `at`: the subscription is `paused` (not renewed) until it resumes. */
export async function startPause(tx: Tx, auth: AuthContext, sub: Subscription, at: Date): Promise<void> {
  const pause = await activePauseOf(tx, auth, sub);
  pause.pauseStatus = 'active';
  touch(pause, auth, at);
  sub.subscriptionStatus = 'paused';
  sub.pauseStatus = 'active';
  sub.pauseDueAt = pause.pauseEnd;
  sub.version += 1;
  touch(sub, auth, at);
  await record(tx, auth, subscriptionEvent('subscription.updated', sub, at));
  await record(tx, auth, subscriptionEvent('subscription.paused', sub, at));
}

/**
 * The pause ends at `at` (its end, or a resume by hand): the subscription is `active` again, and its
 * current period end and billing anchor move later by the time it was paused — the time paid for is
 * not lost, and the periods after it keep their length.
 */
export async function endPause(tx: Tx, auth: AuthContext, sub: Subscription, at: Date, mode: ResumeMode): Promise<SubscriptionPause> {
  const pause = await activePauseOf(tx, auth, sub);
  const paused = Math.max(0, at.getTime() - pause.pauseStart.getTime());
  pause.pauseStatus = 'completed';
  pause.resumeMode = mode;
  pause.resumedAt = at;
  touch(pause, auth, at);
  sub.subscriptionStatus = 'active';
  sub.pauseStatus = 'none';
  sub.activePauseId = null;
  sub.pauseDueAt = null;
  sub.currentPeriodEnd = new Date(sub.currentPeriodEnd.getTime() + paused);
  sub.billingAnchor = new Date(sub.billingAnchor.getTime() + paused);
  sub.version += 1;
  touch(sub, auth, at);
  await record(tx, auth, subscriptionEvent('subscription.updated', sub, at));
  await record(tx, auth, subscriptionEvent('subscription.resumed', sub, at));
  return pause;
}

/** A subscription that ends drops its pause: a scheduled one is cancelled, an active one completed then. */
export async function dropPause(tx: Tx, auth: AuthContext, sub: Subscription, at: Date): Promise<void> {
  if (!sub.activePauseId) return;
  const pause = await pauses.get(tx, auth, sub.activePauseId);
  if (pause) {
    if (pause.pauseStatus === 'scheduled') pause.pauseStatus = 'cancelled';
    else {
      pause.pauseStatus = 'completed';
      pause.resumedAt = at;
    }
    touch(pause, auth, at);
  }
  sub.pauseStatus = 'none';
  sub.activePauseId = null;
  sub.pauseDueAt = null;
}
