import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The payment fields a list may sort on (FlexPrice's column names). */
export const paymentSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  destination_type: { property: 'destinationType', kind: 'string' },
  destination_id: { property: 'destinationId', kind: 'string' },
  payment_method_type: { property: 'paymentMethodType', kind: 'string' },
  payment_gateway: { property: 'paymentGateway', kind: 'string' },
  payment_status: { property: 'paymentStatus', kind: 'string' },
  currency: { property: 'currency', kind: 'string' },
  amount: { property: 'amount', kind: 'number' },
  succeeded_at: { property: 'succeededAt', kind: 'date' },
  failed_at: { property: 'failedAt', kind: 'date' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
