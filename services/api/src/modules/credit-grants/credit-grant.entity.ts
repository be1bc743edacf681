import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { BillingPeriodUnit } from '../../billing/period/index.ts';
import type { CreditGrantCadence, CreditGrantExpiryType, CreditGrantExpiryUnit } from '../../billing/credit-grants/index.ts';

export const creditGrantScopes = ['PLAN', 'SUBSCRIPTION', 'ADDON'] as const;
export type CreditGrantScope = (typeof creditGrantScopes)[number];

/**
 * Credits granted once or every period. PLAN and ADDON grants are templates (no dates): each
 * subscription created on the plan gets a SUBSCRIPTION copy (`planId` kept as provenance) starting
 * with it. A SUBSCRIPTION grant's applications (credit-grant-application.entity.ts) deposit its
 * `credits` into the customer's PRE_PAID wallet, from `startDate` until `endDate`.
 */
export const CreditGrantSchema = defineEntity(environmentRecord('CreditGrant', 'credit_grants', {
  name: p.string().length(255),
  scope: p.string().length(20).$type<CreditGrantScope>(),
  planId: p.string().length(64).nullable(),
  subscriptionId: p.string().length(64).nullable(),
  addonId: p.string().length(64).nullable(),
  credits: p.decimal('string').columnType('numeric'),
  cadence: p.string().length(20).$type<CreditGrantCadence>(),
  period: p.string().length(20).$type<BillingPeriodUnit>().nullable(),
  periodCount: p.integer().nullable(),
  expirationType: p.string().length(20).$type<CreditGrantExpiryType>(),
  expirationDuration: p.integer().nullable(),
  expirationDurationUnit: p.string().length(10).$type<CreditGrantExpiryUnit>().nullable(),
  priority: p.integer().nullable(),
  startDate: p.datetime().nullable(),
  endDate: p.datetime().nullable(),
  creditGrantAnchor: p.datetime().nullable(),
  conversionRate: p.decimal('string').columnType('numeric').nullable(),
  topupConversionRate: p.decimal('string').columnType('numeric').nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
}, {
  indexes: [
    inEnvironment('credit_grants_plan_idx', ['planId']),
    inEnvironment('credit_grants_addon_idx', ['addonId']),
    inEnvironment('credit_grants_subscription_idx', ['subscriptionId']),
  ],
}));
export class CreditGrant extends CreditGrantSchema.class {}
CreditGrantSchema.setClass(CreditGrant);
