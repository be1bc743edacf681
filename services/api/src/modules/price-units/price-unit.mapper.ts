import type { components } from '@tally/contract';
import { ExactDecimal, formatDecimal } from '../../decimal/exact-decimal.ts';
import type { PriceUnit } from './price-unit.entity.ts';

export type PriceUnitResponse = components['schemas']['PriceUnitResponse'];

/** A stored numeric (read back as a string, perhaps with trailing zeros) as its canonical wire text. */
export function canonicalDecimal(value: string | number): string {
  return formatDecimal(new ExactDecimal(value));
}

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
