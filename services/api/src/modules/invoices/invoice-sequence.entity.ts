import { defineEntity, p } from '@mikro-orm/core';
import { environmentKeyed } from '../../db/base-properties.ts';

/**
 * The last invoice number handed out in one environment for one date bucket (`202601` with the
 * YYYYMM format): incremented in the finalizing transaction, so numbers are gap-free over finalized
 * invoices and never repeat, however many finalize at once.
 */
export const InvoiceSequenceSchema = defineEntity(environmentKeyed('InvoiceSequence', 'invoice_sequences', {
  bucket: p.string().length(16).primary(),
  last: p.integer(),
}));
export class InvoiceSequence extends InvoiceSequenceSchema.class {}
InvoiceSequenceSchema.setClass(InvoiceSequence);
