import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields } from '../../errors/app-error.ts';
import { touch } from '../../records.ts';
import { record } from '../webhooks/index.ts';
import type { TrialEndChange } from './subscription-modify-params.convert.ts';
import type { ChangedSubscription, ModifyOutcome } from './subscription-modify.convert.ts';
import type { Subscription } from './subscription.entity.ts';
import { billingEndOf, endTrial, type TrialEndingFaces } from './subscription-trial-ending.ts';
import { subscriptionEvent } from './subscription.webhook.ts';

const field = 'trial_end_params.new_trial_end';

const changedOf = (sub: Subscription): ChangedSubscription => ({
  id: sub.id,
  action: 'updated',
  status: sub.subscriptionStatus,
  trialEnd: sub.trialEnd ?? null,
  currentPeriodEnd: sub.currentPeriodEnd,
});

/**
 * `type: trial_end` of a trialing subscription, as FlexPrice's: `immediate` ends the trial now, exactly
 * as the bill run ends it at `trial_end` (`endTrial`: the first paid period starts now, its
 * `SUBSCRIPTION_TRIAL_END` invoice, `incomplete` until paid or `active` when nothing is due);
 * `scheduled_date` moves `trial_end` — and the trial period's end with it — to a later or earlier
 * instant in the future, after the trial's start and not after billing ends (`end_date`, or a
 * scheduled cancellation). Announced by `subscription.updated` (and `subscription.activated` when the
 * subscription becomes active).
 */
export async function modifyTrialEnd(tx: Tx, auth: AuthContext, sub: Subscription, change: TrialEndChange, now: Date, faces: TrialEndingFaces): Promise<ModifyOutcome> {
  if (sub.subscriptionStatus !== 'trialing' || !sub.trialStart || !sub.trialEnd) {
    throw new AppError('invalid_operation', `subscription ${sub.id} is ${sub.subscriptionStatus}, not trialing: only a trialing subscription's trial can be modified`, {
      type: 'trial_end',
      subscription_status: sub.subscriptionStatus,
    });
  }
  if (change.action === 'immediate') {
    if (now < sub.trialStart) {
      throw new AppError('invalid_operation', `subscription ${sub.id}'s trial starts at ${sub.trialStart.toISOString()}: a trial that has not started cannot end now`, { 'trial_end_params.action': 'immediate' });
    }
    sub.trialEnd = now;
    const invoice = await endTrial(tx, auth, sub, now, faces);
    // endTrial announced subscription.updated, or subscription.activated: a modification is always announced as an update too.
    if ((sub.subscriptionStatus as string) !== 'incomplete') await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
    return { subscriptions: [changedOf(sub)], invoices: invoice ? [{ kind: 'invoice', invoice }] : [] };
  }
  const at = change.newTrialEnd;
  if (at <= now) throw invalidFields({ [field]: `must be in the future (after ${now.toISOString()}); to end the trial now use action immediate` });
  if (at <= sub.trialStart) throw invalidFields({ [field]: `must be after the trial's start (${sub.trialStart.toISOString()})` });
  const end = billingEndOf(sub);
  if (end && at > end) throw invalidFields({ [field]: `must not be after the subscription's billing ends (${end.toISOString()}: its end_date or scheduled cancellation)` });
  sub.trialEnd = at;
  // While trialing, the current period is the trial.
  sub.currentPeriodEnd = at;
  sub.version += 1;
  touch(sub, auth, now);
  await record(tx, auth, subscriptionEvent('subscription.updated', sub, now));
  return { subscriptions: [changedOf(sub)] };
}
