import type { NewWebhookEvent } from '../webhooks/index.ts';
import type { Feature } from './feature.entity.ts';

type FeatureEventType = 'feature.created' | 'feature.updated' | 'feature.deleted';

/**
 * FlexPrice's trimmed feature of a webhook: id, name, lookup key and type always; description,
 * units, meter, group and metadata only when set. A snapshot taken in the transaction of the change.
 */
export function featureWebhookPayload(f: Feature): Record<string, unknown> {
  const feature: Record<string, unknown> = { id: f.id, name: f.name, lookup_key: f.lookupKey ?? '' };
  if (f.description) feature.description = f.description;
  feature.type = f.type;
  const optional = { unit_singular: f.unitSingular, unit_plural: f.unitPlural, meter_id: f.meterId, group_id: f.groupId };
  for (const [key, value] of Object.entries(optional)) if (value) feature[key] = value;
  if (f.metadata && Object.keys(f.metadata).length) feature.metadata = { ...f.metadata };
  return { feature };
}

/** The system event announcing a change to `f`, made at `at`. */
export function featureEvent(eventType: FeatureEventType, f: Feature, at: Date): NewWebhookEvent {
  return { eventType, entityType: 'feature', entityId: f.id, payload: featureWebhookPayload(f), at };
}
