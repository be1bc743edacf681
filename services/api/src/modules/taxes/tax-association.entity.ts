import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

export const taxEntityTypes = ['customer', 'subscription', 'invoice', 'tenant'] as const;
export type TaxEntityType = (typeof taxEntityTypes)[number];

/**
 * A tax rate linked to the tenant, a customer, a subscription or an invoice, in effect over
 * [startDate, endDate) and, with `currency`, only for invoices in that currency. Only `autoApply`
 * associations tax invoices; a lower `priority` applies first.
 */
export const TaxAssociationSchema = defineEntity(environmentRecord('TaxAssociation', 'tax_associations', {
  taxRateId: p.string().length(64),
  entityType: p.string().length(20).$type<TaxEntityType>(),
  entityId: p.string().length(255),
  priority: p.integer().default(0),
  autoApply: p.boolean().default(false),
  currency: p.string().length(3).nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
  startDate: p.datetime(),
  endDate: p.datetime().nullable(),
}, {
  indexes: [
    // What taxes an invoice: an entity's live associations.
    inEnvironment('tax_associations_entity_idx', ['entityType', 'entityId', 'status']),
    // Whether a rate is in use (update and delete refusals).
    inEnvironment('tax_associations_rate_idx', ['taxRateId', 'status']),
  ],
}));
export class TaxAssociation extends TaxAssociationSchema.class {}
TaxAssociationSchema.setClass(TaxAssociation);
