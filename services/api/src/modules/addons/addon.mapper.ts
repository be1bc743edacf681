import type { components } from '@tally/contract';
import type { CatalogContents } from '../plans/catalog-contents.ts';
import type { Addon } from './addon.entity.ts';

export type AddonResponse = components['schemas']['AddonResponse'];

/** Entity → wire. Unset text fields are empty strings; `prices` / `entitlements` only when they were loaded. */
export function toAddonResponse(addon: Addon, contents: Partial<CatalogContents> = {}): AddonResponse {
  return {
    id: addon.id,
    name: addon.name,
    lookup_key: addon.lookupKey,
    description: addon.description ?? '',
    metadata: addon.metadata ?? {},
    ...(contents.prices ? { prices: contents.prices } : {}),
    ...(contents.entitlements ? { entitlements: contents.entitlements } : {}),
    environment_id: addon.environmentId,
    tenant_id: addon.tenantId,
    status: addon.status as AddonResponse['status'],
    created_at: addon.createdAt.toISOString(),
    updated_at: addon.updatedAt.toISOString(),
    created_by: addon.createdBy ?? '',
    updated_by: addon.updatedBy ?? '',
  };
}
