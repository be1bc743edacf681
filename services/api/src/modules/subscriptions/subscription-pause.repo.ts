import { scopeOf, type AuthContext } from '../../auth-context.ts';
import { RecordRepo } from '../../db/record-repo.ts';
import type { Tx } from '../../db/transactions.ts';
import { SubscriptionPause } from './subscription-pause.entity.ts';

/** Every query of subscription pauses. */
export class SubscriptionPauseRepo extends RecordRepo<SubscriptionPause> {
  constructor() {
    super(SubscriptionPause, {}, 'subscription pause');
  }

  /** The subscription's pauses, latest start first. */
  ofSubscription(tx: Tx, auth: AuthContext, subscriptionId: string): Promise<SubscriptionPause[]> {
    return tx.find(SubscriptionPause, { ...scopeOf(auth), subscriptionId }, { orderBy: { pauseStart: 'desc', id: 'desc' } });
  }
}
