import type { components } from '@tally/contract';
import type { CatalogContents } from './catalog-contents.ts';
import type { Plan } from './plan.entity.ts';

export type PlanResponse = components['schemas']['PlanResponse'];

/**
 * Entity → wire. Unset text fields are empty strings and `display_order` is left out when unset, as
 * FlexPrice sends them; `prices` / `entitlements` only when they were loaded.
 */
export function toPlanResponse(plan: Plan, contents: Partial<CatalogContents> = {}): PlanResponse {
  return {
    id: plan.id,
    name: plan.name,
    lookup_key: plan.lookupKey ?? '',
    description: plan.description ?? '',
    ...(plan.displayOrder === null || plan.displayOrder === undefined ? {} : { display_order: plan.displayOrder }),
    metadata: plan.metadata ?? {},
    ...(contents.prices ? { prices: contents.prices } : {}),
    ...(contents.entitlements ? { entitlements: contents.entitlements } : {}),
    environment_id: plan.environmentId,
    tenant_id: plan.tenantId,
    status: plan.status as PlanResponse['status'],
    created_at: plan.createdAt.toISOString(),
    updated_at: plan.updatedAt.toISOString(),
    created_by: plan.createdBy ?? '',
    updated_by: plan.updatedBy ?? '',
  };
}
