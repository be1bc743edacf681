import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { CreditNoteType } from '../../billing/invoicing/index.ts';

export const creditNoteStatuses = ['DRAFT', 'FINALIZED', 'VOIDED'] as const;
export type CreditNoteStatus = (typeof creditNoteStatuses)[number];

export const creditNoteReasons = ['DUPLICATE', 'FRAUDULENT', 'ORDER_CHANGE', 'UNSATISFACTORY', 'SERVICE_ISSUE', 'BILLING_ERROR', 'SUBSCRIPTION_CANCELLATION'] as const;
export type CreditNoteReason = (typeof creditNoteReasons)[number];

/**
 * A refund or adjustment of a finalized invoice. `totalAmount` is the sum of its lines, in the
 * invoice's currency. The number and the idempotency key are unique within the environment among
 * published notes (FlexPrice's indexes); finalizing and voiding hold the invoice's row lock.
 */
export const CreditNoteSchema = defineEntity(environmentRecord('CreditNote', 'credit_notes', {
  creditNoteNumber: p.string().length(64),
  invoiceId: p.string().length(64),
  customerId: p.string().length(64),
  subscriptionId: p.string().length(64).nullable(),
  creditNoteStatus: p.string().length(20).$type<CreditNoteStatus>(),
  creditNoteType: p.string().length(20).$type<CreditNoteType>(),
  reason: p.string().length(40).$type<CreditNoteReason>(),
  memo: p.text().default(''),
  currency: p.string().length(3),
  totalAmount: p.decimal('string').columnType('numeric'),
  idempotencyKey: p.string().length(255),
  finalizedAt: p.datetime().nullable(),
  voidedAt: p.datetime().nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
}, {
  uniques: [
    inEnvironment('credit_notes_number_uq', ['creditNoteNumber'], "status = 'published'"),
    inEnvironment('credit_notes_idempotency_key_uq', ['idempotencyKey']),
  ],
  indexes: [inEnvironment('credit_notes_invoice_idx', ['invoiceId'])],
}));
export class CreditNote extends CreditNoteSchema.class {}
CreditNoteSchema.setClass(CreditNote);
