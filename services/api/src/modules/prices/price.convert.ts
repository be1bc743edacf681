import type { QueryParams, Schemas } from '../../wire/contract-types.ts';
import {
  parsePrice,
  tierListingProblems,
  type BillingModel,
  type PriceTier,
  type TierMode,
  type TransformQuantity,
} from '../../billing/pricing/index.ts';
import { parseDecimal } from '../../wire/decimal-input.ts';
import { itemsOrThrow, throwIfProblems, valueOrThrow, type Problems, type Read } from '../../errors/problems.ts';
import { parseExpand } from '../../listing/expand.ts';
import { listQueryOf, type ListQuery } from '../../listing/list-query.ts';
import { recordFields } from '../../wire/record-fields.ts';
import { toMeterResponse, type Meter } from '../meters/index.ts';
import { toPriceUnitResponse, type PriceUnit } from '../price-units/index.ts';
import { displayAmount } from '../../billing/money/index.ts';
import { canonicalDecimal } from '../../wire/canonical-decimal.ts';
import { requestField } from './price-problems.ts';
import type { BillingPeriod, InvoiceCadence, Price, PriceEntityType, PriceType, PriceUnitType } from './price.entity.ts';
import { priceSearchFields } from './price.search.ts';
import { parseDateInput } from '../../wire/date-input.ts';

type TierRequest = Schemas['PriceTierRequest'];
type DecimalInput = Schemas['DecimalInput'];
export type PriceResponse = Schemas['PriceResponse'];

type Errors = Problems;

/**
 * A price to create, validated as far as the request alone allows (the plan/addon, meter, price
 * unit and lookup-key checks need the database). Amounts are canonical decimal strings. For a
 * CUSTOM price `unitAmount`/`unitTiers` hold the amounts in the unit; the fiat ones are derived.
 */
export type NewPrice = {
  entityType: PriceEntityType;
  entityId: string;
  type: PriceType;
  currency: string;
  billingPeriod: BillingPeriod;
  billingPeriodCount: number;
  billingModel: BillingModel;
  invoiceCadence: InvoiceCadence;
  priceUnitType: PriceUnitType;
  amount: string | null;
  tierMode: TierMode | null;
  tiers: PriceTier[] | null;
  transformQuantity: TransformQuantity | null;
  priceUnitCode: string | null;
  unitAmount: string | null;
  unitTiers: PriceTier[] | null;
  meterId: string | null;
  minQuantity: string | null;
  trialPeriodDays: number;
  lookupKey: string | null;
  description: string | null;
  displayName: string | null;
  metadata: Record<string, string>;
  startDate: Date | null;
  endDate: Date | null;
};

/** The fields of PUT /prices/{id} that create a new version instead of changing the price in place. */
export const criticalFields = ['amount', 'billing_model', 'tier_mode', 'tiers', 'transform_quantity', 'price_unit_amount', 'price_unit_tiers'] as const;

/** Changes to a price: `undefined` leaves a field as it is, `null` clears it. */
export type PriceChanges = {
  lookupKey?: string | null;
  description?: string | null;
  displayName?: string | null;
  metadata?: Record<string, string>;
  effectiveFrom?: Date;
  amount?: string;
  billingModel?: BillingModel;
  tierMode?: TierMode;
  tiers?: PriceTier[];
  transformQuantity?: TransformQuantity;
  unitAmount?: string;
  unitTiers?: PriceTier[];
  /** Which critical fields the request named (wire names). */
  critical: string[];
};

const currencyCode = /^[A-Za-z]{3}$/;
const emptyToNull = (s: string | undefined | null): string | null => (s === undefined || s === null || s === '' ? null : s);

/** A decimal ≥ 0, canonical; records a problem under `field` and returns '' when it is not. */
export function amountOf(input: DecimalInput, field: string, errors: Errors): string {
  const parsed = parseDecimal(input);
  if ('problem' in parsed) {
    errors[field] = parsed.problem;
    return '';
  }
  if (parsed.value.startsWith('-')) {
    errors[field] = 'must be greater than or equal to 0';
    return '';
  }
  return parsed.value;
}

/**
 * Tiers as stored: canonical amounts, listed as the engine's `tierListingProblems` requires
 * (ascending `up_to`, only the last one open). Each problem is named by its index (`tiers[1].up_to`).
 */
