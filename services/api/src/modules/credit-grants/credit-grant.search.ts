import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The credit grant fields a list may sort on (FlexPrice's column names). */
export const creditGrantSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  name: { property: 'name', kind: 'string' },
  scope: { property: 'scope', kind: 'string' },
  plan_id: { property: 'planId', kind: 'string' },
  subscription_id: { property: 'subscriptionId', kind: 'string' },
  addon_id: { property: 'addonId', kind: 'string' },
  credits: { property: 'credits', kind: 'number' },
  cadence: { property: 'cadence', kind: 'string' },
  start_date: { property: 'startDate', kind: 'date' },
  end_date: { property: 'endDate', kind: 'date' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
