import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';

/** An amount a credit note credits against one line of its invoice, in `position` order. */
export const CreditNoteLineItemSchema = defineEntity(environmentRecord('CreditNoteLineItem', 'credit_note_line_items', {
  creditNoteId: p.string().length(64),
  position: p.integer(),
  invoiceLineItemId: p.string().length(64),
  displayName: p.string().length(255).default(''),
  amount: p.decimal('string').columnType('numeric'),
  currency: p.string().length(3),
  metadata: p.json<Record<string, string>>().default('{}'),
}, { indexes: [inEnvironment('credit_note_line_items_note_idx', ['creditNoteId'])] }));
export class CreditNoteLineItem extends CreditNoteLineItemSchema.class {}
CreditNoteLineItemSchema.setClass(CreditNoteLineItem);