export function tiersOf(input: readonly TierRequest[], field: string, errors: Errors): PriceTier[] {
  const tiers = input.map((t, i): PriceTier => {
    const tier: PriceTier = { up_to: t.up_to ?? null, unit_amount: amountOf(t.unit_amount, `${field}[${i}].unit_amount`, errors) };
    if (t.flat_amount !== undefined) tier.flat_amount = amountOf(t.flat_amount, `${field}[${i}].flat_amount`, errors);
    return tier;
  });
  for (const problem of tierListingProblems(tiers, field)) errors[problem.field] = problem.message;
  return tiers;
}

function transformOf(t: Schemas['TransformQuantityRequest']): TransformQuantity {
  return { divide_by: t.divide_by, ...(t.round ? { round: t.round } : {}) };
}

/**
 * The pricing engine's problems with the price (a CUSTOM price is checked in its unit; its
 * conversion waits for the unit), named after the request's fields.
 */
function engineProblems(price: NewPrice, errors: Errors): void {
  const custom = price.priceUnitType === 'CUSTOM';
  const parsed = parsePrice({
    currency: price.currency,
    billingModel: price.billingModel,
    billingPeriodCount: price.billingPeriodCount,
    amount: custom ? price.unitAmount : price.amount,
    tierMode: price.tierMode,
    tiers: custom ? price.unitTiers : price.tiers,
    transformQuantity: price.transformQuantity,
  });
  if (parsed.ok) return;
  for (const p of parsed.problems) {
    const field = requestField(p, 'create', price.priceUnitType);
    // A problem already named precisely by the request checks (a bad decimal, a misplaced open tier) wins.
    const covered = Object.keys(errors).some((k) => k === field || k.startsWith(`${field}[`) || k.startsWith(`${field}.`));
    if (!covered) errors[field] = p.message;
  }
}

/**
 * The request-only rules of a price (docs/flexprice-compatibility.md#price-math) (every violation named; `prefix` is `items[3].` inside a bulk
 * request). Returns the errors instead of throwing so a bulk request can name them all at once.
 */
