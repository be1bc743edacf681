/** Entitlements, as other modules may use them. */
export { EntitlementService, type EntitlementEmbeds, type EntitlementOverride, type EntitlementOwnerSubscription, type EntitlementSubscriptionReader } from './entitlement.service.ts';
export type { Entitlement, UsageResetPeriod } from './entitlement.entity.ts';
export { toEntitlementResponse, type EntitlementResponse, type EntitlementView } from './entitlement.convert.ts';
