import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

export const pauseModes = ['immediate', 'scheduled', 'period_end'] as const;
export type PauseMode = (typeof pauseModes)[number];
export const resumeModes = ['immediate', 'scheduled', 'auto'] as const;
export type ResumeMode = (typeof resumeModes)[number];
export type PauseState = 'scheduled' | 'active' | 'completed' | 'cancelled';

/**
 * One pause of a subscription (a Tally extension of FlexPrice's current API, docs/api/subscriptions.md#pausing):
 * from `pauseStart` to `pauseEnd` (open-ended until resumed by hand), with the period it interrupted.
 */
export const SubscriptionPauseSchema = defineEntity(environmentRecord('SubscriptionPause', 'subscription_pauses', {
  subscriptionId: p.string().length(64),
  customerId: p.string().length(64),
  pauseStatus: p.string().length(20).$type<PauseState>(),
  pauseMode: p.string().length(20).$type<PauseMode>(),
  resumeMode: p.string().length(20).$type<ResumeMode>().nullable(),
  pauseStart: p.datetime(),
  pauseEnd: p.datetime().nullable(),
  resumedAt: p.datetime().nullable(),
  originalPeriodStart: p.datetime(),
  originalPeriodEnd: p.datetime(),
  reason: p.string().length(255).nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
}, { indexes: [inEnvironment('subscription_pauses_subscription_idx', ['subscriptionId'])] }));
export class SubscriptionPause extends SubscriptionPauseSchema.class {}
SubscriptionPauseSchema.setClass(SubscriptionPause);
