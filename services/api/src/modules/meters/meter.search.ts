import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The meter fields a list may sort on (FlexPrice's column names). */
export const meterSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  name: { property: 'name', kind: 'string' },
  event_name: { property: 'eventName', kind: 'string' },
  reset_usage: { property: 'resetUsage', kind: 'string' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
