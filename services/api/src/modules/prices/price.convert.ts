import type { components } from '@tally/contract';
import { priceDefinitionProblems, type BillingModel, type PriceTier, type TierMode, type TransformQuantity } from '../../billing/pricing/index.ts';
import { parseDecimal } from '../../decimal/decimal-input.ts';
import { invalidFields } from '../../errors/app-error.ts';
import type { BillingPeriod, InvoiceCadence, PriceEntityType, PriceType, PriceUnitType } from './price.entity.ts';
import { parseDateInput } from '../../date-input.ts';

type CreateRequest = components['schemas']['CreatePriceRequest'];
type UpdateRequest = components['schemas']['UpdatePriceRequest'];
type TierRequest = components['schemas']['PriceTierRequest'];
type DecimalInput = components['schemas']['DecimalInput'];

export type Errors = Record<string, string>;

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
 * Tiers as stored: canonical amounts, ascending `up_to`, only the last one open. Each problem is
 * named by its index (`tiers[1].up_to`).
 */
export function tiersOf(input: readonly TierRequest[], field: string, errors: Errors): PriceTier[] {
  const tiers = input.map((t, i): PriceTier => {
    const tier: PriceTier = { up_to: t.up_to ?? null, unit_amount: amountOf(t.unit_amount, `${field}[${i}].unit_amount`, errors) };
    if (t.flat_amount !== undefined) tier.flat_amount = amountOf(t.flat_amount, `${field}[${i}].flat_amount`, errors);
    return tier;
  });
  tiers.forEach((t, i) => {
    const last = i === tiers.length - 1;
    if ((t.up_to === null || t.up_to === undefined) && !last) errors[`${field}[${i}].up_to`] = 'is required on every tier but the last (only the last tier may be open)';
    if (i > 0) {
      const prev = tiers[i - 1].up_to;
      if (typeof prev === 'number' && typeof t.up_to === 'number' && t.up_to <= prev) {
        errors[`${field}[${i}].up_to`] = `must be greater than the previous tier's up_to (${prev}); tiers are listed in ascending order`;
      }
    }
  });
  return tiers;
}

function transformOf(t: components['schemas']['TransformQuantityRequest']): TransformQuantity {
  return { divide_by: t.divide_by, ...(t.round ? { round: t.round } : {}) };
}


/** Engine problems renamed to the request's field paths (a CUSTOM price's amounts live in price_unit_config). */
function engineProblems(price: NewPrice, errors: Errors): void {
  const custom = price.priceUnitType === 'CUSTOM';
  const problems = priceDefinitionProblems({
    currency: price.currency,
    billingModel: price.billingModel,
    billingPeriodCount: price.billingPeriodCount,
    amount: custom ? price.unitAmount : price.amount,
    tierMode: price.tierMode,
    tiers: custom ? price.unitTiers : price.tiers,
    transformQuantity: price.transformQuantity,
  });
  for (const p of problems) {
    let field = p.field;
    if (custom && field === 'amount') field = 'price_unit_config.amount';
    if (custom && field.startsWith('tiers')) field = `price_unit_config.price_unit_${field}`;
    // A problem already named precisely by the request checks (a bad decimal, a misplaced open tier) wins.
    const covered = Object.keys(errors).some((k) => k === field || k.startsWith(`${field}[`) || k.startsWith(`${field}.`));
    if (!covered) errors[field] = p.message;
  }
}

/**
 * The request-only rules of §2.3 (every violation named; `prefix` is `items[3].` inside a bulk
 * request). Returns the errors instead of throwing so a bulk request can name them all at once.
 */
export function parseCreatePrice(body: CreateRequest, prefix = ''): { price: NewPrice; errors: Errors } {
  const errors: Errors = {};
  const e = (field: string, message: string) => {
    if (!(field in errors)) errors[field] = message;
  };
  if (body.entity_type !== 'PLAN' && body.entity_type !== 'ADDON') {
    e('entity_type', `${body.entity_type} is not supported yet: Tally has no subscription, price-override or cost-sheet prices; use PLAN or ADDON`);
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
  return { price, errors: Object.fromEntries(Object.entries(errors).map(([k, v]) => [`${prefix}${k}`, v])) };
}

/** The request-only rules of PUT /prices/{id}; the rest depends on the price being changed. */
export function parseUpdatePrice(body: UpdateRequest): PriceChanges {
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
  if (Object.keys(errors).length) throw invalidFields(errors);
  return changes;
}

/** DELETE /prices/{id}'s optional body. */
export function parseEndDate(body: { end_date?: string } | undefined): Date | undefined {
  if (body?.end_date === undefined) return undefined;
  const errors: Errors = {};
  const d = parseDateInput(body.end_date, 'end_date', errors);
  if (!d) throw invalidFields(errors);
  return d;
}

/** A cost-preview quantity: a decimal ≥ 0. */
export function parseQuantities(body: components['schemas']['PriceCostRequest']): { quantity?: string; buckets?: string[] } {
  const errors: Errors = {};
  if (body.quantity === undefined && body.bucket_quantities === undefined) errors.quantity = 'is required (or give bucket_quantities)';
  if (body.quantity !== undefined && body.bucket_quantities !== undefined) errors.bucket_quantities = 'cannot be combined with quantity';
  const quantity = body.quantity === undefined ? undefined : amountOf(body.quantity, 'quantity', errors);
  const buckets = body.bucket_quantities?.map((q, i) => amountOf(q, `bucket_quantities[${i}]`, errors));
  if (Object.keys(errors).length) throw invalidFields(errors);
  return { quantity, buckets };
}
