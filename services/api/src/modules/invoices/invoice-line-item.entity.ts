import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

/** How a commitment shaped a line (FlexPrice's `commitment_info`), as sent on the wire. */
export type CommitmentInfo = Record<string, string | boolean>;

/** One charge of an invoice, in `position` order. Amounts are exact decimals, each rounded once when the line was made. */
export const InvoiceLineItemSchema = defineEntity(environmentRecord('InvoiceLineItem', 'invoice_line_items', {
  invoiceId: p.string().length(64),
  position: p.integer(),
  customerId: p.string().length(64),
  subscriptionId: p.string().length(64).nullable(),
  entityId: p.string().length(64).nullable(),
  entityType: p.string().length(20).nullable(),
  planDisplayName: p.string().length(255).nullable(),
  priceId: p.string().length(64).nullable(),
  priceType: p.string().length(20).nullable(),
  meterId: p.string().length(64).nullable(),
  meterDisplayName: p.string().length(255).nullable(),
  priceUnitId: p.string().length(64).nullable(),
  priceUnit: p.string().length(3).nullable(),
  priceUnitAmount: p.decimal('string').columnType('numeric').nullable(),
  displayName: p.string().length(255).nullable(),
  amount: p.decimal('string').columnType('numeric'),
  quantity: p.decimal('string').columnType('numeric'),
  currency: p.string().length(3),
  periodStart: p.datetime().nullable(),
  periodEnd: p.datetime().nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
  commitmentInfo: p.json<CommitmentInfo>().nullable(),
  prepaidCreditsApplied: p.decimal('string').columnType('numeric'),
  lineItemDiscount: p.decimal('string').columnType('numeric'),
  invoiceLevelDiscount: p.decimal('string').columnType('numeric'),
  adjustedEntitlementQuantity: p.decimal('string').columnType('numeric').nullable(),
  subscriptionLineItemId: p.string().length(64).nullable(),
  parentLineItemId: p.string().length(64).nullable(),
}, { indexes: [inEnvironment('invoice_line_items_invoice_idx', ['invoiceId'])] }));
export class InvoiceLineItem extends InvoiceLineItemSchema.class {}
InvoiceLineItemSchema.setClass(InvoiceLineItem);
