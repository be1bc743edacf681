/**
 * Credit grants, for billing: when a grant's applications fall (its periods, in the subscription's
 * time zone) and when each application's credits expire. Pure: every instant is an argument.
 */
export { creditGrantCadences, grantPeriodFrom, nextGrantPeriod, lastInstant } from './grant-schedule.ts';
export type { CreditGrantCadence, GrantSchedule } from './grant-schedule.ts';
export { creditGrantExpiryTypes, creditGrantExpiryUnits, applicationExpiry, subscriptionPeriodAt } from './application-expiry.ts';
export type { CreditGrantExpiryType, CreditGrantExpiryUnit, ExpiryRule, SubscriptionCycles } from './application-expiry.ts';
