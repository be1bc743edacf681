import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The tax rate fields a list may sort on (FlexPrice's column names). */
export const taxRateSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  name: { property: 'name', kind: 'string' },
  code: { property: 'code', kind: 'string' },
  description: { property: 'description', kind: 'string' },
  tax_rate_status: { property: 'taxRateStatus', kind: 'string' },
  tax_rate_type: { property: 'taxRateType', kind: 'string' },
  scope: { property: 'scope', kind: 'string' },
  percentage_value: { property: 'percentageValue', kind: 'number' },
  fixed_value: { property: 'fixedValue', kind: 'number' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
