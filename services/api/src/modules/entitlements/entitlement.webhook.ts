import type { NewWebhookEvent } from '../webhooks/index.ts';
import type { Entitlement } from './entitlement.entity.ts';

type EntitlementEventType = 'entitlement.created' | 'entitlement.updated' | 'entitlement.deleted';

/**
 * FlexPrice's trimmed entitlement of a webhook: what it grants, to what; `usage_limit` (a number),
 * `usage_reset_period` and `static_value` only when set. A snapshot taken in the transaction of the change.
 */
export function entitlementWebhookPayload(e: Entitlement): Record<string, unknown> {
  const entitlement: Record<string, unknown> = {
    id: e.id,
    entity_type: e.entityType,
    entity_id: e.entityId,
    feature_id: e.featureId,
    feature_type: e.featureType,
    is_enabled: e.isEnabled,
  };
  if (e.usageLimit !== null && e.usageLimit !== undefined) entitlement.usage_limit = Number(e.usageLimit);
  if (e.usageResetPeriod) entitlement.usage_reset_period = e.usageResetPeriod;
  entitlement.is_soft_limit = e.isSoftLimit;
  if (e.staticValue) entitlement.static_value = e.staticValue;
  return { entitlement };
}

/** The system event announcing a change to `e`, made at `at`. */
export function entitlementEvent(eventType: EntitlementEventType, e: Entitlement, at: Date): NewWebhookEvent {
  return { eventType, entityType: 'entitlement', entityId: e.id, payload: entitlementWebhookPayload(e), at };
}
