import { defineEntity, p } from '@mikro-orm/core';
import { environmentRecord, inEnvironment } from '../../db/base-properties.ts';
import type { BillingReason, InvoiceStatus, InvoiceType, PaymentStatus } from '../../billing/invoicing/index.ts';

/** A tax rate named on a subscription or one-off invoice instead of the automatic ones. */
export type TaxRateOverrideInput = { taxRateCode: string; currency: string; autoApply: boolean; priority: number | null; metadata: Record<string, string> };

/**
 * An invoice. Amounts are exact decimals (PostgreSQL `numeric`, read back as strings), each line
 * rounded when made and the totals sums of those. A subscription invoice is unique per
 * (subscription, period, billing reason) among invoices that are not voided — the partial unique
 * index `invoices_subscription_period_uq` is what makes retries, crashes and several instances never
 * bill a period twice. `invoiceNumber` is allocated at finalization; `finalizeAt` is when the bill
 * run finalizes a draft it made.
 */
export const InvoiceSchema = defineEntity(environmentRecord('Invoice', 'invoices', {
  customerId: p.string().length(64),
  subscriptionId: p.string().length(64).nullable(),
  invoiceType: p.string().length(20).$type<InvoiceType>(),
  invoiceStatus: p.string().length(20).$type<InvoiceStatus>(),
  paymentStatus: p.string().length(20).$type<PaymentStatus>(),
  currency: p.string().length(3),
  amountDue: p.decimal('string').columnType('numeric'),
  amountPaid: p.decimal('string').columnType('numeric'),
  amountRemaining: p.decimal('string').columnType('numeric'),
  subtotal: p.decimal('string').columnType('numeric'),
  total: p.decimal('string').columnType('numeric'),
  totalDiscount: p.decimal('string').columnType('numeric'),
  totalTax: p.decimal('string').columnType('numeric'),
  totalPrepaidCreditsApplied: p.decimal('string').columnType('numeric'),
  adjustmentAmount: p.decimal('string').columnType('numeric'),
  refundedAmount: p.decimal('string').columnType('numeric'),
  overpaidAmount: p.decimal('string').columnType('numeric').nullable(),
  invoiceNumber: p.string().length(64).nullable(),
  idempotencyKey: p.string().length(255).nullable(),
  billingSequence: p.integer().nullable(),
  description: p.text().nullable(),
  dueDate: p.datetime().nullable(),
  paidAt: p.datetime().nullable(),
  voidedAt: p.datetime().nullable(),
  finalizedAt: p.datetime().nullable(),
  issueDate: p.datetime().nullable(),
  lastComputedAt: p.datetime().nullable(),
  finalizeAt: p.datetime().nullable(),
  billingPeriod: p.string().length(20).nullable(),
  periodStart: p.datetime().nullable(),
  periodEnd: p.datetime().nullable(),
  invoicePdfUrl: p.text().nullable(),
  billingReason: p.string().length(30).$type<BillingReason>().nullable(),
  metadata: p.json<Record<string, string>>().default('{}'),
  version: p.integer().default(1),
  recalculatedInvoiceId: p.string().length(64).nullable(),
  isManuallyEdited: p.boolean().default(false),
  /** The tax rates named instead of the automatic ones, applied at finalization. */
  taxRateOverrides: p.json<TaxRateOverrideInput[]>().default('[]'),
}, {
  uniques: [
    { name: 'invoices_subscription_period_uq', properties: ['subscriptionId', 'periodStart', 'periodEnd', 'billingReason'], where: "invoice_type = 'SUBSCRIPTION' and invoice_status <> 'VOIDED'" },
    inEnvironment('invoices_number_uq', ['invoiceNumber'], 'invoice_number is not null'),
    inEnvironment('invoices_idempotency_key_uq', ['idempotencyKey'], 'idempotency_key is not null'),
  ],
  indexes: [
    inEnvironment('invoices_customer_idx', ['customerId']),
    inEnvironment('invoices_subscription_idx', ['subscriptionId']),
    { name: 'invoices_finalize_due_idx', properties: ['finalizeAt', 'id'], where: "invoice_status = 'DRAFT' and finalize_at is not null" },
  ],
}));
export class Invoice extends InvoiceSchema.class {}
InvoiceSchema.setClass(Invoice);
