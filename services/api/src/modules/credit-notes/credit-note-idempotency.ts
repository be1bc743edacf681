import { createHash } from 'node:crypto';
import type { CreditNoteType } from '../../billing/invoicing/index.ts';

/**
 * FlexPrice's server-generated key for a credit note created without one: the scope (`credit_note`)
 * and the parameters that make two notes the same — the invoice, the reason, the type, the lines
 * (`<invoice line id>:<amount>`, sorted, joined by `|`) and `process_credit_note` — sorted by name,
 * hashed as `credit_note:<name>=<value>…` with SHA-256, of which the first 8 bytes in hex follow the
 * scope: `credit_note-<16 hex>`. The same note sent twice thus has one key and is issued once.
 */
export function derivedCreditNoteKey(params: { invoiceId: string; reason: string; type: CreditNoteType; lines: { invoiceLineItemId: string; amount: string }[]; processCreditNote: boolean }): string {
  const scope = 'credit_note';
  const named: Record<string, string> = {
    invoice_id: params.invoiceId,
    reason: params.reason,
    credit_note_type: params.type,
    line_items: params.lines.map((l) => `${l.invoiceLineItemId}:${l.amount}`).sort().join('|'),
    process_credit_note: String(params.processCreditNote),
  };
  const text = scope + Object.keys(named).sort().map((k) => `:${k}=${named[k]}`).join('');
  return `${scope}-${createHash('sha256').update(text).digest().subarray(0, 8).toString('hex')}`;
}
