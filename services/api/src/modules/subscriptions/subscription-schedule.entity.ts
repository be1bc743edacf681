import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

export const scheduleTypes = ['plan_change', 'cancellation'] as const;
export type ScheduleType = (typeof scheduleTypes)[number];
export const scheduleStatuses = ['pending', 'executing', 'executed', 'cancelled', 'failed'] as const;
export type ScheduleStatus = (typeof scheduleStatuses)[number];

/**
 * What a scheduled cancellation changed on the subscription, to put back when the schedule is
 * cancelled; and how it was asked for.
 */
export type CancellationConfiguration = {
  cancellation_type: string;
  reason: string;
  original_cancel_at: string | null;
  original_end_date: string | null;
  original_current_period_end: string;
  original_cancel_at_period_end: boolean;
};

/**
 * A change of a subscription due later (FlexPrice's subscription schedule): a cancellation at a date
 * or the period end. At most one pending schedule of each type per subscription (partial unique index).
 */
export const SubscriptionScheduleSchema = defineEntity(environmentRecord('SubscriptionSchedule', 'subscription_schedules', {
  subscriptionId: p.string().length(64),
  customerId: p.string().length(64),
  scheduleType: p.string().length(20).$type<ScheduleType>(),
  scheduleStatus: p.string().length(20).$type<ScheduleStatus>(),
  scheduledAt: p.datetime(),
  configuration: p.json<Record<string, unknown>>().default('{}'),
  executionResult: p.json<Record<string, unknown>>().nullable(),
  executedAt: p.datetime().nullable(),
  cancelledAt: p.datetime().nullable(),
  errorMessage: p.text().nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
}, {
  indexes: [inEnvironment('subscription_schedules_subscription_idx', ['subscriptionId'])],
  uniques: [inEnvironment('subscription_schedules_one_pending_uq', ['subscriptionId', 'scheduleType'], "schedule_status = 'pending'")],
}));
export class SubscriptionSchedule extends SubscriptionScheduleSchema.class {}
SubscriptionScheduleSchema.setClass(SubscriptionSchedule);
