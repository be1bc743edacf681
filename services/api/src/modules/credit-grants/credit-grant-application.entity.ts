import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

export const applicationStatuses = ['applied', 'failed', 'pending', 'skipped', 'cancelled'] as const;
export type ApplicationStatus = (typeof applicationStatuses)[number];
export const applicationReasons = ['first_time_recurring_credit_grant', 'recurring_credit_grant', 'onetime_credit_grant'] as const;
export type ApplicationReason = (typeof applicationReasons)[number];

/**
 * One application of a SUBSCRIPTION grant: the credits of the grant period starting at `periodStart`,
 * due at `scheduledFor` (due work, `pending` until done). Unique per (grant, period start), so a
 * period is credited at most once however often the work runs; its id is the idempotency key of the
 * wallet deposit it makes. `customerId` is the subscription's, for the due-work scope.
 */
export const CreditGrantApplicationSchema = defineEntity(environmentRecord('CreditGrantApplication', 'credit_grant_applications', {
  creditGrantId: p.string().length(64),
  subscriptionId: p.string().length(64),
  customerId: p.string().length(64),
  scheduledFor: p.datetime(),
  appliedAt: p.datetime().nullable(),
  periodStart: p.datetime(),
  periodEnd: p.datetime().nullable(),
  applicationStatus: p.string().length(20).$type<ApplicationStatus>(),
  applicationReason: p.string().length(40).$type<ApplicationReason>(),
  subscriptionStatusAtApplication: p.string().length(20),
  credits: p.decimal('string').columnType('numeric'),
  failureReason: p.text().nullable(),
  retryCount: p.integer().default(0),
  idempotencyKey: p.string().length(255),
  metadata: p.json<Record<string, string>>().default('{}'),
}, {
  uniques: [inEnvironment('credit_grant_applications_period_uq', ['creditGrantId', 'periodStart'])],
  indexes: [
    inEnvironment('credit_grant_applications_subscription_idx', ['subscriptionId', 'applicationStatus']),
    inEnvironment('credit_grant_applications_customer_idx', ['customerId', 'applicationStatus']),
    { name: 'credit_grant_applications_due_idx', properties: ['scheduledFor', 'id'], where: "application_status = 'pending'" },
  ],
}));
export class CreditGrantApplication extends CreditGrantApplicationSchema.class {}
CreditGrantApplicationSchema.setClass(CreditGrantApplication);
