/** Entitlements, as other modules may use them. */
export { EntitlementService, type EntitlementEmbeds } from './entitlement.service.ts';
export type { Entitlement } from './entitlement.entity.ts';
export { toEntitlementResponse, type EntitlementResponse, type EntitlementView } from './entitlement.convert.ts';
