import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The credit note fields a list may sort on (FlexPrice's column names). */
export const creditNoteSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  credit_note_number: { property: 'creditNoteNumber', kind: 'string' },
  invoice_id: { property: 'invoiceId', kind: 'string' },
  customer_id: { property: 'customerId', kind: 'string' },
  subscription_id: { property: 'subscriptionId', kind: 'string' },
  credit_note_status: { property: 'creditNoteStatus', kind: 'string' },
  credit_note_type: { property: 'creditNoteType', kind: 'string' },
  reason: { property: 'reason', kind: 'string' },
  currency: { property: 'currency', kind: 'string' },
  total_amount: { property: 'totalAmount', kind: 'number' },
  finalized_at: { property: 'finalizedAt', kind: 'date' },
  voided_at: { property: 'voidedAt', kind: 'date' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
