import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { BillingCycle, BillingPeriodUnit } from '../../billing/period/index.ts';
import type { PaymentTerms, ProrationBehavior } from '../../billing/invoicing/index.ts';

export const subscriptionStatuses = ['active', 'paused', 'cancelled', 'incomplete', 'trialing', 'draft'] as const;
export type SubscriptionStatus = (typeof subscriptionStatuses)[number];
export const collectionMethods = ['charge_automatically', 'send_invoice'] as const;
export type CollectionMethod = (typeof collectionMethods)[number];
export const paymentBehaviors = ['allow_incomplete', 'default_incomplete', 'error_if_incomplete', 'default_active'] as const;
export type PaymentBehavior = (typeof paymentBehaviors)[number];
export type SubscriptionPauseStatus = 'none' | 'scheduled' | 'active';

/** A tax rate named for this subscription instead of the automatic ones (FlexPrice's `tax_rate_overrides`). */
export type StoredTaxRateOverride = { taxRateCode: string; currency: string; autoApply: boolean; priority: number | null; metadata: Record<string, string> };

/**
 * A customer's subscription to a plan. Its billing periods follow `billingAnchor` (after a trial, the
 * trial's end) every `billingPeriodCount` `billingPeriod`s in `timezone` (the customer's, fixed at
 * creation); `currentPeriodStart`/`currentPeriodEnd` is the period being served, advanced by the bill
 * run. The due instants of background work are columns: `currentPeriodEnd` (renewals), `trialEnd`
 * (trial ends), `cancelAt` (scheduled cancellations), each with a partial index the bill run scans.
 */
export const SubscriptionSchema = defineEntity(environmentRecord('Subscription', 'subscriptions', {
  lookupKey: p.string().length(255).nullable(),
  customerId: p.string().length(64),
  planId: p.string().length(64),
  subscriptionStatus: p.string().length(20).$type<SubscriptionStatus>(),
  currency: p.string().length(3),
  billingAnchor: p.datetime(),
  billingCycle: p.string().length(20).$type<BillingCycle>(),
  startDate: p.datetime(),
  endDate: p.datetime().nullable(),
  currentPeriodStart: p.datetime(),
  currentPeriodEnd: p.datetime(),
  cancelledAt: p.datetime().nullable(),
  cancelAt: p.datetime().nullable(),
  cancelAtPeriodEnd: p.boolean().default(false),
  trialStart: p.datetime().nullable(),
  trialEnd: p.datetime().nullable(),
  billingPeriod: p.string().length(20).$type<BillingPeriodUnit>(),
  billingPeriodCount: p.integer(),
  version: p.integer().default(1),
  metadata: p.json<Record<string, string>>().default('{}'),
  commitmentAmount: p.decimal('string').columnType('numeric').nullable(),
  commitmentDuration: p.string().length(20).$type<BillingPeriodUnit>().nullable(),
  overageFactor: p.decimal('string').columnType('numeric').nullable(),
  enableTrueUp: p.boolean().default(false),
  paymentBehavior: p.string().length(30).$type<PaymentBehavior>(),
  collectionMethod: p.string().length(30).$type<CollectionMethod>(),
  gatewayPaymentMethodId: p.string().length(255).nullable(),
  timezone: p.string().length(64),
  prorationBehavior: p.string().length(30).$type<ProrationBehavior>(),
  paymentTerms: p.string().length(10).$type<PaymentTerms>().nullable(),
  taxRateOverrides: p.json<StoredTaxRateOverride[]>().default('[]'),
  /** `none`, or the state of its pause (`scheduled`, `active`); `activePauseId` names that pause. */
  pauseStatus: p.string().length(20).$type<SubscriptionPauseStatus>().default('none'),
  activePauseId: p.string().length(64).nullable(),
  /** When its pause next acts: a scheduled pause's start, an active one's end (null: resumed by hand). */
  pauseDueAt: p.datetime().nullable(),
}, {
  indexes: [
    inEnvironment('subscriptions_customer_idx', ['customerId']),
    inEnvironment('subscriptions_plan_idx', ['planId']),
    { name: 'subscriptions_renewal_due_idx', properties: ['currentPeriodEnd', 'id'], where: "subscription_status = 'active' and status = 'published'" },
    { name: 'subscriptions_trial_due_idx', properties: ['trialEnd', 'id'], where: "subscription_status = 'trialing' and status = 'published'" },
    { name: 'subscriptions_pause_due_idx', properties: ['pauseDueAt', 'id'], where: "pause_due_at is not null and status = 'published'" },
    { name: 'subscriptions_cancel_due_idx', properties: ['cancelAt', 'id'], where: "cancel_at is not null and subscription_status <> 'cancelled' and status = 'published'" },
  ],
}));
export class Subscription extends SubscriptionSchema.class {}
SubscriptionSchema.setClass(Subscription);
