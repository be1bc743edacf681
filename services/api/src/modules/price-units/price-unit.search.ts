import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The price-unit fields a search may filter and sort on (FlexPrice's column names). */
export const priceUnitSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  name: { property: 'name', kind: 'string' },
  code: { property: 'code', kind: 'string' },
  symbol: { property: 'symbol', kind: 'string' },
  base_currency: { property: 'baseCurrency', kind: 'string' },
  conversion_rate: { property: 'conversionRate', kind: 'number' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
