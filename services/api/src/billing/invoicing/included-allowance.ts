import { nextWindowStart, windowStarts, type BillingPeriodUnit, type Period } from '../period/index.ts';

/** FlexPrice's `usage_reset_period` of a metered entitlement. */
export const usageResetPeriods = ['DAILY', 'WEEKLY', 'MONTHLY', 'QUARTERLY', 'HALF_YEARLY', 'ANNUAL', 'NEVER'] as const;
export type UsageResetPeriod = (typeof usageResetPeriods)[number];

/**
 * The subscription's aggregated metered entitlement for a usage line's feature: the summed
 * `usage_limit` of its enabled sources (a decimal string; null when any source is unlimited) and the
 * reset period they share.
 */
export type MeteredEntitlement = { usageLimit: string | null; usageResetPeriod: UsageResetPeriod | null };

/**
 * How the included allowance is taken off a usage line (docs/flexprice-compatibility.md#invoices):
 * - `none`: no entitlement, all usage is billable;
 * - `unlimited`: nothing is billable;
 * - `per_period`: `limit` off the line's usage for the period (reset period equal to the
 *   subscription's, or any reset FlexPrice does not split on);
 * - `per_reset_window`: `limit` off each day (DAILY) or each anchored month (MONTHLY on a subscription
 *   that is not monthly) of the period, on its own;
 * - `lifetime`: NEVER resets: `limit` once over the subscription's life.
 */
export type AllowancePlan =
  | { kind: 'none' }
  | { kind: 'unlimited' }
  | { kind: 'per_period'; limit: string }
  | { kind: 'per_reset_window'; limit: string; reset: 'DAILY' | 'MONTHLY' }
  | { kind: 'lifetime'; limit: string };

/** How `entitlement` (undefined when the feature has none on the subscription) reduces usage billed every `subscriptionPeriod`. */
export function allowancePlan(entitlement: MeteredEntitlement | undefined, subscriptionPeriod: BillingPeriodUnit): AllowancePlan {
  if (!entitlement) return { kind: 'none' };
  const { usageLimit: limit, usageResetPeriod: reset } = entitlement;
  if (limit === null) return { kind: 'unlimited' };
  if (reset === subscriptionPeriod) return { kind: 'per_period', limit };
  if (reset === 'DAILY' || reset === 'MONTHLY') return { kind: 'per_reset_window', limit, reset };
  if (reset === 'NEVER') return { kind: 'lifetime', limit };
  return { kind: 'per_period', limit };
}

/**
 * The reset windows a per-window allowance is measured over, cut from the usage window in the
 * customer's time zone: local days (DAILY), or months starting on the billing anchor's day and
 * clock time (MONTHLY). The first and last are clipped to the usage window.
 */
export function allowanceWindows(usageWindow: Period, reset: 'DAILY' | 'MONTHLY', timezone: string, billingAnchor: Date): Period[] {
  const size = reset === 'DAILY' ? 'DAY' : 'MONTH';
  const calendar = reset === 'DAILY' ? { timezone } : { timezone, billingAnchor };
  const start = usageWindow.start.getTime();
  const end = usageWindow.end.getTime();
  return windowStarts(start, end, size, calendar).map((s) => {
    const next = nextWindowStart(s, size, calendar);
    return { start: new Date(Math.max(s, start)), end: new Date(Math.min(next, end)) };
  });
}
