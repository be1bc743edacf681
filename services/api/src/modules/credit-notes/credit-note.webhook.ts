import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import type { NewWebhookEvent } from '../webhooks/index.ts';
import type { CreditNote } from './credit-note.entity.ts';

/**
 * FlexPrice's trimmed credit note of a webhook (`credit_note`): what was credited against which
 * invoice, its status and type; an unset number, subscription, memo, instants and metadata left out.
 * A snapshot taken in the transaction of the change.
 */
export function creditNoteWebhookPayload(n: CreditNote): Record<string, unknown> {
  const note: Record<string, unknown> = {
    id: n.id,
    invoice_id: n.invoiceId,
    customer_id: n.customerId,
    credit_note_status: n.creditNoteStatus,
    credit_note_type: n.creditNoteType,
    reason: n.reason,
    currency: n.currency,
    total_amount: canonicalDecimal(n.totalAmount),
  };
  const optional = {
    credit_note_number: n.creditNoteNumber,
    subscription_id: n.subscriptionId,
    memo: n.memo,
    voided_at: n.voidedAt?.toISOString(),
    finalized_at: n.finalizedAt?.toISOString(),
    metadata: n.metadata && Object.keys(n.metadata).length ? n.metadata : undefined,
  };
  for (const [key, value] of Object.entries(optional)) if (value) note[key] = value;
  return { credit_note: note };
}

/** `credit_note.created` when a note is issued, `credit_note.updated` when it is finalized or voided. */
export function creditNoteEvent(eventType: 'credit_note.created' | 'credit_note.updated', n: CreditNote, at: Date): NewWebhookEvent {
  return { eventType, entityType: 'credit_note', entityId: n.id, payload: creditNoteWebhookPayload(n), at };
}
