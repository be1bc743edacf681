import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The entitlement fields a search may filter and sort on (FlexPrice's column names). */
export const entitlementSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  entity_type: { property: 'entityType', kind: 'string' },
  entity_id: { property: 'entityId', kind: 'string' },
  feature_id: { property: 'featureId', kind: 'string' },
  feature_type: { property: 'featureType', kind: 'string' },
  usage_reset_period: { property: 'usageResetPeriod', kind: 'string' },
  static_value: { property: 'staticValue', kind: 'string' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
