import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The wallet fields a list may sort on (FlexPrice's column names). */
export const walletSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  name: { property: 'name', kind: 'string' },
  currency: { property: 'currency', kind: 'string' },
  wallet_status: { property: 'walletStatus', kind: 'string' },
  wallet_type: { property: 'walletType', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};

/** The wallet transaction fields a search may filter and sort on. */
export const walletTransactionSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  wallet_id: { property: 'walletId', kind: 'string' },
  type: { property: 'type', kind: 'string' },
  transaction_status: { property: 'transactionStatus', kind: 'string' },
  transaction_reason: { property: 'transactionReason', kind: 'string' },
  reference_type: { property: 'referenceType', kind: 'string' },
  reference_id: { property: 'referenceId', kind: 'string' },
  amount: { property: 'amount', kind: 'number' },
  credit_amount: { property: 'creditAmount', kind: 'number' },
  credits_available: { property: 'creditsAvailable', kind: 'number' },
  priority: { property: 'priority', kind: 'number' },
  expiry_date: { property: 'expiryDate', kind: 'date' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
