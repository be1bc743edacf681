import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import type { NewWebhookEvent } from '../webhooks/index.ts';
import { toInvoiceResponse } from './invoice.convert.ts';
import type { Invoice } from './invoice.entity.ts';
import type { InvoiceRepo } from './invoice.repo.ts';
import type { InvoiceTaxResponse, TaxApplications } from './billable-subscription.ts';
import type { InvoiceLineItem } from './invoice-line-item.entity.ts';
import type { CouponApplication } from './coupon-application.entity.ts';

/** Where an invoice event's body is read from: the invoice's lines and coupon applications, and its taxes. */
export type InvoiceEventSource = { repo: InvoiceRepo; taxApplications?: TaxApplications };

type InvoiceEventType = 'invoice.update' | 'invoice.update.finalized' | 'invoice.update.payment' | 'invoice.update.voided';

/** What the caller already holds of the invoice's contents, as stored in its unit of work (not read again). */
export type KnownContents = { lines?: InvoiceLineItem[]; applications?: CouponApplication[]; taxes?: InvoiceTaxResponse[] };

/**
 * The system event announcing a change to `invoice`: FlexPrice's payload, the full invoice response
 * (lines and coupon applications included) under `invoice`, taken in the transaction of the change.
 * What `known` holds is used as it is; the rest is read.
 */
export async function invoiceEvent(tx: Tx, auth: AuthContext, source: InvoiceEventSource, eventType: InvoiceEventType, invoice: Invoice, at: Date, known: KnownContents = {}): Promise<NewWebhookEvent> {
  const lines = known.lines ?? (await source.repo.linesOf(tx, auth, [invoice.id]));
  const applications = known.applications ?? (await source.repo.applicationsOf(tx, auth, [invoice.id]));
  const taxes = known.taxes ?? (await source.taxApplications?.appliedTo(tx, auth, [invoice.id]))?.get(invoice.id) ?? [];
  return { eventType, entityType: 'invoice', entityId: invoice.id, payload: { invoice: toInvoiceResponse({ invoice, lines, applications, taxes }) }, at };
}
