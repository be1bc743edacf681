import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { touch } from '../../records.ts';
import { record } from '../webhooks/index.ts';
import type { Subscription } from './subscription.entity.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

/** Ends the subscription at `end` (its last period billed, or a cancellation reached). */
export async function cancel(tx: Tx, auth: AuthContext, sub: Subscription, end: Date, at: Date): Promise<void> {
  sub.subscriptionStatus = 'cancelled';
  sub.endDate = end;
  sub.cancelledAt = sub.cancelledAt ?? at;
  sub.version += 1;
  touch(sub, auth, at);
  await record(tx, auth, subscriptionEvent('subscription.cancelled', sub, at));
}
