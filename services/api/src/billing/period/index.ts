/**
 * Time, for billing: half-open periods, IANA time zones, calendar windows (usage `window_size`
 * and buckets), billing dates and periods (anniversary or calendar, in the customer's time zone)
 * and proration fractions. Pure: no I/O, no clock — every instant is an argument.
 */
export { period, contains, overlaps, intersection, durationMs, isEmpty } from './period.ts';
export type { Period } from './period.ts';
export { canonicalTimeZone, isKnownTimeZone } from './time-zone.ts';
export { windowSizes, windowRank, windowStart, nextWindowStart, windowStarts, maxWindows, TooManyWindowsError } from './calendar-window.ts';
export type { WindowSize, Calendar } from './calendar-window.ts';
export { billingPeriodUnits, nextBillingDate, previousBillingDate } from './billing-date.ts';
export type { BillingPeriodUnit } from './billing-date.ts';
export { billingCycles, calendarBillingAnchor, billingAnchor } from './billing-anchor.ts';
export type { BillingCycle } from './billing-anchor.ts';
export { firstBillingPeriod, nextBillingPeriod, billingPeriodAt } from './billing-periods.ts';
export type { BillingSchedule } from './billing-periods.ts';
export { periodShare, prorationCoefficient, prorate, fractionValue } from './proration.ts';
export type { Fraction } from './proration.ts';
