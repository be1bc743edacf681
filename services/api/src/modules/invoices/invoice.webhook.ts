import type { AuthContext } from '../../auth-context.ts';
import type { Tx } from '../../db/transactions.ts';
import type { NewWebhookEvent } from '../webhooks/index.ts';
import { toInvoiceResponse } from './invoice.convert.ts';
import type { Invoice } from './invoice.entity.ts';
import type { InvoiceRepo } from './invoice.repo.ts';

type InvoiceEventType = 'invoice.update' | 'invoice.update.finalized' | 'invoice.update.payment' | 'invoice.update.voided';

/**
 * The system event announcing a change to `invoice`: FlexPrice's payload, the full invoice response
 * (lines and coupon applications included) under `invoice`, taken in the transaction of the change.
 */
export async function invoiceEvent(tx: Tx, auth: AuthContext, repo: InvoiceRepo, eventType: InvoiceEventType, invoice: Invoice, at: Date): Promise<NewWebhookEvent> {
  const lines = await repo.linesOf(tx, auth, [invoice.id]);
  const applications = await repo.applicationsOf(tx, auth, [invoice.id]);
  return { eventType, entityType: 'invoice', entityId: invoice.id, payload: { invoice: toInvoiceResponse({ invoice, lines, applications }) }, at };
}
