import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The invoice fields a search may filter and sort on (FlexPrice's column names). */
export const invoiceSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  customer_id: { property: 'customerId', kind: 'string' },
  subscription_id: { property: 'subscriptionId', kind: 'string' },
  invoice_number: { property: 'invoiceNumber', kind: 'string' },
  invoice_type: { property: 'invoiceType', kind: 'string' },
  invoice_status: { property: 'invoiceStatus', kind: 'string' },
  payment_status: { property: 'paymentStatus', kind: 'string' },
  billing_reason: { property: 'billingReason', kind: 'string' },
  currency: { property: 'currency', kind: 'string' },
  amount_due: { property: 'amountDue', kind: 'number' },
  amount_paid: { property: 'amountPaid', kind: 'number' },
  amount_remaining: { property: 'amountRemaining', kind: 'number' },
  total: { property: 'total', kind: 'number' },
  period_start: { property: 'periodStart', kind: 'date' },
  period_end: { property: 'periodEnd', kind: 'date' },
  due_date: { property: 'dueDate', kind: 'date' },
  finalized_at: { property: 'finalizedAt', kind: 'date' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