export function readCreatePrice(body: Schemas['CreatePriceRequest'], prefix = ''): Read<NewPrice> {
  const errors: Errors = {};
  const e = (field: string, message: string) => {
    if (!(field in errors)) errors[field] = message;
  };
  if (body.entity_type !== 'PLAN' && body.entity_type !== 'ADDON' && body.entity_type !== 'SUBSCRIPTION') {
    e('entity_type', `${body.entity_type} is not supported yet: Tally has no price-override or cost-sheet prices; use PLAN, ADDON or SUBSCRIPTION`);
  }
  if (body.entity_id.trim() === '') e('entity_id', 'must not be blank');
  if (!currencyCode.test(body.currency)) e('currency', 'must be a 3-letter currency code');
  const usage = body.type === 'USAGE';
  const meterId = usage ? emptyToNull(body.meter_id) : null;
  if (usage && meterId === null) e('meter_id', 'is required for a USAGE price');
  if (usage && body.invoice_cadence === 'ADVANCE') e('invoice_cadence', 'must be ARREAR for a USAGE price (usage is billed after it happens)');
  if (body.billing_period === 'ONETIME' && body.invoice_cadence !== 'ADVANCE') e('invoice_cadence', 'must be ADVANCE for a ONETIME price');
  if (body.min_quantity !== undefined && usage) e('min_quantity', 'applies to FIXED prices only');
  if (body.trial_period_days !== undefined && body.trial_period_days > 0) {
    if (usage) e('trial_period_days', 'applies to FIXED prices only');
    else if (body.billing_period === 'ONETIME') e('trial_period_days', 'applies to recurring prices only, not ONETIME');
  }
  if (body.group_id) e('group_id', 'is not supported yet: Tally has no price groups; leave it empty');

  const unitType: PriceUnitType = body.price_unit_type ?? 'FIAT';
  const custom = unitType === 'CUSTOM';
  const config = body.price_unit_config;
  const model = body.billing_model;
  let amount: string | null = null;
  let tiers: PriceTier[] | null = null;
  let unitAmount: string | null = null;
  let unitTiers: PriceTier[] | null = null;
  if (custom) {
    if (!config) e('price_unit_config', 'is required when price_unit_type is CUSTOM');
    if (body.amount !== undefined) e('amount', 'must not be set on a CUSTOM price; give price_unit_config.amount');
    if (body.tiers !== undefined) e('tiers', 'must not be set on a CUSTOM price; give price_unit_config.price_unit_tiers');
    if (config && model !== 'TIERED' && config.amount !== undefined) unitAmount = amountOf(config.amount, 'price_unit_config.amount', errors);
    if (config && model === 'TIERED' && config.price_unit_tiers) unitTiers = tiersOf(config.price_unit_tiers, 'price_unit_config.price_unit_tiers', errors);
  } else {
    if (config) e('price_unit_config', 'is only allowed when price_unit_type is CUSTOM');
    if (model !== 'TIERED' && body.amount !== undefined) amount = amountOf(body.amount, 'amount', errors);
    if (model === 'TIERED' && body.tiers) tiers = tiersOf(body.tiers, 'tiers', errors);
  }
  const startDate = parseDateInput(body.start_date, 'start_date', errors);
  const endDate = parseDateInput(body.end_date, 'end_date', errors);

  const price: NewPrice = {
    entityType: body.entity_type,
    entityId: body.entity_id,
    type: body.type,
    currency: body.currency.toLowerCase(),
    billingPeriod: body.billing_period,
    billingPeriodCount: body.billing_period_count,
    billingModel: model,
    invoiceCadence: body.invoice_cadence,
    priceUnitType: unitType,
    amount,
    tierMode: model === 'TIERED' ? (body.tier_mode ?? null) : null,
    tiers,
    transformQuantity: model === 'PACKAGE' && body.transform_quantity ? transformOf(body.transform_quantity) : null,
    priceUnitCode: custom && config ? config.price_unit : null,
    unitAmount,
    unitTiers,
    meterId,
    minQuantity: !usage && body.min_quantity !== undefined ? String(body.min_quantity) : null,
    trialPeriodDays: !usage ? (body.trial_period_days ?? 0) : 0,
    lookupKey: emptyToNull(body.lookup_key),
    description: emptyToNull(body.description),
    displayName: emptyToNull(body.display_name),
    metadata: body.metadata ?? {},
    startDate,
    endDate,
  };
  if (!custom || config) engineProblems(price, errors);
  return { value: price, problems: Object.fromEntries(Object.entries(errors).map(([k, v]) => [`${prefix}${k}`, v])) };
}

/** The request-only rules of PUT /prices/{id}; the rest depends on the price being changed. */
export function fromUpdatePriceRequest(body: Schemas['UpdatePriceRequest']): PriceChanges {
  const errors: Errors = {};
  if (body.group_id) errors.group_id = 'is not supported yet: Tally has no price groups; leave it empty';
  const critical = criticalFields.filter((f) => body[f] !== undefined);
  const changes: PriceChanges = { critical: [...critical] };
  if (body.lookup_key !== undefined) changes.lookupKey = emptyToNull(body.lookup_key);
  if (body.description !== undefined) changes.description = emptyToNull(body.description);
  if (body.display_name !== undefined) changes.displayName = emptyToNull(body.display_name);
  if (body.metadata !== undefined) changes.metadata = body.metadata;
  const effectiveFrom = parseDateInput(body.effective_from, 'effective_from', errors);
  if (effectiveFrom) changes.effectiveFrom = effectiveFrom;
  if (body.effective_from !== undefined && critical.length === 0) {
    errors.effective_from = `only applies with a change that creates a new version (${criticalFields.join(', ')})`;
  }
  const fiat = body.amount !== undefined || body.tiers !== undefined;
  const unit = body.price_unit_amount !== undefined || body.price_unit_tiers !== undefined;
  if (fiat && unit) errors.price_unit_amount = 'cannot be combined with amount or tiers: a price is either FIAT or CUSTOM';
  if (body.amount !== undefined) changes.amount = amountOf(body.amount, 'amount', errors);
  if (body.tiers !== undefined) changes.tiers = tiersOf(body.tiers, 'tiers', errors);
  if (body.price_unit_amount !== undefined) changes.unitAmount = amountOf(body.price_unit_amount, 'price_unit_amount', errors);
  if (body.price_unit_tiers !== undefined) changes.unitTiers = tiersOf(body.price_unit_tiers, 'price_unit_tiers', errors);
  if (body.billing_model !== undefined) changes.billingModel = body.billing_model;
  if (body.tier_mode !== undefined) changes.tierMode = body.tier_mode;
  if (body.transform_quantity !== undefined) changes.transformQuantity = transformOf(body.transform_quantity);
  throwIfProblems(errors);
  return changes;
}

