import type { components } from '@tally/contract';
import type { PriceTier } from '../../billing/pricing/index.ts';
import { toMeterResponse } from '../meters/index.ts';
import type { Meter } from '../meters/meter.entity.ts';
import { canonicalDecimal, toPriceUnitResponse } from '../price-units/price-unit.mapper.ts';
import type { PriceUnit } from '../price-units/price-unit.entity.ts';
import type { Price } from './price.entity.ts';

export type PriceResponse = components['schemas']['PriceResponse'];
type PriceTierResponse = components['schemas']['PriceTier'];

/**
 * Symbols for `display_amount`. Tally keeps a deliberately small table; any other currency is shown
 * as its upper-case code and a space (`CHF 12.5`).
 */
const currencySymbols: Record<string, string> = { usd: '$', eur: '€', gbp: '£', jpy: '¥', inr: '₹' };

/** `display_amount`: the currency symbol (or `CODE `) followed by the canonical amount. */
export function displayAmount(currency: string, amount: string): string {
  const c = currency.toLowerCase();
  return `${currencySymbols[c] ?? `${c.toUpperCase()} `}${amount}`;
}

function toTier(t: PriceTier): PriceTierResponse {
  return {
    ...(t.up_to === null || t.up_to === undefined ? {} : { up_to: t.up_to }),
    unit_amount: canonicalDecimal(t.unit_amount),
    ...(t.flat_amount === null || t.flat_amount === undefined ? {} : { flat_amount: canonicalDecimal(t.flat_amount) }),
  };
}

/**
 * Entity → wire. Unset text fields are empty strings; optional members (tiers, tier_mode,
 * transform_quantity, min_quantity, end_date, the price-unit fields of a FIAT price) are left out when
 * absent. `meter` and `pricing_unit` are embedded when given.
 */
export function toPriceResponse(price: Price, extras: { meter?: Meter; priceUnit?: PriceUnit } = {}): PriceResponse {
  const amount = canonicalDecimal(price.amount);
  const custom = price.priceUnitType === 'CUSTOM';
  const tiers = price.tiers as PriceTier[] | null | undefined;
  const unitTiers = price.priceUnitTiers as PriceTier[] | null | undefined;
  const unitAmount = price.priceUnitAmount === null || price.priceUnitAmount === undefined ? undefined : canonicalDecimal(price.priceUnitAmount);
  const symbol = extras.priceUnit?.symbol;
  return {
    id: price.id,
    amount,
    display_amount: displayAmount(price.currency, amount),
    currency: price.currency,
    price_unit_type: price.priceUnitType,
    ...(custom && price.priceUnitId ? { price_unit_id: price.priceUnitId } : {}),
    ...(custom && price.priceUnit ? { price_unit: price.priceUnit } : {}),
    ...(unitAmount !== undefined ? { price_unit_amount: unitAmount } : {}),
    ...(unitAmount !== undefined && symbol ? { display_price_unit_amount: `${symbol}${unitAmount}` } : {}),
    ...(price.conversionRate ? { conversion_rate: canonicalDecimal(price.conversionRate) } : {}),
    type: price.type,
    billing_period: price.billingPeriod,
    billing_period_count: price.billingPeriodCount,
    billing_model: price.billingModel,
    billing_cadence: (price.billingCadence ?? 'RECURRING') as PriceResponse['billing_cadence'],
    invoice_cadence: price.invoiceCadence,
    trial_period_days: price.trialPeriodDays ?? 0,
    ...(price.tierMode ? { tier_mode: price.tierMode } : {}),
    ...(tiers?.length ? { tiers: tiers.map(toTier) } : {}),
    ...(unitTiers?.length ? { price_unit_tiers: unitTiers.map(toTier) } : {}),
    meter_id: price.meterId ?? '',
    lookup_key: price.lookupKey ?? '',
    description: price.description ?? '',
    display_name: price.displayName ?? '',
    ...(price.minQuantity === null || price.minQuantity === undefined ? {} : { min_quantity: canonicalDecimal(price.minQuantity) }),
    ...(price.transformQuantity
      ? {
          transform_quantity: {
            divide_by: price.transformQuantity.divide_by,
            ...(price.transformQuantity.round ? { round: price.transformQuantity.round } : {}),
          },
        }
      : {}),
    metadata: price.metadata ?? {},
    environment_id: price.environmentId,
    entity_type: price.entityType,
    entity_id: price.entityId,
    parent_price_id: price.parentPriceId ?? '',
    group_id: price.groupId ?? '',
    start_date: price.startDate.toISOString(),
    ...(price.endDate ? { end_date: price.endDate.toISOString() } : {}),
    ...(extras.meter ? { meter: toMeterResponse(extras.meter) } : {}),
    ...(extras.priceUnit ? { pricing_unit: toPriceUnitResponse(extras.priceUnit) } : {}),
    tenant_id: price.tenantId,
    status: price.status as PriceResponse['status'],
    created_at: price.createdAt.toISOString(),
    updated_at: price.updatedAt.toISOString(),
    created_by: price.createdBy ?? '',
    updated_by: price.updatedBy ?? '',
  };
}
