import type { components } from '@tally/contract';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import type { PriceUnit } from './price-unit.entity.ts';

export type PriceUnitResponse = components['schemas']['PriceUnitResponse'];

/** Entity → wire. */
export function toPriceUnitResponse(u: PriceUnit): PriceUnitResponse {
  return {
    id: u.id,
    name: u.name,
    code: u.code,
    symbol: u.symbol,
    base_currency: u.baseCurrency,
    conversion_rate: canonicalDecimal(u.conversionRate),
    metadata: u.metadata ?? {},
    environment_id: u.environmentId,
    tenant_id: u.tenantId,
    status: u.status as PriceUnitResponse['status'],
    created_at: u.createdAt.toISOString(),
    updated_at: u.updatedAt.toISOString(),
    created_by: u.createdBy ?? '',
    updated_by: u.updatedBy ?? '',
  };
}
