import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The addon fields a search may filter and sort on (FlexPrice's column names). */
export const addonSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  name: { property: 'name', kind: 'string' },
  lookup_key: { property: 'lookupKey', kind: 'string' },
  description: { property: 'description', kind: 'string' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
