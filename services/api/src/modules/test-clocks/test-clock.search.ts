import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The test clock fields a list may sort on. */
export const testClockSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  name: { property: 'name', kind: 'string' },
  frozen_time: { property: 'frozenTime', kind: 'date' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
