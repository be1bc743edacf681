import type { components } from '@tally/contract';
import type { Meter } from './meter.entity.ts';

export type MeterResponse = components['schemas']['MeterResponse'];

/** Entity → wire. Aggregation members that do not apply are left out, as FlexPrice omits them. */
export function toApiMeter(m: Meter): MeterResponse {
  const { type, field, multiplier, bucket_size, group_by } = m.aggregation;
  return {
    id: m.id,
    name: m.name,
    tenant_id: m.tenantId,
    environment_id: m.environmentId,
    event_name: m.eventName,
    aggregation: {
      type,
      ...(field ? { field } : {}),
      ...(multiplier ? { multiplier } : {}),
      ...(bucket_size ? { bucket_size } : {}),
      ...(group_by ? { group_by } : {}),
    },
    filters: (m.filters ?? []).map((f) => ({ key: f.key, values: [...f.values] })),
    reset_usage: m.resetUsage,
    status: m.status as MeterResponse['status'],
    created_at: m.createdAt.toISOString(),
    updated_at: m.updatedAt.toISOString(),
    created_by: m.createdBy ?? '',
    updated_by: m.updatedBy ?? '',
  };
}
