import type { SearchableFields } from '../../listing/filter-conditions.ts';

/** The subscription fields a search may filter and sort on (FlexPrice's column names). */
export const subscriptionSearchFields: SearchableFields = {
  id: { property: 'id', kind: 'string' },
  lookup_key: { property: 'lookupKey', kind: 'string' },
  customer_id: { property: 'customerId', kind: 'string' },
  plan_id: { property: 'planId', kind: 'string' },
  subscription_status: { property: 'subscriptionStatus', kind: 'string' },
  currency: { property: 'currency', kind: 'string' },
  billing_cycle: { property: 'billingCycle', kind: 'string' },
  billing_period: { property: 'billingPeriod', kind: 'string' },
  start_date: { property: 'startDate', kind: 'date' },
  end_date: { property: 'endDate', kind: 'date' },
  current_period_start: { property: 'currentPeriodStart', kind: 'date' },
  current_period_end: { property: 'currentPeriodEnd', kind: 'date' },
  trial_end: { property: 'trialEnd', kind: 'date' },
  cancel_at: { property: 'cancelAt', kind: 'date' },
  status: { property: 'status', kind: 'string' },
  created_at: { property: 'createdAt', kind: 'date' },
  updated_at: { property: 'updatedAt', kind: 'date' },
};
