import type { CreditNoteType } from '../../billing/invoicing/index.ts';
import { throwIfProblems, type Problems } from '../../errors/problems.ts';
import { parseExpand } from '../../listing/expand.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import { parseDecimal } from '../../wire/decimal-input.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { withoutUndefined } from '../../wire/without-undefined.ts';
import type { CreditNoteLineItem } from './credit-note-line-item.entity.ts';
import type { CreditNote, CreditNoteReason, CreditNoteStatus } from './credit-note.entity.ts';
import { creditNoteSearchFields } from './credit-note.search.ts';

export type CreditNoteResponse = Schemas['CreditNoteResponse'];

/** A line of a note to issue: an amount (> 0) against a line of the invoice. */
export type NewCreditLine = { invoiceLineItemId: string; amount: string; displayName: string | null; metadata: Record<string, string> };

/** A credit note to issue, as far as the request alone can tell. */
export type NewCreditNote = {
  invoiceId: string;
  reason: CreditNoteReason;
  lines: NewCreditLine[];
  memo: string;
  /** The number given; null when the environment's next one is to be taken. */
  creditNoteNumber: string | null;
  /** The key given; null when it is to be derived. */
  idempotencyKey: string | null;
  metadata: Record<string, string>;
  processCreditNote: boolean;
};

const orNull = (s: string | undefined) => (s === undefined || s.trim() === '' ? null : s);

/** The request as a note to issue; every problem the request alone shows is a 400 naming its field. */
export function fromCreateCreditNoteRequest(body: Schemas['CreateCreditNoteRequest']): NewCreditNote {
  const errors: Problems = {};
  if (body.invoice_id.trim() === '') errors.invoice_id = 'must not be blank';
  if (body.line_items.length === 0) errors.line_items = 'must list at least one line';
  if (body.refund_target === 'BACK_TO_SOURCE') errors.refund_target = 'BACK_TO_SOURCE refunds go through a payment gateway, which Tally does not connect to yet; refunds go to the PREPAID_WALLET';
  const lines = body.line_items.map((l, i) => {
    if (l.invoice_line_item_id.trim() === '') errors[`line_items[${i}].invoice_line_item_id`] = 'must not be blank';
    const amount = parseDecimal(l.amount, { positive: true });
    if ('problem' in amount) errors[`line_items[${i}].amount`] = amount.problem;
    return { invoiceLineItemId: l.invoice_line_item_id, amount: 'value' in amount ? amount.value : '0', displayName: orNull(l.display_name), metadata: l.metadata ?? {} };
  });
  throwIfProblems(errors);
  return {
    invoiceId: body.invoice_id,
    reason: body.reason,
    lines,
    memo: body.memo ?? '',
    creditNoteNumber: orNull(body.credit_note_number)?.trim() ?? null,
    idempotencyKey: orNull(body.idempotency_key),
    metadata: body.metadata ?? {},
    processCreditNote: body.process_credit_note ?? true,
  };
}

/** FlexPrice's credit note expand tokens. */
export const creditNoteExpandable = ['invoice', 'subscription', 'customer'];

/** What a credit note response embeds. */
export type CreditNoteEmbeds = { invoice: boolean; subscription: boolean; customer: boolean };

/** A list of credit notes: the shared list query and FlexPrice's credit note filters. */
export type CreditNoteQuery = ListQuery & {
  creditNoteIds?: string[];
  invoiceId?: string;
  creditNoteStatuses?: CreditNoteStatus[];
  creditNoteType?: CreditNoteType;
  embeds: CreditNoteEmbeds;
};

export function fromCreditNoteListRequest(input: QueryParams<'listCreditNotes'> | undefined): CreditNoteQuery {
  const i = input ?? {};
  const tokens = parseExpand(i.expand, creditNoteExpandable);
  return {
    ...listQueryOf(i, creditNoteSearchFields, 'credit note'),
    creditNoteIds: i.credit_note_ids,
    invoiceId: i.invoice_id || undefined,
    creditNoteStatuses: i.credit_note_status,
    creditNoteType: i.credit_note_type,
    embeds: { invoice: tokens.has('invoice'), subscription: tokens.has('subscription'), customer: tokens.has('customer') },
  };
}

/** A credit note with its lines and what its response embeds (already on the wire). */
export type CreditNoteView = {
  note: CreditNote;
  lines: CreditNoteLineItem[];
  invoice?: Schemas['InvoiceResponse'];
  customer?: Schemas['CustomerResponse'];
  subscription?: CreditNoteResponse['subscription'];
};

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);

export function toCreditNoteLineResponse(l: CreditNoteLineItem): Schemas['CreditNoteLineItemResponse'] {
  return {
    id: l.id,
    credit_note_id: l.creditNoteId,
    invoice_line_item_id: l.invoiceLineItemId,
    display_name: l.displayName ?? '',
    amount: canonicalDecimal(l.amount),
    currency: l.currency,
    metadata: l.metadata ?? {},
    ...recordFields(l),
  };
}

/**
 * Entity → wire, as FlexPrice sends a credit note: `total_amount` a decimal string, `refund_status`
 * null, `finalized_at`, `voided_at` and `subscription_id` left out when unset.
 */
export function toCreditNoteResponse(v: CreditNoteView): CreditNoteResponse {
  const n = v.note;
  return withoutUndefined({
    id: n.id,
    credit_note_number: n.creditNoteNumber,
    invoice_id: n.invoiceId,
    customer_id: n.customerId,
    subscription_id: n.subscriptionId ?? undefined,
    credit_note_status: n.creditNoteStatus,
    credit_note_type: n.creditNoteType,
    refund_status: null,
    reason: n.reason,
    memo: n.memo ?? '',
    currency: n.currency,
    total_amount: canonicalDecimal(n.totalAmount),
    idempotency_key: n.idempotencyKey,
    line_items: v.lines.map(toCreditNoteLineResponse),
    finalized_at: iso(n.finalizedAt),
    voided_at: iso(n.voidedAt),
    metadata: n.metadata ?? {},
    ...recordFields(n),
    invoice: v.invoice,
    customer: v.customer,
    subscription: v.subscription,
  });
}
