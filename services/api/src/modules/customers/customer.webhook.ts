import type { NewWebhookEvent } from '../webhooks/index.ts';
import type { Customer } from './customer.entity.ts';

type CustomerEventType = 'customer.created' | 'customer.updated' | 'customer.deleted';

/**
 * FlexPrice's trimmed customer of a webhook: id, external id, environment, name, and — only when
 * set — email, address, timezone and metadata (its Go struct leaves empty ones out). A snapshot
 * taken in the transaction of the change, not re-read when delivered.
 */
export function customerWebhookPayload(c: Customer): Record<string, unknown> {
  const customer: Record<string, unknown> = { id: c.id, external_id: c.externalId, environment_id: c.environmentId, name: c.name };
  const optional = {
    email: c.email,
    address_line1: c.addressLine1,
    address_line2: c.addressLine2,
    address_city: c.addressCity,
    address_state: c.addressState,
    address_postal_code: c.addressPostalCode,
    address_country: c.addressCountry,
    timezone: c.timezone,
  };
  for (const [key, value] of Object.entries(optional)) if (value) customer[key] = value;
  if (c.metadata && Object.keys(c.metadata).length) customer.metadata = { ...c.metadata };
  return { customer };
}

/** The system event announcing a change to `c`, made at `at`. */
export function customerEvent(eventType: CustomerEventType, c: Customer, at: Date): NewWebhookEvent {
  return { eventType, entityType: 'customer', entityId: c.id, payload: customerWebhookPayload(c), at };
}
