import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { BillingModel, PriceTier, TierMode, TransformQuantity } from '../../billing/pricing/index.ts';

export const priceTypes = ['FIXED', 'USAGE'] as const;
export type PriceType = (typeof priceTypes)[number];
export const billingPeriods = ['MONTHLY', 'ANNUAL', 'WEEKLY', 'DAILY', 'QUARTERLY', 'HALF_YEARLY', 'ONETIME'] as const;
export type BillingPeriod = (typeof billingPeriods)[number];
export const invoiceCadences = ['ARREAR', 'ADVANCE'] as const;
export type InvoiceCadence = (typeof invoiceCadences)[number];
export const priceEntityTypes = ['PLAN', 'SUBSCRIPTION', 'ADDON', 'PRICE', 'COSTSHEET'] as const;
export type PriceEntityType = (typeof priceEntityTypes)[number];
export const priceUnitTypes = ['FIAT', 'CUSTOM'] as const;
export type PriceUnitType = (typeof priceUnitTypes)[number];

/**
 * One price of a plan, addon or subscription. Amounts are exact decimals (PostgreSQL `numeric`, read back as
 * strings) in the currency's major unit; for a custom price unit `amount`/`tiers` hold the converted fiat
 * values and `priceUnitAmount`/`priceUnitTiers` the originals. Versioning ends a price (`endDate`) and
 * creates a successor whose `parentPriceId` is the root of the lineage.
 */
export const PriceSchema = defineEntity(environmentRecord('Price', 'prices', {
  entityType: p.string().length(20).$type<PriceEntityType>(),
  entityId: p.string().length(64),
  type: p.string().length(20).$type<PriceType>(),
  currency: p.string().length(3),
  amount: p.decimal('string').columnType('numeric'),
  billingPeriod: p.string().length(20).$type<BillingPeriod>(),
  billingPeriodCount: p.integer(),
  billingModel: p.string().length(20).$type<BillingModel>(),
  billingCadence: p.string().length(20).default('RECURRING'),
  invoiceCadence: p.string().length(20).$type<InvoiceCadence>(),
  trialPeriodDays: p.integer().default(0),
  tierMode: p.string().length(20).$type<TierMode>().nullable(),
  tiers: p.json<PriceTier[]>().nullable(),
  transformQuantity: p.json<TransformQuantity>().nullable(),
  meterId: p.string().length(64).nullable(),
  minQuantity: p.decimal('string').columnType('numeric').nullable(),
  priceUnitType: p.string().length(20).$type<PriceUnitType>().default('FIAT'),
  priceUnitId: p.string().length(64).nullable(),
  priceUnit: p.string().length(3).nullable(),
  priceUnitAmount: p.decimal('string').columnType('numeric').nullable(),
  priceUnitTiers: p.json<PriceTier[]>().nullable(),
  conversionRate: p.decimal('string').columnType('numeric').nullable(),
  lookupKey: p.string().length(255).nullable(),
  description: p.text().nullable(),
  displayName: p.string().length(255).nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
  parentPriceId: p.string().length(64).nullable(),
  groupId: p.string().length(64).nullable(),
  startDate: p.datetime(),
  endDate: p.datetime().nullable(),
}, {
  uniques: [inEnvironment('prices_live_lookup_key_uq', ['lookupKey'], "status = 'published' and lookup_key is not null and end_date is null")],
  indexes: [inEnvironment('prices_entity_idx', ['entityType', 'entityId']), inEnvironment('prices_meter_idx', ['meterId'])],
}));
export class Price extends PriceSchema.class {}
PriceSchema.setClass(Price);
