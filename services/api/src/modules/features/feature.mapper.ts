import type { components } from '@tally/contract';
import { toApiMeter } from '../meters/meter.mapper.ts';
import type { Meter } from '../meters/meter.entity.ts';
import type { AlertSettings } from './alert-settings.ts';
import type { Feature } from './feature.entity.ts';

export type FeatureResponse = components['schemas']['FeatureResponse'];

/**
 * Entity → wire. Unset text fields are empty strings and `reporting_unit`, `alert_settings` and
 * `meter` are left out when absent, as FlexPrice sends them.
 */
export function toApiFeature(f: Feature, meter?: Meter): FeatureResponse {
  const alerts = f.alertSettings as AlertSettings | null | undefined;
  return {
    id: f.id,
    name: f.name,
    lookup_key: f.lookupKey ?? '',
    description: f.description ?? '',
    meter_id: f.meterId ?? '',
    metadata: f.metadata ?? {},
    type: f.type,
    unit_singular: f.unitSingular ?? '',
    unit_plural: f.unitPlural ?? '',
    ...(f.reportingUnit ? { reporting_unit: { ...f.reportingUnit } } : {}),
    ...(alerts ? { alert_settings: { ...alerts } } : {}),
    ...(meter ? { meter: toApiMeter(meter) } : {}),
    environment_id: f.environmentId,
    tenant_id: f.tenantId,
    status: f.status as FeatureResponse['status'],
    created_at: f.createdAt.toISOString(),
    updated_at: f.updatedAt.toISOString(),
    created_by: f.createdBy ?? '',
    updated_by: f.updatedBy ?? '',
  };
}
