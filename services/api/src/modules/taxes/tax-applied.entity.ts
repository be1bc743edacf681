import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { TaxEntityType } from './tax-association.entity.ts';

/**
 * One tax rate applied to one invoice: the taxable amount and the tax, in the invoice's currency.
 * `idempotencyKey` (FlexPrice's `tax_application-…` key of invoice and rate) is unique, so applying an
 * invoice's taxes again updates its records instead of adding more.
 */
export const TaxAppliedSchema = defineEntity(environmentRecord('TaxApplied', 'taxes_applied', {
  taxRateId: p.string().length(64),
  taxAssociationId: p.string().length(64).nullable(),
  entityType: p.string().length(20).$type<TaxEntityType>(),
  entityId: p.string().length(255),
  taxableAmount: p.decimal('string').columnType('numeric'),
  taxAmount: p.decimal('string').columnType('numeric'),
  currency: p.string().length(3),
  appliedAt: p.datetime(),
  idempotencyKey: p.string().length(64),
  metadata: p.json<Record<string, string>>().default('{}'),
}, {
  uniques: [inEnvironment('taxes_applied_key_uq', ['idempotencyKey'])],
  indexes: [
    inEnvironment('taxes_applied_entity_idx', ['entityType', 'entityId', 'status']),
    inEnvironment('taxes_applied_rate_idx', ['taxRateId']),
  ],
}));
export class TaxApplied extends TaxAppliedSchema.class {}
TaxAppliedSchema.setClass(TaxApplied);
