import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The subscription line item fields a search may filter and sort on (FlexPrice's column names). */
export const lineItemSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  subscription_id: { property: 'subscriptionId', kind: 'string' },
  customer_id: { property: 'customerId', kind: 'string' },
  price_id: { property: 'priceId', kind: 'string' },
  price_type: { property: 'priceType', kind: 'string' },
  meter_id: { property: 'meterId', kind: 'string' },
  entity_id: { property: 'entityId', kind: 'string' },
  entity_type: { property: 'entityType', kind: 'string' },
  currency: { property: 'currency', kind: 'string' },
  billing_period: { property: 'billingPeriod', kind: 'string' },
  invoice_cadence: { property: 'invoiceCadence', kind: 'string' },
  start_date: { property: 'startDate', kind: 'date' },
  end_date: { property: 'endDate', kind: 'date' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
