import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The customer fields a search may filter and sort on (FlexPrice's column names). */
export const customerSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  external_id: { property: 'externalId', kind: 'string' },
  name: { property: 'name', kind: 'string' },
  email: { property: 'email', kind: 'string' },
  contact: { property: 'contact', kind: 'string' },
  timezone: { property: 'timezone', kind: 'string' },
  status: { property: 'status', kind: 'string' },
  address_line1: { property: 'addressLine1', kind: 'string' },
  address_line2: { property: 'addressLine2', kind: 'string' },
  address_city: { property: 'addressCity', kind: 'string' },
  address_state: { property: 'addressState', kind: 'string' },
  address_postal_code: { property: 'addressPostalCode', kind: 'string' },
  address_country: { property: 'addressCountry', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
