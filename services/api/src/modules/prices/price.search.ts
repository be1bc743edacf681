import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The price fields a search may filter on and `sort` may name (FlexPrice's column names). */
export const priceSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  lookup_key: { property: 'lookupKey', kind: 'string' },
  currency: { property: 'currency', kind: 'string' },
  amount: { property: 'amount', kind: 'number' },
  type: { property: 'type', kind: 'string' },
  billing_period: { property: 'billingPeriod', kind: 'string' },
  billing_model: { property: 'billingModel', kind: 'string' },
  invoice_cadence: { property: 'invoiceCadence', kind: 'string' },
  entity_type: { property: 'entityType', kind: 'string' },
  entity_id: { property: 'entityId', kind: 'string' },
  meter_id: { property: 'meterId', kind: 'string' },
  display_name: { property: 'displayName', kind: 'string' },
  description: { property: 'description', kind: 'string' },
  price_unit_type: { property: 'priceUnitType', kind: 'string' },
  price_unit: { property: 'priceUnit', kind: 'string' },
  parent_price_id: { property: 'parentPriceId', kind: 'string' },
  start_date: { property: 'startDate', kind: 'date' },
  end_date: { property: 'endDate', kind: 'date' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
