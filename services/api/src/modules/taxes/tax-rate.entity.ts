import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { TaxRateType } from '../../billing/invoicing/index.ts';

export const taxRateScopes = ['INTERNAL', 'EXTERNAL', 'ONETIME'] as const;
export type TaxRateScope = (typeof taxRateScopes)[number];

export const taxRateStatuses = ['ACTIVE', 'INACTIVE'] as const;
export type TaxRateStatus = (typeof taxRateStatuses)[number];

/**
 * A tax rate: `percentageValue` (0–100) of the taxable amount, or `fixedValue` per invoice in the
 * invoice's currency; exactly one of them is set, the one `taxRateType` uses. `code` is case-sensitive
 * and unique among the environment's published rates.
 */
export const TaxRateSchema = defineEntity(environmentRecord('TaxRate', 'tax_rates', {
  name: p.string().length(255),
  description: p.text().default(''),
  code: p.string().length(255),
  taxRateStatus: p.string().length(20).$type<TaxRateStatus>(),
  taxRateType: p.string().length(20).$type<TaxRateType>(),
  scope: p.string().length(20).$type<TaxRateScope>(),
  percentageValue: p.decimal('string').columnType('numeric').nullable(),
  fixedValue: p.decimal('string').columnType('numeric').nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
}, { uniques: [inEnvironment('tax_rates_live_code_uq', ['code'], "status = 'published'")] }));
export class TaxRate extends TaxRateSchema.class {}
TaxRateSchema.setClass(TaxRate);
