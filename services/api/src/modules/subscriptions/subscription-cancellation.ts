import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { touch } from '../../records.ts';
import { record } from '../webhooks/index.ts';
import type { Subscription } from './subscription.entity.ts';
import { subscriptionEvent } from './subscription.webhook.ts';
import { SubscriptionScheduleRepo } from './subscription-schedule.repo.ts';
import { dropPause } from './subscription-pausing.ts';
import { AddonAssociationRepo } from './addon-association.repo.ts';

const schedules = new SubscriptionScheduleRepo();
const addonAssociations = new AddonAssociationRepo();

/**
 * Ends the subscription at `end` (its last period billed, or a cancellation reached). Its pending
 * cancellation schedule is executed with it; any other pending schedule can no longer happen. Its
 * active addon associations not ending before then are cancelled at `end`, as FlexPrice does.
 */
export async function cancel(tx: Tx, auth: AuthContext, sub: Subscription, end: Date, at: Date): Promise<void> {
  for (const schedule of await schedules.pendingOf(tx, auth, sub.id)) {
    const executed = schedule.scheduleType === 'cancellation';
    schedule.scheduleStatus = executed ? 'executed' : 'cancelled';
    if (executed) {
      schedule.executedAt = at;
      schedule.executionResult = { subscription_status: 'cancelled', end_date: end.toISOString() };
    } else schedule.cancelledAt = at;
    touch(schedule, auth, at);
  }
  await dropPause(tx, auth, sub, at);
  for (const association of await addonAssociations.ofSubscriptions(tx, auth, [sub.id])) {
    if (association.addonStatus !== 'active' || (association.endDate && association.endDate <= end)) continue;
    association.addonStatus = 'cancelled';
    association.endDate = end;
    association.cancelledAt = end;
    association.cancellationReason = 'Subscription cancelled';
    touch(association, auth, at);
  }
  sub.subscriptionStatus = 'cancelled';
  sub.endDate = end;
  sub.cancelledAt = sub.cancelledAt ?? at;
  sub.version += 1;
  touch(sub, auth, at);
  await record(tx, auth, subscriptionEvent('subscription.cancelled', sub, at));
}
