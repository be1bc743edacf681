import type { AuthContext } from '../../auth-context.ts';
import type { ProrationBehavior } from '../../billing/invoicing/index.ts';
import type { ExactDecimal } from '../../billing/money/index.ts';
import type { Tx } from '../../db/transactions.ts';
import { AppError, invalidFields, notFound } from '../../errors/app-error.ts';
import type { Plan, PlanReader } from '../plans/index.ts';
import type { SubscriptionLineItem } from './subscription-line-item.entity.ts';
import { SubscriptionScheduleRepo } from './subscription-schedule.repo.ts';
import type { Subscription } from './subscription.entity.ts';

export type ChangeType = 'upgrade' | 'downgrade' | 'lateral';

const refused = (message: string, details: Record<string, unknown>) => new AppError('invalid_operation', message, details);
const schedules = new SubscriptionScheduleRepo();

/**
 * Refuses what cannot change plan now, in FlexPrice's order (both the in-place change and the one
 * that replaces the subscription), and answers the published target plan. `lineItems`: the
 * subscription's, for the mixed-periods check. `pendingScheduleId`: the plan change schedule being
 * executed, which does not count as another.
 */
export async function planChangeTarget(
  tx: Tx,
  auth: AuthContext,
  sub: Subscription,
  spec: { targetPlanId: string; prorationBehavior: ProrationBehavior },
  plans: PlanReader,
  lineItems: readonly SubscriptionLineItem[],
  pendingScheduleId?: string,
): Promise<Plan> {
  if (sub.planId === spec.targetPlanId) throw invalidFields({ target_plan_id: `subscription ${sub.id} is already on plan ${sub.planId}` });
  if (sub.subscriptionStatus !== 'active' && sub.subscriptionStatus !== 'trialing') {
    throw refused(`subscription ${sub.id} is ${sub.subscriptionStatus}; only an active or trialing subscription can change plan`, { id: sub.id, subscription_status: sub.subscriptionStatus });
  }
  if (sub.pauseStatus !== 'none') throw refused(`subscription ${sub.id} is paused or has a pause scheduled; resume it before changing its plan`, { id: sub.id, pause_status: sub.pauseStatus });
  if (sub.cancelAt || sub.cancelAtPeriodEnd) throw refused(`subscription ${sub.id} has a pending cancellation; cancel that schedule before changing its plan`, { id: sub.id });
  if (spec.prorationBehavior === 'create_prorations') {
    const recurring = lineItems.filter((l) => l.billingPeriod !== 'ONETIME' && (!l.endDate || l.endDate > sub.currentPeriodStart));
    if (recurring.some((l) => l.billingPeriod !== sub.billingPeriod || l.billingPeriodCount !== sub.billingPeriodCount)) {
      throw invalidFields({ proration_behavior: 'create_prorations is not supported when the line items have mixed billing periods; use none' });
    }
  }
  const other = (await schedules.pendingOf(tx, auth, sub.id, 'plan_change')).find((s) => s.id !== pendingScheduleId);
  if (other) throw refused(`subscription ${sub.id} already has a plan change scheduled (${other.id}); cancel it before requesting another one`, { id: sub.id, schedule_id: other.id });
  const toPlan = await plans.get(tx, auth, spec.targetPlanId);
  if (!toPlan) throw notFound('Plan', 'target_plan_id', spec.targetPlanId);
  if (toPlan.status !== 'published') throw invalidFields({ target_plan_id: `names plan ${toPlan.id}, which is ${toPlan.status}` });
  return toPlan;
}

/** `upgrade` when the new total is higher, `downgrade` when lower, else `lateral`. */
export const changeTypeOf = (oldTotal: ExactDecimal, newTotal: ExactDecimal): ChangeType => (newTotal.gt(oldTotal) ? 'upgrade' : newTotal.lt(oldTotal) ? 'downgrade' : 'lateral');
