import { scopeOf, type AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { Subscription } from './subscription.entity.ts';

/**
 * Whether the customer holds a subscription that is not cancelled (draft, trialing, incomplete,
 * active or paused), read in the caller's unit of work: such a customer cannot be deleted.
 */
export async function hasUncancelledSubscription(tx: Tx, auth: AuthContext, customerId: string): Promise<boolean> {
  return (await tx.count(Subscription, { ...scopeOf(auth), customerId, status: 'published', subscriptionStatus: { $ne: 'cancelled' } })) > 0;
}
