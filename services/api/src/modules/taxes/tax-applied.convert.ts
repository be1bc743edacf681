import type { components } from '@tally/contract';
import { ExactDecimal, formatDecimal } from '../../billing/money/index.ts';
import { recordFields } from '../../wire/record-fields.ts';
import type { TaxApplied } from './tax-applied.entity.ts';
import type { TaxRate } from './tax-rate.entity.ts';
import { toTaxRateResponse } from './tax-rate.convert.ts';

export type TaxAppliedResponse = components['schemas']['TaxAppliedResponse'];

/**
 * An applied tax as an invoice's `taxes[]` lists it (FlexPrice's `TaxAppliedResponse`): no
 * `tax_association_id` when the rate did not come from an association; `tax_rate` when given (an
 * invoice read with `expand=tax_applied.tax_rate`).
 */
export function toTaxAppliedResponse(t: TaxApplied, rate?: TaxRate | null): TaxAppliedResponse {
  return {
    id: t.id,
    tax_rate_id: t.taxRateId,
    ...(t.taxAssociationId ? { tax_association_id: t.taxAssociationId } : {}),
    entity_type: t.entityType,
    entity_id: t.entityId,
    taxable_amount: formatDecimal(new ExactDecimal(t.taxableAmount)),
    tax_amount: formatDecimal(new ExactDecimal(t.taxAmount)),
    currency: t.currency,
    applied_at: t.appliedAt.toISOString(),
    idempotency_key: t.idempotencyKey,
    metadata: t.metadata ?? {},
    ...recordFields(t),
    ...(rate ? { tax_rate: toTaxRateResponse(rate) } : {}),
  };
}
