import { invalidFields } from '../../errors/app-error.ts';
import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import type { ScheduleQuery } from './subscription-schedule.repo.ts';
import type { ScheduleTarget, ScheduleView } from './subscription-schedules.ts';

const dayMs = 86_400_000;

export function toScheduleResponse({ schedule: s, now }: ScheduleView): Schemas['SubscriptionScheduleResponse'] {
  return {
    id: s.id,
    subscription_id: s.subscriptionId,
    schedule_type: s.scheduleType,
    status: s.scheduleStatus,
    scheduled_at: s.scheduledAt.toISOString(),
    configuration: s.configuration,
    ...(s.executionResult ? { execution_result: s.executionResult } : {}),
    ...(s.executedAt ? { executed_at: s.executedAt.toISOString() } : {}),
    ...(s.cancelledAt ? { cancelled_at: s.cancelledAt.toISOString() } : {}),
    ...(s.errorMessage ? { error_message: s.errorMessage } : {}),
    can_be_cancelled: s.scheduleStatus === 'pending',
    days_until_execution: Math.max(0, Math.floor((s.scheduledAt.getTime() - now.getTime()) / dayMs)),
    metadata: s.metadata,
    created_at: s.createdAt.toISOString(),
    updated_at: s.updatedAt.toISOString(),
  };
}

export function toSchedulesResponse(page: { items: ScheduleView[]; total: number }): Schemas['GetPendingSchedulesResponse'] {
  return { schedules: page.items.map(toScheduleResponse), count: page.total };
}

/** `pending_only`, `subscription_id(s)`, `schedule_type`, `schedule_status`, `limit` (0 or absent: 50), `offset`. */
export function fromScheduleListRequest(q: QueryParams<'listSchedules'> | undefined): ScheduleQuery {
  return {
    subscriptionId: q?.subscription_id || undefined,
    subscriptionIds: q?.subscription_ids,
    types: q?.schedule_type,
    statuses: q?.schedule_status,
    pendingOnly: q?.pending_only === true,
    limit: q?.limit || 50,
    offset: q?.offset ?? 0,
  };
}

/** The schedule to call off: the path's id, else the body's `schedule_id`, else its `subscription_id` and `schedule_type`. */
export function scheduleTargetOf(body: Schemas['CancelScheduleRequest'] | undefined, pathId?: string): ScheduleTarget {
  const id = pathId ?? body?.schedule_id;
  if (id) return { id };
  if (!body?.subscription_id) throw invalidFields({ subscription_id: 'is required when schedule_id is not given' });
  if (!body.schedule_type) throw invalidFields({ schedule_type: 'is required with subscription_id' });
  return { subscriptionId: body.subscription_id, type: body.schedule_type };
}
