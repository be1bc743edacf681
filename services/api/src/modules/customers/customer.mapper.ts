import type { components } from '@tally/contract';
import type { Customer } from './customer.entity.ts';

export type CustomerResponse = components['schemas']['CustomerResponse'];

/** Entity → wire. Empty strings for unset text fields and `contact` omitted when empty, as FlexPrice sends them. */
export function toApiCustomer(c: Customer): CustomerResponse {
  return {
    id: c.id,
    external_id: c.externalId,
    name: c.name,
    email: c.email ?? '',
    ...(c.contact ? { contact: c.contact } : {}),
    address_line1: c.addressLine1 ?? '',
    address_line2: c.addressLine2 ?? '',
    address_city: c.addressCity ?? '',
    address_state: c.addressState ?? '',
    address_postal_code: c.addressPostalCode ?? '',
    address_country: c.addressCountry ?? '',
    timezone: c.timezone,
    metadata: c.metadata ?? {},
    environment_id: c.environmentId,
    tenant_id: c.tenantId,
    status: c.status as CustomerResponse['status'],
    created_at: c.createdAt.toISOString(),
    updated_at: c.updatedAt.toISOString(),
    created_by: c.createdBy ?? '',
    updated_by: c.updatedBy ?? '',
  };
}
