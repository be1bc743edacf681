import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The tax association fields a list may sort on (FlexPrice's column names). */
export const taxAssociationSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  tax_rate_id: { property: 'taxRateId', kind: 'string' },
  entity_type: { property: 'entityType', kind: 'string' },
  entity_id: { property: 'entityId', kind: 'string' },
  priority: { property: 'priority', kind: 'number' },
  currency: { property: 'currency', kind: 'string' },
  start_date: { property: 'startDate', kind: 'date' },
  end_date: { property: 'endDate', kind: 'date' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