/** DELETE /prices/{id}'s optional body. */
export function fromDeletePriceRequest(body: { end_date?: string } | undefined): Date | undefined {
  if (body?.end_date === undefined) return undefined;
  const errors: Errors = {};
  const d = parseDateInput(body.end_date, 'end_date', errors);
  throwIfProblems(errors);
  return d ?? undefined;
}

export function fromCreatePriceRequest(body: Schemas['CreatePriceRequest']): NewPrice {
  return valueOrThrow(readCreatePrice(body));
}

export function fromCreatePricesBulkRequest(body: Schemas['CreateBulkPriceRequest']): NewPrice[] {
  return itemsOrThrow(body.items, readCreatePrice);
}

/** A list or search of prices, as the GET list and the search body both express it. */
export type PriceQuery = ListQuery & {
  priceIds?: string[];
  billingPeriods?: string[];
  planIds?: string[];
  entityType?: string;
  entityIds?: string[];
  meterIds?: string[];
  parentPriceId?: string;
  subscriptionId?: string;
  allowExpiredPrices?: boolean;
  /** `start_date` before this instant. */
  startDateBefore?: Date;
  embed: PriceEmbeds;
};

/** What to embed in each price: the meter of a usage price, the unit of a custom one. */
export type PriceEmbeds = { meters: boolean; priceUnits: boolean };

export function fromPriceListRequest(input: QueryParams<'listPrices'>): PriceQuery {
  return priceQueryOf(input);
}

/** A search's `sort` is one field name, as a GET's; an empty one sorts by the default. */
export function fromPriceSearchRequest(input: Schemas['PriceFilter']): PriceQuery {
  return { ...priceQueryOf({ ...input, sort: input.sort || undefined }), subscriptionId: input.subscription_id };
}

function priceQueryOf(input: QueryParams<'listPrices'> | Schemas['PriceFilter']): PriceQuery {
  const query = listQueryOf(input, priceSearchFields, 'price');
  const tokens = parseExpand(input?.expand, ['meters', 'priceunit']);
  const errors: Errors = {};
  const startDateBefore = parseDateInput(input?.start_date_lt, 'start_date_lt', errors) ?? undefined;
  throwIfProblems(errors);
  return {
    ...query,
    priceIds: input?.price_ids,
    billingPeriods: input?.billing_periods,
    planIds: input?.plan_ids,
    entityType: input?.entity_type,
    entityIds: input?.entity_ids,
    meterIds: input?.meter_ids,
    parentPriceId: input?.parent_price_id,
    allowExpiredPrices: input?.allow_expired_prices,
    startDateBefore,
    embed: { meters: tokens.has('meters'), priceUnits: tokens.has('priceunit') },
  };
}

/** A price with what its response embeds: the meter of a usage price, the unit of a custom one. */
export type PriceView = { price: Price; meter?: Meter; priceUnit?: PriceUnit };

function toTier(t: PriceTier): Schemas['PriceTier'] {
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
export function toPriceResponse({ price, meter, priceUnit }: PriceView): PriceResponse {
  const amount = canonicalDecimal(price.amount);
  const custom = price.priceUnitType === 'CUSTOM';
  const tiers = price.tiers as PriceTier[] | null | undefined;
  const unitTiers = price.priceUnitTiers as PriceTier[] | null | undefined;
  const unitAmount = price.priceUnitAmount === null || price.priceUnitAmount === undefined ? undefined : canonicalDecimal(price.priceUnitAmount);
  const symbol = priceUnit?.symbol;
  const { environment_id, ...record } = recordFields(price);
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
    environment_id,
    entity_type: price.entityType,
    entity_id: price.entityId,
    parent_price_id: price.parentPriceId ?? '',
    group_id: price.groupId ?? '',
    start_date: price.startDate.toISOString(),
    ...(price.endDate ? { end_date: price.endDate.toISOString() } : {}),
    ...(meter ? { meter: toMeterResponse(meter) } : {}),
    ...(priceUnit ? { pricing_unit: toPriceUnitResponse(priceUnit) } : {}),
    ...record,
  };
}
