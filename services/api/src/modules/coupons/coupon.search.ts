import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The coupon fields a search may filter and sort on (FlexPrice's column names). */
export const couponSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  name: { property: 'name', kind: 'string' },
  coupon_code: { property: 'couponCode', kind: 'string' },
  type: { property: 'type', kind: 'string' },
  cadence: { property: 'cadence', kind: 'string' },
  currency: { property: 'currency', kind: 'string' },
  amount_off: { property: 'amountOff', kind: 'number' },
  percentage_off: { property: 'percentageOff', kind: 'number' },
  duration_in_periods: { property: 'durationInPeriods', kind: 'number' },
  max_redemptions: { property: 'maxRedemptions', kind: 'number' },
  total_redemptions: { property: 'totalRedemptions', kind: 'number' },
  redeem_after: { property: 'redeemAfter', kind: 'date' },
  redeem_before: { property: 'redeemBefore', kind: 'date' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
